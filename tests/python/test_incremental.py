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
from datetime import datetime
from pathlib import Path
from typing import Any

import duckdb
import pytest

from leadscore.build import build
from leadscore.generate import generate
from leadscore.load import load_directory
from leadscore.serving import PUBLICATION_TABLE, serving_path_for
from worked_examples import write_csv

FIRST_AS_OF = "2024-07-01T00:00:00Z"
SECOND_AS_OF = "2024-07-02T00:00:00Z"
BACKFILL_AS_OF = "2024-06-30T00:00:00Z"
TOLERANCE = 1e-9


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
    build(db_path, as_of=FIRST_AS_OF)
    first = {"matches": computed_as_of(db_path, "int_engagement_event_matches"),
             "sums": computed_as_of(db_path, "int_engagement_rule_sums")}

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
    build(db_path, as_of=SECOND_AS_OF)
    second = {"matches": computed_as_of(db_path, "int_engagement_event_matches"),
              "sums": computed_as_of(db_path, "int_engagement_rule_sums")}
    incremental = public_tables(db_path)
    burst_clicks = query(db_path, f"""select event_id from main.int_engagement_event_matches
                                      where contact_id = '{burst}' and event_id like 'inc_click_%'""")
    build(db_path, as_of=SECOND_AS_OF, full_refresh=True)
    full = public_tables(db_path)
    return {"db": db_path, "ids": ids, "first": first, "second": second, "incremental": incremental,
            "full": full, "burst_clicks": burst_clicks}


def test_incremental_build_equals_a_full_refresh(warehouse: dict[str, Any]) -> None:
    incremental, full = warehouse["incremental"], warehouse["full"]
    assert {"lead_scores", "lead_score_breakdown", "account_scores", "product_scores", "mql_events"} <= set(full)
    assert sum(len(rows) for rows in full.values()) > 1000
    assert differences(incremental, full) == []


def test_incremental_build_recomputes_only_the_touched_contacts(warehouse: dict[str, Any]) -> None:
    first, second = warehouse["first"], warehouse["second"]
    touched = set(warehouse["ids"])
    recycled = warehouse["ids"][2]
    for model in ("matches", "sums"):
        assert {instant for instants in first[model].values() for instant in instants} == {FIRST_AS_OF[:10]}
        recomputed = {contact for contact, instants in second[model].items() if SECOND_AS_OF[:10] in instants}
        kept = {contact for contact, instants in second[model].items() if instants == {FIRST_AS_OF[:10]}}
        # the recycled contact had nothing after its recycle: its rows went, none came back
        assert recycled in first[model] and recycled not in second[model], model
        assert recomputed == touched - {recycled}, model
        assert kept == set(first[model]) - touched, model
        assert len(kept) > 100, "most contacts were left alone"


def test_a_later_click_turns_stored_clicks_into_a_burst(warehouse: dict[str, Any]) -> None:
    assert warehouse["burst_clicks"] == [], "the three clicks within 2 s are a scanner's: none is scored"


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
