"""One writer at a time per warehouse: an advisory lock file beside it.

``leadscore build``, ``load`` and ``run`` take the lock before they open the working warehouse, so a
second writer waits for the first (saying so) instead of failing inside DuckDB or dbt with "Could not
set lock on file". The lock is an ``flock`` on ``<warehouse>.lock``: the kernel releases it when its
process ends, however it ends (kill -9 included), so a crashed writer never leaves a stale lock.
"""

from __future__ import annotations

import fcntl
import os
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime, timezone
from pathlib import Path

from leadscore.errors import LeadscoreError

Progress = Callable[[str], None]

LOCK_TIMEOUT_ENV = "LEADSCORE_LOCK_TIMEOUT"
DEFAULT_LOCK_TIMEOUT_SECONDS = 600.0
_POLL_SECONDS = 0.2

# Locks this process holds, so that `leadscore run` can hold the lock around load + build while
# load and build take it again: flock would make a second descriptor of the same file wait forever.
_held: dict[Path, int] = {}


def lock_path(db_path: Path) -> Path:
    """The lock file of a warehouse: ``warehouse.duckdb`` -> ``warehouse.duckdb.lock``."""
    return db_path.with_name(db_path.name + ".lock")


def resolve_lock_timeout(seconds: float | None) -> float:
    """--lock-timeout, else $LEADSCORE_LOCK_TIMEOUT, else 600 seconds."""
    if seconds is None:
        text = os.environ.get(LOCK_TIMEOUT_ENV, "").strip()
        if not text:
            return DEFAULT_LOCK_TIMEOUT_SECONDS
        try:
            seconds = float(text)
        except ValueError:
            raise LeadscoreError(f"{LOCK_TIMEOUT_ENV}={text!r} is not a number of seconds") from None
    if seconds < 0:
        raise LeadscoreError(f"the lock timeout must be 0 seconds or more, got {seconds:g}")
    return seconds


def _try_lock(descriptor: int) -> bool:
    try:
        fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return False
    return True


def _holder(path: Path) -> str:
    """Who holds the lock, as its holder wrote it (it may not have written it yet)."""
    try:
        text = path.read_text(encoding="utf-8").strip()
    except OSError:
        text = ""
    return text or "another leadscore process"


def _describe_self(what: str) -> str:
    started = datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M:%S UTC")
    return f"`leadscore {what}` (pid {os.getpid()}, started {started})"


@contextmanager
def writer_lock(
    db_path: Path,
    what: str,
    *,
    timeout: float | None = None,
    progress: Progress | None = None,
) -> Iterator[None]:
    """Hold the warehouse's writer lock; wait up to ``timeout`` seconds for another writer first."""
    path = lock_path(db_path)
    if path in _held:
        _held[path] += 1
        try:
            yield
        finally:
            _held[path] -= 1
        return
    wait_seconds = resolve_lock_timeout(timeout)
    say = progress or (lambda message: print(message, file=sys.stderr, flush=True))
    path.parent.mkdir(parents=True, exist_ok=True)
    descriptor = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        if not _try_lock(descriptor):
            holder = _holder(path)
            say(
                f"Waiting for {holder} to finish with {db_path} "
                f"(up to {wait_seconds:g} s: --lock-timeout or ${LOCK_TIMEOUT_ENV})..."
            )
            deadline = time.monotonic() + wait_seconds
            while not _try_lock(descriptor):
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    raise LeadscoreError(
                        f"the warehouse {db_path} is busy: {_holder(path)} still holds {path.name} "
                        f"after {wait_seconds:g} s of waiting (raise --lock-timeout or ${LOCK_TIMEOUT_ENV})"
                    )
                time.sleep(min(_POLL_SECONDS, remaining))
        os.ftruncate(descriptor, 0)
        os.pwrite(descriptor, (_describe_self(what) + "\n").encode("utf-8"), 0)
        _held[path] = 1
        try:
            yield
        finally:
            del _held[path]
    finally:
        os.close(descriptor)  # closing the descriptor releases the flock
