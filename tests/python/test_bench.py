"""`leadscore bench` at a tiny size: the table and its JSON and Markdown copies are written, every step
has a time and a peak memory, and, above all, the hand-written reference query agrees with
main.lead_scores on every contact (and a changed score would be caught). No timed assertions."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import duckdb
import pytest

from leadscore_dev.bench import AS_OF_INCREMENTAL, ENGINE_STEPS, MEASURED_STEPS
from leadscore_dev.bench_reference import check_reference

CONTACTS = 800
DAYS = 60
STEP_KEYS = [
    "generate", "load", "full_build", "load_extra_day", "incremental_build", "lead_scores", "reference",
    "lead_scores_chain", "lead_scores_chain_incremental", "peak_memory",
]


@pytest.fixture(scope="module")
def bench(tmp_path_factory: pytest.TempPathFactory) -> tuple[subprocess.CompletedProcess[str], Path]:
    out = tmp_path_factory.mktemp("bench")
    result = subprocess.run(
        [sys.executable, "-m", "leadscore.cli", "bench", "--contacts", str(CONTACTS), "--days", str(DAYS),
         "--out", str(out), "--keep"],
        capture_output=True, text=True, timeout=900,
    )
    assert result.returncode == 0, result.stderr + result.stdout[-3000:]
    return result, out


@pytest.fixture(scope="module")
def run(bench: tuple[subprocess.CompletedProcess[str], Path]) -> dict[str, Any]:
    payload = json.loads((bench[1] / "bench.json").read_text(encoding="utf-8"))
    [only] = payload["runs"]
    return only


def test_the_table_is_printed_and_written_as_json_and_markdown(
    bench: tuple[subprocess.CompletedProcess[str], Path], run: dict[str, Any]
) -> None:
    result, out = bench
    assert [step["key"] for step in run["steps"]] == STEP_KEYS
    assert run["contacts"] == CONTACTS and run["days"] == DAYS
    assert run["events"] > 0 and run["extra_day_events"] > 0
    markdown = (out / "bench.md").read_text(encoding="utf-8")
    assert "| step | seconds | process s | peak RSS MiB | ratio | target | met? |" in markdown
    for step in run["steps"]:
        assert step["label"] in result.stdout
        assert step["label"] in markdown
    assert "peak RSS MiB" in result.stdout
    assert (out / "reference_query.sql").read_text(encoding="utf-8").count("sum(case when m") >= 10


def test_every_step_has_a_time_and_a_peak_memory(run: dict[str, Any]) -> None:
    steps = {step["key"]: step for step in run["steps"]}
    for key in ["generate", "load", "full_build", "load_extra_day", *MEASURED_STEPS]:
        assert steps[key]["seconds"] > 0, key
        assert steps[key]["process_seconds"] >= steps[key]["seconds"] > 0, key
        assert steps[key]["peak_rss_mib"] > 10, key
    assert steps["peak_memory"]["peak_rss_mib"] == max(steps[key]["peak_rss_mib"] for key in ENGINE_STEPS)
    # the ratios and verdicts are computed from the figures, whatever they are
    assert steps["incremental_build"]["ratio"] == pytest.approx(
        steps["incremental_build"]["seconds"] / steps["full_build"]["seconds"]
    )
    assert steps["lead_scores"]["ratio"] == pytest.approx(
        steps["lead_scores"]["seconds"] / steps["reference"]["seconds"]
    )
    assert steps["incremental_build"]["met"] == (steps["incremental_build"]["ratio"] <= 0.2)
    assert run["dbt"]["full_build"]["lead_scores_chain_models"] >= 10


def test_the_reference_query_agrees_with_lead_scores(run: dict[str, Any]) -> None:
    check = run["reference_check"]
    assert check["agrees"], check["mismatches"]
    assert check["contacts"] == CONTACTS
    assert check["missing_in_reference"] == 0 and check["missing_in_lead_scores"] == 0
    assert check["max_abs_difference"] < 1e-6
    assert check["label_mismatches"] == 0
    assert check["engaged_contacts"] > CONTACTS // 2


Bench = tuple[subprocess.CompletedProcess[str], Path]


@pytest.mark.shipped_defaults
def test_the_agreement_covers_every_feature_of_the_default_grid(bench: Bench) -> None:
    """The data set has what the reference must get right, or its agreement would prove less."""
    con = duckdb.connect(str(bench[1] / "work" / f"{CONTACTS}-contacts" / "bench.duckdb"), read_only=True)
    try:
        [(bots, recycles, penalties, capped, adjustments, groups)] = con.execute(
            """select
                (select count(*) from int_email_clicks_bot_flagged where is_bot_click),
                (select count(*) from int_contact_recycled_as_of),
                (select count(*) from int_engagement_penalties where purpose = 'current' and rule_id = 'inactivity'),
                (select count(*) from int_engagement_rule_totals
                    where purpose = 'current' and points <> decayed_points),
                (select count(*) from int_score_adjustments_active),
                (select count(distinct rule_id) from int_fit_rules_applied where rule_group = 'job_level')"""
        ).fetchall()
    finally:
        con.close()
    assert bots > 0 and recycles > 0 and penalties > 0 and capped > 0 and adjustments > 0 and groups > 1


def test_a_changed_score_is_a_mismatch(bench: Bench, tmp_path: Path) -> None:
    copy = tmp_path / "changed.duckdb"
    shutil.copy(bench[1] / "work" / f"{CONTACTS}-contacts" / "bench.duckdb", copy)
    con = duckdb.connect(str(copy))
    try:
        con.execute(
            "update main.lead_scores set engagement_score = engagement_score + 0.001 "
            "where contact_id = (select min(contact_id) from main.lead_scores)"
        )
    finally:
        con.close()
    check = check_reference(copy, AS_OF_INCREMENTAL)
    assert not check.agrees
    assert check.max_abs_difference == pytest.approx(0.001)
    assert [row["contact_id"] for row in check.mismatches] == [min_contact_id(copy)]


def min_contact_id(db_path: Path) -> str:
    con = duckdb.connect(str(db_path), read_only=True)
    try:
        return str(con.execute("select min(contact_id) from main.lead_scores").fetchone()[0])
    finally:
        con.close()
