"""A mistyped path or an empty value never destroys data, and a build says what it does in a few lines.

Through the real command (a subprocess): each mistake exits non-zero with exactly one line on stderr,
creates no file and leaves the serving file as it was; the shrink guard refuses a publish that would
leave readers far fewer leads, and --force publishes it; a build's output into a pipe is a line per
stage, without colour codes, dbt's own lines going to its log (and to the terminal with --verbose).
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from conftest import dbt_target_dir
from leadscore.build import dbt_log_file
from leadscore.errors import LeadscoreError
from leadscore.load import ensure_raw_schema
from leadscore.paths import PROJECT_DIR
from leadscore.serving import MIN_KEPT_SHARE, check_shrink
from leadscore_dev.generate import generate

AS_OF = "2024-07-01T00:00:00Z"
CONTACTS = 200
FEW_CONTACTS = 40  # below MIN_KEPT_SHARE of CONTACTS


def leadscore(
    *args: str, cwd: Path | None = None, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "leadscore.cli", *args], capture_output=True, text=True, cwd=cwd, timeout=900,
        env={**os.environ, **(env or {})},
    )


def assert_one_line_error(result: subprocess.CompletedProcess[str], *fragments: str) -> str:
    assert result.returncode != 0, result.stdout[-2000:]
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("leadscore: error: "), lines[0]
    assert "Traceback" not in result.stderr + result.stdout
    for fragment in fragments:
        assert fragment in lines[0], lines[0]
    return lines[0]


def tree(root: Path) -> set[str]:
    """Every file and directory under root (what a failed command must not add to)."""
    return {str(path.relative_to(root)) for path in root.rglob("*")}


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def readers_see(serving: Path) -> tuple[int, str]:
    con = duckdb.connect(str(serving), read_only=True)
    try:
        count, as_of = con.execute("select count(*), max(as_of) from main.lead_scores").fetchone()
    finally:
        con.close()
    return count, str(as_of)


class Built:
    """A warehouse loaded and built through the command, its serving file and the build's output."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.db = root / "warehouse.duckdb"
        self.serving = root / "serving.duckdb"
        self.log = root / "dbt_logs" / "dbt.log"  # this build's own log ($DBT_LOG_PATH), not the project's
        generate(out_dir=root / "raw", contacts=CONTACTS, days=60, seed=11, end_date="2024-06-30")
        loaded = leadscore("load", str(root / "raw"), "--db", str(self.db))
        assert loaded.returncode == 0, loaded.stderr
        self.result = leadscore(
            "build", "--db", str(self.db), "--as-of", AS_OF, "--full-refresh",
            env={"DBT_LOG_PATH": str(self.log.parent)},
        )
        assert self.result.returncode == 0, self.result.stdout[-3000:] + self.result.stderr
        # What dbt ran, by resource type, from its own artifact, read before another build replaces it.
        results = json.loads((dbt_target_dir(PROJECT_DIR) / "run_results.json").read_text())["results"]
        self.nodes: dict[str, int] = {}
        for node in results:
            kind = node["unique_id"].split(".")[0]
            self.nodes[kind] = self.nodes.get(kind, 0) + 1


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Built:
    return Built(tmp_path_factory.mktemp("safety"))


# --- a mistyped --db ------------------------------------------------------------------------------


TYPO_COMMANDS = {
    "build": ["build", "--as-of", AS_OF],
    "export": ["export", "--out", "{root}/exports"],
    "export --new-only": ["export", "--new-only", "--out", "{root}/exports"],
    "sync": ["sync", "--out", "{root}/exports"],
    "report": ["report", "--out", "{root}/reports"],
    "calibrate": ["calibrate", "--dry-run"],
    "forget": ["forget", "--email", "someone@example.com"],
}


@pytest.mark.parametrize("command", list(TYPO_COMMANDS))
@pytest.mark.parametrize("typo", ["warehuose.duckdb", "no_such_dir/warehouse.duckdb"])
def test_a_mistyped_db_fails_in_one_line_and_creates_nothing(built: Built, command: str, typo: str) -> None:
    before_tree, before_serving = tree(built.root), digest(built.serving)
    seen = readers_see(built.serving)
    argv = [part.replace("{root}", str(built.root)) for part in TYPO_COMMANDS[command]]
    wrong = built.root / typo
    result = leadscore(*argv, "--db", str(wrong), "--serving", str(built.serving))
    assert_one_line_error(result, str(wrong), "leadscore load")
    assert tree(built.root) == before_tree, "no file, directory, lock file or serving file was created"
    assert digest(built.serving) == before_serving and readers_see(built.serving) == seen


# --- empty values ---------------------------------------------------------------------------------


EMPTY_VALUES = {
    "build --db": ["build", "--db", ""],
    "build --serving": ["build", "--db", "{db}", "--serving", ""],
    "build --as-of": ["build", "--db", "{db}", "--as-of", ""],
    "build --as-of blank": ["build", "--db", "{db}", "--as-of", "  "],
    "build --vars": ["build", "--db", "{db}", "--vars", ""],
    "build --target": ["build", "--db", "{db}", "--target", ""],
    "run --as-of": ["run", "--db", "{root}/other.duckdb", "--as-of", ""],
    "run --input": ["run", "--db", "{root}/other.duckdb", "--input", ""],
    "run --out": ["run", "--db", "{root}/other.duckdb", "--out", ""],
    "load directory": ["load", "", "--db", "{root}/other.duckdb"],
    "export --out": ["export", "--db", "{db}", "--out", ""],
    "sync --out": ["sync", "--db", "{db}", "--out", ""],
    "report --out": ["report", "--db", "{db}", "--out", ""],
    "forget --email": ["forget", "--db", "{db}", "--email", ""],
    "forget --contact-id": ["forget", "--db", "{db}", "--contact-id", " "],
    "generate --out": ["generate", "--out", ""],
}


@pytest.mark.parametrize("case", list(EMPTY_VALUES))
def test_an_empty_value_fails_in_one_line_and_changes_nothing(built: Built, case: str) -> None:
    argv = [part.replace("{db}", str(built.db)).replace("{root}", str(built.root)) for part in EMPTY_VALUES[case]]
    option = case.split()[1]
    before_tree, before_serving, before_db = tree(built.root), digest(built.serving), digest(built.db)
    result = leadscore(*argv, cwd=built.root)  # an empty path must not mean the current directory either
    assert_one_line_error(result, "an empty value", *([option] if option.startswith("--") else []))
    assert tree(built.root) == before_tree
    assert digest(built.serving) == before_serving and digest(built.db) == before_db


# --- a warehouse without contacts -----------------------------------------------------------------


def _no_raw_schema(path: Path) -> None:
    con = duckdb.connect(str(path))
    con.execute("create table notes as select 'not a warehouse' as note")
    con.close()


def _empty_raw_tables(path: Path) -> None:
    con = duckdb.connect(str(path))
    ensure_raw_schema(con)
    con.close()


@pytest.mark.parametrize("make", [_no_raw_schema, _empty_raw_tables], ids=["no-raw-schema", "raw-tables-empty"])
def test_a_warehouse_without_contacts_builds_and_publishes_nothing(built: Built, make, tmp_path: Path) -> None:
    empty = tmp_path / "empty.duckdb"
    make(empty)
    before = digest(empty)
    seen, before_serving = readers_see(built.serving), digest(built.serving)
    result = leadscore("build", "--db", str(empty), "--serving", str(built.serving), "--as-of", AS_OF)
    assert_one_line_error(result, str(empty), "no contacts", "nothing built or published", "leadscore load")
    assert digest(empty) == before, "the file is left as it was (no raw schema added)"
    assert digest(built.serving) == before_serving and readers_see(built.serving) == seen
    assert "Published" not in result.stdout


# --- the shrink guard -----------------------------------------------------------------------------


def _lead_file(path: Path, leads: int) -> Path:
    con = duckdb.connect(str(path))
    con.execute(f"create table main.lead_scores as select 'c' || range as contact_id from range({leads})")
    con.close()
    return path


@pytest.mark.parametrize(
    ("current", "new", "refused"),
    [(200, 199, False), (200, 100, False), (200, 99, True), (200, 0, True), (1, 0, True), (0, 0, False)],
)
def test_the_shrink_guard_compares_shares(tmp_path: Path, current: int, new: int, refused: bool) -> None:
    """A forget of one person (199 of 200) publishes; fewer than MIN_KEPT_SHARE of the leads does not."""
    assert MIN_KEPT_SHARE == 0.5  # the share the docs state
    serving, working = _lead_file(tmp_path / "s.duckdb", current), _lead_file(tmp_path / "w.duckdb", new)
    if refused:
        expected = rf"scored {new:,} leads, .* holds {current:,}: .*nothing was published"
        with pytest.raises(LeadscoreError, match=expected):
            check_shrink(working, serving)
    else:
        check_shrink(working, serving)
    check_shrink(working, serving, force=True)
    check_shrink(working, tmp_path / "no_serving_yet.duckdb")


def test_a_publish_of_far_fewer_leads_is_refused_unless_forced(built: Built, tmp_path: Path) -> None:
    serving = tmp_path / "serving.duckdb"
    shutil.copy2(built.serving, serving)
    before, seen = digest(serving), readers_see(serving)
    assert seen[0] == CONTACTS
    generate(out_dir=tmp_path / "raw", contacts=FEW_CONTACTS, days=60, seed=12, end_date="2024-06-30")
    small = tmp_path / "small.duckdb"
    assert leadscore("load", str(tmp_path / "raw"), "--db", str(small)).returncode == 0
    later = "2024-07-02T00:00:00Z"

    refused = leadscore("build", "--db", str(small), "--serving", str(serving), "--as-of", later)
    assert_one_line_error(
        refused, f"scored {FEW_CONTACTS} leads", f"holds {CONTACTS}", "nothing was published", "--force"
    )
    assert digest(serving) == before and readers_see(serving) == seen
    assert readers_see(small) == (FEW_CONTACTS, "2024-07-02 00:00:00"), "the warehouse itself was built"

    forced = leadscore("build", "--db", str(small), "--serving", str(serving), "--as-of", later, "--force", "--verbose")
    assert forced.returncode == 0, forced.stdout[-3000:] + forced.stderr
    assert readers_see(serving) == (FEW_CONTACTS, "2024-07-02 00:00:00")
    # --verbose: dbt's own line per node, still without colour codes into a pipe
    assert "START sql table model main.lead_scores" in forced.stdout
    assert re.search(r"OK created sql table model main\.lead_scores", forced.stdout)
    assert "\x1b" not in forced.stdout + forced.stderr


# --- progress -------------------------------------------------------------------------------------


def test_a_build_into_a_pipe_is_a_line_per_stage_without_colours(built: Built) -> None:
    out = built.result.stdout
    assert "\x1b" not in out + built.result.stderr
    lines = out.splitlines()
    total = sum(built.nodes.values())
    assert total > 400 and len(lines) * 20 < total, out
    assert " START " not in out and "PASS" not in out
    expected = {
        "seeds": (built.nodes["seed"], "loaded"),
        "unit tests": (built.nodes["unit_test"], "passed"),
        "models": (built.nodes["model"], "built"),
        "data tests": (built.nodes["test"], "passed"),
    }
    for stage, (count, verb) in expected.items():
        assert re.search(rf"^  {stage}: {count:,} {verb} \(\d+\.\d s\)$", out, re.MULTILINE), (stage, out)
    assert re.search(r"^Build finished in \d+\.\d s", out, re.MULTILINE)
    assert str(built.log) in out, "the build says where dbt's full log is"


def test_the_dbt_log_holds_the_full_log(built: Built) -> None:
    assert dbt_log_file(PROJECT_DIR) == PROJECT_DIR / "logs" / "dbt.log" or os.environ.get("DBT_LOG_PATH")
    text = built.log.read_text(encoding="utf-8", errors="replace")
    assert "START sql table model main.lead_scores" in text
    assert "OK created sql table model main.lead_scores" in text
    assert len(re.findall(r" PASS ", text)) >= built.nodes["test"] + built.nodes["unit_test"]
    assert "\x1b" not in text
