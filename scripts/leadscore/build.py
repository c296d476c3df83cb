"""Drive dbt in-process (dbtRunner): the build, with vars checked before dbt starts."""

from __future__ import annotations

import gc
import hashlib
import os
import re
import shutil
import sys
import time
import warnings
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime
from importlib import metadata
from pathlib import Path
from typing import Any

import yaml
from dbt.adapters.duckdb.connections import DuckDBConnectionManager
from dbt.cli.main import dbtRunner

from leadscore.errors import LeadscoreError
from leadscore.load import ensure_raw_schema
from leadscore.ops import now_utc, record_build, record_unit_tests, unit_tests_passed_at
from leadscore.paths import PROJECT_DIR
from leadscore.progress import BuildProgress
from leadscore.serving import (
    check_shrink,
    describe_current,
    public_relations,
    publish,
    published_as_of,
    resolve_storage_version,
    scores_as_of,
    serving_path_for,
)
from leadscore.spark import (
    SPARK_TARGET,
    export_raw_tables,
    export_source_tables,
    selected_source_schemas,
    spark_environment,
)
from leadscore.var_rules import parse_as_of, parse_vars, project_vars
from leadscore.warehouse import Warehouse, has_table

Progress = Callable[[str], None]

_FAILED_STATUSES = {"error", "fail", "runtime error"}


@contextmanager
def _warehouse_env(db_path: Path, as_of: Any = None) -> Iterator[None]:
    """LEADSCORE_DB (profiles.yml) and LEADSCORE_AS_OF (macro as_of_text) for one dbt call. The
    scoring instant goes through the environment, not --vars: dbt reparses the whole project when its
    vars change, and it reads LEADSCORE_AS_OF only while running, so a build as of another instant
    keeps the parse of the one before (_kept_parse)."""
    settings = {"LEADSCORE_DB": str(db_path), "LEADSCORE_AS_OF": None if as_of is None else str(as_of)}
    previous = {name: os.environ.get(name) for name in settings}
    for name, value in settings.items():
        if value is None:
            os.environ.pop(name, None)
        else:
            os.environ[name] = value
    try:
        yield
    finally:
        for name, value in previous.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


PARSES_KEPT = 8


@contextmanager
def _kept_parse(project_dir: Path, db_path: Path, target: str | None) -> Iterator[list[str]]:
    """dbt keeps one parse of the project (target/partial_parse.msgpack) and throws it away when the
    profile changes, and the warehouse's path is part of the profile. A copy per warehouse and target
    (the PARSES_KEPT most recently used) lets builds that alternate warehouses reuse theirs: dbt reads
    it (--partial-parse-file-path), and a parse the call wrote is copied back."""
    target_dir = project_dir / os.environ.get("DBT_TARGET_PATH", "target")
    written = target_dir / "partial_parse.msgpack"
    key = hashlib.sha256(f"{Path(db_path).resolve()}|{target or ''}".encode()).hexdigest()[:16]
    kept = target_dir / "partial_parses" / f"{key}.msgpack"

    def stamp() -> int | None:
        return written.stat().st_mtime_ns if written.is_file() else None

    before = stamp()
    yield ["--partial-parse-file-path", str(kept)] if kept.is_file() else []
    if stamp() in (None, before):
        return
    try:
        kept.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(written, kept)
        others = sorted(kept.parent.glob("*.msgpack"), key=lambda path: path.stat().st_mtime, reverse=True)
        for stale in others[PARSES_KEPT:]:
            stale.unlink(missing_ok=True)
    except OSError:
        pass  # no copy: the next build of this warehouse parses the project again


def _one_line(message: str) -> str:
    """dbt messages span lines and carry ANSI colours: keep the lines that say something."""
    plain = re.sub(r"\x1b\[[0-9;]*m", "", message)
    lines = [line.strip() for line in plain.splitlines() if line.strip()]
    # "> in macro ... > called by ..." is dbt's macro call stack under a compilation error
    useful = [line for line in lines if not line.startswith(("compiled code at", "See test failures", "> "))]
    return " ".join(useful)[:600]


def _release_warehouse() -> None:
    """dbt-duckdb keeps its database open for the life of the process; close it so that this
    process (export, summary) and others can open the warehouse file afterwards."""
    environment = DuckDBConnectionManager._ENV
    if environment is not None:
        environment.close()
    DuckDBConnectionManager.close_all_connections()
    gc.collect()


LOG_PATH_ENV = "DBT_LOG_PATH"


def dbt_log_file(project_dir: Path = PROJECT_DIR) -> Path:
    """Where dbt's full log goes: $DBT_LOG_PATH/dbt.log, else the project's logs/dbt.log."""
    return Path(os.environ.get(LOG_PATH_ENV) or project_dir / "logs") / "dbt.log"


def _output_args(project_dir: Path, verbose: bool) -> list[str]:
    """dbt's lines go to its log file always (without colour codes), to the terminal with --verbose
    (coloured only when stdout is a terminal)."""
    colours = "--use-colors" if verbose and sys.stdout.isatty() else "--no-use-colors"
    return [
        "--log-level", "info" if verbose else "none",
        "--log-level-file", "debug",
        "--log-path", str(dbt_log_file(project_dir).parent),
        colours,
        "--no-use-colors-file",
    ]


def run_dbt(
    command: list[str],
    db_path: Path,
    *,
    target: str | None = None,
    dbt_vars: dict[str, Any] | None = None,
    project_dir: Path = PROJECT_DIR,
    progress: Progress | None = None,
    verbose: bool = False,
) -> Any:
    """Run one dbt command against the warehouse file; a failure raises one readable line. dbt's own
    lines go to its log file, and to the terminal only when verbose; progress (when given, and not
    verbose) gets a short line per stage instead (leadscore.progress)."""
    args = [
        *command,
        "--project-dir",
        str(project_dir),
        "--profiles-dir",
        str(project_dir),
        *_output_args(project_dir, verbose),
    ]
    if target:
        args += ["--target", target]
    other_vars = {name: value for name, value in (dbt_vars or {}).items() if name != "as_of"}
    if other_vars:
        args += ["--vars", yaml.safe_dump(other_vars, default_flow_style=True).strip()]
    reporter = BuildProgress(progress) if progress is not None and not verbose else None
    with (
        _warehouse_env(db_path, (dbt_vars or {}).get("as_of")),
        _kept_parse(project_dir, db_path, target) as parse_args,
        warnings.catch_warnings(),
    ):
        # the seeds of seeds/grids take from their folder's column_types (dbt_project.yml) the columns they
        # have: agate's warning about the others is not the user's business
        warnings.filterwarnings("ignore", message='".*" does not match the name of any column', category=RuntimeWarning)
        try:
            result = dbtRunner(callbacks=[reporter] if reporter else []).invoke(args + parse_args)
        finally:
            _release_warehouse()
    if reporter is not None:
        reporter.finish()
    if result.success:
        return result.result
    if progress is not None and not verbose:
        progress(f"dbt's full log: {dbt_log_file(project_dir)} (--verbose shows it here)")
    if result.exception is not None:
        raise LeadscoreError(f"dbt {command[0]} failed: {_one_line(str(result.exception))}")
    failures = [
        f"{node.node.resource_type} {node.node.name}: {_one_line(node.message or node.status)}"
        for node in (result.result or [])
        if str(node.status).lower() in _FAILED_STATUSES
    ]
    summary = "; ".join(failures[:3]) + (f" (and {len(failures) - 3} more)" if len(failures) > 3 else "")
    raise LeadscoreError(f"dbt {command[0]} failed: {summary or f'see {dbt_log_file(project_dir)}'}")


# What the unit tests depend on: the dbt project's code and seeds, not the raw data.
CODE_PATHS = ("dbt_project.yml", "models", "macros", "seeds", "tests")
CODE_SUFFIXES = {".sql", ".yml", ".yaml", ".csv", ".jsonl", ".json"}
# The vars that decide which models and tests exist (config enabled=...). The others cannot change a
# unit test's outcome: each unit test pins the vars its model reads (tests/python/test_incremental.py
# runs them all under other values of every other var).
NODE_VARS = ("source_systems", "test_shipped_defaults")


def code_fingerprint(project_dir: Path, dbt_vars: dict[str, Any], target: str | None) -> str:
    """A hash of everything a unit test's outcome depends on: the project's SQL, YAML and seed files
    (not tests/python), the vars that decide which nodes exist (NODE_VARS), the target and the dbt
    and adapter versions. Not the raw data, as_of or the scoring vars."""
    digest = hashlib.sha256()
    files: list[Path] = []
    for name in CODE_PATHS:
        path = project_dir / name
        if path.is_file():
            files.append(path)
        elif path.is_dir():
            files.extend(
                found for found in path.rglob("*")
                if found.is_file() and found.suffix in CODE_SUFFIXES and "python" not in found.relative_to(path).parts
            )
    for path in sorted(files):
        digest.update(str(path.relative_to(project_dir)).encode() + b"\0" + path.read_bytes() + b"\0")
    node_vars = {name: value for name, value in dbt_vars.items() if name in NODE_VARS}
    digest.update(yaml.safe_dump(node_vars, sort_keys=True).encode())
    digest.update(str(target or "duckdb").encode())
    for package in ("dbt-core", "dbt-duckdb", "duckdb"):
        try:
            digest.update(f"{package}={metadata.version(package)}".encode())
        except metadata.PackageNotFoundError:
            digest.update(f"{package}=?".encode())
    return digest.hexdigest()


def _unit_test_record(fingerprint: str) -> Path:
    """Where a pass of the unit tests of this fingerprint is noted for every warehouse and every copy
    of the project on this machine: $LEADSCORE_CACHE_DIR, else $XDG_CACHE_HOME/leadscore, else
    ~/.cache/leadscore."""
    cache = os.environ.get("LEADSCORE_CACHE_DIR") or Path(
        os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "leadscore"
    return Path(cache) / "unit_tests_passed" / fingerprint


def unit_tests_passed(db_path: Path, fingerprint: str) -> tuple[datetime, str] | None:
    """(when, where) the unit tests of this fingerprint last passed: in this warehouse
    (ops.unit_test_log) or in a build of another warehouse of the same code on this machine; None
    when never."""
    passed_at = unit_tests_passed_at(db_path, fingerprint)
    if passed_at is not None:
        return passed_at, "here"
    record = _unit_test_record(fingerprint)
    try:
        return datetime.fromisoformat(record.read_text(encoding="utf-8").split()[0]), "on this machine"
    except (OSError, ValueError, IndexError):
        return None


def record_unit_test_pass(db_path: Path, fingerprint: str, unit_tests: int) -> None:
    record_unit_tests(db_path, fingerprint, unit_tests)
    record = _unit_test_record(fingerprint)
    try:
        record.parent.mkdir(parents=True, exist_ok=True)
        record.write_text(f"{now_utc().isoformat()} {unit_tests}\n", encoding="utf-8")
    except OSError:
        pass  # no writable cache: the warehouse's own record still holds


def command_args(full_refresh: bool, select: str | None) -> list[str]:
    command = ["build"]
    if full_refresh:
        command.append("--full-refresh")
    if select:
        # only the tests whose every parent is selected: the others would read models not built
        command += ["--select", select, "--indirect-selection", "cautious"]
    return command


def _build_on_spark(
    db_path: Path, command: list[str], dbt_vars: dict[str, Any], project_dir: Path, say: Progress,
    verbose: bool = False,
) -> None:
    """Hand the raw tables of the DuckDB warehouse to Spark as Parquet, then build there."""
    with spark_environment(db_path) as home:
        handover = home / "raw_handover"
        systems, schemas = selected_source_schemas(dbt_vars, project_dir)
        tables: list[str] = []
        if "raw" in systems:
            say(f"Handing the raw tables of {db_path} to Spark ({handover})...")
            tables = export_raw_tables(db_path, handover)
        handed = {"location": str(handover), "tables": tables}
        if schemas:  # the selected connector systems' schemas, each as a schema of tables on Spark
            say(f"Handing the tables of schema {', '.join(schemas.values())} to Spark...")
            sources = home / "source_handover"
            handed |= {"sources_location": str(sources), "sources": export_source_tables(db_path, sources, schemas)}
        operation_args = yaml.safe_dump(handed, default_flow_style=True)
        run_dbt(
            ["run-operation", "create_raw_tables_from_parquet", "--args", operation_args.strip()],
            db_path, target=SPARK_TARGET, project_dir=project_dir,
        )
        say(f"Building on Spark (warehouse {home}) as of {dbt_vars.get('as_of', 'now')}...")
        run_dbt(
            command, db_path, target=SPARK_TARGET, dbt_vars=dbt_vars, project_dir=project_dir, progress=say,
            verbose=verbose,
        )
        say("Spark build finished: every model built and every test passed.")


def export_from_spark(db_path: Path, tables: list[str], destination: Path, project_dir: Path = PROJECT_DIR) -> None:
    """Tables of the Spark target written as Parquet directories destination/<table>/."""
    with spark_environment(db_path):
        operation_args = yaml.safe_dump({"location": str(destination), "tables": tables}, default_flow_style=True)
        run_dbt(
            ["run-operation", "export_tables_to_parquet", "--args", operation_args.strip()],
            db_path, target=SPARK_TARGET, project_dir=project_dir,
        )


def _require_sources(db_path: Path, dbt_vars: dict[str, Any], project_dir: Path) -> None:
    """A warehouse without contacts (no raw schema, as a file made by hand or by an older version, or
    raw.contacts empty) has nothing to score: the build stops before dbt and publishes nothing. The
    other raw tables may be empty (contacts without events score on fit alone); those an older
    version did not create are added, since dbt's sources read them. With source adapters selected
    (var source_systems, docs/sources.md), each selected system's schema must hold tables, unless its
    `<system>_database` var points dbt at another database."""
    settings = {**project_vars(project_dir), **dbt_vars}
    systems = [str(system) for system in settings.get("source_systems") or ["raw"]]
    with Warehouse(db_path).connect() as con:
        for system in systems:
            if system == "raw" or settings.get(f"{system}_database"):
                continue
            schema = str(settings.get(f"{system}_schema") or system)
            row = con.execute(
                "select count(*) from information_schema.tables where table_schema = ?", [schema]
            ).fetchone()
            if not row or not row[0]:
                raise LeadscoreError(
                    f"{db_path} holds no {system} tables (schema {schema}): nothing built or published; "
                    f"`leadscore load --source {system} DIR --db {db_path}` lands a connector's files, or set "
                    f"the vars {system}_database / {system}_schema to where the connector writes"
                )
        if "raw" not in systems:
            return
        contacts = con.execute("select count(*) from raw.contacts").fetchone() if has_table(
            con, "raw", "contacts") else None
        if not contacts or not contacts[0]:
            what = "raw.contacts is empty" if contacts else "it has no raw.contacts table"
            raise LeadscoreError(
                f"{db_path} holds no contacts ({what}): nothing built or published; "
                f"`leadscore load DIR --db {db_path}` lands raw files first"
            )
        ensure_raw_schema(con)


def build(
    db_path: Path,
    *,
    as_of: str | None = None,
    full_refresh: bool = False,
    target: str | None = None,
    vars_yaml: str | None = None,
    project_dir: Path = PROJECT_DIR,
    select: str | None = None,
    progress: Progress | None = None,
    serving: Path | None = None,
    storage_version: str | None = None,
    lock_timeout: float | None = None,
    publish_backfill: bool = False,
    force: bool = False,
    verbose: bool = False,
) -> None:
    """`dbt build` (seeds, models, data and unit tests) of the project as of an instant, then, when
    every test passed, publish the public models to the serving file (leadscore.serving). A
    backfill (scores as of an earlier instant than the serving file's) is not published unless
    publish_backfill: readers keep the later scores. A missing warehouse or one without contacts fails
    before dbt, creating nothing; a publish that would shrink the serving file's leads below
    serving.MIN_KEPT_SHARE fails unless force (leadscore.serving.check_shrink)."""
    # before anything slow (duckdb, dbt): a wrong var fails at once
    dbt_vars = parse_vars(vars_yaml, project_dir)
    if as_of:
        dbt_vars["as_of"] = parse_as_of(as_of)
    # A partial (--select) build has not run every test, and other targets are not a DuckDB file.
    serving_path = serving_path_for(db_path, serving) if target in (None, "duckdb") and not select else None
    version = resolve_storage_version(storage_version)
    say = progress or (lambda _message: None)
    warehouse = Warehouse(db_path)
    warehouse.require()  # before the lock file: a mistyped --db creates nothing
    started = time.monotonic()
    with warehouse.lock("build", timeout=lock_timeout, progress=progress):
        if target in (None, "duckdb", "spark"):  # Spark builds from the DuckDB warehouse's raw tables
            _require_sources(db_path, dbt_vars, project_dir)
        if target == "spark":
            _build_on_spark(db_path, command_args(full_refresh, select), dbt_vars, project_dir, say, verbose)
            return
        say(f"Building the warehouse {db_path} as of {dbt_vars.get('as_of', 'now')}...")
        command = command_args(full_refresh, select)
        fingerprint = None
        if target in (None, "duckdb"):
            fingerprint = code_fingerprint(project_dir, dbt_vars, target)
            passed = None if full_refresh else unit_tests_passed(db_path, fingerprint)
            if passed is not None:
                # unit tests read fixed inputs, not the warehouse: they pass again unless the code changed
                command += ["--exclude-resource-type", "unit_test"]
                say(
                    f"Unit tests skipped: the project's code and dbt version are those whose unit tests "
                    f"passed {passed[1]} at {passed[0]:%Y-%m-%d %H:%M:%S} UTC (--full-refresh runs them)."
                )
        try:
            results = run_dbt(
                command, db_path, target=target, dbt_vars=dbt_vars, project_dir=project_dir, progress=say,
                verbose=verbose,
            )
        except LeadscoreError as error:
            if serving_path is None:
                raise
            raise LeadscoreError(f"{error}; nothing published, {describe_current(serving_path)}") from None
        say(
            f"Build finished in {time.monotonic() - started:.1f} s: every model built and every test passed "
            f"(dbt's log: {dbt_log_file(project_dir)})."
        )
        unit_tests = sum(1 for result in results or [] if str(result.node.resource_type) == "unit_test")
        if fingerprint is not None and unit_tests and not select:
            record_unit_test_pass(db_path, fingerprint, unit_tests)
        if target in (None, "duckdb") and not select:
            record_build(db_path, dbt_vars)  # `leadscore forget` rebuilds with the same as_of and vars
        if serving_path is not None and not publish_backfill:
            built_as_of, readers_as_of = scores_as_of(db_path), published_as_of(serving_path)
            if built_as_of is not None and readers_as_of is not None and built_as_of < readers_as_of:
                say(
                    f"Not published: this build's as_of {built_as_of:%Y-%m-%d %H:%M:%S} is earlier than the "
                    f"serving file's {readers_as_of:%Y-%m-%d %H:%M:%S} (a backfill; lead_score_history keeps "
                    f"its day in the warehouse and reaches readers with the next build). Readers keep "
                    f"{serving_path}; --publish-backfill publishes it anyway."
                )
                return
        if serving_path is not None:
            check_shrink(db_path, serving_path, force=force)
            published = publish(db_path, serving_path, public_relations(results or []), storage_version=version)
            names = ", ".join(str(relation) for relation in published.relations)
            say(f"Published {len(published.relations)} tables to {serving_path} (storage {version}): {names}")
