"""A connector's tables exported as files and landed by `leadscore load --source` build like the tables the
connector wrote: the HubSpot warehouse of hubspot_fixture, once as written (the connector's types) and once
exported to CSV, JSON Lines and Parquet and loaded (types inferred by DuckDB's readers), gives the same
lead_scores and breakdown under source_systems [hubspot]."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

import hubspot_fixture as hubspot
from leadscore.build import build
from leadscore.load_source import load_source_directory
from leadscore.serving import serving_path_for
from worked_examples import query

AS_OF = "2024-07-01T00:00:00Z"
VARS = "{source_systems: [hubspot]}"
FORMATS = ("csv", "jsonl", "parquet")


def export_tables(db_path: Path, directory: Path) -> list[str]:
    """Every table of schema hubspot as a file named after it, the formats taken in turn."""
    directory.mkdir(parents=True)
    with duckdb.connect(str(db_path), read_only=True) as con:
        tables = [row[0] for row in con.execute(
            "select table_name from information_schema.tables where table_schema = 'hubspot' order by 1"
        ).fetchall()]
        for index, table in enumerate(tables):
            rows = con.execute(f"select count(*) from hubspot.{table}").fetchone()
            # an empty table as JSON Lines would be an empty file, which no loader takes
            kind = FORMATS[index % len(FORMATS)] if rows and rows[0] else "parquet"
            options = {"csv": "format csv, header true", "jsonl": "format json", "parquet": "format parquet"}[kind]
            con.execute(f"copy hubspot.{table} to '{directory / f'{table}.{kind}'}' ({options})")
    return tables


@pytest.fixture(scope="module")
def both_ways(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, list[str]]:
    root = tmp_path_factory.mktemp("load_source_build")
    written = root / "written.duckdb"
    hubspot.write_hubspot_tables(written)
    tables = export_tables(written, root / "files")
    loaded = root / "loaded.duckdb"
    report = load_source_directory(loaded, "hubspot", root / "files")
    assert sorted(report.entities) == tables
    assert all(counts.rows_in == counts.loaded for counts in report.entities.values())
    for db_path in (written, loaded):
        build(db_path, as_of=AS_OF, vars_yaml=VARS)
    return written, loaded, tables


def test_every_table_lands_with_all_its_rows(both_ways: tuple[Path, Path, list[str]]) -> None:
    written, loaded, tables = both_ways
    for table in tables:
        assert query(loaded, f"select count(*) from hubspot.{table}") == query(
            written, f"select count(*) from hubspot.{table}"
        ), table


@pytest.mark.parametrize(("table", "key"), [("lead_scores", "contact_id"), ("lead_score_breakdown", "contribution_id")])
def test_the_loaded_files_score_as_the_connectors_tables(
    both_ways: tuple[Path, Path, list[str]], table: str, key: str
) -> None:
    written, loaded, _ = both_ways
    sql = f"select * from main.{table} order by {key}"
    as_written, as_loaded = query(written, sql), query(loaded, sql)
    assert len(as_written) > 0
    assert as_loaded == as_written


def test_forget_reaches_a_connectors_tables_and_a_later_load_refuses_the_person(tmp_path: Path) -> None:
    """`leadscore forget` on a warehouse scored from HubSpot's tables: the person leaves the connector's
    own tables (hubspot.contact by id and property_email, email_event by recipient) and every derived
    table, and loading the same files again rejects their rows as erased, keeping only the hash."""
    from leadscore.erasure import forget

    written = tmp_path / "written.duckdb"
    hubspot.write_hubspot_tables(written, tables=("contact", "email_event", "email_event_open", "email_event_click"))
    export_tables(written, tmp_path / "files")
    db_path = tmp_path / "warehouse.duckdb"
    load_source_directory(db_path, "hubspot", tmp_path / "files")
    build(db_path, as_of=AS_OF, vars_yaml=VARS)
    person, email = str(hubspot.PLAIN), "plain@acme.example"
    [(events_before,)] = query(db_path, "select count(*) from hubspot.email_event where lower(recipient) = ?", [email])
    assert events_before > 0
    assert (person,) in query(serving_path_for(db_path), "select contact_id from main.lead_scores")

    report = forget(db_path, email=email)
    assert report.contacts == 1 and report.rebuilt
    assert report.rows_removed["hubspot.contact"] == 1
    assert report.rows_removed["hubspot.email_event"] == events_before
    assert (person,) not in query(serving_path_for(db_path), "select contact_id from main.lead_scores")
    assert query(db_path, "select count(*) from hubspot.contact where cast(id as varchar) = ?", [person]) == [(0,)]

    again = load_source_directory(db_path, "hubspot", tmp_path / "files")
    assert again.entities["contact"].rejected == 1
    assert again.entities["email_event"].rejected == events_before
    assert query(db_path, "select count(*) from hubspot.contact where cast(id as varchar) = ?", [person]) == [(0,)]
    rejects = query(db_path, "select reason, raw_record from hubspot.load_rejects where reason = 'erased'")
    assert len(rejects) == 1 + events_before
    assert all(email not in str(record) and '"erased_subject"' in str(record) for _, record in rejects)
