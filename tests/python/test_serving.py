"""Write, audit, publish: the serving file, the writer lock, crash safety and the drt sync, with real
processes (leadscore, a DuckDB reader, drt) on a warehouse built once and copied into each test."""

from __future__ import annotations

import csv
import hashlib
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import pytest

from leadscore.build import build
from leadscore.errors import LeadscoreError
from leadscore.load import load_directory
from leadscore.locking import lock_path
from leadscore.paths import PROJECT_DIR
from leadscore.serving import PUBLICATION_TABLE, Relation, publish, storage_version_of
from leadscore_dev.generate import generate
from worked_examples import copy_project

AS_OF = "2024-07-01T00:00:00Z"
LATER = "2024-07-02T00:00:00Z"
LATEST = "2024-07-03T00:00:00Z"
SHOWN = {AS_OF: "2024-07-01 00:00:00", LATER: "2024-07-02 00:00:00", LATEST: "2024-07-03 00:00:00"}
# DuckDB's header number for the v1.0.0 storage format, the newest that every DuckDB 1.x can read.
DUCKDB_1_STORAGE_NUMBER = 64
ENV = {**os.environ, "PYTHONUNBUFFERED": "1", "DO_NOT_TRACK": "1"}

READER = """
import sys
import duckdb

path = sys.argv[1]
con = duckdb.connect(path, read_only=True)

def as_of():
    return str(con.execute("select max(as_of) from main.lead_scores").fetchone()[0])

print("as_of", as_of(), flush=True)
for line in sys.stdin:
    if line.strip() == "reopen":
        con.close()
        con = duckdb.connect(path, read_only=True)
    print("as_of", as_of(), flush=True)
"""


def leadscore(*args: str) -> list[str]:
    return [sys.executable, "-m", "leadscore.cli", *args]


def start(command: list[str], log: Path, cwd: Path | None = None) -> subprocess.Popen[bytes]:
    """A process whose output goes to a file (a pipe nobody drains could stall it)."""
    with open(log, "wb") as handle:
        return subprocess.Popen(command, stdout=handle, stderr=subprocess.STDOUT, env=ENV, cwd=cwd)


def wait_for_output(log: Path, marker: str, process: subprocess.Popen[bytes]) -> None:
    while marker not in log.read_text(errors="replace"):
        assert process.poll() is None, f"exited before printing {marker!r}:\n{log.read_text()[-3000:]}"
        time.sleep(0.05)


def query(db_path: Path, sql: str) -> list[tuple[object, ...]]:
    con = duckdb.connect(str(db_path), read_only=True)
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


def published_as_of(serving: Path) -> str:
    [(as_of,)] = query(serving, "select max(as_of) from main.lead_scores")
    return str(as_of)


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def header_storage_number(path: Path) -> int:
    """The storage version number in a DuckDB file's main header (after the checksum and 'DUCK')."""
    header = path.read_bytes()[:20]
    assert header[8:12] == b"DUCK"
    return int.from_bytes(header[12:20], "little")


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Demo data loaded and built once (as of AS_OF), published to serving.duckdb beside it."""
    root = tmp_path_factory.mktemp("serving")
    generate(out_dir=root / "raw", contacts=300, days=60, seed=11, end_date="2024-06-30")
    load_directory(root / "warehouse.duckdb", root / "raw")
    build(root / "warehouse.duckdb", as_of=AS_OF)
    return root


@pytest.fixture
def warehouse(built: Path, tmp_path: Path) -> Path:
    """This test's own copy of the built working warehouse and its serving file."""
    for name in ("warehouse.duckdb", "serving.duckdb"):
        shutil.copy2(built / name, tmp_path / name)
    return tmp_path / "warehouse.duckdb"


def serving_of(warehouse: Path) -> Path:
    return warehouse.with_name("serving.duckdb")


def test_serving_file_holds_the_public_tables_in_a_duckdb_1_format(warehouse: Path) -> None:
    serving = serving_of(warehouse)
    tables = query(serving, "select table_schema, table_name from information_schema.tables")
    names = {name for _schema, name in tables}
    assert {"lead_scores", "lead_score_breakdown", "crm_lead_sync", PUBLICATION_TABLE} <= names
    leaked = [name for name in names if name.startswith(("stg_", "int_")) or name in ("fit_rules", "contacts")]
    assert leaked == [], "only public models are published"
    assert "raw" not in {schema for schema, _name in tables}
    for table in ("lead_scores", "lead_score_breakdown", "crm_lead_sync"):
        assert query(serving, f"select count(*) from {table}") == query(warehouse, f"select count(*) from {table}")
    [(publication_as_of, storage)] = query(serving, f"select as_of, storage_version from {PUBLICATION_TABLE}")
    assert str(publication_as_of) == SHOWN[AS_OF] and storage == "v1.0.0"

    assert header_storage_number(serving) == DUCKDB_1_STORAGE_NUMBER
    assert storage_version_of(serving).startswith("v1.0.0")
    assert header_storage_number(warehouse) > DUCKDB_1_STORAGE_NUMBER, "the working file has DuckDB's own format"


def test_newer_storage_format_is_an_opt_in(warehouse: Path, tmp_path: Path) -> None:
    target = tmp_path / "newest.duckdb"
    publish(warehouse, target, [Relation("main", "lead_scores")], storage_version="latest")
    assert header_storage_number(target) > DUCKDB_1_STORAGE_NUMBER
    assert published_as_of(target) == SHOWN[AS_OF]
    result = subprocess.run(
        leadscore("build", "--db", str(warehouse), "--serving-storage-version", "v1.x"),
        capture_output=True, text=True, env=ENV,
    )
    assert result.returncode == 1 and result.stderr.count("\n") == 1
    assert "serving storage version 'v1.x'" in result.stderr


def test_a_reader_keeps_its_version_while_a_build_publishes_the_next(warehouse: Path, tmp_path: Path) -> None:
    serving = serving_of(warehouse)
    reader = subprocess.Popen(
        [sys.executable, "-c", READER, str(serving)],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, env=ENV,
    )
    try:
        assert reader.stdout is not None and reader.stdin is not None

        def ask(command: str = "query") -> str:
            reader.stdin.write(command + "\n")
            reader.stdin.flush()
            return reader.stdout.readline().strip()

        assert reader.stdout.readline().strip() == f"as_of {SHOWN[AS_OF]}"
        log = tmp_path / "build.log"
        builder = start(leadscore("build", "--db", str(warehouse), "--as-of", LATER), log)
        seen_during_build = []
        while builder.poll() is None:
            seen_during_build.append(ask())
            time.sleep(0.1)
        assert builder.returncode == 0, log.read_text()[-3000:]
        assert "Published" in log.read_text() and str(serving) in log.read_text()
        assert seen_during_build and set(seen_during_build) == {f"as_of {SHOWN[AS_OF]}"}
        assert ask() == f"as_of {SHOWN[AS_OF]}", "an open connection keeps the version it opened"
        assert ask("reopen") == f"as_of {SHOWN[LATER]}", "reopening finds the new version"
    finally:
        reader.stdin.close()
        reader.wait(timeout=60)
    assert reader.returncode == 0
    assert published_as_of(serving) == SHOWN[LATER]


def test_a_failing_data_test_publishes_nothing(warehouse: Path, tmp_path: Path) -> None:
    """A singular test on lead_scores fails after the marts were rebuilt: readers keep the old ones."""
    project = copy_project(tmp_path / "project")
    (project / "tests" / "assert_no_lead_is_scored.sql").write_text(
        "select contact_id from {{ ref('lead_scores') }}\n"
    )
    serving = serving_of(warehouse)
    before, inode = digest(serving), serving.stat().st_ino
    with pytest.raises(LeadscoreError, match=r"assert_no_lead_is_scored.*; nothing published, readers keep .*serving"):
        build(warehouse, as_of=LATER, project_dir=project)
    assert digest(serving) == before and serving.stat().st_ino == inode
    assert published_as_of(serving) == SHOWN[AS_OF]
    [(working_as_of,)] = query(warehouse, "select max(as_of) from main.lead_scores")
    assert str(working_as_of) == SHOWN[LATER], "the working warehouse did rebuild; only publishing was held back"


def test_a_second_writer_waits_then_fails_or_follows(built: Path, warehouse: Path, tmp_path: Path) -> None:
    first_log, follower_log = tmp_path / "first.log", tmp_path / "follower.log"
    first = start(leadscore("build", "--db", str(warehouse), "--as-of", LATER, "--verbose"), first_log)
    follower: subprocess.Popen[bytes] | None = None
    try:
        wait_for_output(first_log, " START ", first)  # dbt is running: the first build holds the lock
        os.kill(first.pid, signal.SIGSTOP)  # and keeps it for as long as this test needs
        impatient = subprocess.run(
            leadscore("load", str(warehouse.parent.parent / "nothing"), "--db", str(warehouse)),
            capture_output=True, text=True, env=ENV,
        )
        assert "no such directory" in impatient.stderr, "a user mistake is still reported before waiting"
        impatient = subprocess.run(
            leadscore("load", str(built / "raw"), "--db", str(warehouse), "--lock-timeout", "1"),
            capture_output=True, text=True, env=ENV,
        )
        assert impatient.returncode == 1
        assert "Waiting for `leadscore build`" in impatient.stdout
        [line] = impatient.stderr.strip().splitlines()
        assert line.startswith("leadscore: error: the warehouse ") and "is busy" in line
        assert f"(pid {first.pid}," in line and "after 1 s of waiting" in line

        follower = start(leadscore("build", "--db", str(warehouse), "--as-of", LATEST), follower_log)
        wait_for_output(follower_log, f"Waiting for `leadscore build` (pid {first.pid},", follower)
        os.kill(first.pid, signal.SIGCONT)
        assert first.wait(timeout=600) == 0, first_log.read_text()[-3000:]
        assert follower.wait(timeout=600) == 0, follower_log.read_text()[-3000:]
    finally:
        for process in (first, follower):
            if process is not None and process.poll() is None:
                os.kill(process.pid, signal.SIGCONT)
                process.kill()
                process.wait()
    assert "Published" in first_log.read_text() and "Published" in follower_log.read_text()
    serving = serving_of(warehouse)
    assert published_as_of(serving) == SHOWN[LATEST], "the follower built after the first, not over it"
    assert query(serving, "select count(*) from lead_scores") == query(warehouse, "select count(*) from lead_scores")
    assert "pid" in lock_path(warehouse).read_text(), "the lock file names its last holder"


def test_a_killed_build_or_load_leaves_everything_usable(built: Path, warehouse: Path, tmp_path: Path) -> None:
    serving = serving_of(warehouse)
    before = digest(serving)

    log = tmp_path / "killed.log"
    killed = start(leadscore("build", "--db", str(warehouse), "--as-of", LATER, "--verbose"), log)
    wait_for_output(log, "START sql table model main.lead_scores", killed)
    killed.send_signal(signal.SIGKILL)
    killed.wait()
    assert digest(serving) == before and published_as_of(serving) == SHOWN[AS_OF]

    # Killed right after its tests passed, while publishing: readers find the old or the new version,
    # complete either way.
    log = tmp_path / "killed_publishing.log"
    killed = start(leadscore("build", "--db", str(warehouse), "--as-of", LATER), log)
    wait_for_output(log, "Build finished", killed)
    killed.send_signal(signal.SIGKILL)
    killed.wait()
    assert published_as_of(serving) in (SHOWN[AS_OF], SHOWN[LATER])
    count = "select count(*) from lead_scores"
    assert query(serving, count) == query(built / "serving.duckdb", count)

    # Killed with the new file written in full but not yet swapped in (a pause injected just before the
    # swap): readers keep exactly the file they had, and the next run removes the leftover.
    before_swap = digest(serving)
    log = tmp_path / "killed_before_swap.log"
    with open(log, "wb") as handle:
        killed = subprocess.Popen(
            leadscore("build", "--db", str(warehouse), "--as-of", LATEST), stdout=handle, stderr=subprocess.STDOUT,
            env={**ENV, "LEADSCORE_PUBLISH_PAUSE_SECONDS": "300"},
        )
    wait_for_output(log, "Publishing paused before the swap", killed)
    killed.send_signal(signal.SIGKILL)
    killed.wait()
    assert list(serving.parent.glob(f".{serving.name}.*.tmp")), "killed between the write and the swap"
    assert digest(serving) == before_swap

    log = tmp_path / "killed_load.log"
    killed = start(leadscore("load", str(built / "raw"), "--db", str(warehouse)), log)
    wait_for_output(log, "Loading contacts", killed)
    killed.send_signal(signal.SIGKILL)
    killed.wait()

    rerun = subprocess.run(
        leadscore("load", str(built / "raw"), "--db", str(warehouse)), capture_output=True, text=True, env=ENV
    )
    assert rerun.returncode == 0, rerun.stderr
    rerun = subprocess.run(
        leadscore("build", "--db", str(warehouse), "--as-of", LATEST), capture_output=True, text=True, env=ENV
    )
    assert rerun.returncode == 0, rerun.stdout[-3000:] + rerun.stderr
    assert published_as_of(serving) == SHOWN[LATEST]
    assert query(warehouse, "select count(*) from raw.contacts") == query(
        built / "warehouse.duckdb", "select count(*) from raw.contacts"
    )
    assert list(tmp_path.glob(".serving.duckdb.*")) == [], "no half-written file is left behind"
    assert list(serving.parent.glob(f".{serving.name}.*")) == [], "no half-written file is left behind"


def test_export_reads_the_serving_file_even_while_the_warehouse_is_held(warehouse: Path, tmp_path: Path) -> None:
    holder = duckdb.connect(str(warehouse))  # a process writing the working warehouse
    try:
        result = subprocess.run(
            leadscore("export", "--db", str(warehouse), "--out", str(tmp_path / "out")),
            capture_output=True, text=True, env=ENV,
        )
    finally:
        holder.close()
    assert result.returncode == 0, result.stderr
    [(mqls,)] = query(serving_of(warehouse), "select count(*) from lead_scores where is_mql")
    assert f"Wrote {mqls:,} MQLs" in result.stdout


# ------------------------------------------------------------------------------------------ drt sync


@pytest.fixture
def drt_project(tmp_path: Path) -> Path:
    """clients/drt copied, with its profile installed where drt reads it (~/.drt/profiles.yml)."""
    project = tmp_path / "drt"
    shutil.copytree(PROJECT_DIR / "clients" / "drt", project, ignore=shutil.ignore_patterns(".drt", "output"))
    home = tmp_path / "home"
    (home / ".drt").mkdir(parents=True)
    shutil.copy2(project / "profiles.yml", home / ".drt" / "profiles.yml")
    return project


def drt_run(project: Path, serving: Path) -> list[dict[str, object]]:
    """One `drt run`; the rows it sent (the file destination writes one file per run that sends rows)."""
    output = project / "output" / "crm_lead_sync.jsonl"
    output.unlink(missing_ok=True)
    drt = Path(sys.executable).with_name("drt")
    env = {**ENV, "HOME": str(project.parent / "home"), "LEADSCORE_SERVING": str(serving)}
    result = subprocess.run(
        [str(drt), "run", "--output", "json"], cwd=project, capture_output=True, text=True, env=env, timeout=300
    )
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    [sync] = json.loads(result.stdout)["syncs"]
    assert sync["status"] == "success" and sync["rows_failed"] == 0
    rows = [json.loads(line) for line in output.read_text().splitlines()] if output.exists() else []
    assert sync["rows_synced"] == len(rows)
    return rows


def test_drt_syncs_consented_contacts_then_only_changes(built: Path, warehouse: Path, drt_project: Path) -> None:
    serving = serving_of(warehouse)
    consented_sql = (
        "select contact_id from raw.contacts where has_marketing_consent and not coalesce(is_do_not_contact, false)"
    )
    consented = {contact_id for (contact_id,) in query(warehouse, consented_sql)}
    assert 0 < len(consented) < query(warehouse, "select count(*) from raw.contacts")[0][0]

    first = drt_run(drt_project, serving)
    assert sorted(row["contact_id"] for row in first) == sorted(consented)

    rebuilt = subprocess.run(
        leadscore("build", "--db", str(warehouse), "--as-of", AS_OF), capture_output=True, text=True, env=ENV
    )
    assert rebuilt.returncode == 0, rebuilt.stdout[-3000:] + rebuilt.stderr
    assert drt_run(drt_project, serving) == [], "a rebuild that changes nothing sends nothing"

    with open(built / "raw" / "contacts.csv", encoding="utf-8", newline="") as handle:
        contacts = list(csv.DictReader(handle))
    changed = next(row for row in contacts if row["contact_id"] == sorted(consented)[0])
    changed.update(job_title="Chief Revenue Officer", updated_at="2024-06-30T23:59:59Z")
    changes = warehouse.parent / "changes"
    changes.mkdir()
    with open(changes / "contacts.csv", "w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(changed))
        writer.writeheader()
        writer.writerow(changed)
    for step in (("load", str(changes)), ("build", "--as-of", AS_OF)):
        result = subprocess.run(leadscore(*step, "--db", str(warehouse)), capture_output=True, text=True, env=ENV)
        assert result.returncode == 0, result.stdout[-3000:] + result.stderr

    [sent] = drt_run(drt_project, serving)
    assert sent["contact_id"] == changed["contact_id"] and sent["job_title"] == "Chief Revenue Officer"
    previous = next(row for row in first if row["contact_id"] == changed["contact_id"])
    assert sent["row_hash"] != previous["row_hash"] and sent["updated_at"] > previous["updated_at"]
