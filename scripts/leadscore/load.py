"""``leadscore load DIR``: land raw files in the warehouse's ``raw`` schema (SPEC section 2).

Two phases, so that one unreadable file loads nothing at all:

1. *Stage*: every file is read as text into a temporary table (CSV and JSON Lines through DuckDB's CSV
   reader, JSON arrays through its JSON reader, Parquet cast to text; ``.gz`` of each), its headers are
   normalised and matched to the contract and the required ones checked. A file that cannot be read
   fails the load with one line naming the file and the cause (encoding, delimiter, quote, line size).
2. *Land*: per entity, in ``contract.LOAD_ORDER`` and one transaction each, the staged text is cast and
   checked in SQL; every row gets one outcome (loaded, updated, superseded, unchanged, rejected; see
   ``_classify``), rejects go to ``raw.load_rejects``, and the counts must add up to the rows read.
   docs/loading.md is the user's view of all this.

All row work happens inside DuckDB so that tens of millions of events load with bounded memory.
"""

from __future__ import annotations

import csv
import gzip
import io
import os
import re
import shutil
import tempfile
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
from leadscore.errors import LeadscoreError
from leadscore.ops import refuse_erased
from leadscore.warehouse import Warehouse
from leadscore.warehouse import quote_identifier as _q
from leadscore.warehouse import quote_literal as _lit

Progress = Callable[[str], None]

MEMORY_LIMIT = "4GB"
# ``.json`` holds either JSON Lines or one JSON array of records (told apart by its first character).
FORMATS = {".csv": "csv", ".parquet": "parquet", ".jsonl": "jsonl", ".json": "json", ".ndjson": "jsonl"}
FORMAT_NAMES = {"csv": "CSV", "parquet": "Parquet", "jsonl": "JSON Lines", "json": "JSON"}
# DuckDB's own default; a longer CSV record or JSON line fails the file, naming the line and this variable.
MAX_LINE_SIZE_VARIABLE = "LEADSCORE_MAX_LINE_SIZE"
DEFAULT_MAX_LINE_SIZE = 2_000_000
SNIFF_BYTES = 65_536
TRUE_WORDS = ("true", "t", "yes", "1")
FALSE_WORDS = ("false", "f", "no", "0")

# Entity-specific rules of SPEC section 2 that the contract module does not encode.
DERIVED_KEYS = {"events": "event_id", "score_adjustments": "adjustment_id"}
LOWERED_COLUMNS = {("events", "event_type"), ("lead_status_changes", "status")}
JSON_OBJECT_COLUMNS = {("events", "properties")}
CONTACT_REFERENCES = {"events", "lead_status_changes", "score_adjustments"}
UPSERTED = {"contacts", "accounts", "opportunities"}
# Where a file's non-contract columns go: contacts and accounts keep them in custom_attributes (keys_custom
# _columns in the contract), events merge them into properties; the other entities have no place for them.
EXTRA_COLUMNS_INTO_PROPERTIES = {"events"}
OUTCOMES = ("loaded", "updated", "superseded", "unchanged", "rejected")

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
CLASSIFIED = "__ls_classified"


# --------------------------------------------------------------------------------------------- report


@dataclass
class EntityCounts:
    """What happened to each row read for one entity; ``rows_in`` is counted apart, before landing."""

    files: int = 0
    rows_in: int = 0
    loaded: int = 0  # a new key
    updated: int = 0  # a newer version replaced the stored row
    superseded: int = 0  # an older version (of the stored row or of another row of this load): kept out
    unchanged: int = 0  # the same row again
    rejected: int = 0  # listed in raw.load_rejects with its reason

    @property
    def accounted(self) -> int:
        return self.loaded + self.updated + self.superseded + self.unchanged + self.rejected


@dataclass
class LoadReport:
    entities: dict[str, EntityCounts] = field(
        default_factory=lambda: {name: EntityCounts() for name in LOAD_ORDER}
    )
    rejects_table: str = f"{RAW_SCHEMA}.{REJECTS_TABLE}"
    notes: list[str] = field(default_factory=list)  # per file: extra columns kept, columns not used, ...
    label: str = "entity"  # what a line of the table counts (leadscore.load_source: a connector's table)
    docs: str = "docs/loading.md"

    def total(self) -> EntityCounts:
        total = EntityCounts()
        for counts in self.entities.values():
            for name in ("files", "rows_in", *OUTCOMES):
                setattr(total, name, getattr(total, name) + getattr(counts, name))
        return total

    def format_table(self) -> str:
        width = max([20, *(len(name) for name in self.entities)])
        layout = "  {:<" + str(width) + "} {:>6} {:>12} {:>12} {:>12} {:>12} {:>12} {:>10}"
        header = (self.label, "files", "rows in", "loaded", "updated", "superseded", "unchanged", "rejected")
        lines = [layout.format(*header)]
        for name, c in [*self.entities.items(), ("total", self.total())]:
            numbers = (c.files, c.rows_in, c.loaded, c.updated, c.superseded, c.unchanged, c.rejected)
            lines.append(layout.format(name, *(f"{number:,}" for number in numbers)))
        lines.append(f"rows in = loaded + updated + superseded + unchanged + rejected ({self.docs})")
        rejected = self.total().rejected
        lines.append(f"Rejected rows ({rejected:,} in this load) are listed in {self.rejects_table}.")
        lines.extend(self.notes)
        return "\n".join(lines)


# --------------------------------------------------------------------------------------------- schema


def _table(name: str) -> str:
    return f"{_q(RAW_SCHEMA)}.{_q(name)}"


def _table_columns(entity: Entity) -> dict[str, str]:
    """The raw table's columns and DuckDB types, in table order."""
    columns = {name: DUCKDB_TYPES[kind] for name, kind in entity.columns.items()}
    if entity.keeps_custom_columns:
        columns[CUSTOM_ATTRIBUTES_COLUMN] = "VARCHAR"
    columns.update({name: DUCKDB_TYPES[kind] for name, kind in METADATA_COLUMNS.items()})
    return columns


def _create_table(
    con: duckdb.DuckDBPyConnection, name: str, columns: dict[str, str], schema: str = RAW_SCHEMA
) -> None:
    body = ", ".join(f"{_q(column)} {kind}" for column, kind in columns.items())
    con.execute(f"CREATE TABLE IF NOT EXISTS {_q(schema)}.{_q(name)} ({body})")


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
    columns: dict[str, str] = field(default_factory=dict)  # normalised name -> SQL of the raw text
    raw_record_sql: str = "NULL"  # JSON text of the row as read
    row_problem_sql: str = "NULL"  # why a record is unusable before any column is looked at
    reader_rejects_sql: str | None = None  # rows the reader itself refused: ROW, raw_record, reason
    column_problems: list[str] = field(default_factory=list)  # SQL reasons from the columns themselves
    extra_columns: list[str] = field(default_factory=list)  # normalised names outside the contract, kept
    notes: list[str] = field(default_factory=list)  # what the summary says about this file
    is_empty: bool = False  # an empty JSON array: 0 records and no column names


def _short(error: Exception) -> str:
    """DuckDB's first message line without its error-class prefix."""
    lines = str(error).strip().splitlines() or ["unknown error"]
    return re.sub(r"^[A-Za-z ]*Error: ", "", lines[0]).strip()[:300]


def normalise_header(name: str) -> str:
    """A file's column name as the contract spells it: trimmed, lower case, spaces and hyphens as ``_``."""
    return re.sub(r"[\s\-]+", "_", name.strip().lower())


Columns = list[tuple[str, str]]  # a file's columns: (name as written, SQL of its text); names may repeat


def _normalised(columns: Columns) -> dict[str, Columns]:
    """Normalised name -> the file's columns that carry it (several when spelled alike or repeated)."""
    grouped: dict[str, Columns] = {}
    for spelling, expression in columns:
        grouped.setdefault(normalise_header(spelling), []).append((spelling, expression))
    return grouped


def _value_sql(expressions: list[str]) -> str:
    """Trimmed text, empty means missing; columns of the same normalised name coalesce."""
    trimmed = [f"nullif(trim({expr}), '')" for expr in expressions]
    return trimmed[0] if len(trimmed) == 1 else f"coalesce({', '.join(trimmed)})"


def _disagreement_sql(name: str, spellings: list[str], expressions: list[str]) -> str:
    """Reject a row whose columns of one normalised name hold different values (no value is dropped)."""
    values = ", ".join(f"nullif(trim({expr}), '')" for expr in expressions)
    shown = " and ".join(f'"{spelling}"' for spelling in spellings).replace("'", "''")
    return (
        f"CASE WHEN len(list_distinct(list_filter([{values}], lambda __ls_entry: __ls_entry IS NOT NULL))) > 1 "
        f"THEN 'columns {shown} both mean {name} and hold different values' END"
    )


def _max_line_size() -> int:
    text = os.environ.get(MAX_LINE_SIZE_VARIABLE, "").strip()
    if not text:
        return DEFAULT_MAX_LINE_SIZE
    if not text.isdigit() or int(text) < 1:
        raise LeadscoreError(f"{MAX_LINE_SIZE_VARIABLE}={text!r}: expected a whole number of bytes, e.g. 10000000")
    return int(text)


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
    encoding = con.execute(
        f"SELECT min(line) FROM {_q(rejects)} WHERE error_type = 'INVALID ENCODING'"
    ).fetchone()
    if encoding and encoding[0] is not None:
        raise _FileProblem(_not_utf8(int(encoding[0]), None))
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
        f"read_csv({_lit(str(staged.path))}, {options}, max_line_size = {_max_line_size()}, "
        f"store_rejects = true, rejects_table = {_lit(staged.tables[1])}, "
        f"rejects_scan = {_lit(staged.tables[2])})"
    )


def _stage_csv(con: duckdb.DuckDBPyConnection, staged: StagedFile, header: list[str] | None) -> Columns:
    """Returns the file's columns: name as written, SQL of the text."""
    # Dialect fixed (RFC 4180) rather than sniffed, so that no row is silently taken for a comment.
    options = (
        "header = true, delim = ',', quote = '\"', escape = '\"', comment = '', skip = 0, all_varchar = true"
    )
    table = staged.tables[0]
    con.execute(f"CREATE TEMP TABLE {_q(table)} AS SELECT * FROM {_csv_reader(staged, options)}")
    read = [str(row[0]) for row in con.execute(f"DESCRIBE {_q(table)}").fetchall()]
    names = list(read)
    for index, name in enumerate(read):
        if name.lower() == "rowid":  # it would hide the row id that numbers the rows
            names[index] = f"__ls_rowid_{index}"
            con.execute(f"ALTER TABLE {_q(table)} RENAME COLUMN {_q(name)} TO {_q(names[index])}")
    _number_rows(con, staged, 1, "'malformed CSV row: ' || first(error_message ORDER BY column_idx)")
    # DuckDB renames a repeated header (email, email_1): the header as written says what each column is.
    shown = read
    if header is not None and len(header) == len(names):  # a blank header keeps DuckDB's name (column2)
        shown = [written if written.strip() else name for written, name in zip(header, read, strict=True)]
    staged.raw_record_sql = _json_object_sql(shown, names)
    return [(spelled, _q(name)) for spelled, name in zip(shown, names, strict=True)]


def _json_object_sql(keys: list[str], names: list[str] | None = None) -> str:
    pairs = zip(keys, names or keys, strict=True)
    return "json_object(" + ", ".join(f"{_lit(key)}, {_q(name)}" for key, name in pairs) + ")"


def _stage_json_lines(con: duckdb.DuckDBPyConnection, staged: StagedFile) -> None:
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


def _stage_json_array(con: duckdb.DuckDBPyConnection, staged: StagedFile) -> None:
    """A file holding one JSON array: each element is a record, numbered from 1 in array order."""
    size = max(_max_line_size(), 16_777_216)
    reader = (
        f"read_json({_lit(str(staged.path))}, format = 'array', records = false, "
        f"columns = {{'json': 'JSON'}}, maximum_object_size = {size})"
    )
    table = staged.tables[0]
    con.execute(
        f"CREATE TEMP TABLE {_q(table)} AS SELECT CAST(json AS VARCHAR) AS line, "
        f"coalesce(json_type(json) = 'OBJECT', false) AS {IS_OBJECT} FROM {reader}"  # a JSON null is no object
    )
    staged.source_sql = f"(SELECT *, rowid + 1 AS {ROW} FROM {_q(table)})"


def _stage_json(con: duckdb.DuckDBPyConnection, staged: StagedFile, is_array: bool) -> Columns:
    if is_array:
        _stage_json_array(con, staged)
    else:
        _stage_json_lines(con, staged)
    table = staged.tables[0]
    keys = [
        row[0]
        for row in con.execute(
            f"SELECT DISTINCT unnest(json_keys(line)) AS k FROM {_q(table)} WHERE {IS_OBJECT} ORDER BY k"
        ).fetchall()
    ]
    if not keys:
        if is_array and _count(con, f"SELECT count(*) FROM {_q(table)}") == 0:
            staged.is_empty = True  # `[]`: no records, hence no columns to check
            return []
        if is_array:
            raise _FileProblem("no element of the array is a JSON object")
        is_json_name = staged.path.name.lower().removesuffix(".gz").endswith(".json")
        hint = "; a .json file holds JSON Lines or one array of objects" if is_json_name else ""
        raise _FileProblem(f"not JSON Lines (no line holds a JSON object, one per line{hint})")
    blank_lines = "TRUE"
    if not is_array:
        too_long = (
            "'line longer than the maximum line size (' || first(error_message) || "
            f"'): raise {MAX_LINE_SIZE_VARIABLE} to load it'"
        )
        _number_rows(
            con,
            staged,
            0,
            f"CASE WHEN bool_or(error_type = 'LINE SIZE OVER MAXIMUM') THEN {too_long} ELSE 'invalid JSON' END",
        )
        blank_lines = "trim(coalesce(line, '')) <> ''"  # a blank line is no record
    paths = ", ".join(_lit('$."' + key.replace('"', '\\"') + '"') for key in keys)
    staged.source_sql = (
        f"(SELECT *, CASE WHEN {IS_OBJECT} THEN json_extract_string(line, [{paths}]) END AS {VALUES} "
        f"FROM {staged.source_sql} WHERE {blank_lines})"
    )
    staged.row_problem_sql = (
        f"CASE WHEN {IS_OBJECT} IS NULL THEN 'invalid JSON' "
        f"WHEN NOT {IS_OBJECT} THEN 'record is not a JSON object' END"
    )
    staged.raw_record_sql = f"CASE WHEN {IS_OBJECT} THEN line ELSE json_object('raw_line', line) END"
    return [(key, f"{VALUES}[{index}]") for index, key in enumerate(keys, start=1)]


def _stage_parquet(con: duckdb.DuckDBPyConnection, staged: StagedFile) -> Columns:
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
    return [(name, _q(name)) for name in names]


def _check_columns(path: Path, entity: Entity, columns: dict[str, str]) -> None:
    missing = [name for name in entity.required if name not in columns]
    if missing:
        noun = "column" if len(missing) == 1 else "columns"
        raise LeadscoreError(f"{path.name}: missing required {noun} {', '.join(missing)}")
    if entity.one_of and not any(name in columns for name in entity.one_of):
        raise LeadscoreError(f"{path.name}: missing column {' or '.join(entity.one_of)} (one is required)")


class _FileProblem(Exception):
    """Why a file cannot be read, said in the user's terms; becomes ``<file>: cannot read as <kind>: ...``."""


def _not_utf8(line: int, byte: int | None) -> str:
    shown = f"byte 0x{byte:02X} " if byte is not None else "bytes "
    return f"not UTF-8 text ({shown}on line {line}; Latin-1 or Windows-1252?): save it as UTF-8"


def _text_problem(prefix: bytes, file_format: str) -> str | None:
    """What the first bytes of a CSV or JSON file say is wrong with it, or None."""
    if prefix.startswith(b"PAR1"):
        return "it is a Parquet file (it starts with PAR1): name it .parquet"
    if prefix.startswith(b"\x1f\x8b"):
        return "it is gzip-compressed: add .gz to its name"
    if prefix.startswith(b"\xff\xfe") or prefix.startswith(b"\xfe\xff"):
        order = "LE" if prefix.startswith(b"\xff\xfe") else "BE"
        return f"UTF-16 {order} text (byte order mark): save it as UTF-8"
    if b"\x00" in prefix:
        even, odd = prefix[0::2].count(0), prefix[1::2].count(0)
        if odd > len(prefix) // 4 and even == 0:
            return "UTF-16 LE text (NUL bytes between the characters): save it as UTF-8"
        if even > len(prefix) // 4 and odd == 0:
            return "UTF-16 BE text (NUL bytes between the characters): save it as UTF-8"
        return "binary data (NUL bytes), not text"
    try:
        prefix.decode("utf-8")
    except UnicodeDecodeError as error:
        if error.start < len(prefix) - 3 or len(prefix) < SNIFF_BYTES:  # not a character cut by the prefix end
            return _not_utf8(prefix.count(b"\n", 0, error.start) + 1, prefix[error.start])
    if file_format == "csv":
        first_line = prefix.split(b"\n", 1)[0].decode("utf-8", "replace").lstrip("\ufeff")
        if "," not in first_line:
            for delimiter, name in ((";", "semicolon"), ("\t", "tab"), ("|", "pipe")):
                if delimiter in first_line:
                    return (
                        f"{name}-delimited ({delimiter!r} found in the header, no comma): "
                        "the loader reads comma-separated CSV; save it with commas"
                    )
    return None


def _csv_header(prefix: bytes) -> list[str] | None:
    """The header record as written (DuckDB renames repeated names), or None when it is not in the prefix."""
    text = prefix.decode("utf-8", "replace").lstrip("\ufeff")
    try:
        return next(csv.reader(io.StringIO(text)))
    except (StopIteration, csv.Error):
        return None


def _line_over(path: Path, compressed: bool, limit: int) -> tuple[int, int] | None:
    """(line number, length) of the first line longer than ``limit`` bytes; reads only on that error."""
    with _open(path, compressed) as handle:
        for number, line in enumerate(handle, start=1):
            if len(line) > limit:
                return number, len(line)
    return None


def _unterminated_quote(path: Path, compressed: bool) -> int | None:
    """The line where a quoted CSV field opens and is never closed (RFC 4180 quoting), or None."""
    inside, opened = False, 0
    with _open(path, compressed) as handle:
        for number, line in enumerate(handle, start=1):
            if line.count(b'"') % 2 == 1:
                inside = not inside
                opened = number if inside else opened
    return opened if inside else None


def _open(path: Path, compressed: bool) -> io.BufferedIOBase:
    return gzip.open(path, "rb") if compressed else path.open("rb")  # type: ignore[return-value]


def _explain_reader_error(path: Path, compressed: bool, file_format: str, error: duckdb.Error) -> str:
    """The real cause of a reader failure: DuckDB's first line often hides it."""
    message = str(error)
    size = re.search(r"Maximum line size of (\d+) bytes exceeded\. Actual Size:\s*(\d+)", message)
    if size or "maximum_object_size" in message:
        limit = int(size.group(1)) if size else max(_max_line_size(), 16_777_216)
        found = _line_over(path, compressed, limit)
        where = f"line {found[0]} holds {found[1]:,} bytes" if found else "a record is longer than that"
        return (
            f"{where}, over the maximum line size of {limit:,} bytes (a field too long?); "
            f"to load it, raise the limit: {MAX_LINE_SIZE_VARIABLE}=<bytes> leadscore load ..."
        )
    if file_format == "csv" and ("sniffing" in message or "quote" in message.lower()):
        line = _unterminated_quote(path, compressed)
        if line is not None:
            return f"unterminated quote: the quoted field that starts on line {line} is never closed"
        if "sniffing" in message:
            return "no comma-separated layout found (is it CSV text with a header line?)"
    if compressed and ("gzip" in message.lower() or "compress" in message.lower()):
        return f"broken gzip data: {_short(error)}"
    if file_format == "json" and "Malformed JSON" in message:
        found = re.search(r"Malformed JSON in file \"[^\"]*\", (.*)", message)
        return f"malformed JSON array ({found.group(1).strip() if found else _short(error)})"
    return _short(error)


def _read_prefix(path: Path, compressed: bool) -> bytes:
    try:
        with _open(path, compressed) as handle:
            return handle.read(SNIFF_BYTES)
    except (OSError, EOFError) as error:
        if not compressed:
            raise _FileProblem(f"cannot open it ({error.strerror if isinstance(error, OSError) else error})") from None
        raise _FileProblem(f"broken gzip data ({error})") from None


def _stage_file(
    con: duckdb.DuckDBPyConnection, path: Path, entity: Entity, file_format: str, compressed: bool, order: int
) -> StagedFile:
    if path.stat().st_size == 0:
        raise LeadscoreError(f"{path.name}: file is empty (no header, no rows)")
    table = f"__ls_stage_{order}"
    kind = FORMAT_NAMES[file_format]
    with tempfile.TemporaryDirectory(prefix="leadscore-load-") as scratch:
        staged = StagedFile(path, entity, order, [table, f"{table}_rejects", f"{table}_scans", f"{table}_gaps"])
        try:
            prefix = _read_prefix(path, compressed)
            if not prefix.strip(b" \t\r\n\xef\xbb\xbf"):
                raise LeadscoreError(f"{path.name}: file is empty (no header, no rows)")
            if file_format == "parquet" and compressed:  # DuckDB reads gzip text only: unpack to a scratch file
                staged.path = Path(scratch) / path.name.removesuffix(path.suffix)
                with _open(path, True) as source, staged.path.open("wb") as target:
                    shutil.copyfileobj(source, target)
            problem = None if file_format == "parquet" else _text_problem(prefix, file_format)
            if problem:
                raise _FileProblem(problem)
            if file_format == "csv":
                columns = _stage_csv(con, staged, _csv_header(prefix))
            elif file_format == "parquet":
                columns = _stage_parquet(con, staged)
            else:
                is_array = file_format == "json" and prefix.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"[")
                kind = "a JSON array" if is_array else "JSON Lines"
                columns = _stage_json(con, staged, is_array)
        except _FileProblem as problem:
            raise LeadscoreError(f"{path.name}: cannot read as {kind}: {problem}") from None
        except duckdb.Error as error:
            cause = _explain_reader_error(path, compressed, file_format, error)
            raise LeadscoreError(f"{path.name}: cannot read as {kind}: {cause}") from None
        finally:
            staged.path = path
    _match_columns(staged, columns)
    if staged.is_empty:
        staged.notes.append(f"{path.name}: an empty JSON array (0 records): nothing to load")
        return staged
    _check_columns(path, entity, staged.columns)
    if _count(con, f"SELECT count(*) FROM {staged.source_sql}") == 0 and staged.reader_rejects_sql is None:
        staged.notes.append(f"{path.name}: no rows (header only): nothing to load")
    return staged


def _match_columns(staged: StagedFile, columns: Columns) -> None:
    """Normalise the file's column names, group the spellings of one name, and say what is not used."""
    entity, name = staged.entity, staged.path.name
    grouped = _normalised(columns)
    staged.columns = {}
    for normalised, group in grouped.items():
        spellings, expressions = [spelling for spelling, _ in group], [expression for _, expression in group]
        staged.columns[normalised] = _value_sql(expressions)
        if len(group) > 1:
            staged.column_problems.append(_disagreement_sql(normalised, spellings, expressions))
            shown = ", ".join(f'"{spelling}"' for spelling in spellings)
            staged.notes.append(
                f"{name}: columns {shown} all read as {normalised} (rows where they differ are rejected)"
            )
    reserved = set(METADATA_COLUMNS) | {CUSTOM_ATTRIBUTES_COLUMN}
    outside = [normalised for normalised in grouped if normalised not in entity.columns]
    keeps = entity.keeps_custom_columns or entity.name in EXTRA_COLUMNS_INTO_PROPERTIES
    staged.extra_columns = [column for column in outside if keeps and column not in reserved]
    unused = [column for column in outside if column not in staged.extra_columns]
    if staged.extra_columns:
        place = CUSTOM_ATTRIBUTES_COLUMN if entity.keeps_custom_columns else "properties"
        staged.notes.append(f"{name}: extra columns kept in {place}: {', '.join(staged.extra_columns)}")
    if unused:
        staged.notes.append(f"{name}: columns not used (outside the {entity.name} contract): {', '.join(unused)}")


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


def _extra_columns_sql(staged: StagedFile) -> str:
    """JSON object text of the file's non-contract columns (normalised names, empty values left out)."""
    if not staged.extra_columns:
        return "CAST(NULL AS VARCHAR)"
    pairs = ", ".join(
        f"struct_pack(k := {_lit(name)}, v := {staged.columns[name]})" for name in sorted(staged.extra_columns)
    )
    entries = f"list_filter([{pairs}], lambda __ls_entry: __ls_entry.v IS NOT NULL)"
    return f"nullif(CAST(to_json(map_from_entries({entries})) AS VARCHAR), '{{}}')"


def _properties_sql(staged: StagedFile) -> str:
    """An event's properties with the file's extra columns merged in; a key of ``properties`` wins.

    A properties value that is not a JSON object is left as it is: the row is rejected for it."""
    text = _q(TEXT_PREFIX + "properties")
    if not staged.extra_columns:
        return text
    extras = _extra_columns_sql(staged)
    return (
        f"CASE WHEN {extras} IS NULL THEN {text} WHEN {text} IS NULL THEN {extras} "
        f"WHEN json_valid({text}) AND json_type({text}) = 'OBJECT' "
        f"THEN CAST(json_merge_patch({extras}, {text}) AS VARCHAR) ELSE {text} END"
    )


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
        if (entity.name, name) != ("events", "properties")
        else f"{_properties_sql(staged)} AS {_q(TYPED_PREFIX + name)}"
        for name, kind in entity.columns.items()
    )
    layered = f"(SELECT *, {typed} FROM (SELECT *, {texts} FROM {staged.source_sql}))"
    if entity.name in CONTACT_REFERENCES:
        layered = _with_contact_lookup(entity, layered)
    problems = [*staged.column_problems, *_problems(entity)]
    reason = f"coalesce({staged.row_problem_sql}, nullif(concat_ws('; ', {', '.join(problems)}), ''))"
    outputs = [f"{_final_column_sql(entity, name)} AS {_q(name)}" for name in entity.columns]
    if entity.keeps_custom_columns:
        outputs.append(f"{_extra_columns_sql(staged)} AS {_q(CUSTOM_ATTRIBUTES_COLUMN)}")
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


def _record_rejects(con: duckdb.DuckDBPyConnection, entity: Entity, loaded_at: str) -> None:
    """Add this load's rejects to raw.load_rejects unless the same reject is already there."""
    rejects = _table(REJECTS_TABLE)
    con.execute(
        f"""INSERT INTO {rejects}
        SELECT DISTINCT {_lit(entity.name)}, _source_file, _source_row, _raw_record, _reason, {loaded_at}
        FROM {CLASSIFIED} c
        WHERE _reason IS NOT NULL AND NOT EXISTS (
            SELECT 1 FROM {rejects} r
            WHERE r.entity = {_lit(entity.name)} AND r.source_file = c._source_file
              AND r."row_number" = c._source_row AND r.reason = c._reason AND r.raw_record = c._raw_record)"""
    )


def _insert_columns(entity: Entity, loaded_at: str) -> str:
    names = [_q(name) for name in _table_columns(entity) if name != "_loaded_at"]
    return ", ".join([*names, f"{loaded_at} AS _loaded_at"])


def _key_match(entity: Entity, left: str, right: str) -> str:
    return " AND ".join(f"{left}.{_q(key)} = {right}.{_q(key)}" for key in entity.key)


def _content_sql(entity: Entity, alias: str) -> str:
    """A digest of a row's content (contract columns and kept extras), to tell a repeat from a change."""
    columns = [name for name in _table_columns(entity) if name not in METADATA_COLUMNS]
    return f"md5(CAST(json_array({', '.join(f'{alias}.{_q(name)}' for name in columns)}) AS VARCHAR))"


def _key_text_sql(entity: Entity) -> str:
    """How a reject names the key: ``event_id E1`` or ``key (contact_id c1, changed_at ..., status mql)``."""
    parts = [f"{_lit(key + ' ')} || coalesce(CAST(c.{_q(key)} AS VARCHAR), '')" for key in entity.key]
    if len(parts) == 1:
        return parts[0]
    return "'key (' || " + " || ', ' || ".join(parts) + " || ')'"


def _classify(con: duckdb.DuckDBPyConnection, entity: Entity) -> None:
    """Give each candidate its outcome (one of OUTCOMES); key conflicts of appended entities become rejects.

    Upserted entities (contacts, accounts, opportunities): per key the newest row of the load wins
    (``updated_at``, then the later file and row); it is loaded (new key), updated, unchanged, or superseded
    when the stored row carries a newer ``updated_at``. The other rows of that key are unchanged when they
    repeat the winner (and the winner is not superseded), else superseded.

    Appended entities (events, status changes, adjustments): the first row of a key in file order is
    compared with the stored row, the others with that first row. A repeat is unchanged; a different
    content under the same key is rejected, its reason naming the key.
    """
    table, keys = _table(entity.name), ", ".join(f"c.{_q(key)}" for key in entity.key)
    upsert = entity.name in UPSERTED
    if upsert:
        newest = "c.updated_at DESC NULLS LAST, " if "updated_at" in entity.columns else ""
        order = f"{newest}c._file_order DESC, c._source_row DESC"
    else:
        order = "c._file_order, c._source_row"
    window = f"PARTITION BY c._reason IS NULL, {keys} ORDER BY {order}"
    # A later load replaces a stored row unless both carry updated_at and the stored one is newer.
    stale = "coalesce(c.updated_at < e.updated_at, false)" if "updated_at" in entity.columns else "false"
    first_key = _q(entity.key[0])
    if upsert:
        first_outcome = (
            f"CASE WHEN e.{first_key} IS NULL THEN 'loaded' WHEN {stale} THEN 'superseded' "
            f"WHEN {_content_sql(entity, 'e')} = c._content THEN 'unchanged' ELSE 'updated' END"
        )
        other_outcome = (
            "CASE WHEN _content <> _first_content OR _first_outcome = 'superseded' "
            "THEN 'superseded' ELSE 'unchanged' END"
        )
    else:
        first_outcome = (
            f"CASE WHEN e.{first_key} IS NULL THEN 'loaded' "
            f"WHEN {_content_sql(entity, 'e')} = c._content THEN 'unchanged' ELSE 'conflict_stored' END"
        )
        other_outcome = (
            "CASE WHEN _content <> _first_content THEN 'conflict_load' "
            "WHEN _first_outcome = 'conflict_stored' THEN 'conflict_stored' ELSE 'unchanged' END"
        )
    as_loaded = f"CAST({_json_object_sql(list(entity.columns))} AS VARCHAR)"  # a conflict's record, as loaded
    con.execute(
        f"""CREATE OR REPLACE TEMP TABLE {CLASSIFIED} AS
        WITH ranked AS (
            SELECT c.*, {_content_sql(entity, 'c')} AS _content, row_number() OVER ({window}) AS _rank,
                   first_value({_content_sql(entity, 'c')}) OVER ({window}) AS _first_content
            FROM {CANDIDATES} c
        ),
        firsts AS (
            SELECT c.*, CASE WHEN c._reason IS NULL AND c._rank = 1 THEN {first_outcome} END AS _own_outcome
            FROM ranked c LEFT JOIN {table} e ON c._reason IS NULL AND c._rank = 1 AND {_key_match(entity, "e", "c")}
        ),
        outcomes AS (
            SELECT *, CASE WHEN _reason IS NOT NULL THEN 'rejected' WHEN _rank = 1 THEN _own_outcome
                           ELSE {other_outcome} END AS _outcome
            FROM (SELECT c.*, max(c._own_outcome) OVER (PARTITION BY c._reason IS NULL, {keys}) AS _first_outcome
                  FROM firsts c)
        )
        SELECT c.* EXCLUDE (_reason, _raw_record, _outcome, _content, _first_content, _rank, _own_outcome,
                            _first_outcome),
               CASE _outcome
                   WHEN 'conflict_stored' THEN {_key_text_sql(entity)} || ' already loaded with different content'
                   WHEN 'conflict_load'
                   THEN 'duplicate ' || {_key_text_sql(entity)} || ' in this load with different content'
                   ELSE _reason END AS _reason,
               CASE WHEN _outcome LIKE 'conflict%' THEN {as_loaded} ELSE _raw_record END AS _raw_record,
               CASE WHEN _outcome LIKE 'conflict%' THEN 'rejected' ELSE _outcome END AS _outcome
        FROM outcomes c"""
    )
    con.execute(f"DROP TABLE {CANDIDATES}")


def _land(con: duckdb.DuckDBPyConnection, entity: Entity, loaded_at: str) -> None:
    """Write the winners: replace the stored rows they update, insert them with the new keys."""
    table = _table(entity.name)
    con.execute(
        f"DELETE FROM {table} e USING {CLASSIFIED} c "
        f"WHERE c._outcome = 'updated' AND {_key_match(entity, 'e', 'c')}"
    )
    con.execute(
        f"INSERT INTO {table} SELECT {_insert_columns(entity, loaded_at)} FROM {CLASSIFIED} "
        f"WHERE _outcome IN ('loaded', 'updated')"
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
        counts.rows_in = _count(con, f"SELECT count(*) FROM {CANDIDATES}")
        refuse_erased(con, entity.name, CANDIDATES)  # `leadscore forget`: an erased person stays out
        _classify(con, entity)
        _record_rejects(con, entity, loaded_at)
        _land(con, entity, loaded_at)
        for outcome, rows in con.execute(f"SELECT _outcome, count(*) FROM {CLASSIFIED} GROUP BY 1").fetchall():
            setattr(counts, str(outcome), int(rows))
        con.execute(f"DROP TABLE {CLASSIFIED}")
        if counts.accounted != counts.rows_in:  # a bug, never a user error: land nothing rather than lose rows
            raise LeadscoreError(
                f"loading {entity.name}: {counts.rows_in:,} rows in but {counts.accounted:,} accounted for; "
                "nothing of it was loaded (please report this)"
            )
    return counts


# --------------------------------------------------------------------------------------------- driver


Found = tuple[Path, Entity, str, bool]  # a raw file, its entity, its format, whether it is gzip-compressed


def file_format(name: str) -> tuple[str | None, bool]:
    """The format a file name says (``events.csv.gz`` is gzip-compressed CSV), and whether it is compressed."""
    lowered = name.lower()
    compressed = lowered.endswith(".gz")
    return FORMATS.get(Path(lowered.removesuffix(".gz")).suffix), compressed


def _discover(directory: Path, say: Progress) -> list[Found]:
    if not directory.is_dir():
        problem = "not a directory" if directory.exists() else "no such directory"
        raise LeadscoreError(f"{directory}: {problem}")
    found = []
    for path in sorted(p for p in directory.iterdir() if p.is_file()):
        entity, (kind, compressed) = entity_for_file(path.name), file_format(path.name)
        if entity is None or kind is None:
            say(
                f"Skipping {path.name}: not a raw file (an entity name + .csv, .parquet, .jsonl, .ndjson "
                "or .json, each optionally .gz)"
            )
            continue
        found.append((path, entity, kind, compressed))
    if not found:
        entities = ", ".join(LOAD_ORDER)
        raise LeadscoreError(f"{directory}: no raw file to load (names start with one of: {entities})")
    return found


def _connect(db_path: Path) -> duckdb.DuckDBPyConnection:
    config = {
        "memory_limit": MEMORY_LIMIT,
        "temp_directory": str(db_path.with_name(db_path.name + ".tmp")),
        # Row numbers of CSV and JSON Lines rows rely on the reader keeping file order.
        "preserve_insertion_order": True,
    }
    return Warehouse(db_path).connect(config=config, create=True)


def _stage_all(con: duckdb.DuckDBPyConnection, found: list[Found], say: Progress) -> dict[str, list[StagedFile]]:
    staged: dict[str, list[StagedFile]] = {name: [] for name in LOAD_ORDER}
    for order, (path, entity, kind, compressed) in enumerate(found):
        say(f"Reading {path.name} ({entity.name})")
        try:
            staged[entity.name].append(_stage_file(con, path, entity, kind, compressed, order))
        except duckdb.Error as error:  # a case _stage_file does not foresee: still one line, naming the file
            raise LeadscoreError(f"{path.name}: cannot read as {FORMAT_NAMES[kind]}: {_short(error)}") from None
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
    say = progress or (lambda _message: None)
    found = _discover(directory, say)
    with landing(db_path, lock_timeout, progress):
        return _land_all(db_path, found, say)


@contextmanager
def landing(db_path: Path, lock_timeout: float | None, progress: Progress | None) -> Iterator[None]:
    """A load under the writer lock: a first load that fails leaves no empty warehouse behind for a
    build to find, nor a lock file."""
    warehouse = Warehouse(db_path)
    new_lock = not warehouse.lock_path.exists()
    try:
        with warehouse.lock("load", timeout=lock_timeout, progress=progress):
            created = not db_path.exists()
            try:
                yield
            except LeadscoreError:
                if created:
                    _remove_new_warehouse(db_path)
                raise
    except LeadscoreError:
        if new_lock and not db_path.exists():
            warehouse.lock_path.unlink(missing_ok=True)
        raise


def _remove_new_warehouse(db_path: Path) -> None:
    for leftover in (db_path, db_path.with_name(db_path.name + ".wal")):
        leftover.unlink(missing_ok=True)
    shutil.rmtree(db_path.with_name(db_path.name + ".tmp"), ignore_errors=True)


def _land_all(db_path: Path, found: list[Found], say: Progress) -> LoadReport:
    con = _connect(db_path)
    try:
        ensure_raw_schema(con)
        staged = _stage_all(con, found, say)  # every file is read before anything lands
        loaded_at = f"TIMESTAMP '{datetime.now(timezone.utc).replace(tzinfo=None).isoformat(sep=' ')}'"
        report = LoadReport(notes=[note for name in LOAD_ORDER for file in staged[name] for note in file.notes])
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
