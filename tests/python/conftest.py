"""Run-wide settings of the pytest suite.

The suite runs on two workers (pytest-xdist, `-n 2` in pyproject.toml): a dbt build spends most of
its time in one Python thread, so two builds at once use both cores. Two workers building the same
project directory would write the same target/ and logs/; each worker gets its own, through dbt's
own DBT_TARGET_PATH (relative: dbt resolves it inside each project directory, so a test's copy of
the project keeps its own artifacts too) and DBT_LOG_PATH (read by dbt and by
leadscore.build.dbt_log_file). Subprocesses inherit them.

A pass of the unit tests is noted in a cache (leadscore.build.unit_tests_passed): a later build of
the same code skips them (leadscore.build.code_fingerprint). The run has a cache of its own
($LEADSCORE_CACHE_DIR, shared by its workers, empty at the start), so that every run runs each unit
test again."""

import os
import tempfile
from pathlib import Path

WORKER = os.environ.get("PYTEST_XDIST_WORKER", "main")


def run_setting(name: str, value: str, *, per_worker: bool) -> None:
    """Set an environment variable for the run. A worker inherits the controller's environment, so
    the value this file set is noted (LEADSCORE_PYTEST_<name>): a per-worker setting replaces the
    inherited value with the worker's own and keeps a value the caller set; a run-wide one keeps the
    inherited value and replaces the caller's."""
    marker = f"LEADSCORE_PYTEST_{name}"
    ours = name in os.environ and os.environ[name] == os.environ.get(marker)
    if (per_worker and (ours or name not in os.environ)) or (not per_worker and not ours):
        os.environ[name] = os.environ[marker] = value


run_setting("DBT_TARGET_PATH", str(Path("target") / f"pytest-{WORKER}"), per_worker=True)
run_setting("DBT_LOG_PATH", tempfile.mkdtemp(prefix=f"leadscore-dbt-logs-{WORKER}-"), per_worker=True)
run_setting("LEADSCORE_CACHE_DIR", tempfile.mkdtemp(prefix="leadscore-cache-"), per_worker=False)


def dbt_target_dir(project_dir: Path) -> Path:
    """Where dbt writes its artifacts for a build of project_dir in this run."""
    return project_dir / os.environ.get("DBT_TARGET_PATH", "target")


# The Spark module takes longest (it builds the whole project on Spark): it starts first, and the
# other worker runs the other modules meanwhile, instead of one worker finishing alone with it at the
# end (pyproject.toml turns off xdist's reordering by number of tests, --no-loadscope-reorder).
SLOWEST_FIRST = ("test_spark.py",)


def pytest_collection_modifyitems(items: list) -> None:
    items.sort(key=lambda item: (SLOWEST_FIRST.index(item.path.name) if item.path.name in SLOWEST_FIRST
                                 else len(SLOWEST_FIRST)))
