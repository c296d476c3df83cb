"""Incremental scoring (issue 7): a build after new data recomputes only the contacts it touches,
and gives the same public tables as a `--full-refresh` build of the same data as of the same instant.

One warehouse: generated data plus a few hand-made rows, built as of 2024-07-01; then a second
batch (a new day of events, an event that arrives late, a click that turns two stored clicks into a
scanner's burst, a recycle) and an incremental build as of 2024-07-02; then a `--full-refresh` build
of the same warehouse as of the same instant. Floats are compared within 1e-9: DuckDB sums doubles
in parallel in no fixed order, and the running sums reach a decayed total by another route than
the per-event sum, so the last bits may differ."""

from __future__ import annotations

import math
import os
import shutil
from datetime import datetime
from pathlib import Path
from typing import Any

import duckdb
import pytest

from leadscore.build import LOG_PATH_ENV, NODE_VARS, build, code_fingerprint, run_dbt, unit_tests_passed
from leadscore.load import load_directory
from leadscore.paths import PROJECT_DIR
from leadscore.serving import PUBLICATION_TABLE, serving_path_for
from leadscore.var_rules import check_vars, project_vars
from leadscore_dev.generate import generate
from worked_examples import write_csv

FIRST_AS_OF = "2024-07-01T00:00:00Z"
SECOND_AS_OF = "2024-07-02T00:00:00Z"
BACKFILL_AS_OF = "2024-06-30T00:00:00Z"
TOLERANCE = 1e-9
INCREMENTAL_MODELS = {
    "matches": "int_engagement_event_matches",
    "sums": "int_engagement_rule_sums",
}
INSTANTS_SQL = """select instant_key, is_as_of, fit_score, engagement_score, adjustment_points, lead_score
                  from main.int_lead_scores_at_instants order by instant_key"""
INSTANTS_BY_BUILD_SQL = """select contact_id, cast(computed_as_of as varchar), min(evaluated_epoch),
                                  max(evaluated_epoch)
                           from main.int_lead_scores_at_instants group by 1, 2"""


def query(db_path: Path, sql: str) -> list[tuple[Any, ...]]:
    con = duckdb.connect(str(db_path), read_only=True)
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


def public_tables(db_path: Path) -> dict[str, list[tuple[Any, ...]]]:
    """Every published table of the serving file, rows sorted by their non-float values."""
    serving = serving_path_for(db_path)
    names = [name for (name,) in query(serving, "select table_name from information_schema.tables "
                                                "where table_schema = 'main' order by 1")]
    tables = {}
    for name in names:
        if name == PUBLICATION_TABLE:
            continue
        sql = f'select * from main."{name}"'
        if name == "lead_score_history":  # a full refresh rebuilds only the day it scores
            sql += f" where scoring_date = cast('{SECOND_AS_OF[:10]}' as date)"
        rows = query(serving, sql)
        if name == "crm_lead_sync":  # updated_at: when the build saw the row change (wall clock)
            columns = [column for (column,) in query(serving, "select column_name from information_schema.columns "
                       f"where table_name = '{name}' order by ordinal_position")]
            rows = [tuple(v for column, v in zip(columns, row, strict=True) if column != "updated_at") for row in rows]
        tables[name] = sorted(rows, key=lambda row: repr(tuple(v for v in row if not isinstance(v, float))))
    return tables


def same(left: Any, right: Any) -> bool:
    if isinstance(left, float) and isinstance(right, float):
        return math.isclose(left, right, rel_tol=0.0, abs_tol=TOLERANCE)
    return bool(left == right)


def differences(incremental: dict[str, list[tuple[Any, ...]]], full: dict[str, list[tuple[Any, ...]]]) -> list[str]:
    found = []
    for name in sorted(set(incremental) | set(full)):
        one, other = incremental.get(name), full.get(name)
        if one is None or other is None:
            found.append(f"{name}: only in one build")
        elif len(one) != len(other):
            found.append(f"{name}: {len(one)} rows incremental, {len(other)} full refresh")
        else:
            for left, right in zip(one, other, strict=True):
                if not all(same(a, b) for a, b in zip(left, right, strict=True)):
                    found.append(f"{name}: {left} != {right}")
                    break
    return found


def computed_as_of(db_path: Path, model: str) -> dict[str, set[str]]:
    rows = query(db_path, f"select contact_id, cast(computed_as_of as varchar) from main.{model}")
    by_contact: dict[str, set[str]] = {}
    for contact_id, instant in rows:
        by_contact.setdefault(contact_id, set()).add(instant[:10])
    return by_contact


def parse_lines(log_dir: Path) -> list[str]:
    """What dbt's log in log_dir (one build's own) says of its parse (scripts/leadscore/build.py, _kept_parse)."""
    log = (log_dir / "dbt.log").read_text(encoding="utf-8", errors="replace")
    return [line.split(": ", 1)[-1] for line in log.splitlines() if "partial pars" in line.lower()]


@pytest.fixture(scope="module")
def warehouse(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    root = tmp_path_factory.mktemp("incremental")
    generate(out_dir=root / "raw", contacts=400, days=60, seed=7, end_date="2024-06-30")
    db_path = root / "warehouse.duckdb"
    load_directory(db_path, root / "raw")
    ids = [contact for (contact,) in query(db_path, """
        select contact_id from raw.contacts
        where contact_id in (select contact_id from raw.events)
        order by contact_id limit 5""")]
    burst, late, recycled, new_day, future = ids
    write_csv(root / "first" / "events_first.csv", [
        # two clicks a second apart: human while alone, a scanner's burst once a third one lands
        {"event_id": "inc_click_1", "contact_id": burst, "event_type": "email_click", "campaign": "inc-news",
         "occurred_at": "2024-06-20T10:00:00Z"},
        {"event_id": "inc_click_2", "contact_id": burst, "event_type": "email_click", "campaign": "inc-news",
         "occurred_at": "2024-06-20T10:00:01Z"},
        # known at the first build, dated after its as_of: counts only at the second
        {"event_id": "inc_future_pricing", "contact_id": future, "event_type": "page_view",
         "url": "https://www.example-saas.com/pricing", "occurred_at": "2024-07-01T12:00:00Z"},
    ])
    load_directory(db_path, root / "first")
    build(db_path, as_of=FIRST_AS_OF, full_refresh=True)  # its unit tests run, whatever ran before
    first = {model: computed_as_of(db_path, table) for model, table in INCREMENTAL_MODELS.items()}

    write_csv(root / "second" / "events_second.csv", [
        {"event_id": "inc_click_3", "contact_id": burst, "event_type": "email_click", "campaign": "inc-news",
         "occurred_at": "2024-06-20T10:00:02Z"},
        {"event_id": "inc_late_demo", "contact_id": late, "event_type": "demo_requested",
         "occurred_at": "2024-06-15T09:00:00Z"},
        {"event_id": "inc_new_day_demo", "contact_id": new_day, "event_type": "demo_requested",
         "occurred_at": "2024-07-01T15:00:00Z"},
        {"event_id": "inc_new_day_pricing", "contact_id": new_day, "event_type": "page_view",
         "url": "https://www.example-saas.com/pricing", "occurred_at": "2024-07-01T15:05:00Z"},
    ])
    write_csv(root / "second" / "lead_status_changes_second.csv", [
        {"contact_id": recycled, "status": "recycled", "changed_at": "2024-07-01T06:00:00Z"},
    ])
    load_directory(db_path, root / "second")
    second_messages: list[str] = []
    # the second build logs to a folder of its own: the run's log rolls over every 10 MB
    run_log_dir, second_log_dir = os.environ.get(LOG_PATH_ENV), root / "second_build_log"
    os.environ[LOG_PATH_ENV] = str(second_log_dir)
    try:
        build(db_path, as_of=SECOND_AS_OF, progress=second_messages.append)
    finally:
        if run_log_dir is None:
            os.environ.pop(LOG_PATH_ENV, None)
        else:
            os.environ[LOG_PATH_ENV] = run_log_dir
    second_parse = parse_lines(second_log_dir)
    second = {model: computed_as_of(db_path, table) for model, table in INCREMENTAL_MODELS.items()}
    incremental = public_tables(db_path)
    instants = {"incremental": query(db_path, INSTANTS_SQL), "by_build": query(db_path, INSTANTS_BY_BUILD_SQL)}
    burst_clicks = query(db_path, f"""select is_scanner_click, count(distinct event_id)
                                      from main.int_engagement_event_matches
                                      where contact_id = '{burst}' and event_id like 'inc_click_%' group by 1""")
    recycled_matches = query(db_path, f"""select is_reset_by_recycle, count(*) from main.int_engagement_event_matches
                                          where contact_id = '{recycled}' group by 1""")
    full_messages: list[str] = []
    build(db_path, as_of=SECOND_AS_OF, full_refresh=True, progress=full_messages.append)
    full = public_tables(db_path)
    instants["full"] = query(db_path, INSTANTS_SQL)
    return {"db": db_path, "ids": ids, "first": first, "second": second, "incremental": incremental,
            "full": full, "burst_clicks": burst_clicks, "recycled_matches": recycled_matches, "instants": instants,
            "messages": {"second": second_messages, "full": full_messages}, "second_parse": second_parse}


def test_incremental_build_equals_a_full_refresh(warehouse: dict[str, Any]) -> None:
    incremental, full = warehouse["incremental"], warehouse["full"]
    assert {"lead_scores", "lead_score_breakdown", "account_scores", "product_scores", "mql_events"} <= set(full)
    assert sum(len(rows) for rows in full.values()) > 1000
    assert differences(incremental, full) == []


def test_incremental_build_recomputes_only_the_touched_contacts(warehouse: dict[str, Any]) -> None:
    first, second = warehouse["first"], warehouse["second"]
    touched = set(warehouse["ids"])
    recycled = warehouse["ids"][2]
    for model in INCREMENTAL_MODELS:
        assert {instant for instants in first[model].values() for instant in instants} == {FIRST_AS_OF[:10]}
        recomputed = {contact for contact, instants in second[model].items() if SECOND_AS_OF[:10] in instants}
        kept = {contact for contact, instants in second[model].items() if instants == {FIRST_AS_OF[:10]}}
        if model == "matches":  # every match, the recycle only flags them: the recycled contact is recomputed
            assert recomputed == touched, model
        else:  # the recycled contact had nothing after its recycle: its rows went, none came back
            assert recycled in first[model] and recycled not in second[model], model
            assert recomputed == touched - {recycled}, model
        assert kept == set(first[model]) - touched, model
        assert len(kept) > 100, "most contacts were left alone"
    # its matches are kept for the scores before its recycle, every one of them reset as of the second as_of
    [(is_reset, matches)] = warehouse["recycled_matches"]
    assert is_reset is True and matches > 0


def test_a_build_as_of_another_instant_keeps_the_parse(warehouse: dict[str, Any]) -> None:
    # the scoring instant reaches dbt outside its vars: the second build reuses the first one's parse
    said = warehouse["second_parse"]
    assert said and not [line for line in said if line.startswith("Unable to do partial parsing")], said


def test_a_later_click_turns_stored_clicks_into_a_burst(warehouse: dict[str, Any]) -> None:
    # the three clicks within 2 s are a scanner's: all three flagged (as_of's score leaves them out)
    assert warehouse["burst_clicks"] == [(True, 3)]


def test_an_earlier_as_of_recomputes_everything(warehouse: dict[str, Any]) -> None:
    db_path = warehouse["db"]
    build(db_path, as_of=BACKFILL_AS_OF)
    for model in ("int_engagement_event_matches", "int_engagement_rule_sums"):
        instants = {instant for instants in computed_as_of(db_path, model).values() for instant in instants}
        assert instants == {BACKFILL_AS_OF[:10]}, model
    [(after_backfill,)] = query(db_path, """select count(*) from main.int_engagement_event_matches
                                            where occurred_at > timestamp '2024-06-30 00:00:00'""")
    assert after_backfill == 0, "events after the earlier as_of are not kept"


def test_state_columns_are_recorded(warehouse: dict[str, Any]) -> None:
    [(keys, latest_load)] = query(warehouse["db"], """select count(distinct inputs_key), max(loaded_through)
                                                      from main.int_engagement_event_matches""")
    assert keys == 1
    assert isinstance(latest_load, datetime)


def test_scores_at_instants_incremental_equal_a_full_refresh(warehouse: dict[str, Any]) -> None:
    incremental, full = warehouse["instants"]["incremental"], warehouse["instants"]["full"]
    assert len(full) > 1000
    assert [row[:2] for row in incremental] == [row[:2] for row in full], "the same instants"
    for left, right in zip(incremental, full, strict=True):
        assert all(same(a, b) for a, b in zip(left, right, strict=True)), (left, right)


def test_untouched_candidates_keep_their_past_instants(warehouse: dict[str, Any]) -> None:
    """The second build kept the rows an untouched candidate had before the first as_of and scored
    only its instants since; a touched candidate was scored again from its first instant."""
    touched = set(warehouse["ids"])
    by_contact: dict[str, dict[str, tuple[float, float]]] = {}
    for contact_id, instant, low, high in warehouse["instants"]["by_build"]:
        by_contact.setdefault(contact_id, {})[instant[:10]] = (low, high)
    first_epoch = datetime.fromisoformat(FIRST_AS_OF.replace("Z", "+00:00")).timestamp()
    kept = {contact for contact, builds in by_contact.items() if FIRST_AS_OF[:10] in builds}
    assert len(kept) > 20, "most candidates were brought forward"
    assert not kept & touched
    for contact in kept:
        assert by_contact[contact][FIRST_AS_OF[:10]][1] < first_epoch, contact
        assert by_contact[contact][SECOND_AS_OF[:10]][0] >= first_epoch, contact
    rescored = touched & set(by_contact)
    assert rescored, "a touched contact is a candidate"
    assert all(set(by_contact[contact]) == {SECOND_AS_OF[:10]} for contact in rescored)


def test_unit_tests_run_again_only_when_the_code_changes(warehouse: dict[str, Any]) -> None:
    second, full = warehouse["messages"]["second"], warehouse["messages"]["full"]
    assert any(message.startswith("Unit tests skipped") for message in second), second
    assert not any(message.startswith("Unit tests skipped") for message in full), full
    [(passes, unit_tests)] = query(warehouse["db"], "select count(*), min(unit_tests) from ops.unit_test_log")
    assert passes >= 2 and unit_tests > 50


def test_a_pass_of_the_unit_tests_holds_for_every_warehouse_of_the_same_code(
    warehouse: dict[str, Any], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A build of another warehouse (or another copy of the project) with the same code and vars
    skips them too, through the machine's cache; an empty cache knows nothing."""
    [(fingerprint,)] = query(warehouse["db"], "select max(code_fingerprint) from ops.unit_test_log")
    other = tmp_path / "other.duckdb"
    found = unit_tests_passed(other, fingerprint)
    assert found is not None and found[1] == "on this machine"
    assert not other.exists(), "looking did not create the warehouse"
    assert unit_tests_passed(other, "0" * 64) is None
    monkeypatch.setenv("LEADSCORE_CACHE_DIR", str(tmp_path / "empty-cache"))
    assert unit_tests_passed(other, fingerprint) is None
    assert unit_tests_passed(warehouse["db"], fingerprint)[1] == "here", "the warehouse's own record"


def test_code_fingerprint_follows_the_code_not_the_data_nor_the_scoring_vars(tmp_path: Path) -> None:
    project = tmp_path / "project"
    shutil.copytree(PROJECT_DIR, project, ignore=shutil.ignore_patterns(
        ".venv", ".git", "data", "target", "logs", "clients", "scripts", "__pycache__"))
    original = code_fingerprint(PROJECT_DIR, {"as_of": FIRST_AS_OF}, None)
    assert code_fingerprint(project, {"as_of": SECOND_AS_OF}, None) == original, "as_of is data, not code"
    assert code_fingerprint(project, {"as_of": FIRST_AS_OF, "mql_threshold": 70}, None) == original
    assert code_fingerprint(project, {"source_systems": ["raw", "hubspot"]}, None) != original, "more nodes"
    assert code_fingerprint(project, {"as_of": FIRST_AS_OF}, "other") != original
    (project / "tests" / "python" / "test_incremental.py").write_text("# not dbt code\n", encoding="utf-8")
    assert code_fingerprint(project, {}, None) == original
    macro = project / "macros" / "clamp.sql"
    macro.write_text(macro.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    assert code_fingerprint(project, {}, None) != original


# A value other than the default for every var a unit test could read (NODE_VARS aside: they decide
# which nodes exist, and are part of the fingerprint). Where connectors' tables are (the *_database and
# *_schema vars) is read only by the adapters' source models, which a unit test gives rows of.
OTHER_VALUES = {
    "decay_method": "linear", "decay_half_life_days": 11, "recent_window_days": 45, "mql_threshold": 40,
    "warm_threshold": 20, "mql_requires_engagement": False, "lead_score_min": 0, "lead_score_max": 100,
    "target_countries": ["DE"], "completeness_fields": ["email"], "disqualified_statuses": ["lost"],
    "customer_statuses": ["client"], "score_reasons_count": 2, "scoring_grid": "b2c_ecommerce",
    "inactivity_days": 10, "inactivity_points": -3, "engagement_cap": 50,
    "engagement_cap_unlock_rules": ["demo_request"], "bot_filter": False, "bot_click_seconds": 5,
    "bot_burst_clicks": 5, "bot_burst_seconds": 7, "bot_click_event_type": "email_link_click",
    "bot_delivery_event_type": "email_sent", "recycle_mode": "keep", "recycle_status": "nurture",
    "mql_top_percent": 10, "account_rollup_method": "max", "account_rollup_top_k": 2,
    "engaged_contact_min_score": 5, "mqa_threshold": 50, "mqa_min_engaged_contacts": 2,
    "mqa_excluded_account_types": ["partner"], "account_top_contacts_count": 2,
    "backtest_decision_basis": "first_mql_crossing", "backtest_decision_age_days": 3, "backtest_gap_days": 2,
    "backtest_horizon_days": 30, "backtest_holdout_pct": 20, "challenger_grid": "b2b_saas",
    "score_outlier_iqr_factor": 2, "funnel_stages": ["new", "mql", "sal", "sql", "opportunity", "won", "churned"],
    "mql_status": "sal", "sql_status": "opportunity", "roi_cutover_date": "2024-03-01", "roi_window_days": 60,
    "sla_hours": 24, "sla_at_risk_hours": 6, "crm_field_mapping": "hubspot", "identity_max_iterations": 6,
}


def test_unit_tests_pass_under_other_values_of_every_scoring_var(warehouse: dict[str, Any]) -> None:
    """Why a build of the same code under other vars may skip the unit tests that passed (the
    fingerprint leaves the scoring vars out): each unit test pins the vars its model reads, so all of
    them pass with every other var changed at once. A unit test that read a var it does not pin would
    fail here."""
    defaults = project_vars(PROJECT_DIR)
    uncovered = sorted(
        name for name in defaults
        if name not in OTHER_VALUES and name not in NODE_VARS and name != "as_of"
        and not name.endswith(("_database", "_schema"))
    )
    assert not uncovered, f"give these vars another value here: {uncovered}"
    assert all(OTHER_VALUES[name] != defaults[name] for name in OTHER_VALUES), "every value differs"
    check_vars(OTHER_VALUES)  # the values are valid ones: the build would accept them
    results = run_dbt(
        ["test", "--select", "resource_type:unit_test"], warehouse["db"],
        dbt_vars={"as_of": SECOND_AS_OF, **OTHER_VALUES},
    )
    passed = [result for result in results if str(result.node.resource_type) == "unit_test"]
    assert len(passed) > 50 and all(str(result.status) == "pass" for result in passed)
