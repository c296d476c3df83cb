"""The hand-over of a source system's tables to Spark, without Spark: the tables `leadscore load --source`
landed in schema segment are written as Parquet for Spark to create in schema segment. The Spark build
that reads them, with source_systems [raw, segment], is test_spark.py's."""

from __future__ import annotations

from datetime import datetime, timezone
from pathlib import Path

import duckdb
import pytest

from leadscore.errors import LeadscoreError
from leadscore.load import load_directory
from leadscore.load_source import load_source_directory
from leadscore.paths import PROJECT_DIR
from leadscore.spark import export_source_tables, selected_source_schemas
from tracker_tables import write_segment_files

CONTACTS_CSV = """contact_id,created_at,email,job_title,country,company_name
c1,2024-05-01T00:00:00Z,alice@acme.example,VP Marketing,US,Acme
c2,2024-05-02T00:00:00Z,bob@globex.example,Engineer,DE,Globex
c3,2024-05-03T00:00:00Z,carol@initech.example,Head of Sales,FR,Initech
"""


def test_the_selected_systems_schemas_are_handed_over_as_parquet(tmp_path: Path) -> None:
    """Without Spark: what the hand-over writes for `create_raw_tables_from_parquet` to create on Spark."""
    db_path = tmp_path / "warehouse.duckdb"
    write_segment_files(tmp_path / "segment", "alice@acme.example", "carol@initech.example")
    load_source_directory(db_path, "segment", tmp_path / "segment")
    systems, schemas = selected_source_schemas({"source_systems": ["raw", "segment"]}, PROJECT_DIR)
    assert (systems, schemas) == (["raw", "segment"], {"segment": "segment"})
    assert selected_source_schemas({}, PROJECT_DIR) == (["raw"], {})  # dbt_project.yml's default
    assert selected_source_schemas({"source_systems": ["hubspot"], "hubspot_schema": "fivetran_hubspot"},
                                   PROJECT_DIR) == (["hubspot"], {"hubspot": "fivetran_hubspot"})
    exported = export_source_tables(db_path, tmp_path / "handover", schemas)
    assert exported == {"segment": ["identifies", "load_rejects", "pages", "tracks"]}
    with duckdb.connect() as con:
        con.execute("set TimeZone = 'UTC'")
        rows = con.execute(
            f"select id, url, timestamp from read_parquet('{tmp_path / 'handover/segment/pages'}/*.parquet') "
            "order by id"
        ).fetchall()
        kinds = dict(con.execute(
            f"select column_name, column_type from (describe select * from "
            f"read_parquet('{tmp_path / 'handover/segment/pages'}/*.parquet'))"
        ).fetchall())
    assert [row[:2] for row in rows] == [
        ("p1", "https://acme.example/pricing"), ("p2", "https://acme.example/demo"),
        ("p3", "https://acme.example/pricing"), ("p4", "https://acme.example/blog"),
    ]
    assert rows[0][2] == datetime(2024, 6, 5, 10, tzinfo=timezone.utc)
    assert kinds["timestamp"] == "TIMESTAMP WITH TIME ZONE"  # an instant: Spark reads it as TIMESTAMP


def test_a_selected_system_without_tables_is_named(tmp_path: Path) -> None:
    db_path = tmp_path / "warehouse.duckdb"
    (tmp_path / "raw").mkdir()
    (tmp_path / "raw" / "contacts.csv").write_text(CONTACTS_CSV, encoding="utf-8")
    load_directory(db_path, tmp_path / "raw")
    with pytest.raises(LeadscoreError, match=r"no table in schema hubspot .*leadscore load --source hubspot DIR"):
        export_source_tables(db_path, tmp_path / "handover", {"hubspot": "hubspot"})
