"""The leadscore command end to end: build, export, run, and one clear line for each user mistake."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from leadscore.build import build
from leadscore.errors import LeadscoreError
from leadscore.load import load_directory
from leadscore_dev.generate import generate
from worked_examples import copy_project, warehouse_with_contacts

AS_OF = "2024-07-01T00:00:00Z"


def leadscore(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "leadscore.cli", *args], capture_output=True, text=True, cwd=cwd, timeout=600
    )


def assert_one_line_error(result: subprocess.CompletedProcess[str], *fragments: str) -> None:
    assert result.returncode != 0
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("leadscore: error: ")
    assert "Traceback" not in result.stderr + result.stdout
    for fragment in fragments:
        assert fragment in lines[0]


@pytest.fixture(scope="module")
def warehouse(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A warehouse built from generated demo data, shared by the export tests."""
    root = tmp_path_factory.mktemp("cli")
    generate(out_dir=root / "raw", contacts=400, days=60, seed=7, end_date="2024-06-30")
    db_path = root / "warehouse.duckdb"
    load_directory(db_path, root / "raw")
    build(db_path, as_of=AS_OF)
    return db_path


def query(db_path: Path, sql: str) -> list[tuple[object, ...]]:
    con = duckdb.connect(str(db_path), read_only=True)
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


@pytest.mark.parametrize("file_format", ["csv", "parquet", "jsonl"])
def test_export_writes_every_mql_best_first(warehouse: Path, tmp_path: Path, file_format: str) -> None:
    result = leadscore("export", "--db", str(warehouse), "--out", str(tmp_path), "--format", file_format)
    assert result.returncode == 0, result.stderr
    path = tmp_path / f"mql_leads.{file_format}"
    reader = {"csv": "read_csv", "parquet": "read_parquet", "jsonl": "read_json"}[file_format]
    exported = query(warehouse, f"select contact_id, lead_score, score_reasons from {reader}('{path}')")
    expected = query(
        warehouse, "select contact_id, lead_score from main.lead_scores where is_mql order by lead_score desc"
    )
    assert len(expected) > 0
    assert [row[0] for row in exported] == [row[0] for row in expected]
    assert [row[1] for row in exported] == pytest.approx([row[1] for row in expected])
    assert all(row[2] for row in exported), "every exported MQL carries its reasons"
    assert f"Wrote {len(expected):,} MQLs" in result.stdout


def test_every_contact_is_scored_and_explained(warehouse: Path) -> None:
    [(contacts,)] = query(warehouse, "select count(*) from raw.contacts")
    [(scored, as_of)] = query(warehouse, "select count(*), max(as_of) from main.lead_scores")
    assert scored == contacts
    assert str(as_of) == "2024-07-01 00:00:00"
    unexplained = query(
        warehouse,
        """
        select s.contact_id from main.lead_scores as s
        left join (select contact_id, sum(points) as points from main.lead_score_breakdown group by 1) as b
            using (contact_id)
        where abs(s.lead_score_unclamped - coalesce(b.points, 0)) > 1e-6
        """,
    )
    assert unexplained == []


@pytest.mark.shipped_defaults
def test_generated_scores_predict_conversion(warehouse: Path) -> None:
    """The hidden propensity drives both events and opportunities: MQLs convert more often."""
    [(mql_rate, other_rate)] = query(
        warehouse,
        """
        select
            avg(case when s.is_mql then has_opportunity end),
            avg(case when not s.is_mql then has_opportunity end)
        from (
            select lead_scores.is_mql, cast(converted.contact_id is not null as integer) as has_opportunity
            from main.lead_scores
            left join (select distinct contact_id from raw.opportunities) as converted
                on lead_scores.contact_id = converted.contact_id
        ) as s
        """,
    )
    assert mql_rate > 2 * other_rate


def test_run_main_job_from_a_directory(tmp_path: Path) -> None:
    generate(out_dir=tmp_path / "raw", contacts=200, days=30, seed=3, end_date="2024-06-30")
    db_path = tmp_path / "wh.duckdb"
    result = leadscore(
        "run", "--input", str(tmp_path / "raw"), "--db", str(db_path), "--out", str(tmp_path / "out"),
        "--format", "jsonl", "--as-of", AS_OF,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    assert "Scored 200 contacts as of 2024-07-01 00:00:00" in result.stdout
    assert "Top " in result.stdout
    lines = (tmp_path / "out" / "mql_leads.jsonl").read_text().splitlines()
    assert lines and all(json.loads(line)["contact_id"] for line in lines)


def test_run_main_job_on_demo_data(tmp_path: Path) -> None:
    """`make run`'s path: no --input, so demo data is generated beside the warehouse (--db), not in data/."""
    db_path = tmp_path / "wh.duckdb"
    result = leadscore(
        "run", "--contacts", "150", "--db", str(db_path), "--out", str(tmp_path / "out"), cwd=tmp_path
    )
    assert result.returncode == 0, result.stderr[-2000:]
    demo = tmp_path / "demo"
    assert f"generating demo data (150 contacts) in {demo}" in result.stdout
    demo_files = {path.name for path in demo.iterdir()}
    expected = {"accounts.csv", "contacts.csv", "opportunities.csv", "lead_status_changes.csv", "score_adjustments.csv"}
    assert expected <= demo_files and any(name.startswith("events") for name in demo_files), demo_files
    assert (tmp_path / "out" / "mql_leads.csv").is_file()
    assert "Scored 150 contacts as of " in result.stdout
    best = query(
        db_path,
        "select contact_id, score_reasons from main.lead_scores where is_mql "
        "order by lead_score desc, contact_id limit 10",
    )
    assert best and all(reasons for _, reasons in best)
    lines = result.stdout.splitlines()
    top = lines.index(f"Top {len(best)} MQLs:")
    for line, (contact_id, reasons) in zip(lines[top + 1 : top + 1 + len(best)], best, strict=True):
        assert line.split()[0] == contact_id and line.endswith(f"  {reasons}"), line
    assert not (tmp_path / "data").exists()


def test_bad_as_of_is_one_line(tmp_path: Path) -> None:
    result = leadscore("build", "--db", str(tmp_path / "w.duckdb"), "--as-of", "next tuesday")
    assert_one_line_error(result, "--as-of", "next tuesday")


def test_unknown_var_is_one_line(tmp_path: Path) -> None:
    result = leadscore("build", "--db", str(tmp_path / "w.duckdb"), "--vars", "{mql_treshold: 50}")
    assert_one_line_error(result, "unknown var mql_treshold")


def test_bad_var_value_names_the_var(tmp_path: Path) -> None:
    db_path = warehouse_with_contacts(tmp_path / "w.duckdb")  # a missing warehouse would be the first error
    result = leadscore("build", "--db", str(db_path), "--vars", "{decay_method: sideways}")
    assert_one_line_error(result, "decay_method", "sideways")


def test_unparsable_vars_is_one_line(tmp_path: Path) -> None:
    result = leadscore("build", "--db", str(tmp_path / "w.duckdb"), "--vars", "{decay_method: [")
    assert_one_line_error(result, "--vars")


def test_missing_input_directory_is_one_line(tmp_path: Path) -> None:
    result = leadscore("run", "--input", str(tmp_path / "nowhere"), "--db", str(tmp_path / "w.duckdb"))
    assert_one_line_error(result, "nowhere")


def test_failing_data_test_fails_the_build_naming_it(tmp_path: Path) -> None:
    """A grid with a duplicate rule_id: the seed's check stops the build, one line names it."""
    rule = {"rule_id": "team_senior", "rule_group": "", "attribute": "job_level", "operator": "eq", "value": "vp",
            "points": 10, "priority": 1, "description": "VP"}
    project = copy_project(tmp_path / "project", {"fit_rules": [rule, {**rule, "value": "director"}]})
    expected = r"dbt build failed: .*seed fit_rules, rule team_senior: rule_id appears 2 times"
    with pytest.raises(LeadscoreError, match=expected):
        build(warehouse_with_contacts(tmp_path / "w.duckdb"), as_of=AS_OF, project_dir=project)


def test_export_before_any_build_is_one_line(tmp_path: Path) -> None:
    result = leadscore("export", "--db", str(tmp_path / "none.duckdb"), "--out", str(tmp_path))
    assert_one_line_error(result, "none.duckdb")
