"""The YAML descriptions of the public models are comments in the warehouse (dbt's persist_docs) and in
the serving file (copied by the publish), so that a BI tool shows them beside each table and column."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest
import yaml

from leadscore.build import build
from leadscore.load import load_directory
from leadscore.paths import PROJECT_DIR
from leadscore.serving import PUBLICATION_TABLE
from leadscore_dev.generate import generate

AS_OF = "2024-07-01T00:00:00Z"
PUBLIC_LAYERS = ("marts", "reports")


def normalized(text: str | None) -> str:
    """A description as a comment compares with it: YAML's folded text, whitespace collapsed."""
    return " ".join((text or "").split())


def yaml_descriptions() -> dict[str, tuple[str, dict[str, str]]]:
    """model -> (its description, {column: description}) from the YAML files of the public layers."""
    found: dict[str, tuple[str, dict[str, str]]] = {}
    for layer in PUBLIC_LAYERS:
        for path in sorted((PROJECT_DIR / "models" / layer).rglob("*.yml")):
            for model in (yaml.safe_load(path.read_text(encoding="utf-8")) or {}).get("models", []):
                columns = {column["name"]: normalized(column.get("description")) for column in model.get("columns", [])}
                found[model["name"]] = (normalized(model.get("description")), columns)
    return found


def comments(path: Path) -> tuple[dict[str, str], dict[tuple[str, str], str]]:
    """The comments of a DuckDB file's main schema: {relation: comment}, {(relation, column): comment}."""
    con = duckdb.connect(str(path), read_only=True)
    try:
        relations = con.execute(
            """select table_name, comment from duckdb_tables() where schema_name = 'main'
            union all
            select view_name, comment from duckdb_views() where schema_name = 'main' and not internal"""
        ).fetchall()
        columns = con.execute(
            "select table_name, column_name, comment from duckdb_columns() where schema_name = 'main' and not internal"
        ).fetchall()
    finally:
        con.close()
    return (
        {name: normalized(comment) for name, comment in relations},
        {(table, column): normalized(comment) for table, column, comment in columns},
    )


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("docs")
    generate(out_dir=root / "raw", contacts=150, days=30, seed=5, end_date="2024-06-30")
    load_directory(root / "warehouse.duckdb", root / "raw")
    build(root / "warehouse.duckdb", as_of=AS_OF)
    return root / "warehouse.duckdb"


def test_every_public_table_and_column_carries_its_description(built: Path) -> None:
    serving = built.with_name("serving.duckdb")
    con = duckdb.connect(str(serving), read_only=True)
    try:
        [(listed,)] = con.execute(f"select tables from main.{PUBLICATION_TABLE}").fetchall()
    finally:
        con.close()
    published = listed.split(", ")
    assert {"lead_scores", "lead_score_breakdown", "crm_lead_sync", "score_distribution"} <= set(published)

    described = yaml_descriptions()
    warehouse_tables, warehouse_columns = comments(built)
    serving_tables, serving_columns = comments(serving)
    checked = 0
    for table in published:
        assert table in described, f"{table} is published but described in no YAML of {PUBLIC_LAYERS}"
        description, column_descriptions = described[table]
        assert description, f"{table} has no description"
        assert warehouse_tables[table] == description, f"warehouse comment of {table}"
        assert serving_tables[table] == description, f"serving comment of {table}"
        columns = [column for (name, column) in serving_columns if name == table]
        assert columns
        for column in columns:
            expected = column_descriptions.get(column, "")
            assert expected, f"{table}.{column} has no description in the YAML"
            assert warehouse_columns[(table, column)] == expected, f"warehouse comment of {table}.{column}"
            assert serving_columns[(table, column)] == expected, f"serving comment of {table}.{column}"
            checked += 1
    assert checked > 300, "every column of every public table was checked"

    assert serving_tables[PUBLICATION_TABLE]
    publication_columns = [column for (name, column) in serving_columns if name == PUBLICATION_TABLE]
    assert publication_columns and all(serving_columns[(PUBLICATION_TABLE, column)] for column in publication_columns)
