"""Where things live: the dbt project and the warehouse file (leadscore.warehouse owns it)."""

import os
from pathlib import Path

PROJECT_DIR = Path(__file__).resolve().parents[2]
DEFAULT_DB = Path("data") / "warehouse.duckdb"


def resolve_db(db: str | Path | None = None) -> Path:
    """--db, else $LEADSCORE_DB, else data/warehouse.duckdb (absolute)."""
    return Path(db or os.environ.get("LEADSCORE_DB") or DEFAULT_DB).expanduser().resolve()
