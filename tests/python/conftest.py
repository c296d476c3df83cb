"""Run-wide settings of the pytest suite.

The suite runs on two workers (pytest-xdist, `-n 2` in pyproject.toml): a dbt build spends most of
its time in one Python thread, so two builds at once use both cores. Two workers building the same
project directory would write the same target/ and logs/; each worker gets its own, through dbt's
own DBT_TARGET_PATH (relative: dbt resolves it inside each project directory, so a test's copy of
the project keeps its own artifacts too) and DBT_LOG_PATH (read by dbt and by
leadscore.build.dbt_log_file). Subprocesses inherit them.

A pass of the unit tests is noted in a cache (leadscore.build.unit_tests_passed): a later build of
the same code and vars skips them. The run has a cache of its own ($LEADSCORE_CACHE_DIR, shared by
its workers, empty at the start), so that every run runs each unit test again."""

import os
import tempfile
from pathlib import Path

WORKER = os.environ.get("PYTEST_XDIST_WORKER", "main")

# Set here unless the caller set them; a worker inherits the controller's environment, so a value
# this file set (noted in LEADSCORE_PYTEST_DIRS) is replaced by the worker's own.
OURS = os.environ.get("LEADSCORE_PYTEST_DIRS", "")
if os.environ.get("DBT_TARGET_PATH") in (None, *OURS.split("\n")[:1]):
    os.environ["DBT_TARGET_PATH"] = str(Path("target") / f"pytest-{WORKER}")
if os.environ.get("DBT_LOG_PATH") in (None, *OURS.split("\n")[1:2]):
    os.environ["DBT_LOG_PATH"] = tempfile.mkdtemp(prefix=f"leadscore-dbt-logs-{WORKER}-")
if os.environ.get("LEADSCORE_CACHE_DIR") is None or os.environ["LEADSCORE_CACHE_DIR"] != os.environ.get(
        "LEADSCORE_PYTEST_CACHE"):
    os.environ["LEADSCORE_CACHE_DIR"] = os.environ["LEADSCORE_PYTEST_CACHE"] = tempfile.mkdtemp(
        prefix="leadscore-cache-")
os.environ["LEADSCORE_PYTEST_DIRS"] = os.environ["DBT_TARGET_PATH"] + "\n" + os.environ["DBT_LOG_PATH"]


def dbt_target_dir(project_dir: Path) -> Path:
    """Where dbt writes its artifacts for a build of project_dir in this run."""
    return project_dir / os.environ.get("DBT_TARGET_PATH", "target")


# The Spark modules take longest (each builds the whole project on Spark): they start first, and the
# other worker runs the other modules meanwhile, instead of one worker finishing alone with them at
# the end (pyproject.toml turns off xdist's reordering by number of tests, --no-loadscope-reorder).
SLOWEST_FIRST = ("test_spark.py", "test_spark_sources.py")


def pytest_collection_modifyitems(items: list) -> None:
    items.sort(key=lambda item: (SLOWEST_FIRST.index(item.path.name) if item.path.name in SLOWEST_FIRST
                                 else len(SLOWEST_FIRST)))
