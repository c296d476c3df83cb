"""The HubSpot adapter (source_systems: [hubspot]) on a warehouse holding only Fivetran's HubSpot tables
(tests/python/hubspot_fixture.py): one build with the test's own grid and event mappings, then the
public tables say that a custom property scores through a fit rule, a merged contact is no lead and its
activity scores on its survivor, a deleted contact and HubSpot's filtered events are not scored, an
address two contacts share counts its event once, a click's url matches a url rule, the mapping seed
decides the event types, and a won deal is an opportunity. A second build, of a warehouse holding only
contact, email_event and email_event_open, scores the same leads and counts the opens (a table the
connection did not sync reads as no rows)."""

from __future__ import annotations

from pathlib import Path

import pytest

import hubspot_fixture as hubspot
from leadscore.build import build
from leadscore.errors import LeadscoreError
from leadscore.serving import serving_path_for
from worked_examples import copy_project, query

AS_OF = "2024-07-01T00:00:00Z"

# The test's own grid: no default rule is read, so each contribution below is one of these.
FIT_RULES: list[dict[str, object]] = [
    {"rule_id": "team_enterprise_tier", "attribute": "plan_tier", "operator": "eq", "value": "enterprise",
     "points": 30, "priority": 1, "description": "Enterprise plan (HubSpot property plan_tier)"},
    {"rule_id": "team_many_page_views", "attribute": "hs_analytics_num_page_views", "operator": "gte",
     "value": "40", "points": 5, "priority": 1, "description": "Many page views (HubSpot analytics)"},
]
ENGAGEMENT_RULES: list[dict[str, object]] = [
    {"rule_id": "team_any_click", "event_type": "email_click", "points": 3, "category": "passive",
     "description": "Email click"},
    {"rule_id": "team_pricing_click", "event_type": "email_click", "match_field": "url", "operator": "contains",
     "value": "/pricing", "points": 20, "category": "active", "description": "Clicked through to pricing"},
    {"rule_id": "team_open", "event_type": "email_open", "points": 2, "category": "passive",
     "description": "Email open"},
    {"rule_id": "team_demo_form", "event_type": "form_submit", "match_field": "asset", "operator": "contains",
     "value": "demo", "points": 50, "category": "active", "description": "Demo form"},
    {"rule_id": "team_sales_meeting", "event_type": "sales_meeting", "points": 15, "category": "active",
     "description": "Meeting with sales"},
    {"rule_id": "team_unsubscribed", "event_type": "unsubscribed", "points": -10, "category": "negative",
     "description": "Unsubscribed"},
]
# The team's mappings: meetings renamed sales_meeting (the shipped seed says meeting_booked).
EVENT_MAPPINGS: list[dict[str, object]] = [
    {"system": "hubspot", "source_table": table, "source_type": source_type, "event_type": event_type,
     "url_field": url, "asset_field": asset, "campaign_field": campaign, "description": "test mapping"}
    for table, source_type, event_type, url, asset, campaign in [
        ("email_event_open", "", "email_open", "", "", "email_campaign_id"),
        ("email_event_click", "", "email_click", "url", "", "email_campaign_id"),
        ("email_event_status_change", "unsubscribed", "unsubscribed", "", "", ""),
        ("contact_form_submission", "", "form_submit", "page_url", "title", "form_id"),
        ("engagement_meeting", "", "sales_meeting", "", "property_hs_meeting_title", ""),
    ]
]


@pytest.fixture(scope="module")
def hubspot_build(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    root = tmp_path_factory.mktemp("source_hubspot")
    project = copy_project(root / "project", grids={
        "fit_rules": FIT_RULES, "engagement_rules": ENGAGEMENT_RULES, "source_event_mappings": EVENT_MAPPINGS,
    })
    db_path = root / "warehouse.duckdb"
    hubspot.write_hubspot_tables(db_path)
    build(db_path, as_of=AS_OF, project_dir=project, vars_yaml="{source_systems: [hubspot]}")
    return {"db": db_path, "serving": serving_path_for(db_path)}


def contributions(build_paths: dict[str, Path]) -> dict[tuple[str, str], int]:
    """(contact_id, rule_id) -> occurrences, from the published breakdown."""
    rows = query(build_paths["serving"], "select contact_id, rule_id, occurrences from main.lead_score_breakdown")
    return {(str(contact), str(rule)): int(occurrences) for contact, rule, occurrences in rows}


def test_only_live_unmerged_contacts_are_leads(hubspot_build: dict[str, Path]) -> None:
    leads = {str(contact) for (contact,) in query(hubspot_build["serving"], "select contact_id from main.lead_scores")}
    expected = {hubspot.SURVIVOR, hubspot.SHARED_FIRST, hubspot.SHARED_SECOND, hubspot.ENTERPRISE, hubspot.PLAIN}
    assert leads == {str(contact) for contact in expected}
    assert str(hubspot.MERGED) not in leads and str(hubspot.DELETED) not in leads


def test_a_custom_property_scores_through_a_fit_rule(hubspot_build: dict[str, Path]) -> None:
    scored = contributions(hubspot_build)
    assert scored[(str(hubspot.ENTERPRISE), "team_enterprise_tier")] == 1
    assert scored[(str(hubspot.ENTERPRISE), "team_many_page_views")] == 1
    assert (str(hubspot.PLAIN), "team_enterprise_tier") not in scored  # plan_tier starter
    [(fit,)] = query(hubspot_build["serving"], "select fit_score from main.lead_scores where contact_id = ?",
                     [str(hubspot.ENTERPRISE)])
    assert fit == 35


def test_a_merged_contacts_activity_scores_on_its_survivor(hubspot_build: dict[str, Path]) -> None:
    scored = contributions(hubspot_build)
    survivor = str(hubspot.SURVIVOR)
    # the click sent to the merged contact's address, and its demo form
    assert scored[(survivor, "team_pricing_click")] == 1
    assert scored[(survivor, "team_demo_form")] == 1
    # the meeting associated with both the survivor and the merged contact counts once
    assert scored[(survivor, "team_sales_meeting")] == 1
    assert not [key for key in scored if key[0] == str(hubspot.MERGED)]


def test_a_deleted_contacts_activity_is_not_scored(hubspot_build: dict[str, Path]) -> None:
    scored = contributions(hubspot_build)
    # its demo form and its open went nowhere: only the survivor's form and the shared open score
    forms = {contact for (contact, rule) in scored if rule == "team_demo_form"}
    assert forms == {str(hubspot.SURVIVOR)}
    assert not [key for key in scored if key[0] == str(hubspot.DELETED)]


def test_a_filtered_email_event_is_not_scored(hubspot_build: dict[str, Path]) -> None:
    scored = contributions(hubspot_build)
    plain = str(hubspot.PLAIN)
    # its filtered pricing click is left out; its blog click counts, once
    assert scored[(plain, "team_any_click")] == 1
    assert (plain, "team_pricing_click") not in scored
    assert scored[(plain, "team_unsubscribed")] == 1


def test_a_shared_address_counts_its_event_once_on_the_earliest_contact(hubspot_build: dict[str, Path]) -> None:
    scored = contributions(hubspot_build)
    opens = {contact: count for (contact, rule), count in scored.items() if rule == "team_open"}
    assert opens == {str(hubspot.SHARED_FIRST): 1}


def test_a_click_url_matches_a_url_rule(hubspot_build: dict[str, Path]) -> None:
    scored = contributions(hubspot_build)
    pricing = {contact for (contact, rule) in scored if rule == "team_pricing_click"}
    # only the survivor clicked /pricing unfiltered; the plain contact's blog click does not match
    assert pricing == {str(hubspot.SURVIVOR)}
    assert scored[(str(hubspot.SURVIVOR), "team_any_click")] == 1


def test_the_mapping_seed_names_the_event_types(hubspot_build: dict[str, Path]) -> None:
    types = {str(event_type) for (event_type,) in query(
        hubspot_build["db"], "select distinct event_type from main.int_events where source_system = 'hubspot'"
    )}
    # no delivered / bounce mapping in the team's seed, meetings under the team's name
    assert types == {"email_open", "email_click", "unsubscribed", "form_submit", "sales_meeting"}


def test_a_won_deal_is_a_won_opportunity_of_its_contact(hubspot_build: dict[str, Path]) -> None:
    rows = query(hubspot_build["db"], """
        select opportunity_id, contact_id, stage, is_won, is_closed, closed_at, amount
        from main.int_opportunities order by opportunity_id
    """)
    by_id = {str(row[0]): row[1:] for row in rows}
    won = by_id[f"9001:{hubspot.ENTERPRISE}"]
    assert won[0] == str(hubspot.ENTERPRISE) and won[1] == "closed won" and won[2] is True and won[3] is True
    assert str(won[4]).startswith("2024-06-15") and won[5] == 12000.0
    # the merged contact's open deal went to the survivor; the deleted deal is no opportunity
    assert by_id[f"9002:{hubspot.SURVIVOR}"][2:4] == (False, False)
    assert set(by_id) == {f"9001:{hubspot.ENTERPRISE}", f"9002:{hubspot.SURVIVOR}"}


def test_each_address_is_one_identity_edge_of_its_lead(hubspot_build: dict[str, Path]) -> None:
    edges = query(hubspot_build["db"], """
        select right_id, left_id from main.stg_hubspot__identity_edges
        where left_type = 'contact' and right_type = 'email'
    """)
    by_address = {str(address): str(contact) for address, contact in edges}
    assert len(edges) == len(by_address)  # one lead per address
    assert by_address["team@shared.example"] == str(hubspot.SHARED_FIRST)
    assert by_address["old.address@acme.example"] == str(hubspot.SURVIVOR)  # the merged contact's address
    assert "deleted@acme.example" not in by_address


def test_an_event_to_an_unknown_address_waits_for_the_identity_layer(hubspot_build: dict[str, Path]) -> None:
    [(contact, email)] = query(hubspot_build["db"], """
        select contact_id, email from main.stg_hubspot__events where email = 'stranger@nowhere.example'
    """)
    assert contact is None and email == "stranger@nowhere.example"
    [(canonical,)] = query(hubspot_build["db"], """
        select count(*) from main.int_events where source_system = 'hubspot' and contact_id is null
    """)
    assert canonical == 0


def test_a_mapping_naming_a_missing_column_stops_the_build_naming_the_row(
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    root = tmp_path_factory.mktemp("source_hubspot_bad_mapping")
    bad = [{**EVENT_MAPPINGS[1], "url_field": "link_url"}]  # email_event_click has url, not link_url
    project = copy_project(root / "project", grids={"source_event_mappings": bad})
    db_path = root / "warehouse.duckdb"
    hubspot.write_hubspot_tables(db_path)
    with pytest.raises(LeadscoreError) as failure:
        build(db_path, as_of=AS_OF, project_dir=project, vars_yaml="{source_systems: [hubspot]}",
              select="+stg_hubspot__events")
    message = str(failure.value)
    assert "\n" not in message
    assert "seed source_event_mappings, row hubspot/email_event_click/: url_field 'link_url' is not a column" in message
    assert "called by" not in message


# A connection syncing only contacts and marketing email (opens): no company, deal, engagement, form,
# click or status change table in the warehouse.
SYNCED_TABLES = ("contact", "email_event", "email_event_open")


def test_a_connection_syncing_only_contacts_and_email_opens_builds(tmp_path_factory: pytest.TempPathFactory) -> None:
    root = tmp_path_factory.mktemp("source_hubspot_some_tables")
    project = copy_project(root / "project", grids={
        "fit_rules": FIT_RULES, "engagement_rules": ENGAGEMENT_RULES, "source_event_mappings": EVENT_MAPPINGS,
    })
    db_path = root / "warehouse.duckdb"
    hubspot.write_hubspot_tables(db_path, tables=SYNCED_TABLES)
    written = {str(table) for (table,) in query(
        db_path, "select table_name from information_schema.tables where table_schema = 'hubspot'"
    )}
    assert written == set(SYNCED_TABLES)
    build(db_path, as_of=AS_OF, project_dir=project, vars_yaml="{source_systems: [hubspot]}")
    serving = serving_path_for(db_path)

    # the contacts are scored as with every table: the same leads, the custom properties' fit
    leads = dict(query(serving, "select contact_id, fit_score from main.lead_scores"))
    expected = {hubspot.SURVIVOR, hubspot.SHARED_FIRST, hubspot.SHARED_SECOND, hubspot.ENTERPRISE, hubspot.PLAIN}
    assert set(leads) == {str(contact) for contact in expected}
    assert leads[str(hubspot.ENTERPRISE)] == 35
    # the opens are counted (the shared address's once, the deleted contact's not); the mapped tables the
    # connection did not write (clicks, status changes, forms, meetings) read as no rows
    scored = contributions({"serving": serving})
    engagement_rules = {str(rule["rule_id"]) for rule in ENGAGEMENT_RULES}
    engagement = {key: count for key, count in scored.items() if key[1] in engagement_rules}
    assert engagement == {(str(hubspot.SHARED_FIRST), "team_open"): 1}
    types = {str(event_type) for (event_type,) in query(
        db_path, "select distinct event_type from main.int_events where source_system = 'hubspot'"
    )}
    assert types == {"email_open"}
    assert query(db_path, "select count(*) from main.int_opportunities") == [(0,)]
