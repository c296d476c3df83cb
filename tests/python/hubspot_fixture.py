"""A small HubSpot warehouse as Fivetran's connector writes it: the tables of schema `hubspot` with the
connector's column names and types (../shared/research/connectors.md; Fivetran's HubSpot ERD), holding
one case per behaviour the adapter promises (merges, deletes, shared addresses, filtered events, ...)."""

from __future__ import annotations

from collections.abc import Collection
from pathlib import Path

import duckdb

SCHEMA = "hubspot"
SYNCED = "2024-06-30 23:00:00"

# contact ids of the cases
SURVIVOR = 101  # lists MERGED in property_hs_merged_object_ids
MERGED = 102  # merged into SURVIVOR (Fivetran keeps its row, flagged deleted)
DELETED = 103  # _fivetran_deleted, not merged
SHARED_FIRST = 104  # shares its address with SHARED_SECOND, created first: owns it
SHARED_SECOND = 105
ENTERPRISE = 106  # property_plan_tier = enterprise (a custom property), a won deal
PLAIN = 107  # nothing special: the baseline of the clicks
ACCOUNT = 501

TABLES: dict[str, dict[str, str]] = {
    "contact": {
        "id": "BIGINT", "_fivetran_deleted": "BOOLEAN", "_fivetran_synced": "TIMESTAMP",
        "property_email": "VARCHAR", "property_firstname": "VARCHAR", "property_lastname": "VARCHAR",
        "property_company": "VARCHAR", "property_jobtitle": "VARCHAR", "property_industry": "VARCHAR",
        "property_country": "VARCHAR", "property_numemployees": "VARCHAR", "property_annualrevenue": "VARCHAR",
        "property_associatedcompanyid": "BIGINT", "property_createdate": "TIMESTAMP",
        "property_lastmodifieddate": "TIMESTAMP", "property_hs_merged_object_ids": "VARCHAR",
        "property_hs_lead_status": "VARCHAR", "property_lifecyclestage": "VARCHAR",
        "property_hs_lifecyclestage_lead_date": "TIMESTAMP", "property_plan_tier": "VARCHAR",
        "property_hs_analytics_num_page_views": "BIGINT",
    },
    "company": {
        "id": "BIGINT", "is_deleted": "BOOLEAN", "_fivetran_deleted": "BOOLEAN", "_fivetran_synced": "TIMESTAMP",
        "portal_id": "BIGINT", "property_name": "VARCHAR", "property_domain": "VARCHAR",
        "property_industry": "VARCHAR", "property_numberofemployees": "BIGINT", "property_annualrevenue": "VARCHAR",
        "property_country": "VARCHAR", "property_createdate": "TIMESTAMP", "property_hs_region": "VARCHAR",
    },
    "email_event": {
        "id": "VARCHAR", "_fivetran_synced": "TIMESTAMP", "app_id": "BIGINT", "caused_by_created": "TIMESTAMP",
        "caused_by_id": "VARCHAR", "created": "TIMESTAMP", "email_campaign_id": "BIGINT", "filtered_event": "BOOLEAN",
        "obsoleted_by_created": "TIMESTAMP", "obsoleted_by_id": "VARCHAR", "portal_id": "BIGINT",
        "recipient": "VARCHAR", "sent_by_created": "TIMESTAMP", "sent_by_id": "VARCHAR", "type": "VARCHAR",
    },
    "email_event_open": {
        "id": "VARCHAR", "_fivetran_synced": "TIMESTAMP", "browser": "VARCHAR", "duration": "BIGINT",
        "ip_address": "VARCHAR", "location": "VARCHAR", "user_agent": "VARCHAR",
    },
    "email_event_click": {
        "id": "VARCHAR", "_fivetran_synced": "TIMESTAMP", "browser": "VARCHAR", "ip_address": "VARCHAR",
        "location": "VARCHAR", "referer": "VARCHAR", "url": "VARCHAR", "user_agent": "VARCHAR",
    },
    "email_event_delivered": {
        "id": "VARCHAR", "_fivetran_synced": "TIMESTAMP", "response": "VARCHAR", "smtp_id": "VARCHAR",
    },
    "email_event_bounce": {
        "id": "VARCHAR", "_fivetran_synced": "TIMESTAMP", "category": "VARCHAR", "response": "VARCHAR",
        "status": "VARCHAR",
    },
    "email_event_spam_report": {
        "id": "VARCHAR", "_fivetran_synced": "TIMESTAMP", "ip_address": "VARCHAR", "user_agent": "VARCHAR",
    },
    "email_event_status_change": {
        "id": "VARCHAR", "_fivetran_synced": "TIMESTAMP", "bounced": "BOOLEAN",
        "portal_subscription_status": "VARCHAR", "requested_by": "VARCHAR", "requested_by_email": "VARCHAR",
        "source": "VARCHAR", "subscriptions": "VARCHAR",
    },
    "contact_form_submission": {
        "contact_id": "BIGINT", "conversion_id": "VARCHAR", "form_id": "VARCHAR", "page_id": "VARCHAR",
        "page_url": "VARCHAR", "portal_id": "BIGINT", "timestamp": "TIMESTAMP", "title": "VARCHAR",
        "_fivetran_synced": "TIMESTAMP",
    },
    "engagement": {"id": "BIGINT", "type": "VARCHAR", "portal_id": "BIGINT", "_fivetran_synced": "TIMESTAMP"},
    "engagement_contact": {
        "engagement_id": "BIGINT", "contact_id": "BIGINT", "category": "VARCHAR", "_fivetran_synced": "TIMESTAMP",
    },
    "engagement_meeting": {
        "engagement_id": "BIGINT", "type": "VARCHAR", "property_hs_timestamp": "TIMESTAMP",
        "property_hs_createdate": "TIMESTAMP", "property_hubspot_owner_id": "BIGINT",
        "property_hs_meeting_title": "VARCHAR", "property_hs_meeting_outcome": "VARCHAR",
        "_fivetran_deleted": "BOOLEAN", "_fivetran_synced": "TIMESTAMP",
    },
    "engagement_call": {
        "engagement_id": "BIGINT", "type": "VARCHAR", "property_hs_timestamp": "TIMESTAMP",
        "property_hs_createdate": "TIMESTAMP", "property_hubspot_owner_id": "BIGINT",
        "property_hs_call_title": "VARCHAR", "property_hs_call_direction": "VARCHAR",
        "_fivetran_deleted": "BOOLEAN", "_fivetran_synced": "TIMESTAMP",
    },
    "engagement_email": {
        "engagement_id": "BIGINT", "type": "VARCHAR", "property_hs_timestamp": "TIMESTAMP",
        "property_hs_createdate": "TIMESTAMP", "property_hubspot_owner_id": "BIGINT",
        "property_hs_email_subject": "VARCHAR", "property_hs_email_direction": "VARCHAR",
        "_fivetran_deleted": "BOOLEAN", "_fivetran_synced": "TIMESTAMP",
    },
    "deal": {
        "deal_id": "BIGINT", "deal_pipeline_id": "VARCHAR", "deal_pipeline_stage_id": "VARCHAR",
        "owner_id": "BIGINT", "portal_id": "BIGINT", "is_deleted": "BOOLEAN", "_fivetran_synced": "TIMESTAMP",
        "property_amount": "DOUBLE", "property_closedate": "TIMESTAMP", "property_createdate": "TIMESTAMP",
        "property_dealname": "VARCHAR", "property_dealstage": "VARCHAR",
    },
    "deal_contact": {
        "deal_id": "BIGINT", "contact_id": "BIGINT", "type_id": "BIGINT", "category": "VARCHAR",
        "_fivetran_synced": "TIMESTAMP",
    },
    "deal_pipeline_stage": {
        "stage_id": "VARCHAR", "pipeline_id": "VARCHAR", "label": "VARCHAR", "display_order": "BIGINT",
        "probability": "DOUBLE", "active": "BOOLEAN", "closed_won": "BOOLEAN", "_fivetran_deleted": "BOOLEAN",
        "_fivetran_synced": "TIMESTAMP",
    },
}


def _contact(contact_id: int, email: str, created: str, **properties: object) -> dict[str, object]:
    row: dict[str, object] = {
        "id": contact_id, "_fivetran_deleted": False, "_fivetran_synced": SYNCED, "property_email": email,
        "property_firstname": f"First{contact_id}", "property_lastname": f"Last{contact_id}",
        "property_createdate": created, "property_lastmodifieddate": "2024-06-01 00:00:00",
        "property_country": "France", "property_associatedcompanyid": ACCOUNT,
    }
    row.update(properties)
    return row


ROWS: dict[str, list[dict[str, object]]] = {
    "contact": [
        _contact(SURVIVOR, "survivor@acme.example", "2024-01-01 00:00:00",
                 property_hs_merged_object_ids=f"{MERGED};999"),
        _contact(MERGED, "old.address@acme.example", "2024-02-01 00:00:00", _fivetran_deleted=True),
        _contact(DELETED, "deleted@acme.example", "2024-01-05 00:00:00", _fivetran_deleted=True),
        _contact(SHARED_FIRST, "Team@Shared.example", "2024-01-10 00:00:00"),
        _contact(SHARED_SECOND, "team@shared.example ", "2024-03-10 00:00:00"),
        _contact(ENTERPRISE, "cto@bigcorp.example", "2024-01-15 00:00:00", property_plan_tier="Enterprise",
                 property_jobtitle="CTO", property_numemployees="100-500", property_annualrevenue="2500000",
                 property_hs_lead_status="IN_PROGRESS", property_lifecyclestage="salesqualifiedlead",
                 property_hs_lifecyclestage_lead_date="2024-01-15 00:00:00", property_hs_analytics_num_page_views=42),
        _contact(PLAIN, "plain@acme.example", "2024-01-20 00:00:00", property_plan_tier="starter"),
    ],
    "company": [
        {"id": ACCOUNT, "is_deleted": False, "_fivetran_synced": SYNCED, "property_name": "Acme",
         "property_domain": "acme.example", "property_industry": "COMPUTER_SOFTWARE",
         "property_numberofemployees": 120, "property_hs_region": "emea", "property_createdate": "2023-01-01"},
    ],
    "email_event": [],
    "email_event_open": [],
    "email_event_click": [],
    "email_event_delivered": [],
    "email_event_bounce": [],
    "email_event_spam_report": [],
    "email_event_status_change": [],
    "contact_form_submission": [
        {"contact_id": MERGED, "conversion_id": "conv-1", "form_id": "form-demo", "page_url":
         "https://acme.example/demo", "timestamp": "2024-06-20 10:00:00", "title": "Request a demo",
         "_fivetran_synced": SYNCED},
        {"contact_id": DELETED, "conversion_id": "conv-2", "form_id": "form-demo", "page_url":
         "https://acme.example/demo", "timestamp": "2024-06-21 10:00:00", "title": "Request a demo",
         "_fivetran_synced": SYNCED},
    ],
    "engagement": [
        {"id": 7001, "type": "MEETING", "_fivetran_synced": SYNCED},
    ],
    "engagement_contact": [
        {"engagement_id": 7001, "contact_id": SURVIVOR, "_fivetran_synced": SYNCED},
        {"engagement_id": 7001, "contact_id": MERGED, "_fivetran_synced": SYNCED},
    ],
    "engagement_meeting": [
        {"engagement_id": 7001, "type": "MEETING", "property_hs_timestamp": "2024-06-25 15:00:00",
         "property_hs_meeting_title": "Discovery call", "_fivetran_deleted": False, "_fivetran_synced": SYNCED},
    ],
    "engagement_call": [],
    "engagement_email": [],
    "deal": [
        {"deal_id": 9001, "deal_pipeline_id": "default", "deal_pipeline_stage_id": "closedwon", "is_deleted": False,
         "property_amount": 12000.0, "property_createdate": "2024-05-01 00:00:00",
         "property_closedate": "2024-06-15 00:00:00", "property_dealname": "BigCorp", "_fivetran_synced": SYNCED},
        {"deal_id": 9002, "deal_pipeline_id": "default", "deal_pipeline_stage_id": "appointmentscheduled",
         "is_deleted": False, "property_amount": 3000.0, "property_createdate": "2024-06-01 00:00:00",
         "property_dealname": "Acme", "_fivetran_synced": SYNCED},
        {"deal_id": 9003, "deal_pipeline_id": "default", "deal_pipeline_stage_id": "closedwon", "is_deleted": True,
         "property_amount": 1.0, "property_createdate": "2024-06-01 00:00:00", "_fivetran_synced": SYNCED},
    ],
    "deal_contact": [
        {"deal_id": 9001, "contact_id": ENTERPRISE, "type_id": 3, "_fivetran_synced": SYNCED},
        {"deal_id": 9002, "contact_id": MERGED, "type_id": 3, "_fivetran_synced": SYNCED},
        {"deal_id": 9003, "contact_id": PLAIN, "type_id": 3, "_fivetran_synced": SYNCED},
    ],
    "deal_pipeline_stage": [
        {"stage_id": "appointmentscheduled", "pipeline_id": "default", "label": "Appointment scheduled",
         "display_order": 0, "probability": 0.2, "active": True, "closed_won": False},
        {"stage_id": "closedwon", "pipeline_id": "default", "label": "Closed won", "display_order": 5,
         "probability": 1.0, "active": True, "closed_won": True},
        {"stage_id": "closedlost", "pipeline_id": "default", "label": "Closed lost", "display_order": 6,
         "probability": 0.0, "active": True, "closed_won": False},
    ],
}


def _email_event(event_id: str, kind: str, recipient: str, created: str, *, filtered: bool = False,
                 **details: object) -> None:
    ROWS["email_event"].append({
        "id": event_id, "_fivetran_synced": SYNCED, "created": created, "email_campaign_id": 55,
        "filtered_event": filtered, "portal_id": 1, "recipient": recipient, "type": kind,
    })
    table = {"OPEN": "email_event_open", "CLICK": "email_event_click", "DELIVERED": "email_event_delivered",
             "BOUNCE": "email_event_bounce", "SPAMREPORT": "email_event_spam_report",
             "STATUSCHANGE": "email_event_status_change"}[kind]
    ROWS[table].append({"id": event_id, "_fivetran_synced": SYNCED, **details})


PRICING_URL = "https://acme.example/pricing?utm_source=newsletter"
BLOG_URL = "https://acme.example/blog/some-post"
# the survivor clicks pricing under its merged address; the shared address opens once
_email_event("e-merged-click", "CLICK", "Old.Address@acme.example", "2024-06-10 09:00:00", url=PRICING_URL)
_email_event("e-shared-open", "OPEN", "team@shared.example", "2024-06-11 09:00:00", browser="Firefox")
_email_event("e-deleted-open", "OPEN", "deleted@acme.example", "2024-06-11 09:00:00")
_email_event("e-filtered-click", "CLICK", "plain@acme.example", "2024-06-12 09:00:00", filtered=True,
             url=PRICING_URL)
_email_event("e-plain-click", "CLICK", "plain@acme.example", "2024-06-12 10:00:00", url=BLOG_URL)
_email_event("e-plain-unsub", "STATUSCHANGE", "plain@acme.example", "2024-06-13 10:00:00",
             portal_subscription_status="UNSUBSCRIBED", source="SOURCE_RECIPIENT")
_email_event("e-stranger-open", "OPEN", "stranger@nowhere.example", "2024-06-14 10:00:00")


def write_hubspot_tables(db_path: Path, schema: str = SCHEMA, tables: Collection[str] | None = None) -> None:
    """Create (replace) the tables of the fixture (all, or those named: a connection syncing only some
    objects) in schema of the DuckDB file db_path."""
    unknown_tables = set(tables or ()) - set(TABLES)
    assert not unknown_tables, f"tables {unknown_tables} are not the fixture's"
    con = duckdb.connect(str(db_path))
    try:
        con.execute(f"create schema if not exists {schema}")
        for table, columns in TABLES.items():
            if tables is not None and table not in tables:
                continue
            ddl = ", ".join(f'"{name}" {kind}' for name, kind in columns.items())
            con.execute(f'create or replace table {schema}."{table}" ({ddl})')
            for row in ROWS[table]:
                unknown = set(row) - set(columns)
                assert not unknown, f"{table}: columns {unknown} are not the connector's"
                names = list(row)
                placeholders = ", ".join("?" for _ in names)
                quoted = ", ".join(f'"{name}"' for name in names)
                con.execute(f'insert into {schema}."{table}" ({quoted}) values ({placeholders})',
                            [row[name] for name in names])
    finally:
        con.close()
