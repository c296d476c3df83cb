"""The Spark target: raw tables (and the selected source systems' tables) handed over from the DuckDB
warehouse as Parquet, the same dbt project built on Spark (dbt-spark, `method: session`), and public
tables handed back as Parquet."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import duckdb

from leadscore.contract import ENTITIES, RAW_SCHEMA, REJECTS_TABLE
from leadscore.errors import LeadscoreError
from leadscore.var_rules import project_vars
from leadscore.warehouse import Warehouse, quote_identifier, quote_literal

SPARK_TARGET = "spark"


def spark_home_for(db_path: Path) -> Path:
    """Where the local Spark target keeps its warehouse, metastore and hand-over files."""
    configured = os.environ.get("LEADSCORE_SPARK_WAREHOUSE")
    return Path(configured).resolve() if configured else db_path.parent / "spark-warehouse"


@contextmanager
def spark_environment(db_path: Path) -> Iterator[Path]:
    """profiles.yml reads LEADSCORE_SPARK_WAREHOUSE; point it beside this warehouse."""
    home = spark_home_for(db_path)
    home.mkdir(parents=True, exist_ok=True)
    previous = os.environ.get("LEADSCORE_SPARK_WAREHOUSE")
    os.environ["LEADSCORE_SPARK_WAREHOUSE"] = str(home)
    try:
        yield home
    finally:
        if previous is None:
            os.environ.pop("LEADSCORE_SPARK_WAREHOUSE", None)
        else:
            os.environ["LEADSCORE_SPARK_WAREHOUSE"] = previous


def export_raw_tables(db_path: Path, destination: Path) -> list[str]:
    """Every raw table as Parquet under destination/<table>/, timestamps written as UTC instants
    (Spark reads those as TIMESTAMP; naive ones would come back as TIMESTAMP_NTZ)."""
    if not db_path.exists():
        raise LeadscoreError(f"{db_path}: no warehouse here yet: run `leadscore load` first")
    _fresh(destination)
    tables = [*ENTITIES, REJECTS_TABLE]
    with Warehouse(db_path).connect(read_only=True) as con:
        for table in tables:
            if not _copy_table(con, RAW_SCHEMA, table, destination / table):
                raise LeadscoreError(f"{db_path}: table {RAW_SCHEMA}.{table} is missing: run `leadscore load` first")
    return tables


def _fresh(directory: Path) -> None:
    if directory.exists():
        shutil.rmtree(directory)
    directory.mkdir(parents=True)


def _copy_table(con: duckdb.DuckDBPyConnection, schema: str, table: str, target: Path) -> bool:
    """One table as target/part-0.parquet, in types Spark reads (_spark_column); False when it is missing."""
    columns = con.execute(
        "select column_name, data_type from information_schema.columns"
        " where table_schema = ? and table_name = ? order by ordinal_position",
        [schema, table],
    ).fetchall()
    if not columns:
        return False
    select_list = ", ".join(_spark_column(str(name), str(kind)) for name, kind in columns)
    target.mkdir(parents=True)
    con.execute(
        f"copy (select {select_list} from {quote_identifier(schema)}.{quote_identifier(table)}) "
        f"to {quote_literal(target / 'part-0.parquet')} (format parquet)"
    )
    return True


# DuckDB types Spark cannot read from Parquet (or reads as something else), handed over as text.
_AS_TEXT = ("UUID", "JSON", "TIME", "INTERVAL", "BIT", "HUGEINT", "UHUGEINT")


def selected_source_schemas(dbt_vars: dict[str, Any], project_dir: Path) -> tuple[list[str], dict[str, str]]:
    """The systems of var source_systems (--vars, else dbt_project.yml), and the connector systems among them
    (raw is not one), each with the schema its tables are in: var <system>_schema, else the system's name
    (docs/sources.md)."""
    effective = {**project_vars(project_dir), **dbt_vars}
    systems = [str(system) for system in effective.get("source_systems") or [RAW_SCHEMA]]
    schemas = {system: str(effective.get(f"{system}_schema") or system) for system in systems if system != RAW_SCHEMA}
    return systems, schemas


def export_source_tables(db_path: Path, destination: Path, schemas: dict[str, str]) -> dict[str, list[str]]:
    """Every table of each selected system's schema as Parquet under destination/<schema>/<table>/, as
    export_raw_tables writes the raw ones (timestamps as UTC instants). Returns schema -> tables."""
    _fresh(destination)
    exported: dict[str, list[str]] = {}
    with Warehouse(db_path).connect(read_only=True) as con:
        for system, schema in schemas.items():
            tables = [
                str(row[0])
                for row in con.execute(
                    "select table_name from information_schema.tables where table_schema = ? order by 1", [schema]
                ).fetchall()
            ]
            if not tables:
                raise LeadscoreError(
                    f"{db_path}: no table in schema {schema} (source system {system}): "
                    f"`leadscore load --source {system} DIR` lands a connector's files there"
                )
            for table in tables:
                _copy_table(con, schema, table, destination / schema / table)
            exported[schema] = tables
    return exported


def _spark_column(name: str, kind: str) -> str:
    quoted = quote_identifier(name)
    if kind == "TIMESTAMP" or kind.startswith("TIMESTAMP_"):
        return f"cast({quoted} as timestamptz) as {quoted}"
    if kind.startswith(_AS_TEXT):
        return f"cast({quoted} as varchar) as {quoted}"
    return quoted
