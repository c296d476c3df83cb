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
