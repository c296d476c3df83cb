"""``leadscore bench --source hubspot+segment``: the benchmark with the data coming in through adapters.

The generated raw tables (``raw.*`` of the bench's scratch warehouse, landed by ``leadscore load``) are
reshaped, one ``INSERT ... SELECT`` per table inside DuckDB, into the tables the connectors write
(docs/performance.md, ../shared/research/connectors.md):

- ``hubspot`` (Fivetran's HubSpot schema): ``contact`` (``property_*`` columns; one contact in 200 has
  a merged-away duplicate listed in its ``property_hs_merged_object_ids``, the rest have it empty),
  ``company``, ``email_event`` with ``email_event_delivered`` / ``_open`` / ``_click`` /
  ``_status_change`` / ``_spam_report`` for the email events, addressed by ``recipient`` only;
  ``deal``, ``deal_contact`` and ``deal_pipeline_stage`` for the opportunities; the other tables the
  HubSpot adapter reads (forms, engagements, bounces) exist, empty;
- ``segment`` (Segment's warehouse schema): ``pages`` for page views and ``tracks`` for the other web
  events. Each contact browses from one device, or two (three in ten), each with its own ``anonymous_id``;
  an ``identifies`` row per device (``anonymous_id``, ``user_id``, the ``email`` trait) is sent at the
  device's first form-like event (its last page view when it has none). Before it a device's events
  carry only the ``anonymous_id``; after it three in ten also carry the ``user_id``. So most web events
  reach their contact only through stitching: anonymous id -> user id / email -> the CRM contact.

Every raw event lands exactly once, under its own ``event_id``. The raw tables stay in the warehouse
(``leadscore build`` checks ``raw.contacts``); with ``source_systems: [hubspot, segment]`` no model reads them.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import duckdb

from leadscore.errors import LeadscoreError
from leadscore.warehouse import connect

EMAIL_EVENT_TYPES = {  # raw event type -> (HubSpot email_event.type, its per-type table)
    "email_delivered": ("DELIVERED", "email_event_delivered"),
    "email_open": ("OPEN", "email_event_open"),
    "email_click": ("CLICK", "email_event_click"),
    "unsubscribed": ("STATUSCHANGE", "email_event_status_change"),
    "spam_complaint": ("SPAMREPORT", "email_event_spam_report"),
}
PAGE_VIEW = "page_view"
MERGED_EVERY = 200  # one contact in 200 has a merged-away duplicate
MERGED_ID_OFFSET = 1_000_000_000
TWO_DEVICES_SHARE = 0.3
PORTAL_ID = 4_012_345
SHAPE_MEMORY_LIMIT = "3GB"  # DuckDB's limit while writing the connector tables (it spills beyond)

# The connectors' tables as they land (columns and DuckDB types); names as connectors.md gives them.
_SEGMENT_COMMON = {
    "id": "VARCHAR", "anonymous_id": "VARCHAR", "user_id": "VARCHAR", "timestamp": "TIMESTAMP",
    "original_timestamp": "TIMESTAMP", "sent_at": "TIMESTAMP", "received_at": "TIMESTAMP", "uuid_ts": "TIMESTAMP",
}
_OPENED = {"browser": "VARCHAR", "duration": "BIGINT", "ip_address": "VARCHAR", "location": "VARCHAR",
           "user_agent": "VARCHAR"}
TABLES: dict[str, dict[str, dict[str, str]]] = {
    "hubspot": {
        "contact": {
            "id": "BIGINT", "_fivetran_deleted": "BOOLEAN", "_fivetran_synced": "TIMESTAMP",
            "property_email": "VARCHAR", "property_firstname": "VARCHAR", "property_lastname": "VARCHAR",
            "property_company": "VARCHAR", "property_jobtitle": "VARCHAR", "property_createdate": "TIMESTAMP",
            "property_lastmodifieddate": "TIMESTAMP", "property_annualrevenue": "BIGINT",
            "property_numemployees": "VARCHAR", "property_industry": "VARCHAR", "property_country": "VARCHAR",
            "property_state": "VARCHAR", "property_city": "VARCHAR", "property_phone": "VARCHAR",
            "property_associatedcompanyid": "BIGINT", "property_hs_merged_object_ids": "VARCHAR",
            # HubSpot's original source (the lead source), then the team's custom properties
            "property_hs_analytics_source": "VARCHAR", "property_purchase_authority": "VARCHAR",
            "property_purchase_timeline": "VARCHAR", "property_uses_competitor": "BOOLEAN",
            "property_has_marketing_consent": "BOOLEAN", "property_is_do_not_contact": "BOOLEAN",
            "property_preferred_language": "VARCHAR",
        },
        "company": {
            "id": "BIGINT", "is_deleted": "BOOLEAN", "_fivetran_deleted": "BOOLEAN", "_fivetran_synced": "TIMESTAMP",
            "property_name": "VARCHAR", "property_domain": "VARCHAR", "property_industry": "VARCHAR",
            "property_numberofemployees": "BIGINT", "property_annualrevenue": "BIGINT", "property_country": "VARCHAR",
            "property_city": "VARCHAR", "property_state": "VARCHAR", "property_type": "VARCHAR",
            "property_createdate": "TIMESTAMP", "property_hs_lastmodifieddate": "TIMESTAMP",
            "property_hs_is_target_account": "BOOLEAN", "property_segment": "VARCHAR",
        },
        "email_event": {
            "id": "VARCHAR", "type": "VARCHAR", "created": "TIMESTAMP", "recipient": "VARCHAR",
            "email_campaign_id": "BIGINT", "sent_by_id": "VARCHAR", "sent_by_created": "TIMESTAMP",
            "caused_by_id": "VARCHAR", "obsoleted_by_id": "VARCHAR", "filtered_event": "BOOLEAN",
            "app_id": "BIGINT", "portal_id": "BIGINT", "_fivetran_synced": "TIMESTAMP",
        },
        "email_event_delivered": {"id": "VARCHAR", "response": "VARCHAR", "smtp_id": "VARCHAR",
                                  "_fivetran_synced": "TIMESTAMP"},
        "email_event_open": {"id": "VARCHAR", **_OPENED, "_fivetran_synced": "TIMESTAMP"},
        "email_event_click": {"id": "VARCHAR", **_OPENED, "url": "VARCHAR", "referer": "VARCHAR",
                              "_fivetran_synced": "TIMESTAMP"},
        "email_event_status_change": {"id": "VARCHAR", "bounced": "BOOLEAN", "portal_subscription_status": "VARCHAR",
                                      "subscriptions": "VARCHAR", "source": "VARCHAR",
                                      "_fivetran_synced": "TIMESTAMP"},
        "email_event_spam_report": {"id": "VARCHAR", "ip_address": "VARCHAR", "user_agent": "VARCHAR",
                                    "_fivetran_synced": "TIMESTAMP"},
        "deal": {
            "deal_id": "BIGINT", "deal_pipeline_id": "VARCHAR", "deal_pipeline_stage_id": "VARCHAR",
            "owner_id": "BIGINT", "is_deleted": "BOOLEAN", "_fivetran_deleted": "BOOLEAN",
            "_fivetran_synced": "TIMESTAMP", "property_amount": "DOUBLE", "property_closedate": "TIMESTAMP",
            "property_createdate": "TIMESTAMP", "property_dealname": "VARCHAR",
        },
        "deal_contact": {"deal_id": "BIGINT", "contact_id": "BIGINT", "type_id": "BIGINT", "category": "VARCHAR",
                         "_fivetran_synced": "TIMESTAMP"},
        # not in connectors.md: Fivetran's pipeline stages, which say which deal stage is won or closed
        "deal_pipeline_stage": {"stage_id": "VARCHAR", "pipeline_id": "VARCHAR", "label": "VARCHAR",
                                "probability": "DOUBLE", "closed_won": "BOOLEAN", "display_order": "BIGINT",
                                "active": "BOOLEAN", "_fivetran_deleted": "BOOLEAN", "_fivetran_synced": "TIMESTAMP"},
        # tables the connector writes that the generated data has nothing for: created empty
        "email_event_bounce": {"id": "VARCHAR", "category": "VARCHAR", "response": "VARCHAR", "status": "VARCHAR",
                               "_fivetran_synced": "TIMESTAMP"},
        "contact_form_submission": {"contact_id": "BIGINT", "form_id": "VARCHAR", "timestamp": "TIMESTAMP",
                                    "conversion_id": "VARCHAR", "page_id": "VARCHAR", "page_url": "VARCHAR",
                                    "title": "VARCHAR", "_fivetran_synced": "TIMESTAMP"},
        "engagement": {"id": "BIGINT", "type": "VARCHAR", "portal_id": "BIGINT", "_fivetran_synced": "TIMESTAMP"},
        "engagement_contact": {"engagement_id": "BIGINT", "contact_id": "BIGINT", "category": "VARCHAR",
                               "_fivetran_synced": "TIMESTAMP"},
        **{f"engagement_{kind}": {"engagement_id": "BIGINT", "type": "VARCHAR", "property_hs_timestamp": "TIMESTAMP",
                                  "property_hs_createdate": "TIMESTAMP", "property_hubspot_owner_id": "BIGINT",
                                  "_fivetran_deleted": "BOOLEAN", "_fivetran_synced": "TIMESTAMP"}
           for kind in ("meeting", "call", "email")},
    },
    "segment": {
        "identifies": {**_SEGMENT_COMMON, "email": "VARCHAR"},
        "pages": {**_SEGMENT_COMMON, "url": "VARCHAR", "path": "VARCHAR", "referrer": "VARCHAR", "title": "VARCHAR",
                  "context_campaign_source": "VARCHAR"},
        # a track's properties are top-level columns (connectors.md): the one a default rule reads
        "tracks": {**_SEGMENT_COMMON, "event": "VARCHAR", "event_text": "VARCHAR", "context_campaign_name": "VARCHAR",
                   "context_campaign_source": "VARCHAR", "asset": "VARCHAR"},
    },
}

_EMAIL_TYPES_SQL = ", ".join(f"'{raw}'" for raw in EMAIL_EVENT_TYPES)


def _macros(synced_by: str) -> list[str]:
    return [
        # C0000042 -> 42, A000007 -> 7: the generated ids' numbers as HubSpot's integer ids
        "CREATE OR REPLACE TEMP MACRO hs_id(text_id) AS try_cast(regexp_extract(text_id, '[0-9]+$') AS BIGINT)",
        # a connector's sync instant: a few minutes after the row, never after the data set's end
        "CREATE OR REPLACE TEMP MACRO synced(ts, lag_s) AS "
        f"least(ts + to_seconds((lag_s)::BIGINT), TIMESTAMP '{synced_by}')",
        "CREATE OR REPLACE TEMP MACRO uuid_of(key) AS regexp_replace(md5(key), "
        "'^(.{8})(.{4})(.{4})(.{4})(.{12})$', '\\1-\\2-\\3-\\4-\\5')",
        # the device a web event comes from: one per contact, or two for three contacts in ten
        "CREATE OR REPLACE TEMP MACRO device_of(contact_id, event_id) AS CASE "
        f"WHEN hash(contact_id, 'devices') % 1000 < {int(TWO_DEVICES_SHARE * 1000)} "
        "THEN 1 + hash(event_id, 'device') % 2 ELSE 1 END",
        "CREATE OR REPLACE TEMP MACRO anonymous_of(contact_id, device) AS "
        "uuid_of('anonymous/' || contact_id || '/' || device)",
        "CREATE OR REPLACE TEMP MACRO user_of(contact_id) AS 'usr_' || substr(md5('user/' || contact_id), 1, 16)",
        "CREATE OR REPLACE TEMP MACRO titled(name) AS "
        "array_to_string(list_transform(string_split(name, '_'), lambda w: upper(w[1]) || w[2:]), ' ')",
    ]


_CONTACT_COLUMNS = """
        c.property_email, c.first_name AS property_firstname, c.last_name AS property_lastname,
        c.company_name AS property_company, c.job_title AS property_jobtitle,
        c.annual_revenue::BIGINT AS property_annualrevenue, c.employee_count::VARCHAR AS property_numemployees,
        c.industry AS property_industry, c.country AS property_country, c.state AS property_state,
        c.city AS property_city, c.phone AS property_phone, hs_id(c.account_id) AS property_associatedcompanyid,
        c.lead_source AS property_hs_analytics_source, c.purchase_authority AS property_purchase_authority,
        c.purchase_timeline AS property_purchase_timeline, c.uses_competitor AS property_uses_competitor,
        c.has_marketing_consent AS property_has_marketing_consent,
        c.is_do_not_contact AS property_is_do_not_contact,
        json_extract_string(c.custom_attributes, '$.preferred_language') AS property_preferred_language,
        false AS _fivetran_deleted"""

_SEGMENT_TIMES = """
        e.occurred_at AS timestamp, e.occurred_at AS original_timestamp,
        e.occurred_at + to_seconds((hash(e.event_id, 'sent') % 3)::BIGINT) AS sent_at,
        synced(e.occurred_at, 1 + hash(e.event_id, 'received') % 4) AS received_at,
        synced(e.occurred_at, 60 + hash(e.event_id, 'received') % 4) AS uuid_ts"""

# a web event's user_id: after its device's identify, three in ten (a signed-in visit)
_WEB_USER_ID = "CASE WHEN e.occurred_at >= d.identified_at AND hash(e.event_id, 'signed_in') % 10 < 3 " \
               "THEN user_of(e.contact_id) END AS user_id"

_SCRATCH = [
    # one identify per device: at its first form-like event, else its last page view
    f"""CREATE TEMP TABLE bench_devices AS
    SELECT e.contact_id, device_of(e.contact_id, e.event_id) AS device,
        coalesce(min(e.occurred_at) FILTER (WHERE e.event_type <> '{PAGE_VIEW}'), max(e.occurred_at)) AS identified_at
    FROM raw.events e
    WHERE e.event_type NOT IN ({_EMAIL_TYPES_SQL})
    GROUP BY ALL""",
]


def _inserts(synced_by: str) -> dict[tuple[str, str], str]:
    email_types = " ".join(f"WHEN '{raw}' THEN '{hs}'" for raw, (hs, _table) in EMAIL_EVENT_TYPES.items())
    email_events = f"""
    FROM raw.events e LEFT JOIN raw.contacts c USING (contact_id)
    WHERE e.event_type IN ({_EMAIL_TYPES_SQL})"""

    def per_type(raw_type: str, columns: str) -> str:
        return f"SELECT e.event_id AS id, {columns}, synced(e.occurred_at, 300) AS _fivetran_synced " \
               f"FROM raw.events e WHERE e.event_type = '{raw_type}'"

    opened = """NULL AS browser, 1000 + hash(e.event_id, 'duration') % 20000 AS duration,
        NULL AS ip_address, NULL AS location, 'Mozilla/5.0' AS user_agent"""
    web = """FROM raw.events e
    JOIN bench_devices d ON d.contact_id = e.contact_id AND d.device = device_of(e.contact_id, e.event_id)"""
    utm = "json_extract_string(e.properties, '$.utm_source') AS context_campaign_source"
    return {
        ("hubspot", "contact"): f"""
    WITH c AS (SELECT *, email AS property_email FROM raw.contacts)
    SELECT hs_id(c.contact_id) AS id, c.created_at AS property_createdate,
        c.updated_at AS property_lastmodifieddate,
        CASE WHEN hs_id(c.contact_id) % {MERGED_EVERY} = 17
             THEN ({MERGED_ID_OFFSET} + hs_id(c.contact_id))::VARCHAR END AS property_hs_merged_object_ids,
        synced(coalesce(c.updated_at, c.created_at), 300) AS _fivetran_synced, {_CONTACT_COLUMNS}
    FROM c
    UNION ALL BY NAME
    -- the merged-away duplicates: the same person (the address typed in capitals), created a day earlier
    SELECT {MERGED_ID_OFFSET} + hs_id(c.contact_id) AS id, c.created_at - INTERVAL 1 DAY AS property_createdate,
        c.created_at - INTERVAL 1 DAY AS property_lastmodifieddate, NULL AS property_hs_merged_object_ids,
        synced(c.created_at, 300) AS _fivetran_synced, {_CONTACT_COLUMNS}
    FROM (SELECT * REPLACE (upper(email) AS property_email) FROM c) c
    WHERE hs_id(c.contact_id) % {MERGED_EVERY} = 17""",
        ("hubspot", "company"): """
    SELECT hs_id(account_id) AS id, false AS is_deleted, false AS _fivetran_deleted,
        synced(coalesce(updated_at, created_at), 300) AS _fivetran_synced,
        name AS property_name, domain AS property_domain, industry AS property_industry,
        employee_count AS property_numberofemployees, annual_revenue::BIGINT AS property_annualrevenue,
        country AS property_country, NULL AS property_city, NULL AS property_state,
        upper(account_type) AS property_type, created_at AS property_createdate,
        updated_at AS property_hs_lastmodifieddate, is_target_account AS property_hs_is_target_account,
        json_extract_string(custom_attributes, '$.segment') AS property_segment
    FROM raw.accounts""",
        ("hubspot", "email_event"): f"""
    SELECT e.event_id AS id, CASE e.event_type {email_types} END AS type, e.occurred_at AS created,
        -- the address as the event has it (sometimes in capitals), else the contact's
        coalesce(e.email, c.email) AS recipient,
        (hash(e.campaign) % 1000000000)::BIGINT AS email_campaign_id,
        NULL AS sent_by_id, NULL AS sent_by_created, NULL AS caused_by_id, NULL AS obsoleted_by_id,
        false AS filtered_event, 0 AS app_id, {PORTAL_ID} AS portal_id,
        synced(e.occurred_at, 300) AS _fivetran_synced
    {email_events}""",
        ("hubspot", "email_event_delivered"): per_type(
            "email_delivered", "'250 2.0.0 OK' AS response, '<' || md5(e.event_id) || '@smtp>' AS smtp_id"),
        ("hubspot", "email_event_open"): per_type("email_open", opened),
        ("hubspot", "email_event_click"): per_type("email_click", f"{opened}, e.url AS url, NULL AS referer"),
        ("hubspot", "email_event_status_change"): per_type(
            "unsubscribed", "false AS bounced, 'UNSUBSCRIBED' AS portal_subscription_status, "
            "'[]' AS subscriptions, 'SOURCE_RECIPIENT' AS source"),
        ("hubspot", "email_event_spam_report"): per_type(
            "spam_complaint", "NULL AS ip_address, 'Mozilla/5.0' AS user_agent"),
        ("hubspot", "deal"): """
    SELECT hs_id(opportunity_id) AS deal_id, 'default' AS deal_pipeline_id, stage AS deal_pipeline_stage_id,
        NULL AS owner_id, false AS is_deleted, false AS _fivetran_deleted,
        synced(coalesce(closed_at, created_at), 300) AS _fivetran_synced, amount AS property_amount,
        closed_at AS property_closedate, created_at AS property_createdate, opportunity_id AS property_dealname
    FROM raw.opportunities""",
        ("hubspot", "deal_contact"): """
    SELECT hs_id(opportunity_id) AS deal_id, hs_id(contact_id) AS contact_id, 3 AS type_id,
        'HUBSPOT_DEFINED' AS category, synced(created_at, 300) AS _fivetran_synced
    FROM raw.opportunities WHERE contact_id IS NOT NULL""",
        ("hubspot", "deal_pipeline_stage"): f"""
    SELECT stage AS stage_id, 'default' AS pipeline_id, titled(stage) AS label,
        CASE stage WHEN 'closed_won' THEN 1.0 WHEN 'closed_lost' THEN 0.0 ELSE 0.5 END AS probability,
        stage = 'closed_won' AS closed_won, row_number() OVER (ORDER BY min(created_at)) AS display_order,
        true AS active, false AS _fivetran_deleted, TIMESTAMP '{synced_by}' AS _fivetran_synced
    FROM raw.opportunities GROUP BY stage""",
        ("segment", "identifies"): """
    SELECT 'ajs-' || uuid_of('identify/' || anonymous_of(d.contact_id, d.device)) AS id,
        anonymous_of(d.contact_id, d.device) AS anonymous_id,
        user_of(d.contact_id) AS user_id, c.email,
        d.identified_at AS timestamp, d.identified_at AS original_timestamp, d.identified_at AS sent_at,
        synced(d.identified_at, 2) AS received_at, synced(d.identified_at, 60) AS uuid_ts
    FROM bench_devices d JOIN raw.contacts c USING (contact_id)""",
        ("segment", "pages"): f"""
    SELECT e.event_id AS id, anonymous_of(e.contact_id, d.device) AS anonymous_id, {_WEB_USER_ID}, {_SEGMENT_TIMES},
        e.url, regexp_extract(e.url, '^[a-z]+://[^/]+(/[^?#]*)', 1) AS path, NULL AS referrer, NULL AS title, {utm}
    {web}
    WHERE e.event_type = '{PAGE_VIEW}'""",
        ("segment", "tracks"): f"""
    SELECT e.event_id AS id, anonymous_of(e.contact_id, d.device) AS anonymous_id, {_WEB_USER_ID}, {_SEGMENT_TIMES},
        e.event_type AS event, titled(e.event_type) AS event_text, e.campaign AS context_campaign_name, {utm},
        e.asset
    {web}
    WHERE e.event_type NOT IN ('{PAGE_VIEW}', {_EMAIL_TYPES_SQL})""",
    }


def _create_table(con: duckdb.DuckDBPyConnection, schema: str, table: str, columns: dict[str, str]) -> None:
    body = ", ".join(f'"{name}" {kind}' for name, kind in columns.items())
    con.execute(f'CREATE TABLE "{schema}"."{table}" ({body})')


def shape_connector_tables(db_path: Path, synced_by: str, memory_limit: str = SHAPE_MEMORY_LIMIT) -> dict[str, int]:
    """Write the ``hubspot`` and ``segment`` tables from the warehouse's raw tables; rows per table."""
    if not db_path.exists():
        raise LeadscoreError(f"no warehouse at {db_path}: load the generated raw files first")
    con = connect(db_path, config={"memory_limit": memory_limit, "preserve_insertion_order": False}, what="warehouse")
    try:
        existing = con.execute(
            "select table_schema || '.' || table_name from information_schema.tables "
            "where table_schema in ('hubspot', 'segment') order by 1 limit 1"
        ).fetchone()
        if existing:
            raise LeadscoreError(f"{db_path} already has connector tables ({existing[0]}): shape a fresh warehouse")
        for statement in _macros(synced_by):
            con.execute(statement)
        for statement in _SCRATCH:
            con.execute(statement)
        counts: dict[str, int] = {}
        con.execute("BEGIN TRANSACTION")
        inserts = _inserts(synced_by)
        for schema, tables in TABLES.items():
            con.execute(f'CREATE SCHEMA IF NOT EXISTS "{schema}"')
            for table, columns in tables.items():
                _create_table(con, schema, table, columns)
                query = inserts.get((schema, table))
                row = con.execute(f'INSERT INTO "{schema}"."{table}" BY NAME {query}').fetchone() if query else None
                counts[f"{schema}.{table}"] = int(row[0]) if row else 0
        con.execute("COMMIT")
        return counts
    except duckdb.CatalogException as error:
        raise LeadscoreError(f"cannot shape connector tables in {db_path}: {error}") from None
    finally:
        con.close()


def connector_events(counts: dict[str, int]) -> int:
    """Events in the connector tables: email events, page views and tracks (each raw event once)."""
    return counts["hubspot.email_event"] + counts["segment.pages"] + counts["segment.tracks"]


if __name__ == "__main__":  # the bench's child step: python -m leadscore_dev.bench_sources DB SYNCED_BY RESULT
    _db, _synced_by, _result = Path(sys.argv[1]), sys.argv[2], Path(sys.argv[3])
    _counts: dict[str, Any] = shape_connector_tables(_db, _synced_by)
    _result.write_text(json.dumps(_counts, indent=2), encoding="utf-8")
