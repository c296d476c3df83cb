"""Where the seeds of a scoring grid live, and which grids the project has (macro grid_seed)."""

from __future__ import annotations

import csv
import re
from pathlib import Path
from typing import Any

from leadscore.errors import LeadscoreError
from leadscore.paths import PROJECT_DIR

KINDS = ("fit_rules", "engagement_rules")
DEFAULT_GRID = "b2b_saas"
GRID_VARS = ("scoring_grid", "challenger_grid")


def grid_seed_path(project_dir: Path, kind: str, grid: str) -> Path:
    """seeds/<kind>.csv for b2b_saas, seeds/grids/<kind>__<grid>.csv for any other grid."""
    if grid == DEFAULT_GRID:
        return project_dir / "seeds" / f"{kind}.csv"
    return project_dir / "seeds" / "grids" / f"{kind}__{grid}.csv"


def _settings_rows(project_dir: Path) -> set[str]:
    path = project_dir / "seeds" / "scoring_grids.csv"
    try:
        with open(path, encoding="utf-8", newline="") as handle:
            return {(row.get("grid") or "").strip().lower() for row in csv.DictReader(handle)}
    except OSError:
        return set()


def _missing_parts(project_dir: Path, grid: str, settings: set[str]) -> list[str]:
    missing = [
        str(path.relative_to(project_dir))
        for path in (grid_seed_path(project_dir, kind, grid) for kind in KINDS)
        if not path.is_file()
    ]
    if grid not in settings:
        missing.append("a row in seeds/scoring_grids.csv")
    return missing


def grid_names(project_dir: Path = PROJECT_DIR) -> list[str]:
    """The grids a build can score with: both rule seeds present and a row in seeds/scoring_grids.csv."""
    settings = _settings_rows(project_dir)
    candidates = {DEFAULT_GRID, *settings}
    candidates.update(
        path.stem.split("__", 1)[1]
        for path in (project_dir / "seeds" / "grids").glob("*__*.csv")
        if path.stem.split("__", 1)[0] in KINDS
    )
    return sorted(grid for grid in candidates if grid and not _missing_parts(project_dir, grid, settings))


def check_grid_vars(dbt_vars: dict[str, Any], project_dir: Path = PROJECT_DIR) -> None:
    """scoring_grid and challenger_grid name grids of the project, normalised as macro grid_seed does.

    Checked here because dbt resolves the grid's ref() while parsing, before any macro of the project
    can run: it would only say that no node is named fit_rules__<grid>."""
    grids = grid_names(project_dir)
    for name in GRID_VARS:
        value = dbt_vars.get(name, DEFAULT_GRID if name == "scoring_grid" else None)
        grid = "" if value is None else str(value).strip().lower()
        if grid in grids or (name == "challenger_grid" and grid == ""):
            continue
        missing = _missing_parts(project_dir, grid, _settings_rows(project_dir)) if re.fullmatch(
            r"[a-z0-9_]+", grid) else []
        if missing and len(missing) <= len(KINDS):  # a grid half added
            raise LeadscoreError(
                f"var {name}: the grid {grid} lacks {' and '.join(missing)} (docs/grid-reference.md); "
                f"the grids are {', '.join(grids)}"
            )
        raise LeadscoreError(
            f"var {name} must be one of {', '.join(grids)} (seeds/grids and seeds/scoring_grids.csv), got: {value}"
        )
