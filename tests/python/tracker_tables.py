"""Segment / RudderStack warehouse tables for end-to-end tests, created in a DuckDB warehouse with the
column names and types the warehouse destinations write (segment-docs `warehouses/schema.md`,
rudderstack-docs `warehouse-schemas`): every call's envelope (id, anonymous_id, user_id, the four
timestamps, uuid_ts, context_*) plus the table's own columns (traits, properties) as top-level columns."""

from __future__ import annotations

import json
from pathlib import Path

import duckdb

# the envelope every call carries, with the destination's types (timestamps with time zone)
ENVELOPE = {
    "id": "VARCHAR",
    "anonymous_id": "VARCHAR",
    "user_id": "VARCHAR",
    "received_at": "TIMESTAMPTZ",
    "sent_at": "TIMESTAMPTZ",
    "timestamp": "TIMESTAMPTZ",
    "original_timestamp": "TIMESTAMPTZ",
    "uuid_ts": "TIMESTAMPTZ",
    "context_ip": "VARCHAR",
    "context_library_name": "VARCHAR",
    "context_page_url": "VARCHAR",
}
# the columns of each table beyond the envelope (traits and properties are columns of their own)
TABLE_COLUMNS = {
    "identifies": {"email": "VARCHAR", "name": "VARCHAR"},
    "pages": {"name": "VARCHAR", "path": "VARCHAR", "url": "VARCHAR", "title": "VARCHAR", "referrer": "VARCHAR"},
    "tracks": {"event": "VARCHAR", "event_text": "VARCHAR"},
    "screens": {"name": "VARCHAR"},
}


def call(message_id: str, at: str, **columns: object) -> dict[str, object]:
    """One call: its id, its timestamp (sent, received a second later) and its own columns."""
    return {"id": message_id, "timestamp": at, "original_timestamp": at, "sent_at": at, "received_at": at,
            "uuid_ts": at, "context_library_name": "analytics.js", **columns}


def create_tracker_tables(
    db_path: Path, schema: str, tables: dict[str, list[dict[str, object]]],
    extra_columns: dict[str, dict[str, str]] | None = None,
) -> None:
    """The named tables in `schema` (only those given: a source without screen calls has no screens table)."""
    with duckdb.connect(str(db_path)) as con:
        con.execute(f'create schema if not exists "{schema}"')
        for table, rows in tables.items():
            columns = {**ENVELOPE, **TABLE_COLUMNS[table], **(extra_columns or {}).get(table, {})}
            definition = ", ".join(f'"{name}" {data_type}' for name, data_type in columns.items())
            con.execute(f'create or replace table "{schema}"."{table}" ({definition})')
            names = list(columns)
            placeholders = ", ".join("?" for _ in names)
            for row in rows:
                unknown = set(row) - set(names)
                assert not unknown, f"{table}: no column {unknown}"
                con.execute(
                    f'insert into "{schema}"."{table}" ({", ".join(chr(34) + n + chr(34) for n in names)}) '
                    f"values ({placeholders})",
                    [row.get(name) for name in names],
                )


def segment_record(message_id: str, day: int, **fields: object) -> dict[str, object]:
    """One Segment call of June 2024, as a JSON Lines record of `leadscore load --source segment`."""
    stamp = f"2024-06-{day:02d}T10:00:00Z"
    return {"id": message_id, "anonymous_id": None, "user_id": None, "timestamp": stamp, "received_at": stamp,
            "sent_at": stamp, "original_timestamp": stamp, "uuid_ts": stamp, "context_library_name": "analytics.js",
            **fields}


def write_segment_files(directory: Path, first_email: str, second_email: str) -> None:
    """Segment's warehouse tables as JSON Lines files (connectors.md section 3): visitor anon-a browses,
    then identifies with first_email (written in capitals: identities match case-blind) and requests a
    demo; anon-c browses, then identifies with second_email and submits a form; anon-x is never
    identified."""
    directory.mkdir(parents=True, exist_ok=True)
    identifies = [
        segment_record("i1", 10, anonymous_id="anon-a", user_id="u-first", email=first_email.upper()),
        segment_record("i2", 12, anonymous_id="anon-c", user_id="u-second", email=second_email),
    ]
    pages = [
        segment_record("p1", 5, anonymous_id="anon-a", url="https://acme.example/pricing", path="/pricing",
                       title="Pricing", name="Pricing"),
        segment_record("p2", 11, anonymous_id="anon-a", user_id="u-first", url="https://acme.example/demo",
                       path="/demo", title="Demo", name="Demo"),
        segment_record("p3", 13, anonymous_id="anon-c", url="https://acme.example/pricing", path="/pricing",
                       title="Pricing", name="Pricing"),
        segment_record("p4", 14, anonymous_id="anon-x", url="https://acme.example/blog", path="/blog",
                       title="Blog", name="Blog"),
    ]
    tracks = [
        segment_record("t1", 15, user_id="u-first", event="Demo Requested", event_text="Demo Requested"),
        segment_record("t2", 16, anonymous_id="anon-c", user_id="u-second", event="Form Submitted",
                       event_text="Form Submitted"),
    ]
    for name, records in (("identifies", identifies), ("pages", pages), ("tracks", tracks)):
        (directory / f"{name}.jsonl").write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
