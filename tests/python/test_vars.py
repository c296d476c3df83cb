"""Vars are checked against their rules (macros/config/var_rules.sql) before dbt starts: one stderr line
naming the var, what it accepts, the value and where it came from; dbt never starts. The dbt side
(a plain `dbt build`) reads the same rules and says the same words."""

from __future__ import annotations

import hashlib
import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from leadscore.build import build, parse_vars
from leadscore.errors import LeadscoreError
from leadscore.paths import PROJECT_DIR
from leadscore.var_rules import RULES_FILE, check_vars, load_rules, load_vars_yaml, markdown, project_vars, shown
from worked_examples import copy_project, warehouse_with_contacts, write_csv

# (--vars, the var the line must name, the words it must carry)
BAD_VARS = [
    ("{decay_half_life_days: -5}", "decay_half_life_days", "a number of days > 0, got: -5"),
    ("{decay_half_life_days: 0}", "decay_half_life_days", "a number of days > 0, got: 0"),
    ("{recent_window_days: -1}", "recent_window_days", "> 0"),
    ("{mql_top_percent: 0}", "mql_top_percent", "a percentage in (0, 100]"),
    ("{mql_top_percent: 150}", "mql_top_percent", "a percentage in (0, 100], or null (mql_threshold applies), "
                                                  "got: 150"),
    ("{backtest_holdout_pct: 100}", "backtest_holdout_pct", "a percentage in (0, 100), got: 100"),
    ("{mql_threshold: high}", "mql_threshold", "a number (a lead score), got: high"),
    ("{warm_threshold: true}", "warm_threshold", "a number (a lead score), got: true"),
    ("{inactivity_points: [5]}", "inactivity_points", "a number of points"),
    ("{target_countries: 'FR, US'}", "target_countries", "a list of ISO 3166 alpha-2 codes, e.g. [FR, US]"),
    ("{target_countries: [FR, NO]}", "target_countries", "got: [FR, false]"),
    ("{completeness_fields: []}", "completeness_fields", "a non-empty list"),
    ("{engagement_cap_unlock_rules: eng_demo_requested}", "engagement_cap_unlock_rules", "a list of"),
    ("{funnel_stages: {new: 1}}", "funnel_stages", "a non-empty list of statuses"),
    ("{decay_method: sideways}", "decay_method", "one of exponential, linear, window, none, got: sideways"),
    ("{recycle_mode: forget}", "recycle_mode", "one of reset, keep, got: forget"),
    ("{account_rollup_method: median}", "account_rollup_method", "one of sum, average, max, top_k"),
    ("{backtest_decision_basis: 1}", "backtest_decision_basis", "lead_age, first_mql_crossing, opportunity, got: 1"),
    ("{roi_cutover_date: 2024-13-01}", "roi_cutover_date", "a date YYYY-MM-DD, or null"),
    ("{roi_cutover_date: '2024-02-30'}", "roi_cutover_date", "got: 2024-02-30"),
    ("{roi_cutover_date: last monday}", "roi_cutover_date", "got: last monday"),
    ("{as_of: ''}", "as_of", "an ISO-8601 instant such as 2024-06-30T12:00:00Z, or null (the build's start time), "
                             "got: ''"),
    ("{as_of: next tuesday}", "as_of", "an ISO-8601 instant"),
    ("{as_of: 2024-06-31}", "as_of", "got: 2024-06-31"),
    ("{mql_requires_engagement: maybe}", "mql_requires_engagement", "true or false, got: maybe"),
    ("{bot_filter: 2}", "bot_filter", "true or false, got: 2"),
    ("{score_reasons_count: 2.5}", "score_reasons_count", "a whole number >= 1, got: 2.5"),
    ("{account_top_contacts_count: 0}", "account_top_contacts_count", "a whole number >= 1, got: 0"),
    ("{bot_burst_clicks: 1}", "bot_burst_clicks", "a whole number of clicks >= 2"),
    ("{engagement_cap: -1}", "engagement_cap", "a number of points >= 0, or null (no cap)"),
    ("{inactivity_days: 0}", "inactivity_days", "a number of days > 0, or null"),
    ("{sla_hours: two days}", "sla_hours", "a number of hours > 0, got: two days"),
    ("{recycle_status: ''}", "recycle_status", "a status (a non-empty text), got: ''"),
    ("{bot_click_event_type: [email_click]}", "bot_click_event_type", "an event type"),
    ("{scoring_grid: __no_such_grid__}", "scoring_grid", "must be one of b2b_saas"),
    ("{challenger_grid: ''}", "challenger_grid", "the name of a grid of the project, or null (no challenger)"),
    ("{crm_field_mapping: __no_such_mapping__}", "crm_field_mapping", "a mapping of seeds/crm_field_mappings.csv"),
    ("{mql_status: __not_a_stage__}", "mql_status", "must be one of funnel_stages ("),
    ("{lead_score_min: 80, lead_score_max: 50}", "lead_score_min",
     "must be <= lead_score_max (50, from --vars), got: 80"),
    ("{backtest_gap_days: 400}", "backtest_gap_days", "must be <= backtest_horizon_days ("),
]


def leadscore(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "leadscore.cli", *args], capture_output=True, text=True, timeout=600,
        env={**os.environ, **env},
    )


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture(scope="module")
def warehouse(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A small loaded warehouse: a build that started would write to it (a build needs contacts). Without
    the lock file its load left, so that a build that took the writer lock would show."""
    db_path = warehouse_with_contacts(tmp_path_factory.mktemp("vars") / "warehouse.duckdb")
    db_path.with_name(db_path.name + ".lock").unlink()
    return db_path


def dbt_paths(tmp_path: Path) -> dict[str, str]:
    """Where dbt would write its log and its target (manifest, compiled SQL) for this run."""
    return {"DBT_LOG_PATH": str(tmp_path / "dbt_logs"), "DBT_TARGET_PATH": str(tmp_path / "dbt_target")}


@pytest.mark.parametrize(("vars_yaml", "name", "words"), BAD_VARS, ids=[case[0] for case in BAD_VARS])
def test_a_bad_var_fails_in_one_line_before_dbt_starts(
    warehouse: Path, tmp_path: Path, vars_yaml: str, name: str, words: str
) -> None:
    before = digest(warehouse)
    result = leadscore("build", "--db", str(warehouse), "--vars", vars_yaml, env=dbt_paths(tmp_path))

    assert result.returncode == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    line = lines[0]
    assert line.startswith(f"leadscore: error: var {name} must be "), line
    assert words in line, line
    assert line.endswith("(from --vars)"), line
    assert "Traceback" not in result.stderr + result.stdout
    # dbt never started: no log, no target, the warehouse untouched and not even locked
    assert not (tmp_path / "dbt_logs").exists()
    assert not (tmp_path / "dbt_target").exists()
    assert digest(warehouse) == before
    assert not warehouse.with_name(warehouse.name + ".lock").exists()


def test_a_build_with_good_vars_starts_dbt_where_the_bad_ones_never_do(warehouse: Path, tmp_path: Path) -> None:
    """The control of the test above: what it looks for (dbt's log and target, a changed warehouse) is
    there once dbt runs."""
    db_path = tmp_path / "w.duckdb"
    db_path.write_bytes(warehouse.read_bytes())
    before = digest(db_path)
    # the same build() as `leadscore build`, one model only (the CLI has no --select)
    script = (
        "import sys; from pathlib import Path; from leadscore.build import build; "
        "build(Path(sys.argv[1]), select='stg_raw__contacts', vars_yaml='{decay_half_life_days: 14}')"
    )
    result = subprocess.run(
        [sys.executable, "-c", script, str(db_path)], capture_output=True, text=True, timeout=600,
        env={**os.environ, **dbt_paths(tmp_path)},
    )
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "dbt_logs" / "dbt.log").is_file()
    assert (tmp_path / "dbt_target" / "manifest.json").is_file()
    assert digest(db_path) != before


def test_every_var_of_dbt_project_yml_has_a_rule() -> None:
    """A var added to dbt_project.yml without a rule in macros/config/var_rules.sql fails here."""
    declared, rules = project_vars(PROJECT_DIR), load_rules(PROJECT_DIR)
    assert sorted(set(declared) - set(rules)) == []
    assert sorted(set(rules) - set(declared)) == []


def _number(value: float) -> str:
    return f"{value:g}"


@pytest.mark.parametrize("name", sorted(load_rules(PROJECT_DIR)))
def test_the_words_of_a_rule_say_its_domain(name: str) -> None:
    """`accepts` is what the user reads: it must carry each bound, choice and null the rule checks."""
    rule = load_rules(PROJECT_DIR)[name]
    words = rule.accepts
    if rule.above is not None:
        assert f"> {_number(rule.above)}" in words or f"({_number(rule.above)}, " in words
    if rule.min is not None:
        assert f">= {_number(rule.min)}" in words or f"[{_number(rule.min)}, " in words
    if rule.max is not None:
        assert f"<= {_number(rule.max)}" in words or f", {_number(rule.max)}]" in words
    if rule.below is not None:
        assert f"< {_number(rule.below)}" in words or f", {_number(rule.below)})" in words
    for choice in rule.choices:
        assert re.search(rf"\b{choice}\b", words)
    assert ("null" in words) == rule.nullable
    for other in (rule.at_most, rule.one_of):
        if other:
            assert other in words
    kind_words = {"integer": ("whole number",), "list": ("list",), "date": ("YYYY-MM-DD",),
                  "instant": ("ISO-8601",), "boolean": ("true or false",), "number": ("number", "percentage"),
                  "grid": ("grid",), "choice": ("one of",)}.get(rule.type, ())
    assert not kind_words or any(word in words for word in kind_words)
    assert rule.means


def test_the_rules_are_plain_yaml_that_dbt_and_python_read_alike() -> None:
    """Python reads the block of var_rules.sql as it is; Jinja would render {{ }} or {% %} inside it."""
    text = (PROJECT_DIR / RULES_FILE).read_text(encoding="utf-8")
    block = text.split("{%- set rules_yaml -%}", 1)[1].split("{%- endset -%}", 1)[0]
    assert block.strip()
    assert not re.search(r"\{[{%#]", block)


def test_the_defaults_of_dbt_project_yml_pass() -> None:
    assert parse_vars(None) == {}


@pytest.mark.parametrize(
    "vars_yaml",
    [
        "{lead_score_min: null, lead_score_max: null}",
        "{lead_score_min: 0, lead_score_max: 100}",
        "{lead_score_min: 50, lead_score_max: 50}",
        "{inactivity_days: null, inactivity_points: null, engagement_cap: null, mql_top_percent: null}",
        "{challenger_grid: null, roi_cutover_date: null, as_of: null}",
        "{mql_top_percent: 100}",
        "{mql_top_percent: 0.5, backtest_holdout_pct: 99.9}",
        "{decay_half_life_days: '14', mql_threshold: -10.5, warm_threshold: 0}",
        "{roi_cutover_date: 2024-01-15}",
        "{roi_cutover_date: '2024-02-29'}",
        "{as_of: 2024-06-30T12:00:00Z}",
        "{as_of: '2024-06-30 12:00:00+02:00'}",
        "{as_of: '2024-06-30'}",
        "{bot_filter: 'yes', mql_requires_engagement: off}",
        "{target_countries: [], engagement_cap_unlock_rules: [eng_demo_requested, 12]}",
        "{decay_method: ' Linear ', recycle_mode: KEEP}",
        "{backtest_gap_days: 0, backtest_horizon_days: 0.5}",
        "{score_reasons_count: 5.0, bot_burst_clicks: 2, bot_click_seconds: 0}",
        "{funnel_stages: [lead, mql, sql], mql_status: MQL, sql_status: sql}",
    ],
)
def test_good_values_pass(vars_yaml: str) -> None:
    assert parse_vars(vars_yaml) == load_vars_yaml(vars_yaml)


def _edit_default(project: Path, name: str, value: str | None) -> None:
    """Replace (or with None delete) the line of var `name` in the copy's dbt_project.yml."""
    path = project / "dbt_project.yml"
    text = path.read_text(encoding="utf-8")
    line = re.compile(rf"^  {name}: .*\n", re.MULTILINE)
    assert line.search(text), name
    path.write_text(line.sub("" if value is None else f"  {name}: {value}\n", text, count=1), encoding="utf-8")


@pytest.mark.parametrize(
    ("name", "value", "words"),
    [
        ("decay_half_life_days", "-5", "var decay_half_life_days must be a number of days > 0, got: -5"),
        ("target_countries", "FR", "var target_countries must be a list"),
        ("sla_at_risk_hours", "soon", "var sla_at_risk_hours must be a number of hours >= 0, got: soon"),
    ],
)
def test_a_bad_default_in_dbt_project_yml_is_named(tmp_path: Path, name: str, value: str, words: str) -> None:
    project = copy_project(tmp_path / "project")
    _edit_default(project, name, value)
    db_path = tmp_path / "w.duckdb"
    with pytest.raises(LeadscoreError) as failure:
        build(db_path, project_dir=project)
    message = str(failure.value)
    assert message.startswith(words)
    assert message.endswith("(from dbt_project.yml)")
    assert "\n" not in message
    assert not db_path.exists()
    # the same default given in --vars as well: --vars wins, and the line says so
    with pytest.raises(LeadscoreError, match=r"\(from --vars\)$"):
        parse_vars(f"{{{name}: {value}}}", project)


def test_a_pair_names_where_each_side_came_from(tmp_path: Path) -> None:
    project = copy_project(tmp_path / "project")
    _edit_default(project, "lead_score_max", "50")
    with pytest.raises(LeadscoreError) as failure:
        parse_vars("{lead_score_min: 80}", project)
    assert str(failure.value) == (
        "var lead_score_min must be <= lead_score_max (50, from dbt_project.yml), got: 80 (from --vars)"
    )


def test_a_default_removed_from_dbt_project_yml_is_named(tmp_path: Path) -> None:
    project = copy_project(tmp_path / "project")
    _edit_default(project, "roi_cutover_date", None)  # nullable: leaving it out means null
    assert "roi_cutover_date" not in check_vars({}, project)
    _edit_default(project, "decay_method", None)
    with pytest.raises(LeadscoreError, match=r"^var decay_method is not set: dbt_project.yml must give it a value"):
        parse_vars(None, project)


def test_crm_field_mapping_takes_the_mappings_of_the_projects_seed(tmp_path: Path) -> None:
    """The mappings are the team's: read from its seed (here one written by the test), never ours."""
    project = copy_project(tmp_path / "project")
    write_csv(project / "seeds" / "crm_field_mappings.csv", [
        {"mapping": "pipedrive", "source_column": "email", "crm_field": "email", "description": ""},
        {"mapping": "zoho", "source_column": "email", "crm_field": "Email", "description": ""},
    ])
    assert parse_vars("{crm_field_mapping: pipedrive}", project) == {"crm_field_mapping": "pipedrive"}
    with pytest.raises(LeadscoreError) as failure:
        parse_vars("{crm_field_mapping: hubspot}", project)
    assert str(failure.value) == (
        "var crm_field_mapping must be a mapping of seeds/crm_field_mappings.csv (found: pipedrive, zoho), "
        "got: hubspot (from --vars)"
    )
    # dbt_project.yml's default (leadscore) is not a mapping of this seed: named as the default
    with pytest.raises(LeadscoreError, match=r"got: leadscore \(from dbt_project.yml\)$"):
        parse_vars(None, project)


def test_a_var_of_the_teams_own_without_a_rule_is_not_checked(tmp_path: Path) -> None:
    project = copy_project(tmp_path / "project")
    path = project / "dbt_project.yml"
    path.write_text(path.read_text(encoding="utf-8").replace("vars:\n", "vars:\n  our_region: emea\n", 1),
                    encoding="utf-8")
    assert check_vars({"our_region": ["anything", 1]}, project)["our_region"] == ["anything", 1]


def test_docs_vars_md_is_generated_from_the_rules() -> None:
    """Regenerate with `.venv/bin/python -m leadscore.var_rules > docs/vars.md`."""
    page = (PROJECT_DIR / "docs" / "vars.md").read_text(encoding="utf-8")
    assert page == markdown(PROJECT_DIR)
    for name in load_rules(PROJECT_DIR):
        assert f"| `{name}` |" in page


def _dbt_parse(tmp_path: Path, vars_yaml: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "dbt.cli.main", "parse", "--no-partial-parse", "--project-dir", str(PROJECT_DIR),
         "--profiles-dir", str(PROJECT_DIR), "--vars", vars_yaml],
        capture_output=True, text=True, timeout=600,
        env={**os.environ, **dbt_paths(tmp_path), "LEADSCORE_DB": str(tmp_path / "w.duckdb"),
             "DBT_USE_COLORS": "false"},
    )


@pytest.mark.parametrize(
    "vars_yaml",
    ["{decay_half_life_days: -5}", "{mql_top_percent: 150}", "{lead_score_min: 80, lead_score_max: 50}",
     "{as_of: ''}", "{target_countries: 'FR, US'}", "{decay_method: sideways}", "{bot_filter: maybe}"],
)
def test_plain_dbt_says_the_same_from_the_same_rules(tmp_path: Path, vars_yaml: str) -> None:
    """`dbt parse` (what every dbt command starts with) stops on the value, with leadscore's words
    less the source: both read macros/config/var_rules.sql."""
    with pytest.raises(LeadscoreError) as failure:
        parse_vars(vars_yaml)
    expected = str(failure.value).removesuffix(" (from --vars)")
    expected = re.sub(r" \((-?[0-9.]+), from --vars\)", r" (\1)", expected)
    result = _dbt_parse(tmp_path, vars_yaml)
    assert result.returncode != 0
    assert expected in result.stdout + result.stderr, result.stdout[-2000:]


def test_shown_values_are_unambiguous() -> None:
    values: list[Any] = ["high", "", " padded", None, True, ["FR", False], 1.5]
    assert [shown(value) for value in values] == ["high", "''", "' padded'", "null", "true", "[FR, false]", "1.5"]


def test_the_check_runs_before_dbt_or_duckdb_is_imported(tmp_path: Path) -> None:
    """Importing dbt takes about a second: nothing before the check may import it (nor duckdb)."""
    script = (
        "import sys; from leadscore.cli import main; "
        "code = main(['build', '--vars', '{decay_half_life_days: -5}']); "
        "print(code, sorted(name for name in ('dbt', 'duckdb') if name in sys.modules))"
    )
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=600,
                            cwd=tmp_path)
    assert result.stdout.strip() == "1 []", result.stdout + result.stderr
    assert "var decay_half_life_days must be a number of days > 0" in result.stderr
