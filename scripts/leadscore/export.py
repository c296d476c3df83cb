"""The MQL list as a file for sales: CSV, Parquet or JSON Lines."""

from __future__ import annotations

from pathlib import Path

import duckdb

from leadscore.errors import LeadscoreError
from leadscore.paths import require_warehouse

EXPORT_COLUMNS = (
    "contact_id",
    "email",
    "first_name",
    "last_name",
    "company_name",
    "job_title",
    "account_id",
    "resolved_account_id",
    "account_match_method",
    "owner",
    "lead_score",
    "fit_score",
    "engagement_score",
    "grade",
    "tier",
    "buying_behavior",
    "score_reasons",
    "last_engaged_at",
    "as_of",
)

_COPY_OPTIONS = {
    "csv": "(format csv, header true)",
    "parquet": "(format parquet)",
    "jsonl": "(format json)",
}


def open_warehouse(db_path: Path, read_only: bool = True) -> duckdb.DuckDBPyConnection:
    """The warehouse file, with a clear error when it is missing or locked."""
    if read_only:
        require_warehouse(db_path)
    try:
        return duckdb.connect(str(db_path), read_only=read_only)
    except duckdb.Error as error:
        raise LeadscoreError(f"{db_path}: cannot open the warehouse: {str(error).splitlines()[0]}") from None


def require_table(con: duckdb.DuckDBPyConnection, table: str) -> None:
    found = con.execute(
        "select count(*) from information_schema.tables where table_schema = 'main' and table_name = ?",
        [table],
    ).fetchone()
    if not found or found[0] == 0:
        raise LeadscoreError(f"table {table} does not exist yet: run `leadscore build` first")


def export_mqls(
    db_path: Path, out_dir: Path, file_format: str = "csv", serving: Path | None = None
) -> tuple[Path, int]:
    """Write every current MQL, best first, to out_dir/mql_leads.<format>, read from the serving
    file (the last build whose tests all passed), read-only, so a running build never blocks it."""
    from leadscore.serving import open_serving, serving_path_for

    if file_format not in _COPY_OPTIONS:
        raise LeadscoreError(f"unknown export format {file_format!r} (csv, parquet or jsonl)")
    require_warehouse(db_path)  # a mistyped --db writes nothing, not even the output directory
    serving_path = serving_path_for(db_path, serving)
    con = open_serving(serving_path, db_path)
    try:
        require_table(con, "lead_scores")
        out_dir.mkdir(parents=True, exist_ok=True)  # once there is something to export
        path = (out_dir / f"mql_leads.{file_format}").resolve()
        query = (
            f"select {', '.join(EXPORT_COLUMNS)} from main.lead_scores "
            "where is_mql order by lead_score desc, contact_id"
        )
        con.execute(f"copy ({query}) to '{_sql_path(path)}' {_COPY_OPTIONS[file_format]}")
        row = con.execute("select count(*) from main.lead_scores where is_mql").fetchone()
    finally:
        con.close()
    return path, int(row[0]) if row else 0


def _sql_path(path: Path) -> str:
    return str(path).replace("'", "''")
