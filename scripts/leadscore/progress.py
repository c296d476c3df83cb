"""A dbt build's progress in a few lines: one per stage (seeds, unit tests, models, data tests) with its
counts and the elapsed time, instead of dbt's START/PASS line per node.

``dbtRunner(callbacks=[BuildProgress(say)])`` receives every dbt event (whatever the log level); this
reads the structured ones: ``FoundStats`` (how many nodes of each kind the project has),
``LogStartLine`` (how many nodes this run has) and ``NodeFinished`` (each node's kind and status).
A stage's line comes as its last node finishes, or, for a partial run whose stage holds fewer nodes
than the project, when dbt is done (``finish``). dbt's own lines go to its log file always and to the
terminal with ``--verbose`` (leadscore.build.run_dbt).
"""

from __future__ import annotations

import re
import threading
import time
from collections import Counter
from collections.abc import Callable
from typing import Any

Progress = Callable[[str], None]

# (resource type in dbt's events, the name FoundStats gives it, the stage's name here, the verb of success)
STAGES = (
    ("seed", "seed", "seeds", "loaded"),
    ("unit_test", "unit test", "unit tests", "passed"),
    ("snapshot", "snapshot", "snapshots", "built"),
    ("model", "model", "models", "built"),
    ("test", "data test", "data tests", "passed"),
)
_SUCCESS = {"success", "pass"}
_OTHER_STATUSES = (("fail", "failed"), ("error", "errors"), ("warn", "warned"), ("skipped", "skipped"))
_QUARTERS = (1, 2, 3)


def project_totals(stat_line: str) -> dict[str, int]:
    """FoundStats' line ("69 models, 349 data tests, 20 seeds, ..., 81 unit tests") per resource type."""
    by_name = {name: kind for kind, name, _, _ in STAGES}
    totals: dict[str, int] = {}
    for part in stat_line.split(","):
        found = re.fullmatch(r"\s*(\d+) (.+?)s?\s*", part)
        if found and found.group(2) in by_name:
            totals[by_name[found.group(2)]] = int(found.group(1))
    return totals


class BuildProgress:
    """Turns dbt's events into short progress lines; call ``finish()`` once dbt has returned."""

    def __init__(self, say: Progress, clock: Callable[[], float] = time.monotonic) -> None:
        self._say = say
        self._clock = clock
        self._started = clock()
        self._lock = threading.Lock()  # dbt fires NodeFinished from its worker threads
        self._totals: dict[str, int] = {}
        self._statuses: dict[str, Counter[str]] = {kind: Counter() for kind, *_ in STAGES}
        self._last_finished: dict[str, float] = {}
        self._reported: set[str] = set()
        self._run_total: int | None = None
        self._finished = 0
        self._quarters_said = 0

    def __call__(self, event: Any) -> None:
        name = event.info.name
        if name == "FoundStats":
            self._totals = project_totals(event.data.stat_line)
            found = [f"{self._totals[kind]:,} {stage}" for kind, _, stage, _ in STAGES if self._totals.get(kind)]
            if found:
                self._say(f"  project read: {', '.join(found)} ({self._elapsed()})")
        elif name == "LogStartLine" and self._run_total is None:
            self._run_total = int(event.data.total) or None
        elif name == "NodeFinished":
            self._node_finished(str(event.data.node_info.resource_type), str(event.data.run_result.status))

    def _elapsed(self, moment: float | None = None) -> str:
        return f"{(moment if moment is not None else self._clock()) - self._started:.1f} s"

    def _node_finished(self, kind: str, status: str) -> None:
        with self._lock:
            self._finished += 1
            if kind in self._statuses:
                self._statuses[kind][status.lower()] += 1
                self._last_finished[kind] = self._clock()
                done = sum(self._statuses[kind].values())
                if kind not in self._reported and done == self._totals.get(kind):
                    self._report(kind)
            if self._run_total and self._quarters_said < len(_QUARTERS):
                quarter = _QUARTERS[self._quarters_said]
                if self._finished * 4 >= self._run_total * quarter and self._finished < self._run_total:
                    self._quarters_said += 1
                    self._say(f"  {self._finished:,} of {self._run_total:,} dbt nodes done ({self._elapsed()})")

    def _report(self, kind: str) -> None:
        self._reported.add(kind)
        _, _, stage, verb = next(stage for stage in STAGES if stage[0] == kind)
        statuses = self._statuses[kind]
        parts = [f"{sum(statuses[status] for status in _SUCCESS):,} {verb}"]
        parts += [f"{statuses[status]:,} {word}" for status, word in _OTHER_STATUSES if statuses[status]]
        self._say(f"  {stage}: {', '.join(parts)} ({self._elapsed(self._last_finished.get(kind))})")

    def finish(self) -> None:
        """The stages not reported yet (a partial run, or one stopped by a failure), in stage order."""
        with self._lock:
            for kind, *_ in STAGES:
                if kind not in self._reported and sum(self._statuses[kind].values()):
                    self._report(kind)

    @property
    def elapsed(self) -> str:
        return self._elapsed()
