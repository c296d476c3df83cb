"""Right to erasure: `leadscore forget (--email E | --contact-id C)` and the refusal of an erased person
when a later load brings them back.

``forget``, under the writer lock:

1. finds the person's contacts (by id, or every contact with that email) and emails;
2. in one transaction removes their rows from the raw tables (contacts, events, opportunities, status
   changes, adjustments, and the rejects that quote them), from every table of the working warehouse
   with a ``contact_id`` or ``email`` column (derived tables, the history, the sync state) and from
   the MQL export log, and records the erasure: one audit row in ``ops.erasure_log`` and the salted
   hashes of the person's identifiers in ``ops.erased_subjects`` (no personal data: a SHA-256 of a
   secret salt, kept in ``ops.erasure_salt``, and the identifier);
3. rebuilds the warehouse as the last build did (same as_of and vars, ``ops.build_log``), so that
   aggregates no longer count the person (account_scores' top contacts...), and publishes: the serving
   file no longer holds them either. Should that build fail, the serving file is republished from a
   copy of itself without the person's rows.

At load time (leadscore.load), a row whose contact_id or email hashes to an erased identifier is not
stored: it goes to ``raw.load_rejects`` with the reason ``erased`` and, as its raw record, only the
hash. Files already handed over (exports, syncs) are outside the warehouse and not touched.
"""

from __future__ import annotations

import os
import re
import shutil
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import duckdb

from leadscore.build import build
from leadscore.errors import LeadscoreError
from leadscore.load import ensure_raw_schema
from leadscore.ops import (
    CONNECTOR_PERSON_COLUMNS,
    IDENTIFIER_COLUMNS,
    erasure_salt,
    last_build,
    now_utc,
    subject_hash,
    table,
    working_warehouse,
)
from leadscore.serving import PUBLICATION_TABLE, Relation, publish, resolve_storage_version, serving_path_for
from leadscore.warehouse import Warehouse, connect, has_table, quote_identifier

Progress = Callable[[str], None]

SKIPPED_SCHEMAS = ("information_schema", "pg_catalog")


@dataclass
class ForgetReport:
    erasure_id: str
    contacts: int
    rows_removed: dict[str, int] = field(default_factory=dict)
    rebuilt: bool = False
    traces_left: dict[str, int] = field(default_factory=dict)

    @property
    def total_removed(self) -> int:
        return sum(self.rows_removed.values())


def forget(
    db_path: Path,
    *,
    email: str | None = None,
    contact_id: str | None = None,
    serving: Path | None = None,
    storage_version: str | None = None,
    lock_timeout: float | None = None,
    progress: Progress | None = None,
    force: bool = False,
) -> ForgetReport:
    """Erase one person (see the module docstring); returns what was removed."""
    email = (email or "").strip().lower() or None
    contact_id = (contact_id or "").strip() or None
    if (email is None) == (contact_id is None):
        raise LeadscoreError("give exactly one of --email or --contact-id")
    say = progress or (lambda _message: None)
    serving_path = serving_path_for(db_path, serving)
    version = resolve_storage_version(storage_version)
    warehouse = Warehouse(db_path)
    warehouse.require()  # before the lock file: a mistyped --db creates nothing
    with warehouse.lock("forget", timeout=lock_timeout, progress=progress):
        with working_warehouse(db_path) as con:
            ensure_raw_schema(con)
            salt = erasure_salt(con, create=True)
            assert salt is not None
            ids, emails = _resolve(con, email, contact_id)
            report = ForgetReport(uuid.uuid4().hex, len(ids))
            con.execute("begin transaction")
            try:
                _stage_identifiers(con, ids, emails)
                report.rows_removed = _remove(con, ids, emails)
                _record(con, report, salt, ("email", email) if email else ("contact_id", contact_id or ""), ids, emails)
                con.execute("commit")
            except duckdb.Error as error:
                con.execute("rollback")
                raise LeadscoreError(f"forget failed, nothing removed: {str(error).splitlines()[0]}") from None
            as_of, vars_yaml = last_build(con)
            was_built = has_table(con, "main", "lead_scores")
            if was_built and as_of is None:
                row = con.execute("select max(as_of) from main.lead_scores").fetchone()
                as_of = row[0] if row else None
        say(
            f"Removed {report.total_removed:,} rows of {report.contacts} contact(s) from the working warehouse "
            f"({_describe(report.rows_removed)}); recorded erasure {report.erasure_id}"
        )
        if was_built:
            say("Rebuilding as the last build did, so that nothing derived still counts them...")
            try:
                build(
                    db_path,
                    as_of=as_of.isoformat() if as_of else None,
                    vars_yaml=vars_yaml,
                    serving=serving_path,
                    storage_version=version,
                    progress=say,
                    force=force,
                )
                report.rebuilt = True
            except LeadscoreError as error:
                if serving_path.exists():
                    _scrub_serving(serving_path, ids, emails, version)
                raise LeadscoreError(
                    f"the person was removed from the working warehouse, but the rebuild failed ({error}); "
                    f"{serving_path} was republished without their rows; run `leadscore build` once it passes"
                ) from None
        elif serving_path.exists():
            _scrub_serving(serving_path, ids, emails, version)
        report.traces_left = _all_traces(db_path, serving_path, ids, emails)
    return report


def _resolve(
    con: duckdb.DuckDBPyConnection, email: str | None, contact_id: str | None
) -> tuple[list[str], list[str]]:
    """The person's contact ids and emails: the one given and those the contacts table links to it."""
    if contact_id:
        found = con.execute(
            "select distinct lower(trim(email)) from raw.contacts where contact_id = ? and email is not null",
            [contact_id],
        ).fetchall()
        emails = {value for (value,) in found if value}
        if has_table(con, "main", "int_contacts"):  # the canonical contacts of every source system
            emails |= {value for (value,) in con.execute(
                "select distinct lower(trim(email)) from main.int_contacts where contact_id = ? and email is not null",
                [contact_id],
            ).fetchall() if value}
        return [contact_id], sorted(emails)
    found = con.execute(
        "select distinct contact_id from raw.contacts where lower(trim(email)) = ?", [email]
    ).fetchall()
    ids = {value for (value,) in found}
    if has_table(con, "main", "int_contacts"):  # the canonical contacts of every source system
        ids |= {value for (value,) in con.execute(
            "select distinct contact_id from main.int_contacts where lower(trim(email)) = ?", [email]
        ).fetchall()}
    return sorted(ids), [email or ""]


def _stage_identifiers(con: duckdb.DuckDBPyConnection, ids: list[str], emails: list[str]) -> None:
    con.execute("create or replace temp table forget_ids (contact_id varchar)")
    con.execute("create or replace temp table forget_emails (email varchar)")
    if ids:
        con.executemany("insert into forget_ids values (?)", [[value] for value in ids])
    if emails:
        con.executemany("insert into forget_emails values (?)", [[value] for value in emails])


def _match_condition(columns: set[str], alias: str = "") -> str | None:
    prefix = f"{alias}." if alias else ""
    conditions = []
    if "contact_id" in columns:
        conditions.append(f"{prefix}contact_id in (select contact_id from forget_ids)")
    if "email" in columns:
        conditions.append(f"lower(trim({prefix}email)) in (select email from forget_emails)")
    return " or ".join(conditions) if conditions else None


def _identifier_tables(con: duckdb.DuckDBPyConnection) -> dict[str, set[str]]:
    """Every base table of the database (any schema) with a contact_id or email column."""
    rows = con.execute(
        f"""select c.table_schema, c.table_name, c.column_name
        from information_schema.columns as c
        inner join information_schema.tables as t
            on c.table_catalog = t.table_catalog and c.table_schema = t.table_schema and c.table_name = t.table_name
        where t.table_type = 'BASE TABLE'
          and c.table_catalog = current_database()
          and c.table_schema not in ({', '.join(repr(schema) for schema in SKIPPED_SCHEMAS)})
          and lower(c.column_name) in ({', '.join(repr(column) for column in IDENTIFIER_COLUMNS)})"""
    ).fetchall()
    found: dict[str, set[str]] = {}
    for schema, name, column in rows:
        found.setdefault(f"{quote_identifier(schema)}.{quote_identifier(name)}", set()).add(column.lower())
    return found


def _rejects_pattern(ids: list[str], emails: list[str]) -> str | None:
    values = [re.escape(value) for value in [*ids, *emails] if value]
    if not values:
        return None
    edge = "[^A-Za-z0-9_.@-]"
    return f"(?i)(^|{edge})({'|'.join(values)})({edge}|$)"


def _connector_conditions(con: duckdb.DuckDBPyConnection) -> dict[str, str]:
    """For every connector table of CONNECTOR_PERSON_COLUMNS present in the warehouse (in the schema of
    its system, the `<system>_schema` var's default), the condition matching the person's rows."""
    present = {
        (schema, name): {column.lower() for column in columns.split(",")}
        for schema, name, columns in con.execute(
            """select table_schema, table_name, string_agg(column_name, ',') from information_schema.columns
            where table_catalog = current_database() group by table_schema, table_name"""
        ).fetchall()
    }
    conditions: dict[str, str] = {}
    for system, tables in CONNECTOR_PERSON_COLUMNS.items():
        for table_name, (id_columns, email_columns) in tables.items():
            columns = present.get((system, table_name))
            if columns is None:
                continue
            parts = [
                f"cast({quote_identifier(column)} as varchar) in (select contact_id from forget_ids)"
                for column in id_columns if column in columns
            ] + [
                f"lower(trim(cast({quote_identifier(column)} as varchar))) in (select email from forget_emails)"
                for column in email_columns if column in columns
            ]
            if parts:
                conditions[f"{quote_identifier(system)}.{quote_identifier(table_name)}"] = " or ".join(parts)
    return conditions


def _remove(con: duckdb.DuckDBPyConnection, ids: list[str], emails: list[str]) -> dict[str, int]:
    removed: dict[str, int] = {}
    for name, columns in _identifier_tables(con).items():
        if name.startswith('"ops"."eras'):
            continue  # the audit and the hashes: no personal data
        condition = _match_condition(columns)
        if condition:
            removed[name] = _deleted(con, f"delete from {name} where {condition}")
    # a connector's own names for the person (hubspot.contact's id and property_email, ...)
    for name, condition in _connector_conditions(con).items():
        removed[name] = removed.get(name, 0) + _deleted(con, f"delete from {name} where {condition}")
    pattern = _rejects_pattern(ids, emails)
    if pattern:
        removed['"raw"."load_rejects"'] = _deleted(
            con,
            "delete from raw.load_rejects where regexp_matches(coalesce(raw_record, ''), ?) "
            "or regexp_matches(coalesce(reason, ''), ?)",
            [pattern, pattern],
        )
    return {name.replace('"', ""): count for name, count in removed.items() if count}


def _deleted(con: duckdb.DuckDBPyConnection, sql: str, parameters: list[str] | None = None) -> int:
    row = con.execute(sql, parameters or []).fetchone()
    return int(row[0]) if row and row[0] is not None else 0


def _record(
    con: duckdb.DuckDBPyConnection,
    report: ForgetReport,
    salt: str,
    requested: tuple[str, str],
    ids: list[str],
    emails: list[str],
) -> None:
    kind, value = requested
    con.execute(
        f"insert into {table('erasure_log')} values (?, ?, ?, ?, ?, ?, ?)",
        [
            report.erasure_id,
            now_utc(),
            kind,
            subject_hash(salt, kind, value),
            report.contacts,
            report.total_removed,
            _describe(report.rows_removed),
        ],
    )
    subjects = {("contact_id", subject_hash(salt, "contact_id", v)) for v in ids}
    subjects |= {("email", subject_hash(salt, "email", v)) for v in emails}
    con.executemany(
        f"""insert into {table('erased_subjects')}
        select ?, ?, ? where not exists (select 1 from {table('erased_subjects')} where subject_hash = ?)""",
        [[hashed, kind, report.erasure_id, hashed] for kind, hashed in sorted(subjects)],
    )


def _describe(counts: dict[str, int]) -> str:
    return ", ".join(f"{name} {count:,}" for name, count in sorted(counts.items())) or "no rows"


def _scrub_serving(serving_path: Path, ids: list[str], emails: list[str], storage_version: str) -> None:
    """Republish the serving file from a copy of itself without the person's rows."""
    scrubbed = serving_path.with_name(f".{serving_path.name}.scrub.{os.getpid()}")
    shutil.copy2(serving_path, scrubbed)
    try:
        with connect(scrubbed, what="copy of the serving file") as con:
            _stage_identifiers(con, ids, emails)
            for name, columns in _identifier_tables(con).items():
                condition = _match_condition(columns)
                if condition:
                    con.execute(f"delete from {name} where {condition}")
            relations = [
                Relation(schema, name)
                for schema, name in con.execute(
                    "select table_schema, table_name from information_schema.tables "
                    "where table_catalog = current_database() and table_type = 'BASE TABLE' and table_name <> ?",
                    [PUBLICATION_TABLE],
                ).fetchall()
            ]
        publish(scrubbed, serving_path, relations, storage_version=storage_version)
    finally:
        scrubbed.unlink(missing_ok=True)
        scrubbed.with_name(scrubbed.name + ".wal").unlink(missing_ok=True)


def _all_traces(db_path: Path, serving_path: Path, ids: list[str], emails: list[str]) -> dict[str, int]:
    """Rows still keyed by the person's contact ids or emails, in the working warehouse and the serving file."""
    traces: dict[str, int] = {}
    for label, path in (("working", db_path), ("serving", serving_path)):
        if not path.exists():
            continue
        with connect(path, read_only=True) as con:
            _stage_identifiers(con, ids, emails)
            for name, columns in _identifier_tables(con).items():
                condition = _match_condition(columns)
                count = _deleted(con, f"select count(*) from {name} where {condition}") if condition else 0
                if count:
                    traces[f"{label}:{name.replace(chr(34), '')}"] = count
    return traces
