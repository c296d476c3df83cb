"""Salesforce as Fivetran writes it (source_systems: [salesforce]): a warehouse holding only the
connector's tables (tests/python/salesforce_fixture.py) builds and scores. A converted lead is scored once,
as its contact, with the lead's campaign response and calls; deleted leads are not leads; merged records'
activity goes to their master; a custom field is a fit attribute; tasks are typed by the mappings seed;
the won opportunity reaches the canonical layer."""

from __future__ import annotations

from pathlib import Path

import pytest

import salesforce_fixture as sf
from leadscore.build import build
from leadscore.errors import LeadscoreError
from worked_examples import copy_project, query

AS_OF = "2024-07-01T00:00:00Z"

CARLA_LEAD, OTTO_LEAD, DORA_LEAD, OTTO_MERGED_LEAD = (
    "00Q000000000001AAA", "00Q000000000002AAA", "00Q000000000003AAA", "00Q000000000004AAA",
)
CARLA, MIKE, MIKE_MERGED = "003000000000001AAA", "003000000000002AAA", "003000000000003AAA"
WON_OPPORTUNITY, OPEN_OPPORTUNITY, DELETED_OPPORTUNITY = (
    "006000000000001AAA", "006000000000002AAA", "006000000000003AAA",
)

# The test's own grid and mappings (never the seeds a team edits).
FIT_RULES = [
    {"rule_id": "sf_budget_high", "rule_group": "", "attribute": "budget_c", "operator": "eq", "value": "high",
     "points": "12", "priority": "1", "description": "Budget (custom field Budget__c) is high"},
]
ENGAGEMENT_RULES = [
    {"rule_id": "sf_webinar", "event_type": "webinar_attended", "points": "10", "category": "active",
     "description": "Attended a webinar"},
    {"rule_id": "sf_response", "event_type": "campaign_response", "points": "5", "category": "active",
     "description": "Responded to a campaign"},
    {"rule_id": "sf_ebook", "event_type": "campaign_response", "match_field": "campaign", "operator": "contains",
     "value": "Ebook", "points": "2", "category": "active", "description": "Responded to an ebook campaign"},
    {"rule_id": "sf_call", "event_type": "sales_call", "points": "7", "category": "active",
     "description": "Call logged by sales"},
    {"rule_id": "sf_email", "event_type": "sales_email", "points": "3", "category": "passive",
     "description": "Email logged by sales"},
    {"rule_id": "sf_meeting", "event_type": "meeting", "points": "8", "category": "active",
     "description": "Meeting"},
]
EVENT_MAPPINGS = [
    {"system": "salesforce", "source_table": "campaign_member", "source_type": "webinar",
     "event_type": "webinar_attended", "campaign_field": "campaign_name", "description": "Webinar response"},
    {"system": "salesforce", "source_table": "campaign_member", "source_type": "", "event_type": "campaign_response",
     "campaign_field": "campaign_name", "description": "Any other campaign response"},
    {"system": "salesforce", "source_table": "task", "source_type": "call", "event_type": "sales_call",
     "asset_field": "subject", "description": "Logged call"},
    {"system": "salesforce", "source_table": "task", "source_type": "email", "event_type": "sales_email",
     "asset_field": "subject", "description": "Logged email"},
    {"system": "salesforce", "source_table": "event", "source_type": "", "event_type": "meeting",
     "asset_field": "subject", "description": "Calendar event"},
]


@pytest.fixture(scope="module")
def warehouse(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One build, as of AS_OF without decay, of a warehouse holding only Salesforce's tables."""
    root = tmp_path_factory.mktemp("salesforce")
    project = copy_project(root / "project", grids={
        "fit_rules": FIT_RULES, "engagement_rules": ENGAGEMENT_RULES, "source_event_mappings": EVENT_MAPPINGS,
    })
    db_path = root / "warehouse.duckdb"
    sf.write_salesforce_tables(db_path)
    build(db_path, as_of=AS_OF, project_dir=project,
          vars_yaml="{source_systems: [salesforce], decay_method: none, inactivity_points: 0}")
    return db_path


def occurrences(db_path: Path, contact_id: str) -> dict[str, int]:
    return {
        str(rule_id): int(str(count)) for rule_id, count in query(db_path, """
            select rule_id, sum(occurrences) from main.lead_score_breakdown
            where contact_id = ? and dimension in ('fit', 'engagement')
            group by rule_id
        """, [contact_id])
    }


def test_the_live_people_are_the_leads(warehouse: Path) -> None:
    scored = {row[0] for row in query(warehouse, "select contact_id from main.lead_scores")}
    # Carla once (her contact, not her converted lead); Otto as a lead; Mike's surviving contact
    assert scored == {CARLA, OTTO_LEAD, MIKE}
    assert not scored & {CARLA_LEAD, DORA_LEAD, OTTO_MERGED_LEAD, MIKE_MERGED}


def test_a_converted_lead_brings_its_history_to_its_contact(warehouse: Path) -> None:
    # the webinar response and the discovery call were the lead's, the email and meeting the contact's
    assert occurrences(warehouse, CARLA) == {"sf_webinar": 1, "sf_call": 1, "sf_email": 1, "sf_meeting": 1}
    [(email, company, created_at)] = query(warehouse, """
        select email, company_name, cast(created_at as varchar) from main.int_contacts where contact_id = ?
    """, [CARLA])
    assert (email, company) == ("carla@acme.example", "Acme Corp")
    assert created_at.startswith("2024-05-01")  # known since the lead was created


def test_a_merged_record_counts_for_its_master(warehouse: Path) -> None:
    otto = occurrences(warehouse, OTTO_LEAD)
    # the merged lead's ebook response; Otto's own call; his "Other" task maps to nothing
    assert otto.get("sf_response") == 1 and otto.get("sf_ebook") == 1
    assert otto.get("sf_call") == 1
    assert occurrences(warehouse, MIKE) == {"sf_call": 1}  # the call logged on Mike's merged record


def test_deleted_records_are_not_scored(warehouse: Path) -> None:
    event_ids = {row[0] for row in query(warehouse, "select event_id from main.int_events")}
    # Dora's response and call, and a deleted task of Otto's
    assert not event_ids & {"00v000000000002AAA", "00T000000000005AAA", "00T000000000008AAA"}
    opportunities = {row[0] for row in query(warehouse, "select opportunity_id from main.int_opportunities")}
    assert DELETED_OPPORTUNITY not in opportunities


def test_tasks_are_typed_by_the_mappings_seed(warehouse: Path) -> None:
    types = dict(query(warehouse, """
        select event_id, event_type from main.int_events where event_id like '00T%' or event_id like '00U%'
    """))
    assert types == {
        "00T000000000001AAA": "sales_call", "00T000000000002AAA": "sales_email",
        "00T000000000004AAA": "sales_call", "00T000000000006AAA": "sales_call", "00U000000000001AAA": "meeting",
    }  # the open to-do (not closed) and the "Other" task are not events


def test_a_custom_field_is_a_fit_attribute(warehouse: Path) -> None:
    fit = dict(query(warehouse, "select contact_id, fit_score from main.lead_scores"))
    # budget_c: Otto's lead says high, Carla's contact low (her lead's high is the lead's, not hers)
    assert fit[OTTO_LEAD] == pytest.approx(12)
    assert fit[CARLA] == pytest.approx(0)
    assert occurrences(warehouse, OTTO_LEAD).get("sf_budget_high") == 1


def test_the_lead_status_is_the_current_one(warehouse: Path) -> None:
    statuses = dict(query(warehouse, "select contact_id, lead_status from main.lead_scores"))
    assert statuses[OTTO_LEAD] == "working - contacted"
    assert statuses[CARLA] == "closed - converted"


def test_opportunities_reach_their_contacts(warehouse: Path) -> None:
    rows = {row[0]: row[1:] for row in query(warehouse, """
        select opportunity_id, contact_id, is_won, is_closed, amount from main.int_opportunities
    """)}
    # the won one through the lead converted into it, the open one through a role on Mike's merged record
    assert rows[WON_OPPORTUNITY] == (CARLA, True, True, 48000.0)
    assert rows[OPEN_OPPORTUNITY] == (MIKE, False, False, 12000.0)


def test_identity_edges_link_contacts_and_their_emails(warehouse: Path) -> None:
    edges = set(query(warehouse, """
        select left_id, right_id from main.stg_salesforce__identity_edges where left_type = 'contact'
            and right_type = 'email'
    """))
    assert (CARLA, "carla@acme.example") in edges
    assert (OTTO_LEAD, "o.open@beta.example") in edges  # the merged lead's address
    assert not any(email == "dora@gamma.example" for _, email in edges)


def test_a_mapping_naming_a_missing_field_stops_the_build(tmp_path: Path) -> None:
    mappings = [
        {**row, "asset_field": "call_notes"} if row["source_table"] == "task" and row["source_type"] == "call" else row
        for row in EVENT_MAPPINGS
    ]
    project = copy_project(tmp_path / "project", grids={
        "fit_rules": FIT_RULES, "engagement_rules": ENGAGEMENT_RULES, "source_event_mappings": mappings,
    })
    db_path = tmp_path / "warehouse.duckdb"
    sf.write_salesforce_tables(db_path)
    with pytest.raises(LeadscoreError) as failure:
        build(db_path, as_of=AS_OF, project_dir=project, vars_yaml="{source_systems: [salesforce]}")
    message = str(failure.value)
    assert "\n" not in message
    assert "asset_field 'call_notes' of salesforce / task is not a column" in message
    assert not query(db_path, "select * from information_schema.tables where table_name = 'lead_scores'")


def test_a_connection_syncing_only_leads_and_campaign_members_builds(tmp_path: Path) -> None:
    """The tables a connection did not sync read as no rows: leads alone are scored, with their responses."""
    project = copy_project(tmp_path / "project", grids={
        "fit_rules": FIT_RULES, "engagement_rules": ENGAGEMENT_RULES, "source_event_mappings": EVENT_MAPPINGS,
    })
    db_path = tmp_path / "warehouse.duckdb"
    sf.write_salesforce_tables(db_path, tables=["lead", "campaign_member"])
    build(db_path, as_of=AS_OF, project_dir=project,
          vars_yaml="{source_systems: [salesforce], decay_method: none, inactivity_points: 0}")
    scored = {row[0] for row in query(db_path, "select contact_id from main.lead_scores")}
    # Otto, an unconverted lead; Carla's lead was converted into a contact the warehouse does not hold
    assert scored == {OTTO_LEAD}
    # the merged lead's response, typed by the catch-all row (no campaign table: no campaign name, no ebook)
    assert occurrences(db_path, OTTO_LEAD) == {"sf_budget_high": 1, "sf_response": 1}
