"""Identity stitching end to end (issue 16, docs/identity.md): the raw system as the CRM (contacts
loaded with `leadscore load`) plus Segment's tables as its warehouse destination writes them. An
anonymous visitor identified as a user id, the user id later seen with an email, the email a CRM
contact's (3 hops); the visitor's events before the identification count for the contact once the
link is seen, and not in a build as of an earlier instant; junk ids link nothing; two contacts on one
email are a conflict; a visitor never identified keeps their events in unresolved_profiles."""

from __future__ import annotations

from pathlib import Path

import pytest

from leadscore.build import build
from leadscore.load import load_directory
from tracker_tables import call, create_tracker_tables
from worked_examples import copy_project, query, read_rows, write_csv

EARLY_AS_OF = "2024-06-11T00:00:00Z"  # after a_ann was identified as u_ann, before u_ann was seen with ann's email
LATE_AS_OF = "2024-06-30T00:00:00Z"
VARS_YAML = "{source_systems: [raw, segment], decay_method: none}"

FIT_RULES = [{"rule_id": "f_nobody", "rule_group": "f_nobody", "attribute": "country", "operator": "eq",
              "value": "atlantis", "points": 1, "priority": 1, "description": "Nobody"}]
ENGAGEMENT_RULES = [
    {"rule_id": "e_page", "event_type": "page_view", "points": 1, "category": "passive", "description": "Page view"},
    {"rule_id": "e_pricing", "event_type": "page_view", "match_field": "url", "operator": "contains",
     "value": "/pricing", "points": 20, "category": "active", "description": "Pricing page"},
    {"rule_id": "e_demo", "event_type": "demo_requested", "points": 50, "category": "active",
     "description": "Demo requested"},
]
# the test's own mappings: a track name renamed by a row, pages as page views with their url
EVENT_MAPPINGS = [
    {"system": "segment", "source_table": "pages", "event_type": "page_view", "url_field": "url",
     "description": "page views"},
    {"system": "segment", "source_table": "tracks", "source_type": "Demo Booked", "event_type": "demo_requested",
     "description": "the team's own name for a demo request"},
]
EXCLUSIONS = [
    {"node_type": "", "value_pattern": "(undefined)", "reason": "placeholder"},
    {"node_type": "email", "value_pattern": "[^@]*@example\\.com", "reason": "documentation address"},
]

CONTACTS = [
    {"contact_id": "c_ann", "email": "ann@acme.io", "created_at": "2024-05-01T00:00:00Z"},
    {"contact_id": "c_bob", "email": "bob@acme.io", "created_at": "2024-05-01T00:00:00Z"},
    # two CRM records of one address: a conflict, the earlier first seen wins the address's visitor
    {"contact_id": "c_dup_old", "email": "shared@acme.io", "created_at": "2024-04-01T00:00:00Z"},
    {"contact_id": "c_dup_new", "email": "shared@acme.io", "created_at": "2024-05-01T00:00:00Z"},
    # an address every test sends: excluded, so the visitor who typed it stays unresolved
    {"contact_id": "c_test", "email": "test@example.com", "created_at": "2024-05-01T00:00:00Z"},
]

SEGMENT = {
    "pages": [
        # ann browses anonymously before she is identified
        call("p1", "2024-06-01T10:00:00Z", anonymous_id="a_ann", url="https://acme.io/pricing", path="/pricing"),
        call("p2", "2024-06-02T10:00:00Z", anonymous_id="a_ann", url="https://acme.io/blog", path="/blog"),
        # a visitor never identified
        call("p3", "2024-06-03T10:00:00Z", anonymous_id="a_zed", url="https://acme.io/pricing", path="/pricing"),
        call("p4", "2024-06-04T10:00:00Z", anonymous_id="a_zed", url="https://acme.io/", path="/"),
        call("p5", "2024-06-05T10:00:00Z", anonymous_id="a_shared", url="https://acme.io/", path="/"),
        call("p6", "2024-06-05T10:00:00Z", anonymous_id="a_tester", url="https://acme.io/", path="/"),
        call("p7", "2024-06-06T10:00:00Z", anonymous_id="a_bob", url="https://acme.io/", path="/"),
    ],
    "tracks": [
        call("t1", "2024-06-05T11:00:00Z", anonymous_id="a_ann", event="demo_booked", event_text="Demo Booked"),
        # a JavaScript client's placeholder anonymous id on two users' calls: it must not join them
        call("t2", "2024-06-07T11:00:00Z", anonymous_id="undefined", user_id="u_ann", event="x", event_text="X"),
        call("t3", "2024-06-07T12:00:00Z", anonymous_id="undefined", user_id="u_bob", event="x", event_text="X"),
    ],
    "identifies": [
        call("i1", "2024-06-10T00:00:00Z", anonymous_id="a_ann", user_id="u_ann"),
        call("i2", "2024-06-12T00:00:00Z", user_id="U_ANN", email=" Ann@Acme.io "),
        call("i3", "2024-06-06T09:00:00Z", anonymous_id="a_bob", user_id="u_bob", email="bob@acme.io"),
        call("i4", "2024-06-05T09:00:00Z", anonymous_id="a_shared", email="shared@acme.io"),
        call("i5", "2024-06-05T09:00:00Z", anonymous_id="a_tester", email="test@example.com"),
    ],
}

Snapshot = dict[str, object]


def snapshot(db_path: Path) -> Snapshot:
    """What the assertions read from one build."""
    return {
        "resolved": read_rows(db_path, "select node_type || ':' || node_id as node, * from main.int_identity_resolved"),
        "nodes": read_rows(db_path, "select node_key, * from main.int_identity_nodes"),
        "report": query(db_path, "select * from main.identity_report")[0],
        "report_columns": [row[0] for row in query(db_path, "select column_name from information_schema.columns "
                                                            "where table_name = 'identity_report' "
                                                            "order by ordinal_position")],
        "unresolved": read_rows(db_path, "select profile_id, * from main.unresolved_profiles"),
        "breakdown": read_rows(db_path, "select contact_id || '/' || rule_id as key, * from main.lead_score_breakdown"
                                        " where dimension = 'engagement'"),
    }


@pytest.fixture(scope="module")
def builds(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Snapshot]:
    root = tmp_path_factory.mktemp("identity")
    project = copy_project(root / "project", grids={
        "fit_rules": FIT_RULES, "engagement_rules": ENGAGEMENT_RULES,
        "source_event_mappings": EVENT_MAPPINGS, "identity_exclusions": EXCLUSIONS,
    })
    raw = root / "raw"
    write_csv(raw / "contacts.csv", CONTACTS)
    db_path = root / "warehouse.duckdb"
    load_directory(db_path, raw)
    create_tracker_tables(db_path, "segment", SEGMENT)
    found = {}
    for name, as_of in (("early", EARLY_AS_OF), ("late", LATE_AS_OF)):
        build(db_path, as_of=as_of, vars_yaml=VARS_YAML, project_dir=project, publish_backfill=True)
        found[name] = snapshot(db_path)
    return found


def report(found: Snapshot) -> dict[str, object]:
    return dict(zip(found["report_columns"], found["report"], strict=True))  # type: ignore[arg-type]


def test_three_hops_resolve_an_anonymous_visitor_to_the_contact(builds: dict[str, Snapshot]) -> None:
    resolved = builds["late"]["resolved"]
    # a_ann -> u_ann (identify) -> ann@acme.io (identify, case and spaces as sent) -> c_ann (the CRM)
    for node in ("anonymous_id:a_ann", "user_id:u_ann", "email:ann@acme.io"):
        assert resolved[node]["contact_id"] == "c_ann", node
    assert resolved["anonymous_id:a_ann"]["linked_at"].isoformat() == "2024-06-12T00:00:00"


def test_events_before_the_identification_count_once_linked(builds: dict[str, Snapshot]) -> None:
    breakdown = builds["late"]["breakdown"]
    # both anonymous page views (June 1st and 2nd) and the demo of June 5th, identified on June 12th
    assert breakdown["c_ann/e_page"]["occurrences"] == 2
    assert breakdown["c_ann/e_pricing"]["occurrences"] == 1
    assert breakdown["c_ann/e_demo"]["points"] == 50


def test_a_build_as_of_before_the_link_does_not_use_it(builds: dict[str, Snapshot]) -> None:
    early = builds["early"]
    assert early["resolved"]["anonymous_id:a_ann"]["contact_id"] is None
    assert "email:ann@acme.io" in early["resolved"] and "user_id:u_ann" in early["resolved"]
    assert not [key for key in early["breakdown"] if key.startswith("c_ann/")]
    # until then ann's browsing is an unresolved profile with its events: two pages and the demo of
    # a_ann, and the track of u_ann (sent with the placeholder anonymous id)
    profile = early["resolved"]["anonymous_id:a_ann"]["component_id"]
    assert early["unresolved"][profile]["event_count"] == 4
    assert profile not in builds["late"]["unresolved"]


def test_junk_ids_link_nothing(builds: dict[str, Snapshot]) -> None:
    late = builds["late"]
    assert late["nodes"]["anonymous_id:undefined"]["is_excluded"] is True
    assert "anonymous_id:undefined" not in late["resolved"]
    # without the exclusion the placeholder would have joined ann's and bob's user ids
    assert late["resolved"]["user_id:u_bob"]["contact_id"] == "c_bob"
    assert late["resolved"]["user_id:u_ann"]["contact_id"] == "c_ann"
    # the documentation address links neither its CRM record nor the visitor who typed it
    assert late["nodes"]["email:test@example.com"]["is_excluded"] is True
    assert late["resolved"]["anonymous_id:a_tester"]["contact_id"] is None
    assert report(late)["ids_excluded"] == 2


def test_an_unresolved_profile_keeps_its_events(builds: dict[str, Snapshot]) -> None:
    late = builds["late"]
    zed = late["unresolved"]["anonymous_id:a_zed"]
    assert (zed["event_count"], zed["anonymous_id"]) == (2, "a_zed")
    assert report(late)["unresolved_events"] == sum(row["event_count"] for row in late["unresolved"].values())


def test_a_conflict_is_counted_and_resolved_to_the_earliest_contact(builds: dict[str, Snapshot]) -> None:
    late = builds["late"]
    assert late["resolved"]["anonymous_id:a_shared"]["contact_id"] == "c_dup_old"
    assert late["resolved"]["contact:c_dup_new"]["contact_id"] == "c_dup_new"  # a CRM record keeps its own id
    assert late["breakdown"]["c_dup_old/e_page"]["occurrences"] == 1
    assert "c_dup_new/e_page" not in late["breakdown"]
    assert (report(late)["conflicts"], report(late)["contacts_in_conflicts"]) == (1, 2)


def test_the_iterations_to_the_fixed_point_are_reported(builds: dict[str, Snapshot]) -> None:
    late = report(builds["late"])
    # c_ann's label travels c_ann -> email -> u_ann -> a_ann: three rounds change it, the fourth nothing
    assert (late["iterations"], late["is_fixed_point_reached"]) == (3, True)
    early = report(builds["early"])
    assert early["iterations"] < late["iterations"] or early["profiles_resolved"] < late["profiles_resolved"]


def test_a_track_name_is_mapped_by_the_seed_and_scored(builds: dict[str, Snapshot]) -> None:
    # "Demo Booked" is the team's row of source_event_mappings: demo_requested, worth 50 by rule e_demo
    assert builds["late"]["breakdown"]["c_ann/e_demo"]["occurrences"] == 1
