"""The Spark target reads a source system's tables as DuckDB does: the tables `leadscore load --source`
landed in schema segment are handed over as Parquet and created in schema segment on Spark, and a build
with source_systems [raw, segment] gives the same lead_scores on both engines.

The end-to-end test runs Spark (minutes, a JVM): like test_spark.py, never in parallel with another Spark run."""

from __future__ import annotations

import json
import math
import subprocess
import sys
import textwrap
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import duckdb
import pytest

from leadscore.build import build
from leadscore.load import load_directory
from leadscore.load_source import load_source_directory
from leadscore.paths import PROJECT_DIR
from leadscore.spark import export_source_tables, selected_source_schemas

AS_OF = "2024-07-01T00:00:00Z"
VARS = "{source_systems: [raw, segment]}"

CONTACTS_CSV = """contact_id,created_at,email,job_title,country,company_name
c1,2024-05-01T00:00:00Z,alice@acme.example,VP Marketing,US,Acme
c2,2024-05-02T00:00:00Z,bob@globex.example,Engineer,DE,Globex
c3,2024-05-03T00:00:00Z,carol@initech.example,Head of Sales,FR,Initech
"""


def segment_record(message_id: str, day: int, **fields: Any) -> dict[str, Any]:
    stamp = f"2024-06-{day:02d}T10:00:00Z"
    return {"id": message_id, "anonymous_id": None, "user_id": None, "timestamp": stamp, "received_at": stamp,
            "sent_at": stamp, "original_timestamp": stamp, "uuid_ts": stamp, "context_library_name": "analytics.js",
            **fields}


def write_segment_files(directory: Path) -> None:
    """Segment's warehouse tables (connectors.md section 3): an anonymous visitor browses, then identifies."""
    directory.mkdir(parents=True, exist_ok=True)
    identifies = [
        segment_record("i1", 10, anonymous_id="anon-a", user_id="u-alice", email="Alice@Acme.example"),
        segment_record("i2", 12, anonymous_id="anon-c", user_id="u-carol", email="carol@initech.example"),
    ]
    pages = [
        segment_record("p1", 5, anonymous_id="anon-a", url="https://acme.example/pricing", path="/pricing",
                       title="Pricing", name="Pricing"),
        segment_record("p2", 11, anonymous_id="anon-a", user_id="u-alice", url="https://acme.example/demo",
                       path="/demo", title="Demo", name="Demo"),
        segment_record("p3", 13, anonymous_id="anon-c", url="https://acme.example/pricing", path="/pricing",
                       title="Pricing", name="Pricing"),
        segment_record("p4", 14, anonymous_id="anon-x", url="https://acme.example/blog", path="/blog",
                       title="Blog", name="Blog"),  # never identified
    ]
    tracks = [
        segment_record("t1", 15, user_id="u-alice", event="Demo Requested", event_text="Demo Requested"),
        segment_record("t2", 16, anonymous_id="anon-c", user_id="u-carol", event="Form Submitted",
                       event_text="Form Submitted"),
    ]
    for name, records in (("identifies", identifies), ("pages", pages), ("tracks", tracks)):
        (directory / f"{name}.jsonl").write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")


def test_the_selected_systems_schemas_are_handed_over_as_parquet(tmp_path: Path) -> None:
    """Without Spark: what the hand-over writes for `create_raw_tables_from_parquet` to create on Spark."""
    db_path = tmp_path / "warehouse.duckdb"
    write_segment_files(tmp_path / "segment")
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
    from leadscore.errors import LeadscoreError

    with pytest.raises(LeadscoreError, match=r"no table in schema hubspot .*leadscore load --source hubspot DIR"):
        export_source_tables(db_path, tmp_path / "handover", {"hubspot": "hubspot"})


# ------------------------------------------------------------------------------ DuckDB and Spark, end to end


@pytest.fixture(scope="module")
def both_engines(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    root = tmp_path_factory.mktemp("spark_sources")
    (root / "raw").mkdir()
    (root / "raw" / "contacts.csv").write_text(CONTACTS_CSV, encoding="utf-8")
    write_segment_files(root / "segment")
    db_path = root / "warehouse.duckdb"
    load_directory(db_path, root / "raw")
    load_source_directory(db_path, "segment", root / "segment")
    build(db_path, as_of=AS_OF, vars_yaml=VARS)
    exported = root / "from_spark"
    # A child process: the JVM and the Hive metastore stay out of the test process. Only lead_scores and
    # what it reads: test_spark.py builds the whole project on Spark; here the adapters and identity layer.
    script = textwrap.dedent(
        f"""
        from pathlib import Path
        from leadscore.build import build, export_from_spark
        db = Path({str(db_path)!r})
        build(db, as_of={AS_OF!r}, target="spark", vars_yaml={VARS!r}, select="+lead_scores", progress=print)
        export_from_spark(db, ["lead_scores"], Path({str(exported)!r}))
        """
    )
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=1800)
    assert result.returncode == 0, (result.stdout + result.stderr)[-4000:]
    assert "Handing the tables of schema segment to Spark" in result.stdout
    assert "Spark build finished" in result.stdout
    return db_path, exported


def same(left: object, right: object) -> bool:
    left, right = (value.astimezone(timezone.utc).replace(tzinfo=None)
                   if isinstance(value, datetime) and value.tzinfo else value for value in (left, right))
    if isinstance(left, float) or isinstance(right, float):
        if left is None or right is None:
            return left is right
        return math.isclose(float(left), float(right), rel_tol=0, abs_tol=1e-6)
    return left == right


def test_spark_scores_the_segment_events_as_duckdb(both_engines: tuple[Path, Path]) -> None:
    db_path, exported = both_engines
    with duckdb.connect(str(db_path), read_only=True) as con:
        con.execute("set TimeZone = 'UTC'")
        duck = con.execute("select * from main.lead_scores order by contact_id")
        names = [column[0] for column in duck.description]
        on_duckdb = {row[0]: dict(zip(names, row, strict=True)) for row in duck.fetchall()}
        spark = con.execute(f"select * from read_parquet('{exported / 'lead_scores'}/*.parquet') order by contact_id")
        spark_names = [column[0] for column in spark.description]
        on_spark = {row[0]: dict(zip(spark_names, row, strict=True)) for row in spark.fetchall()}
        # the segment events reach the scores: alice's and carol's browsing count once identified
        engaged = con.execute(
            "select count(distinct contact_id) from main.lead_score_breakdown where dimension = 'engagement'"
        ).fetchone()
    assert sorted(on_duckdb) == ["c1", "c2", "c3"]
    assert engaged is not None and engaged[0] >= 2
    assert on_spark.keys() == on_duckdb.keys()
    differences = [
        (key, column, row[column], on_spark[key].get(column))
        for key, row in on_duckdb.items()
        for column in row
        if not same(row[column], on_spark[key].get(column))
    ]
    assert differences == [], differences[:10]
