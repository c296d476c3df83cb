"""Rule discovery by `leadscore calibrate` (issue 15) on leads this test writes, with planted attributes
and a known propensity: a custom column `plan_interest` whose value 'high' triples the odds of
converting, a numeric `visits` column whose odds rise with it, and a `favourite_colour` column that
has nothing to do with it. One module-scoped warehouse: build, calibrate twice, build again with the
proposal as challenger, whose backtest must score every test lead as calibrate said it would."""

from __future__ import annotations

import math
import random
import subprocess
import sys
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from leadscore.build import build
from leadscore.calibrate import Calibration, calibrate, choose_threshold, precision_at_share
from leadscore.errors import LeadscoreError
from leadscore.load import load_directory
from leadscore.serving import serving_path_for
from worked_examples import copy_project, iso, query, write_csv

CONTACTS = 2000
START = datetime(2024, 1, 1)
AS_OF = "2024-12-15T00:00:00Z"
FIRST, SECOND = "calibrated_first", "calibrated_second"
COLOURS = ("red", "green", "blue", "yellow", "purple")


def planted_leads(out: Path, seed: int = 7) -> None:
    """2,000 contacts created over 240 days; log-odds of converting -2.6 + ln 3 x [plan_interest high]
    + 0.09 x visits + ln 2 x [viewed the pricing page]; an opportunity 20 days after creation for the
    converted ones; a blog page view in their first hours for everyone, the pricing page for 30%."""
    rng = random.Random(seed)
    contacts, opportunities, events = [], [], []
    for number in range(CONTACTS):
        created = START + timedelta(days=240 * number / CONTACTS)
        interest = rng.choices(("high", "medium", "low", ""), weights=(25, 30, 35, 10))[0]
        visits = rng.randint(0, 25)
        pricing = rng.random() < 0.3
        logit = -2.6 + math.log(3.0) * (interest == "high") + 0.09 * visits + math.log(2.0) * pricing
        converted = rng.random() < 1 / (1 + math.exp(-logit))
        contact_id = f"P{number:05d}"
        contacts.append({"contact_id": contact_id, "created_at": iso(created), "email": f"lead{number}@example.org",
                         "plan_interest": interest, "visits": visits, "favourite_colour": rng.choice(COLOURS)})
        if converted:
            opportunities.append({"opportunity_id": f"O{number:05d}", "contact_id": contact_id,
                                  "created_at": iso(created + timedelta(days=20)), "stage": "open"})
        events.append({"event_id": f"E{number:05d}a", "contact_id": contact_id, "event_type": "page_view",
                       "occurred_at": iso(created + timedelta(hours=2)), "url": "https://example.org/blog/post"})
        if pricing:
            events.append({"event_id": f"E{number:05d}b", "contact_id": contact_id, "event_type": "page_view",
                           "occurred_at": iso(created + timedelta(hours=5)), "url": "https://example.org/pricing?x=1"})
    write_csv(out / "contacts.csv", contacts)
    write_csv(out / "opportunities.csv", opportunities)
    write_csv(out / "events.csv", events)


@pytest.fixture(scope="module")
def planted(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    root = tmp_path_factory.mktemp("calibrate")
    project = copy_project(root / "project")
    planted_leads(root / "raw")
    db_path = root / "warehouse.duckdb"
    load_directory(db_path, root / "raw")
    build(db_path, as_of=AS_OF, project_dir=project)
    first = calibrate(db_path, project_dir=project, name=FIRST)
    first_files = {path: path.read_bytes() for path in first.written}
    second = calibrate(db_path, project_dir=project, name=SECOND, mql_share_pct=10)
    build(db_path, as_of=AS_OF, project_dir=project, vars_yaml=f"{{challenger_grid: {FIRST}}}")
    return {"root": root, "project": project, "db": db_path, "first": first, "second": second,
            "first_files": first_files}


def points_by_value(calibration: Calibration, attribute: str) -> dict[str, float]:
    return {rule.rule.value: rule.points for rule in calibration.rules
            if rule.kind == "fit_rules" and rule.rule.attribute == attribute}


def test_discovery_finds_the_planted_attributes(planted: dict[str, Any]) -> None:
    calibration: Calibration = planted["first"]
    interest = points_by_value(calibration, "plan_interest")
    assert interest.get("high", 0) > 0, interest
    assert all(interest["high"] > points for value, points in interest.items() if value != "high"), interest
    # tripled odds: about 16 points (10 per doubling); the fit is regularised and the sample small
    others = [points for value, points in interest.items() if value != "high"] or [0.0]
    assert 8 <= interest["high"] - max(others) <= 25, interest
    visits = {rule.rule.value: rule.points for rule in calibration.rules
              if rule.kind == "fit_rules" and rule.rule.attribute == "visits"}
    assert visits, "the numeric attribute is binned"
    low = [points for value, points in visits.items() if value.startswith(("0", "1|", "2|"))]
    top = [rule.points for rule in calibration.rules if rule.kind == "fit_rules"
           and rule.rule.attribute == "visits" and rule.rule.operator == "gte"]
    assert top and top[0] > 0 and top[0] > max(low or [0.0]), visits
    colour = points_by_value(calibration, "favourite_colour")
    assert all(abs(points) <= 3 for points in colour.values()), colour
    # engagement: the pricing page as a URL rule (each view decays a little by the decision instant)
    pricing = [rule for rule in calibration.rules if rule.kind == "engagement_rules"
               and (rule.rule.match_field, rule.rule.operator, rule.rule.value) == ("url", "contains", "/pricing")]
    assert pricing and pricing[0].points > 0, [rule.rule for rule in calibration.rules]


def test_proposal_beats_the_default_grid_and_has_a_ceiling(planted: dict[str, Any]) -> None:
    calibration: Calibration = planted["first"]
    current, proposal, ceiling = calibration.measures
    assert current.name.startswith("current grid (b2b_saas)") and ceiling.name.startswith("LightGBM")
    assert proposal.auc is not None and current.auc is not None and ceiling.auc is not None
    assert proposal.auc > current.auc + 0.1, (proposal.auc, current.auc)
    assert proposal.auc > 0.65 and abs(proposal.auc - ceiling.auc) < 0.08
    assert proposal.precision_top is not None and 0 < proposal.precision_top <= 1
    assert [row["decile"] for row in proposal.deciles] == list(range(1, 11))
    assert sum(row["leads"] for row in proposal.deciles) == calibration.test_leads


def test_the_backtest_scores_the_proposal_as_calibrate_did(planted: dict[str, Any]) -> None:
    """Built as challenger, the written grid passes the seed validation and its backtest gives every
    test lead the score calibrate computed, hence the AUC calibrate printed."""
    calibration: Calibration = planted["first"]
    rows = query(serving_path_for(planted["db"]),
                 "select contact_id, lead_score from main.backtest_lead_scores "
                 "where grid_role = 'challenger' and sample = 'test'")
    assert {contact for contact, _ in rows} == set(calibration.proposal_scores)
    assert all(score == pytest.approx(calibration.proposal_scores[contact], abs=1e-6) for contact, score in rows)
    [(auc,)] = query(serving_path_for(planted["db"]),
                     "select auc from main.backtest_summary where grid_role = 'challenger' and sample = 'test'")
    proposal = calibration.measure(f"proposal ({FIRST})")
    assert proposal is not None and auc == pytest.approx(proposal.auc, abs=1e-9)


def test_each_run_writes_a_grid_of_its_own(planted: dict[str, Any]) -> None:
    project, first, second = planted["project"], planted["first"], planted["second"]
    grids = project / "seeds" / "grids"
    for name, calibration in ((FIRST, first), (SECOND, second)):
        assert {path.name for path in calibration.written} == {
            f"fit_rules__{name}.csv", f"engagement_rules__{name}.csv", f"{name}__calibration.md",
            f"{name}__calibration.json"}
        assert all(path.parent == grids for path in calibration.written)
    assert all(path.read_bytes() == content for path, content in planted["first_files"].items()), \
        "the second run left the first proposal as it was"
    settings = (project / "seeds" / "scoring_grids.csv").read_text()
    assert settings.count(f"\n{FIRST},") == 1 and settings.count(f"\n{SECOND},") == 1
    markdown = (grids / f"{FIRST}__calibration.md").read_text()
    high = next(rule for rule in first.rules if rule.rule.attribute == "plan_interest" and rule.rule.value == "high")
    assert f"| {high.rule.rule_id} | fit | {int(high.points)} | {high.support:,} |" in markdown
    with pytest.raises(LeadscoreError, match=f"the grid {FIRST} exists already"):
        calibrate(planted["db"], project_dir=project, name=FIRST)
    with pytest.raises(LeadscoreError, match="the grid b2b_saas exists already"):
        calibrate(planted["db"], project_dir=project, name="b2b_saas")
    assert all(path.read_bytes() == content for path, content in planted["first_files"].items())


def test_the_same_backtest_gives_the_same_proposal(planted: dict[str, Any]) -> None:
    """Both runs read the same backtest (the second asks only another threshold share): the same rules,
    points and measures, so a proposal reviewed in git can be made again."""
    first, second = planted["first"], planted["second"]
    rules = [[(r.kind, r.rule.rule_id, r.rule.operator, r.rule.value, r.points) for r in c.rules]
             for c in (first, second)]
    assert rules[0] and rules[0] == rules[1]
    assert first.c_chosen == second.c_chosen
    assert [m.auc for m in first.measures] == [m.auc for m in second.measures]


def test_threshold_admits_the_share_asked(planted: dict[str, Any]) -> None:
    second: Calibration = planted["second"]
    threshold = second.threshold
    assert threshold.share_target == pytest.approx(0.10)
    assert 0 < threshold.admitted <= 0.10 * threshold.leads
    assert threshold.tied_at_threshold >= 1


def test_threshold_with_tied_scores() -> None:
    every_lead_ties = np.full(50, 12.0)
    score, admitted, note = choose_threshold(every_lead_ties, 0.15)
    assert admitted == 0 and score > 12 and "no threshold separates" in note
    # 30 of 100 leads tie at the top: the top group, said to be more than asked, never everyone
    tied_top = np.array([40.0] * 30 + [10.0] * 70)
    score, admitted, note = choose_threshold(tied_top, 0.15)
    assert (score, admitted) == (40.0, 30) and "more than the 15.0%" in note
    # 10 leads above, 20 tied next: the threshold stops above the tie
    scores = np.array([50.0] * 10 + [30.0] * 20 + [0.0] * 70)
    assert choose_threshold(scores, 0.15) == (50.0, 10, "")
    assert choose_threshold(scores, 0.30) == (30.0, 30, "")
    # precision in the top 15 %: the 5 slots left among 20 tied leads (4 converted) count 1 in 5
    labels = np.array([True] * 10 + [True] * 4 + [False] * 16 + [False] * 70)
    assert precision_at_share(scores, labels, 0.15) == pytest.approx((10 + 4 * 5 / 20) / 15)


def test_calibrate_mistakes_are_one_line(planted: dict[str, Any]) -> None:
    # the command works on the project it is installed in: only mistakes that stop it before it writes
    for args, fragment in (
        (("--name", "b2b_saas"), "the grid b2b_saas exists already"),
        (("--name", "Bad-Name"), "--name must be"),
        (("--max-points", "0"), "--max-points must be > 0"),
    ):
        result = subprocess.run(
            [sys.executable, "-m", "leadscore.cli", "calibrate", "--db", str(planted["db"]), *args],
            capture_output=True, text=True, timeout=300,
        )
        lines = result.stderr.strip().splitlines()
        assert result.returncode == 1 and len(lines) == 1 and fragment in lines[0], result.stderr
