"""The MQL list as a file for sales: CSV, Parquet or JSON Lines."""

from __future__ import annotations

from pathlib import Path

from leadscore.errors import LeadscoreError
from leadscore.serving import open_serving, serving_path_for
from leadscore.warehouse import Warehouse, quote_literal, require_table

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

COPY_OPTIONS = {
    "csv": "(format csv, header true)",
    "parquet": "(format parquet)",
    "jsonl": "(format json)",
}


def export_mqls(
    db_path: Path, out_dir: Path, file_format: str = "csv", serving: Path | None = None
) -> tuple[Path, int]:
    """Write every current MQL, best first, to out_dir/mql_leads.<format>, read from the serving
    file (the last build whose tests all passed), read-only, so a running build never blocks it."""
    if file_format not in COPY_OPTIONS:
        raise LeadscoreError(f"unknown export format {file_format!r} (csv, parquet or jsonl)")
    Warehouse(db_path).require()  # a mistyped --db writes nothing, not even the output directory
    with open_serving(serving_path_for(db_path, serving), db_path) as con:
        require_table(con, "lead_scores")
        out_dir.mkdir(parents=True, exist_ok=True)  # once there is something to export
        path = (out_dir / f"mql_leads.{file_format}").resolve()
        query = (
            f"select {', '.join(EXPORT_COLUMNS)} from main.lead_scores "
            "where is_mql order by lead_score desc, contact_id"
        )
        con.execute(f"copy ({query}) to {quote_literal(path)} {COPY_OPTIONS[file_format]}")
        row = con.execute("select count(*) from main.lead_scores where is_mql").fetchone()
    return path, int(row[0]) if row else 0
