"""``leadscore calibrate``: discover fit and engagement rules in the point-in-time backtest and propose
them, with points, as a new grid (SPEC 7).

From the serving file it reads the champion's backtest leads (``backtest_lead_scores``: decision
instant, outcome, ``sample`` learn / test of the cohort hold-out, the score the current grid gave) and
what rule discovery needs of them (discovery.py). Then, learning on the learning cohort only:

- candidate rules (discovery.py): per attribute one rule group of alternatives, engagement rules per
  event type and frequent url / asset / campaign value;
- points: an L1-regularised logistic regression (scikit-learn's LogisticRegressionCV, the penalty
  chosen by 5-fold cross-validation on the learning cohort, by AUC, with the one-standard-error
  rule), each coefficient rounded to whole points at 10 points per doubling of the odds; rules
  rounding to 0 are dropped;
- on the test cohort, the same measures for the current grid (its backtest scores), the proposal
  (scored as the engine scores it, discovery.grid_scores) and a LightGBM model on the same features
  (the ceiling): AUC (sklearn.metrics.roc_auc_score), precision in the top 15 % and a decile table;
- a threshold for a share of leads or a monthly capacity that is correct with tied scores.

Each run writes a new grid under a name of its own (``--name``, default ``calibrated_<UTC date>_<time>``)
and, beside it, ``seeds/grids/<name>__calibration.md`` (the rules with points, support and lift, the
measures) and ``<name>__calibration.json`` (read by ``leadscore report``). It refuses a name in use.
"""

from __future__ import annotations

import csv
import json
import math
import re
import time
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from leadscore.errors import LeadscoreError
from leadscore.grids import DEFAULT_GRID, KINDS, grid_names, grid_seed_path
from leadscore.paths import PROJECT_DIR
from leadscore.serving import open_serving, serving_path_for
from leadscore.warehouse import Warehouse

# The calibrate extra (`make setup`, or pip install -e '.[calibrate]'): `make run` installs the runtime
# only, so without it `leadscore calibrate` says what to install (_require_libraries), in one line.
try:
    import numpy as np
    from sklearn.linear_model import LogisticRegression, LogisticRegressionCV
    from sklearn.metrics import roc_auc_score
    from sklearn.model_selection import StratifiedKFold

    from leadscore import discovery
    from leadscore.discovery import LeadData, Settings
except ImportError as missing:
    MISSING_LIBRARY: str | None = missing.name or "scikit-learn"
else:
    MISSING_LIBRARY = None
try:
    import lightgbm
except ImportError:
    lightgbm = None

Progress = Callable[[str], None]

POINTS_PER_DOUBLING = 10.0
TOP_SHARE = 0.15
CV_FOLDS = 5
C_CANDIDATES = 10
CV_TOLERANCE = 1e-3  # liblinear's stopping tolerance in the cross-validation (the final fit keeps its 1e-4)
MIN_SUPPORT_LEADS = 20
MIN_SUPPORT_SHARE = 0.005
DEFAULT_MAX_POINTS = 100.0
DAYS_PER_MONTH = 365.25 / 12
REPORT_TABLES = ("backtest_lead_scores", "backtest_lead_attributes", "backtest_lead_engagement",
                 "backtest_scoring_settings")
FIT_HEADER = ["rule_id", "rule_group", "attribute", "operator", "value", "points", "priority", "description"]
ENGAGEMENT_HEADER = ["rule_id", "event_type", "match_field", "operator", "value", "points", "max_points",
                     "half_life_days", "category", "product_line", "description"]


def _require_libraries() -> None:
    if MISSING_LIBRARY is not None:
        raise LeadscoreError(
            f"leadscore calibrate needs scikit-learn and LightGBM ({MISSING_LIBRARY} is not installed): "
            "`make setup`, or `pip install -e '.[calibrate]'`"
        )


@dataclass
class Measures:
    """One scorer's measures on the test cohort, computed the same way for every scorer."""

    name: str
    auc: float | None
    precision_top: float | None
    deciles: list[dict[str, float]] = field(default_factory=list)


@dataclass
class ProposedRule:
    kind: str  # fit_rules or engagement_rules
    rule: Any  # discovery.FitRule or discovery.EngagementRule
    points: float
    support: int  # learning leads it applies to (fit) or touched (engagement)
    conversion: float | None
    lift: float | None


@dataclass
class Threshold:
    score: float
    share_target: float
    admitted: int
    leads: int
    tied_at_threshold: int
    precision: float | None
    recall: float | None
    leads_per_month: float
    note: str = ""


@dataclass
class Calibration:
    name: str
    current_grid: str
    learn_leads: int
    learn_converted: int
    test_leads: int
    test_converted: int
    candidates: int
    c_chosen: float
    rules: list[ProposedRule]
    measures: list[Measures]
    threshold: Threshold
    warnings: list[str]
    written: list[Path]
    proposal_scores: dict[str, float] = field(default_factory=dict)  # contact_id -> score (test cohort)
    timings: list[tuple[str, float, float]] = field(default_factory=list)  # step, wall s, CPU s

    def measure(self, name: str) -> Measures | None:
        return next((m for m in self.measures if m.name == name), None)


# --- reading ----------------------------------------------------------------------------------------


@dataclass
class Backtest:
    grid: str
    contact_ids: list[str]
    decided_at: list[datetime]
    converted: np.ndarray
    learn: np.ndarray  # lead positions
    test: np.ndarray
    current_score: np.ndarray
    adjustments: np.ndarray
    data: Any  # discovery.LeadData
    settings: Any  # discovery.Settings


def load_backtest(db_path: Path, serving: Path | None = None) -> Backtest:
    Warehouse(db_path).require()
    serving_path = serving_path_for(db_path, serving)
    con = open_serving(serving_path, db_path)
    try:
        tables = {row[0] for row in con.execute("select table_name from information_schema.tables").fetchall()}
        missing = [table for table in REPORT_TABLES if table not in tables]
        if missing:
            raise LeadscoreError(f"{serving_path} has no {', '.join(missing)}: run `leadscore build` first")
        leads = con.execute(
            """select contact_id, grid, decision_at, is_converted, sample, lead_score, adjustment_points
            from main.backtest_lead_scores where grid_role = 'champion' order by decision_at, contact_id"""
        ).fetchall()
        attributes = con.execute(
            "select contact_id, attribute, text_value, number_value from main.backtest_lead_attributes"
        ).fetchall()
        engagement = con.execute(
            """select contact_id, event_type, coalesce(match_field, ''), field_value, occurrences,
            decayed_occurrences, last_event_age_days from main.backtest_lead_engagement"""
        ).fetchall()
        settings_rows = con.execute(
            """select inactivity_days, inactivity_points, engagement_cap, lead_score_min, lead_score_max,
            decay_method, decay_half_life_days from main.backtest_scoring_settings"""
        ).fetchall()
    finally:
        con.close()
    if not leads:
        raise LeadscoreError("the backtest has no leads: load opportunities and events, then `leadscore build`")
    samples = {str(row[4]) for row in leads}
    if not samples <= {"learn", "test"}:
        raise LeadscoreError(f"backtest_lead_scores.sample holds {sorted(samples)}: expected learn and test")
    position = {str(row[0]): index for index, row in enumerate(leads)}
    data = LeadData([str(row[0]) for row in leads], {}, {})
    for contact_id, attribute, text, number in attributes:
        lead = position.get(str(contact_id))
        if lead is not None:
            data.attributes.setdefault(str(attribute), {})[lead] = (
                str(text), None if number is None else float(number))
    for contact_id, event_type, match_field, value, occurrences, decayed, age in engagement:
        lead = position.get(str(contact_id))
        if lead is not None:
            data.engagement.setdefault((str(event_type), str(match_field)), []).append(
                (lead, "" if value is None else str(value), float(occurrences), float(decayed), float(age)))
    row = settings_rows[0] if settings_rows else (None, None, None, None, None, "exponential", 30.0)
    settings = Settings(*(None if value is None else float(value) for value in row[:5]), str(row[5]),
                        float(row[6]))
    sample = np.array([str(row[4]) for row in leads])
    return Backtest(
        grid=str(leads[0][1]),
        contact_ids=data.contact_ids,
        decided_at=[row[2] for row in leads],
        converted=np.array([bool(row[3]) for row in leads]),
        learn=np.nonzero(sample == "learn")[0],
        test=np.nonzero(sample == "test")[0],
        current_score=np.array([float(row[5]) for row in leads]),
        adjustments=np.array([float(row[6] or 0) for row in leads]),
        data=data,
        settings=settings,
    )


def read_grid(project_dir: Path, kind: str, grid: str) -> list[dict[str, str]]:
    path = grid_seed_path(project_dir, kind, grid)
    try:
        with open(path, encoding="utf-8", newline="") as handle:
            return list(csv.DictReader(handle))
    except OSError:
        raise LeadscoreError(f"cannot read the grid {grid} at {path}") from None


# --- measures ---------------------------------------------------------------------------------------


def precision_at_share(scores: np.ndarray, labels: np.ndarray, share: float = TOP_SHARE) -> float | None:
    """Precision of the top share of leads by score; leads tied at the boundary count in proportion
    (the expected precision of any order among them)."""
    n = len(scores)
    if n == 0:
        return None
    k = max(1, int(round(share * n)))
    boundary = np.sort(scores)[::-1][k - 1]
    above = scores > boundary
    tied = scores == boundary
    slots = k - int(above.sum())
    hits = labels[above].sum() + labels[tied].sum() * slots / tied.sum()
    return float(hits / k)


def deciles(scores: np.ndarray, labels: np.ndarray) -> list[dict[str, float]]:
    """Ten equal groups by score (1 = best; tied scores split in lead order): leads, scores, conversion."""
    order = np.argsort(-scores, kind="stable")
    table = []
    for number, chunk in enumerate(np.array_split(order, 10), start=1):
        if len(chunk) == 0:
            continue
        table.append({"decile": number, "leads": int(len(chunk)), "min_score": float(scores[chunk].min()),
                      "max_score": float(scores[chunk].max()), "conversion": float(labels[chunk].mean())})
    return table


def measures(name: str, scores: np.ndarray, labels: np.ndarray) -> Measures:
    value = float(roc_auc_score(labels, scores)) if len(set(labels.tolist())) == 2 else None
    return Measures(name, value, precision_at_share(scores, labels), deciles(scores, labels))


def choose_threshold(scores: np.ndarray, share: float) -> tuple[float, int, str]:
    """The lowest score that admits at most the share of leads (score >= threshold). When the best
    tied group alone is larger, its score (it admits more than the share, said so); when every lead
    ties, one point above (it admits nobody: no threshold separates the leads)."""
    n = len(scores)
    target = share * n
    distinct = np.unique(scores)[::-1]
    admitted = [int((scores >= value).sum()) for value in distinct]
    fitting = [(value, count) for value, count in zip(distinct, admitted, strict=True) if count <= target + 1e-9]
    if fitting:
        value, count = fitting[-1]
        return float(value), count, ""
    if admitted[0] < n:
        return float(distinct[0]), admitted[0], (
            f"the {admitted[0]:,} best-scored leads tie at {distinct[0]:g}: the threshold admits "
            f"{admitted[0] / n:.1%}, more than the {share:.1%} asked")
    return float(distinct[0]) + 1.0, 0, f"every lead scores {distinct[0]:g}: no threshold separates them"


def leads_per_month(decided_at: Sequence[datetime]) -> float:
    if len(decided_at) < 2:
        return float(len(decided_at))
    span_days = (max(decided_at) - min(decided_at)).total_seconds() / 86400.0
    return len(decided_at) / max(span_days / DAYS_PER_MONTH, 1e-9)


# --- fitting ----------------------------------------------------------------------------------------


def fit_points(matrix: Any, labels: np.ndarray, say: Progress) -> tuple[np.ndarray, float]:
    """L1 logistic regression on the given leads. The penalty: stratified 5-fold cross-validation (AUC)
    over C_CANDIDATES values, then the one-standard-error rule (the strongest penalty whose mean AUC is
    within one standard error of the best), which keeps fewer rules that owe their points to chance."""
    candidates = np.logspace(-3, 1, C_CANDIDATES)
    # random_state: liblinear visits the features in a random order; fixed, a proposal is the same on every run
    options: dict[str, Any] = {"solver": "liblinear", "l1_ratio": 1.0, "intercept_scaling": 10.0, "max_iter": 1000,
                               "random_state": 0}
    search = LogisticRegressionCV(
        Cs=candidates, l1_ratios=(1.0,), solver="liblinear", scoring="roc_auc", refit=False,
        cv=StratifiedKFold(CV_FOLDS, shuffle=True, random_state=0), max_iter=1000, intercept_scaling=10.0,
        tol=CV_TOLERANCE, random_state=0, use_legacy_attributes=False,
    )
    search.fit(matrix, labels)
    raw = search.scores_
    scores = np.asarray(next(iter(raw.values())) if isinstance(raw, dict) else raw).reshape(CV_FOLDS, -1)
    mean, error = scores.mean(axis=0), scores.std(axis=0, ddof=1) / math.sqrt(CV_FOLDS)
    best = int(mean.argmax())
    chosen = float(candidates[min(i for i in range(len(candidates)) if mean[i] >= mean[best] - error[best])])
    say(f"Penalty chosen by {CV_FOLDS}-fold cross-validation on the learning cohort: L1, C = {chosen:.3g} "
        f"(cross-validated AUC {mean[best]:.3f} at best, within one standard error)")
    model = LogisticRegression(C=chosen, **options).fit(matrix, labels)
    return np.asarray(model.coef_).ravel(), chosen


def to_points(coefficient: float) -> float:
    """Log-odds per unit of feature as whole points, 10 points doubling the odds."""
    return float(round(coefficient * POINTS_PER_DOUBLING / math.log(2.0)))


def ceiling(matrix: Any, backtest: Backtest) -> tuple[str, np.ndarray | None]:
    if lightgbm is None:
        return "LightGBM not installed (pip install 'leadscore[calibrate]')", None

    # one thread: a few hundred small trees gain nothing from two, and on a busy 2-core machine LightGBM's
    # OpenMP threads wait spinning (measured on the bench's 7,000 x 304 leads: 2.8 s of CPU with two, 0.3 s with one)
    model = lightgbm.LGBMClassifier(n_estimators=300, learning_rate=0.03, num_leaves=15, min_child_samples=20,
                                    subsample=0.8, subsample_freq=1, colsample_bytree=0.8, n_jobs=1,
                                    random_state=0, verbose=-1)
    dense = matrix.astype(np.float32)
    model.fit(dense[backtest.learn], backtest.converted[backtest.learn])
    return "LightGBM on the candidate rules (ceiling)", model.predict_proba(dense[backtest.test])[:, 1]


# --- the command ------------------------------------------------------------------------------------


def default_name(now: datetime | None = None) -> str:
    return f"calibrated_{(now or datetime.now(timezone.utc)):%Y%m%d_%H%M}"


def check_name(project_dir: Path, name: str, current_grid: str) -> None:
    if not re.fullmatch(r"[a-z][a-z0-9_]*", name):
        raise LeadscoreError(f"--name must be lower-case letters, digits and _, starting with a letter: {name!r}")
    taken = (name in (current_grid, DEFAULT_GRID) or name in grid_names(project_dir)
             or any(grid_seed_path(project_dir, kind, name).exists() for kind in KINDS)
             or (project_dir / "seeds" / "grids" / f"{name}__calibration.md").exists())
    if taken:
        raise LeadscoreError(f"the grid {name} exists already: calibrate never overwrites a grid (give another --name)")


def _lift(support: int, converted: int, base: float) -> tuple[float | None, float | None]:
    if support == 0:
        return None, None
    rate = converted / support
    return rate, (rate / base if base > 0 else None)


class _Clock:
    """Wall and CPU seconds of each step (printed by `python -m leadscore_dev.calibrate_bench`)."""

    def __init__(self) -> None:
        self.steps: list[tuple[str, float, float]] = []
        self._wall, self._cpu = time.perf_counter(), time.process_time()

    def lap(self, step: str) -> None:
        wall, cpu = time.perf_counter(), time.process_time()
        self.steps.append((step, wall - self._wall, cpu - self._cpu))
        self._wall, self._cpu = wall, cpu


def calibrate(
    db_path: Path,
    *,
    serving: Path | None = None,
    project_dir: Path = PROJECT_DIR,
    name: str | None = None,
    mql_share_pct: float | None = None,
    capacity_per_month: float | None = None,
    max_points: float = DEFAULT_MAX_POINTS,
    write: bool = True,
    progress: Progress | None = None,
) -> Calibration:
    if mql_share_pct is not None and capacity_per_month is not None:
        raise LeadscoreError("give --mql-share or --capacity, not both")
    if mql_share_pct is not None and not 0 < mql_share_pct <= 100:
        raise LeadscoreError(f"--mql-share must be a percentage in (0, 100], got {mql_share_pct:g}")
    if capacity_per_month is not None and capacity_per_month <= 0:
        raise LeadscoreError(f"--capacity must be a number of leads per month > 0, got {capacity_per_month:g}")
    if max_points <= 0:
        raise LeadscoreError(f"--max-points must be > 0, got {max_points:g}")
    _require_libraries()
    clock = _Clock()
    backtest = load_backtest(db_path, serving)
    clock.lap("read the backtest")
    grid_name = name if name is not None else default_name()
    check_name(project_dir, grid_name, backtest.grid)
    current = [row for kind in KINDS for row in read_grid(project_dir, kind, backtest.grid)]
    calibration = propose(backtest, grid_name, current, mql_share_pct=mql_share_pct,
                          capacity_per_month=capacity_per_month, max_points=max_points, progress=progress,
                          clock=clock)
    if write:
        calibration.written = write_proposal(project_dir, calibration)
        clock.lap("write the grid")
    return calibration


def propose(
    backtest: Backtest,
    grid_name: str,
    current_rules: Sequence[dict[str, str]],
    *,
    mql_share_pct: float | None = None,
    capacity_per_month: float | None = None,
    max_points: float = DEFAULT_MAX_POINTS,
    progress: Progress | None = None,
    clock: _Clock | None = None,
) -> Calibration:
    """Candidates, points, measures, threshold and warnings for a backtest (nothing written)."""
    say = progress or (lambda _message: None)
    clock = clock or _Clock()
    labels = backtest.converted
    for side, leads in (("learning", backtest.learn), ("test", backtest.test)):
        if len(set(labels[leads].tolist())) < 2:
            raise LeadscoreError(
                f"the {side} cohort of the backtest needs converted and unconverted leads to calibrate "
                f"({len(leads)} leads, {int(labels[leads].sum())} converted)")
    learn, test = backtest.learn, backtest.test
    say(f"Backtest of the grid {backtest.grid}: learning on {len(learn):,} leads "
        f"({int(labels[learn].sum()):,} converted), testing on the {len(test):,} of the later cohort "
        f"({int(labels[test].sum()):,} converted)")

    data = backtest.data
    min_support = max(MIN_SUPPORT_LEADS, math.ceil(MIN_SUPPORT_SHARE * len(learn)))
    fit_candidates = discovery.fit_candidates(data, learn.tolist(), min_support)
    engagement_candidates = discovery.engagement_candidates(data, learn.tolist(), min_support)
    matrix = discovery.feature_matrix(data, fit_candidates, engagement_candidates)
    clock.lap("candidate rules and their features")
    say(f"Candidate rules: {len(fit_candidates)} fit rules on {len({r.rule_group for r in fit_candidates})} "
        f"attributes, {len(engagement_candidates)} engagement rules (each on at least {min_support} learning leads)")
    coefficients, c_chosen = fit_points(matrix[learn], labels[learn], say)
    clock.lap("points: cross-validated logistic regression")

    candidates = [("fit_rules", rule) for rule in fit_candidates] + [
        ("engagement_rules", rule) for rule in engagement_candidates]
    base = float(labels[learn].mean())
    learn_matrix = matrix[learn].tocsc()
    proposed: list[ProposedRule] = []
    for position, (kind, rule) in enumerate(candidates):
        points = to_points(coefficients[position])
        if points == 0:
            continue
        touched = learn_matrix[:, position].nonzero()[0]
        rate, lift = _lift(len(touched), int(labels[learn][touched].sum()), base)
        proposed.append(ProposedRule(kind, rule, points, len(touched), rate, lift))

    fit_rules = [p for p in proposed if p.kind == "fit_rules"]
    engagement_rules = [p for p in proposed if p.kind == "engagement_rules"]
    scores = discovery.grid_scores(data, [p.rule for p in fit_rules], [p.points for p in fit_rules],
                                   [p.rule for p in engagement_rules], [p.points for p in engagement_rules],
                                   backtest.settings, backtest.adjustments)
    results = [measures(f"current grid ({backtest.grid})", backtest.current_score[test], labels[test]),
               measures(f"proposal ({grid_name})", scores[test], labels[test])]
    clock.lap("the proposal scored as the engine scores it")
    ceiling_name, ceiling_scores = ceiling(matrix, backtest)
    if ceiling_scores is not None:
        results.append(measures(ceiling_name, ceiling_scores, labels[test]))
    else:
        results.append(Measures(ceiling_name, None, None))
    clock.lap("LightGBM ceiling")

    monthly = leads_per_month(backtest.decided_at)
    if capacity_per_month is not None:
        share = min(1.0, capacity_per_month / monthly)
    else:
        share = (mql_share_pct if mql_share_pct is not None else TOP_SHARE * 100) / 100.0
    value, admitted, note = choose_threshold(scores, share)
    admitted_test = scores[test] >= value
    true_positives = int((admitted_test & labels[test]).sum())
    threshold = Threshold(
        value, share, admitted, len(scores), int((scores == value).sum()),
        true_positives / int(admitted_test.sum()) if admitted_test.any() else None,
        true_positives / int(labels[test].sum()), monthly, note)
    calibration = Calibration(
        grid_name, backtest.grid, len(learn), int(labels[learn].sum()), len(test), int(labels[test].sum()),
        len(candidates), c_chosen, proposed, results, threshold, _warnings(current_rules, proposed, max_points),
        [], {backtest.contact_ids[lead]: float(scores[lead]) for lead in test}, clock.steps)
    clock.lap("threshold and warnings")
    return calibration


def _rule_key(kind: str, row: dict[str, str]) -> tuple[str, ...]:
    fields = ("attribute", "operator", "value") if kind == "fit_rules" else (
        "event_type", "match_field", "operator", "value")
    return tuple((row.get(name) or "").strip().lower() for name in fields)


def _warnings(current_rules: Sequence[dict[str, str]], proposed: Sequence[ProposedRule], bound: float) -> list[str]:
    current: dict[tuple[str, ...], tuple[str, float]] = {}
    for row in current_rules:
        kind = "fit_rules" if "rule_group" in row else "engagement_rules"
        try:
            current[(kind, *_rule_key(kind, row))] = (row["rule_id"], float(row.get("points") or 0))
        except ValueError:
            continue
    warnings = []
    for rule in proposed:
        if abs(rule.points) > bound:
            warnings.append(f"{rule.rule.rule_id}: {rule.points:+g} points, beyond the bound of {bound:g} "
                            f"(--max-points); {rule.support:,} learning leads")
        same = current.get((rule.kind, *_rule_key(rule.kind, _row(rule))))
        if same is not None and same[1] * rule.points < 0:
            warnings.append(f"{rule.rule.rule_id}: {rule.points:+g} points where the current grid's "
                            f"{same[0]} gives {same[1]:+g} (the sign flips)")
    return warnings


def _points_text(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else f"{value:g}"


def _row(rule: ProposedRule) -> dict[str, str]:
    r = rule.rule
    if rule.kind == "fit_rules":
        return {"rule_id": r.rule_id, "rule_group": r.rule_group, "attribute": r.attribute, "operator": r.operator,
                "value": r.value, "points": _points_text(rule.points), "priority": str(r.priority),
                "description": r.description}
    return {"rule_id": r.rule_id, "event_type": r.event_type, "match_field": r.match_field, "operator": r.operator,
            "value": r.value, "points": _points_text(rule.points), "max_points": "", "half_life_days": "",
            "category": "negative" if rule.points < 0 else "passive", "product_line": "",
            "description": r.description}


def write_proposal(project_dir: Path, result: Calibration) -> list[Path]:
    """The grid's two seeds (typed by their folder's config in dbt_project.yml: nothing to register), its
    row in seeds/scoring_grids.csv (the current grid's settings), and the calibration report beside them."""
    check_name(project_dir, result.name, result.current_grid)
    written = []
    for kind, header in (("fit_rules", FIT_HEADER), ("engagement_rules", ENGAGEMENT_HEADER)):
        path = grid_seed_path(project_dir, kind, result.name)
        path.parent.mkdir(parents=True, exist_ok=True)
        with open(path, "x", encoding="utf-8", newline="") as handle:
            writer = csv.DictWriter(handle, fieldnames=header, lineterminator="\n")
            writer.writeheader()
            writer.writerows(_row(rule) for rule in result.rules if rule.kind == kind)
        written.append(path)
    _register(project_dir, result.current_grid, result.name)
    base = project_dir / "seeds" / "grids" / f"{result.name}__calibration"
    markdown, summary = base.with_suffix(".md"), base.with_suffix(".json")
    markdown.write_text("\n".join(markdown_lines(result)) + "\n", encoding="utf-8")
    summary.write_text(json.dumps(summary_json(result), indent=1, default=str) + "\n", encoding="utf-8")
    return [*written, markdown, summary]


def _register(project_dir: Path, current_grid: str, name: str) -> None:
    settings = project_dir / "seeds" / "scoring_grids.csv"
    with open(settings, encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        header, rows = list(reader.fieldnames or []), list(reader)
    current = next((row for row in rows if row["grid"].strip().lower() == current_grid), None)
    if current is None:
        raise LeadscoreError(f"{settings} has no row for the grid {current_grid}")
    with open(settings, "a", encoding="utf-8", newline="") as handle:
        csv.DictWriter(handle, fieldnames=header, lineterminator="\n").writerow(
            {**current, "grid": name, "description": f"Proposed by leadscore calibrate from the backtest of "
                                                     f"{current_grid}"})


# --- what it prints and writes ----------------------------------------------------------------------


def _fmt(value: float | None, digits: int = 3) -> str:
    return "n/a" if value is None else f"{value:.{digits}f}"


def _describe(rule: ProposedRule) -> str:
    r = rule.rule
    if rule.kind == "fit_rules":
        if r.operator == "between":
            low, _, high = r.value.partition("|")
            return f"{r.attribute} between {low} and {high}"
        value = r.value if len(r.value) <= 40 else r.value[:37] + "..."
        return f"{r.attribute} {r.operator} {value}".rstrip()
    return f"{r.event_type} {r.match_field} {r.operator} {r.value}".rstrip() + " (per event)"


def rule_lines(result: Calibration) -> list[str]:
    lines = [f"{'rule':<40} {'points':>6} {'support':>8} {'conv.':>6} {'lift':>5}  what"]
    for rule in sorted(result.rules, key=lambda r: (r.kind, -abs(r.points))):
        lines.append(f"{rule.rule.rule_id:<40} {_points_text(rule.points):>6} {rule.support:>8,} "
                     f"{_fmt(rule.conversion, 2):>6} {_fmt(rule.lift, 2):>5}  {_describe(rule)}")
    return lines


def measure_lines(result: Calibration) -> list[str]:
    lines = [f"Test cohort ({result.test_leads:,} leads created after the learning ones, {result.test_converted:,} "
             "converted):", f"  {'':<52}{'AUC':>7}{'prec.@15%':>11}"]
    for m in result.measures:
        lines.append(f"  {m.name:<52}{_fmt(m.auc):>7}{_fmt(m.precision_top):>11}")
    lines += ["", "Calibration by score decile on the test cohort (conversion; 1 = the best tenth):",
              "  " + f"{'':<44}" + "".join(f"{number:>6}" for number in range(1, 11))]
    for m in result.measures:
        if m.deciles:
            lines.append(f"  {m.name[:44]:<44}" + "".join(f"{row['conversion']:>6.2f}" for row in m.deciles))
    return lines


def threshold_lines(result: Calibration) -> list[str]:
    t = result.threshold
    lines = [f"Threshold for the proposal: {t.score:g} admits {t.admitted:,} of {t.leads:,} backtest leads "
             f"({t.admitted / t.leads:.1%}; asked {t.share_target:.1%}, "
             f"about {t.share_target * t.leads_per_month:,.0f} "
             f"of {t.leads_per_month:,.0f} leads a month); {t.tied_at_threshold:,} leads score exactly {t.score:g}; "
             f"on the test cohort: precision {_fmt(t.precision, 2)}, recall {_fmt(t.recall, 2)}"]
    if t.note:
        lines.append(f"  note: {t.note}")
    return lines


def report_lines(result: Calibration, project_dir: Path = PROJECT_DIR) -> list[str]:
    fit = sum(1 for r in result.rules if r.kind == "fit_rules")
    lines = [f"Proposal {result.name}: {fit} fit and {len(result.rules) - fit} engagement rules kept of "
             f"{result.candidates} candidates (support and conversion on the learning cohort; lift = conversion / "
             f"the base rate)", *rule_lines(result), "", *measure_lines(result), "", *threshold_lines(result)]
    for warning in result.warnings:
        lines.append(f"warning: {warning}")
    for path in result.written:
        try:
            shown = path.relative_to(project_dir)
        except ValueError:
            shown = path
        lines.append(f"Wrote {shown}")
    if result.written:
        lines += [
            f'Compare: leadscore build --vars "{{challenger_grid: {result.name}}}" (report champion_challenger)',
            f'Adopt:   leadscore build --vars "{{scoring_grid: {result.name}, mql_threshold: '
            f'{result.threshold.score:g}}}"',
        ]
    return lines


def markdown_lines(result: Calibration) -> list[str]:
    lines = [f"# Calibration {result.name}", "",
             f"Proposed by `leadscore calibrate` from the backtest of the grid `{result.current_grid}`: learning on "
             f"{result.learn_leads:,} leads ({result.learn_converted:,} converted), tested on the "
             f"{result.test_leads:,} leads of the later cohort ({result.test_converted:,} converted). "
             f"{result.candidates} candidate rules; L1 logistic regression, C = {result.c_chosen:.3g} by "
             f"{CV_FOLDS}-fold cross-validation on the learning cohort (one-standard-error rule); 10 points per "
             "doubling of the odds. Support, conversion and lift: on the learning cohort.", "",
             "| rule | kind | points | support | conversion | lift | what |", "|---|---|---:|---:|---:|---:|---|"]
    for rule in sorted(result.rules, key=lambda r: (r.kind, -abs(r.points))):
        lines.append(f"| {rule.rule.rule_id} | {rule.kind.split('_')[0]} | {_points_text(rule.points)} | "
                     f"{rule.support:,} | {_fmt(rule.conversion, 2)} | {_fmt(rule.lift, 2)} | "
                     f"{_describe(rule).replace('|', '/')} |")
    lines += ["", "```", *measure_lines(result), "", *threshold_lines(result), "```"]
    if result.warnings:
        lines += ["", "Warnings:", *(f"- {warning}" for warning in result.warnings)]
    return lines


def summary_json(result: Calibration) -> dict[str, Any]:
    return {
        "name": result.name, "current_grid": result.current_grid,
        "learn_leads": result.learn_leads, "test_leads": result.test_leads,
        "measures": [asdict(m) for m in result.measures], "threshold": asdict(result.threshold),
        "warnings": result.warnings,
        "rules": [{"rule_id": r.rule.rule_id, "kind": r.kind, "points": r.points, "support": r.support,
                   "lift": r.lift, "what": _describe(r)} for r in result.rules],
    }
