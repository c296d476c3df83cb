"""Where things live: the dbt project and the default warehouse file (leadscore.warehouse owns it)."""

from pathlib import Path

PROJECT_DIR = Path(__file__).resolve().parents[2]
DEFAULT_DB = Path("data") / "warehouse.duckdb"
