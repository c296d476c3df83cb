"""Segment and RudderStack warehouse tables end to end (issue 16, docs/sources/segment.md): one build
with the raw system as the CRM and both trackers' tables as their destinations write them (RudderStack
without a screens table). Pages are page views with their url, a track name becomes its event type (a
seed row, else the name in snake case), properties are readable by rules, timestamps with an offset are
UTC, the email trait on a track reaches the contact, and a mapping naming a missing column stops the
build with one line naming the seed row."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest

from leadscore.build import build
from leadscore.errors import LeadscoreError
from leadscore.load import load_directory
from tracker_tables import call, create_tracker_tables
from worked_examples import copy_project, read_rows, write_csv

AS_OF = "2024-06-30T00:00:00Z"
VARS_YAML = "{source_systems: [raw, segment, rudderstack], decay_method: none}"

FIT_RULES = [{"rule_id": "f_nobody", "rule_group": "f_nobody", "attribute": "country", "operator": "eq",
              "value": "atlantis", "points": 1, "priority": 1, "description": "Nobody"}]
ENGAGEMENT_RULES = [
    {"rule_id": "e_page", "event_type": "page_view", "points": 1, "category": "passive", "description": "Page view"},
    {"rule_id": "e_pricing", "event_type": "page_view", "match_field": "url", "operator": "contains",
     "value": "/pricing", "points": 20, "category": "active", "description": "Pricing page"},
    {"rule_id": "e_screen", "event_type": "screen_view", "match_field": "url", "operator": "eq",
     "value": "Checkout", "points": 7, "category": "active", "description": "Checkout screen"},
    {"rule_id": "e_webinar", "event_type": "webinar_registered", "points": 10, "category": "passive",
     "description": "Webinar registered"},
    {"rule_id": "e_enterprise", "event_type": "trial_started", "match_field": "properties.plan", "operator": "eq",
     "value": "enterprise", "points": 30, "category": "active", "description": "Enterprise trial"},
]
MAPPINGS = [
    {"system": system, "source_table": "pages", "event_type": "page_view", "url_field": "url", "description": "pages"}
    for system in ("segment", "rudderstack")
] + [
    {"system": "segment", "source_table": "screens", "event_type": "screen_view", "url_field": "name",
     "description": "screens"},
    {"system": "segment", "source_table": "tracks", "source_type": "Trial Started", "event_type": "trial_started",
     "campaign_field": "context_campaign_name", "description": "trials"},
    {"system": "rudderstack", "source_table": "tracks", "source_type": "Trial Started",
     "event_type": "trial_started", "description": "trials"},
]
EXCLUSIONS = [{"node_type": "", "value_pattern": "(undefined)", "reason": "placeholder"}]
CONTACTS = [
    {"contact_id": "c_seg", "email": "sam@acme.io", "created_at": "2024-05-01T00:00:00Z"},
    {"contact_id": "c_rud", "email": "rita@acme.io", "created_at": "2024-05-01T00:00:00Z"},
]
SEGMENT = {
    "pages": [
        call("p1", "2024-06-10T12:00:00+02:00", anonymous_id="s1", url="https://acme.io/pricing", path="/pricing"),
        call("p2", "2024-06-11T12:00:00Z", anonymous_id="s1", url="https://acme.io/docs", path="/docs"),
    ],
    "tracks": [
        # the email trait in context, no identify call: one hop to the contact
        call("t1", "2024-06-12T09:00:00Z", anonymous_id="s1", context_traits_email="SAM@acme.io",
             event="webinar_registered", event_text="Webinar Registered"),
        call("t2", "2024-06-13T09:00:00Z", anonymous_id="s1", event="trial_started", event_text="Trial Started",
             plan="enterprise", context_campaign_name="spring-trial"),
    ],
    "screens": [call("s1", "2024-06-14T09:00:00Z", anonymous_id="s1", name="Checkout")],
    "identifies": [],
}
SEGMENT_COLUMNS = {"tracks": {"context_traits_email": "VARCHAR", "plan": "VARCHAR", "context_campaign_name": "VARCHAR"}}
# RudderStack: the same tables, a web source without screen calls (no screens table at all)
RUDDERSTACK = {
    "identifies": [call("ri1", "2024-06-01T00:00:00Z", anonymous_id="r1", user_id="rita-42",
                        email="rita@acme.io")],
    "pages": [call("rp1", "2024-06-02T00:00:00Z", anonymous_id="r1", url="https://acme.io/pricing/teams")],
    "tracks": [call("rt1", "2024-06-03T00:00:00Z", user_id="rita-42", event="trial_started",
                    event_text="Trial Started", plan="team")],
}
RUDDERSTACK_COLUMNS = {"tracks": {"plan": "VARCHAR"}}


def warehouse(root: Path, mappings: list[dict[str, object]]) -> tuple[Path, Path]:
    project = copy_project(root / "project", grids={
        "fit_rules": FIT_RULES, "engagement_rules": ENGAGEMENT_RULES, "source_event_mappings": mappings,
        "identity_exclusions": EXCLUSIONS,
    })
    write_csv(root / "raw" / "contacts.csv", CONTACTS)
    db_path = root / "warehouse.duckdb"
    load_directory(db_path, root / "raw")
    create_tracker_tables(db_path, "segment", SEGMENT, SEGMENT_COLUMNS)
    create_tracker_tables(db_path, "rudderstack", RUDDERSTACK, RUDDERSTACK_COLUMNS)
    return project, db_path


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    project, db_path = warehouse(tmp_path_factory.mktemp("segment"), MAPPINGS)
    build(db_path, as_of=AS_OF, vars_yaml=VARS_YAML, project_dir=project)
    return db_path


def breakdown(db_path: Path) -> dict[str, dict[str, object]]:
    return read_rows(db_path, "select contact_id || '/' || rule_id, * from main.lead_score_breakdown"
                              " where dimension = 'engagement'")


def test_pages_are_page_views_with_their_url(built: Path) -> None:
    scored = breakdown(built)
    assert scored["c_seg/e_page"]["occurrences"] == 2
    assert scored["c_seg/e_pricing"]["occurrences"] == 1
    assert scored["c_rud/e_pricing"]["occurrences"] == 1  # RudderStack's page, through identify's email


def test_track_names_become_event_types(built: Path) -> None:
    events = read_rows(built, "select event_id, * from main.int_events")
    # no row for "Webinar Registered": its own name in snake case; "Trial Started": the seed's row
    assert events["segment:tracks:t1"]["event_type"] == "webinar_registered"
    assert events["segment:tracks:t2"]["event_type"] == "trial_started"
    assert events["segment:tracks:t2"]["campaign"] == "spring-trial"
    assert breakdown(built)["c_seg/e_webinar"]["points"] == 10


def test_properties_are_readable_by_rules(built: Path) -> None:
    scored = breakdown(built)
    assert scored["c_seg/e_enterprise"]["points"] == 30
    assert "c_rud/e_enterprise" not in scored  # plan 'team'


def test_screens_and_a_missing_screens_table(built: Path) -> None:
    assert breakdown(built)["c_seg/e_screen"]["points"] == 7
    count = read_rows(built, "select 'rows', count(*) as n from main.stg_rudderstack__events"
                             " where source_table = 'screens'")
    assert count["rows"]["n"] == 0


def test_timestamps_with_an_offset_are_utc(built: Path) -> None:
    events = read_rows(built, "select event_id, * from main.int_events")
    assert events["segment:pages:p1"]["occurred_at"] == datetime(2024, 6, 10, 10, 0, 0)
    assert events["segment:pages:p1"]["source_system"] == "segment"
    assert events["rudderstack:pages:rp1"]["contact_id"] == "c_rud"


def test_a_mapping_naming_a_missing_column_stops_the_build(tmp_path: Path) -> None:
    broken = [*MAPPINGS[:1], {"system": "segment", "source_table": "tracks", "source_type": "Trial Started",
                              "event_type": "trial_started", "url_field": "page_address", "description": "typo"}]
    project, db_path = warehouse(tmp_path, broken)
    with pytest.raises(LeadscoreError) as raised:
        build(db_path, as_of=AS_OF, vars_yaml=VARS_YAML, project_dir=project)
    message = str(raised.value)
    assert "seed source_event_mappings, row segment/tracks/trial started: url_field 'page_address'" in message
    assert "\n" not in message
