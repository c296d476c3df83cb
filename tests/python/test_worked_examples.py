"""SPEC section 4: both worked examples, each with its own grid, through load and a real dbt build."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest

from worked_examples import ago, build_scores, copy_project, iso, write_csv

AS_OF = datetime(2024, 6, 30, 12, 0, 0)

NO_FIT_RULES = [
    # A grid needs a row; this one never matches anybody.
    {"rule_id": "never", "attribute": "industry", "operator": "eq", "value": "-", "points": 0,
     "priority": 1, "description": "never"},
]


def engagement_rule(rule_id: str, event_type: str, points: float, category: str, description: str,
                    match_field: str = "", operator: str = "", value: str = "") -> dict[str, object]:
    return {"rule_id": rule_id, "event_type": event_type, "match_field": match_field, "operator": operator,
            "value": value, "points": points, "category": category, "description": description}


def contact(contact_id: str, **attributes: object) -> dict[str, object]:
    return {"contact_id": contact_id, "created_at": "2023-01-01T00:00:00Z", **attributes}


def event(event_id: str, contact_id: str, event_type: str, days_ago: float, **fields: object) -> dict[str, object]:
    return {"event_id": event_id, "contact_id": contact_id, "event_type": event_type,
            "occurred_at": ago(AS_OF, days_ago), **fields}


def test_seed_002_french_it_lead_scores_100_without_decay(tmp_path: Path) -> None:
    """Fit 20 + 15 + 10, engagement 3 x 5 + 2 x 10 + 20: 45 + 15 + 20 + 20 = 100, an MQL at 65."""
    project = copy_project(tmp_path / "project", {
        "fit_rules": [
            {"rule_id": "size_10_100", "attribute": "employee_count", "operator": "between", "value": "10|100",
             "points": 20, "priority": 1, "description": "SME of 10-100 employees"},
            {"rule_id": "sector_it", "attribute": "industry", "operator": "in", "value": "it|informatique",
             "points": 15, "priority": 1, "description": "IT sector"},
            {"rule_id": "based_in_france", "attribute": "country_code", "operator": "eq", "value": "FR",
             "points": 10, "priority": 1, "description": "Based in France"},
        ],
        "engagement_rules": [
            engagement_rule("page_visited", "page_view", 5, "passive", "Page visited"),
            engagement_rule("email_opened", "email_open", 10, "passive", "Email opened"),
            engagement_rule("demo_booked", "demo_requested", 20, "active", "Demo booked"),
        ],
    })
    raw = tmp_path / "raw"
    write_csv(raw / "contacts.csv", [
        contact("lead", email="lead@it-company.fr", employee_count=40, industry="IT", country="France"),
        contact("other", email="other@big-retail.com", employee_count=5000, industry="Retail", country="USA"),
    ])
    write_csv(raw / "events.csv", [
        event("v1", "lead", "page_view", 3, url="/"),
        event("v2", "lead", "page_view", 2, url="/product"),
        event("v3", "lead", "page_view", 1, url="/pricing"),
        event("o1", "lead", "email_open", 2),
        event("o2", "lead", "email_open", 1),
        event("d1", "lead", "demo_requested", 0),
    ])

    scores = build_scores(project, raw, tmp_path / "warehouse.duckdb", AS_OF,
                          vars_yaml="{decay_method: none, mql_threshold: 65}")

    lead = scores["lead"]
    assert lead["fit_score"] == 45
    assert lead["engagement_score"] == 55
    assert lead["lead_score"] == 100
    assert lead["is_mql"] is True
    assert lead["tier"] == "hot"
    # ties on points: engagement before fit, then by rule_id
    assert lead["score_reasons"] == "Demo booked (+20.0), Email opened x2 (+20.0), SME of 10-100 employees (+20)"
    assert scores["other"]["lead_score"] == 0
    assert scores["other"]["is_mql"] is False


SEED_004_GRID = [
    engagement_rule("rfp_sample", "content_download", 12, "active", "RFP sample download", "asset", "contains", "rfp"),
    engagement_rule("demo_watched", "demo_watched", 12, "active", "Demo watched"),
    engagement_rule("pricing_page", "page_view", 10, "active", "Pricing page", "url", "contains", "/pricing"),
    engagement_rule("booth_visit", "event_attended", 4, "passive", "Booth visit"),
    engagement_rule("white_paper", "content_download", 6, "passive", "White paper", "asset", "contains", "white-paper"),
    engagement_rule("email_click", "email_click", 3, "passive", "Email click"),
    engagement_rule("generic_page", "page_view", 2, "passive", "Page view", "url", "contains", "/blog"),
    engagement_rule("webinar", "webinar_attended", 8, "passive", "Webinar attended"),
]


@pytest.fixture(scope="module")
def seed_004(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    root = tmp_path_factory.mktemp("seed_004")
    project = copy_project(root / "project", {"fit_rules": NO_FIT_RULES, "engagement_rules": SEED_004_GRID})
    raw = root / "raw"
    write_csv(raw / "contacts.csv", [
        contact("crissy", email="crissy@buyer.com"),
        contact("jen", email="jen@reader.com"),
    ])
    write_csv(raw / "events.csv", [
        # Crissy: four strong signals in ten days (38 raw points)
        event("c1", "crissy", "content_download", 0, asset="rfp-sample.docx"),
        event("c2", "crissy", "demo_watched", 1),
        event("c3", "crissy", "page_view", 5, url="/pricing"),
        event("c4", "crissy", "event_attended", 10),
        # Jen: 36 raw points of reading spread over six months
        event("j1", "jen", "content_download", 175, asset="white-paper-1.pdf"),
        event("j2", "jen", "webinar_attended", 150),
        event("j3", "jen", "email_click", 130),
        event("j4", "jen", "content_download", 110, asset="white-paper-2.pdf"),
        event("j5", "jen", "page_view", 95, url="/blog/a"),
        event("j6", "jen", "webinar_attended", 80),
        event("j7", "jen", "email_click", 70),
    ])
    return project, raw


def test_seed_004_nearly_tie_without_decay(seed_004: tuple[Path, Path], tmp_path: Path) -> None:
    project, raw = seed_004
    # the guide's example predates the inactivity penalty (Jen's last event is 70 days old)
    scores = build_scores(project, raw, tmp_path / "warehouse.duckdb", AS_OF,
                          vars_yaml="{decay_method: none, inactivity_points: 0}")
    assert scores["crissy"]["engagement_score"] == 38
    assert scores["jen"]["engagement_score"] == 36


def test_seed_004_decay_separates_active_buyer_from_reader(seed_004: tuple[Path, Path], tmp_path: Path) -> None:
    project, raw = seed_004
    # default decay (exponential, 30 days); the guide's example has no inactivity penalty
    scores = build_scores(project, raw, tmp_path / "warehouse.duckdb", AS_OF, vars_yaml="{inactivity_points: 0}")

    expected_crissy = 12 + 12 * 0.5 ** (1 / 30) + 10 * 0.5 ** (5 / 30) + 4 * 0.5 ** (10 / 30)
    crissy, jen = scores["crissy"], scores["jen"]
    assert crissy["engagement_score"] == pytest.approx(expected_crissy, abs=1e-6)
    assert crissy["engagement_score"] == pytest.approx(36, abs=0.5)
    assert jen["engagement_score"] < 8
    assert crissy["buying_behavior"] == "active"
    assert jen["buying_behavior"] == "passive"
    assert crissy["as_of"] == AS_OF
    assert iso(crissy["last_engaged_at"]) == ago(AS_OF, 0)
