"""``leadscore load``: the raw contract of SPEC section 2, on real DuckDB files."""

from __future__ import annotations

import gzip
import json
import subprocess
import sys
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any

import duckdb
import pytest

from leadscore.contract import DUCKDB_TYPES, ENTITIES
from leadscore.errors import LeadscoreError
from leadscore.load import LoadReport, ensure_raw_schema, load_directory

CONTACTS_CSV = """contact_id,created_at,updated_at,email,employee_count
c1,2024-06-01T10:00:00+02:00,2024-06-01T10:00:00Z,Alice@Example.com,120
c2,2024-06-01T00:00:00Z,,bob@example.com,5
"""


def write(directory: Path, name: str, text: str) -> Path:
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / name
    path.write_text(text, encoding="utf-8")
    return path


def write_parquet(directory: Path, name: str, select_sql: str) -> Path:
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / name
    with duckdb.connect() as con:
        con.execute(f"COPY ({select_sql}) TO '{path}' (FORMAT parquet)")
    return path


def jsonl(*records: dict[str, Any]) -> str:
    return "".join(json.dumps(record) + "\n" for record in records)


def query(db: Path, sql: str) -> list[tuple[Any, ...]]:
    with duckdb.connect(str(db), read_only=True) as con:
        return con.execute(sql).fetchall()


def count(db: Path, table: str) -> int:
    return query(db, f"SELECT count(*) FROM raw.{table}")[0][0]


def rejects(db: Path, entity: str) -> list[tuple[Any, ...]]:
    return query(
        db,
        f"SELECT source_file, row_number, raw_record, reason FROM raw.load_rejects "
        f"WHERE entity = '{entity}' ORDER BY source_file, row_number",
    )


@pytest.fixture
def db(tmp_path: Path) -> Path:
    return tmp_path / "warehouse" / "w.duckdb"


def load(db: Path, directory: Path) -> LoadReport:
    return load_directory(db, directory)


# ------------------------------------------------------------------------------------ the six entities


def test_every_entity_lands_with_contract_types_and_utc(tmp_path: Path, db: Path) -> None:
    raw = tmp_path / "raw"
    write(raw, "accounts.csv", "account_id,name,employee_count,is_target_account,updated_at\na1,Acme,250,T,\n")
    write(raw, "contacts.csv", CONTACTS_CSV)
    events = jsonl(
        {
            "event_id": "e1",
            "event_type": "Page_View",
            "occurred_at": "2024-06-01T10:00:00+02:00",
            "contact_id": "c1",
            "properties": {"path": "/pricing"},
        },
    )
    write(raw, "events.jsonl", events)
    write_parquet(
        raw,
        "opportunities.parquet",
        "SELECT 'o1' AS opportunity_id, TIMESTAMPTZ '2024-06-01 10:00:00+02' AS created_at, "
        "true AS is_won, 1200.5 AS amount",
    )
    write(raw, "lead_status_changes.csv", "contact_id,status,changed_at\nc1, MQL ,2024-06-02T00:00:00-01:00\n")
    write(
        raw,
        "score_adjustments.ndjson",
        jsonl({"contact_id": "c2", "points": "-5", "reason": "bounce", "created_at": "2024-06-03"}),
    )

    report = load(db, raw)

    assert {name: c.loaded for name, c in report.entities.items()} == {
        "accounts": 1,
        "contacts": 2,
        "events": 1,
        "opportunities": 1,
        "lead_status_changes": 1,
        "score_adjustments": 1,
    }
    contacts_columns = [row[0] for row in query(db, "SELECT column_name FROM (DESCRIBE raw.contacts)")]
    assert contacts_columns == [
        *ENTITIES["contacts"].columns,
        "custom_attributes",
        "_source_file",
        "_source_row",
        "_loaded_at",
    ]
    for entity in ENTITIES.values():
        described = dict(query(db, f"SELECT column_name, column_type FROM (DESCRIBE raw.{entity.name})"))
        for column, kind in entity.columns.items():
            assert described[column] == DUCKDB_TYPES[kind], (entity.name, column)
        assert described["_source_row"] == "BIGINT"
    eight_utc = datetime(2024, 6, 1, 8, 0)
    assert query(db, "SELECT created_at, employee_count FROM raw.contacts WHERE contact_id = 'c1'") == [
        (eight_utc, 120)
    ]
    assert query(db, "SELECT event_type, occurred_at, properties FROM raw.events") == [
        ("page_view", eight_utc, '{"path":"/pricing"}')
    ]
    assert query(db, "SELECT created_at, is_won, amount, _source_row FROM raw.opportunities") == [
        (eight_utc, True, 1200.5, 1)
    ]
    assert query(db, "SELECT status, changed_at FROM raw.lead_status_changes") == [("mql", datetime(2024, 6, 2, 1, 0))]
    assert query(db, "SELECT is_target_account, employee_count FROM raw.accounts") == [(True, 250)]
    [(adjustment_id, points)] = query(db, "SELECT adjustment_id, points FROM raw.score_adjustments")
    assert adjustment_id.startswith("h_") and points == -5.0


def test_empty_warehouse_has_all_raw_tables(tmp_path: Path) -> None:
    with duckdb.connect(str(tmp_path / "w.duckdb")) as con:
        ensure_raw_schema(con)
        ensure_raw_schema(con)
        tables = {
            row[0] for row in con.execute("SELECT table_name FROM duckdb_tables() WHERE schema_name = 'raw'").fetchall()
        }
    assert tables == {*ENTITIES, "load_rejects"}


def test_headers_are_matched_case_insensitively_and_custom_columns_kept(tmp_path: Path, db: Path) -> None:
    write(
        tmp_path / "raw",
        "Contacts_export.CSV",
        " Contact_ID ,CREATED_AT,Email,Favourite Colour,Tier,_reason\n"
        "c1,2024-06-01,a@x.com,blue,, kept as text \n"
        "c2,2024-06-01,,,,\n",
    )
    load(db, tmp_path / "raw")
    assert query(db, "SELECT contact_id, email, custom_attributes FROM raw.contacts ORDER BY 1") == [
        ("c1", "a@x.com", '{"_reason":"kept as text","favourite_colour":"blue"}'),
        ("c2", None, None),
    ]


# ------------------------------------------------------------------------------------ upserts


def test_contact_upsert_keeps_the_newest_version(tmp_path: Path, db: Path) -> None:
    header = "contact_id,created_at,updated_at,job_title\n"
    write(tmp_path / "first", "contacts.csv", header + "c1,2024-01-01,2024-06-01T00:00:00Z,analyst\n")
    write(tmp_path / "newer", "contacts.csv", header + "c1,2024-01-01,2024-06-02T00:00:00Z,director\n")
    write(tmp_path / "older", "contacts.csv", header + "c1,2024-01-01,2024-05-01T00:00:00Z,intern\n")

    assert load(db, tmp_path / "first").entities["contacts"].loaded == 1
    again = load(db, tmp_path / "first").entities["contacts"]
    assert (again.loaded, again.updated, again.unchanged) == (0, 0, 1)
    assert load(db, tmp_path / "newer").entities["contacts"].updated == 1
    older = load(db, tmp_path / "older").entities["contacts"]
    assert (older.rows_in, older.updated, older.superseded, older.unchanged) == (1, 0, 1, 0)
    assert query(db, "SELECT job_title FROM raw.contacts") == [("director",)]


def test_newest_version_within_one_load_wins_and_ties_go_to_the_later_row(tmp_path: Path, db: Path) -> None:
    write(
        tmp_path / "raw",
        "contacts.csv",
        "contact_id,created_at,updated_at,job_title\n"
        "c1,2024-01-01,2024-06-03,newest\n"
        "c1,2024-01-01,2024-06-01,old\n"
        "c2,2024-01-01,2024-06-01,first\n"
        "c2,2024-01-01,2024-06-01,second\n",
    )
    counts = load(db, tmp_path / "raw").entities["contacts"]
    assert (counts.rows_in, counts.loaded, counts.superseded, counts.unchanged) == (4, 2, 2, 0)
    assert query(db, "SELECT contact_id, job_title FROM raw.contacts ORDER BY 1") == [
        ("c1", "newest"),
        ("c2", "second"),
    ]


def test_without_updated_at_the_later_load_wins(tmp_path: Path, db: Path) -> None:
    write(tmp_path / "one", "accounts.csv", "account_id,name\na1,Acme\n")
    write(tmp_path / "two", "accounts.csv", "account_id,name\na1,Acme Corp\n")
    load(db, tmp_path / "one")
    assert load(db, tmp_path / "two").entities["accounts"].updated == 1
    assert query(db, "SELECT name FROM raw.accounts") == [("Acme Corp",)]


# ------------------------------------------------------------------------------------ events


def test_events_are_deduplicated_and_derived_ids_are_stable(tmp_path: Path, db: Path) -> None:
    raw = tmp_path / "raw"
    write(raw, "contacts.csv", CONTACTS_CSV)
    write(
        raw,
        "events_2024-06.csv",
        "event_id,event_type,occurred_at,contact_id\n"
        "e1,page_view,2024-06-01T10:00:00Z,c1\n"
        "e1,page_view,2024-06-01T10:00:00Z,c1\n"
        ",email_open,2024-06-02T10:00:00Z,c1\n",
    )
    first = load(db, raw).entities["events"]
    assert (first.loaded, first.unchanged, first.rejected) == (2, 1, 0)
    ids = query(db, "SELECT event_id FROM raw.events ORDER BY 1")

    # The same rows under another file name, with the derived row's timestamp in another offset.
    write(
        tmp_path / "later",
        "events_copy.csv",
        "Event_Type,Occurred_At,Contact_Id,event_id\n"
        " EMAIL_OPEN ,2024-06-02T12:00:00+02:00,c1,\n"
        "page_view,2024-06-01T10:00:00Z,c1,e1\n",
    )
    second = load(db, tmp_path / "later").entities["events"]
    assert (second.loaded, second.unchanged) == (0, 2)
    assert query(db, "SELECT event_id FROM raw.events ORDER BY 1") == ids
    assert ids[0][0] == "e1" and ids[1][0].startswith("h_")


def test_event_given_by_email_is_attached_case_insensitively(tmp_path: Path, db: Path) -> None:
    raw = tmp_path / "raw"
    write(raw, "contacts.csv", CONTACTS_CSV)
    write(raw, "events.csv", "event_type,occurred_at,email\nemail_click,2024-06-01,ALICE@example.COM\n")
    load(db, raw)
    assert query(db, "SELECT contact_id, email FROM raw.events") == [("c1", "ALICE@example.COM")]


def test_rows_for_unknown_contacts_are_rejected(tmp_path: Path, db: Path) -> None:
    raw = tmp_path / "raw"
    write(raw, "contacts.csv", CONTACTS_CSV)
    write(
        raw,
        "events.csv",
        "event_type,occurred_at,contact_id,email\n"
        "page_view,2024-06-01,c9,\n"
        "page_view,2024-06-01,,nobody@example.com\n"
        "page_view,2024-06-01,c2,\n",
    )
    write(raw, "lead_status_changes.csv", "contact_id,status,changed_at\nc9,mql,2024-06-01\n")
    write(raw, "score_adjustments.csv", "contact_id,points,reason,created_at\nc9,5,vip,2024-06-01\n")
    report = load(db, raw)
    assert report.entities["events"].rejected == 2 and report.entities["events"].loaded == 1
    assert [row[3] for row in rejects(db, "events")] == [
        "unknown contact: contact_id c9",
        "unknown contact: no contact with email nobody@example.com",
    ]
    assert [row[3] for row in rejects(db, "lead_status_changes")] == ["unknown contact: contact_id c9"]
    assert count(db, "score_adjustments") == 0 and len(rejects(db, "score_adjustments")) == 1


def test_an_event_key_loaded_with_other_content_is_rejected_once_per_row(tmp_path: Path, db: Path) -> None:
    raw = tmp_path / "raw"
    write(raw, "contacts.csv", CONTACTS_CSV)
    write(raw, "events.csv", "event_id,event_type,occurred_at,contact_id\ne1,page_view,2024-06-01,c1\n")
    load(db, raw)
    later = tmp_path / "later"
    write(
        later,
        "events_late.csv",
        "event_id,event_type,occurred_at,contact_id\ne1,page_view,2024-06-01,c1\ne1,form_submit,2024-06-01,c1\n",
    )
    first, again = load(db, later).entities["events"], load(db, later).entities["events"]
    for counts in (first, again):
        assert (counts.rows_in, counts.loaded, counts.unchanged, counts.rejected) == (2, 0, 1, 1)
    [(file, row, record, reason)] = rejects(db, "events")  # recorded once, though loaded twice
    assert (file, row) == ("events_late.csv", 2)
    assert reason == "duplicate event_id e1 in this load with different content"
    assert json.loads(record)["event_type"] == "form_submit"
    assert query(db, "SELECT event_type FROM raw.events") == [("page_view",)]

    header = "event_id,event_type,occurred_at,contact_id\n"
    write(tmp_path / "third", "events_third.csv", header + "e1,email_open,2024-06-01,c1\n")
    third = load(db, tmp_path / "third").entities["events"]
    assert (third.rows_in, third.rejected) == (1, 1)
    assert rejects(db, "events")[-1][3] == "event_id e1 already loaded with different content"


def test_headers_with_spaces_and_hyphens_match_the_contract(tmp_path: Path, db: Path) -> None:
    raw = tmp_path / "raw"
    write(raw, "contacts.csv", CONTACTS_CSV)
    write(raw, "events_a.csv", "Event ID,event-type,Occurred  At,contact id\nA1,page_view,2024-06-01,c1\n")
    write(raw, "events_b.csv", "event-id,Event Type,occurred_at,Contact-ID\nB1,page_view,2024-06-02,c1\n")
    report = load(db, raw)
    assert report.entities["events"].loaded == 2
    assert query(db, "SELECT event_id FROM raw.events ORDER BY 1") == [("A1",), ("B1",)]
    assert not any("not used" in note for note in report.notes)


def test_a_key_of_properties_wins_over_an_extra_column_of_the_same_name(tmp_path: Path, db: Path) -> None:
    raw = tmp_path / "raw"
    write(raw, "contacts.csv", CONTACTS_CSV)
    write(
        raw,
        "events.csv",
        "event_type,occurred_at,contact_id,properties,Form,Page Category\n"
        'form_submit,2024-06-01,c1,"{""form"": ""demo""}",newsletter,pricing\n',
    )
    report = load(db, raw)
    [(properties,)] = query(db, "SELECT properties FROM raw.events")
    assert json.loads(properties) == {"form": "demo", "page_category": "pricing"}
    assert "events.csv: extra columns kept in properties: form, page_category" in report.format_table()


def test_raising_the_maximum_line_size_loads_a_long_field(
    tmp_path: Path, db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    raw = tmp_path / "raw"
    write(raw, "contacts.csv", "contact_id,created_at,notes\nc1,2024-06-01," + "x" * 2_500_000 + "\n")
    with pytest.raises(LeadscoreError, match=r"line 2 holds 2,500,015 bytes, over the maximum line size of 2,000,000"):
        load(db, raw)
    monkeypatch.setenv("LEADSCORE_MAX_LINE_SIZE", "3000000")
    assert load(db, raw).entities["contacts"].loaded == 1
    assert query(db, "SELECT length(json_extract_string(custom_attributes, '$.notes')) FROM raw.contacts") == [
        (2_500_000,)
    ]
    monkeypatch.setenv("LEADSCORE_MAX_LINE_SIZE", "3 MB")
    with pytest.raises(LeadscoreError, match=r"^LEADSCORE_MAX_LINE_SIZE='3 MB': expected a whole number of bytes"):
        load(db, raw)


def test_a_gzip_json_array_and_a_gzip_csv_load(tmp_path: Path, db: Path) -> None:
    raw = tmp_path / "raw"
    raw.mkdir()
    records = [{"contact_id": "c1", "created_at": "2024-06-01"}, {"contact_id": "c2", "created_at": "2024-06-01"}]
    (raw / "contacts.json.gz").write_bytes(gzip.compress(json.dumps(records).encode()))
    events = "event_type,occurred_at,contact_id\npage_view,2024-06-01,c1\npage_view,2024-06-01,c2\n"
    (raw / "events.csv.gz").write_bytes(gzip.compress(events.encode()))
    report = load(db, raw)
    assert (report.entities["contacts"].loaded, report.entities["events"].loaded) == (2, 2)
    assert query(db, "SELECT DISTINCT _source_file FROM raw.events") == [("events.csv.gz",)]


# ------------------------------------------------------------------------------------ rejects


def test_malformed_rows_are_rejected_with_file_row_and_reason(tmp_path: Path, db: Path) -> None:
    raw = tmp_path / "raw"
    # Row 2 spans two lines and row 4 has one field too many: row numbers count records, not lines.
    write(
        raw,
        "contacts.csv",
        "contact_id,created_at,job_title,employee_count\n"
        "c1,2024-06-01,analyst,10\n"
        'c2,2024-06-01,"head of\nsales",20\n'
        "c3,yesterday,analyst,30\n"
        "c4,2024-06-01,analyst,40,surplus\n"
        "c5,2024-06-01,analyst,many\n"
        ",2024-06-01,analyst,60\n"
        "c7,2024-06-01,analyst,70\n",
    )
    counts = load(db, raw).entities["contacts"]
    assert (counts.loaded, counts.rejected) == (3, 4)
    assert query(db, "SELECT contact_id, _source_row FROM raw.contacts ORDER BY 1") == [
        ("c1", 1),
        ("c2", 2),
        ("c7", 7),
    ]
    found = rejects(db, "contacts")
    assert [(file, row, reason) for file, row, _, reason in found] == [
        ("contacts.csv", 3, "unparsable timestamp in created_at: 'yesterday'"),
        ("contacts.csv", 4, "malformed CSV row: Expected Number of Columns: 4 Found: 5"),
        ("contacts.csv", 5, "unparsable integer in employee_count: 'many'"),
        ("contacts.csv", 6, "missing required value: contact_id"),
    ]
    assert json.loads(found[0][2]) == {
        "contact_id": "c3",
        "created_at": "yesterday",
        "job_title": "analyst",
        "employee_count": "30",
    }
    assert json.loads(found[1][2]) == {"raw_line": "c4,2024-06-01,analyst,40,surplus"}


def test_bad_json_lines_and_values_are_rejected(tmp_path: Path, db: Path) -> None:
    raw = tmp_path / "raw"
    write(raw, "contacts.csv", CONTACTS_CSV)
    good = {"Event_Type": "page_view", "occurred_at": "2024-06-01", "CONTACT_ID": "c1"}
    lines = [
        json.dumps(good),
        "",  # blank lines are skipped but still counted: row numbers are line numbers
        "{not json",
        "[1, 2]",
        '{"event_type": "page_view", "occurred_at": "2024-06-01\x01"}',  # a raw control character
        json.dumps({**good, "properties": "[1]"}),
        json.dumps({**good, "occurred_at": None}),
        json.dumps({**good, "event_id": "x", "properties": {"k": [1, 2]}}),
    ]
    write(raw, "events.jsonl", "\n".join(lines) + "\n")
    counts = load(db, raw).entities["events"]
    assert (counts.loaded, counts.rejected) == (2, 5)
    assert [(row, reason) for _, row, _, reason in rejects(db, "events")] == [
        (3, "invalid JSON"),
        (4, "record is not a JSON object"),
        (5, "invalid JSON"),
        (6, "properties is not a JSON object"),
        (7, "missing required value: occurred_at"),
    ]
    assert query(db, "SELECT _source_row, event_type, properties FROM raw.events ORDER BY 1") == [
        (1, "page_view", None),
        (8, "page_view", '{"k":[1,2]}'),
    ]


def test_values_are_parsed_strictly(tmp_path: Path, db: Path) -> None:
    write(
        tmp_path / "raw",
        "contacts.csv",
        "contact_id,created_at,uses_competitor,is_do_not_contact,annual_revenue,employee_count\n"
        "c1,2024-06-01T10:00:00.5-05:30,YES,f,1e6,120.0\n"
        "c2,infinity,1,no,,\n"
        "c3,2024-06-01,maybe,0,NaN,3\n"
        "#c4,2024-06-01,t,FALSE,,\n",
    )
    load(db, tmp_path / "raw")
    columns = "contact_id, created_at, uses_competitor, is_do_not_contact, annual_revenue, employee_count"
    assert query(db, f"SELECT {columns} FROM raw.contacts ORDER BY 1") == [
        ("#c4", datetime(2024, 6, 1), True, False, None, None),
        ("c1", datetime(2024, 6, 1, 15, 30, 0, 500000), True, False, 1e6, 120),
    ]
    assert [reason for *_, reason in rejects(db, "contacts")] == [
        "unparsable timestamp in created_at: 'infinity'",
        "unparsable number in annual_revenue: 'NaN'; unparsable boolean in uses_competitor: 'maybe'",
    ]


def test_parquet_rows_are_numbered_in_file_order(tmp_path: Path, db: Path) -> None:
    write_parquet(
        tmp_path / "raw",
        "contacts.parquet",
        "SELECT 'c' || i AS contact_id, CASE WHEN i = 3 THEN 'bad' ELSE '2024-06-01' END "
        "AS created_at FROM range(1, 6) r(i)",
    )
    load(db, tmp_path / "raw")
    assert [(row, reason) for _, row, _, reason in rejects(db, "contacts")] == [
        (3, "unparsable timestamp in created_at: 'bad'")
    ]
    assert query(db, "SELECT count(*) FROM raw.contacts WHERE _source_row = replace(contact_id, 'c', '')::int") == [
        (4,)
    ]


def test_loading_the_same_directory_twice_changes_nothing(tmp_path: Path, db: Path) -> None:
    raw = tmp_path / "raw"
    write(raw, "accounts.csv", "account_id,name,segment,Owner Region\na1,Acme,smb,EMEA\n")
    write(raw, "contacts.csv", CONTACTS_CSV + "c3,never,,,\n")
    write(raw, "events.csv", "event_type,occurred_at,contact_id\npage_view,2024-06-01,c1\nopen,2024-06-01,c9\n")
    page_view = {"event_type": "page_view", "occurred_at": "2024-06-01", "contact_id": "c1"}
    write(
        raw,
        "events.jsonl",
        jsonl(page_view, {**page_view, "event_type": "form_submit", "properties": {"form": "demo"}})
        + "{not json\n"
        + jsonl({**page_view, "contact_id": "c9"}),
    )
    write_parquet(raw, "opportunities.parquet", "SELECT 'o1' AS opportunity_id, '2024-06-01' AS created_at")
    write(raw, "lead_status_changes.csv", "contact_id,status,changed_at\nc1,mql,2024-06-01\n")
    write(raw, "score_adjustments.csv", "contact_id,points,reason,created_at\nc1,5,vip,2024-06-01\n")
    first = load(db, raw)
    snapshot = {table: query(db, f"SELECT * EXCLUDE (_loaded_at) FROM raw.{table} ORDER BY ALL") for table in ENTITIES}
    rejects_before = query(db, "SELECT * FROM raw.load_rejects ORDER BY ALL")

    report = load(db, raw)

    assert first.entities["events"].loaded == 2  # the JSON Lines page view is the CSV one: same derived id
    assert all(c.loaded == 0 and c.updated == 0 for c in report.entities.values())
    assert report.entities["events"].rejected == 3  # still bad rows, but not recorded twice
    assert query(db, "SELECT * FROM raw.load_rejects ORDER BY ALL") == rejects_before
    assert [(file, reason) for file, _, _, reason in rejects(db, "events")] == [
        ("events.csv", "unknown contact: contact_id c9"),
        ("events.jsonl", "invalid JSON"),
        ("events.jsonl", "unknown contact: contact_id c9"),
    ]
    assert len(rejects_before) == 4
    assert query(db, "SELECT account_id, custom_attributes FROM raw.accounts") == [
        ("a1", '{"owner_region":"EMEA","segment":"smb"}')
    ]
    for table, rows in snapshot.items():
        assert query(db, f"SELECT * EXCLUDE (_loaded_at) FROM raw.{table} ORDER BY ALL") == rows, table


# ------------------------------------------------------------------------------------ unreadable input


def test_garbage_parquet_fails_and_loads_nothing(tmp_path: Path, db: Path) -> None:
    raw = tmp_path / "raw"
    write(raw, "contacts.csv", CONTACTS_CSV)
    (raw / "events.parquet").write_bytes(b"\x00\x01definitely not parquet\xff" * 10)
    with pytest.raises(LeadscoreError, match=r"^events\.parquet: cannot read as Parquet"):
        load(db, raw)
    assert not db.exists()  # a first load that fails leaves no warehouse, so no contact of it either


def test_csv_missing_a_required_column_fails_with_its_name(tmp_path: Path, db: Path) -> None:
    write(tmp_path / "raw", "contacts_bad.csv", "contact_id,email\nc1,a@x.com\n")
    with pytest.raises(LeadscoreError, match=r"^contacts_bad\.csv: missing required column created_at$"):
        load(db, tmp_path / "raw")


def test_empty_file_fails(tmp_path: Path, db: Path) -> None:
    write(tmp_path / "raw", "contacts.csv", "")
    with pytest.raises(LeadscoreError, match=r"^contacts\.csv: file is empty"):
        load(db, tmp_path / "raw")


def test_missing_directory_and_directory_without_raw_files(tmp_path: Path, db: Path) -> None:
    with pytest.raises(LeadscoreError, match="no such directory"):
        load(db, tmp_path / "nowhere")
    write(tmp_path / "other", "notes.txt", "hello")
    with pytest.raises(LeadscoreError, match="no raw file to load"):
        load(db, tmp_path / "other")


# ------------------------------------------------------------------------------------ command line


def run_cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "leadscore.cli", *args],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_cli_prints_counts_per_entity(tmp_path: Path, db: Path) -> None:
    write(tmp_path / "raw", "contacts.csv", CONTACTS_CSV)
    write(tmp_path / "raw", "README.md", "not data")
    result = run_cli("load", str(tmp_path / "raw"), "--db", str(db))
    assert result.returncode == 0, result.stderr
    contacts_line = next(line for line in result.stdout.splitlines() if line.strip().startswith("contacts"))
    # files, rows in, loaded, updated, superseded, unchanged, rejected
    assert contacts_line.split() == ["contacts", "1", "2", "2", "0", "0", "0", "0"]
    assert "raw.load_rejects" in result.stdout and "Skipping README.md" in result.stdout


def test_cli_fails_on_a_bad_file_with_one_line(tmp_path: Path, db: Path) -> None:
    write(tmp_path / "raw", "contacts_bad.csv", "contact_id\nc1\n")
    result = run_cli("load", str(tmp_path / "raw"), "--db", str(db))
    assert result.returncode != 0
    assert result.stderr.splitlines() == ["leadscore: error: contacts_bad.csv: missing required column created_at"]



def write_binary_csv(raw: Path) -> str:
    # A Parquet file under a .csv name: binary, with the right column names inside.
    columns = "'page_view' AS event_type, '2024-06-01' AS occurred_at, 'c1' AS contact_id"
    write_parquet(raw, "events.csv", f"SELECT {columns}")
    return "events.csv"


def write_jsonl_without_objects(raw: Path) -> str:
    write(raw, "events.jsonl", '["page_view", "2024-06-01", "c1"]\n"page_view"\n42\nnull\n')
    return "events.jsonl"


def write_latin1_jsonl(raw: Path) -> str:
    # Every line has a non-ASCII character, so that no line is valid UTF-8 by chance.
    record = {"event_type": "page_view", "occurred_at": "2024-06-01", "contact_id": "c1"}
    lines = [json.dumps({**record, "page": page}, ensure_ascii=False) for page in ("/café", "/société")]
    raw.mkdir(parents=True, exist_ok=True)
    (raw / "events.jsonl").write_bytes("\n".join(lines).encode("latin-1") + b"\n")
    return "events.jsonl"


def write_parquet_contacts_without_created_at(raw: Path) -> str:
    write_parquet(raw, "contacts.parquet", "SELECT 'c9' AS contact_id, 'c9@example.com' AS email")
    return "contacts.parquet"


def write_jsonl_contacts_without_created_at(raw: Path) -> str:
    write(raw, "contacts.jsonl", jsonl({"contact_id": "c9", "email": "c9@example.com"}))
    return "contacts.jsonl"


def rows_in_raw_tables(db: Path) -> dict[str, int]:
    """The raw tables (and raw.load_rejects) that hold rows; none when the warehouse was never created."""
    if not db.exists():
        return {}
    return {table: rows for table in [*ENTITIES, "load_rejects"] if (rows := count(db, table))}


MISSING_CREATED_AT = "missing required column created_at"


@pytest.mark.parametrize(
    ("write_bad_file", "reason"),
    [
        pytest.param(write_binary_csv, "cannot read as CSV", id="binary-csv"),
        pytest.param(write_jsonl_without_objects, "not JSON Lines", id="jsonl-lines-not-objects"),
        pytest.param(write_latin1_jsonl, "JSON Lines", id="jsonl-not-utf8"),
        pytest.param(write_parquet_contacts_without_created_at, MISSING_CREATED_AT, id="parquet-contacts"),
        pytest.param(write_jsonl_contacts_without_created_at, MISSING_CREATED_AT, id="jsonl-contacts"),
    ],
)
def test_cli_fails_on_an_unreadable_or_incomplete_file_and_loads_nothing(
    tmp_path: Path, db: Path, write_bad_file: Callable[[Path], str], reason: str
) -> None:
    raw = tmp_path / "raw"
    write(raw, "contacts.csv", CONTACTS_CSV)  # a good file beside the bad one: it must not land either
    name = write_bad_file(raw)
    result = run_cli("load", str(raw), "--db", str(db))
    assert result.returncode == 1
    assert "Traceback" not in result.stdout + result.stderr
    [line] = result.stderr.splitlines()
    assert line.startswith(f"leadscore: error: {name}: ") and reason in line, line
    assert rows_in_raw_tables(db) == {}


# ------------------------------------------------------------------------------------ extra columns in rules


def test_an_extra_event_column_is_matched_by_an_engagement_rule(tmp_path: Path) -> None:
    """An events file's own column (`Page Category`) lands in properties and scores through match_field."""
    from worked_examples import build_scores, copy_project

    project = copy_project(
        tmp_path / "project",
        {
            "engagement_rules": [
                {"rule_id": "pricing_category", "event_type": "page_view", "match_field": "properties.page_category",
                 "operator": "eq", "value": "pricing", "points": 13, "category": "active",
                 "description": "A page of the pricing category"},
            ]
        },
    )
    raw = tmp_path / "raw"
    write(raw, "contacts.csv", "contact_id,created_at\nreader,2024-01-01\nbrowser,2024-01-01\n")
    write(
        raw,
        "events.csv",
        "event_id,event_type,occurred_at,contact_id,Page Category\n"
        "e1,page_view,2024-06-30T00:00:00Z,reader,pricing\n"
        "e2,page_view,2024-06-30T00:00:00Z,browser,blog\n",
    )
    db_path = tmp_path / "w.duckdb"
    build_scores(project, raw, db_path, datetime(2024, 7, 1), vars_yaml="{decay_method: none}")
    rows = query(
        db_path,
        "SELECT contact_id, rule_id, points FROM main.lead_score_breakdown WHERE dimension = 'engagement' ORDER BY 1",
    )
    assert rows == [("reader", "pricing_category", 13)]


def test_a_failed_first_load_leaves_no_warehouse_behind(tmp_path: Path) -> None:
    """A build would otherwise find an empty warehouse where the typo'd or broken load left one."""
    write(tmp_path / "raw", "contacts.csv", "id,created\nc1,2024-06-01\n")
    db_path = tmp_path / "new.duckdb"
    with pytest.raises(LeadscoreError, match="missing required columns contact_id, created_at"):
        load_directory(db_path, tmp_path / "raw")
    assert sorted(path.name for path in tmp_path.iterdir()) == ["raw"]


def test_a_failed_load_into_an_existing_warehouse_keeps_it(tmp_path: Path, db: Path) -> None:
    write(tmp_path / "good", "contacts.csv", "contact_id,created_at\nc1,2024-06-01\n")
    load(db, tmp_path / "good")
    write(tmp_path / "bad", "contacts.csv", "id,created\nc2,2024-06-01\n")
    with pytest.raises(LeadscoreError, match="missing required columns"):
        load_directory(db, tmp_path / "bad")
    assert count(db, "contacts") == 1
