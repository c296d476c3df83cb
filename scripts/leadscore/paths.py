"""Where things live: the dbt project, the warehouse file, the demo data."""

from __future__ import annotations

import os
from pathlib import Path

PROJECT_DIR = Path(__file__).resolve().parents[2]
DEFAULT_DB = Path("data") / "warehouse.duckdb"


def resolve_db(db: str | None) -> Path:
    """The warehouse file: --db, else $LEADSCORE_DB, else data/warehouse.duckdb (absolute)."""
    chosen = db or os.environ.get("LEADSCORE_DB") or str(DEFAULT_DB)
    return Path(chosen).expanduser().resolve()


def require_warehouse(db_path: Path) -> None:
    """Commands other than `leadscore load` and `leadscore run` work on an existing warehouse: a
    mistyped --db fails here, before anything (file, directory, lock file, serving file) is created."""
    from leadscore.errors import LeadscoreError

    if not db_path.is_file():
        what = "is a directory, not a warehouse file" if db_path.is_dir() else "no such warehouse file"
        raise LeadscoreError(
            f"{db_path}: {what} (check --db or $LEADSCORE_DB for a typo); "
            f"`leadscore load DIR --db {db_path}` creates a warehouse"
        )
