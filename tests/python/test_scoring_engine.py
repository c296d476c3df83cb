"""The scoring engine end to end: grids that fail loudly, a second ready grid, custom attributes,
and every feature switched on at once with the breakdown still adding up."""

from __future__ import annotations

import shutil
from datetime import datetime
from pathlib import Path

import pytest

from leadscore.build import build
from leadscore.errors import LeadscoreError
from leadscore.load import load_directory
from leadscore_dev.generate import generate
from worked_examples import build_scores, copy_project, read_rows, warehouse_with_contacts, write_csv

AS_OF = datetime(2024, 7, 1)

FIT_HEADER = ["rule_id", "rule_group", "attribute", "operator", "value", "points", "priority", "description"]
GOOD_FIT_RULE = {"rule_id": "ok", "attribute": "industry", "operator": "eq", "value": "tech", "points": 5,
                 "priority": 1, "description": "fine"}


@pytest.fixture(scope="module")
def faulty_grids(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """One project copy (each case restores its grid) and one warehouse for every faulty row: the same
    profile, vars and as_of let dbt parse again only the grid a case edited (partial parsing)."""
    root = tmp_path_factory.mktemp("faulty_grids")
    return copy_project(root / "project"), warehouse_with_contacts(root / "w.duckdb")


@pytest.mark.parametrize(
    ("seed", "bad_row", "problem"),
    [
        ("fit_rules", {"rule_id": "bad_op", "attribute": "industry", "operator": "equals", "value": "x",
                       "points": 1, "description": "d"}, "unknown operator 'equals'"),
        ("fit_rules", {"rule_id": "bad_points", "attribute": "industry", "operator": "eq", "value": "x",
                       "points": "ten", "description": "d"}, "points 'ten' is not a number"),
        ("fit_rules", {"rule_id": "ok", "attribute": "country", "operator": "eq", "value": "fr",
                       "points": 1, "description": "d"}, "rule_id appears 2 times"),
        ("fit_rules", {"rule_id": "bad_regex", "attribute": "job_title", "operator": "regex", "value": "(vp|dir",
                       "points": 1, "description": "d"}, "regex '(vp|dir' does not compile"),
        ("fit_rules", {"rule_id": "bad_between", "attribute": "employee_count", "operator": "between",
                       "value": "50", "points": 1, "description": "d"}, "between needs two numeric bounds"),
        ("engagement_rules", {"rule_id": "bad_field", "event_type": "page_view", "match_field": "referrer",
                              "operator": "eq", "value": "x", "points": 1, "category": "passive",
                              "description": "d"}, "match_field 'referrer'"),
    ],
    ids=["unknown-operator", "non-numeric-points", "duplicate-rule-id", "bad-regex", "between-one-bound",
         "unknown-match-field"],
)
def test_a_faulty_grid_row_stops_the_build_naming_seed_rule_and_problem(
    faulty_grids: tuple[Path, Path], seed: str, bad_row: dict[str, object], problem: str
) -> None:
    project, warehouse = faulty_grids
    grid = project / "seeds" / f"{seed}.csv"
    original = grid.read_text(encoding="utf-8")
    if seed == "fit_rules":
        write_csv(grid, [GOOD_FIT_RULE, bad_row], FIT_HEADER)
    else:
        with open(grid, "a", encoding="utf-8") as handle:
            handle.write(",".join(str(bad_row.get(column, "")) for column in original.splitlines()[0]
                                  .split(",")) + "\n")
    try:
        with pytest.raises(LeadscoreError) as failure:
            # only the grid: its validation is the seed's own post-hook, whatever else the build runs
            build(warehouse, as_of="2024-07-01T00:00:00Z", project_dir=project, select=seed)
    finally:
        grid.write_text(original, encoding="utf-8")
    message = str(failure.value)
    assert f"seed {seed}" in message
    assert f"rule {bad_row['rule_id']}" in message
    assert problem in message
    assert "\n" not in message


def test_an_unknown_var_value_stops_the_build(tmp_path: Path) -> None:
    with pytest.raises(LeadscoreError, match="var recycle_mode must be one of reset, keep, got: forget"):
        build(warehouse_with_contacts(tmp_path / "w.duckdb"), as_of="2024-07-01T00:00:00Z",
              vars_yaml="{recycle_mode: forget}")


@pytest.mark.shipped_defaults
@pytest.mark.parametrize("grid_var", ["scoring_grid", "challenger_grid"])
def test_an_unknown_grid_stops_the_build_naming_the_var_and_the_grids(tmp_path: Path, grid_var: str) -> None:
    """The grids are read from the project: a third grid added as the README says is listed, one
    whose row in seeds/scoring_grids.csv is missing is not (and asking for it says what it lacks)."""
    project = copy_project(tmp_path / "project")
    for kind in ("fit_rules", "engagement_rules"):
        for grid in ("b2b_services", "half_added"):
            shutil.copy(project / "seeds" / f"{kind}.csv", project / "seeds" / "grids" / f"{kind}__{grid}.csv")
    with open(project / "seeds" / "scoring_grids.csv", "a", encoding="utf-8") as handle:
        handle.write("b2b_services,30,-5,B2B services\n")

    with pytest.raises(LeadscoreError) as failure:
        build(tmp_path / "w.duckdb", as_of="2024-07-01T00:00:00Z", project_dir=project,
              vars_yaml=f"{{{grid_var}: b2b_servics}}")
    message = str(failure.value)
    assert message.startswith(f"var {grid_var} must be one of b2b_saas, b2b_services, b2c_ecommerce, ")
    assert message.endswith("got: b2b_servics (from --vars)")
    assert "half_added" not in message
    assert "\n" not in message

    with pytest.raises(LeadscoreError, match=f"var {grid_var}: the grid half_added lacks a row in "
                                             r"seeds/scoring_grids.csv .*; the grids are b2b_saas, b2b_services"):
        build(tmp_path / "w.duckdb", as_of="2024-07-01T00:00:00Z", project_dir=project,
              vars_yaml=f"{{{grid_var}: Half_Added}}")


def test_a_grid_dropped_in_seeds_grids_builds_without_registering_it(tmp_path: Path) -> None:
    """A grid is two files in seeds/grids and a row of seeds/scoring_grids.csv: nothing to add to
    dbt_project.yml, and an engagement grid of its header alone (no engagement rule) loads as text and
    validates instead of failing on an inferred integer column."""
    project = copy_project(tmp_path / "project")
    grids = project / "seeds" / "grids"
    write_csv(grids / "fit_rules__fit_only.csv", [
        {"rule_id": "fit_fr", "rule_group": "country", "attribute": "country", "operator": "eq", "value": "FR",
         "points": 9, "priority": 1, "description": "France"}],
        ["rule_id", "rule_group", "attribute", "operator", "value", "points", "priority", "description"])
    with open(project / "seeds" / "engagement_rules.csv", encoding="utf-8") as handle:
        (grids / "engagement_rules__fit_only.csv").write_text(handle.readline(), encoding="utf-8")
    with open(project / "seeds" / "scoring_grids.csv", "a", encoding="utf-8") as handle:
        handle.write("fit_only,30,0,Fit only\n")
    assert "fit_only" not in (project / "dbt_project.yml").read_text()
    raw = tmp_path / "raw"
    write_csv(raw / "contacts.csv", [{"contact_id": "fr", "created_at": "2024-01-01", "country": "FR"},
                                     {"contact_id": "de", "created_at": "2024-01-01", "country": "DE"}])
    write_csv(raw / "events.csv", [{"event_id": "e1", "contact_id": "fr", "event_type": "page_view",
                                    "occurred_at": "2024-06-30T10:00:00Z", "url": "/pricing"}])
    scores = build_scores(project, raw, tmp_path / "w.duckdb", AS_OF, vars_yaml="{scoring_grid: fit_only}")
    assert (scores["fr"]["fit_score"], scores["fr"]["engagement_score"]) == (9, 0)
    assert (scores["de"]["fit_score"], scores["de"]["engagement_score"]) == (0, 0)


def test_custom_contact_and_account_columns_score_without_sql(tmp_path: Path) -> None:
    """Extra columns of the contact and account files, named in a fit rule, just work."""
    project = copy_project(tmp_path / "project", {"fit_rules": [
        {"rule_id": "speaks_french", "attribute": "preferred_language", "operator": "eq", "value": "fr",
         "points": 7, "priority": 1, "description": "Speaks French"},
        {"rule_id": "enterprise_account", "attribute": "account_segment", "operator": "in",
         "value": "enterprise|strategic", "points": 11, "priority": 1, "description": "Enterprise account"},
    ]})
    raw = tmp_path / "raw"
    write_csv(raw / "accounts.csv", [{"account_id": "A1", "name": "Big", "Segment": "Enterprise"},
                                     {"account_id": "A2", "name": "Small", "Segment": "smb"}])
    write_csv(raw / "contacts.csv", [
        {"contact_id": "both", "created_at": "2024-01-01", "account_id": "A1", "Preferred_Language": "FR"},
        {"contact_id": "neither", "created_at": "2024-01-01", "account_id": "A2", "Preferred_Language": "en"},
    ])
    scores = build_scores(project, raw, tmp_path / "w.duckdb", AS_OF)
    assert scores["both"]["fit_score"] == 18
    assert scores["neither"]["fit_score"] == 0


@pytest.mark.shipped_defaults
def test_b2c_grid_is_one_var_away(tmp_path: Path) -> None:
    """scoring_grid b2c_ecommerce: each of its seven rules of the guide scores its points, read from
    the breakdown. "First purchase" is the purchase rule capped at 30 points (a second purchase adds
    nothing); "cart abandoned for 24 h" is the cart_abandoned event an e-commerce platform sends."""
    raw = tmp_path / "raw"
    write_csv(raw / "contacts.csv", [
        {"contact_id": "shopper", "created_at": "2024-01-01", "email": "s@shop.fr", "country": "France",
         "has_marketing_consent": "true"},
        {"contact_id": "sleeper", "created_at": "2024-01-01", "email": "z@shop.fr", "country": "France",
         "has_marketing_consent": "true"},
    ])
    write_csv(raw / "events.csv", [
        {"event_id": "p1", "contact_id": "shopper", "event_type": "purchase", "occurred_at": "2024-06-30T00:00:00Z"},
        {"event_id": "p2", "contact_id": "shopper", "event_type": "purchase", "occurred_at": "2024-06-30T12:00:00Z"},
        {"event_id": "c1", "contact_id": "shopper", "event_type": "add_to_cart", "occurred_at": "2024-06-30T00:00:00Z"},
        {"event_id": "a1", "contact_id": "shopper", "event_type": "cart_abandoned",
         "occurred_at": "2024-06-29T00:00:00Z"},
        {"event_id": "v1", "contact_id": "shopper", "event_type": "page_view",
         "url": "https://shop.example/new-arrivals/summer", "occurred_at": "2024-06-28T00:00:00Z"},
        {"event_id": "v2", "contact_id": "shopper", "event_type": "page_view", "url": "https://shop.example/sale",
         "occurred_at": "2024-06-28T00:01:00Z"},
        {"event_id": "k1", "contact_id": "shopper", "event_type": "email_click", "campaign": "promo-summer-2024",
         "occurred_at": "2024-06-27T00:00:00Z"},
        {"event_id": "k2", "contact_id": "shopper", "event_type": "email_click", "campaign": "newsletter-june",
         "occurred_at": "2024-06-27T01:00:00Z"},
        {"event_id": "n1", "contact_id": "sleeper", "event_type": "newsletter_subscribed",
         "occurred_at": "2024-03-01T00:00:00Z"},
    ])
    db_path = tmp_path / "w.duckdb"
    scores = build_scores(Path(__file__).resolve().parents[2], raw, db_path, AS_OF,
                          vars_yaml="{scoring_grid: b2c_ecommerce, decay_method: none}")
    contributions = read_rows(db_path, """
        select contact_id || '/' || rule_id, occurrences, raw_points, points from main.lead_score_breakdown
        where dimension in ('engagement', 'penalty')""")
    points = {key: row["points"] for key, row in contributions.items()}
    assert points == {
        "shopper/b2c_first_purchase": 30,  # two purchases, 60 raw points, capped at 30
        "shopper/b2c_add_to_cart": 15,
        "shopper/b2c_cart_abandoned": 20,
        "shopper/b2c_new_arrivals": 5,  # the sale page matches no rule
        "shopper/b2c_promo_click": 5,  # the newsletter's click matches no rule
        "sleeper/b2c_newsletter": 10,
        "sleeper/inactivity": -25,  # its only event is 122 days old
    }
    first_purchase = contributions["shopper/b2c_first_purchase"]
    assert (first_purchase["occurrences"], first_purchase["raw_points"]) == (2, 60)
    shopper, sleeper = scores["shopper"], scores["sleeper"]
    assert shopper["engagement_score"] == 30 + 15 + 20 + 5 + 5
    assert shopper["fit_score"] == 5 + 5  # consent, served country
    assert sleeper["engagement_score"] == 10 - 25  # newsletter, then 90 days of silence
    assert "No engagement in the last 90 days (-25)" in sleeper["score_reasons"]


@pytest.mark.shipped_defaults
def test_every_feature_on_keeps_the_breakdown_adding_up(tmp_path: Path) -> None:
    """Generated data with caps, bot filter, recycling, penalties, top-percent MQLs and clamping:
    the build's own data tests (the breakdown adds up) pass, and each feature left a trace."""
    generate(out_dir=tmp_path / "raw", contacts=600, days=120, seed=11, end_date="2024-06-30")
    db_path = tmp_path / "w.duckdb"
    load_directory(db_path, tmp_path / "raw")
    build(db_path, as_of="2024-07-01T00:00:00Z", vars_yaml=(
        "{engagement_cap: 120, engagement_cap_unlock_rules: [eng_webinar_attended], bot_filter: true,"
        " recycle_mode: reset, mql_top_percent: 10, lead_score_min: -50, lead_score_max: 150,"
        " inactivity_days: 20}"
    ))
    [traces] = read_rows(db_path, """
        select
            'all' as k,
            (select count(*) from main.lead_score_breakdown where rule_id = 'inactivity') as inactive,
            (select count(*) from main.lead_score_breakdown where rule_id = 'engagement_cap') as capped,
            (select sum(bot_clicks) from main.bot_clicks_filtered) as bot_clicks,
            (select count(*) from main.lead_scores where is_mql) as mqls,
            (select count(*) from main.lead_scores) as contacts,
            (select min(lead_score) from main.lead_scores) as lowest,
            (select max(lead_score) from main.lead_scores) as highest,
            (select max(engagement_score) from main.lead_scores as s
             where not exists (select 1 from main.int_engagement_events_scored as e
                               where e.contact_id = s.contact_id and e.rule_id = 'eng_webinar_attended'))
                as highest_locked_engagement
    """).values()
    assert traces["inactive"] > 0
    assert traces["capped"] > 0
    assert traces["highest_locked_engagement"] <= 120 + 1e-9
    assert traces["bot_clicks"] > 0
    assert 0 < traces["mqls"] <= 0.15 * traces["contacts"]
    assert traces["lowest"] >= -50
    assert traces["highest"] <= 150
