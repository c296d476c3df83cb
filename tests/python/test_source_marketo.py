"""Marketo through Fivetran's schema: a warehouse holding only the connector's tables (names and types
as Fivetran writes them) builds and scores with `source_systems: [marketo]`. A custom lead column
feeds a fit rule, a merged lead is no lead and its activities score on the survivor, a deleted lead
is gone with its activities, activities map to event types through the mappings seed (url, asset,
source_type), an unsubscribe both scores and withdraws consent. The project copy owns its grid and
its mapping rows (tests never read the seeds a team edits)."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from leadscore.build import build
from leadscore.errors import LeadscoreError
from leadscore.serving import serving_path_for
from worked_examples import copy_project, query

AS_OF = "2024-07-01T00:00:00Z"
SCHEMA = "marketo_fivetran"  # not the default schema: the var marketo_schema points the source at it

SURVIVOR = "101"  # ana, with seat_count 120: the custom-field fit rule applies
MERGED = "102"  # merged into 101 (merge_ids "[102]"); its click and its email go to 101
DELETED = "103"  # a Delete Lead activity: no lead, no score, its page visit dropped
UNSUBSCRIBED = "104"
SMALL = "105"  # seat_count 10: the custom-field rule does not apply; requested a demo by form

# Columns and types as Fivetran's Marketo connector writes them: Long -> BIGINT, Instant ->
# TIMESTAMPTZ; the lead table holds the instance's own fields (seat_count, preferred_language).
LEAD_COLUMNS = {
    "id": "BIGINT", "email": "VARCHAR", "first_name": "VARCHAR", "last_name": "VARCHAR", "title": "VARCHAR",
    "company": "VARCHAR", "industry": "VARCHAR", "country": "VARCHAR", "city": "VARCHAR", "phone": "VARCHAR",
    "lead_source": "VARCHAR", "number_of_employees": "BIGINT", "annual_revenue": "DOUBLE",
    "unsubscribed": "BOOLEAN", "email_invalid": "BOOLEAN", "marketing_suspended": "BOOLEAN",
    "lead_status": "VARCHAR", "lead_score": "BIGINT", "seat_count": "BIGINT", "preferred_language": "VARCHAR",
    "created_at": "TIMESTAMPTZ", "updated_at": "TIMESTAMPTZ", "_fivetran_synced": "TIMESTAMPTZ",
}
LEADS = [
    (101, "Ana@Acme.example ", "Ana", "Silva", "VP Marketing", "Acme", "Software", "US", "Austin", "+1 555 0101",
     "Website", 800, 5.0e7, False, False, False, "MQL", 40, 120, "pt", "2024-05-01 09:00:00+00",
     "2024-06-01 00:00:00+00", "2024-06-30 00:00:00+00"),
    (102, "ana.old@acme.example", "Ana", "S.", None, "Acme", None, None, None, None,
     "List Import", None, None, False, False, False, None, 0, None, None, "2024-03-01 09:00:00+00",
     "2024-03-01 09:00:00+00", "2024-06-30 00:00:00+00"),
    (103, "bob@beta.example", "Bob", "Brown", "Director IT", "Beta", "Software", "US", None, None,
     "Website", 300, None, False, False, False, "New", 0, 500, None, "2024-05-02 09:00:00+00",
     "2024-05-02 09:00:00+00", "2024-06-30 00:00:00+00"),
    (104, "cara@gamma.example", "Cara", "Cole", "Analyst", "Gamma", "Retail", "GB", None, None,
     "Webinar", 50, None, True, False, False, "New", 0, None, None, "2024-05-03 09:00:00+00",
     "2024-06-20 00:00:00+00", "2024-06-30 00:00:00+00"),
    (105, "dan@delta.example", "Dan", "Diaz", "Manager", "Delta", "Software", "FR", None, None,
     "Website", 20, None, False, False, False, "New", 0, 10, "fr", "2024-05-04 09:00:00+00",
     "2024-05-04 09:00:00+00", "2024-06-30 00:00:00+00"),
]
COMMON = {
    "id": "VARCHAR", "lead_id": "BIGINT", "activity_date": "TIMESTAMPTZ", "activity_type_id": "BIGINT",
    "campaign_id": "BIGINT", "primary_attribute_value_id": "BIGINT", "primary_attribute_value": "VARCHAR",
}
EMAIL = {"email_template_id": "BIGINT", "campaign_run_id": "BIGINT", "step_id": "BIGINT", "choice_number": "BIGINT"}
ACTIVITY_COLUMNS: dict[str, dict[str, str]] = {
    "activity_visit_webpage": {"webpage_url": "VARCHAR", "referrer_url": "VARCHAR", "query_parameters": "VARCHAR",
                               "client_ip_address": "VARCHAR", "user_agent": "VARCHAR", "webpage_id": "BIGINT"},
    "activity_fill_out_form": {"form_fields": "VARCHAR", "referrer_url": "VARCHAR", "webpage_id": "BIGINT",
                               "client_ip_address": "VARCHAR"},
    "activity_send_email": EMAIL,
    "activity_email_delivered": EMAIL,
    "activity_open_email": {**EMAIL, "device": "VARCHAR", "is_mobile_device": "BOOLEAN", "platform": "VARCHAR"},
    "activity_click_email": {**EMAIL, "link": "VARCHAR", "link_id": "VARCHAR", "device": "VARCHAR",
                             "is_mobile_device": "BOOLEAN"},
    "activity_unsubscribe_email": {"email_template_id": "BIGINT", "campaign_run_id": "BIGINT",
                                   "referrer_url": "VARCHAR", "webform_id": "BIGINT"},
    "activity_email_bounced": {**EMAIL, "category": "VARCHAR", "details": "VARCHAR", "email": "VARCHAR"},
    "activity_merge_leads": {"merge_ids": "VARCHAR", "merge_source": "VARCHAR", "master_updated": "BOOLEAN",
                             "merged_in_sales": "BOOLEAN"},
    "activity_delete_lead": {"campaign": "VARCHAR"},
}
# (table, id, lead_id, activity_date, campaign_id, primary_attribute_value, {own column: value})
ACTIVITIES: list[tuple[str, str, int, str, int | None, str | None, dict[str, object]]] = [
    ("activity_visit_webpage", "v1", 101, "2024-06-20 10:00:00+00", None, "acme.example/pricing",
     {"webpage_url": "https://www.example.com/pricing?plan=team", "webpage_id": 7}),
    ("activity_visit_webpage", "v2", 105, "2024-06-21 10:00:00+00", None, "acme.example/blog",
     {"webpage_url": "https://www.example.com/blog/hello"}),
    ("activity_visit_webpage", "v3", 103, "2024-06-22 10:00:00+00", None, "acme.example/pricing",
     {"webpage_url": "https://www.example.com/pricing"}),
    ("activity_email_delivered", "d1", 102, "2024-06-10 08:00:00+00", 55, "June Newsletter.Email",
     {"email_template_id": 9}),
    ("activity_click_email", "c1", 102, "2024-06-11 08:00:00+00", 55, "June Newsletter.Email",
     {"link": "https://www.example.com/webinar", "email_template_id": 9}),
    ("activity_open_email", "o1", 104, "2024-06-12 08:00:00+00", 55, "June Newsletter.Email", {"device": "mobile"}),
    ("activity_unsubscribe_email", "u1", 104, "2024-06-12 08:05:00+00", 55, "June Newsletter.Email", {}),
    ("activity_fill_out_form", "f1", 105, "2024-06-23 10:00:00+00", 61, "Demo Request",
     {"form_fields": '{"Email":"dan@delta.example"}', "referrer_url": "https://www.example.com/demo"}),
    ("activity_fill_out_form", "f2", 104, "2024-06-05 10:00:00+00", 62, "Newsletter Signup", {}),
    ("activity_send_email", "s1", 102, "2024-06-10 07:59:00+00", 55, "June Newsletter.Email", {}),
    ("activity_email_bounced", "b1", 105, "2024-06-10 08:00:00+00", 55, "June Newsletter.Email",
     {"category": "1", "email": "dan@delta.example"}),
    ("activity_merge_leads", "m1", 101, "2024-06-26 12:00:00+00", None, None,
     {"merge_ids": "[102]", "merge_source": "Web service API"}),
    ("activity_delete_lead", "x1", 103, "2024-06-27 12:00:00+00", None, "Bob Brown", {}),
]

# The project copy's own grid: one rule per behaviour the module checks.
FIT_RULES = [
    {"rule_id": "mk_seats", "rule_group": "", "attribute": "seat_count", "operator": "gte", "value": "100",
     "points": "15", "priority": "1", "description": "100 seats or more (Marketo custom field)"},
    {"rule_id": "mk_language", "rule_group": "", "attribute": "preferred_language", "operator": "eq", "value": "fr",
     "points": "2", "priority": "1", "description": "French speaker (Marketo custom field)"},
]
ENGAGEMENT_RULES = [
    {"rule_id": "mk_pricing", "event_type": "page_view", "match_field": "url", "operator": "contains",
     "value": "/pricing", "points": "20", "category": "active", "description": "Pricing page"},
    {"rule_id": "mk_click", "event_type": "email_click", "points": "3", "category": "passive",
     "description": "Email click"},
    {"rule_id": "mk_unsubscribed", "event_type": "unsubscribed", "points": "-10", "category": "negative",
     "description": "Unsubscribed"},
    {"rule_id": "mk_demo", "event_type": "demo_requested", "points": "50", "category": "active",
     "description": "Demo requested (form)"},
]
# The copy's own mapping rows: the shipped defaults' shape, plus a form mapped by its name.
EVENT_MAPPINGS = [
    {"system": "marketo", "source_table": "activity_visit_webpage", "event_type": "page_view",
     "url_field": "webpage_url", "description": "Visit Web Page"},
    {"system": "marketo", "source_table": "activity_fill_out_form", "event_type": "form_submit",
     "url_field": "referrer_url", "asset_field": "primary_attribute_value", "description": "Fill Out Form"},
    {"system": "marketo", "source_table": "activity_fill_out_form", "source_type": "Demo Request",
     "event_type": "demo_requested", "url_field": "referrer_url", "asset_field": "primary_attribute_value",
     "description": "The demo request form"},
    {"system": "marketo", "source_table": "activity_email_delivered", "event_type": "email_delivered",
     "asset_field": "primary_attribute_value", "campaign_field": "campaign_id", "description": "Delivered"},
    {"system": "marketo", "source_table": "activity_open_email", "event_type": "email_open",
     "campaign_field": "campaign_id", "description": "Open"},
    {"system": "marketo", "source_table": "activity_click_email", "event_type": "email_click",
     "url_field": "link", "campaign_field": "campaign_id", "description": "Click"},
    {"system": "marketo", "source_table": "activity_unsubscribe_email", "event_type": "unsubscribed",
     "campaign_field": "campaign_id", "description": "Unsubscribe"},
]


def create_marketo_tables(db_path: Path, schema: str = SCHEMA, activity_tables: tuple[str, ...] | None = None) -> None:
    """The connector's tables, as Fivetran creates them, with the rows above: the lead table and the
    activity tables named (all of them by default)."""
    with duckdb.connect(str(db_path)) as con:
        con.execute(f"create schema if not exists {schema}")
        con.execute(f"create table {schema}.lead ({', '.join(f'{n} {t}' for n, t in LEAD_COLUMNS.items())})")
        con.executemany(f"insert into {schema}.lead values ({', '.join('?' * len(LEAD_COLUMNS))})", LEADS)
        for table, own in ACTIVITY_COLUMNS.items():
            if activity_tables is not None and table not in activity_tables:
                continue
            columns = {**COMMON, **own, "_fivetran_synced": "TIMESTAMPTZ"}
            con.execute(f"create table {schema}.{table} ({', '.join(f'{n} {t}' for n, t in columns.items())})")
            for name, activity_id, lead_id, at, campaign_id, primary, values in ACTIVITIES:
                if name != table:
                    continue
                row = {"id": activity_id, "lead_id": lead_id, "activity_date": at, "campaign_id": campaign_id,
                       "primary_attribute_value": primary, "_fivetran_synced": "2024-06-30 00:00:00+00", **values}
                con.execute(
                    f"insert into {schema}.{table} ({', '.join(row)}) values ({', '.join('?' * len(row))})",
                    list(row.values()),
                )


@pytest.fixture(scope="module")
def marketo_build(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """One build of a warehouse holding only Fivetran's Marketo tables, with the copy's own seeds."""
    root = tmp_path_factory.mktemp("marketo")
    project = copy_project(root / "project", grids={
        "fit_rules": FIT_RULES, "engagement_rules": ENGAGEMENT_RULES, "source_event_mappings": EVENT_MAPPINGS,
    })
    db_path = root / "warehouse.duckdb"
    create_marketo_tables(db_path)
    build(db_path, as_of=AS_OF, project_dir=project,
          vars_yaml=f"{{source_systems: [marketo], marketo_schema: {SCHEMA}}}")
    return {"db": db_path, "serving": serving_path_for(db_path)}


def contributions(db_path: Path, contact_id: str) -> dict[str, tuple[float, int]]:
    """rule_id -> (raw points, occurrences) of one contact's breakdown."""
    rows = query(db_path, "select rule_id, raw_points, occurrences from main.lead_score_breakdown "
                          "where contact_id = ?", [contact_id])
    return {rule_id: (points, occurrences) for rule_id, points, occurrences in rows}


def test_only_live_leads_are_scored(marketo_build: dict[str, Path]) -> None:
    scored = {contact_id for (contact_id,) in query(marketo_build["serving"],
                                                     "select contact_id from main.lead_scores")}
    assert scored == {SURVIVOR, UNSUBSCRIBED, SMALL}
    assert MERGED not in scored and DELETED not in scored


def test_a_custom_lead_column_feeds_a_fit_rule(marketo_build: dict[str, Path]) -> None:
    assert contributions(marketo_build["db"], SURVIVOR)["mk_seats"] == (15, 1)
    assert "mk_seats" not in contributions(marketo_build["db"], SMALL)  # seat_count 10
    assert contributions(marketo_build["db"], SMALL)["mk_language"] == (2, 1)


def test_the_merged_leads_click_scores_on_the_survivor(marketo_build: dict[str, Path]) -> None:
    survivor = contributions(marketo_build["db"], SURVIVOR)
    assert survivor["mk_click"] == (3, 1)
    [(contact_id, url)] = query(marketo_build["db"], """
        select contact_id, url from main.stg_marketo__events where event_id = 'activity_click_email:c1'
    """)
    assert (contact_id, url) == (SURVIVOR, "https://www.example.com/webinar")


def test_a_page_visit_is_matched_by_a_url_rule(marketo_build: dict[str, Path]) -> None:
    assert contributions(marketo_build["db"], SURVIVOR)["mk_pricing"] == (20, 1)
    assert "mk_pricing" not in contributions(marketo_build["db"], SMALL)  # the blog


def test_the_deleted_leads_activities_are_not_scored(marketo_build: dict[str, Path]) -> None:
    [(events,)] = query(marketo_build["db"], f"""
        select count(*) from main.stg_marketo__events where contact_id = '{DELETED}' or event_id like '%:v3'
    """)
    assert events == 0
    [(rows,)] = query(marketo_build["db"], f"select count(*) from main.lead_score_breakdown "
                                           f"where contact_id = '{DELETED}'")
    assert rows == 0


def test_an_unsubscribe_scores_and_withdraws_consent(marketo_build: dict[str, Path]) -> None:
    assert contributions(marketo_build["db"], UNSUBSCRIBED)["mk_unsubscribed"] == (-10, 1)
    consent = dict(query(marketo_build["db"], "select contact_id, has_marketing_consent "
                                              "from main.stg_marketo__contacts"))
    assert consent == {SURVIVOR: True, UNSUBSCRIBED: False, SMALL: True}


def test_a_form_maps_by_its_name(marketo_build: dict[str, Path]) -> None:
    assert contributions(marketo_build["db"], SMALL)["mk_demo"] == (50, 1)
    types = dict(query(marketo_build["db"], "select event_id, event_type from main.stg_marketo__events "
                                            "where source_table = 'activity_fill_out_form'"))
    assert types == {"activity_fill_out_form:f1": "demo_requested", "activity_fill_out_form:f2": "form_submit"}


def test_unmapped_activity_tables_are_not_events(marketo_build: dict[str, Path]) -> None:
    tables = {table for (table,) in query(marketo_build["db"],
                                          "select distinct source_table from main.stg_marketo__events")}
    # the copy maps no row to send_email nor email_bounced
    assert tables == {"activity_visit_webpage", "activity_fill_out_form", "activity_email_delivered",
                      "activity_open_email", "activity_click_email", "activity_unsubscribe_email"}


def test_identity_edges_link_emails_to_the_survivor(marketo_build: dict[str, Path]) -> None:
    edges = set(query(marketo_build["db"], """
        select left_type, left_id, right_type, right_id, source_table from main.stg_marketo__identity_edges
    """))
    assert ("contact", SURVIVOR, "email", "ana@acme.example", "lead") in edges
    assert ("contact", SURVIVOR, "email", "ana.old@acme.example", "activity_merge_leads") in edges
    assert not {edge for edge in edges if edge[1] in (MERGED, DELETED)}
    assert "bob@beta.example" not in {edge[3] for edge in edges}


def test_a_mapping_to_a_missing_column_stops_the_build(tmp_path: Path) -> None:
    project = copy_project(tmp_path / "project", grids={
        "fit_rules": FIT_RULES, "engagement_rules": ENGAGEMENT_RULES,
        "source_event_mappings": [*EVENT_MAPPINGS, {
            "system": "marketo", "source_table": "activity_send_email", "event_type": "email_sent",
            "url_field": "webpage_url", "description": "Send Email, with a column it does not have",
        }],
    })
    db_path = tmp_path / "warehouse.duckdb"
    create_marketo_tables(db_path)
    with pytest.raises(LeadscoreError) as raised:
        build(db_path, as_of=AS_OF, project_dir=project,
              vars_yaml=f"{{source_systems: [marketo], marketo_schema: {SCHEMA}}}")
    message = str(raised.value)
    assert "\n" not in message
    assert "seed source_event_mappings, row marketo/activity_send_email/" in message
    assert "url_field 'webpage_url' is not a column of activity_send_email" in message


def test_a_connection_with_only_leads_and_page_visits_builds(tmp_path: Path) -> None:
    """Only `lead` and `activity_visit_webpage` synced: every other activity table reads as no rows, so
    no lead is merged nor deleted and the page visits score."""
    project = copy_project(tmp_path / "project", grids={
        "fit_rules": FIT_RULES, "engagement_rules": ENGAGEMENT_RULES, "source_event_mappings": EVENT_MAPPINGS,
    })
    db_path = tmp_path / "warehouse.duckdb"
    create_marketo_tables(db_path, activity_tables=("activity_visit_webpage",))
    build(db_path, as_of=AS_OF, project_dir=project,
          vars_yaml=f"{{source_systems: [marketo], marketo_schema: {SCHEMA}}}")

    scored = {contact_id for (contact_id,) in query(serving_path_for(db_path),
                                                     "select contact_id from main.lead_scores")}
    assert scored == {SURVIVOR, MERGED, DELETED, UNSUBSCRIBED, SMALL}  # no merge nor delete table: all live
    assert contributions(db_path, SURVIVOR)["mk_pricing"] == (20, 1)
    assert contributions(db_path, DELETED)["mk_pricing"] == (20, 1)  # v3: no Delete Lead activity drops it
    assert "mk_pricing" not in contributions(db_path, SMALL)  # the blog
    events = dict(query(db_path, "select event_id, event_type from main.stg_marketo__events"))
    assert events == {f"activity_visit_webpage:{visit}": "page_view" for visit in ("v1", "v2", "v3")}
    # a table the connection did not write: no rows, its columns typed as when it exists
    [(merges,)] = query(db_path, "select count(*) from main.base_marketo__activity_merge_leads")
    assert merges == 0
    types = dict(query(db_path, """
        select column_name, data_type from information_schema.columns
        where table_schema = 'main' and table_name = 'base_marketo__activity_click_email'
    """))
    assert (types["activity_id"], types["lead_id"], types["activity_at"]) == ("VARCHAR", "VARCHAR", "TIMESTAMP")
    assert types["is_mobile_device"] == "BOOLEAN"
