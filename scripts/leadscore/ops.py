"""The warehouse's own bookkeeping, in schema ``ops`` of the working warehouse (never published).

What `leadscore` itself writes besides dbt: the settings of each build (so that ``forget`` can rebuild
as the last build did), the MQL export log, the CRM sync log and per-contact sync state, and the
erasure audit with the salted hashes a later load is checked against. Every writer holds the
warehouse's writer lock (leadscore.locking) while it writes here.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import duckdb
import yaml

from leadscore.errors import LeadscoreError
from leadscore.paths import require_warehouse

OPS_SCHEMA = "ops"

OPS_TABLES = {
    "build_log": {
        "built_at": "TIMESTAMP",
        "as_of": "TIMESTAMP",
        "vars_yaml": "VARCHAR",
    },
    "unit_test_log": {
        "code_fingerprint": "VARCHAR",
        "passed_at": "TIMESTAMP",
        "unit_tests": "BIGINT",
    },
    "mql_export_log": {
        "export_id": "VARCHAR",
        "exported_at": "TIMESTAMP",
        "contact_id": "VARCHAR",
        "mql_event_id": "VARCHAR",
        "mql_at": "TIMESTAMP",
        "lead_score": "DOUBLE",
        "grade": "VARCHAR",
        "owner": "VARCHAR",
        "file": "VARCHAR",
    },
    "crm_sync_log": {
        "sync_id": "VARCHAR",
        "synced_at": "TIMESTAMP",
        "mode": "VARCHAR",
        "rows_written": "BIGINT",
        "file": "VARCHAR",
        "as_of": "TIMESTAMP",
    },
    "crm_sync_state": {
        "contact_id": "VARCHAR",
        "row_hash": "VARCHAR",
        "sync_id": "VARCHAR",
        "synced_at": "TIMESTAMP",
    },
    "erasure_log": {
        "erasure_id": "VARCHAR",
        "erased_at": "TIMESTAMP",
        "requested_by": "VARCHAR",
        "subject_hash": "VARCHAR",
        "contacts_erased": "BIGINT",
        "rows_removed": "BIGINT",
        "tables": "VARCHAR",
    },
    "erased_subjects": {
        "subject_hash": "VARCHAR",
        "identifier_kind": "VARCHAR",
        "erasure_id": "VARCHAR",
    },
    "erasure_salt": {
        "salt": "VARCHAR",
        "created_at": "TIMESTAMP",
    },
}


def table(name: str) -> str:
    return f"{OPS_SCHEMA}.{name}"


def now_utc() -> datetime:
    return datetime.now(timezone.utc).replace(tzinfo=None)


def batch_id(moment: datetime, taken: set[str]) -> str:
    """A readable id for an export or a sync, unique among ``taken``: 20240701T060012Z(-2...)."""
    base = moment.strftime("%Y%m%dT%H%M%SZ")
    candidate, number = base, 1
    while candidate in taken:
        number += 1
        candidate = f"{base}-{number}"
    return candidate


def ensure_ops_schema(con: duckdb.DuckDBPyConnection) -> None:
    """Create schema ops and its tables when missing (idempotent)."""
    con.execute(f"create schema if not exists {OPS_SCHEMA}")
    for name, columns in OPS_TABLES.items():
        body = ", ".join(f"{column} {kind}" for column, kind in columns.items())
        con.execute(f"create table if not exists {table(name)} ({body})")


def has_table(con: duckdb.DuckDBPyConnection, schema: str, name: str) -> bool:
    row = con.execute(
        "select count(*) from information_schema.tables where table_schema = ? and table_name = ?",
        [schema, name],
    ).fetchone()
    return bool(row and row[0])


@contextmanager
def working_warehouse(db_path: Path) -> Iterator[duckdb.DuckDBPyConnection]:
    """The working warehouse, read-write (the caller holds the writer lock), with ops ready."""
    require_warehouse(db_path)
    try:
        con = duckdb.connect(str(db_path))
    except duckdb.Error as error:
        raise LeadscoreError(f"{db_path}: cannot open the warehouse: {str(error).splitlines()[0]}") from None
    try:
        con.execute("set TimeZone = 'UTC'")
        ensure_ops_schema(con)
        yield con
    finally:
        con.close()


def record_build(db_path: Path, dbt_vars: dict[str, Any]) -> None:
    """After a full build: its as_of (the instant the models used) and its other vars."""
    con = duckdb.connect(str(db_path))
    try:
        ensure_ops_schema(con)
        as_of = None
        if has_table(con, "main", "lead_scores"):
            row = con.execute("select max(as_of) from main.lead_scores").fetchone()
            as_of = row[0] if row else None
        other_vars = {name: value for name, value in dbt_vars.items() if name != "as_of"}
        con.execute(
            f"insert into {table('build_log')} values (?, ?, ?)",
            [now_utc(), as_of, yaml.safe_dump(other_vars, default_flow_style=True).strip() if other_vars else None],
        )
    finally:
        con.close()


def unit_tests_passed_at(db_path: Path, fingerprint: str) -> datetime | None:
    """When the unit tests of the project code with this fingerprint last passed here, or None."""
    if not db_path.exists():
        return None
    con = duckdb.connect(str(db_path))
    try:
        ensure_ops_schema(con)
        row = con.execute(
            f"select max(passed_at) from {table('unit_test_log')} where code_fingerprint = ?", [fingerprint]
        ).fetchone()
        return row[0] if row else None
    finally:
        con.close()


def record_unit_tests(db_path: Path, fingerprint: str, unit_tests: int) -> None:
    """After a build whose unit tests all passed: the fingerprint of the code they tested."""
    con = duckdb.connect(str(db_path))
    try:
        ensure_ops_schema(con)
        con.execute(f"insert into {table('unit_test_log')} values (?, ?, ?)", [fingerprint, now_utc(), unit_tests])
    finally:
        con.close()


def last_build(con: duckdb.DuckDBPyConnection) -> tuple[datetime | None, str | None]:
    """as_of and vars (YAML) of the latest recorded build, or (None, None)."""
    row = con.execute(
        f"select as_of, vars_yaml from {table('build_log')} order by built_at desc limit 1"
    ).fetchone()
    return (row[0], row[1]) if row else (None, None)
