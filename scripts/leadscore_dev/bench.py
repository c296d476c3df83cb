"""``leadscore bench``: the performance benchmark of issue 7 (SPEC section 8).

One run generates a data set of the given size (Parquet), loads it into a scratch warehouse, and
measures, each step in its own child process so that its peak memory (max RSS, from ``wait4``) is its
own:

1. a full build: ``leadscore build --full-refresh`` as of the instant just after the data;
2. an incremental build: one more day of events for the same contacts is loaded, then
   ``leadscore build`` (no ``--full-refresh``) as of the end of that day;
3. the ``lead_scores`` model alone (``dbt run --select lead_scores``, its parents already built);
4. the reference: one hand-written DuckDB query computing the same scores from the raw tables and the
   seeds (leadscore_dev.bench_reference), checked against ``main.lead_scores``: the run counts only when
   they agree within 1e-6.

It prints a table (step, seconds, peak RSS, ratio, target, met?) and writes it to ``OUT/bench.json``
and ``OUT/bench.md``. ``--scaling`` runs a quarter of the contacts first and reports the cost per
million events at both sizes. The scratch warehouse and raw files live in ``OUT/work`` and are removed
at the end unless ``--keep``.
"""

from __future__ import annotations

import contextlib
import json
import os
import platform
import re
import shutil
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import dbt.version
import duckdb
import yaml

from leadscore.build import run_dbt
from leadscore.errors import LeadscoreError
from leadscore.load import MEMORY_LIMIT as LOAD_MEMORY_LIMIT
from leadscore.paths import PROJECT_DIR
from leadscore.warehouse import connect
from leadscore_dev import SOURCES
from leadscore_dev.bench_reference import TOLERANCE, check_reference
from leadscore_dev.bench_sources import SHAPE_MEMORY_LIMIT, connector_events

Progress = Callable[[str], None]

# The data set ends on 2024-06-30; the extra day of the incremental step is the first of a month, so
# the generator writes its events to a file of their own (events_2024-07.parquet).
EXTRA_DAY = "2024-07-01"
EXTRA_EVENTS_FILE = f"events_{EXTRA_DAY[:7]}.parquet"
AS_OF_FULL = f"{EXTRA_DAY}T00:00:00Z"
AS_OF_INCREMENTAL = "2024-07-02T00:00:00Z"

# Targets of issue 7 (stated for 1,000,000 contacts / 30,000,000 events on 2 cores).
LEAD_SCORES_MAX_RATIO = 2.0  # lead_scores model time <= 2 x the reference query's
INCREMENTAL_MAX_SHARE = 0.20  # incremental build time <= 20% of the full build's
PEAK_RSS_MAX_MIB = 4096.0  # every step under 4 GiB
LINEAR_MAX_GROWTH = 1.2  # seconds per million events at N <= 1.2 x those at N/4

MARKER = ".leadscore-bench"
MEASURED_STEPS = ("full_build", "incremental_build", "lead_scores", "reference")
# The peak-memory target is the engine's: the builds and lead_scores (the reference query is a
# yardstick for speed; its own peak is on its row).
ENGINE_STEPS = ("full_build", "incremental_build", "lead_scores")
LEAD_SCORES_NODE = "model.leadscore.lead_scores"


@dataclass
class Measured:
    """One child process: wall time and peak resident memory."""

    seconds: float
    peak_rss_mib: float


@dataclass
class Step:
    key: str
    label: str
    command: str
    seconds: float
    process_seconds: float
    peak_rss_mib: float | None
    measures: str
    ratio: float | None = None
    ratio_basis: str = ""
    target: str = ""
    met: bool | None = None
    memory_limit: str = ""


@dataclass
class SizeRun:
    contacts: int
    days: int
    events: int = 0
    extra_events: int = 0
    steps: list[Step] = field(default_factory=list)
    reference: dict[str, Any] = field(default_factory=dict)
    dbt: dict[str, Any] = field(default_factory=dict)
    # 1-minute load averages at the start and the end: other work on the machine skews the timings
    load_average: list[float] = field(default_factory=list)
    # --source: where the data come in (leadscore_dev.bench_sources); the steps compared by --scaling
    source: str = "raw"
    measured_keys: tuple[str, ...] = MEASURED_STEPS
    connector_tables: dict[str, int] = field(default_factory=dict)
    built: dict[str, int] = field(default_factory=dict)

    def step(self, key: str) -> Step:
        return next(step for step in self.steps if step.key == key)


# --------------------------------------------------------------------------------------------- children


def _max_rss_mib(usage: Any) -> float:
    # ru_maxrss is in bytes on macOS, in KiB elsewhere
    return usage.ru_maxrss / (2**20 if sys.platform == "darwin" else 2**10)


def run_child(argv: list[str], log_path: Path, env: dict[str, str]) -> Measured:
    """Run one step in a child process; its own peak RSS comes from wait4 on its pid."""
    log_path.parent.mkdir(parents=True, exist_ok=True)
    start = time.perf_counter()
    with open(log_path, "w", encoding="utf-8") as log:
        process = subprocess.Popen(argv, stdout=log, stderr=subprocess.STDOUT, env=env)
        try:
            _pid, status, usage = os.wait4(process.pid, 0)
        except BaseException:
            process.kill()
            process.wait()
            raise
    seconds = time.perf_counter() - start
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode != 0:
        lines = [line for line in log_path.read_text(encoding="utf-8", errors="replace").splitlines() if line.strip()]
        last = next((line for line in reversed(lines) if "error" in line.lower()), lines[-1] if lines else "")
        raise LeadscoreError(
            f"bench step `{' '.join(argv[3:6])} ...` failed (exit {process.returncode}): {last.strip()[:300]} "
            f"(log: {log_path})"
        )
    return Measured(seconds=seconds, peak_rss_mib=_max_rss_mib(usage))


def _leadscore(*args: str) -> list[str]:
    return [sys.executable, "-m", "leadscore.cli", *args]


def _bench_child(*args: str) -> list[str]:
    return [sys.executable, "-m", "leadscore_dev.bench", *args]


def _child_main(argv: list[str]) -> int:
    """Entry point of the bench's own child steps (python -m leadscore_dev.bench MODE ...)."""
    mode, db_path, as_of, result_path = argv[0], Path(argv[1]), argv[2], Path(argv[3])
    if mode == "lead-scores":
        run_dbt(["run", "--select", "lead_scores"], db_path, dbt_vars={"as_of": as_of})
        result: dict[str, Any] = {}
    elif mode == "reference":
        sql_out = Path(argv[4]) if len(argv) > 4 else None
        result = check_reference(db_path, as_of, sql_out=sql_out).as_dict()
    else:
        raise SystemExit(f"unknown bench child mode {mode!r}")
    result_path.write_text(json.dumps(result, indent=2, default=str), encoding="utf-8")
    return 0


# --------------------------------------------------------------------------------------------- dbt timings


def _read_json(path: Path) -> dict[str, Any]:
    with open(path, encoding="utf-8") as handle:
        return json.load(handle)


def _upstream_models(manifest: dict[str, Any], node: str) -> set[str]:
    """The node and every model it depends on, transitively."""
    nodes = manifest.get("nodes", {})
    seen: set[str] = set()
    todo = [node]
    while todo:
        current = todo.pop()
        if current in seen or not current.startswith("model."):
            continue
        seen.add(current)
        todo.extend(nodes.get(current, {}).get("depends_on", {}).get("nodes", []))
    return seen


def dbt_profile(target_dir: Path) -> dict[str, Any]:
    """Where a dbt invocation spent its time, from its run_results.json and manifest.json."""
    results = _read_json(target_dir / "run_results.json")
    manifest = _read_json(target_dir / "manifest.json")
    timings = {r["unique_id"]: float(r.get("execution_time") or 0.0) for r in results.get("results", [])}
    busy: dict[str, float] = {}
    counts: dict[str, int] = {}
    for unique_id, seconds in timings.items():
        kind = unique_id.split(".", 1)[0]
        busy[kind] = busy.get(kind, 0.0) + seconds
        counts[kind] = counts.get(kind, 0) + 1
    chain = _upstream_models(manifest, LEAD_SCORES_NODE)
    top = sorted(timings.items(), key=lambda item: item[1], reverse=True)[:12]
    return {
        "elapsed_seconds": float(results.get("elapsed_time") or 0.0),
        "busy_seconds": {kind: round(value, 3) for kind, value in sorted(busy.items())},
        "node_counts": dict(sorted(counts.items())),
        "lead_scores_seconds": timings.get(LEAD_SCORES_NODE),
        "lead_scores_chain_seconds": round(sum(timings.get(node, 0.0) for node in chain), 3),
        "lead_scores_chain_models": len([node for node in chain if node in timings]),
        "lead_scores_chain_nodes": [
            {"node": node, "seconds": round(timings[node], 3)}
            for node in sorted(chain & timings.keys(), key=lambda node: timings[node], reverse=True)
        ],
        "top_nodes": [{"node": node, "seconds": round(seconds, 3)} for node, seconds in top],
    }


# --------------------------------------------------------------------------------------------- one size


def _profile_memory_limit() -> str:
    """DuckDB's memory_limit in a dbt build: the profile's setting, else DuckDB's default."""
    try:
        with open(PROJECT_DIR / "profiles.yml", encoding="utf-8") as handle:
            profile = yaml.safe_load(handle)
        settings = profile["leadscore"]["outputs"]["duckdb"].get("settings") or {}
        if settings.get("memory_limit"):
            return _rendered_env_var(str(settings["memory_limit"]))
    except (OSError, KeyError, TypeError, yaml.YAMLError):
        pass
    con = connect()
    try:
        default = con.execute("select current_setting('memory_limit')").fetchone()[0]
    finally:
        con.close()
    return f"{default} (DuckDB default)"


def _rendered_env_var(setting: str) -> str:
    """A profile value ``{{ env_var('NAME', 'default') }}`` as dbt renders it here; others as they are."""
    match = re.fullmatch(r"\{\{\s*env_var\('(\w+)',\s*'([^']*)'\)\s*\}\}", setting.strip())
    return (os.environ.get(match.group(1)) or match.group(2)) if match else setting


def _count_events(db_path: Path) -> int:
    con = connect(db_path, read_only=True)
    try:
        return int(con.execute("select count(*) from raw.events").fetchone()[0])
    finally:
        con.close()


def _prepare_work_dir(work: Path) -> None:
    if work.exists():
        if not (work / MARKER).exists():
            raise LeadscoreError(f"{work} exists and is not a bench work directory: remove it or choose another --out")
        shutil.rmtree(work)
    work.mkdir(parents=True)
    (work / MARKER).write_text("scratch directory of `leadscore bench`; removed by the next run\n", encoding="utf-8")


def _run_size(contacts: int, days: int, seed: int, work: Path, say: Progress, sql_out: Path | None) -> SizeRun:
    _prepare_work_dir(work)
    raw, extra, logs = work / "raw", work / "extra", work / "logs"
    db_path = work / "bench.duckdb"
    target_dir = work / "dbt" / "target"
    env = dict(os.environ)
    env.update(DBT_TARGET_PATH=str(target_dir), DBT_LOG_PATH=str(work / "dbt" / "logs"))
    for name in ("LEADSCORE_DB", "LEADSCORE_SERVING"):  # the bench never touches the user's files
        env.pop(name, None)
    run = SizeRun(contacts=contacts, days=days)
    dbt_memory_limit = _profile_memory_limit()
    total = 7

    def measure(index: int, key: str, label: str, argv: list[str], measures: str, memory_limit: str = "") -> Step:
        say(f"[{index}/{total}] {label}...")
        measured = run_child(argv, logs / f"{index}-{key}.log", env)
        shown = ["leadscore", *argv[3:]] if argv[2] == "leadscore.cli" else ["python", *argv[1:]]
        step = Step(key=key, label=label, command=" ".join(shown),
                    seconds=measured.seconds, process_seconds=measured.seconds,
                    peak_rss_mib=measured.peak_rss_mib, measures=measures, memory_limit=memory_limit)
        run.steps.append(step)
        say(f"      {measured.seconds:,.1f} s, peak RSS {measured.peak_rss_mib:,.0f} MiB")
        return step

    def keep_dbt_profile(key: str) -> None:
        run.dbt[key] = dbt_profile(target_dir)

    measure(1, "generate", f"generate {contacts:,} contacts, {days} days + 1 (Parquet)",
            _leadscore("generate", "--out", str(raw), "--contacts", str(contacts), "--days", str(days + 1),
                       "--end-date", EXTRA_DAY, "--seed", str(seed), "--format", "parquet"),
            "process wall time")
    extra.mkdir()
    shutil.move(str(raw / EXTRA_EVENTS_FILE), str(extra / EXTRA_EVENTS_FILE))

    measure(2, "load", "load the raw files", _leadscore("load", str(raw), "--db", str(db_path)),
            "process wall time", LOAD_MEMORY_LIMIT)
    run.events = _count_events(db_path)

    full = measure(3, "full_build", "full build (leadscore build --full-refresh)",
                   _leadscore("build", "--full-refresh", "--db", str(db_path), "--as-of", AS_OF_FULL),
                   "process wall time: dbt parse, seeds, models, tests, publish", dbt_memory_limit)
    keep_dbt_profile("full_build")

    measure(4, "load_extra_day", f"load one more day of events ({EXTRA_DAY})",
            _leadscore("load", str(extra), "--db", str(db_path)), "process wall time", LOAD_MEMORY_LIMIT)
    run.extra_events = _count_events(db_path) - run.events

    incremental = measure(5, "incremental_build", "incremental build after one more day (leadscore build)",
                          _leadscore("build", "--db", str(db_path), "--as-of", AS_OF_INCREMENTAL),
                          "process wall time: dbt parse, seeds, models, tests, publish", dbt_memory_limit)
    keep_dbt_profile("incremental_build")
    incremental.ratio = incremental.seconds / full.seconds
    incremental.ratio_basis = "of the full build"
    incremental.target = f"<= {INCREMENTAL_MAX_SHARE:.2f} x full build"
    incremental.met = incremental.ratio <= INCREMENTAL_MAX_SHARE

    lead_scores_result = work / "lead_scores.json"
    lead_scores = measure(6, "lead_scores", "lead_scores model alone (dbt run --select lead_scores)",
                          _bench_child("lead-scores", str(db_path), AS_OF_INCREMENTAL, str(lead_scores_result)),
                          "dbt execution time of the model", dbt_memory_limit)
    keep_dbt_profile("lead_scores")
    lead_scores.seconds = float(run.dbt["lead_scores"]["lead_scores_seconds"] or lead_scores.process_seconds)

    reference_result = work / "reference.json"
    reference_args = [str(db_path), AS_OF_INCREMENTAL, str(reference_result)]
    if sql_out is not None:
        reference_args.append(str(sql_out))
    reference = measure(7, "reference", "reference query (hand-written DuckDB SQL)",
                        _bench_child("reference", *reference_args), "query execution time")
    run.reference = _read_json(reference_result)
    reference.seconds = float(run.reference["seconds"])
    reference.memory_limit = str(run.reference["memory_limit"])
    reference.ratio, reference.ratio_basis = 1.0, "reference"
    reference.target = f"agrees with lead_scores (max abs diff < {TOLERANCE:g})"
    reference.met = bool(run.reference["agrees"])

    lead_scores.ratio = lead_scores.seconds / reference.seconds if reference.seconds > 0 else None
    lead_scores.ratio_basis = "of the reference"
    lead_scores.target = f"<= {LEAD_SCORES_MAX_RATIO:g} x reference"
    lead_scores.met = lead_scores.ratio is not None and lead_scores.ratio <= LEAD_SCORES_MAX_RATIO

    full.ratio, full.ratio_basis = 1.0, "full build"
    full_chain = run.dbt["full_build"]["lead_scores_chain_seconds"]
    run.steps.append(Step(
        key="lead_scores_chain", label="lead_scores and its upstream models, in the full build",
        command="(from the full build's run_results.json)", seconds=full_chain, process_seconds=0.0,
        peak_rss_mib=None, measures=f"summed dbt execution time of {run.dbt['full_build']['lead_scores_chain_models']} "
        f"models ({_dbt_threads()} dbt thread(s))",
        ratio=full_chain / reference.seconds if reference.seconds > 0 else None, ratio_basis="of the reference",
        target="(for information)",
    ))
    incremental_chain = run.dbt["incremental_build"]["lead_scores_chain_seconds"]
    run.steps.append(Step(
        key="lead_scores_chain_incremental",
        label="lead_scores and its upstream models, in the incremental build",
        command="(from the incremental build's run_results.json)", seconds=incremental_chain,
        process_seconds=0.0, peak_rss_mib=None,
        measures=f"summed dbt execution time of {run.dbt['incremental_build']['lead_scores_chain_models']} "
        f"models ({_dbt_threads()} dbt thread(s))",
        ratio=incremental_chain / full_chain if full_chain > 0 else None,
        ratio_basis="of the same models in the full build", target="(for information)",
    ))
    peak = max(run.step(key).peak_rss_mib or 0.0 for key in ENGINE_STEPS)
    run.steps.append(Step(
        key="peak_memory", label="peak memory of the engine, largest step", command="", seconds=0.0,
        process_seconds=0.0, peak_rss_mib=peak,
        measures="max RSS of the builds and lead_scores (the reference's is on its row)",
        target=f"< {PEAK_RSS_MAX_MIB:,.0f} MiB",
        met=peak < PEAK_RSS_MAX_MIB,
    ))
    return run


# --------------------------------------------------------------------------------------------- reporting


def _fmt_seconds(step: Step) -> str:
    return "" if step.key == "peak_memory" else f"{step.seconds:,.2f}"


def _fmt_ratio(step: Step) -> str:
    if step.ratio is None:
        return ""
    if step.ratio_basis == "events/s":
        return f"{step.ratio:,.0f} events/s"
    return f"{step.ratio:.2f}" + (f" {step.ratio_basis}" if step.ratio_basis else "")


def _fmt_met(step: Step) -> str:
    return "" if step.met is None else ("yes" if step.met else "NO")


def table_rows(run: SizeRun) -> list[list[str]]:
    return [
        [
            step.label,
            _fmt_seconds(step),
            f"{step.process_seconds:,.1f}" if step.process_seconds else "",
            f"{step.peak_rss_mib:,.0f}" if step.peak_rss_mib is not None else "",
            _fmt_ratio(step),
            step.target,
            _fmt_met(step),
        ]
        for step in run.steps
    ]


HEADERS = ["step", "seconds", "process s", "peak RSS MiB", "ratio", "target", "met?"]
SCALING_NUMBERS = {1, 2, 3, 4}


def format_text_table(rows: list[list[str]], headers: list[str] = HEADERS, right: set[int] | None = None) -> str:
    widths = [max(len(str(cell)) for cell in column) for column in zip(headers, *rows, strict=True)]
    right = right if right is not None else {1, 2, 3}

    def line(cells: list[str]) -> str:
        padded = (cell.rjust(w) if i in right else cell.ljust(w)
                  for i, (cell, w) in enumerate(zip(cells, widths, strict=True)))
        return "  ".join(padded).rstrip()

    return "\n".join([line(headers), line(["-" * w for w in widths]), *(line(row) for row in rows)])


def format_markdown_table(rows: list[list[str]], headers: list[str] = HEADERS, right: set[int] | None = None) -> str:
    right = right if right is not None else {1, 2, 3}
    aligns = ["---:" if i in right else "---" for i in range(len(headers))]
    lines = ["| " + " | ".join(headers) + " |", "|" + "|".join(aligns) + "|"]
    lines += ["| " + " | ".join(cell.replace("|", "\\|") for cell in row) + " |" for row in rows]
    return "\n".join(lines)


def _per_million(run: SizeRun, key: str) -> float:
    return run.step(key).seconds / (run.events / 1e6) if run.events else float("nan")




def scaling_rows(small: SizeRun, large: SizeRun) -> list[list[str]]:
    rows = []
    extra_millions = (large.events - small.events) / 1e6
    for key in large.measured_keys:
        a, b = _per_million(small, key), _per_million(large, key)
        growth = b / a if a else float("nan")
        marginal = (large.step(key).seconds - small.step(key).seconds) / extra_millions if extra_millions else 0.0
        rows.append([
            large.step(key).label, f"{a:,.2f}", f"{b:,.2f}", f"{marginal:,.2f}", f"{growth:.2f}",
            f"<= {LINEAR_MAX_GROWTH:g} (at most linear)", "yes" if growth <= LINEAR_MAX_GROWTH else "NO",
        ])
    return rows


def scaling_headers(small: SizeRun, large: SizeRun) -> list[str]:
    return [
        "step (seconds per million events)",
        f"{small.contacts:,} contacts ({small.events:,} events)",
        f"{large.contacts:,} contacts ({large.events:,} events)",
        "marginal, between the two",
        "growth", "target", "met?",
    ]


def _load_average() -> float:
    return round(os.getloadavg()[0], 2) if hasattr(os, "getloadavg") else float("nan")


def _machine() -> dict[str, Any]:
    memory_gib = None
    with contextlib.suppress(ValueError, OSError, AttributeError):
        memory_gib = round(os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30, 1)
    return {
        "cpus": os.cpu_count(),
        "memory_gib": memory_gib,
        "platform": platform.platform(),
        "python": platform.python_version(),
        "duckdb": duckdb.__version__,
        "dbt_core": dbt.version.__version__,
        "load_average": list(os.getloadavg()) if hasattr(os, "getloadavg") else None,
        "dbt_threads": _dbt_threads(),
        "duckdb_memory_limit": _profile_memory_limit(),
    }


def _dbt_threads() -> int:
    """dbt's threads in a build: $LEADSCORE_DBT_THREADS, else the profile's 2."""
    return int(os.environ.get("LEADSCORE_DBT_THREADS") or 2)


NOTES = [
    "seconds: process wall time for generate, load and the builds (a build includes dbt's start-up and parse, "
    "seeds, every model and data test, the unit tests unless they passed on the same code (the incremental build), "
    "and the publish to the serving file); dbt's own execution time of "
    "the model for lead_scores alone; the query's execution time for the reference. `process s` is the wall "
    "time of the step's child process.",
    "peak RSS: max resident memory of the step's child process (wait4), DuckDB included.",
    "Incremental target: the issue's 'within 20% of the full build' is read as incremental time <= 0.20 x "
    "full-build time.",
    "The reference query (leadscore_dev/bench_reference.py) computes fit, decayed engagement with per-rule "
    "half-lives and caps, the inactivity penalty, scanner-click filtering, recycle reset, adjustments, grades, "
    "tier and is_mql from the raw tables and seeds, the grid compiled into the SQL; the run counts only when it "
    f"agrees with main.lead_scores within {TOLERANCE:g} on every contact.",
    "lead_scores alone reads its already-built parents; 'lead_scores and its upstream models' sums what the "
    "full build spent on the whole chain from the raw tables, the like-for-like comparison with the reference.",
]


def _build_summary(run: SizeRun, key: str) -> str:
    profile = run.dbt.get(key, {})
    busy = ", ".join(f"{kind} {seconds:,.1f}" for kind, seconds in profile.get("busy_seconds", {}).items())
    slowest = ", ".join(f"{item['node'].split('.')[-1]} {item['seconds']:,.1f} s"
                        for item in profile.get("top_nodes", [])[:6])
    return (
        f"{run.step(key).label}: {run.step(key).process_seconds:,.1f} s in all, of which dbt's run "
        f"{profile.get('elapsed_seconds', 0):,.1f} s (the rest: start-up, parse, publish); busy seconds by node "
        f"type ({_dbt_threads()} dbt thread(s)): {busy}. Slowest nodes: {slowest}."
    )


def _size_markdown(run: SizeRun) -> list[str]:
    if run.source != "raw":
        return size_markdown(run)
    ref = run.reference
    return [
        f"### {run.contacts:,} contacts, {run.days} days: {run.events:,} events "
        f"(+{run.extra_events:,} on the extra day)",
        "",
        format_markdown_table(table_rows(run)),
        "",
        "Machine load (1-minute load average) at the start and the end: "
        + " and ".join(f"{value:.2f}" for value in run.load_average) + f" on {os.cpu_count()} CPUs.",
        "",
        f"Reference check: {ref.get('contacts', 0):,} contacts compared, "
        f"max abs difference {ref.get('max_abs_difference', float('nan')):.3g}, "
        f"{ref.get('label_mismatches', 0)} grade/tier/MQL mismatches: "
        + ("**agrees**." if ref.get("agrees") else "**DISAGREES: the run does not count**."),
        "",
        _build_summary(run, "full_build"),
        "",
        _build_summary(run, "incremental_build"),
    ]


def write_reports(out_dir: Path, runs: list[SizeRun], command: str, machine: dict[str, Any]) -> tuple[Path, Path]:
    out_dir.mkdir(parents=True, exist_ok=True)
    now = datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    payload: dict[str, Any] = {
        "command": command,
        "measured_at": now,
        "machine": machine,
        "as_of_full_build": AS_OF_FULL,
        "as_of_incremental_build": AS_OF_INCREMENTAL,
        "targets": {
            "lead_scores_max_ratio_to_reference": LEAD_SCORES_MAX_RATIO,
            "incremental_max_share_of_full_build": INCREMENTAL_MAX_SHARE,
            "peak_rss_max_mib": PEAK_RSS_MAX_MIB,
            "linear_max_growth_per_event": LINEAR_MAX_GROWTH,
        },
        "notes": NOTES,
        "runs": [
            {
                "source": run.source,
                "contacts": run.contacts,
                "days": run.days,
                "events": run.events,
                "extra_day_events": run.extra_events,
                "load_average_start_end": run.load_average,
                "steps": [vars(step) for step in run.steps],
                "reference_check": run.reference,
                "dbt": run.dbt,
                **({"connector_tables": run.connector_tables, "built": run.built} if run.source != "raw" else {}),
            }
            for run in runs
        ],
    }
    markdown = [
        "# leadscore bench",
        "",
        f"`{command}`, {now}, on {machine['cpus']} CPUs / {machine['memory_gib']} GiB "
        f"(DuckDB {machine['duckdb']}, dbt-core {machine['dbt_core']}; builds with {machine['dbt_threads']} dbt "
        f"thread(s) and DuckDB memory_limit {machine['duckdb_memory_limit']}).",
        "",
    ]
    for run in runs:
        markdown += [*_size_markdown(run), ""]
    if len(runs) == 2:
        small, large = runs
        rows = scaling_rows(small, large)
        payload["scaling"] = [dict(zip(scaling_headers(small, large), row, strict=True)) for row in rows]
        markdown += ["### Scaling", "", format_markdown_table(rows, scaling_headers(small, large), SCALING_NUMBERS), ""]
    markdown += ["Notes:", "", *(f"- {note}" for note in NOTES), ""]
    json_path, md_path = out_dir / "bench.json", out_dir / "bench.md"
    json_path.write_text(json.dumps(payload, indent=2, default=str) + "\n", encoding="utf-8")
    md_path.write_text("\n".join(markdown), encoding="utf-8")
    return json_path, md_path


# --------------------------------------------------------------------------------------------- through adapters


def _stitching_node(node: dict[str, Any]) -> bool:
    """A model of the identity layer: the adapters' identity edges and the stitching models."""
    text = f"{node.get('original_file_path', '')} {node.get('name', '')}".lower()
    return node.get("resource_type") == "model" and ("identit" in text or "stitch" in text)


def _summed_models(target_dir: Path, chosen: Callable[[dict[str, Any]], bool]) -> tuple[float, list[dict[str, Any]]]:
    """Summed dbt execution time of the chosen models in the last invocation (run_results.json)."""
    nodes = _read_json(target_dir / "manifest.json").get("nodes", {})
    results = _read_json(target_dir / "run_results.json").get("results", [])
    picked = [
        {"node": r["unique_id"], "seconds": round(float(r.get("execution_time") or 0.0), 3)}
        for r in results if chosen(nodes.get(r["unique_id"], {}))
    ]
    picked.sort(key=lambda item: item["seconds"], reverse=True)
    return round(sum(item["seconds"] for item in picked), 3), picked


def _attached_events(db_path: Path) -> dict[str, int]:
    """What the build made of the connector tables: rows of lead_scores, of int_events (the events
    attached to a contact) and of the identity layer's tables."""
    con = connect(db_path, read_only=True)
    try:
        found = dict(con.execute(
            "select table_name, table_schema from information_schema.tables "
            "where (table_name in ('lead_scores', 'int_events') or table_name like '%identit%') "
            "and table_schema not in ('hubspot', 'segment', 'raw')"
        ).fetchall())
        return {name: int(con.execute(f'select count(*) from "{schema}"."{name}"').fetchone()[0])
                for name, schema in sorted(found.items())}
    finally:
        con.close()


def _identity_report(db_path: Path) -> dict[str, Any]:
    """The identity layer's own report (iterations to the fixed point, resolved and unresolved profiles,
    conflicts), when the build made one: its single row, column by column."""
    con = connect(db_path, read_only=True)
    try:
        found = con.execute("select table_schema from information_schema.tables "
                            "where table_name = 'identity_report' order by table_schema = 'main' desc").fetchone()
        if not found:
            return {}
        cursor = con.execute(f'select * from "{found[0]}".identity_report limit 1')
        row = cursor.fetchone()
        return dict(zip([d[0] for d in cursor.description], row, strict=True)) if row else {}
    finally:
        con.close()


def size_markdown(run: Any) -> list[str]:
    """The Markdown section of one size of an adapter run (md)."""
    tables = ", ".join(f"{name} {rows:,}" for name, rows in run.connector_tables.items())
    built = run.built
    attached = built.get("int_events")
    return [
        f"### {run.contacts:,} contacts, {run.days} days, from {run.source}: {run.events:,} events",
        "",
        format_markdown_table(table_rows(run)),
        "",
        "Machine load (1-minute load average) at the start and the end: "
        + " and ".join(f"{value:.2f}" for value in run.load_average) + f" on {os.cpu_count()} CPUs.",
        "",
        f"Connector tables written: {tables}.",
        "",
        f"Built: {built.get('lead_scores', 0):,} rows in lead_scores"
        + (f"; {attached:,} of the {run.events:,} connector events attached to a contact "
           f"({attached / run.events:.1%})" if attached is not None and run.events else "") + ".",
        "",
        "Rows of the identity layer's tables: " + (", ".join(
            f"{name} {rows:,}" for name, rows in built.items() if name not in ("lead_scores", "int_events"))
            or "none found") + ".",
        "",
        "Identity report of the build: " + (", ".join(
            f"{name} {value:,.2f}" if isinstance(value, float)
            else f"{name} {value:,}" if isinstance(value, int) and not isinstance(value, bool) else f"{name} {value}"
            for name, value in run.dbt.get("identity_report", {}).items()) or "none") + ".",
        "",
        "events/s: the connector events (email_event + pages + tracks) over the step's seconds.",
        "",
        _build_summary(run, "full_build"),
        "",
        "Stitching models: " + (", ".join(f"{item['node'].split('.')[-1]} {item['seconds']:,.1f} s"
                                          for item in run.dbt["full_build"]["stitching_nodes"]) or "none found") + ".",
    ]


def run_size_through_adapters(source: str, contacts: int, days: int, seed: int, work: Path,
                              say: Callable[[str], None]) -> Any:
    """One size of ``leadscore bench --source SOURCE``: generate, load, shape the connector tables, one
    full build reading them; the returned SizeRun's table has the stitching models' own time."""
    _prepare_work_dir(work)
    raw, logs, db_path = work / "raw", work / "logs", work / "duckdb"
    target_dir = work / "dbt" / "target"
    env = dict(os.environ)
    env.update(DBT_TARGET_PATH=str(target_dir), DBT_LOG_PATH=str(work / "dbt" / "logs"))
    for name in ("LEADSCORE_DB", "LEADSCORE_SERVING"):
        env.pop(name, None)
    run = SizeRun(contacts=contacts, days=days, source=source,
                        measured_keys=("shape", "full_build"))
    systems = SOURCES[source]
    shown_systems = " + ".join(systems)
    dbt_memory_limit = _profile_memory_limit()
    total = 4

    def measure(index: int, key: str, label: str, argv: list[str], measures: str, memory_limit: str = "") -> Any:
        say(f"[{index}/{total}] {label}...")
        measured = run_child(argv, logs / f"{index}-{key}.log", env)
        shown = ["leadscore", *argv[3:]] if argv[2] == "leadscore.cli" else ["python", *argv[1:]]
        step = Step(key=key, label=label, command=" ".join(shown), seconds=measured.seconds,
                          process_seconds=measured.seconds, peak_rss_mib=measured.peak_rss_mib,
                          measures=measures, memory_limit=memory_limit)
        run.steps.append(step)
        say(f"      {measured.seconds:,.1f} s, peak RSS {measured.peak_rss_mib:,.0f} MiB")
        return step

    # the same data set as the raw bench (its extra day is not used here)
    measure(1, "generate", f"generate {contacts:,} contacts, {days} days + 1 (Parquet)",
            _leadscore("generate", "--out", str(raw), "--contacts", str(contacts), "--days", str(days + 1),
                             "--end-date", EXTRA_DAY, "--seed", str(seed), "--format", "parquet"),
            "process wall time")
    (raw / EXTRA_EVENTS_FILE).unlink()
    measure(2, "load", "load the raw files (the input of the shaping)",
            _leadscore("load", str(raw), "--db", str(db_path)), "process wall time", LOAD_MEMORY_LIMIT)
    counts_path = work / "connector_tables.json"
    shape = measure(3, "shape", f"write them as {shown_systems} connector tables (DuckDB SQL)",
                    [sys.executable, "-m", "leadscore_dev.bench_sources", str(db_path), AS_OF_FULL,
                     str(counts_path)], "process wall time", SHAPE_MEMORY_LIMIT)
    counts = _read_json(counts_path)
    run.connector_tables = counts
    run.events = connector_events(counts)
    shape.ratio, shape.ratio_basis = run.events / shape.seconds, "events/s"
    build_vars = "{source_systems: [" + ", ".join(systems) + "]}"
    full = measure(4, "full_build", f"full build from the {shown_systems} tables (leadscore build --full-refresh)",
                   _leadscore("build", "--full-refresh", "--db", str(db_path), "--as-of", AS_OF_FULL,
                                    "--vars", build_vars),
                   "process wall time: dbt parse, seeds, models, tests, publish", dbt_memory_limit)
    run.dbt["full_build"] = dbt_profile(target_dir)
    full.ratio, full.ratio_basis = run.events / full.seconds, "events/s"
    stitching_seconds, stitching_nodes = _summed_models(target_dir, _stitching_node)
    staging_seconds, staging_nodes = _summed_models(
        target_dir, lambda node: node.get("resource_type") == "model" and any(
            f"models/staging/{system}/" in node.get("original_file_path", "") for system in systems))
    run.dbt["full_build"]["stitching_nodes"] = stitching_nodes
    run.dbt["full_build"]["adapter_staging_nodes"] = staging_nodes
    run.steps.append(Step(
        key="adapter_staging", label=f"{shown_systems} staging models, in the full build",
        command="(from the full build's run_results.json)", seconds=staging_seconds, process_seconds=0.0,
        peak_rss_mib=None, measures=f"summed dbt execution time of {len(staging_nodes)} models (a view's reading "
        "cost lands in the models that read it)",
        ratio=staging_seconds / full.seconds, ratio_basis="of the full build", target="(for information)",
    ))
    run.steps.append(Step(
        key="stitching", label="identity stitching models, in the full build",
        command="(from the full build's run_results.json)", seconds=stitching_seconds, process_seconds=0.0,
        peak_rss_mib=None, measures=f"summed dbt execution time of {len(stitching_nodes)} models",
        ratio=stitching_seconds / full.seconds, ratio_basis="of the full build", target="(for information)",
    ))
    run.steps.append(Step(
        key="peak_memory", label="peak memory of the engine, largest step", command="", seconds=0.0,
        process_seconds=0.0, peak_rss_mib=full.peak_rss_mib, measures="max RSS of the full build",
        target=f"< {PEAK_RSS_MAX_MIB:,.0f} MiB", met=(full.peak_rss_mib or 0.0) < PEAK_RSS_MAX_MIB,
    ))
    run.built = _attached_events(db_path)
    run.dbt["identity_report"] = _identity_report(db_path)
    return run


# --------------------------------------------------------------------------------------------- command


def run_bench(
    *,
    contacts: int,
    days: int,
    out_dir: Path,
    keep: bool = False,
    scaling: bool = False,
    seed: int = 42,
    source: str = "raw",
    progress: Progress | None = None,
) -> list[SizeRun]:
    """The whole benchmark; raises LeadscoreError (after writing the reports) when the reference
    query disagrees with lead_scores."""
    say = progress or (lambda _message: None)
    if not hasattr(os, "wait4"):
        raise LeadscoreError("leadscore bench needs a Unix system: it reads each step's peak memory with wait4")
    if contacts < 1 or days < 1:
        raise LeadscoreError("--contacts and --days must be at least 1")
    if scaling and contacts < 4:
        raise LeadscoreError("--scaling needs at least 4 contacts (it also runs a quarter of them)")
    out_dir = out_dir.resolve()
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise LeadscoreError(f"cannot write to {out_dir}: {error.strerror or error}") from None
    if source not in SOURCES:
        raise LeadscoreError(f"--source must be one of {', '.join(SOURCES)}, got {source!r}")
    sizes = [contacts // 4, contacts] if scaling else [contacts]
    command = f"leadscore bench --contacts {contacts} --days {days}" + (" --scaling" if scaling else "") + (
        f" --source {source}" if source != "raw" else "")
    machine = _machine()
    runs = []
    for size in sizes:
        work = out_dir / "work" / f"{size}-contacts"
        extra = " (+1 day for the incremental build)" if source == "raw" else ""
        say(f"Benchmark: {size:,} contacts, {days} days{extra}, from {source}, in {work}")
        load_at_start = _load_average()
        try:
            if source == "raw":
                run = _run_size(size, days, seed, work, say, sql_out=out_dir / "reference_query.sql")
            else:
                run = run_size_through_adapters(source, size, days, seed, work, say)
        finally:
            if not keep and work.exists():
                shutil.rmtree(work, ignore_errors=True)
        run.load_average = [load_at_start, _load_average()]
        runs.append(run)
        say("")
        say(f"{size:,} contacts, {days} days, from {source}: {run.events:,} events"
            + (f" (+{run.extra_events:,} on the extra day)" if source == "raw" else ""))
        say(format_text_table(table_rows(run)))
        say("")
    if not keep:
        shutil.rmtree(out_dir / "work", ignore_errors=True)
    if len(runs) == 2:
        say(format_text_table(scaling_rows(*runs), scaling_headers(*runs), SCALING_NUMBERS))
        say("")
    json_path, md_path = write_reports(out_dir, runs, command, machine)
    say(f"Wrote {json_path} and {md_path}" + (f"; scratch files kept in {out_dir / 'work'}" if keep else ""))
    for run in runs:
        ref = run.reference
        if run.source == "raw" and not ref.get("agrees"):
            for row in ref.get("mismatches", []):
                say(f"  mismatch: {row}")
            raise LeadscoreError(
                f"the reference query disagrees with main.lead_scores at {run.contacts:,} contacts "
                f"(max abs difference {ref.get('max_abs_difference')}, {ref.get('label_mismatches')} label "
                f"mismatches, {ref.get('missing_in_reference')} + {ref.get('missing_in_lead_scores')} missing "
                "contacts): the benchmark does not count"
            )
    return runs


if __name__ == "__main__":
    sys.exit(_child_main(sys.argv[1:]))
