"""``leadscore generate``: contract-shaped, deterministic, realistic enough to score and learn from.

Files are read back with DuckDB itself, the way the loader will read them.
"""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import duckdb
import pytest

from leadscore.contract import ENTITIES
from leadscore.errors import LeadscoreError
from leadscore_dev.generate import generate

END = "2024-06-30"
READERS = {
    "csv": "read_csv('{glob}', header = true, all_varchar = true, union_by_name = true)",
    "parquet": "read_parquet('{glob}', union_by_name = true)",
    "jsonl": "read_json('{glob}', format = 'newline_delimited', union_by_name = true)",
}

Query = Callable[[str], list[tuple]]


def _files(directory: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(directory.iterdir())}


def _warehouse(directory: Path, file_format: str = "csv") -> duckdb.DuckDBPyConnection:
    """One view per entity over its files (events span one file per month)."""
    con = duckdb.connect()
    con.execute("SET TimeZone = 'UTC'")
    for name in ENTITIES:
        glob = directory / f"{name}*.{file_format}"
        con.execute(f"CREATE VIEW {name} AS SELECT * FROM {READERS[file_format].format(glob=glob)}")
    return con


def _query(con: duckdb.DuckDBPyConnection) -> Query:
    return lambda sql: con.execute(sql).fetchall()


def _scalar(con: duckdb.DuckDBPyConnection, sql: str) -> float:
    row = con.execute(sql).fetchone()
    assert row is not None
    return row[0]


@pytest.fixture(scope="module")
def dataset(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, int]]:
    out = tmp_path_factory.mktemp("generated")
    counts = generate(out, contacts=1000, days=90, seed=7, end_date=END)
    return out, counts


@pytest.fixture(scope="module")
def con(dataset: tuple[Path, dict[str, int]]) -> duckdb.DuckDBPyConnection:
    return _warehouse(dataset[0])


# --- shape ---------------------------------------------------------------------------------------


def test_writes_one_file_per_entity_and_events_per_month(dataset: tuple[Path, dict[str, int]]) -> None:
    out, counts = dataset
    names = sorted(p.name for p in out.iterdir())
    assert names == [
        "accounts.csv", "contacts.csv", "events_2024-04.csv", "events_2024-05.csv", "events_2024-06.csv",
        "lead_status_changes.csv", "opportunities.csv", "score_adjustments.csv",
    ]
    assert set(counts) == set(ENTITIES)
    assert all(rows > 0 for rows in counts.values()), counts


@pytest.mark.parametrize("file_format", ["csv", "parquet", "jsonl"])
def test_every_format_is_readable_and_carries_the_contract(tmp_path: Path, file_format: str) -> None:
    counts = generate(tmp_path, contacts=300, days=60, end_date=END, file_format=file_format)
    con = _warehouse(tmp_path, file_format)
    for name, entity in ENTITIES.items():
        columns = {row[0].lower() for row in con.execute(f"DESCRIBE {name}").fetchall()}
        assert set(entity.columns) <= columns, (name, set(entity.columns) - columns)
        assert _scalar(con, f"SELECT count(*) FROM {name}") == counts[name]
        for column in entity.required:
            assert _scalar(con, f"SELECT count(*) FROM {name} WHERE {column} IS NULL") == 0, (name, column)
    assert _scalar(con, "SELECT count(*) FROM events WHERE contact_id IS NULL AND email IS NULL") == 0


def test_custom_columns_are_written(con: duckdb.DuckDBPyConnection) -> None:
    assert _scalar(con, "SELECT count(DISTINCT preferred_language) FROM contacts") >= 3
    assert {r[0] for r in con.execute("SELECT DISTINCT segment FROM accounts").fetchall()} >= {
        "smb", "mid_market", "enterprise"}


# --- determinism ---------------------------------------------------------------------------------


@pytest.mark.parametrize("file_format", ["csv", "parquet"])
def test_same_arguments_give_identical_bytes(tmp_path: Path, file_format: str) -> None:
    first = generate(tmp_path / "a", contacts=300, days=60, seed=3, end_date=END, file_format=file_format)
    second = generate(tmp_path / "b", contacts=300, days=60, seed=3, end_date=END, file_format=file_format)
    assert first == second
    assert _files(tmp_path / "a") == _files(tmp_path / "b")


def test_another_seed_gives_other_data(tmp_path: Path) -> None:
    generate(tmp_path / "a", contacts=300, days=60, seed=1, end_date=END)
    generate(tmp_path / "b", contacts=300, days=60, seed=2, end_date=END)
    a, b = _files(tmp_path / "a"), _files(tmp_path / "b")
    assert a.keys() == b.keys()
    assert all(a[name] != b[name] for name in a)


def test_rerun_replaces_the_files_of_an_earlier_run(tmp_path: Path) -> None:
    generate(tmp_path, contacts=50, days=60, end_date=END, file_format="parquet")
    generate(tmp_path, contacts=50, days=60, end_date=END, file_format="csv")
    (tmp_path / "notes.txt").write_text("kept")
    (tmp_path / "contacts_backup.csv").write_text("kept")
    generate(tmp_path, contacts=50, days=10, end_date=END, file_format="csv")
    names = {p.name for p in tmp_path.iterdir()}
    assert not any(n.endswith(".parquet") for n in names)
    assert "events_2024-05.csv" not in names and "events_2024-06.csv" in names
    assert {"notes.txt", "contacts_backup.csv"} <= names


# --- volume --------------------------------------------------------------------------------------


def test_rows_scale_with_contacts_and_days(tmp_path: Path) -> None:
    small = generate(tmp_path / "s", contacts=300, days=60, end_date=END)
    large = generate(tmp_path / "l", contacts=900, days=60, end_date=END)
    longer = generate(tmp_path / "d", contacts=300, days=180, end_date=END)
    assert 2.7 < large["contacts"] / small["contacts"] < 3.3
    assert 2.5 < large["events"] / small["events"] < 3.5
    assert 2.5 < large["accounts"] / small["accounts"] < 3.5
    assert longer["events"] > 1.6 * small["events"]


def test_default_intensity_is_about_thirty_events_per_contact(tmp_path: Path) -> None:
    counts = generate(tmp_path, contacts=400, days=180, end_date=END)
    assert 20 < counts["events"] / 400 < 40


def test_events_lie_in_the_period_and_after_their_contact(con: duckdb.DuckDBPyConnection) -> None:
    low, high = con.execute(
        "SELECT min(occurred_at::TIMESTAMPTZ), max(occurred_at::TIMESTAMPTZ) FROM events"
    ).fetchone()
    assert str(low.date()) >= "2024-04-02" and str(high.date()) <= END
    early = _scalar(con, """
        SELECT count(*) FROM events e JOIN contacts c USING (contact_id)
        WHERE e.occurred_at::TIMESTAMPTZ < c.created_at::TIMESTAMPTZ""")
    assert early == 0


# --- realism -------------------------------------------------------------------------------------


def test_email_mix(con: duckdb.DuckDBPyConnection) -> None:
    free = "('gmail.com','yahoo.fr','hotmail.com','outlook.com','orange.fr','free.fr','gmx.de','icloud.com')"
    share = _scalar(con, f"""
        SELECT avg((split_part(lower(email), '@', 2) IN {free})::INTEGER)
        FROM (SELECT DISTINCT contact_id, email FROM contacts)""")
    assert 0.15 < share < 0.35
    disposable = "SELECT count(*) FROM contacts WHERE email LIKE '%@yopmail.com' OR email LIKE '%@mailinator.com'"
    assert _scalar(con, disposable) > 0
    assert _scalar(con, "SELECT count(*) FROM contacts WHERE email IS NULL") > 0
    distinct = con.execute("""
        SELECT count(email), count(DISTINCT lower(email)) FROM (SELECT DISTINCT contact_id, email FROM contacts)
    """).fetchone()
    assert distinct[0] == distinct[1], "an email belongs to one contact"


def test_job_titles_are_messy_and_bilingual(con: duckdb.DuckDBPyConnection) -> None:
    titles = {r[0] for r in con.execute("SELECT DISTINCT job_title FROM contacts").fetchall()}
    assert titles & {"Directeur commercial", "Responsable achats", "Stagiaire", "Étudiant", "PDG", "Chef de projet"}
    assert titles & {"CEO", "VP Sales", "Marketing Manager", "Data Analyst", "Student"}
    assert None in titles
    assert any(t and (t != t.strip() or t.isupper() or "  " in t) for t in titles)


def test_timestamps_mix_offsets(con: duckdb.DuckDBPyConnection) -> None:
    shares = con.execute("""
        SELECT avg(regexp_matches(occurred_at, '[+-]\\d\\d:\\d\\d$')::INTEGER),
               avg((occurred_at LIKE '%Z')::INTEGER)
        FROM events""").fetchone()
    assert 0.1 < shares[0] < 0.3 and 0 < shares[1] < 0.15


def test_contacts_have_older_versions(con: duckdb.DuckDBPyConnection) -> None:
    twice = con.execute("""
        SELECT count(*), bool_and(n_updated = 2) FROM (
            SELECT contact_id, count(DISTINCT updated_at::TIMESTAMPTZ) AS n_updated
            FROM contacts GROUP BY contact_id HAVING count(*) > 1)""").fetchone()
    assert twice[0] > 0 and twice[1]
    assert _scalar(con, "SELECT count(*) FROM contacts WHERE updated_at::TIMESTAMPTZ < created_at::TIMESTAMPTZ") == 0


def test_events_exercise_the_loader(con: duckdb.DuckDBPyConnection) -> None:
    total = _scalar(con, "SELECT count(*) FROM events")
    duplicated = _scalar(
        con, "SELECT count(*) - count(DISTINCT event_id) - count(*) FILTER (event_id IS NULL) FROM events"
    )
    without_id = _scalar(con, "SELECT count(*) FILTER (event_id IS NULL) FROM events")
    email_only = _scalar(con, "SELECT count(*) FILTER (contact_id IS NULL) FROM events")
    unknown = _scalar(con, """SELECT count(*) FROM events
        WHERE contact_id NOT IN (SELECT contact_id FROM contacts)
           OR lower(email) NOT IN (SELECT lower(email) FROM contacts WHERE email IS NOT NULL)""")
    assert 0 < duplicated < 0.01 * total
    assert 0.03 < without_id / total < 0.07
    assert 0.06 < email_only / total < 0.14
    assert 0 < unknown < 0.005 * total
    assert _scalar(con, "SELECT count(*) FROM events WHERE event_type <> lower(trim(event_type))") > 0


def test_event_vocabulary(con: duckdb.DuckDBPyConnection) -> None:
    types = {r[0] for r in con.execute("SELECT DISTINCT lower(trim(event_type)) FROM events").fetchall()}
    assert {"page_view", "email_delivered", "email_open", "email_click", "content_download", "demo_requested",
            "webinar_registered", "webinar_attended", "form_submit"} <= types
    urls = _scalar(con, "SELECT count(*) FROM events WHERE url NOT LIKE 'https://www.example-saas.com/%'")
    assert urls == 0
    assert _scalar(con, "SELECT count(*) FROM events WHERE url LIKE '%/careers/%'") > 0
    assert _scalar(con, "SELECT count(*) FROM events WHERE asset = 'ebook-lead-scoring.pdf'") > 0
    assert _scalar(con, "SELECT count(*) FROM events WHERE json_valid(properties)") > 0
    assert _scalar(con, "SELECT count(*) FROM events WHERE properties IS NOT NULL AND NOT json_valid(properties)") == 0


def test_email_activity_follows_a_delivery_and_bots_click_fast(con: duckdb.DuckDBPyConnection) -> None:
    con.execute("""CREATE OR REPLACE TEMP VIEW mail AS
        SELECT coalesce(e.contact_id, c.contact_id) AS who, lower(trim(event_type)) AS kind, campaign,
               occurred_at::TIMESTAMPTZ AS moment
        FROM events e LEFT JOIN (SELECT DISTINCT contact_id, lower(email) AS email FROM contacts) c
            ON e.contact_id IS NULL AND lower(e.email) = c.email
        WHERE lower(trim(event_type)) IN ('email_delivered', 'email_open', 'email_click')""")
    gaps = con.execute("""
        WITH delivered AS (
            SELECT who, campaign, min(moment) AS sent FROM mail WHERE kind = 'email_delivered' GROUP BY ALL)
        SELECT count(*), count(*) FILTER (d.sent IS NULL OR m.moment < d.sent),
               count(*) FILTER (m.kind = 'email_click' AND epoch(m.moment) - epoch(d.sent) < 10)
        FROM mail m LEFT JOIN delivered d USING (who, campaign) WHERE m.kind <> 'email_delivered'
          -- opens in the first days may follow a delivery from before the period
          AND m.moment >= TIMESTAMPTZ '2024-04-10'
    """).fetchone()
    assert gaps[0] > 0 and gaps[1] == 0 and gaps[2] > 0


def test_conversion_is_learnable(con: duckdb.DuckDBPyConnection) -> None:
    per_group = dict(con.execute("""
        WITH signals AS (
            SELECT coalesce(e.contact_id, c.contact_id) AS contact_id FROM events e
            LEFT JOIN (SELECT DISTINCT contact_id, lower(email) AS email FROM contacts) c
                ON e.contact_id IS NULL AND lower(e.email) = c.email
            WHERE lower(trim(event_type)) = 'demo_requested' OR url LIKE '%/pricing%'
        ), people AS (SELECT DISTINCT contact_id FROM contacts)
        SELECT p.contact_id IN (SELECT contact_id FROM opportunities) AS converted,
               count(s.contact_id) / count(DISTINCT p.contact_id) AS signals_per_contact
        FROM people p LEFT JOIN signals s USING (contact_id) GROUP BY 1""").fetchall())
    assert per_group[True] > 2.5 * per_group[False], per_group
    rate = _scalar(
        con, "SELECT count(DISTINCT contact_id) / (SELECT count(DISTINCT contact_id) FROM contacts) FROM opportunities"
    )
    assert 0.02 < rate < 0.2


def test_opportunities_and_funnel_are_consistent(con: duckdb.DuckDBPyConnection) -> None:
    q = _query(con)
    stages = {r[0] for r in q("SELECT DISTINCT stage FROM opportunities")}
    assert stages <= {"discovery", "proposal", "negotiation", "closed_won", "closed_lost"} and "closed_won" in stages
    assert q("""SELECT count(*) FROM opportunities WHERE (stage = 'closed_won') <> is_won::BOOLEAN
                 OR (closed_at IS NULL) = is_closed::BOOLEAN""") == [(0,)]
    assert q("SELECT count(*) FROM opportunities WHERE account_id IS NULL OR contact_id IS NULL") == [(0,)]
    statuses = {r[0] for r in q("SELECT DISTINCT status FROM lead_status_changes")}
    assert statuses <= {"new", "mql", "sal", "sql", "opportunity", "won", "recycled", "disqualified"}
    out_of_order = q("""
        WITH ranked AS (
            SELECT contact_id, status, changed_at::TIMESTAMPTZ AS at,
                   ['new', 'mql', 'sal', 'sql', 'opportunity'].list_position(status) AS funnel_step
            FROM lead_status_changes)
        SELECT count(*) FROM ranked a JOIN ranked b USING (contact_id)
        WHERE a.funnel_step < b.funnel_step AND a.at >= b.at""")
    assert out_of_order == [(0,)]
    owners = {r[0] for r in q("SELECT DISTINCT owner FROM lead_status_changes")}
    assert owners <= {f"rep_{i:02d}" for i in range(1, 13)}


def test_score_adjustments(tmp_path: Path) -> None:
    generate(tmp_path, contacts=3000, days=180, end_date=END)
    con = _warehouse(tmp_path)
    rows = con.execute("SELECT points::DOUBLE, reason, expires_at FROM score_adjustments").fetchall()
    assert 5 <= len(rows) <= 30
    assert {r[1] for r in rows} & {"Met at trade show", "Existing customer contact", "Wrong persona"}
    assert any(r[0] < 0 for r in rows) and any(r[0] > 0 for r in rows)
    assert any(r[2] is None for r in rows) and any(r[2] is not None for r in rows)


# --- arguments and the command line --------------------------------------------------------------


@pytest.mark.parametrize(
    "kwargs",
    [
        {"contacts": 0},
        {"days": 0},
        {"end_date": "2024-13-01"},
        {"end_date": "30/06/2024"},
        {"end_date": "2024-W26-1"},
        {"file_format": "xml"},
    ],
)
def test_bad_arguments_raise_a_clear_error(tmp_path: Path, kwargs: dict[str, object]) -> None:
    arguments: dict[str, object] = {"contacts": 10, "days": 5, "end_date": END, **kwargs}
    with pytest.raises(LeadscoreError) as raised:
        generate(tmp_path / "out", **arguments)  # type: ignore[arg-type]
    message = str(raised.value)
    assert "\n" not in message and message.endswith(".")
    assert not (tmp_path / "out").exists()


def test_progress_is_reported(tmp_path: Path) -> None:
    lines: list[str] = []
    generate(tmp_path, contacts=20, days=40, end_date=END, progress=lines.append)
    assert "Generating contacts (20)..." in lines
    assert "Generating events for 2024-05..." in lines and "Generating events for 2024-06..." in lines


def _cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "leadscore.cli", "generate", *args], capture_output=True, text=True, timeout=120
    )


def test_cli_generate_writes_files(tmp_path: Path) -> None:
    result = _cli("--out", str(tmp_path), "--contacts", "40", "--days", "20", "--end-date", END,
                  "--format", "jsonl")
    assert result.returncode == 0, result.stderr
    assert "Generating events for 2024-06..." in result.stdout
    assert (tmp_path / "contacts.jsonl").exists() and (tmp_path / "events_2024-06.jsonl").exists()


def test_cli_bad_end_date_is_one_line_without_traceback(tmp_path: Path) -> None:
    result = _cli("--out", str(tmp_path / "out"), "--end-date", "2024-02-30")
    assert result.returncode != 0
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "2024-02-30" in lines[0]
    assert "Traceback" not in result.stderr
