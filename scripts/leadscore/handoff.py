"""Hand-off to sales and to the CRM: `leadscore export --new-only` and `leadscore sync`.

Both read what readers read, the serving file (the last build whose tests all passed), and keep
their log in the working warehouse (schema ``ops``, leadscore.ops) under the writer lock, so that a
second run knows what the first one handed over:

- ``export --new-only`` writes the current MQLs (public table ``mql_handoffs``) that no earlier
  export carried, keyed by contact and MQL crossing instant (a contact that crossed again after a
  recycle or a drop is new again), and logs them in ``ops.mql_export_log``;
- ``sync`` writes the rows of ``crm_lead_sync`` (all, or with ``--changed-only`` those whose
  ``row_hash`` differs from the one last synced), records the hash sent per contact in
  ``ops.crm_sync_state`` and the run in ``ops.crm_sync_log``. A null is never written over a CRM
  value: JSON Lines leave null fields out of the row, CSV leaves the cell empty (CRM importers
  keep the stored value for an empty cell).

A run with nothing to hand over writes no file and says so.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

import duckdb

from leadscore.errors import LeadscoreError
from leadscore.export import COPY_OPTIONS
from leadscore.ops import batch_id, now_utc, table, working_warehouse
from leadscore.serving import PUBLICATION_TABLE, serving_path_for
from leadscore.warehouse import Warehouse, quote_identifier, quote_literal

Progress = Callable[[str], None]

SERVING_ALIAS = "leadscore_serving"

NEW_MQL_COLUMNS = (
    "contact_id",
    "email",
    "first_name",
    "last_name",
    "company_name",
    "job_title",
    "account_id",
    "owner",
    "lead_score",
    "fit_score",
    "engagement_score",
    "grade",
    "tier",
    "buying_behavior",
    "score_reasons",
    "mql_at",
    "mql_trigger",
    "sla_due_at",
    "last_engaged_at",
    "as_of",
)

# crm_lead_sync's bookkeeping columns: the key is sent, the change-detection columns are not.
SYNC_KEY = "contact_id"
SYNC_METADATA = ("row_hash", "updated_at")


@dataclass(frozen=True)
class HandOff:
    """What one export or sync wrote: the file (None when there was nothing to write) and rows."""

    path: Path | None
    rows: int
    earlier: int  # MQLs exported before / rows unchanged since the last sync
    since: datetime | None = None  # the previous sync, for messages


def _attach_serving(con: duckdb.DuckDBPyConnection, serving_path: Path, db_path: Path, needed: str) -> None:
    if not serving_path.exists():
        raise LeadscoreError(
            f"{serving_path}: nothing published yet for the warehouse {db_path}: "
            "run `leadscore build` or `leadscore run`"
        )
    con.execute(f"attach {quote_literal(serving_path)} as {SERVING_ALIAS} (read_only)")
    if not _serving_has(con, needed):
        raise LeadscoreError(f"{serving_path} has no table {needed} yet: run `leadscore build` first")


def export_new_mqls(
    db_path: Path,
    out_dir: Path,
    file_format: str = "csv",
    *,
    serving: Path | None = None,
    lock_timeout: float | None = None,
    progress: Progress | None = None,
) -> HandOff:
    """Write the MQLs no earlier export carried to out_dir/mql_leads_new_<export id>.<format>,
    best first, and log them; write nothing when there is none."""
    if file_format not in COPY_OPTIONS:
        raise LeadscoreError(f"unknown export format {file_format!r} (csv, parquet or jsonl)")
    warehouse = Warehouse(db_path)
    warehouse.require()  # before the lock file: a mistyped --db creates nothing
    serving_path = serving_path_for(db_path, serving)
    with warehouse.lock("export --new-only", timeout=lock_timeout, progress=progress), working_warehouse(
        db_path
    ) as con:
        _attach_serving(con, serving_path, db_path, "mql_handoffs")
        log = table("mql_export_log")
        con.execute(
            f"""create temp table new_mqls as
            select handoffs.*
            from {SERVING_ALIAS}.main.mql_handoffs as handoffs
            where not exists (
                select 1 from {log} as exported
                where exported.contact_id = handoffs.contact_id
                  and exported.mql_at is not distinct from handoffs.mql_at
            )"""
        )
        new = _count(con, "select count(*) from new_mqls")
        earlier = _count(con, f"select count(distinct contact_id) from {log}")
        if new == 0:
            return HandOff(None, 0, earlier)
        exported_at = now_utc()
        taken = {row[0] for row in con.execute(f"select distinct export_id from {log}").fetchall()}
        export_id = batch_id(exported_at, taken)
        out_dir.mkdir(parents=True, exist_ok=True)
        path = (out_dir / f"mql_leads_new_{export_id}.{file_format}").resolve()
        query = f"select {', '.join(NEW_MQL_COLUMNS)} from new_mqls order by lead_score desc, contact_id"
        con.execute("begin transaction")
        try:
            con.execute(
                f"""insert into {log}
                select ?, ?, contact_id, mql_event_id, mql_at, lead_score, grade, owner, ? from new_mqls""",
                [export_id, exported_at, str(path)],
            )
            con.execute(f"copy ({query}) to {quote_literal(path)} {COPY_OPTIONS[file_format]}")
            con.execute("commit")
        except duckdb.Error as error:
            con.execute("rollback")
            raise LeadscoreError(f"export to {path} failed: {str(error).splitlines()[0]}") from None
    return HandOff(path, new, earlier)


def sync_crm(
    db_path: Path,
    out_dir: Path,
    *,
    changed_only: bool = False,
    file_format: str = "jsonl",
    serving: Path | None = None,
    lock_timeout: float | None = None,
    progress: Progress | None = None,
) -> HandOff:
    """Write crm_lead_sync's rows (all, or those changed since they were last synced) for a CRM
    import to out_dir/crm_lead_sync_<sync id>.<format>, and record the sync."""
    if file_format not in ("jsonl", "csv"):
        raise LeadscoreError(f"unknown sync format {file_format!r} (jsonl or csv)")
    serving_path = serving_path_for(db_path, serving)
    warehouse = Warehouse(db_path)
    warehouse.require()  # before the lock file: a mistyped --db creates nothing
    with warehouse.lock("sync", timeout=lock_timeout, progress=progress), working_warehouse(db_path) as con:
        _attach_serving(con, serving_path, db_path, "crm_lead_sync")
        state, log = table("crm_sync_state"), table("crm_sync_log")
        source = f"{SERVING_ALIAS}.main.crm_lead_sync"
        changed = (
            f"where not exists (select 1 from {state} as synced "
            "where synced.contact_id = rows.contact_id and synced.row_hash = rows.row_hash)"
        )
        con.execute(
            f"create temp table sync_rows as select rows.* from {source} as rows {changed if changed_only else ''}"
        )
        rows = _count(con, "select count(*) from sync_rows")
        unchanged = _count(con, f"select count(*) from {source}") - rows
        previous = con.execute(f"select max(synced_at) from {log}").fetchone()
        since = previous[0] if previous else None
        synced_at = now_utc()
        taken = {row[0] for row in con.execute(f"select distinct sync_id from {log}").fetchall()}
        sync_id = batch_id(synced_at, taken)
        as_of = _published_as_of(con)
        path: Path | None = None
        con.execute("begin transaction")
        try:
            if rows:
                out_dir.mkdir(parents=True, exist_ok=True)
                path = (out_dir / f"crm_lead_sync_{sync_id}.{file_format}").resolve()
                _write_sync_file(con, path, file_format)
                con.execute(f"delete from {state} where contact_id in (select contact_id from sync_rows)")
                con.execute(
                    f"insert into {state} select contact_id, row_hash, ?, ? from sync_rows", [sync_id, synced_at]
                )
            con.execute(
                f"insert into {log} values (?, ?, ?, ?, ?, ?)",
                [sync_id, synced_at, "changed_only" if changed_only else "all", rows, str(path) if path else None,
                 as_of],
            )
            con.execute("commit")
        except (duckdb.Error, OSError) as error:
            con.execute("rollback")
            raise LeadscoreError(f"sync to {out_dir} failed: {str(error).splitlines()[0]}") from None
    return HandOff(path, rows, unchanged, since)


def _serving_has(con: duckdb.DuckDBPyConnection, name: str) -> bool:
    found = con.execute(
        "select count(*) from information_schema.tables "
        "where table_catalog = ? and table_schema = 'main' and table_name = ?",
        [SERVING_ALIAS, name],
    ).fetchone()
    return bool(found and found[0])


def _published_as_of(con: duckdb.DuckDBPyConnection) -> datetime | None:
    if not _serving_has(con, PUBLICATION_TABLE):
        return None
    row = con.execute(f"select max(as_of) from {SERVING_ALIAS}.main.{PUBLICATION_TABLE}").fetchone()
    return row[0] if row else None


def _write_sync_file(con: duckdb.DuckDBPyConnection, path: Path, file_format: str) -> None:
    columns = [row[0] for row in con.execute("describe sync_rows").fetchall() if row[0] not in SYNC_METADATA]
    query = f"select {', '.join(quote_identifier(column) for column in columns)} from sync_rows order by {SYNC_KEY}"
    if file_format == "csv":
        con.execute(f"copy ({query}) to {quote_literal(path)} (format csv, header true)")
        return
    cursor = con.execute(query)
    with open(path, "w", encoding="utf-8") as handle:
        while batch := cursor.fetchmany(10_000):
            for values in batch:
                record = {name: _json_value(value) for name, value in zip(columns, values, strict=True)}
                # no null over a CRM value: a missing field leaves the CRM's value as it is
                handle.write(json.dumps({k: v for k, v in record.items() if v is not None}, ensure_ascii=False))
                handle.write("\n")


def _json_value(value: object) -> object:
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return float(value)
    return value


def _count(con: duckdb.DuckDBPyConnection, sql: str) -> int:
    row = con.execute(sql).fetchone()
    return int(row[0]) if row and row[0] is not None else 0
