"""Write, audit, publish: the serving file that BI tools, syncs and exports read.

Builds and loads write the *working* warehouse. Only after a ``dbt build`` in which every model built
and every test passed are the public models (tagged ``public`` in dbt_project.yml: the marts and the
reports) copied into a new DuckDB file beside the serving file, which then replaces it in one atomic
``os.replace``. A reader that has the old file open keeps reading the old version until it reopens;
a build that fails, or dies, leaves the last good version in place.

The serving file is written in DuckDB's v1.0.0 storage format so that DuckDB 1.x readers (Evidence,
older drivers) can open it; ``--serving-storage-version`` / ``$LEADSCORE_SERVING_STORAGE_VERSION``
choose another one (``latest`` for this DuckDB's own format).
"""

from __future__ import annotations

import os
import re
import sys
import time
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import duckdb

from leadscore.errors import LeadscoreError
from leadscore.warehouse import Warehouse, connect, has_table
from leadscore.warehouse import quote_identifier as _quote
from leadscore.warehouse import quote_literal as _literal

SERVING_ENV = "LEADSCORE_SERVING"
STORAGE_VERSION_ENV = "LEADSCORE_SERVING_STORAGE_VERSION"
DEFAULT_STORAGE_VERSION = "v1.0.0"
PUBLIC_TAG = "public"
PUBLICATION_TABLE = "leadscore_publication"

_ALIAS = "leadscore_serving_next"
_WORKING = "leadscore_working"
_VERSION_PATTERN = re.compile(r"^(v\d+\.\d+\.\d+|latest)$")
_MATERIALIZED = {"table", "incremental", "view", "materialized_view", "snapshot"}


@dataclass(frozen=True)
class Relation:
    schema: str
    name: str

    @property
    def sql(self) -> str:
        return f"{_quote(self.schema)}.{_quote(self.name)}"

    def __str__(self) -> str:
        return self.name if self.schema == "main" else f"{self.schema}.{self.name}"


@dataclass(frozen=True)
class Publication:
    path: Path
    relations: tuple[Relation, ...]
    storage_version: str


def serving_path_for(db_path: Path, serving: str | Path | None = None) -> Path:
    """--serving, else $LEADSCORE_SERVING, else beside the warehouse: ``serving.duckdb`` for
    ``warehouse.duckdb``, ``<name>.serving.duckdb`` for any other ``<name>.duckdb``."""
    chosen = serving or os.environ.get(SERVING_ENV)
    if chosen:
        path = Path(chosen).expanduser().resolve()
    elif db_path.stem == "warehouse":
        path = db_path.with_name("serving" + db_path.suffix)
    else:
        path = db_path.with_name(f"{db_path.stem}.serving{db_path.suffix or '.duckdb'}")
    if path == db_path.resolve():
        raise LeadscoreError(f"the serving file cannot be the working warehouse itself ({path})")
    return path


def resolve_storage_version(version: str | None) -> str:
    """--serving-storage-version, else $LEADSCORE_SERVING_STORAGE_VERSION, else v1.0.0."""
    chosen = (version or os.environ.get(STORAGE_VERSION_ENV) or DEFAULT_STORAGE_VERSION).strip()
    if not _VERSION_PATTERN.match(chosen):
        raise LeadscoreError(
            f"serving storage version {chosen!r} is not a DuckDB version such as v1.0.0, v1.2.0 or latest"
        )
    return chosen


def public_relations(results: Iterable[Any]) -> list[Relation]:
    """The public models among the nodes of a dbt build's results (tag ``public``)."""
    found: dict[Relation, None] = {}
    for result in results:
        node = getattr(result, "node", None)
        if node is None or getattr(node, "resource_type", None) != "model":
            continue
        materialized = str(getattr(node.config, "materialized", ""))
        if PUBLIC_TAG in (node.tags or []) and materialized in _MATERIALIZED:
            found[Relation(node.schema, node.alias or node.name)] = None
    return sorted(found, key=lambda relation: (relation.schema != "main", relation.schema, relation.name))


def describe_current(serving_path: Path) -> str:
    """What readers see now, for messages: the version they keep when nothing is published."""
    if not serving_path.exists():
        return f"there is no serving file at {serving_path} yet"
    published = datetime.fromtimestamp(serving_path.stat().st_mtime, timezone.utc)
    return f"readers keep {serving_path} as published at {published:%Y-%m-%d %H:%M:%S} UTC"


def published_as_of(serving_path: Path) -> datetime | None:
    """The as_of of the scores in the serving file (None without a file or a publication row)."""
    if not serving_path.exists():
        return None
    with connect(serving_path, read_only=True, what="serving file") as con:
        if not has_table(con, "main", PUBLICATION_TABLE):
            return None
        row = con.execute(f"select max(as_of) from main.{PUBLICATION_TABLE}").fetchone()
        return row[0] if row else None


def scores_as_of(db_path: Path) -> datetime | None:
    """The as_of of main.lead_scores in the working warehouse (None when it has no rows)."""
    with Warehouse(db_path).connect(read_only=True) as con:
        row = con.execute("select max(as_of) from main.lead_scores").fetchone() if has_table(
            con, "main", "lead_scores") else None
        return row[0] if row else None


# A publish may not replace the serving file's lead_scores with one holding fewer than this share of
# its leads (a build of the wrong or a half-loaded warehouse) unless --force: `forget` of a few people
# and the churn of a normal day stay far above it.
MIN_KEPT_SHARE = 0.5


def _lead_count(path: Path) -> int | None:
    """Rows of main.lead_scores in a DuckDB file (None without the file or the table)."""
    if not path.exists():
        return None
    with connect(path, read_only=True) as con:
        if not has_table(con, "main", "lead_scores"):
            return None
        row = con.execute("select count(*) from main.lead_scores").fetchone()
        return int(row[0]) if row else None


def check_shrink(db_path: Path, serving_path: Path, *, force: bool = False) -> None:
    """Refuse a publish whose lead_scores holds fewer than MIN_KEPT_SHARE of the serving file's leads."""
    current = _lead_count(serving_path)
    if force or not current:
        return
    new = _lead_count(db_path) or 0
    if new < MIN_KEPT_SHARE * current:
        raise LeadscoreError(
            f"this build scored {new:,} leads, the serving file {serving_path} holds {current:,}: fewer than "
            f"{MIN_KEPT_SHARE:.0%} of them, so nothing was published (the working warehouse {db_path} is "
            "built); check --db and the loaded files, or publish it anyway with --force"
        )


def _remove_leftovers(serving_path: Path) -> None:
    """Half-written files of a publish that was killed (the caller holds the writer lock)."""
    for leftover in serving_path.parent.glob(f".{serving_path.name}.*.tmp*"):
        leftover.unlink(missing_ok=True)


def _fsync(path: Path, directory: bool = False) -> None:
    descriptor = os.open(path, os.O_RDONLY | (os.O_DIRECTORY if directory else 0))
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


def _write(db_path: Path, target: Path, relations: list[Relation], storage_version: str) -> None:
    with connect() as con:
        con.execute("set enable_progress_bar = false")
        con.execute(f"attach {_literal(str(db_path))} as {_WORKING} (read_only)")
        con.execute(f"use {_WORKING}")
        option = "" if storage_version == "latest" else f" (storage_version {_literal(storage_version)})"
        con.execute(f"attach {_literal(str(target))} as {_ALIAS}{option}")
        for relation in relations:
            con.execute(f"create schema if not exists {_ALIAS}.{_quote(relation.schema)}")
            con.execute(f"create table {_ALIAS}.{relation.sql} as select * from {relation.sql}")
            _copy_comments(con, relation)
        scores = Relation("main", "lead_scores")
        as_of = f"(select max(as_of) from {scores.sql})" if scores in relations else "null"
        con.execute(
            f"""create table {_ALIAS}.main.{PUBLICATION_TABLE} as
            select
                cast(? as timestamp) as published_at,
                cast({as_of} as timestamp) as as_of,
                cast(? as varchar) as tables,
                cast(? as varchar) as storage_version,
                cast(? as varchar) as working_warehouse""",
            [
                datetime.now(timezone.utc).replace(tzinfo=None),
                ", ".join(str(relation) for relation in relations),
                storage_version,
                str(db_path),
            ],
        )
        _comment_publication_table(con)
        con.execute(f"detach {_ALIAS}")  # checkpoints: the file is complete, with no WAL beside it


_PUBLICATION_COMMENTS = {
    None: "One row per publish: when this serving file was written, the scoring instant and what it holds.",
    "published_at": "When this serving file was written (UTC).",
    "as_of": "The scoring instant of lead_scores in this file.",
    "tables": "The public tables published, comma-separated.",
    "storage_version": "The DuckDB storage format of this file.",
    "working_warehouse": "The working warehouse the tables were copied from.",
}


def _copy_comments(con: duckdb.DuckDBPyConnection, relation: Relation) -> None:
    """The table and column comments of a working relation (its YAML descriptions, written by dbt's
    persist_docs) onto its copy: ``create table as`` keeps the data, not the comments."""
    where = "database_name = ? and schema_name = ? and {name} = ?"
    key = [_WORKING, relation.schema, relation.name]
    found = con.execute(
        f"""select comment from duckdb_tables() where {where.format(name="table_name")}
        union all
        select comment from duckdb_views() where {where.format(name="view_name")}""",
        key + key,
    ).fetchone()
    target = f"{_ALIAS}.{relation.sql}"
    if found and found[0]:
        con.execute(f"comment on table {target} is {_literal(found[0])}")
    columns = con.execute(
        f"select column_name, comment from duckdb_columns() where {where.format(name='table_name')} "
        "and comment is not null and comment <> '' order by column_index",
        key,
    ).fetchall()
    for column, comment in columns:
        con.execute(f"comment on column {target}.{_quote(column)} is {_literal(comment)}")


def _comment_publication_table(con: duckdb.DuckDBPyConnection) -> None:
    target = f"{_ALIAS}.main.{PUBLICATION_TABLE}"
    for column, comment in _PUBLICATION_COMMENTS.items():
        if column is None:
            con.execute(f"comment on table {target} is {_literal(comment)}")
        else:
            con.execute(f"comment on column {target}.{_quote(column)} is {_literal(comment)}")


PAUSE_ENV = "LEADSCORE_PUBLISH_PAUSE_SECONDS"


def _pause_before_swap() -> None:
    """Fault injection for the crash-safety test: wait between writing the new file and swapping it
    in, so that a kill lands exactly there. Unset (always, outside that test): no pause."""
    seconds = float(os.environ.get(PAUSE_ENV) or 0)
    if seconds > 0:
        print(f"Publishing paused before the swap for {seconds:g} s ({PAUSE_ENV})", file=sys.stderr, flush=True)
        time.sleep(seconds)


def publish(
    db_path: Path,
    serving_path: Path,
    relations: list[Relation],
    *,
    storage_version: str = DEFAULT_STORAGE_VERSION,
) -> Publication:
    """Copy the public relations of the working warehouse into a new file, then swap it in atomically.

    The caller holds the warehouse's writer lock and has just seen every dbt test pass."""
    if not relations:
        raise LeadscoreError("no public model to publish (models are published by the tag 'public')")
    serving_path.parent.mkdir(parents=True, exist_ok=True)
    _remove_leftovers(serving_path)
    staging = serving_path.with_name(f".{serving_path.name}.{os.getpid()}.tmp")
    try:
        _write(db_path, staging, relations, storage_version)
        _fsync(staging)
        _pause_before_swap()
        os.replace(staging, serving_path)
        _fsync(serving_path.parent, directory=True)
    except (duckdb.Error, OSError) as error:
        raise LeadscoreError(
            f"the build passed but publishing failed: {str(error).splitlines()[0]}; "
            f"{describe_current(serving_path)}"
        ) from None
    finally:
        for leftover in staging.parent.glob(staging.name + "*"):
            leftover.unlink(missing_ok=True)
    return Publication(serving_path, tuple(relations), storage_version)


def open_serving(serving_path: Path, db_path: Path | None = None) -> duckdb.DuckDBPyConnection:
    """The serving file, read-only (``with open_serving(...) as con``), with a clear error when nothing has
    been published yet."""
    if not serving_path.exists():
        built = f" for the warehouse {db_path}" if db_path else ""
        raise LeadscoreError(
            f"{serving_path}: nothing published yet{built}: run `leadscore build` or `leadscore run`"
        )
    return connect(serving_path, read_only=True, what="serving file")


def storage_version_of(serving_path: Path) -> str:
    """The storage format DuckDB reports for a database file, e.g. 'v1.0.0+'."""
    with connect(serving_path, read_only=True, what="serving file") as con:
        row = con.execute(
            "select tags['storage_version'] from duckdb_databases() where database_name = current_database()"
        ).fetchone()
    return str(row[0]) if row and row[0] is not None else "unknown"
