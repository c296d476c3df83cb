"""``leadscore load --source SYSTEM DIR``: land a connector's tables, as files, in the schema of that system.

A team whose connector (Fivetran, Airbyte, dlt, Segment, RudderStack) writes elsewhere, or who exported its
tables, puts one file per table in a directory (``contact.csv``, ``email_event.parquet``, ``pages.jsonl``,
``.gz`` of each) and lands them in the warehouse schema named after the system (``hubspot``, ``segment``, ...;
the default of the ``<system>_schema`` var), where the system's dbt sources read them.

Unlike ``leadscore load DIR`` (leadscore.load), no contract is applied: a table lands as it is, with the
column names of the file and the types DuckDB's own readers infer (a timestamp with a zone or offset is
stored as the UTC instant without zone, as every timestamp of the warehouse). The file reading, its one-line errors
and the failed-first-load clean-up are those of leadscore.load; docs/sources.md is the user's view.

Which table a file is (``table_for_file``): its name up to the first dot, lower-cased, when that is one of
the system's tables (``SYSTEM_TABLES``); else that name without a trailing ``_<digits>`` part, so that one
table may come in several files (``pages_2024-06.jsonl``, ``email_event_0001.csv``). Any other file is
reported and skipped.

Idempotent: per table (one transaction each), every row read gets one outcome, as in leadscore.load:

- a table with a key (``SYSTEM_TABLES``; the connector's primary key, e.g. ``id``) keeps one row per key.
  Per key the newest row of the load wins (the connector's sync column ``_fivetran_synced`` /
  ``uuid_ts`` / ``received_at`` when the file has one, then the later file and row). It is *loaded* (a new
  key), *updated* (it replaces the stored row), *unchanged* (the stored row again) or *superseded* (the
  stored row's sync column is newer). The load's other rows of that key are *unchanged* when they repeat
  the winner, else *superseded*. A row with an empty key is *rejected* (listed in ``<schema>.load_rejects``).
- a table without a key (link tables, histories; or a file without the key column) keeps distinct rows:
  a row identical to a stored row, or to an earlier row of the load, is *unchanged*; any other is *loaded*.
"""

from __future__ import annotations

import re
import shutil
import tempfile
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

import duckdb

from leadscore.contract import SYSTEM_TABLES, Key
from leadscore.errors import LeadscoreError
from leadscore.load import (
    FORMAT_NAMES,
    REJECT_COLUMNS,
    REJECTS_TABLE,
    EntityCounts,
    LoadReport,
    Progress,
    _connect,
    _count,
    _create_table,
    _csv_header,
    _explain_reader_error,
    _FileProblem,
    _max_line_size,
    _open,
    _read_prefix,
    _text_problem,
    _transaction,
    file_format,
    landing,
)
from leadscore.ops import ERASED_REASON, refuse_erased_connector_rows
from leadscore.warehouse import quote_identifier as _q
from leadscore.warehouse import quote_literal as _lit

# The connector's sync instant, when a file has one: a newer version of a keyed row wins by it.
VERSION_COLUMNS = ("_fivetran_synced", "uuid_ts", "received_at")
PART_SUFFIX = re.compile(r"^(?P<table>.+?)_\d[\d_-]*$")

# Helper columns of the staged rows (prefix __ls_, never a connector's).
FILE = "__ls_file"  # the file's position in the load
ROW = "__ls_row"  # the row's number in its file, from 1
SOURCE = "__ls_source"  # the file's name
STORED = "__ls_stored"  # a row already in the warehouse
CONTENT = "__ls_content"
OUTCOME = "__ls_outcome"
ALL_ROWS = "__ls_source_rows"
ERASED = "__ls_erased"  # the hash of an erased person a row names (leadscore.erasure)
HELPERS = (FILE, ROW, SOURCE, STORED)


def check_system(system: str) -> str:
    if system not in SYSTEM_TABLES:
        raise LeadscoreError(f"unknown source system {system!r}: expected one of {', '.join(SYSTEM_TABLES)}")
    return system


def table_for_file(system: str, name: str) -> str | None:
    """The table of ``system`` a file holds (see the module docstring), or None."""
    tables = SYSTEM_TABLES[system]
    stem = name.split(".", 1)[0].strip().lower()
    if stem in tables:
        return stem
    part = PART_SUFFIX.match(stem)
    return part.group("table") if part and part.group("table") in tables else None


@dataclass
class SourceFile:
    path: Path
    table: str
    kind: str  # a key of leadscore.load.FORMATS' values
    compressed: bool


def _discover(system: str, directory: Path) -> tuple[list[SourceFile], list[str]]:
    if not directory.is_dir():
        problem = "not a directory" if directory.exists() else "no such directory"
        raise LeadscoreError(f"{directory}: {problem}")
    found, skipped = [], []
    for path in sorted(p for p in directory.iterdir() if p.is_file()):
        table, (kind, compressed) = table_for_file(system, path.name), file_format(path.name)
        if kind is None:
            skipped.append(f"Skipped {path.name}: not a data file (.csv, .parquet, .jsonl, .ndjson or .json, each "
                           "optionally .gz)")
        elif table is None:
            skipped.append(f"Skipped {path.name}: not a table of {system} (its tables: "
                           f"{', '.join(sorted(SYSTEM_TABLES[system]))})")
        else:
            found.append(SourceFile(path, table, kind, compressed))
    if not found:
        raise LeadscoreError(
            f"{directory}: no {system} table to load (a file is named after a table, e.g. "
            f"{next(iter(SYSTEM_TABLES[system]))}.csv; {len(skipped)} file(s) skipped)"
        )
    return found, skipped


def _reader_sql(path: Path, kind: str, prefix: bytes) -> str:
    """DuckDB's reader of one file, types inferred from every row (not a sample that a later row breaks)."""
    if kind == "parquet":
        return f"read_parquet({_lit(str(path))}, file_row_number = true)"
    if kind == "csv":
        # Dialect fixed (RFC 4180) as in leadscore.load; only the column types are inferred.
        return (
            f"read_csv({_lit(str(path))}, header = true, delim = ',', quote = '\"', escape = '\"', comment = '', "
            f"skip = 0, sample_size = -1, max_line_size = {_max_line_size()})"
        )
    is_array = kind == "json" and prefix.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"[")
    shape = "array" if is_array else "newline_delimited"
    size = max(_max_line_size(), 16_777_216)
    return f"read_json({_lit(str(path))}, format = {_lit(shape)}, sample_size = -1, maximum_object_size = {size})"


def _stage(con: duckdb.DuckDBPyConnection, source: SourceFile, order: int) -> str:
    """The file read into a temporary table with the helper columns; returns the table's name."""
    path, kind = source.path, FORMAT_NAMES[source.kind]
    if path.stat().st_size == 0:
        raise LeadscoreError(f"{path.name}: file is empty (no header, no rows)")
    table = f"__ls_source_{order}"
    with tempfile.TemporaryDirectory(prefix="leadscore-load-") as scratch:
        read_path = path
        try:
            prefix = _read_prefix(path, source.compressed)
            if not prefix.strip(b" \t\r\n\xef\xbb\xbf"):
                raise LeadscoreError(f"{path.name}: file is empty (no header, no rows)")
            if source.kind == "parquet" and source.compressed:  # DuckDB reads gzip text only
                read_path = Path(scratch) / path.name.removesuffix(path.suffix)
                with _open(path, True) as packed, read_path.open("wb") as unpacked:
                    shutil.copyfileobj(packed, unpacked)
            problem = None if source.kind == "parquet" else _text_problem(prefix, source.kind)
            if problem:
                raise _FileProblem(problem)
            row = "file_row_number + 1" if source.kind == "parquet" else "row_number() OVER ()"
            dropped = " EXCLUDE (file_row_number)" if source.kind == "parquet" else ""
            con.execute(
                f"CREATE TEMP TABLE {_q(table)} AS SELECT *{dropped}, {order} AS {FILE}, {row} AS {ROW}, "
                f"{_lit(path.name)} AS {SOURCE}, false AS {STORED} FROM {_reader_sql(read_path, source.kind, prefix)}"
            )
            for name, column_type, *_ in con.execute(f"DESCRIBE {_q(table)}").fetchall():
                if column_type == "TIMESTAMP WITH TIME ZONE":  # the warehouse's timestamps are UTC, without zone
                    con.execute(f"ALTER TABLE {_q(table)} ALTER {_q(str(name))} TYPE TIMESTAMP")
        except _FileProblem as problem:
            raise LeadscoreError(f"{path.name}: cannot read as {kind}: {problem}") from None
        except duckdb.Error as error:
            cause = _csv_row_problem(con, read_path, prefix) if source.kind == "csv" else None
            cause = cause or _explain_reader_error(path, source.compressed, source.kind, error)
            raise LeadscoreError(f"{path.name}: cannot read as {kind}: {cause}") from None
    return table


def _csv_row_problem(con: duckdb.DuckDBPyConnection, path: Path, prefix: bytes) -> str | None:
    """The row that broke the type inference's read (DuckDB only says sniffing failed), read again as text
    with the header's columns: a row with more or fewer fields than the header."""
    header = _csv_header(prefix)
    if not header:
        return None
    columns = "{" + ", ".join(f"{_lit(f'c{index}')}: 'VARCHAR'" for index in range(len(header))) + "}"
    try:
        con.execute(
            f"SELECT count(*) FROM read_csv({_lit(str(path))}, header = true, delim = ',', quote = '\"', "
            f"escape = '\"', comment = '', skip = 0, auto_detect = false, columns = {columns}, "
            f"max_line_size = {_max_line_size()})"
        ).fetchall()
    except duckdb.Error as error:
        found = re.search(r"CSV Error on Line: (\d+).*?Expected Number of Columns: (\d+) Found: (\d+)",
                          str(error), re.DOTALL)
        if found:
            line, expected, got = found.groups()
            return f"line {line} has {got} fields, the header {expected}"
    return None


def _columns(con: duckdb.DuckDBPyConnection, relation: str) -> list[str]:
    return [str(row[0]) for row in con.execute(f"DESCRIBE {relation}").fetchall()]


def _stored_columns(con: duckdb.DuckDBPyConnection, schema: str, table: str) -> list[str]:
    rows = con.execute(
        "SELECT column_name FROM information_schema.columns WHERE table_schema = ? AND table_name = ? "
        "ORDER BY ordinal_position",
        [schema, table],
    ).fetchall()
    return [str(row[0]) for row in rows]


def _classify(con: duckdb.DuckDBPyConnection, key: Key, data: list[str], version: str | None) -> None:
    """Give each row of ALL_ROWS an outcome (leadscore.load.OUTCOMES); stored rows get NULL."""
    content = f"md5(CAST(json_array({', '.join(_q(name) for name in data)}) AS VARCHAR))"
    if not key:
        con.execute(
            f"""CREATE OR REPLACE TEMP TABLE {ALL_ROWS} AS
            SELECT *, CASE WHEN {STORED} THEN NULL
                           WHEN bool_or({STORED}) OVER same OR row_number() OVER same > 1 THEN 'unchanged'
                           ELSE 'loaded' END AS {OUTCOME}
            FROM (SELECT *, {content} AS {CONTENT} FROM {ALL_ROWS})
            WINDOW same AS (PARTITION BY {CONTENT} ORDER BY {STORED} DESC, {FILE}, {ROW})"""
        )
        return
    keys = ", ".join(_q(name) for name in key)
    missing_key = " OR ".join(f"{_q(name)} IS NULL" for name in key)
    newest = f"{_q(version)} DESC NULLS LAST, " if version else ""
    stale = f"coalesce(stored_version > {_q(version)}, false)" if version else "false"
    stored_version = f"max(CASE WHEN {STORED} THEN {_q(version)} END) OVER per_key" if version else "NULL"
    con.execute(
        f"""CREATE OR REPLACE TEMP TABLE {ALL_ROWS} AS
        WITH keyed AS (
            SELECT *, {content} AS {CONTENT}, ({missing_key}) AS no_key FROM {ALL_ROWS}
        ),
        ranked AS (
            SELECT *,
                   row_number() OVER (PARTITION BY no_key, {STORED}, {keys}
                                      ORDER BY {newest}{FILE} DESC, {ROW} DESC) AS rank_in_load,
                   max(CASE WHEN {STORED} THEN {CONTENT} END) OVER per_key AS stored_content,
                   {stored_version} AS stored_version,
                   bool_or({STORED}) OVER per_key AS has_stored
            FROM keyed
            WINDOW per_key AS (PARTITION BY no_key, {keys})
        ),
        winners AS (
            SELECT *,
                   CASE WHEN {STORED} OR no_key OR rank_in_load > 1 THEN NULL
                        WHEN NOT has_stored THEN 'loaded'
                        WHEN {stale} THEN 'superseded'
                        WHEN stored_content = {CONTENT} THEN 'unchanged'
                        ELSE 'updated' END AS own_outcome
            FROM ranked
        ),
        with_winner AS (
            SELECT *,
                   max(own_outcome) OVER (PARTITION BY no_key, {keys}) AS winner_outcome,
                   max(CASE WHEN own_outcome IS NOT NULL THEN {CONTENT} END)
                       OVER (PARTITION BY no_key, {keys}) AS winner_content
            FROM winners
        )
        SELECT * EXCLUDE (no_key, rank_in_load, stored_content, stored_version, has_stored, own_outcome,
                          winner_outcome, winner_content),
               CASE WHEN {STORED} THEN NULL
                    WHEN no_key THEN 'rejected'
                    WHEN own_outcome IS NOT NULL THEN own_outcome
                    WHEN winner_outcome <> 'superseded' AND {CONTENT} = winner_content THEN 'unchanged'
                    ELSE 'superseded' END AS {OUTCOME},
               -- a stored row stays unless this load's winner of its key replaces it
               ({STORED} AND coalesce(winner_outcome, '') = 'updated') AS __ls_replaced
        FROM with_winner"""
    )


def _land_table(
    con: duckdb.DuckDBPyConnection, schema: str, table: str, key: Key, staged: list[str], loaded_at: str
) -> tuple[EntityCounts, str | None]:
    """One table of the load, in one transaction; returns its counts and a note (a key it could not use)."""
    counts, note = EntityCounts(files=len(staged)), None
    target = f"{_q(schema)}.{_q(table)}"
    with _transaction(con, f"{schema}.{table}"):
        stored = _stored_columns(con, schema, table)
        parts = [f"SELECT * FROM {_q(name)}" for name in staged]
        if stored:
            nulls = f"NULL::INTEGER AS {FILE}, NULL::BIGINT AS {ROW}, NULL::VARCHAR AS {SOURCE}"
            parts.insert(0, f"SELECT *, {nulls}, true AS {STORED} FROM {target}")
        con.execute(f"CREATE OR REPLACE TEMP TABLE {ALL_ROWS} AS " + " UNION ALL BY NAME ".join(parts))
        for name in staged:
            con.execute(f"DROP TABLE {_q(name)}")
        data = [name for name in _columns(con, ALL_ROWS) if name not in HELPERS]
        if key and not all(name in data for name in key):
            note = (f"{table}: no {' / '.join(key)} column, so rows are told apart by their whole content "
                    "(an identical row is not added again)")
            key = ()
        version = next((name for name in VERSION_COLUMNS if name in data), None)
        _classify(con, key, data, version)
        # `leadscore forget`: an erased person's rows stay out, as rejects holding only the hash
        con.execute(f"ALTER TABLE {ALL_ROWS} ADD COLUMN {ERASED} VARCHAR")
        refuse_erased_connector_rows(con, schema, table, ALL_ROWS, data, OUTCOME, STORED, ERASED)
        counts.rows_in = _count(con, f"SELECT count(*) FROM {ALL_ROWS} WHERE NOT {STORED}")
        for outcome, rows in con.execute(
            f"SELECT {OUTCOME}, count(*) FROM {ALL_ROWS} WHERE NOT {STORED} GROUP BY 1"
        ).fetchall():
            setattr(counts, str(outcome), int(rows))
        if counts.accounted != counts.rows_in:  # a bug, never a user error: land nothing rather than lose rows
            raise LeadscoreError(
                f"loading {schema}.{table}: {counts.rows_in:,} rows in but {counts.accounted:,} accounted for; "
                "nothing of it was loaded (please report this)"
            )
        if counts.rejected:
            record = (
                f"CASE WHEN {ERASED} IS NOT NULL THEN json_object('erased_subject', {ERASED}) ELSE json_object("
                + ", ".join(f"{_lit(name)}, {_q(name)}" for name in data) + ") END"
            )
            reason = f"CASE WHEN {ERASED} IS NOT NULL THEN {_lit(ERASED_REASON)} ELSE " + _lit(
                f"empty {' / '.join(key)} (the key of {table})"
            ) + " END"
            rejects = f"{_q(schema)}.{_q(REJECTS_TABLE)}"
            con.execute(
                f"""INSERT INTO {rejects}
                SELECT DISTINCT {_lit(table)}, {SOURCE}, {ROW}, CAST({record} AS VARCHAR), {reason}, {loaded_at}
                FROM {ALL_ROWS} c WHERE {OUTCOME} = 'rejected' AND NOT EXISTS (
                    SELECT 1 FROM {rejects} r WHERE r.entity = {_lit(table)} AND r.source_file = c.{SOURCE}
                      AND r."row_number" = c.{ROW} AND r.raw_record = CAST({record} AS VARCHAR))"""
            )
        if not stored or counts.loaded or counts.updated:  # else the table stays exactly as it was
            kept = "coalesce(NOT __ls_replaced, true)" if key else "true"
            selected = ", ".join(_q(name) for name in data)
            con.execute(
                f"CREATE OR REPLACE TABLE {target} AS SELECT {selected} FROM {ALL_ROWS} "
                f"WHERE ({STORED} AND {kept}) OR {OUTCOME} IN ('loaded', 'updated') "
                f"ORDER BY {STORED} DESC, {FILE}, {ROW}"
            )
        con.execute(f"DROP TABLE {ALL_ROWS}")
    return counts, note


def load_source_directory(
    db_path: Path, system: str, directory: Path, progress: Progress | None = None,
    lock_timeout: float | None = None,
) -> LoadReport:
    """Land every file of ``directory`` named after a table of ``system`` in the warehouse schema ``system``."""
    say = progress or (lambda _message: None)
    check_system(system)
    found, skipped = _discover(system, directory)
    with landing(db_path, lock_timeout, progress):
        report = _land_all(db_path, system, found, say)
    report.notes[:0] = skipped
    return report


def _land_all(db_path: Path, system: str, found: list[SourceFile], say: Progress) -> LoadReport:
    schema, tables = system, SYSTEM_TABLES[system]
    con = _connect(db_path)
    try:
        staged: dict[str, list[str]] = {}
        for order, source in enumerate(found):  # every file is read before anything lands
            say(f"Reading {source.path.name} ({system}.{source.table})")
            staged.setdefault(source.table, []).append(_stage(con, source, order))
        con.execute(f"CREATE SCHEMA IF NOT EXISTS {_q(schema)}")
        _create_table(con, REJECTS_TABLE, REJECT_COLUMNS, schema)
        loaded_at = f"TIMESTAMP '{datetime.now(timezone.utc).replace(tzinfo=None).isoformat(sep=' ')}'"
        report = LoadReport(
            entities={}, rejects_table=f"{schema}.{REJECTS_TABLE}", label="table", docs="docs/sources.md"
        )
        for table in sorted(staged):
            say(f"Loading {schema}.{table} ({len(staged[table])} file{'s' if len(staged[table]) > 1 else ''})")
            counts, note = _land_table(con, schema, table, tables[table], staged[table], loaded_at)
            report.entities[table] = counts
            if note:
                report.notes.append(note)
        return report
    finally:
        con.close()
