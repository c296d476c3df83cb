"""The warehouse's own bookkeeping, in schema ``ops`` of the working warehouse (never published).

What `leadscore` itself writes besides dbt: the settings of each build (so that ``forget`` can rebuild
as the last build did), the MQL export log, the CRM sync log and per-contact sync state, and the
erasure audit with the salted hashes a later load is checked against. Every writer holds the
warehouse's writer lock (leadscore.locking) while it writes here.
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import duckdb
import yaml

from leadscore.warehouse import Warehouse, has_table, quote_identifier, quote_literal

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


@contextmanager
def working_warehouse(db_path: Path) -> Iterator[duckdb.DuckDBPyConnection]:
    """The working warehouse, read-write (the caller holds the writer lock), with ops ready."""
    with Warehouse(db_path).connect() as con:
        ensure_ops_schema(con)
        yield con


def record_build(db_path: Path, dbt_vars: dict[str, Any]) -> None:
    """After a full build: its as_of (the instant the models used) and its other vars."""
    with working_warehouse(db_path) as con:
        as_of = None
        if has_table(con, "main", "lead_scores"):
            row = con.execute("select max(as_of) from main.lead_scores").fetchone()
            as_of = row[0] if row else None
        other_vars = {name: value for name, value in dbt_vars.items() if name != "as_of"}
        con.execute(
            f"insert into {table('build_log')} values (?, ?, ?)",
            [now_utc(), as_of, yaml.safe_dump(other_vars, default_flow_style=True).strip() if other_vars else None],
        )


def unit_tests_passed_at(db_path: Path, fingerprint: str) -> datetime | None:
    """When the unit tests of the project code with this fingerprint last passed here, or None."""
    if not db_path.exists():
        return None
    with working_warehouse(db_path) as con:
        row = con.execute(
            f"select max(passed_at) from {table('unit_test_log')} where code_fingerprint = ?", [fingerprint]
        ).fetchone()
        return row[0] if row else None


def record_unit_tests(db_path: Path, fingerprint: str, unit_tests: int) -> None:
    """After a build whose unit tests all passed: the fingerprint of the code they tested."""
    with working_warehouse(db_path) as con:
        con.execute(f"insert into {table('unit_test_log')} values (?, ?, ?)", [fingerprint, now_utc(), unit_tests])


def last_build(con: duckdb.DuckDBPyConnection) -> tuple[datetime | None, str | None]:
    """as_of and vars (YAML) of the latest recorded build, or (None, None)."""
    row = con.execute(
        f"select as_of, vars_yaml from {table('build_log')} order by built_at desc limit 1"
    ).fetchone()
    return (row[0], row[1]) if row else (None, None)


# --------------------------------------------------------------------------------------------- erased people
# What a load checks (leadscore.erasure writes it): the salted hashes of erased people's identifiers.

ERASED_REASON = "erased"

# Raw entities that name a person, and the columns that identify them.
PERSON_COLUMNS: dict[str, tuple[str, ...]] = {
    "contacts": ("contact_id", "email"),
    "events": ("contact_id", "email"),
    "opportunities": ("contact_id",),
    "lead_status_changes": ("contact_id",),
    "score_adjustments": ("contact_id",),
}
IDENTIFIER_COLUMNS = ("contact_id", "email")
# Connector tables (var source_systems, docs/sources.md) whose rows name a person under other column
# names: table -> (columns holding the person's CRM record id, columns holding an email). A column
# named contact_id or email is found anywhere already (IDENTIFIER_COLUMNS).
CONNECTOR_PERSON_COLUMNS: dict[str, dict[str, tuple[tuple[str, ...], tuple[str, ...]]]] = {
    "hubspot": {"contact": (("id",), ("property_email",)), "email_event": ((), ("recipient",))},
    "salesforce": {
        "lead": (("id", "converted_contact_id"), ("email",)),
        "contact": (("id",), ("email",)),
        "campaign_member": (("lead_id", "lead_or_contact_id"), ()),
        "task": (("who_id",), ()),
        "event": (("who_id",), ()),
    },
    "marketo": {
        "lead": (("id",), ("email",)),
        **{f"activity_{name}": (("lead_id",), ()) for name in (
            "visit_webpage", "fill_out_form", "send_email", "email_delivered", "open_email", "click_email",
            "unsubscribe_email", "email_bounced", "merge_leads", "delete_lead", "change_data_value",
        )},
    },
    "segment": {table: ((), ("context_traits_email",)) for table in ("identifies", "pages", "tracks", "screens")},
    "rudderstack": {table: ((), ("context_traits_email",)) for table in ("identifies", "pages", "tracks", "screens")},
}


def _normalised(kind: str, value: str) -> str:
    return value.strip().lower() if kind == "email" else value.strip()


def subject_hash(salt: str, kind: str, value: str) -> str:
    """The salted hash of an identifier, as SQL computes it (subject_hash_sql)."""
    return hashlib.sha256(f"{salt}|{kind}|{_normalised(kind, value)}".encode()).hexdigest()


def subject_hash_sql(salt_sql: str, kind: str, column_sql: str) -> str:
    value = f"lower(trim({column_sql}))" if kind == "email" else f"trim({column_sql})"
    return f"sha256({salt_sql} || '|{kind}|' || {value})"


def erasure_salt(con: duckdb.DuckDBPyConnection, create: bool) -> str | None:
    row = con.execute(f"select salt from {table('erasure_salt')} order by created_at limit 1").fetchone()
    if row:
        return str(row[0])
    if not create:
        return None
    salt = secrets.token_hex(32)
    con.execute(f"insert into {table('erasure_salt')} values (?, ?)", [salt, now_utc()])
    return salt


def _erased_match(con: duckdb.DuckDBPyConnection, kinds: list[tuple[str, str]]) -> tuple[str, str] | None:
    """SQL of (the first erased hash among the columns, whether any column names an erased person), for
    (identifier kind, column SQL) pairs; None when nothing was ever erased here."""
    if not kinds or not has_table(con, OPS_SCHEMA, "erased_subjects"):
        return None
    salt = erasure_salt(con, create=False)
    if salt is None:
        return None
    erased = f"(select subject_hash from {table('erased_subjects')})"
    hashes = [subject_hash_sql(quote_literal(salt), kind, column) for kind, column in kinds]
    matched = [f"case when {hashed} in {erased} then {hashed} end" for hashed in hashes]
    first_match = matched[0] if len(matched) == 1 else f"coalesce({', '.join(matched)})"
    return first_match, " or ".join(f"{hashed} in {erased}" for hashed in hashes)


def refuse_erased(con: duckdb.DuckDBPyConnection, entity: str, candidates: str) -> None:
    """Turn the load candidates of an erased person into rejects that keep only the hash.

    Called by the loader between reading an entity's files and landing them, in its transaction."""
    found = _erased_match(con, [(column, quote_identifier(column)) for column in PERSON_COLUMNS.get(entity, ())])
    if found:
        con.execute(
            f"""update {candidates}
            set _reason = '{ERASED_REASON}', _raw_record = json_object('erased_subject', {found[0]})
            where {found[1]}"""
        )


def refuse_erased_connector_rows(
    con: duckdb.DuckDBPyConnection, system: str, table_name: str, rows: str, columns: list[str],
    outcome: str, stored: str, erased_flag: str,
) -> None:
    """`leadscore load --source`: the new rows of a connector table that name an erased person (by the
    columns of CONNECTOR_PERSON_COLUMNS, or a contact_id / email column) become rejects; erased_flag
    receives the matched hash, the only trace of them a reject keeps."""
    id_columns, email_columns = CONNECTOR_PERSON_COLUMNS.get(system, {}).get(table_name, ((), ()))
    present = {column.lower(): column for column in columns}
    kinds = [("contact_id", present[name]) for name in (*id_columns, "contact_id") if name in present]
    kinds += [("email", present[name]) for name in (*email_columns, "email") if name in present]
    found = _erased_match(con, [(kind, f"cast({quote_identifier(column)} as varchar)") for kind, column in kinds])
    if found:
        con.execute(
            f"update {rows} set {outcome} = 'rejected', {erased_flag} = {found[0]} where not {stored} and ({found[1]})"
        )
