"""`leadscore explain`: the real command on a small generated warehouse, checked against the published
lead_scores and lead_score_breakdown tables it explains."""

from __future__ import annotations

import csv
import json
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import duckdb
import pytest

from leadscore.build import build
from leadscore.load import load_directory
from leadscore_dev.generate import generate
from worked_examples import query, write_csv

AS_OF = "2024-07-01T00:00:00Z"
# low enough that the best generated leads are clamped, so that the clamped case is explained too
LEAD_SCORE_MAX = 150
DUPLICATE_ID = "DUPLICATE_EMAIL"
TERM = re.compile(r"[+-]\d+\.\d")


def leadscore(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "leadscore.cli", *args], capture_output=True, text=True, timeout=600
    )


def assert_one_line_error(result: subprocess.CompletedProcess[str], *fragments: str) -> None:
    assert result.returncode == 1, result.stdout + result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("leadscore: error: "), result.stderr
    assert "Traceback" not in result.stdout + result.stderr
    for fragment in fragments:
        assert fragment in lines[0]


@pytest.fixture(scope="module")
def warehouse(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """300 generated contacts, plus one contact sharing another's email (in upper case), built and
    published as of AS_OF with lead_score_max set."""
    root = tmp_path_factory.mktemp("explain")
    generate(out_dir=root / "raw", contacts=300, days=60, seed=11, end_date="2024-06-30")
    with open(root / "raw" / "contacts.csv", encoding="utf-8", newline="") as handle:
        shared = next(row["email"] for row in csv.DictReader(handle) if row["email"])
    write_csv(root / "extra" / "contacts.csv", [
        {"contact_id": DUPLICATE_ID, "created_at": "2024-01-02T00:00:00Z", "email": shared.upper()},
    ])
    db_path = root / "warehouse.duckdb"
    load_directory(db_path, root / "raw")
    load_directory(db_path, root / "extra")
    build(db_path, as_of=AS_OF, vars_yaml=f"{{lead_score_max: {LEAD_SCORE_MAX}}}")
    return db_path


def serving(warehouse: Path) -> Path:
    return warehouse.with_name("serving.duckdb")


def pick(warehouse: Path, where: str) -> str:
    found = query(serving(warehouse), f"select contact_id from lead_scores where {where} order by contact_id limit 1")
    assert found, f"the generated warehouse has no lead where {where}"
    return str(found[0][0])


def lead(warehouse: Path, contact_id: str) -> dict[str, Any]:
    con = duckdb.connect(str(serving(warehouse)), read_only=True)
    try:
        cursor = con.execute("select * from lead_scores where contact_id = ?", [contact_id])
        names = [column[0] for column in cursor.description]
        return dict(zip(names, cursor.fetchone() or (), strict=True))
    finally:
        con.close()


def breakdown(warehouse: Path, contact_id: str) -> dict[str, tuple[Any, ...]]:
    rows = query(
        serving(warehouse),
        "select dimension || '|' || rule_id, points, raw_points, occurrences from lead_score_breakdown "
        "where contact_id = ?",
        [contact_id],
    )
    return {row[0]: row[1:] for row in rows}


def explain_json(warehouse: Path, *args: str) -> dict[str, Any]:
    result = leadscore("explain", "--db", str(warehouse), "--format", "json", *args)
    assert result.returncode == 0, result.stderr
    assert len(result.stdout.strip().splitlines()) == 1, "one JSON object"
    return json.loads(result.stdout)


def explain_text(warehouse: Path, *args: str) -> str:
    result = leadscore("explain", "--db", str(warehouse), *args)
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stdout + result.stderr
    return result.stdout


def line_starting(text: str, prefix: str) -> str:
    [found] = [line for line in text.splitlines() if line.startswith(prefix)]
    return found


def test_an_mql_is_explained_by_contributions_that_add_up_to_its_score(warehouse: Path) -> None:
    contact_id = pick(warehouse, f"is_mql and lead_score < {LEAD_SCORE_MAX} and fit_score <> 0")
    expected, rows = lead(warehouse, contact_id), breakdown(warehouse, contact_id)
    assert len(rows) >= 2

    explained = explain_json(warehouse, contact_id)
    assert explained["contact"]["contact_id"] == contact_id
    got = {f"{row['dimension']}|{row['rule_id']}": row for row in explained["contributions"]}
    assert set(got) == set(rows), "every contribution of the breakdown, nothing else"
    for key, (points, raw_points, occurrences) in rows.items():
        assert got[key]["points"] == pytest.approx(points)
        assert got[key]["raw_points"] == pytest.approx(raw_points)
        assert got[key]["occurrences"] == occurrences
    assert sum(row["points"] for row in explained["contributions"]) == pytest.approx(expected["lead_score"])
    assert explained["lead_score"] == pytest.approx(expected["lead_score"])
    assert explained["fit_score"] == pytest.approx(expected["fit_score"])
    assert explained["engagement_score"] == pytest.approx(expected["engagement_score"])
    assert explained["adds_up"] is True and explained["is_clamped"] is False
    assert (explained["grade"], explained["tier"], explained["is_mql"]) == (expected["grade"], "hot", True)
    assert explained["mql_status"] == "mql" and explained["mql_blocked_reason"] is None
    assert explained["account"] == {
        "account_id": expected["account_id"],
        "resolved_account_id": expected["resolved_account_id"],
        "account_match_method": expected["account_match_method"],
    }

    text = explain_text(warehouse, contact_id)
    assert text.startswith(f"Lead {contact_id}: ")
    for key, (points, _raw, _occurrences) in rows.items():
        rule_id = key.split("|", 1)[1]
        [shown] = [line for line in text.splitlines() if f"  {rule_id}: " in line]
        assert f"{points:+.1f}" in shown
    terms = TERM.findall(line_starting(text, "Sum ").split("=")[0])
    assert len(terms) == len(rows)
    assert sum(float(term) for term in terms) == pytest.approx(expected["lead_score"], abs=0.05 * len(terms))
    assert f"Lead score {expected['lead_score']:.1f}" in text
    assert "(clamped from" not in text
    assert line_starting(text, "Grade ").startswith(f"Grade     {expected['grade']} ")
    assert line_starting(text, "MQL ").startswith("MQL       yes")


def test_a_lead_under_the_threshold_says_how_far_it_is(warehouse: Path) -> None:
    contact_id = pick(warehouse, "not is_mql and tier <> 'hot' and lead_score > 0")
    expected = lead(warehouse, contact_id)
    explained = explain_json(warehouse, contact_id)
    assert explained["mql_status"] == "below_threshold" and explained["is_mql"] is False
    assert explained["contributions_total"] == pytest.approx(expected["lead_score"])
    text = explain_text(warehouse, contact_id)
    short = expected["mql_threshold_applied"] - expected["lead_score"]
    assert line_starting(text, "MQL ") == (
        f"MQL       no: lead score {expected['lead_score']:.1f} is below the threshold "
        f"{expected['mql_threshold_applied']:g} ({short:.1f} points short)"
    )


def test_a_blocked_lead_says_why(warehouse: Path) -> None:
    contact_id = pick(warehouse, "mql_blocked_reason is not null")
    expected = lead(warehouse, contact_id)
    explained = explain_json(warehouse, contact_id)
    assert explained["is_mql"] is False and explained["mql_status"] == "blocked"
    assert explained["mql_blocked_reason"] == expected["mql_blocked_reason"]
    mql_line = line_starting(explain_text(warehouse, contact_id), "MQL ")
    assert mql_line.startswith(f"MQL       no, blocked ({expected['mql_blocked_reason']}): ")


def test_a_clamped_score_is_said_to_be_clamped(warehouse: Path) -> None:
    contact_id = pick(warehouse, "lead_score_unclamped > lead_score")
    expected = lead(warehouse, contact_id)
    assert expected["lead_score"] == LEAD_SCORE_MAX
    explained = explain_json(warehouse, contact_id)
    assert explained["contributions_total"] == pytest.approx(expected["lead_score_unclamped"])
    assert explained["lead_score"] == LEAD_SCORE_MAX
    assert explained["is_clamped"] is True and explained["adds_up"] is True
    text = explain_text(warehouse, contact_id)
    assert f"Lead score {LEAD_SCORE_MAX:.1f} (clamped from {expected['lead_score_unclamped']:.1f}" in text


def test_email_is_matched_case_insensitively(warehouse: Path) -> None:
    contact_id = pick(warehouse, f"email is not null and contact_id <> '{DUPLICATE_ID}' and email not in "
                                 f"(select email from lead_scores where contact_id = '{DUPLICATE_ID}')")
    email = lead(warehouse, contact_id)["email"]
    explained = explain_json(warehouse, "--email", f"  {email.upper()} ")
    assert explained["contact"]["contact_id"] == contact_id


def test_an_email_shared_by_several_contacts_lists_them(warehouse: Path) -> None:
    [(email,)] = query(serving(warehouse), "select email from lead_scores where contact_id = ?", [DUPLICATE_ID])
    sharing = [row[0] for row in query(
        serving(warehouse), "select contact_id from lead_scores where email = ? order by contact_id", [email]
    )]
    assert len(sharing) == 2
    result = leadscore("explain", "--db", str(warehouse), "--email", email)
    assert_one_line_error(result, "2 contacts have the email", ", ".join(sharing))


def test_unknown_contacts_and_missing_files_fail_with_one_line(warehouse: Path, tmp_path: Path) -> None:
    assert_one_line_error(leadscore("explain", "--db", str(warehouse), "NO_SUCH_CONTACT"), "'NO_SUCH_CONTACT'")
    assert_one_line_error(leadscore("explain", "--db", str(warehouse), "--email", "nobody@example.org"),
                          "nobody@example.org")
    assert_one_line_error(leadscore("explain", "--db", str(warehouse), " "), "empty")
    missing = tmp_path / "elsewhere.duckdb"
    assert_one_line_error(leadscore("explain", "--db", str(missing), "C0000001"), "nothing published yet")
    assert not missing.exists() and not missing.with_name("elsewhere.serving.duckdb").exists()


def test_the_mql_export_carries_the_resolved_account(warehouse: Path, tmp_path: Path) -> None:
    result = leadscore("export", "--db", str(warehouse), "--out", str(tmp_path), "--format", "csv")
    assert result.returncode == 0, result.stderr
    with open(tmp_path / "mql_leads.csv", encoding="utf-8", newline="") as handle:
        exported = {row["contact_id"]: row for row in csv.DictReader(handle)}
    expected = query(
        serving(warehouse),
        "select contact_id, account_id, resolved_account_id, account_match_method from lead_scores where is_mql",
    )
    assert len(exported) == len(expected) > 0
    for contact_id, account_id, resolved_account_id, method in expected:
        row = exported[contact_id]
        assert (row["account_id"], row["resolved_account_id"], row["account_match_method"]) == (
            account_id or "", resolved_account_id or "", method
        )
