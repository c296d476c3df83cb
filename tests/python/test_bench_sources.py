"""`leadscore bench --source hubspot+segment`: the generated raw data written as the connectors' tables
(Fivetran's HubSpot, Segment's warehouse schema) the adapters read. Shapes a small generated data set
and checks the tables against the connectors' column names (../shared/research/connectors.md), that every
raw event lands exactly once, and that the anonymous-only web events reach their contact only through an
identify. The end-to-end bench through the adapters runs once they are in the project."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import duckdb
import pytest

from leadscore.errors import LeadscoreError
from leadscore.load import load_directory
from leadscore.paths import PROJECT_DIR
from leadscore_dev.bench_sources import EMAIL_EVENT_TYPES, MERGED_ID_OFFSET, shape_connector_tables
from leadscore_dev.generate import generate

CONTACTS = 200
SYNCED_BY = "2024-07-01 00:00:00"

# The columns connectors.md names for each table (the shaping may write more, never fewer).
CONNECTOR_COLUMNS = {
    "hubspot.contact": {"id", "_fivetran_deleted", "_fivetran_synced", "property_email", "property_firstname",
                        "property_lastname", "property_company", "property_jobtitle", "property_createdate",
                        "property_annualrevenue", "property_hs_merged_object_ids"},
    "hubspot.company": {"id", "is_deleted", "property_name", "property_industry", "property_country",
                        "property_city", "property_state", "property_annualrevenue", "property_createdate"},
    "hubspot.email_event": {"id", "type", "created", "recipient", "email_campaign_id", "sent_by_id",
                            "sent_by_created", "caused_by_id", "obsoleted_by_id", "filtered_event", "app_id",
                            "portal_id"},
    "hubspot.email_event_delivered": {"id"},
    "hubspot.email_event_open": {"id", "browser", "duration", "ip_address", "location", "user_agent"},
    "hubspot.email_event_click": {"id", "browser", "duration", "ip_address", "location", "user_agent", "url",
                                  "referer"},
    "hubspot.email_event_status_change": {"id", "bounced", "portal_subscription_status", "subscriptions", "source"},
    "hubspot.email_event_spam_report": {"id"},
    "hubspot.deal": {"deal_id", "deal_pipeline_id", "deal_pipeline_stage_id", "owner_id", "is_deleted",
                     "property_amount", "property_closedate", "property_createdate", "property_dealname"},
    "hubspot.deal_contact": {"deal_id", "contact_id", "type_id", "category"},
    "hubspot.deal_pipeline_stage": {"stage_id", "pipeline_id", "label", "probability", "closed_won"},
    "hubspot.email_event_bounce": {"id", "category", "response", "status"},
    "hubspot.contact_form_submission": {"contact_id", "form_id", "timestamp", "conversion_id", "page_id", "page_url",
                                        "title"},
    "hubspot.engagement": {"id", "type", "portal_id", "_fivetran_synced"},
    "hubspot.engagement_contact": {"engagement_id", "contact_id", "category"},
    **{f"hubspot.engagement_{kind}": {"engagement_id", "type", "property_hs_timestamp", "property_hs_createdate",
                                      "property_hubspot_owner_id", "_fivetran_deleted"}
       for kind in ("meeting", "call", "email")},
    "segment.identifies": {"id", "anonymous_id", "user_id", "email", "received_at", "sent_at", "timestamp",
                           "original_timestamp", "uuid_ts"},
    "segment.pages": {"id", "anonymous_id", "user_id", "url", "received_at", "sent_at", "timestamp",
                      "original_timestamp", "uuid_ts"},
    "segment.tracks": {"id", "anonymous_id", "user_id", "event", "event_text", "received_at", "sent_at",
                       "timestamp", "original_timestamp", "uuid_ts"},
}


@pytest.fixture(scope="module")
def shaped(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, int]]:
    work = tmp_path_factory.mktemp("bench_sources")
    generate(work / "raw", contacts=CONTACTS, days=60, seed=11, end_date="2024-06-30", file_format="parquet")
    db_path = work / "bench.duckdb"
    load_directory(db_path, work / "raw")
    return db_path, shape_connector_tables(db_path, SYNCED_BY)


@pytest.fixture(scope="module")
def con(shaped: tuple[Path, dict[str, int]]) -> Any:
    connection = duckdb.connect(str(shaped[0]), read_only=True)
    yield connection
    connection.close()


def _rows(con: duckdb.DuckDBPyConnection, sql: str) -> list[tuple[Any, ...]]:
    return con.execute(sql).fetchall()


def _one(con: duckdb.DuckDBPyConnection, sql: str) -> Any:
    [(value,)] = _rows(con, sql)
    return value


def test_the_tables_have_the_connectors_names_and_columns(
    shaped: tuple[Path, dict[str, int]], con: duckdb.DuckDBPyConnection
) -> None:
    columns: dict[str, set[str]] = {}
    for schema, table, column in _rows(con, "select table_schema, table_name, column_name from "
                                            "information_schema.columns where table_schema in ('hubspot', 'segment')"):
        columns.setdefault(f"{schema}.{table}", set()).add(column)
    assert set(columns) == set(CONNECTOR_COLUMNS) == set(shaped[1])
    for table, expected in CONNECTOR_COLUMNS.items():
        assert expected <= columns[table], (table, expected - columns[table])
    # HubSpot's custom properties keep the property_ prefix, Segment's columns are snake case
    assert all(c.startswith(("property_", "_fivetran_")) or c in {"id", "is_deleted"}
               for c in columns["hubspot.contact"] | columns["hubspot.company"])
    assert _one(con, "select data_type from information_schema.columns where table_schema = 'hubspot' "
                     "and table_name = 'contact' and column_name = 'id'") == "BIGINT"
    for table, count in shaped[1].items():
        assert _one(con, f"select count(*) from {table}") == count, table


def test_every_raw_event_lands_exactly_once(con: duckdb.DuckDBPyConnection) -> None:
    landed = """select id, 'email' as kind from hubspot.email_event
        union all select id, 'page' from segment.pages union all select id, 'track' from segment.tracks"""
    assert _one(con, f"select count(*) - count(distinct id) from ({landed})") == 0
    missing_or_extra = _one(con, f"""select count(*) from (select id from ({landed}))
        full outer join raw.events on id = event_id where id is null or event_id is null""")
    assert missing_or_extra == 0
    assert _one(con, f"""select count(*) from ({landed}) l join raw.events e on l.id = e.event_id
        where l.kind <> case when e.event_type in ({", ".join(f"'{t}'" for t in EMAIL_EVENT_TYPES)}) then 'email'
                             when e.event_type = 'page_view' then 'page' else 'track' end""") == 0
    assert _one(con, "select count(*) from raw.events") > 20 * CONTACTS / 2
    # each email event is in the per-type table of its type, and only there
    for raw_type, (hubspot_type, table) in EMAIL_EVENT_TYPES.items():
        assert _rows(con, f"select count(*) from hubspot.email_event where type = '{hubspot_type}'") == _rows(
            con, f"select count(*) from raw.events where event_type = '{raw_type}'"), raw_type
        assert _one(con, f"""select count(*) from hubspot.email_event e full outer join hubspot.{table} t using (id)
            where (e.type = '{hubspot_type}') is distinct from (t.id is not null)""") == 0, table
    assert _one(con, "select count(*) from hubspot.email_event_click where url is null") == 0
    assert _one(con, "select count(*) from segment.tracks t join raw.events e on t.id = e.event_id where "
                     "t.event <> e.event_type or t.timestamp <> e.occurred_at or t.asset is distinct from e.asset") == 0
    assert _one(con, "select count(asset) from segment.tracks where event = 'content_download'") > 0


def test_email_events_carry_only_the_recipient_address(con: duckdb.DuckDBPyConnection) -> None:
    """No contact id: the adapter attaches each by address, case-insensitively, to the contact."""
    mismatched = _one(con, """select count(*) from hubspot.email_event m join raw.events e on m.id = e.event_id
        join raw.contacts c on c.contact_id = e.contact_id where lower(m.recipient) is distinct from lower(c.email)""")
    assert mismatched == 0
    assert _one(con, "select count(*) from hubspot.email_event where recipient <> lower(recipient)") > 0


def test_contacts_are_the_raw_ones_plus_merged_away_duplicates(con: duckdb.DuckDBPyConnection) -> None:
    raw_contacts = _one(con, "select count(*) from raw.contacts")
    merged = _rows(con, f"""select s.id, d.id, lower(s.property_email) = lower(d.property_email)
        from hubspot.contact s join hubspot.contact d on d.id::varchar = s.property_hs_merged_object_ids
        where d.id > {MERGED_ID_OFFSET}""")
    assert len(merged) == CONTACTS // 200 >= 1 and all(same for _s, _d, same in merged)
    assert _one(con, "select count(*) from hubspot.contact") == raw_contacts + len(merged)
    assert _one(con, "select count(*) from hubspot.contact where property_hs_merged_object_ids is not null") \
        == len(merged)
    assert _one(con, "select count(*) from hubspot.contact where _fivetran_deleted") == 0
    assert _one(con, "select count(*) from hubspot.contact c join raw.contacts r "
                     "on c.id = try_cast(substr(r.contact_id, 2) as bigint) and c.property_email = r.email") \
        == _one(con, "select count(email) from raw.contacts")
    assert _one(con, f"select max(_fivetran_synced) <= timestamp '{SYNCED_BY}' from hubspot.contact")


def test_opportunities_are_deals_of_their_contact(con: duckdb.DuckDBPyConnection) -> None:
    assert _one(con, "select count(*) from hubspot.deal") == _one(con, "select count(*) from raw.opportunities") > 0
    mismatched = _one(con, """select count(*) from raw.opportunities o
        left join hubspot.deal_contact dc on dc.deal_id = try_cast(substr(o.opportunity_id, 2) as bigint)
        left join hubspot.deal d on d.deal_id = dc.deal_id
        left join hubspot.deal_pipeline_stage s on s.stage_id = d.deal_pipeline_stage_id
        where dc.contact_id is distinct from try_cast(substr(o.contact_id, 2) as bigint)
           or s.closed_won is distinct from o.is_won or (s.probability in (0, 1)) is distinct from o.is_closed""")
    assert mismatched == 0
    # the tables the generated data has nothing for exist, empty
    for table in ("contact_form_submission", "engagement", "engagement_contact", "engagement_meeting",
                  "email_event_bounce"):
        assert _one(con, f"select count(*) from hubspot.{table}") == 0, table


def test_anonymous_only_web_events_reach_their_contact_through_an_identify(con: duckdb.DuckDBPyConnection) -> None:
    web = "select id, anonymous_id, user_id from segment.pages union all select id, anonymous_id, user_id " \
          "from segment.tracks"
    total, anonymous_only = _rows(con, f"select count(*), count(*) filter (where user_id is null) from ({web})")[0]
    assert anonymous_only > total / 2  # most web events carry only the anonymous id
    assert _one(con, f"select count(*) from ({web}) where anonymous_id is null") == 0
    # every anonymous id has exactly one identify, with a user id
    assert _one(con, f"""select count(*) from (select distinct anonymous_id from ({web})) w
        left join segment.identifies i using (anonymous_id) where i.user_id is null""") == 0
    assert _one(con, "select count(*) - count(distinct anonymous_id) from segment.identifies") == 0
    # anonymous id -> identify's email trait -> the live CRM contact with that address: the raw event's contact
    resolved = _rows(con, f"""select count(*),
            count(*) filter (where h.id = try_cast(substr(e.contact_id, 2) as bigint))
        from ({web}) w join raw.events e on w.id = e.event_id
        join segment.identifies i on i.anonymous_id = w.anonymous_id
        join hubspot.contact h on lower(h.property_email) = lower(i.email) and h.id < {MERGED_ID_OFFSET}
        where w.user_id is null""")[0]
    with_email = _one(con, f"""select count(*) from ({web}) w join raw.events e on w.id = e.event_id
        join raw.contacts c using (contact_id) where w.user_id is null and c.email is not null""")
    assert resolved[0] == resolved[1] == with_email > 0
    # some contacts browse from two devices: two anonymous ids, one user id
    assert _one(con, "select count(*) from (select user_id from segment.identifies group by all "
                     "having count(*) = 2)") > 0
    # a user id appears on a web event only after its device's identify
    web_timed = web.replace("user_id from", "user_id, timestamp from")
    assert _one(con, f"""select count(*) from ({web_timed}) w join segment.identifies i using (anonymous_id)
        where w.user_id is not null and (w.user_id <> i.user_id or w.timestamp < i.timestamp)""") == 0
    assert _one(con, f"select count(*) from ({web_timed}) where user_id is not null") > 0


def test_shaping_twice_is_refused(shaped: tuple[Path, dict[str, int]], tmp_path: Path) -> None:
    copy = tmp_path / "again.duckdb"
    shutil.copy(shaped[0], copy)
    with pytest.raises(LeadscoreError, match="already has connector tables"):
        shape_connector_tables(copy, SYNCED_BY)
    with pytest.raises(LeadscoreError, match="no warehouse at"):
        shape_connector_tables(tmp_path / "missing.duckdb", SYNCED_BY)


def test_an_unknown_source_is_one_line() -> None:
    result = subprocess.run([sys.executable, "-m", "leadscore.cli", "bench", "--source", "hubspot"],
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 2
    assert "invalid choice: 'hubspot'" in result.stderr and "Traceback" not in result.stderr


ADAPTERS_PRESENT = all((PROJECT_DIR / "models" / "staging" / s).is_dir() for s in ("hubspot", "segment"))


@pytest.mark.skipif(not ADAPTERS_PRESENT, reason="the hubspot and segment adapters are not in the project yet")
def test_the_bench_builds_through_the_adapters(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "leadscore.cli", "bench", "--source", "hubspot+segment", "--contacts", "400",
         "--days", "30", "--out", str(tmp_path)],
        capture_output=True, text=True, timeout=900,
    )
    assert result.returncode == 0, result.stderr + result.stdout[-3000:]
    [run] = json.loads((tmp_path / "bench.json").read_text(encoding="utf-8"))["runs"]
    assert run["source"] == "hubspot+segment"
    steps = {step["key"]: step for step in run["steps"]}
    assert list(steps) == ["generate", "load", "shape", "full_build", "adapter_staging", "stitching", "peak_memory"]
    assert steps["full_build"]["ratio"] == pytest.approx(run["events"] / steps["full_build"]["seconds"])
    assert steps["stitching"]["seconds"] > 0 and run["dbt"]["full_build"]["stitching_nodes"]
    # the merged-away duplicates are not leads
    assert run["built"]["lead_scores"] == run["connector_tables"]["hubspot.contact"] - 400 // 200
    assert "identity stitching models, in the full build" in result.stdout
    assert run["dbt"]["identity_report"]  # the identity layer's report, iterations among its columns
    # contacts without an email have web events no identify can tie to the CRM: all but those attach
    assert 0.9 * run["events"] < run["built"]["int_events"] < run["events"]
