"""Run-wide settings of the pytest suite.

The suite runs on two workers (pytest-xdist, `-n 2` in pyproject.toml): a dbt build spends most of
its time in one Python thread, so two builds at once use both cores. Two workers building the same
project directory would write the same target/ and logs/; each worker gets its own, through dbt's
own DBT_TARGET_PATH (relative: dbt resolves it inside each project directory, so a test's copy of
the project keeps its own artifacts too) and DBT_LOG_PATH (read by dbt and by
leadscore.build.dbt_log_file). Subprocesses inherit them."""

import os
import tempfile
from pathlib import Path

WORKER = os.environ.get("PYTEST_XDIST_WORKER", "main")

os.environ.setdefault("DBT_TARGET_PATH", str(Path("target") / f"pytest-{WORKER}"))
os.environ.setdefault("DBT_LOG_PATH", tempfile.mkdtemp(prefix=f"leadscore-dbt-logs-{WORKER}-"))


def dbt_target_dir(project_dir: Path) -> Path:
    """Where dbt writes its artifacts for a build of project_dir in this run."""
    return project_dir / os.environ.get("DBT_TARGET_PATH", "target")
