"""The bad-input corpus (tests/corpus/cases.yml) through the real ``leadscore load`` command line.

For every load of every case: the outcome the manifest expects (one error line, or the counts, reasons and
notes), rows in = loaded + updated + superseded + unchanged + rejected as printed and as found in the raw
tables and raw.load_rejects, and never a Python traceback.
"""

from __future__ import annotations

import gzip
import json
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import duckdb
import pytest
import yaml

from leadscore.contract import ENTITIES, LOAD_ORDER
from worked_examples import query

CORPUS = Path(__file__).resolve().parents[1] / "corpus"
MANIFEST = yaml.safe_load((CORPUS / "cases.yml").read_text(encoding="utf-8"))["cases"]
COUNT_COLUMNS = ("rows_in", "loaded", "updated", "superseded", "unchanged", "rejected")
CONTACTS = (
    "contact_id,created_at,updated_at,email\nc1,2024-06-01,2024-06-01,alice@example.com\nc2,2024-06-01,,b@x.com\n"
)
EVENTS_HEADER = "event_id,event_type,occurred_at,contact_id\n"


# ------------------------------------------------------------------------------------ generated files


def _write_parquet(path: Path, select_sql: str) -> None:
    with duckdb.connect() as con:
        con.execute(f"COPY ({select_sql}) TO '{path}' (FORMAT parquet)")


def late_invalid_utf8(case: Path) -> None:
    rows = "".join(f"c{i},2024-06-01,2024-06-01,c{i}@example.com\n" for i in range(2000))  # past the 64 KiB sniff
    text = "contact_id,created_at,updated_at,email\n" + rows
    (case / "contacts.csv").write_bytes(text.encode() + "c9,2024-06-01,,rené@exemple.fr\n".encode("latin-1"))


def long_field(case: Path) -> None:
    (case / "contacts.csv").write_text(CONTACTS, encoding="utf-8")
    body = EVENTS_HEADER + "e1,page_view,2024-06-02,c1\n" + "e2,page_view,2024-06-02,c1," + "x" * 3_000_000 + "\n"
    (case / "events.csv").write_text(body.replace("contact_id\n", "contact_id,note\n").replace(",c1\n", ",c1,\n", 1))


def long_jsonl_line(case: Path) -> None:
    (case / "contacts.csv").write_text(CONTACTS, encoding="utf-8")
    record = {"event_type": "page_view", "occurred_at": "2024-06-02", "contact_id": "c1"}
    lines = [json.dumps(record), json.dumps({**record, "note": "x" * 3_000_000})]
    (case / "events.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")


def many_columns(case: Path) -> None:
    extras = [f"extra_{i}" for i in range(600)]
    header = ",".join(["contact_id", "created_at", *extras])
    rows = [",".join(["c1", "2024-06-01", *(str(i) for i in range(600))]), "c2,2024-06-01" + "," * 600]
    (case / "contacts.csv").write_text("\n".join([header, *rows]) + "\n", encoding="utf-8")


def parquet_struct_properties(case: Path) -> None:
    (case / "contacts.csv").write_text(CONTACTS, encoding="utf-8")
    _write_parquet(
        case / "events.parquet",
        "SELECT 'e1' AS event_id, 'page_view' AS event_type, TIMESTAMP '2024-06-02 10:00' AS occurred_at, "
        "'c1' AS contact_id, {'path': '/pricing'} AS properties, ['a', 'b'] AS tags",
    )


def parquet_gz(case: Path) -> None:
    _write_parquet(
        case / "contacts.parquet", "SELECT 'c' || i AS contact_id, DATE '2024-06-01' AS created_at FROM range(3) r(i)"
    )
    with (case / "contacts.parquet").open("rb") as source, gzip.open(case / "contacts.parquet.gz", "wb") as target:
        shutil.copyfileobj(source, target)
    (case / "contacts.parquet").unlink()


def parquet_file_row_number_column(case: Path) -> None:
    contacts = "SELECT 'c1' AS contact_id, '2024-06-01' AS created_at, 'x' AS file_row_number"
    _write_parquet(case / "contacts.parquet", contacts)


def parquet_named_csv(case: Path) -> None:
    _write_parquet(
        case / "events.csv", "SELECT 'page_view' AS event_type, '2024-06-02' AS occurred_at, 'c1' AS contact_id"
    )


GENERATORS: dict[str, Callable[[Path], None]] = {
    f.__name__: f
    for f in (
        late_invalid_utf8,
        long_field,
        long_jsonl_line,
        many_columns,
        parquet_struct_properties,
        parquet_gz,
        parquet_named_csv,
        parquet_file_row_number_column,
    )
}


# ------------------------------------------------------------------------------------ reading a warehouse


def _raw_counts(db: Path) -> dict[str, int]:
    if not db.exists():
        return {}
    return {table: query(db, f"SELECT count(*) FROM raw.{table}")[0][0] for table in [*ENTITIES, "load_rejects"]}


def _rejects(db: Path, entity: str, files: list[str]) -> list[str]:
    listed = ", ".join("'" + name.replace("'", "''") + "'" for name in files)
    return [
        row[0]
        for row in query(
            db,
            f"SELECT reason FROM raw.load_rejects WHERE entity = '{entity}' AND source_file IN ({listed}) "
            "ORDER BY source_file, row_number",
        )
    ]


def _summary(stdout: str) -> dict[str, dict[str, int]]:
    """The printed table: entity (and total) -> files and the counts of COUNT_COLUMNS."""
    table: dict[str, dict[str, int]] = {}
    for line in stdout.splitlines():
        words = line.split()
        if words and words[0] in (*LOAD_ORDER, "total") and len(words) == 8:
            numbers = [int(word.replace(",", "")) for word in words[1:]]
            table[words[0]] = dict(zip(("files", *COUNT_COLUMNS), numbers, strict=True))
    return table


# ------------------------------------------------------------------------------------ the test


def test_every_corpus_directory_is_in_the_manifest() -> None:
    directories = {path.name for path in CORPUS.iterdir() if path.is_dir()}
    listed = {case["case"] for case in MANIFEST}
    generated = {case["case"] for case in MANIFEST if "generate" in case}
    assert directories - listed == set()
    assert listed - directories <= generated
    assert len(listed) == len(MANIFEST) >= 40
    assert {case["generate"] for case in MANIFEST if "generate" in case} <= set(GENERATORS)


@pytest.mark.parametrize("case", MANIFEST, ids=[case["case"] for case in MANIFEST])
def test_corpus_case(case: dict[str, Any], tmp_path: Path) -> None:
    root = tmp_path / case["case"]
    if (CORPUS / case["case"]).is_dir():
        shutil.copytree(CORPUS / case["case"], root)
    else:
        root.mkdir()
    if "generate" in case:
        GENERATORS[case["generate"]](root)
    db = tmp_path / "warehouse" / "w.duckdb"
    for number, expected in enumerate(case["loads"], start=1):
        directory = root / expected.get("dir", ".")
        what = f"{case['case']} load {number}"
        before = _raw_counts(db)
        result = subprocess.run(
            [sys.executable, "-m", "leadscore.cli", "load", str(directory), "--db", str(db)],
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
        assert "Traceback" not in result.stdout + result.stderr, what
        if "error" in expected:
            assert result.returncode == 1, (what, result.stdout, result.stderr)
            [line] = result.stderr.splitlines()
            assert line.startswith("leadscore: error: "), line
            fragments = expected["error"] if isinstance(expected["error"], list) else [expected["error"]]
            for fragment in fragments:
                assert fragment in line, (what, line)
            assert _raw_counts(db) in (before, {name: 0 for name in [*ENTITIES, "load_rejects"]}), what
            continue
        assert result.returncode == 0, (what, result.stderr)
        _check_load(what, db, directory, expected, before, _raw_counts(db), result.stdout)
    for check in case.get("check", []):
        assert [list(row) for row in query(db, check["sql"])] == check["rows"], (case["case"], check["sql"])


def _check_load(
    what: str,
    db: Path,
    directory: Path,
    expected: dict[str, Any],
    before: dict[str, int],
    after: dict[str, int],
    stdout: str,
) -> None:
    summary = _summary(stdout)
    assert set(summary) == {*LOAD_ORDER, "total"}, stdout
    files = [path.name for path in directory.iterdir() if path.is_file()]
    for entity in LOAD_ORDER:
        counts = summary[entity]
        outcomes = [counts[name] for name in COUNT_COLUMNS[1:]]
        assert counts["rows_in"] == sum(outcomes), (what, entity, counts)
        assert [counts[name] for name in COUNT_COLUMNS] == expected["counts"].get(entity, [0] * 6), (what, entity)
        # The raw table grew by the new keys; an update replaces a row, the others add none.
        assert after[entity] - before.get(entity, 0) == counts["loaded"], (what, entity)
        reasons = _rejects(db, entity, files)
        assert len(reasons) == counts["rejected"], (what, entity, reasons)
        wanted = expected.get("rejects", {}).get(entity, [])
        assert len(reasons) == len(wanted) and all(f in r for f, r in zip(wanted, reasons, strict=True)), (
            what,
            entity,
            reasons,
        )
    total = summary["total"]
    for name in COUNT_COLUMNS:
        assert total[name] == sum(summary[entity][name] for entity in LOAD_ORDER), (what, name)
    assert total["rows_in"] == sum(total[name] for name in COUNT_COLUMNS[1:]), what
    assert after["load_rejects"] - before.get("load_rejects", 0) <= total["rejected"], what
    for fragment in expected.get("notes", []):
        assert fragment in stdout, (what, fragment, stdout)
