"""Rule discovery for ``leadscore calibrate``: candidate rules from the backtest leads' attributes and
engagement, their features, and a grid's scores computed as the engine computes them.

Reads three public reports of the serving file: ``backtest_lead_attributes`` (each lead's fit
attributes as a fit rule reads them), ``backtest_lead_engagement`` (its events up to its decision
instant, per event type and url / asset / campaign value, counted and decayed at the default
half-life) and ``backtest_scoring_settings`` (inactivity penalty, engagement cap, clamp). A grid is
scored on them with the engine's semantics (macros/scoring/rule_matches.sql): in each rule group
the first matching rule by priority, then rule_id; a null value matches only ``is_null``; an
engagement rule earns its points per decayed occurrence; the inactivity penalty when the latest
event a rule matched is older than ``inactivity_days``; the engagement cap; the clamp."""

from __future__ import annotations

import math
import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

import numpy as np
from scipy import sparse

NUMERIC_SHARE = 0.95  # an attribute is numeric when this share of its values are numbers...
NUMERIC_DISTINCT = 8  # ... and it has more distinct numbers than this (else its values are categories)
QUANTILE_BINS = 10
MAX_VALUES_PER_ATTRIBUTE = 25  # frequent values proposed as `eq` rules; the rest grouped
MAX_RARE_VALUES = 60  # values listed in the rare group's `in` rule
MAX_FIELD_VALUES = 15  # url / asset / campaign values proposed per event type


@dataclass(frozen=True)
class FitRule:
    rule_id: str
    rule_group: str
    attribute: str
    operator: str
    value: str
    priority: int
    description: str


@dataclass(frozen=True)
class EngagementRule:
    rule_id: str
    event_type: str
    match_field: str  # "" = every event of the type
    operator: str
    value: str
    description: str


@dataclass(frozen=True)
class Settings:
    inactivity_days: float | None
    inactivity_points: float | None
    engagement_cap: float | None
    lead_score_min: float | None
    lead_score_max: float | None
    decay_method: str
    decay_half_life_days: float


@dataclass
class LeadData:
    """Per backtest lead (in the order of ``contact_ids``): attributes and engagement rows."""

    contact_ids: list[str]
    attributes: dict[str, dict[int, tuple[str, float | None]]]  # attribute -> lead -> (text, number)
    # (event_type, match_field) -> rows (lead, field_value, occurrences, decayed, last_age_days)
    engagement: dict[tuple[str, str], list[tuple[int, str, float, float, float]]] = field(default_factory=dict)


# --- the engine's matching --------------------------------------------------------------------------


def _number(text: str) -> float | None:
    try:
        return float(text)
    except ValueError:
        return None


def rule_matches(text: str | None, number: float | None, operator: str, value: str) -> bool:
    """macros/scoring/rule_matches.sql for the operators calibration proposes and the grids use."""
    if text is None:
        return operator == "is_null"
    low, rule = text.lower(), value.lower()
    if operator == "eq":
        return low == rule
    if operator == "in":
        return f"|{low}|" in f"|{rule}|"
    if operator == "contains":
        return rule in low
    if operator == "regex":
        try:
            return re.search(value, text) is not None
        except re.error:
            return False
    if operator in ("between", "gte", "lte"):
        if number is None:
            return False
        if operator == "between":
            low_text, _, high_text = value.partition("|")
            low_bound, high_bound = _number(low_text), _number(high_text)
            return low_bound is not None and high_bound is not None and low_bound <= number <= high_bound
        bound = _number(value)
        if bound is None:
            return False
        return number >= bound if operator == "gte" else number <= bound
    if operator == "not_null":
        return True
    if operator == "is_true":
        return low in ("true", "t", "1", "yes", "y")
    if operator == "is_false":
        return low in ("false", "f", "0", "no", "n")
    return False


def fit_assignments(data: LeadData, rules: Sequence[FitRule]) -> dict[int, list[int]]:
    """For each rule (by position), the leads it applies to: the first match of its group."""
    by_group: dict[str, list[int]] = defaultdict(list)
    for position, rule in enumerate(rules):
        by_group[rule.rule_group.lower()].append(position)
    applied: dict[int, list[int]] = defaultdict(list)
    n = len(data.contact_ids)
    for positions in by_group.values():
        ordered = sorted(positions, key=lambda p: (rules[p].priority, rules[p].rule_id))
        attributes = sorted({rules[p].attribute for p in ordered})
        columns = [data.attributes.get(attribute, {}) for attribute in attributes]
        winners: dict[tuple[tuple[str | None, float | None], ...], int | None] = {}
        for lead in range(n):
            key = tuple(column.get(lead, (None, None)) for column in columns)
            if key not in winners:
                values = dict(zip(attributes, key, strict=True))
                winners[key] = next(
                    (p for p in ordered if rule_matches(*values[rules[p].attribute], rules[p].operator,
                                                        rules[p].value)),
                    None,
                )
            winner = winners[key]
            if winner is not None:
                applied[winner].append(lead)
    return applied


def engagement_features(data: LeadData, rule: EngagementRule) -> tuple[np.ndarray, np.ndarray]:
    """The rule's decayed occurrences per lead, and the age of the latest event it matched (inf: none)."""
    n = len(data.contact_ids)
    feature = np.zeros(n)
    last_age = np.full(n, math.inf)
    for lead, value, _occurrences, decayed, age in data.engagement.get((rule.event_type, rule.match_field), []):
        if rule.match_field and not rule_matches(value, None, rule.operator, rule.value):
            continue
        feature[lead] += decayed
        last_age[lead] = min(last_age[lead], age)
    return feature, last_age


def grid_scores(
    data: LeadData,
    fit_rules: Sequence[FitRule],
    fit_points: Sequence[float],
    engagement_rules: Sequence[EngagementRule],
    engagement_points: Sequence[float],
    settings: Settings,
    adjustments: np.ndarray,
) -> np.ndarray:
    """Each lead's score at its decision instant under a grid, as int_lead_scores_by_scoring computes it
    (for rules without max_points and half_life_days, which is what calibration proposes)."""
    n = len(data.contact_ids)
    fit = np.zeros(n)
    for position, leads in fit_assignments(data, fit_rules).items():
        fit[leads] += fit_points[position]
    engagement = np.zeros(n)
    matched_age = np.full(n, math.inf)
    for rule, points in zip(engagement_rules, engagement_points, strict=True):
        feature, last_age = engagement_features(data, rule)
        engagement += points * feature
        matched_age = np.minimum(matched_age, last_age)
    if settings.inactivity_days is not None and settings.inactivity_points is not None:
        inactive = np.isfinite(matched_age) & (matched_age > settings.inactivity_days)
        engagement = engagement + np.where(inactive, settings.inactivity_points, 0.0)
    if settings.engagement_cap is not None:
        has_events = np.isfinite(matched_age)
        engagement = np.where(has_events & (engagement > settings.engagement_cap), settings.engagement_cap, engagement)
    score = fit + engagement + adjustments
    if settings.lead_score_min is not None:
        score = np.maximum(score, settings.lead_score_min)
    if settings.lead_score_max is not None:
        score = np.minimum(score, settings.lead_score_max)
    return score


# --- candidates -------------------------------------------------------------------------------------


def _slug(text: str, limit: int = 24) -> str:
    slug = re.sub(r"[^a-z0-9]+", "_", text.lower()).strip("_")
    return (slug or "x")[:limit].strip("_") or "x"


def _format_bound(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else f"{value:.6g}"


class _Ids:
    def __init__(self) -> None:
        self.used: set[str] = set()

    def make(self, base: str) -> str:
        rule_id, suffix = base, 2
        while rule_id in self.used:
            rule_id, suffix = f"{base}_{suffix}", suffix + 1
        self.used.add(rule_id)
        return rule_id


def fit_candidates(data: LeadData, learn: Sequence[int], min_support: int) -> list[FitRule]:
    """Per attribute, one rule group of alternatives: quantile bins of a numeric attribute, frequent
    values of a categorical one with the rare values grouped, and null as a value of its own."""
    ids, rules = _Ids(), []
    for attribute in sorted(data.attributes):
        values = data.attributes[attribute]
        learned = [values.get(lead, (None, None)) for lead in learn]
        present = [(text, number) for text, number in learned if text is not None]
        nulls = len(learned) - len(present)
        if not present:
            continue
        group = f"cal_{_slug(attribute, 40)}"
        numbers = [number for _, number in present if number is not None]
        own: list[FitRule] = []

        def add(operator: str, value: str, label: str, base: str, own: list[FitRule] = own,
                attribute: str = attribute, group: str = group) -> None:
            own.append(FitRule(ids.make(f"fit_{_slug(attribute, 30)}_{base}"), group, attribute, operator, value,
                               len(own) + 1, f"{attribute} {label}"))

        if len(numbers) >= NUMERIC_SHARE * len(present) and len(set(numbers)) > NUMERIC_DISTINCT:
            edges = sorted(set(np.quantile(numbers, np.linspace(0, 1, QUANTILE_BINS + 1))[1:-1].round(6)))
            if edges:
                add("lte", _format_bound(edges[0]), f"<= {_format_bound(edges[0])}", "bin1")
                for number, (low, high) in enumerate(zip(edges, edges[1:], strict=False), start=2):
                    add("between", f"{_format_bound(low)}|{_format_bound(high)}",
                        f"in ({_format_bound(low)}, {_format_bound(high)}]", f"bin{number}")
                add("gte", _format_bound(edges[-1]), f"> {_format_bound(edges[-1])}", f"bin{len(edges) + 1}")
        else:
            counts = Counter(text.lower() for text, _ in present)
            if len(counts) < 2 and nulls < min_support:
                continue
            frequent = [value for value, count in counts.most_common(MAX_VALUES_PER_ATTRIBUTE)
                        if count >= min_support and "|" not in value]
            for value in frequent:
                add("eq", value, f"= {value}", _slug(value))
            rare = [value for value, _ in counts.most_common() if value not in frequent and "|" not in value]
            rare = rare[:MAX_RARE_VALUES]
            if rare and sum(counts[value] for value in rare) >= min_support:
                add("in", "|".join(rare), "other values", "other")
        if nulls >= min_support and own:
            add("is_null", "", "unknown", "null")
        if len(own) >= 1:
            rules += own
    return rules


def _url_pattern(url: str) -> str:
    """The path of a URL (no scheme, host, query or fragment), the part a `contains` rule tests."""
    path = re.sub(r"^[a-z][a-z0-9+.-]*://[^/]*", "", url.strip(), flags=re.IGNORECASE)
    return re.split(r"[?#]", path, maxsplit=1)[0].rstrip("/").lower()


def engagement_candidates(data: LeadData, learn: Sequence[int], min_support: int) -> list[EngagementRule]:
    """Event types, and their frequent url paths (`contains`) and asset / campaign values (`eq`)."""
    learning = set(learn)
    ids, rules = _Ids(), []
    for (event_type, match_field), rows in sorted(data.engagement.items()):
        if not match_field:
            leads = {lead for lead, *_ in rows if lead in learning}
            if len(leads) >= min_support:
                rules.append(EngagementRule(ids.make(f"eng_{_slug(event_type, 40)}"), event_type, "", "", "",
                                            f"{event_type}"))
            continue
        support: dict[str, set[int]] = defaultdict(set)
        for lead, value, *_ in rows:
            if lead in learning and value:
                key = _url_pattern(value) if match_field == "url" else value.lower()
                if key and "|" not in key:
                    support[key].add(lead)
        frequent = sorted((key for key, leads in support.items() if len(leads) >= min_support),
                          key=lambda key: (-len(support[key]), key))[:MAX_FIELD_VALUES]
        operator = "contains" if match_field == "url" else "eq"
        for key in frequent:
            rules.append(EngagementRule(ids.make(f"eng_{_slug(event_type, 20)}_{_slug(key)}"), event_type,
                                        match_field, operator, key, f"{event_type} {match_field} {operator} {key}"))
    return rules


def feature_matrix(
    data: LeadData, fit_rules: Sequence[FitRule], engagement_rules: Sequence[EngagementRule]
) -> sparse.csr_matrix:
    """Leads x candidate rules: 1 where a fit rule applies (first match of its group), the decayed
    occurrences of an engagement rule."""
    n = len(data.contact_ids)
    rows: list[Iterable[int]] = []
    columns: list[Iterable[int]] = []
    values: list[Iterable[float]] = []
    for position, leads in fit_assignments(data, fit_rules).items():
        rows.append(leads)
        columns.append([position] * len(leads))
        values.append([1.0] * len(leads))
    offset = len(fit_rules)
    for position, rule in enumerate(engagement_rules):
        feature, _ = engagement_features(data, rule)
        touched = np.nonzero(feature)[0]
        rows.append(touched.tolist())
        columns.append([offset + position] * len(touched))
        values.append(feature[touched].tolist())
    flat = [np.fromiter((x for chunk in part for x in chunk), dtype=float) for part in (rows, columns, values)]
    return sparse.csr_matrix((flat[2], (flat[0].astype(int), flat[1].astype(int))),
                             shape=(n, offset + len(engagement_rules)))
