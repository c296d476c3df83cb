"""Helpers for end-to-end tests: a copy of the dbt project with its own grids, raw files, a build."""

from __future__ import annotations

import csv
import shutil
from datetime import datetime, timedelta
from pathlib import Path

import duckdb

from leadscore.build import build
from leadscore.load import load_directory
from leadscore.paths import PROJECT_DIR
from leadscore_dev.generate import generate

PROJECT_PARTS = ("dbt_project.yml", "profiles.yml", "models", "macros", "seeds", "tests/generic", "tests/fixtures")


def copy_project(destination: Path, grids: dict[str, list[dict[str, object]]] | None = None) -> Path:
    """The dbt project copied to destination, with some seed files replaced by the given rows."""
    for part in PROJECT_PARTS:
        source = PROJECT_DIR / part
        target = destination / part
        if source.is_dir():
            shutil.copytree(source, target, symlinks=False)
        else:
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target)
    for seed_name, rows in (grids or {}).items():
        seed_path = destination / "seeds" / f"{seed_name}.csv"
        with open(seed_path, encoding="utf-8", newline="") as handle:
            header = next(csv.reader(handle))
        write_csv(seed_path, rows, header)
    return destination


def write_csv(path: Path, rows: list[dict[str, object]], header: list[str] | None = None) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    columns = header or list(dict.fromkeys(key for row in rows for key in row))
    with open(path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=columns)
        writer.writeheader()
        for row in rows:
            writer.writerow({key: "" if value is None else value for key, value in row.items()})
    return path


def query(db_path: Path, sql: str, params: list[object] | None = None) -> list[tuple[object, ...]]:
    """Rows of one query on a DuckDB file opened read-only (a warehouse or a serving file)."""
    with duckdb.connect(str(db_path), read_only=True) as con:
        return con.execute(sql, params or []).fetchall()


def iso(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def ago(as_of: datetime, days: float) -> str:
    return iso(as_of - timedelta(days=days))


def warehouse_with_contacts(db_path: Path, contacts: int = 20) -> Path:
    """A small loaded warehouse (once per path) for a build expected to stop on a grid or a var: a build
    needs an existing warehouse with contacts (leadscore.build), and creates neither."""
    if not db_path.exists():
        raw = db_path.with_name(db_path.stem + "_raw")
        generate(out_dir=raw, contacts=contacts, days=10, seed=5, end_date="2024-06-30")
        load_directory(db_path, raw)
    return db_path


def build_scores(
    project_dir: Path, raw_dir: Path, db_path: Path, as_of: datetime, vars_yaml: str | None = None
) -> dict[str, dict[str, object]]:
    """Load raw_dir, build the copied project as of as_of, and return lead_scores by contact_id."""
    load_directory(db_path, raw_dir)
    build(db_path, as_of=iso(as_of), vars_yaml=vars_yaml, project_dir=project_dir)
    return read_rows(db_path, "select * from main.lead_scores")


def read_rows(db_path: Path, query: str) -> dict[str, dict[str, object]]:
    con = duckdb.connect(str(db_path), read_only=True)
    try:
        cursor = con.execute(query)
        names = [column[0] for column in cursor.description]
        return {row[0]: dict(zip(names, row, strict=True)) for row in cursor.fetchall()}
    finally:
        con.close()
