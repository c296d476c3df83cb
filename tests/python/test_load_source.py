"""``leadscore load --source SYSTEM DIR``: a connector's tables land as they are, idempotently (real DuckDB files)."""

from __future__ import annotations

import gzip
import json
import subprocess
import sys
from datetime import datetime
from pathlib import Path
from typing import Any

import duckdb
import pytest

from leadscore.errors import LeadscoreError
from leadscore.load import LoadReport
from leadscore.load_source import SYSTEM_TABLES, load_source_directory, table_for_file

CONTACT_CSV = """id,property_email,property_firstname,_fivetran_deleted,_fivetran_synced
101,alice@example.com,Alice,false,2024-06-01T10:00:00Z
102,bob@example.com,Bob,false,2024-06-01T10:00:00Z
"""


def write(directory: Path, name: str, text: str) -> Path:
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / name
    path.write_text(text, encoding="utf-8")
    return path


def jsonl(*records: dict[str, Any]) -> str:
    return "".join(json.dumps(record) + "\n" for record in records)


def page(message_id: str, url: str, day: int) -> dict[str, Any]:
    return {
        "id": message_id,
        "anonymous_id": "anon-1",
        "user_id": None,
        "url": url,
        "timestamp": f"2024-06-{day:02d}T10:00:00Z",
        "received_at": f"2024-06-{day:02d}T10:00:05Z",
    }


def query(db: Path, sql: str) -> list[tuple[Any, ...]]:
    with duckdb.connect(str(db), read_only=True) as con:
        return con.execute(sql).fetchall()


def counts(report: LoadReport, table: str) -> tuple[int, ...]:
    c = report.entities[table]
    return (c.files, c.rows_in, c.loaded, c.updated, c.superseded, c.unchanged, c.rejected)


def assert_adds_up(report: LoadReport) -> None:
    for table, c in report.entities.items():
        assert c.rows_in == c.loaded + c.updated + c.superseded + c.unchanged + c.rejected, table


@pytest.fixture
def db(tmp_path: Path) -> Path:
    return tmp_path / "warehouse" / "w.duckdb"


def test_tables_land_as_they_are_in_the_systems_schema(tmp_path: Path, db: Path) -> None:
    files = tmp_path / "hubspot"
    write(files, "contact.csv", CONTACT_CSV)
    write(files, "email_event.jsonl", jsonl(
        {"id": "e1", "type": "OPEN", "recipient": "Alice@Example.com", "created": "2024-06-02T09:00:00+02:00"},
    ))
    report = load_source_directory(db, "hubspot", files)
    assert counts(report, "contact") == (1, 2, 2, 0, 0, 0, 0)
    assert counts(report, "email_event") == (1, 1, 1, 0, 0, 0, 0)
    assert_adds_up(report)
    columns = query(
        db, "SELECT column_name, data_type FROM information_schema.columns "
        "WHERE table_schema = 'hubspot' AND table_name = 'contact' ORDER BY ordinal_position",
    )
    # the file's own names, the types DuckDB infers; no contract column added
    assert columns == [
        ("id", "BIGINT"), ("property_email", "VARCHAR"), ("property_firstname", "VARCHAR"),
        ("_fivetran_deleted", "BOOLEAN"), ("_fivetran_synced", "TIMESTAMP"),
    ]
    # a timestamp with an offset is stored as its UTC instant
    assert query(db, "SELECT recipient, CAST(created AS VARCHAR) FROM hubspot.email_event") == [
        ("Alice@Example.com", "2024-06-02 07:00:00"),
    ]
    assert query(db, "SELECT count(*) FROM information_schema.tables WHERE table_schema = 'raw'") == [(0,)]


def test_loading_the_same_files_again_changes_nothing(tmp_path: Path, db: Path) -> None:
    files = tmp_path / "segment"
    write(files, "pages.jsonl", jsonl(page("m1", "https://x.com/a", 1), page("m2", "https://x.com/b", 2)))
    write(files, "identifies.csv", "anonymous_id,user_id,email\nanon-1,u1,a@x.com\nanon-2,u2,b@x.com\n")  # no id
    first = load_source_directory(db, "segment", files)
    before = query(db, "SELECT * FROM segment.pages ORDER BY id"), query(db, "SELECT * FROM segment.identifies")
    again = load_source_directory(db, "segment", files)
    assert counts(again, "pages") == (1, 2, 0, 0, 0, 2, 0)
    assert counts(again, "identifies") == (1, 2, 0, 0, 0, 2, 0)  # told apart by their whole content
    assert any("identifies: no id column" in note for note in first.notes)
    assert_adds_up(again)
    after = query(db, "SELECT * FROM segment.pages ORDER BY id"), query(db, "SELECT * FROM segment.identifies")
    assert after == before


def test_a_changed_row_replaces_the_stored_one_by_its_key(tmp_path: Path, db: Path) -> None:
    write(tmp_path / "first", "contact.csv", CONTACT_CSV)
    load_source_directory(db, "hubspot", tmp_path / "first")
    write(tmp_path / "second", "contact.csv", (
        "id,property_email,property_firstname,_fivetran_deleted,_fivetran_synced\n"
        "101,alice@new.example.com,Alice,false,2024-06-05T10:00:00Z\n"  # newer: replaces 101
        "102,bob@old.example.com,Bob,false,2024-05-01T10:00:00Z\n"  # older than the stored 102: kept out
        "103,carol@example.com,Carol,true,2024-06-05T10:00:00Z\n"
    ))
    report = load_source_directory(db, "hubspot", tmp_path / "second")
    assert counts(report, "contact") == (1, 3, 1, 1, 1, 0, 0)
    assert_adds_up(report)
    assert query(db, "SELECT id, property_email, _fivetran_deleted FROM hubspot.contact ORDER BY id") == [
        (101, "alice@new.example.com", False), (102, "bob@example.com", False), (103, "carol@example.com", True),
    ]


def test_several_files_of_one_table_and_the_newest_version_in_a_load(tmp_path: Path, db: Path) -> None:
    files = tmp_path / "segment"
    write(files, "pages_2024-06.jsonl", jsonl(page("m1", "https://x.com/a", 1), page("m2", "https://x.com/b", 2)))
    later = page("m2", "https://x.com/b-corrected", 2) | {"received_at": "2024-06-03T00:00:00Z"}
    gz = files / "pages_2024-07.jsonl.gz"
    gz.write_bytes(gzip.compress(jsonl(later, page("m1", "https://x.com/a", 1)).encode()))
    report = load_source_directory(db, "segment", files)
    # m1 twice (the repeat is unchanged); m2 twice, the later received_at wins, the older is superseded
    assert counts(report, "pages") == (2, 4, 2, 0, 1, 1, 0)
    assert query(db, "SELECT id, url FROM segment.pages ORDER BY id") == [
        ("m1", "https://x.com/a"), ("m2", "https://x.com/b-corrected"),
    ]


def test_a_row_without_its_key_is_rejected_and_listed(tmp_path: Path, db: Path) -> None:
    write(tmp_path / "segment", "tracks.csv", "id,event,user_id\nt1,Signed Up,u1\n,Demo Requested,u1\n")
    report = load_source_directory(db, "segment", tmp_path / "segment")
    assert counts(report, "tracks") == (1, 2, 1, 0, 0, 0, 1)
    assert "Rejected rows (1 in this load) are listed in segment.load_rejects." in report.format_table()
    assert query(db, "SELECT entity, source_file, row_number, reason FROM segment.load_rejects") == [
        ("tracks", "tracks.csv", 2, "empty id (the key of tracks)"),
    ]
    load_source_directory(db, "segment", tmp_path / "segment")
    assert query(db, "SELECT count(*) FROM segment.load_rejects") == [(1,)]  # listed once


def test_a_file_not_named_after_a_table_is_reported_not_loaded(tmp_path: Path, db: Path) -> None:
    files = tmp_path / "segment"
    write(files, "pages.jsonl", jsonl(page("m1", "https://x.com/a", 1)))
    write(files, "order_completed.csv", "id,revenue\no1,10\n")  # a per-event table: not read by the adapter
    write(files, "notes.txt", "hello")
    report = load_source_directory(db, "segment", files)
    assert list(report.entities) == ["pages"]
    summary = report.format_table()
    assert "Skipped order_completed.csv: not a table of segment (its tables: accounts, aliases," in summary
    assert "Skipped notes.txt: not a data file" in summary
    assert query(db, "SELECT table_name FROM information_schema.tables WHERE table_schema = 'segment' "
                     "ORDER BY 1") == [("load_rejects",), ("pages",)]


def test_only_files_of_unknown_tables_fail_and_create_nothing(tmp_path: Path, db: Path) -> None:
    write(tmp_path / "files", "contacts.csv", "contact_id\nc1\n")  # the raw contract's name, not HubSpot's
    with pytest.raises(LeadscoreError, match=r"no hubspot table to load .*e\.g\. contact\.csv; 1 file\(s\) skipped"):
        load_source_directory(db, "hubspot", tmp_path / "files")
    assert not db.exists()


def test_table_names_from_file_names() -> None:
    assert table_for_file("hubspot", "Email_Event_Open.parquet.gz") == "email_event_open"
    assert table_for_file("hubspot", "email_event_0001.csv") == "email_event"
    assert table_for_file("segment", "pages_2024-06.jsonl") == "pages"
    assert table_for_file("segment", "pages.2024-06.jsonl") == "pages"
    assert table_for_file("segment", "pages_extra.jsonl") is None
    assert table_for_file("marketo", "activity_visit_webpage.csv") == "activity_visit_webpage"
    assert table_for_file("salesforce", "contact.csv") == "contact"
    assert set(SYSTEM_TABLES) == {"hubspot", "salesforce", "marketo", "segment", "rudderstack"}


def test_unknown_system_fails_with_the_valid_ones(tmp_path: Path, db: Path) -> None:
    write(tmp_path / "files", "contact.csv", CONTACT_CSV)
    with pytest.raises(LeadscoreError, match=r"^unknown source system 'hubspott': expected one of hubspot, "
                                             r"salesforce, marketo, segment, rudderstack$"):
        load_source_directory(db, "hubspott", tmp_path / "files")
    assert not db.exists()


def test_a_bad_file_fails_the_load_in_one_line_and_a_first_load_leaves_no_warehouse(tmp_path: Path) -> None:
    files = tmp_path / "files"
    write(files, "contact.csv", CONTACT_CSV)
    (files / "company.csv").write_bytes("id,property_name\n1,Soci\xe9t\xe9 G\xe9n\xe9rale\n".encode("latin-1"))
    db_path = tmp_path / "new.duckdb"
    not_utf8 = r"^company\.csv: cannot read as CSV: not UTF-8 text \(byte 0xE9 on line 2"
    with pytest.raises(LeadscoreError, match=not_utf8):
        load_source_directory(db_path, "hubspot", files)
    assert sorted(path.name for path in tmp_path.iterdir()) == ["files"]


def test_a_bad_file_leaves_an_existing_warehouse_as_it_was(tmp_path: Path, db: Path) -> None:
    write(tmp_path / "good", "contact.csv", CONTACT_CSV)
    load_source_directory(db, "hubspot", tmp_path / "good")
    write(tmp_path / "bad", "contact.csv", CONTACT_CSV.replace("102,", "104,"))
    write(tmp_path / "bad", "deal.jsonl", '{"deal_id": 1}\n{"deal_id": \n')
    with pytest.raises(LeadscoreError, match=r"^deal\.jsonl: cannot read as JSON Lines: "):
        load_source_directory(db, "hubspot", tmp_path / "bad")
    assert query(db, "SELECT id FROM hubspot.contact ORDER BY id") == [(101,), (102,)]


def run_cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "leadscore.cli", *args], capture_output=True, text=True, timeout=60, check=False
    )


def test_cli_summary_and_one_line_errors(tmp_path: Path, db: Path) -> None:
    write(tmp_path / "files", "contact.csv", CONTACT_CSV)
    done = run_cli("load", "--db", str(db), "--source", "hubspot", str(tmp_path / "files"))
    assert done.returncode == 0, done.stderr
    assert "  contact" in done.stdout + done.stderr
    assert "rows in = loaded + updated + superseded + unchanged + rejected" in done.stdout + done.stderr
    wrong = run_cli("load", "--db", str(db), "--source", "hubspott", str(tmp_path / "files"))
    assert wrong.returncode != 0
    assert "unknown source system 'hubspott': expected one of hubspot, salesforce" in wrong.stderr
    assert "Traceback" not in wrong.stderr
    missing = run_cli("load", "--db", str(db), "--source", "segment", str(tmp_path / "nowhere"))
    assert missing.returncode != 0
    assert missing.stderr.strip().splitlines()[-1].endswith("nowhere: no such directory")


def test_parquet_and_gzip_parquet_files_land_with_their_types(tmp_path: Path, db: Path) -> None:
    files = tmp_path / "hubspot"
    files.mkdir()
    plain, unpacked = files / "email_event_click.parquet", tmp_path / "email_event_click_2.parquet"
    with duckdb.connect() as con:
        for path, message_id in ((plain, "e1"), (unpacked, "e2")):
            con.execute(
                f"COPY (SELECT '{message_id}' AS id, 'https://x.com/pricing' AS url, "
                f"TIMESTAMPTZ '2024-06-01 12:00:00+02' AS created) TO '{path}' (FORMAT parquet)"
            )
    (files / "email_event_click_2.parquet.gz").write_bytes(gzip.compress(unpacked.read_bytes()))
    report = load_source_directory(db, "hubspot", files)
    assert counts(report, "email_event_click") == (2, 2, 2, 0, 0, 0, 0)
    assert query(db, "SELECT id, url, created FROM hubspot.email_event_click ORDER BY id") == [
        ("e1", "https://x.com/pricing", datetime(2024, 6, 1, 10, 0)),
        ("e2", "https://x.com/pricing", datetime(2024, 6, 1, 10, 0)),
    ]


def test_a_csv_row_with_more_fields_than_the_header_names_its_line(tmp_path: Path, db: Path) -> None:
    write(tmp_path / "files", "contact.csv", "id,property_email\n1,a@x.com\n2,b@x.com,extra\n")
    with pytest.raises(LeadscoreError, match=r"^contact\.csv: cannot read as CSV: line 3 has 3 fields, the header 2$"):
        load_source_directory(db, "hubspot", tmp_path / "files")
    assert not db.exists()
