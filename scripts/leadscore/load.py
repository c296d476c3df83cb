"""``leadscore load DIR``: land raw files in the warehouse's ``raw`` schema (SPEC section 2).

Two phases, so that one unreadable file loads nothing at all:

1. *Stage*: every file is read as text into a temporary table (CSV and JSON Lines through DuckDB's CSV
   reader, Parquet cast to text), its columns are matched to the contract and the required ones checked.
2. *Land*: per entity, in ``contract.LOAD_ORDER`` and one transaction each, the staged text is cast and
   checked in SQL; bad rows go to ``raw.load_rejects`` and the good ones are upserted or appended.

All row work happens inside DuckDB so that tens of millions of events load with bounded memory.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

import duckdb

from leadscore.contract import (
    BOOLEAN,
    CUSTOM_ATTRIBUTES_COLUMN,
    DUCKDB_TYPES,
    ENTITIES,
    INTEGER,
    LOAD_ORDER,
    METADATA_COLUMNS,
    NUMBER,
    RAW_SCHEMA,
    REJECTS_TABLE,
    TIMESTAMP,
    Entity,
    entity_for_file,
)
from leadscore.erasure import refuse_erased
from leadscore.errors import LeadscoreError

Progress = Callable[[str], None]

MEMORY_LIMIT = "4GB"
FORMATS = {".csv": "csv", ".parquet": "parquet", ".jsonl": "jsonl", ".json": "jsonl", ".ndjson": "jsonl"}
TRUE_WORDS = ("true", "t", "yes", "1")
FALSE_WORDS = ("false", "f", "no", "0")

# Entity-specific rules of SPEC section 2 that the contract module does not encode.
DERIVED_KEYS = {"events": "event_id", "score_adjustments": "adjustment_id"}
LOWERED_COLUMNS = {("events", "event_type"), ("lead_status_changes", "status")}
JSON_OBJECT_COLUMNS = {("events", "properties")}
CONTACT_REFERENCES = {"events", "lead_status_changes", "score_adjustments"}
UPSERTED = {"contacts", "accounts", "opportunities"}

REJECT_COLUMNS = {
    "entity": "VARCHAR",
    "source_file": "VARCHAR",
    "row_number": "BIGINT",
    "raw_record": "VARCHAR",
    "reason": "VARCHAR",
    "rejected_at": "TIMESTAMP",
}

# Prefixes of the temporary columns the generated SQL adds next to a file's own columns.
ROW = "__ls_row"
TEXT_PREFIX = "__ls_v_"
TYPED_PREFIX = "__ls_t_"
VALUES = "__ls_values"
IS_OBJECT = "__ls_is_object"
CANDIDATES = "__ls_candidates"
CONTACT_IDS = "__ls_contact_ids"
CONTACT_EMAILS = "__ls_contact_emails"
KNOWN_ID = "__ls_known_id"
EMAIL_CONTACT_ID = "__ls_email_contact_id"
REASON = "__ls_reason"


# --------------------------------------------------------------------------------------------- report


@dataclass
class EntityCounts:
    files: int = 0
    loaded: int = 0
    updated: int = 0
    unchanged: int = 0
    rejected: int = 0


@dataclass
class LoadReport:
    entities: dict[str, EntityCounts] = field(
        default_factory=lambda: {name: EntityCounts() for name in LOAD_ORDER}
    )
    rejects_table: str = f"{RAW_SCHEMA}.{REJECTS_TABLE}"

    def format_table(self) -> str:
        layout = "  {:<20} {:>6} {:>12} {:>12} {:>12} {:>10}"
        lines = [layout.format("entity", "files", "loaded", "updated", "unchanged", "rejected")]
        for name, c in self.entities.items():
            numbers = (c.files, c.loaded, c.updated, c.unchanged, c.rejected)
            lines.append(layout.format(name, *(f"{number:,}" for number in numbers)))
        rejected = sum(c.rejected for c in self.entities.values())
        lines.append(f"Rejected rows ({rejected:,} in this load) are listed in {self.rejects_table}.")
        return "\n".join(lines)


# --------------------------------------------------------------------------------------------- schema


def _q(identifier: str) -> str:
    return '"' + identifier.replace('"', '""') + '"'


def _lit(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _table(name: str) -> str:
    return f"{_q(RAW_SCHEMA)}.{_q(name)}"


def _table_columns(entity: Entity) -> dict[str, str]:
    """The raw table's columns and DuckDB types, in table order."""
    columns = {name: DUCKDB_TYPES[kind] for name, kind in entity.columns.items()}
    if entity.keeps_custom_columns:
        columns[CUSTOM_ATTRIBUTES_COLUMN] = "VARCHAR"
    columns.update({name: DUCKDB_TYPES[kind] for name, kind in METADATA_COLUMNS.items()})
    return columns


def _create_table(con: duckdb.DuckDBPyConnection, name: str, columns: dict[str, str]) -> None:
    body = ", ".join(f"{_q(column)} {kind}" for column, kind in columns.items())
    con.execute(f"CREATE TABLE IF NOT EXISTS {_table(name)} ({body})")


def ensure_raw_schema(con: duckdb.DuckDBPyConnection) -> None:
    """Create schema raw and all six raw tables + raw.load_rejects if missing (idempotent).

    The dbt project's sources read these tables, so they must exist even when empty.
    """
    con.execute(f"CREATE SCHEMA IF NOT EXISTS {_q(RAW_SCHEMA)}")
    for entity in ENTITIES.values():
        _create_table(con, entity.name, _table_columns(entity))
    _create_table(con, REJECTS_TABLE, REJECT_COLUMNS)


# --------------------------------------------------------------------------------------------- staging


@dataclass
class StagedFile:
    """One file read as text into a temporary table, with the SQL to see it through the contract."""

    path: Path
    entity: Entity
    order: int  # position in the load: later files win upsert ties
    tables: list[str]  # temporary tables to drop once the entity is landed
    source_sql: str = ""  # a subquery with the file's columns as text and its data row number in ROW
    columns: dict[str, str] = field(default_factory=dict)  # contract-style name -> SQL of the raw text
    raw_record_sql: str = "NULL"  # JSON text of the row as read
    row_problem_sql: str = "NULL"  # why a record is unusable before any column is looked at
    reader_rejects_sql: str | None = None  # rows the reader itself refused: ROW, raw_record, reason


def _short(error: Exception) -> str:
    """DuckDB's first message line without its error-class prefix."""
    lines = str(error).strip().splitlines() or ["unknown error"]
    return re.sub(r"^[A-Za-z ]*Error: ", "", lines[0]).strip()[:300]


def _normalised(names: list[str]) -> dict[str, list[str]]:
    """Contract-style name (trimmed, lower case) -> the file's column names that carry it."""
    grouped: dict[str, list[str]] = {}
    for name in names:
        grouped.setdefault(name.strip().lower(), []).append(name)
    return grouped


def _value_sql(expressions: list[str]) -> str:
    """Trimmed text, empty means missing; duplicated columns (same name, other case) coalesce."""
    trimmed = [f"nullif(trim({expr}), '')" for expr in expressions]
    return trimmed[0] if len(trimmed) == 1 else f"coalesce({', '.join(trimmed)})"


def _reader_gaps(con: duckdb.DuckDBPyConnection, rejects: str, header_lines: int, gaps: str) -> int:
    """Index of the rows DuckDB's CSV reader refused, to number the good rows in file order.

    The reader keeps good rows in file order (preserve_insertion_order) but skips refused ones; a
    refused record's number comes from the rejects table. For the j-th refused record r_j, the rows
    after it are shifted by j; ``good_before`` = r_j - j lets an ASOF join find that shift.
    """
    con.execute(
        f"""CREATE TEMP TABLE {_q(gaps)} AS
        SELECT record - j AS good_before, max(j) AS j
        FROM (SELECT record, row_number() OVER (ORDER BY record) AS j
              FROM (SELECT DISTINCT line - {header_lines} AS record FROM {_q(rejects)}))
        GROUP BY 1"""
    )
    row = con.execute(f"SELECT count(*) FROM {_q(gaps)}").fetchone()
    return int(row[0]) if row else 0


def _number_rows(
    con: duckdb.DuckDBPyConnection, staged: StagedFile, header_lines: int, refused_reason: str
) -> None:
    """Set the source subquery of a table staged by the CSV reader, with data row numbers and rejects."""
    table = staged.tables[0]
    rejects, gaps = staged.tables[1], staged.tables[3]
    if _reader_gaps(con, rejects, header_lines, gaps) == 0:
        staged.source_sql = f"(SELECT *, rowid + 1 AS {ROW} FROM {_q(table)})"
        return
    staged.source_sql = (
        f"(SELECT s.*, s.rowid + 1 + coalesce(g.j, 0) AS {ROW} FROM {_q(table)} s "
        f"ASOF LEFT JOIN {_q(gaps)} g ON s.rowid + 1 > g.good_before)"
    )
    staged.reader_rejects_sql = (
        f"SELECT line - {header_lines} AS {ROW}, "
        f"json_object('raw_line', coalesce(first(csv_line), '')) AS raw_record, "
        f"{refused_reason} AS reason FROM {_q(rejects)} GROUP BY line"
    )


def _csv_reader(staged: StagedFile, options: str) -> str:
    return (
        f"read_csv({_lit(str(staged.path))}, {options}, store_rejects = true, "
        f"rejects_table = {_lit(staged.tables[1])}, rejects_scan = {_lit(staged.tables[2])})"
    )


def _stage_csv(con: duckdb.DuckDBPyConnection, staged: StagedFile) -> dict[str, str]:
    """Returns the file's column names -> SQL of their text."""
    # Dialect fixed (RFC 4180) rather than sniffed, so that no row is silently taken for a comment.
    options = (
        "header = true, delim = ',', quote = '\"', escape = '\"', comment = '', skip = 0, all_varchar = true"
    )
    table = staged.tables[0]
    con.execute(f"CREATE TEMP TABLE {_q(table)} AS SELECT * FROM {_csv_reader(staged, options)}")
    names = [row[0] for row in con.execute(f"DESCRIBE {_q(table)}").fetchall()]
    _number_rows(con, staged, 1, "'malformed CSV row: ' || first(error_message ORDER BY column_idx)")
    staged.raw_record_sql = _json_object_sql(names)
    return {name: _q(name) for name in names}


def _json_object_sql(names: list[str]) -> str:
    return "json_object(" + ", ".join(f"{_lit(name)}, {_q(name)}" for name in names) + ")"


def _stage_jsonl(con: duckdb.DuckDBPyConnection, staged: StagedFile) -> dict[str, str]:
    # Each line is read whole (chr(1) cannot occur in valid JSON) so a bad line is a reject, not a crash.
    options = (
        "columns = {'line': 'VARCHAR'}, header = false, delim = chr(1), quote = '', escape = '', "
        "auto_detect = false"
    )
    table = staged.tables[0]
    con.execute(
        f"CREATE TEMP TABLE {_q(table)} AS SELECT line, CASE WHEN json_valid(line) "
        f"THEN json_type(line) = 'OBJECT' END AS {IS_OBJECT} FROM {_csv_reader(staged, options)}"
    )
    keys = [
        row[0]
        for row in con.execute(
            f"SELECT DISTINCT unnest(json_keys(line)) AS k FROM {_q(table)} WHERE {IS_OBJECT} ORDER BY k"
        ).fetchall()
    ]
    if not keys:
        raise LeadscoreError(f"{staged.path.name}: not JSON Lines (no line holds a JSON object)")
    _number_rows(con, staged, 0, "'invalid JSON'")
    paths = ", ".join(_lit('$."' + key.replace('"', '\\"') + '"') for key in keys)
    staged.source_sql = (
        f"(SELECT *, CASE WHEN {IS_OBJECT} THEN json_extract_string(line, [{paths}]) END AS {VALUES} "
        f"FROM {staged.source_sql} WHERE trim(coalesce(line, '')) <> '')"
    )
    staged.row_problem_sql = (
        f"CASE WHEN {IS_OBJECT} IS NULL THEN 'invalid JSON' "
        f"WHEN NOT {IS_OBJECT} THEN 'record is not a JSON object' END"
    )
    staged.raw_record_sql = f"CASE WHEN {IS_OBJECT} THEN line ELSE json_object('raw_line', line) END"
    return {key: f"{VALUES}[{index}]" for index, key in enumerate(keys, start=1)}


def _stage_parquet(con: duckdb.DuckDBPyConnection, staged: StagedFile) -> dict[str, str]:
    reader = f"read_parquet({_lit(str(staged.path))}, file_row_number = true)"
    described = con.execute(f"DESCRIBE SELECT * FROM {reader}").fetchall()
    names = [str(row[0]) for row in described if row[0] != "file_row_number"]
    kinds = {str(row[0]): str(row[1]) for row in described}
    casts = []
    for name in names:
        nested = any(marker in kinds[name] for marker in ("STRUCT", "MAP", "[]", "JSON", "UNION"))
        # Nested values become JSON text (a properties struct stays a JSON object).
        value = f"to_json({_q(name)})" if nested else _q(name)
        casts.append(f"CAST({value} AS VARCHAR) AS {_q(name)}")
    selected = ", ".join([f"file_row_number + 1 AS {ROW}", *casts])
    con.execute(f"CREATE TEMP TABLE {_q(staged.tables[0])} AS SELECT {selected} FROM {reader}")
    staged.source_sql = _q(staged.tables[0])
    staged.raw_record_sql = _json_object_sql(names)
    return {name: _q(name) for name in names}


def _check_columns(path: Path, entity: Entity, columns: dict[str, str]) -> None:
    missing = [name for name in entity.required if name not in columns]
    if missing:
        noun = "column" if len(missing) == 1 else "columns"
        raise LeadscoreError(f"{path.name}: missing required {noun} {', '.join(missing)}")
    if entity.one_of and not any(name in columns for name in entity.one_of):
        raise LeadscoreError(f"{path.name}: missing column {' or '.join(entity.one_of)} (one is required)")


def _stage_file(
    con: duckdb.DuckDBPyConnection, path: Path, entity: Entity, file_format: str, order: int
) -> StagedFile:
    if path.stat().st_size == 0:
        raise LeadscoreError(f"{path.name}: file is empty (no header, no rows)")
    table = f"__ls_stage_{order}"
    staged = StagedFile(path, entity, order, [table, f"{table}_rejects", f"{table}_scans", f"{table}_gaps"])
    try:
        if file_format == "jsonl":
            columns = _stage_jsonl(con, staged)
        elif file_format == "csv":
            columns = _stage_csv(con, staged)
        else:
            columns = _stage_parquet(con, staged)
    except duckdb.Error as error:
        if file_format == "jsonl":  # DuckDB's message would talk about CSV, its reader for lines
            raise LeadscoreError(f"{path.name}: cannot read as JSON Lines (not UTF-8 text lines)") from None
        kind = {"csv": "CSV", "parquet": "Parquet"}[file_format]
        raise LeadscoreError(f"{path.name}: cannot read as {kind}: {_short(error)}") from None
    staged.columns = {
        name: _value_sql([columns[source_name] for source_name in source_names])
        for name, source_names in _normalised(list(columns)).items()
    }
    _check_columns(path, entity, staged.columns)
    return staged


# --------------------------------------------------------------------------------------------- checks


def _typed_sql(entity: Entity, column: str, kind: str) -> str:
    text = _q(TEXT_PREFIX + column)
    if kind == TIMESTAMP:
        return f"CAST(try_cast({text} AS TIMESTAMPTZ) AS TIMESTAMP)"
    if kind == INTEGER:
        return f"try_cast({text} AS BIGINT)"
    if kind == NUMBER:
        return f"try_cast({text} AS DOUBLE)"
    if kind == BOOLEAN:
        true_words = ", ".join(_lit(word) for word in TRUE_WORDS)
        false_words = ", ".join(_lit(word) for word in FALSE_WORDS)
        return (
            f"CASE WHEN lower({text}) IN ({true_words}) THEN true "
            f"WHEN lower({text}) IN ({false_words}) THEN false END"
        )
    if (entity.name, column) in LOWERED_COLUMNS:
        return f"lower({text})"
    return text


def _type_problem(column: str, kind: str) -> str | None:
    """SQL giving the reason a present value does not parse as its contract type (NULL when fine)."""
    text, typed = _q(TEXT_PREFIX + column), _q(TYPED_PREFIX + column)
    broken = {
        # try_cast accepts 'infinity' and 'nan'; neither is a usable instant or amount.
        TIMESTAMP: (f"NOT coalesce(isfinite({typed}), false)", "unparsable timestamp"),
        NUMBER: (f"NOT coalesce(isfinite({typed}), false)", "unparsable number"),
        # try_cast rounds '12.5' to 13: an integer column must hold an integral value.
        INTEGER: (f"({typed} IS NULL OR try_cast({text} AS DOUBLE) <> {typed})", "unparsable integer"),
        BOOLEAN: (f"{typed} IS NULL", "unparsable boolean"),
    }.get(kind)
    if broken is None:
        return None
    condition, label = broken
    shown = f"''' || left({text}, 80) || ''''"  # the bad value, quoted and cut short
    return f"CASE WHEN {text} IS NOT NULL AND {condition} THEN '{label} in {column}: {shown} END"


def _problems(entity: Entity) -> list[str]:
    """SQL expressions, one per contract rule, each NULL or the reason a row breaks it."""
    problems = [
        f"CASE WHEN {_q(TEXT_PREFIX + name)} IS NULL THEN 'missing required value: {name}' END"
        for name in entity.required
    ]
    if entity.one_of:
        absent = " AND ".join(f"{_q(TEXT_PREFIX + name)} IS NULL" for name in entity.one_of)
        problems.append(
            f"CASE WHEN {absent} THEN 'missing {' or '.join(entity.one_of)} (one is required)' END"
        )
    for column, kind in entity.columns.items():
        problem = _type_problem(column, kind)
        if problem:
            problems.append(problem)
    for entity_name, column in JSON_OBJECT_COLUMNS:
        if entity_name == entity.name:
            text = _q(TEXT_PREFIX + column)
            problems.append(
                f"CASE WHEN {text} IS NOT NULL AND coalesce(CASE WHEN json_valid({text}) "
                f"THEN json_type({text}) END, '') <> 'OBJECT' THEN '{column} is not a JSON object' END"
            )
    if entity.name in CONTACT_REFERENCES:
        problems.append(_unknown_contact_problem(entity))
    return problems


def _unknown_contact_problem(entity: Entity) -> str:
    contact_id = _q(TYPED_PREFIX + "contact_id")
    by_id = (
        f"WHEN {contact_id} IS NOT NULL AND {KNOWN_ID} IS NULL "
        f"THEN 'unknown contact: contact_id ' || {contact_id}"
    )
    if "email" not in entity.columns:
        return f"CASE {by_id} END"
    email = _q(TYPED_PREFIX + "email")
    by_email = (
        f"WHEN {contact_id} IS NULL AND {email} IS NOT NULL AND {EMAIL_CONTACT_ID} IS NULL "
        f"THEN 'unknown contact: no contact with email ' || {email}"
    )
    return f"CASE {by_id} {by_email} END"


def _custom_attributes_sql(staged: StagedFile) -> str:
    """JSON object of the file's non-contract columns (keys lower case, empty values left out)."""
    reserved = set(staged.entity.columns) | set(METADATA_COLUMNS) | {CUSTOM_ATTRIBUTES_COLUMN}
    custom = sorted(name for name in staged.columns if name not in reserved)
    if not custom:
        return "CAST(NULL AS VARCHAR)"
    pairs = ", ".join(f"struct_pack(k := {_lit(name)}, v := {staged.columns[name]})" for name in custom)
    entries = f"list_filter([{pairs}], lambda x: x.v IS NOT NULL)"
    return f"nullif(CAST(to_json(map_from_entries({entries})) AS VARCHAR), '{{}}')"


def _final_column_sql(entity: Entity, column: str) -> str:
    typed = _q(TYPED_PREFIX + column)
    if DERIVED_KEYS.get(entity.name) == column:
        # Same row, same id: a hash of the row's normalised contract values.
        others = ", ".join(_q(TYPED_PREFIX + name) for name in entity.columns if name != column)
        return f"coalesce({typed}, 'h_' || md5(json_array({others})))"
    if entity.name == "events" and column == "contact_id":
        return f"coalesce({typed}, {EMAIL_CONTACT_ID})"
    return typed


def _file_candidates_sql(staged: StagedFile) -> str:
    """One file's rows: contract columns cast, plus the reason (NULL when the row is good)."""
    entity = staged.entity
    texts = ", ".join(
        f"{staged.columns.get(name, 'CAST(NULL AS VARCHAR)')} AS {_q(TEXT_PREFIX + name)}"
        for name in entity.columns
    )
    typed = ", ".join(
        f"{_typed_sql(entity, name, kind)} AS {_q(TYPED_PREFIX + name)}"
        for name, kind in entity.columns.items()
    )
    layered = f"(SELECT *, {typed} FROM (SELECT *, {texts} FROM {staged.source_sql}))"
    if entity.name in CONTACT_REFERENCES:
        layered = _with_contact_lookup(entity, layered)
    reason = (
        f"coalesce({staged.row_problem_sql}, nullif(concat_ws('; ', {', '.join(_problems(entity))}), ''))"
    )
    outputs = [f"{_final_column_sql(entity, name)} AS {_q(name)}" for name in entity.columns]
    if entity.keeps_custom_columns:
        outputs.append(f"{_custom_attributes_sql(staged)} AS {_q(CUSTOM_ATTRIBUTES_COLUMN)}")
    outputs += [
        f"{_lit(staged.path.name)} AS _source_file",
        f"{ROW} AS _source_row",
        f"{staged.order} AS _file_order",
        f"{REASON} AS _reason",
        f"CASE WHEN {REASON} IS NOT NULL THEN {staged.raw_record_sql} END AS _raw_record",
    ]
    return f"SELECT {', '.join(outputs)} FROM (SELECT *, {reason} AS {REASON} FROM {layered})"


def _with_contact_lookup(entity: Entity, layered: str) -> str:
    joins = f"LEFT JOIN {CONTACT_IDS} ids ON ids.contact_id = l.{_q(TYPED_PREFIX + 'contact_id')}"
    columns = f"ids.contact_id AS {KNOWN_ID}"
    if "email" in entity.columns:
        joins += f" LEFT JOIN {CONTACT_EMAILS} em ON em.email_key = lower(l.{_q(TYPED_PREFIX + 'email')})"
        columns += f", em.contact_id AS {EMAIL_CONTACT_ID}"
    return f"(SELECT l.*, {columns} FROM {layered} l {joins})"


def _refused_rows_sql(staged: StagedFile) -> str | None:
    """Rows the reader refused (wrong number of fields, bad encoding), in the candidates' shape."""
    if staged.reader_rejects_sql is None:
        return None
    entity = staged.entity
    outputs = [f"CAST(NULL AS {DUCKDB_TYPES[kind]}) AS {_q(name)}" for name, kind in entity.columns.items()]
    if entity.keeps_custom_columns:
        outputs.append(f"CAST(NULL AS VARCHAR) AS {_q(CUSTOM_ATTRIBUTES_COLUMN)}")
    outputs += [
        f"{_lit(staged.path.name)} AS _source_file",
        f"{ROW} AS _source_row",
        f"{staged.order} AS _file_order",
        "reason AS _reason",
        "raw_record AS _raw_record",
    ]
    return f"SELECT {', '.join(outputs)} FROM ({staged.reader_rejects_sql})"


# --------------------------------------------------------------------------------------------- landing


def _count(con: duckdb.DuckDBPyConnection, sql: str) -> int:
    row = con.execute(sql).fetchone()
    return int(row[0]) if row and row[0] is not None else 0


def _build_candidates(con: duckdb.DuckDBPyConnection, files: list[StagedFile]) -> None:
    parts: list[str] = []
    for staged in files:
        parts.append(_file_candidates_sql(staged))
        refused = _refused_rows_sql(staged)
        if refused:
            parts.append(refused)
    con.execute(f"CREATE OR REPLACE TEMP TABLE {CANDIDATES} AS " + "\nUNION ALL BY NAME\n".join(parts))
    for staged in files:  # the staged text is no longer needed: free its memory and temp space
        for table in staged.tables:
            con.execute(f"DROP TABLE IF EXISTS {_q(table)}")


def _record_rejects(con: duckdb.DuckDBPyConnection, entity: Entity, loaded_at: str) -> int:
    """Add this load's rejects to raw.load_rejects unless the same reject is already there."""
    rejects = _table(REJECTS_TABLE)
    con.execute(
        f"""INSERT INTO {rejects}
        SELECT DISTINCT {_lit(entity.name)}, _source_file, _source_row, _raw_record, _reason, {loaded_at}
        FROM {CANDIDATES} c
        WHERE _reason IS NOT NULL AND NOT EXISTS (
            SELECT 1 FROM {rejects} r
            WHERE r.entity = {_lit(entity.name)} AND r.source_file = c._source_file
              AND r."row_number" = c._source_row AND r.reason = c._reason AND r.raw_record = c._raw_record)"""
    )
    return _count(con, f"SELECT count(*) FROM {CANDIDATES} WHERE _reason IS NOT NULL")


def _insert_columns(entity: Entity, loaded_at: str) -> str:
    names = [_q(name) for name in _table_columns(entity) if name != "_loaded_at"]
    return ", ".join([*names, f"{loaded_at} AS _loaded_at"])


def _key_match(entity: Entity, left: str, right: str) -> str:
    return " AND ".join(f"{left}.{_q(key)} = {right}.{_q(key)}" for key in entity.key)


def _upsert(con: duckdb.DuckDBPyConnection, entity: Entity, loaded_at: str) -> tuple[int, int]:
    """Newest version per key wins (updated_at, else the later row); returns (new, changed) counts."""
    table, keys = _table(entity.name), ", ".join(_q(key) for key in entity.key)
    has_updated_at = "updated_at" in entity.columns
    newest = "updated_at DESC NULLS LAST, " if has_updated_at else ""
    # A later load replaces a stored row unless both carry updated_at and the stored one is newer.
    stale = "coalesce(w.updated_at < e.updated_at, false)" if has_updated_at else "false"
    content = [name for name in _table_columns(entity) if name not in METADATA_COLUMNS]
    same = " AND ".join(f"w.{_q(name)} IS NOT DISTINCT FROM e.{_q(name)}" for name in content)
    first_key = _q(entity.key[0])
    con.execute(
        f"""CREATE OR REPLACE TEMP TABLE __ls_changes AS
        SELECT w.*, e.{first_key} IS NULL AS _is_new
        FROM (SELECT * FROM {CANDIDATES} WHERE _reason IS NULL
              QUALIFY row_number() OVER (PARTITION BY {keys}
                                         ORDER BY {newest}_file_order DESC, _source_row DESC) = 1) w
        LEFT JOIN {table} e ON {_key_match(entity, "e", "w")}
        WHERE e.{first_key} IS NULL OR NOT ({stale} OR ({same}))"""
    )
    con.execute(
        f"DELETE FROM {table} e USING __ls_changes w WHERE NOT w._is_new AND {_key_match(entity, 'e', 'w')}"
    )
    con.execute(f"INSERT INTO {table} SELECT {_insert_columns(entity, loaded_at)} FROM __ls_changes")
    new = _count(con, "SELECT count(*) FROM __ls_changes WHERE _is_new")
    changed = _count(con, "SELECT count(*) FROM __ls_changes WHERE NOT _is_new")
    con.execute("DROP TABLE __ls_changes")
    return new, changed


def _append(con: duckdb.DuckDBPyConnection, entity: Entity, loaded_at: str) -> int:
    """Append rows whose key is new; the first occurrence in file order wins. Returns rows added."""
    table, keys = _table(entity.name), ", ".join(_q(key) for key in entity.key)
    return _count(
        con,
        f"""INSERT INTO {table}
        SELECT {_insert_columns(entity, loaded_at)} FROM {CANDIDATES} c
        WHERE _reason IS NULL AND NOT EXISTS (SELECT 1 FROM {table} e WHERE {_key_match(entity, "e", "c")})
        QUALIFY row_number() OVER (PARTITION BY {keys} ORDER BY _file_order, _source_row) = 1""",
    )


def _refresh_contact_lookup(con: duckdb.DuckDBPyConnection) -> None:
    """Known contacts (this load's included), by id and by lower-case email."""
    contacts = _table("contacts")
    con.execute(f"CREATE OR REPLACE TEMP TABLE {CONTACT_IDS} AS SELECT DISTINCT contact_id FROM {contacts}")
    # Several contacts may share an email: the most recently updated one gets the event.
    con.execute(
        f"""CREATE OR REPLACE TEMP TABLE {CONTACT_EMAILS} AS
        SELECT lower(email) AS email_key,
               arg_max(contact_id, (coalesce(updated_at, created_at), contact_id)) AS contact_id
        FROM {contacts} WHERE email IS NOT NULL GROUP BY 1"""
    )


@contextmanager
def _transaction(con: duckdb.DuckDBPyConnection, what: str) -> Iterator[None]:
    con.execute("BEGIN TRANSACTION")
    try:
        yield
    except duckdb.Error as error:
        con.execute("ROLLBACK")
        raise LeadscoreError(f"loading {what} failed: {_short(error)}") from None
    except BaseException:
        con.execute("ROLLBACK")
        raise
    con.execute("COMMIT")


def _land_entity(
    con: duckdb.DuckDBPyConnection, entity: Entity, files: list[StagedFile], loaded_at: str
) -> EntityCounts:
    counts = EntityCounts(files=len(files))
    with _transaction(con, entity.name):
        _build_candidates(con, files)
        refuse_erased(con, entity.name, CANDIDATES)  # `leadscore forget`: an erased person stays out
        counts.rejected = _record_rejects(con, entity, loaded_at)
        if entity.name in UPSERTED:
            counts.loaded, counts.updated = _upsert(con, entity, loaded_at)
        else:
            counts.loaded = _append(con, entity, loaded_at)
        valid = _count(con, f"SELECT count(*) FROM {CANDIDATES} WHERE _reason IS NULL")
        counts.unchanged = valid - counts.loaded - counts.updated
        con.execute(f"DROP TABLE {CANDIDATES}")
    return counts


# --------------------------------------------------------------------------------------------- driver


def _discover(directory: Path, say: Progress) -> list[tuple[Path, Entity, str]]:
    if not directory.is_dir():
        problem = "not a directory" if directory.exists() else "no such directory"
        raise LeadscoreError(f"{directory}: {problem}")
    found = []
    for path in sorted(p for p in directory.iterdir() if p.is_file()):
        entity, file_format = entity_for_file(path.name), FORMATS.get(path.suffix.lower())
        if entity is None or file_format is None:
            say(f"Skipping {path.name}: not a raw file (an entity name + .csv, .parquet or .jsonl)")
            continue
        found.append((path, entity, file_format))
    if not found:
        entities = ", ".join(LOAD_ORDER)
        raise LeadscoreError(f"{directory}: no raw file to load (names start with one of: {entities})")
    return found


def _connect(db_path: Path) -> duckdb.DuckDBPyConnection:
    db_path.parent.mkdir(parents=True, exist_ok=True)
    config = {
        "memory_limit": MEMORY_LIMIT,
        "temp_directory": str(db_path.with_name(db_path.name + ".tmp")),
        # Row numbers of CSV and JSON Lines rows rely on the reader keeping file order.
        "preserve_insertion_order": True,
    }
    try:
        con = duckdb.connect(str(db_path), config=config)
    except duckdb.Error as error:
        raise LeadscoreError(f"cannot open warehouse {db_path}: {_short(error)}") from None
    con.execute("SET TimeZone = 'UTC'")
    return con


def _stage_all(
    con: duckdb.DuckDBPyConnection, found: list[tuple[Path, Entity, str]], say: Progress
) -> dict[str, list[StagedFile]]:
    staged: dict[str, list[StagedFile]] = {name: [] for name in LOAD_ORDER}
    for order, (path, entity, file_format) in enumerate(found):
        say(f"Reading {path.name} ({entity.name})")
        staged[entity.name].append(_stage_file(con, path, entity, file_format, order))
    return staged


def load_directory(
    db_path: Path, directory: Path, progress: Progress | None = None, lock_timeout: float | None = None
) -> LoadReport:
    """Land every raw file of ``directory`` in the warehouse at ``db_path``; see the module docstring.

    Row numbers are 1-based: CSV records after the header (a quoted field may span lines), JSON Lines
    lines, Parquet rows. DuckDB's CSV reader skips blank lines, yet counts them in the line number of
    a malformed row: only in a CSV file with both can such a row's number be off by the blank lines.
    Another build or load of the same warehouse is waited for (leadscore.locking).
    """
    from leadscore.locking import writer_lock

    say = progress or (lambda _message: None)
    found = _discover(directory, say)
    with writer_lock(db_path, "load", timeout=lock_timeout, progress=progress):
        return _land_all(db_path, found, say)


def _land_all(db_path: Path, found: list[tuple[Path, Entity, str]], say: Progress) -> LoadReport:
    con = _connect(db_path)
    try:
        ensure_raw_schema(con)
        staged = _stage_all(con, found, say)  # every file is read before anything lands
        loaded_at = f"TIMESTAMP '{datetime.now(timezone.utc).replace(tzinfo=None).isoformat(sep=' ')}'"
        report = LoadReport()
        lookup_ready = False
        for name in LOAD_ORDER:
            files = staged[name]
            if not files:
                continue
            if name in CONTACT_REFERENCES and not lookup_ready:
                _refresh_contact_lookup(con)  # contacts have landed by now and do not change afterwards
                lookup_ready = True
            say(f"Loading {name} ({len(files)} file{'s' if len(files) > 1 else ''})")
            report.entities[name] = _land_entity(con, ENTITIES[name], files, loaded_at)
        return report
    finally:
        con.close()
