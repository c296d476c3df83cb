"""`leadscore run`: the main job, from raw files (or demo data) to an MQL file and a summary."""

from __future__ import annotations

from collections.abc import Callable
from importlib.metadata import entry_points
from pathlib import Path

from leadscore.build import build, parse_vars
from leadscore.errors import LeadscoreError
from leadscore.export import export_mqls
from leadscore.load import load_directory
from leadscore.serving import open_serving, serving_path_for
from leadscore.warehouse import Warehouse

Progress = Callable[[str], None]

DEMO_SEED = 42
DEMO_DAYS = 180
# The demo data's generator lives in the development package (leadscore_dev), which registers it here;
# the runtime never imports it (docs/development.md).
DEMO_DATA_GROUP = "leadscore.demo_data"


def demo_generator() -> Callable[..., object]:
    """The generator registered in the entry-point group leadscore.demo_data (leadscore_dev.generate)."""
    found = sorted(entry_points(group=DEMO_DATA_GROUP), key=lambda entry: entry.name)
    if not found:
        raise LeadscoreError(
            "no demo data generator is installed (leadscore_dev, installed by `pip install -e .`): "
            "give --input DIR with raw files"
        )
    return found[0].load()


def run_main_job(
    db_path: Path,
    *,
    input_dir: Path | None,
    out_dir: Path,
    file_format: str = "csv",
    contacts: int = 2000,
    as_of: str | None = None,
    progress: Progress,
    serving: Path | None = None,
    storage_version: str | None = None,
    lock_timeout: float | None = None,
    force: bool = False,
    verbose: bool = False,
) -> None:
    parse_vars(None)  # the vars of dbt_project.yml, checked before the load rather than after it
    serving_path = serving_path_for(db_path, serving)

    if input_dir is None:
        generate = demo_generator()
        input_dir = db_path.parent / "demo"
        progress(f"No --input given: generating demo data ({contacts:,} contacts) in {input_dir}")
        generate(out_dir=input_dir, contacts=contacts, days=DEMO_DAYS, seed=DEMO_SEED, progress=progress)
    elif not input_dir.is_dir():
        raise LeadscoreError(f"{input_dir}: no such directory")

    # One writer lock for load + build, so that no other writer slips in between them.
    with Warehouse(db_path).lock("run", timeout=lock_timeout, progress=progress):
        progress(f"Loading {input_dir} into {db_path}")
        report = load_directory(db_path, input_dir, progress=progress)
        progress(report.format_table())

        build(
            db_path, as_of=as_of, progress=progress, serving=serving_path, storage_version=storage_version,
            force=force, verbose=verbose,
        )

    path, rows = export_mqls(db_path, out_dir, file_format, serving=serving_path)
    progress(summary(serving_path))
    progress(f"MQL list: {path} ({rows:,} rows)")
    progress(f"Working warehouse: {db_path} (builds and loads write here; keep readers off it)")
    progress(f"Serving file: {serving_path} (BI tools, syncs and exports read this one, read-only)")


def summary(serving_path: Path, top: int = 10) -> str:
    """Contacts scored, MQLs, tiers, and the top leads with their reasons, as readers see them."""
    with open_serving(serving_path) as con:
        total, mqls, hot, warm, cold, as_of = con.execute(
            """
            select
                count(*),
                count(*) filter (where is_mql),
                count(*) filter (where tier = 'hot'),
                count(*) filter (where tier = 'warm'),
                count(*) filter (where tier = 'cold'),
                max(as_of)
            from main.lead_scores
            """
        ).fetchone()
        leaders = con.execute(
            """
            select contact_id, coalesce(company_name, ''), lead_score, grade, score_reasons
            from main.lead_scores
            where is_mql
            order by lead_score desc, contact_id
            limit ?
            """,
            [top],
        ).fetchall()
    lines = [
        "",
        f"Scored {total:,} contacts as of {as_of}: {mqls:,} MQLs "
        f"(hot {hot:,}, warm {warm:,}, cold {cold:,})",
        f"Top {len(leaders)} MQLs:",
    ]
    for contact_id, company, score, grade, reasons in leaders:
        lines.append(f"  {contact_id:<10} {company[:24]:<24} {score:7.1f}  {grade}  {reasons}")
    return "\n".join(lines)
