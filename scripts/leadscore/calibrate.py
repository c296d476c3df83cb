"""``leadscore calibrate``: propose new points per rule from the point-in-time backtest (SPEC 7).

It reads, from the serving file, every backtest lead of the champion grid (``backtest_lead_scores``:
its decision instant, whether an opportunity followed, its side of the time-based hold-out) and
the rules that had touched it by then (``backtest_rule_features``: 1 for a fit rule that applied,
the decayed occurrences of an engagement rule, capped as the rule caps its points). Then:

- the **jointly fitted grid**: an L2-regularised logistic regression of conversion on the rule
  features, fitted on the learning side only (the penalty picked by 5-fold cross-validation there),
  each coefficient turned into whole points with 10 points = odds doubled (points = 10 x w / ln 2);
- the **lift grid**, the guides' cold-start alternative: 10 x log2(rate / base rate) per rule, the
  rate smoothed towards the base rate by ``LIFT_PRIOR_LEADS`` pseudo-leads;
- both, the current grid and a gradient-boosted reference (only when one is installed) are scored
  on the hold-out (the last part of the leads by decision instant) and their AUCs printed side by
  side; a threshold is proposed for a share of leads or a sales capacity in leads per month.

The proposals are written as new grids (``seeds/grids/<kind>__calibrated.csv`` and
``__calibrated_lift.csv``, registered in dbt_project.yml and seeds/scoring_grids.csv), never over the
grid in use. A rule no learning lead touched keeps its current points.
"""

from __future__ import annotations

import csv
import importlib.util
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from leadscore.errors import LeadscoreError
from leadscore.grids import KINDS, grid_seed_path
from leadscore.paths import PROJECT_DIR, require_warehouse
from leadscore.serving import open_serving, serving_path_for

Progress = Callable[[str], None]

POINTS_PER_DOUBLING = 10.0
LIFT_PRIOR_LEADS = 10.0
L2_CANDIDATES = (0.1, 0.3, 1.0, 3.0, 10.0, 30.0, 100.0)
JOINT_GRID = "calibrated"
LIFT_GRID = "calibrated_lift"
DIMENSION_OF_KIND = {"fit_rules": "fit", "engagement_rules": "engagement"}
DAYS_PER_MONTH = 365.25 / 12


@dataclass(frozen=True)
class Lead:
    contact_id: str
    decided_at: datetime
    converted: bool
    sample: str
    current_score: float
    predicted_mql: bool
    features: tuple[tuple[int, float], ...]


@dataclass(frozen=True)
class Rule:
    dimension: str
    rule_id: str
    description: str
    points: float


@dataclass
class Backtest:
    grid: str
    rules: list[Rule]
    leads: list[Lead]

    @property
    def learn(self) -> list[Lead]:
        return [lead for lead in self.leads if lead.sample == "learn"]

    @property
    def test(self) -> list[Lead]:
        return [lead for lead in self.leads if lead.sample == "test"]


@dataclass
class Proposal:
    grid: str
    method: str
    points: list[float]
    holdout_auc: float | None
    intercept: float | None = None
    l2: float | None = None
    kept_rules: list[str] = field(default_factory=list)


@dataclass
class Calibration:
    backtest: Backtest
    current_holdout_auc: float | None
    joint: Proposal
    lift: Proposal
    reference_name: str | None
    reference_auc: float | None
    threshold: float
    threshold_share: float
    threshold_precision: float | None
    threshold_recall: float | None
    leads_per_month: float
    written: list[Path]


# --- reading the backtest -------------------------------------------------------------------------


def read_grid(project_dir: Path, kind: str, grid: str) -> tuple[list[str], list[dict[str, str]]]:
    path = grid_seed_path(project_dir, kind, grid)
    try:
        with open(path, encoding="utf-8", newline="") as handle:
            reader = csv.DictReader(handle)
            return list(reader.fieldnames or []), list(reader)
    except OSError:
        raise LeadscoreError(f"cannot read the grid {grid} at {path}") from None


def _number(text: str | None) -> float | None:
    try:
        return float(text) if text not in (None, "") else None
    except ValueError:
        return None


def load_backtest(db_path: Path, serving: Path | None = None, project_dir: Path = PROJECT_DIR) -> Backtest:
    """The champion's backtest leads and their rule features, from the serving file."""
    require_warehouse(db_path)
    serving_path = serving_path_for(db_path, serving)
    con = open_serving(serving_path, db_path)
    try:
        tables = {row[0] for row in con.execute("select table_name from information_schema.tables").fetchall()}
        if not {"backtest_lead_scores", "backtest_rule_features"} <= tables:
            raise LeadscoreError(
                f"{serving_path} has no backtest (backtest_lead_scores): run `leadscore build` first"
            )
        lead_rows = con.execute(
            """select contact_id, grid, decision_at, is_converted, sample, lead_score, is_predicted_mql
            from main.backtest_lead_scores where grid_role = 'champion' order by decision_at, contact_id"""
        ).fetchall()
        feature_rows = con.execute(
            "select contact_id, dimension, rule_id, feature_value from main.backtest_rule_features"
        ).fetchall()
    finally:
        con.close()
    if not lead_rows:
        raise LeadscoreError("the backtest has no leads: load opportunities and events, then `leadscore build`")
    grid = str(lead_rows[0][1])
    rules: list[Rule] = []
    for kind in KINDS:
        _, rows = read_grid(project_dir, kind, grid)
        for row in rows:
            points = _number(row.get("points")) or 0.0
            rules.append(Rule(DIMENSION_OF_KIND[kind], row["rule_id"].strip(), row.get("description") or "", points))
    index = {(rule.dimension, rule.rule_id): position for position, rule in enumerate(rules)}
    features: dict[str, list[tuple[int, float]]] = {}
    for contact_id, dimension, rule_id, value in feature_rows:
        position = index.get((dimension, rule_id))
        if position is None:
            raise LeadscoreError(
                f"rule {rule_id} of the last build is not in the grid {grid} any more: run `leadscore build` "
                "again before calibrating"
            )
        features.setdefault(contact_id, []).append((position, float(value)))
    leads = [
        Lead(str(contact_id), decided_at, bool(converted), str(sample), float(score), bool(predicted),
             tuple(sorted(features.get(contact_id, []))))
        for contact_id, _, decided_at, converted, sample, score, predicted in lead_rows
    ]
    return Backtest(grid, rules, leads)


# --- measures -------------------------------------------------------------------------------------


def auc(scores: Sequence[float], labels: Sequence[bool]) -> float | None:
    """The chance that a converted lead outscores one that did not (ties count half)."""
    positives = sum(1 for label in labels if label)
    negatives = len(labels) - positives
    if positives == 0 or negatives == 0:
        return None
    order = sorted(range(len(scores)), key=lambda position: scores[position])
    rank_sum = 0.0
    start = 0
    while start < len(order):
        end = start
        while end + 1 < len(order) and scores[order[end + 1]] == scores[order[start]]:
            end += 1
        average_rank = (start + end) / 2.0 + 1.0
        rank_sum += average_rank * sum(1 for position in order[start:end + 1] if labels[position])
        start = end + 1
    return (rank_sum - positives * (positives + 1) / 2.0) / (positives * negatives)


def grid_scores(leads: Sequence[Lead], points: Sequence[float]) -> list[float]:
    """Each lead's score under a grid: points x feature of every rule that touched it."""
    return [sum(points[position] * value for position, value in lead.features) for lead in leads]


def grid_auc(leads: Sequence[Lead], points: Sequence[float]) -> float | None:
    return auc(grid_scores(leads, points), [lead.converted for lead in leads])


# --- the jointly fitted grid: L2 logistic regression ---------------------------------------------


def _sigmoid(z: float) -> float:
    if z >= 0:
        return 1.0 / (1.0 + math.exp(-z))
    e = math.exp(z)
    return e / (1.0 + e)


def _solve(matrix: list[list[float]], vector: list[float]) -> list[float]:
    """Gaussian elimination with partial pivoting (the matrix is small: one row per rule)."""
    size = len(vector)
    a = [row[:] + [vector[i]] for i, row in enumerate(matrix)]
    for column in range(size):
        pivot = max(range(column, size), key=lambda row: abs(a[row][column]))
        if abs(a[pivot][column]) < 1e-12:
            continue
        a[column], a[pivot] = a[pivot], a[column]
        for row in range(column + 1, size):
            factor = a[row][column] / a[column][column]
            if factor:
                for k in range(column, size + 1):
                    a[row][k] -= factor * a[column][k]
    solution = [0.0] * size
    for row in range(size - 1, -1, -1):
        if abs(a[row][row]) < 1e-12:
            continue
        solution[row] = (a[row][size] - sum(a[row][k] * solution[k] for k in range(row + 1, size))) / a[row][row]
    return solution


def fit_logistic(
    leads: Sequence[Lead], n_features: int, l2: float, max_iterations: int = 50
) -> tuple[float, list[float]]:
    """Newton's method on the penalised log-likelihood (the intercept is not penalised)."""
    size = n_features + 1
    beta = [0.0] * size
    for _ in range(max_iterations):
        gradient = [0.0] * size
        hessian = [[0.0] * size for _ in range(size)]
        for lead in leads:
            z = beta[0] + sum(beta[position + 1] * value for position, value in lead.features)
            p = _sigmoid(z)
            residual = p - (1.0 if lead.converted else 0.0)
            weight = max(p * (1.0 - p), 1e-10)
            gradient[0] += residual
            hessian[0][0] += weight
            for position, value in lead.features:
                gradient[position + 1] += residual * value
                hessian[0][position + 1] += weight * value
                hessian[position + 1][0] += weight * value
                row = hessian[position + 1]
                for other, other_value in lead.features:
                    row[other + 1] += weight * value * other_value
        for j in range(1, size):
            gradient[j] += l2 * beta[j]
            hessian[j][j] += l2
        step = _solve(hessian, gradient)
        beta = [b - s for b, s in zip(beta, step, strict=True)]
        if max(abs(s) for s in step) < 1e-7:
            break
    return beta[0], beta[1:]


def to_points(coefficient: float) -> float:
    """Log-odds per unit of feature as whole points, 10 points doubling the odds."""
    return float(round(coefficient * POINTS_PER_DOUBLING / math.log(2.0)))


def _touched(leads: Sequence[Lead], n_features: int) -> tuple[list[int], list[int]]:
    touched = [0] * n_features
    converted = [0] * n_features
    for lead in leads:
        for position, _ in lead.features:
            touched[position] += 1
            converted[position] += 1 if lead.converted else 0
    return touched, converted


def _cross_validated_auc(leads: Sequence[Lead], n_features: int, l2: float, folds: int = 5) -> float | None:
    """AUC of out-of-fold scores, the folds interleaved in time order."""
    scores = [0.0] * len(leads)
    for fold in range(folds):
        training = [lead for position, lead in enumerate(leads) if position % folds != fold]
        _, coefficients = fit_logistic(training, n_features, l2)
        for position in range(fold, len(leads), folds):
            scores[position] = sum(coefficients[j] * value for j, value in leads[position].features)
    return auc(scores, [lead.converted for lead in leads])


def joint_grid(backtest: Backtest, progress: Progress) -> Proposal:
    learn = backtest.learn
    n = len(backtest.rules)
    best_l2, best_auc = L2_CANDIDATES[-1], -1.0
    for l2 in L2_CANDIDATES:
        measured = _cross_validated_auc(learn, n, l2)
        if measured is not None and measured > best_auc + 1e-9:
            best_l2, best_auc = l2, measured
    progress(f"Regularisation picked by 5-fold cross-validation on the learning leads: L2 {best_l2:g}")
    intercept, coefficients = fit_logistic(learn, n, best_l2)
    touched, _ = _touched(learn, n)
    points, kept = [], []
    for position, rule in enumerate(backtest.rules):
        if touched[position] == 0:
            points.append(rule.points)
            kept.append(rule.rule_id)
        else:
            points.append(to_points(coefficients[position]))
    return Proposal(JOINT_GRID, "joint logistic fit", points, grid_auc(backtest.test, points), intercept, best_l2, kept)


def lift_grid(backtest: Backtest) -> Proposal:
    learn = backtest.learn
    n = len(backtest.rules)
    base = sum(1 for lead in learn if lead.converted) / len(learn)
    touched, converted = _touched(learn, n)
    points, kept = [], []
    for position, rule in enumerate(backtest.rules):
        if touched[position] == 0 or base <= 0:
            points.append(rule.points)
            kept.append(rule.rule_id)
            continue
        rate = (converted[position] + LIFT_PRIOR_LEADS * base) / (touched[position] + LIFT_PRIOR_LEADS)
        points.append(float(round(POINTS_PER_DOUBLING * math.log2(rate / base))))
    return Proposal(LIFT_GRID, "lift 10 x log2(rate / base)", points, grid_auc(backtest.test, points), kept_rules=kept)


def gradient_boosted_reference(backtest: Backtest) -> tuple[str | None, float | None]:
    """The hold-out AUC of a gradient-boosted model, only when a library for one is installed."""
    n = len(backtest.rules)

    def dense(leads: Sequence[Lead]) -> list[list[float]]:
        rows = []
        for lead in leads:
            row = [0.0] * n
            for position, value in lead.features:
                row[position] = value
            rows.append(row)
        return rows

    learn, test = backtest.learn, backtest.test
    labels = [int(lead.converted) for lead in learn]
    if len(set(labels)) < 2:
        return None, None
    try:
        if importlib.util.find_spec("lightgbm") is not None:
            import lightgbm

            model = lightgbm.LGBMClassifier(n_estimators=200, learning_rate=0.05, verbose=-1)
            model.fit(dense(learn), labels)
            return "lightgbm", auc(list(model.predict_proba(dense(test))[:, 1]), [lead.converted for lead in test])
        if importlib.util.find_spec("sklearn") is not None:
            from sklearn.ensemble import HistGradientBoostingClassifier

            model = HistGradientBoostingClassifier(max_iter=200, learning_rate=0.05)
            model.fit(dense(learn), labels)
            return "scikit-learn", auc(list(model.predict_proba(dense(test))[:, 1]), [lead.converted for lead in test])
    except Exception as error:  # a broken optional install must not stop a calibration
        return f"gradient boosting failed: {str(error).splitlines()[0]}", None
    return None, None


# --- threshold -------------------------------------------------------------------------------------


def leads_per_month(leads: Sequence[Lead]) -> float:
    if len(leads) < 2:
        return float(len(leads))
    span_days = (leads[-1].decided_at - leads[0].decided_at).total_seconds() / 86400.0
    return len(leads) / max(span_days / DAYS_PER_MONTH, 1e-9)


def threshold_for_share(scores: Sequence[float], share: float) -> float:
    """The lowest score that keeps at most the given share of leads at or above it."""
    ordered = sorted(scores, reverse=True)
    keep = max(1, min(len(ordered), int(math.floor(share * len(ordered) + 1e-9))))
    return ordered[keep - 1]


def _precision_recall(
    scores: Sequence[float], leads: Sequence[Lead], threshold: float
) -> tuple[float | None, float | None]:
    predicted = [score >= threshold for score in scores]
    true_positives = sum(1 for flag, lead in zip(predicted, leads, strict=True) if flag and lead.converted)
    positives = sum(1 for lead in leads if lead.converted)
    chosen = sum(predicted)
    return (true_positives / chosen if chosen else None, true_positives / positives if positives else None)


# --- writing ---------------------------------------------------------------------------------------


def _format_number(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else f"{value:.4g}"


def write_grid(project_dir: Path, backtest: Backtest, proposal: Proposal) -> list[Path]:
    """The proposal as new grid seeds beside the current grid's, same columns; max_points scaled so
    that a rule stays capped at the same number of (decayed) occurrences."""
    if proposal.grid in (backtest.grid, "b2b_saas"):
        raise LeadscoreError(
            f"the grid {proposal.grid} is the grid in use: calibrate never overwrites it (build with "
            "another scoring_grid first)"
        )
    new_points = {
        (rule.dimension, rule.rule_id): points
        for rule, points in zip(backtest.rules, proposal.points, strict=True)
    }
    written = []
    for kind in KINDS:
        header, rows = read_grid(project_dir, kind, backtest.grid)
        dimension = DIMENSION_OF_KIND[kind]
        for row in rows:
            key = (dimension, row["rule_id"].strip())
            old_points = _number(row.get("points")) or 0.0
            points = new_points.get(key, old_points)
            row["points"] = _format_number(points)
            cap = _number(row.get("max_points"))
            if cap is not None and old_points != 0 and points != 0:
                row["max_points"] = _format_number(round(cap * abs(points) / abs(old_points), 2))
        path = grid_seed_path(project_dir, kind, proposal.grid)
        path.parent.mkdir(parents=True, exist_ok=True)
        with open(path, "w", encoding="utf-8", newline="") as handle:
            writer = csv.DictWriter(handle, fieldnames=header, lineterminator="\n")
            writer.writeheader()
            writer.writerows(rows)
        written.append(path)
    _register_settings(project_dir, backtest.grid, proposal.grid)
    return written


def _register_settings(project_dir: Path, current_grid: str, new_grid: str) -> None:
    """seeds/scoring_grids.csv: the proposal takes the current grid's settings (inactivity)."""
    path = project_dir / "seeds" / "scoring_grids.csv"
    with open(path, encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        header, rows = list(reader.fieldnames or []), list(reader)
    current = next((row for row in rows if row["grid"].strip().lower() == current_grid), None)
    if current is None:
        raise LeadscoreError(f"{path} has no row for the grid {current_grid}")
    proposal = {**current, "grid": new_grid,
                "description": f"Proposed by leadscore calibrate from the backtest of {current_grid}"}
    updated = [row for row in rows if row["grid"].strip().lower() != new_grid] + [proposal]
    if updated != rows:
        with open(path, "w", encoding="utf-8", newline="") as handle:
            writer = csv.DictWriter(handle, fieldnames=header, lineterminator="\n")
            writer.writeheader()
            writer.writerows(updated)


# --- the command ----------------------------------------------------------------------------------


def calibrate(
    db_path: Path,
    *,
    serving: Path | None = None,
    project_dir: Path = PROJECT_DIR,
    mql_share_pct: float | None = None,
    capacity_per_month: float | None = None,
    write: bool = True,
    progress: Progress | None = None,
) -> Calibration:
    say = progress or (lambda _message: None)
    if mql_share_pct is not None and capacity_per_month is not None:
        raise LeadscoreError("give --mql-share or --capacity, not both")
    if mql_share_pct is not None and not 0 < mql_share_pct <= 100:
        raise LeadscoreError(f"--mql-share must be a percentage in (0, 100], got {mql_share_pct:g}")
    if capacity_per_month is not None and capacity_per_month <= 0:
        raise LeadscoreError(f"--capacity must be a number of leads per month > 0, got {capacity_per_month:g}")
    backtest = load_backtest(db_path, serving, project_dir)
    learn, test = backtest.learn, backtest.test
    for side, leads in (("learning", learn), ("hold-out", test)):
        if len({lead.converted for lead in leads}) < 2:
            raise LeadscoreError(
                f"the {side} side of the backtest needs converted and unconverted leads to calibrate "
                f"({len(leads)} leads, {sum(lead.converted for lead in leads)} converted)"
            )
    say(f"Backtest of the grid {backtest.grid}: {len(backtest.leads):,} leads, learning on {len(learn):,} "
        f"({sum(lead.converted for lead in learn):,} converted), holding out the last {len(test):,} "
        f"({sum(lead.converted for lead in test):,} converted)")
    current_auc = auc([lead.current_score for lead in test], [lead.converted for lead in test])
    joint = joint_grid(backtest, say)
    lift = lift_grid(backtest)
    reference_name, reference_auc = gradient_boosted_reference(backtest)

    monthly = leads_per_month(backtest.leads)
    if capacity_per_month is not None:
        share = min(1.0, capacity_per_month / monthly)
    elif mql_share_pct is not None:
        share = mql_share_pct / 100.0
    else:
        current_share = sum(lead.predicted_mql for lead in backtest.leads) / len(backtest.leads)
        share = current_share if current_share > 0 else 0.10
    threshold = threshold_for_share(grid_scores(backtest.leads, joint.points), share)
    precision, recall = _precision_recall(grid_scores(test, joint.points), test, threshold)

    written: list[Path] = []
    if write:
        for proposal in (joint, lift):
            written += write_grid(project_dir, backtest, proposal)
    return Calibration(backtest, current_auc, joint, lift, reference_name, reference_auc, threshold, share,
                       precision, recall, monthly, written)


def _fmt(value: float | None, digits: int = 3) -> str:
    return "n/a" if value is None else f"{value:.{digits}f}"


def report_lines(result: Calibration, project_dir: Path = PROJECT_DIR) -> list[str]:
    backtest, joint, lift = result.backtest, result.joint, result.lift
    learn = backtest.learn
    touched, converted = _touched(learn, len(backtest.rules))
    lines = [f"{'rule':<28} {'dimension':<10} {'current':>8} {'joint':>6} {'lift':>6} {'touched':>8} {'conv.':>6}"]
    for position, rule in enumerate(backtest.rules):
        rate = f"{converted[position] / touched[position]:.0%}" if touched[position] else "-"
        lines.append(
            f"{rule.rule_id:<28} {rule.dimension:<10} {_format_number(rule.points):>8} "
            f"{_format_number(joint.points[position]):>6} {_format_number(lift.points[position]):>6} "
            f"{touched[position]:>8,} {rate:>6}"
        )
    kept = sorted(set(joint.kept_rules) | set(lift.kept_rules))
    if kept:
        lines.append(f"No learning lead touched {', '.join(kept)}: kept at the current points.")
    test = backtest.test
    lines += [
        "",
        f"Hold-out AUC (the last {len(test):,} backtest leads by decision instant, "
        f"{sum(lead.converted for lead in test):,} converted):",
        f"  {f'current grid ({backtest.grid})':<40}{_fmt(result.current_holdout_auc)}",
        f"  {f'jointly fitted grid ({joint.grid})':<40}{_fmt(joint.holdout_auc)}",
        f"  {f'lift grid ({lift.grid})':<40}{_fmt(lift.holdout_auc)}",
    ]
    if result.reference_auc is not None:
        lines.append(f"  {f'gradient boosting ({result.reference_name})':<40}{_fmt(result.reference_auc)}")
    else:
        lines.append(f"  gradient boosting: {result.reference_name or 'not installed (lightgbm or scikit-learn)'}")
    lines += [
        "",
        f"Threshold for the jointly fitted grid: {result.threshold:.1f} "
        f"(the top {result.threshold_share:.1%} of leads, about {result.threshold_share * result.leads_per_month:,.0f} "
        f"of {result.leads_per_month:,.0f} a month); on the hold-out: precision {_fmt(result.threshold_precision, 2)}, "
        f"recall {_fmt(result.threshold_recall, 2)}",
    ]
    for path in result.written:
        try:
            shown = path.relative_to(project_dir)
        except ValueError:
            shown = path
        lines.append(f"Wrote {shown}")
    if result.written:
        lines += [
            f'Compare: leadscore build --vars "{{challenger_grid: {joint.grid}}}" (report champion_challenger)',
            f'Adopt:   leadscore build --vars "{{scoring_grid: {joint.grid}, mql_threshold: '
            f'{result.threshold:.1f}}}"',
        ]
    return lines
