"""seeds/source_event_mappings.csv is a team's: a mistake in it stops the build with one line naming the
seed, the row (system.source_table/source_type) and the problem; a valid file builds. The rows are the
test's own (a team edits the shipped ones)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from leadscore.build import build
from leadscore.errors import LeadscoreError
from worked_examples import copy_project, query, warehouse_with_contacts

AS_OF = "2024-07-01T00:00:00Z"
SEED = "source_event_mappings"
HEADER = "system,source_table,source_type,event_type,url_field,asset_field,campaign_field,description"
VALID_ROWS = [
    "segment,pages,,page_view,url,,,Every page",
    "segment,tracks,demo requested,demo_requested,context_page_url,,,A demo asked for",
    "hubspot,email_event_click,,email_click,url,,email_campaign_id,A click",
]

MISTAKES: list[tuple[str, str, str]] = [
    ("segmnt,pages,,page_view,url,,,Typo", "mapping segmnt.pages",
     "unknown system 'segmnt' (one of hubspot, salesforce, marketo, segment, rudderstack)"),
    ("segment,screens,,,name,,,No type", "mapping segment.screens", "event_type is empty"),
    ("segment,pages,,page_visit,url,,,Again", "mapping segment.pages",
     "(system, source_table, source_type) appears 2 times"),
    ("segment,tracks,Demo Requested,demo_request,,,,Same type in other case", "mapping segment.tracks/Demo Requested",
     "(system, source_table, source_type) appears 2 times"),
    ("segment,tracks,signed up,Signed Up,,,,Capitals", "mapping segment.tracks/signed up",
     "event_type 'Signed Up' is not lower case and trimmed (e.g. page_view)"),
    ("segment,screens,,screen_view,screen name,,,Spaces", "mapping segment.screens",
     "url_field 'screen name' is not a column name (letters, digits, _)"),
    ("hubspot,email_event_open,,email_open,,,email-campaign,Hyphen", "mapping hubspot.email_event_open",
     "campaign_field 'email-campaign' is not a column name (letters, digits, _)"),
    ("hubspot,email event,,email_open,,,,Space in table", "mapping hubspot.email event",
     "source_table 'email event' is not a table name (letters, digits, _)"),
]


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """One copy for every case (each writes the whole seed): dbt parses it once."""
    yield copy_project(tmp_path_factory.mktemp("event_mappings") / "project")


def write_seed(project: Path, rows: list[str]) -> None:
    (project / "seeds" / f"{SEED}.csv").write_text("\n".join([HEADER, *rows]) + "\n", encoding="utf-8")


@pytest.mark.parametrize(("line", "row", "problem"), MISTAKES,
                         ids=[re.sub(r"[^a-z0-9]+", "-", problem.lower())[:40] for _, _, problem in MISTAKES])
def test_a_mapping_mistake_stops_the_build_naming_the_row_and_problem(
    project: Path, tmp_path: Path, line: str, row: str, problem: str
) -> None:
    write_seed(project, [*VALID_ROWS, line])
    with pytest.raises(LeadscoreError) as failure:
        build(warehouse_with_contacts(tmp_path / "w.duckdb"), as_of=AS_OF, project_dir=project, select=SEED)
    message = str(failure.value)
    assert "\n" not in message
    assert f"seed {SEED}, " in message
    assert f"{row}: {problem}" in message
    assert "called by" not in message


def test_a_valid_mapping_seed_builds(project: Path, tmp_path: Path) -> None:
    write_seed(project, VALID_ROWS)
    db_path = warehouse_with_contacts(tmp_path / "w.duckdb")
    build(db_path, as_of=AS_OF, project_dir=project, select=SEED)
    rows = query(db_path, f"select system, source_table, source_type, event_type from main.{SEED} order by 1, 2")
    assert rows == [
        ("hubspot", "email_event_click", None, "email_click"),
        ("segment", "pages", None, "page_view"),
        ("segment", "tracks", "demo requested", "demo_requested"),
    ]
