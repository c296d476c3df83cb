"""The warehouse: one object owns its file, its writer lock, its DuckDB connections and SQL quoting.

Every ``duckdb.connect`` of the runtime is in this module: ``Warehouse.connect`` for the working
warehouse, ``connect`` for any other DuckDB file (the serving file, a scratch copy) or an in-memory
database. A connection is a context manager that closes however the block ends, and a file that
cannot be opened (locked by another process, not a DuckDB file) is one readable line.
"""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractContextManager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb

from leadscore.errors import LeadscoreError
from leadscore.locking import lock_path, writer_lock
from leadscore.paths import resolve_db

Connection = duckdb.DuckDBPyConnection


def quote_identifier(name: str) -> str:
    """A SQL identifier in double quotes, a double quote inside it doubled."""
    return '"' + str(name).replace('"', '""') + '"'


def quote_literal(text: object) -> str:
    """A SQL string literal (a path too) in single quotes, a quote inside it doubled; None is NULL."""
    return "NULL" if text is None else "'" + str(text).replace("'", "''") + "'"


def first_line(error: BaseException) -> str:
    """The first line of a DuckDB error (the rest is DuckDB's hints and stack)."""
    lines = str(error).strip().splitlines()
    return lines[0] if lines else type(error).__name__


def connect(
    path: Path | None = None, *, read_only: bool = False, config: dict[str, Any] | None = None,
    what: str = "database", utc: bool = False,
) -> Connection:
    """A DuckDB connection to ``path`` (in memory when None). Use it as ``with connect(...) as con``:
    DuckDB's connection closes itself when the block ends, however it ends."""
    try:
        con = duckdb.connect(":memory:" if path is None else str(path), read_only=read_only, config=config or {})
        if utc:
            con.execute("set TimeZone = 'UTC'")
    except duckdb.Error as error:
        raise LeadscoreError(f"{path}: cannot open the {what}: {first_line(error)}") from None
    return con


def has_table(con: Connection, schema: str, name: str) -> bool:
    row = con.execute(
        "select count(*) from information_schema.tables where table_schema = ? and table_name = ?", [schema, name]
    ).fetchone()
    return bool(row and row[0])


def require_table(con: Connection, name: str) -> None:
    if not has_table(con, "main", name):
        raise LeadscoreError(f"table {name} does not exist yet: run `leadscore build` first")


@dataclass(frozen=True)
class Warehouse:
    """The working warehouse file: ``Warehouse.resolve(--db)``, then ``lock``, ``connect``."""

    path: Path

    @classmethod
    def resolve(cls, db: str | Path | None = None) -> Warehouse:
        """--db, else $LEADSCORE_DB, else data/warehouse.duckdb (absolute)."""
        return cls(resolve_db(db))

    @property
    def lock_path(self) -> Path:
        return lock_path(self.path)

    def require(self) -> None:
        """Commands other than `leadscore load` and `leadscore run` work on an existing warehouse: a
        mistyped --db fails here, before anything (file, directory, lock file, serving file) is created."""
        if not self.path.is_file():
            what = "is a directory, not a warehouse file" if self.path.is_dir() else "no such warehouse file"
            raise LeadscoreError(
                f"{self.path}: {what} (check --db or $LEADSCORE_DB for a typo); "
                f"`leadscore load DIR --db {self.path}` creates a warehouse"
            )

    def lock(
        self, what: str, *, timeout: float | None = None, progress: Callable[[str], None] | None = None
    ) -> AbstractContextManager[None]:
        """The writer lock (leadscore.locking): one build, load, export or forget at a time."""
        return writer_lock(self.path, what, timeout=timeout, progress=progress)

    def connect(
        self, *, read_only: bool = False, config: dict[str, Any] | None = None, create: bool = False
    ) -> Connection:
        """A connection in UTC; the file must exist unless ``create`` (a load makes the warehouse)."""
        if create:
            self.path.parent.mkdir(parents=True, exist_ok=True)
        else:
            self.require()
        return connect(self.path, read_only=read_only, config=config, what="warehouse", utc=True)
