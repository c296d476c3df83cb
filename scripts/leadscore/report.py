"""``leadscore report``: one self-contained HTML page of charts, read from the serving file.

Everything is in the one file: the charts are inline SVG drawn here, a few lines of inline
JavaScript show a tooltip over each mark; no external script, style sheet, font or image, so the
page works offline and can be mailed. Charts: score distribution (negative bands and outliers
flagged), conversion by score band, conversion per rule, the grade matrix as a heat map, the funnel,
calibration curves (conversion against score, per score decile, for each grid of the backtest) and
the lift by decile; tables: the latest calibration proposal against the current grid and its
ceiling (what `leadscore calibrate` wrote beside the grid), backtest summary, MQL quality, ROI
before / after, champion / challenger.
"""

from __future__ import annotations

import html
import json
import math
from collections.abc import Sequence
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import duckdb

from leadscore.errors import LeadscoreError
from leadscore.paths import PROJECT_DIR
from leadscore.serving import open_serving, serving_path_for
from leadscore.warehouse import Warehouse, first_line

REPORT_NAME = "leadscore_report.html"
WIDTH = 720
COLORS = {"champion": "#2563eb", "challenger": "#ea580c", "bar": "#2563eb", "negative": "#dc2626",
          "outlier": "#f59e0b", "base": "#6b7280"}

Row = dict[str, Any]


def _rows(con: duckdb.DuckDBPyConnection, table: str, order: str = "") -> list[Row]:
    exists = con.execute(
        "select count(*) from information_schema.tables where table_schema = 'main' and table_name = ?", [table]
    ).fetchone()
    if not exists or not exists[0]:
        return []
    cursor = con.execute(f"select * from main.{table} {order}")
    names = [column[0] for column in cursor.description]
    return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


def _e(value: object) -> str:
    return html.escape(str(value), quote=True)


def _pct(value: float | None, digits: int = 1) -> str:
    return "-" if value is None else f"{100 * value:.{digits}f}%"


def _num(value: float | None, digits: int = 1) -> str:
    if value is None:
        return "-"
    if isinstance(value, int) or float(value).is_integer():
        return f"{int(value):,}"
    return f"{value:,.{digits}f}"


def _nice_max(value: float) -> float:
    if value <= 0:
        return 1.0
    exponent = 10 ** math.floor(math.log10(value))
    for step in (1, 2, 2.5, 5, 10):
        if value <= step * exponent:
            return step * exponent
    return 10 * exponent


# --- SVG pieces ----------------------------------------------------------------------------------


def _svg(name: str, height: int, body: str, title: str) -> str:
    return (f'<svg class="chart" data-chart="{_e(name)}" role="img" aria-label="{_e(title)}" '
            f'viewBox="0 0 {WIDTH} {height}" width="{WIDTH}" height="{height}">'
            f"{body}</svg>")


def _empty(name: str, title: str, message: str) -> str:
    return _svg(name, 60, f'<text x="10" y="35" class="muted">{_e(message)}</text>', title)


def _axis_y(top: int, bottom: int, left: int, maximum: float, fmt: str = "num") -> str:
    parts = []
    for step in range(5):
        value = maximum * step / 4
        y = bottom - (bottom - top) * step / 4
        label = _pct(value, 0) if fmt == "pct" else _num(value, 0)
        parts.append(f'<line x1="{left}" x2="{WIDTH - 10}" y1="{y:.1f}" y2="{y:.1f}" class="grid"/>'
                     f'<text x="{left - 6}" y="{y + 4:.1f}" class="tick" text-anchor="end">{label}</text>')
    return "".join(parts)


def column_chart(name: str, title: str, labels: Sequence[str], values: Sequence[float | None],
                 colors: Sequence[str], tips: Sequence[str], fmt: str = "num") -> str:
    if not labels:
        return _empty(name, title, "no data")
    height, top, bottom, left = 260, 15, 210, 56
    maximum = _nice_max(max((v or 0) for v in values))
    slot = (WIDTH - 10 - left) / len(labels)
    body = [_axis_y(top, bottom, left, maximum, fmt)]
    every = max(1, math.ceil(len(labels) / 16))
    for i, (label, value, color, tip) in enumerate(zip(labels, values, colors, tips, strict=True)):
        x = left + i * slot
        h = (bottom - top) * (value or 0) / maximum
        body.append(f'<rect class="mark" x="{x + slot * 0.1:.1f}" y="{bottom - h:.1f}" width="{slot * 0.8:.1f}" '
                    f'height="{max(h, 0.5):.1f}" fill="{color}" data-tip="{_e(tip)}"/>')
        if i % every == 0:
            body.append(f'<text x="{x + slot / 2:.1f}" y="{bottom + 14}" class="tick" text-anchor="end" '
                        f'transform="rotate(-35 {x + slot / 2:.1f} {bottom + 14})">{_e(label)}</text>')
    return _svg(name, height, "".join(body), title)


def bar_chart(name: str, title: str, labels: Sequence[str], values: Sequence[float | None],
              tips: Sequence[str], reference: float | None = None, fmt: str = "pct") -> str:
    if not labels:
        return _empty(name, title, "no data")
    left, row, top = 230, 22, 10
    height = top + row * len(labels) + 30
    maximum = _nice_max(max([(v or 0) for v in values] + [reference or 0]))
    span = WIDTH - 20 - left
    body = []
    for i, (label, value, tip) in enumerate(zip(labels, values, tips, strict=True)):
        y = top + i * row
        w = span * (value or 0) / maximum
        shown = _pct(value) if fmt == "pct" else _num(value)
        body.append(f'<text x="{left - 6}" y="{y + 15}" class="tick" text-anchor="end">{_e(label)}</text>'
                    f'<rect class="mark" x="{left}" y="{y + 3}" width="{max(w, 0.5):.1f}" height="{row - 6}" '
                    f'fill="{COLORS["bar"]}" data-tip="{_e(tip)}"/>'
                    f'<text x="{left + w + 4:.1f}" y="{y + 15}" class="tick">{shown}</text>')
    if reference is not None:
        x = left + span * reference / maximum
        body.append(f'<line x1="{x:.1f}" x2="{x:.1f}" y1="{top}" y2="{top + row * len(labels)}" class="reference"/>'
                    f'<text x="{x + 4:.1f}" y="{height - 8}" class="tick">base rate {_pct(reference)}</text>')
    return _svg(name, height, "".join(body), title)


def _heat(rate: float | None) -> str:
    if rate is None:
        return "#f3f4f6"
    t = max(0.0, min(1.0, rate))
    # white to deep blue
    r, g, b = (int(255 + (c - 255) * t) for c in (30, 64, 175))
    return f"rgb({r},{g},{b})"


def grade_heat_map(rows: Sequence[Row]) -> str:
    title = "Grade matrix: conversion of the backtest leads by grade"
    if not rows:
        return _empty("grade_matrix", title, "no data")
    fits = sorted({(r["fit_order"], r["fit_grade"]) for r in rows})
    engagements = sorted({(r["engagement_order"], r["engagement_grade"]) for r in rows})
    cell, left, top = 110, 80, 30
    height = top + cell * len(fits) // 2 + 40
    body = [f'<text x="{left}" y="18" class="tick">engagement</text>']
    by_grade = {r["grade"]: r for r in rows}
    for j, (_, engagement) in enumerate(engagements):
        body.append(f'<text x="{left + j * cell + cell / 2}" y="{top - 4}" class="tick" text-anchor="middle">'
                    f"{_e(engagement)}</text>")
    for i, (_, fit) in enumerate(fits):
        y = top + i * cell / 2
        body.append(f'<text x="{left - 8}" y="{y + cell / 4 + 4}" class="tick" text-anchor="end">fit {_e(fit)}</text>')
        for j, (_, engagement) in enumerate(engagements):
            row = by_grade.get(f"{fit}{engagement}", {})
            rate = row.get("backtest_conversion_rate")
            x = left + j * cell
            tip = (f"{fit}{engagement}: {_num(row.get('contacts'))} contacts now; backtest "
                   f"{_num(row.get('backtest_converted_leads'))} of {_num(row.get('backtest_leads'))} converted")
            text_class = "cell-dark" if (rate or 0) > 0.5 else "cell"
            body.append(f'<rect class="mark" x="{x}" y="{y:.1f}" width="{cell - 4}" height="{cell / 2 - 4}" '
                        f'fill="{_heat(rate)}" data-tip="{_e(tip)}"/>'
                        f'<text x="{x + cell / 2 - 2}" y="{y + cell / 4 + 4:.1f}" class="{text_class}" '
                        f'text-anchor="middle">{_e(fit)}{_e(engagement)} {_pct(rate, 0)}</text>')
    return _svg("grade_matrix", int(height), "".join(body), title)


def funnel_chart(rows: Sequence[Row]) -> str:
    title = "Funnel (lead_status_changes)"
    if not rows:
        return _empty("funnel", title, "no data")
    row_h, top = 34, 10
    height = top + row_h * len(rows) + 10
    maximum = max((r["contacts_reached"] or 0) for r in rows) or 1
    body = []
    centre, span = 420, 380
    for i, r in enumerate(rows):
        w = span * (r["contacts_reached"] or 0) / maximum
        y = top + i * row_h
        median = r.get("median_days_in_stage")
        tip = (f"{r['stage']}: {_num(r['contacts_reached'])} reached, {_num(r['contacts_in_stage'])} there now, "
               f"median {_num(median)} days in stage")
        body.append(f'<text x="10" y="{y + 21}" class="tick">{_e(r["stage"])}</text>'
                    f'<rect class="mark" x="{centre - w / 2:.1f}" y="{y + 4}" width="{max(w, 0.5):.1f}" '
                    f'height="{row_h - 8}" fill="{COLORS["bar"]}" data-tip="{_e(tip)}"/>'
                    f'<text x="{centre + span / 2 + 10}" y="{y + 21}" class="tick">{_num(r["contacts_reached"])}'
                    f'{"" if median is None else f" ({_num(median)} d)"}</text>')
    return _svg("funnel", height, "".join(body), title)


def calibration_chart(rows: Sequence[Row]) -> str:
    title = "Calibration: conversion against score, per score decile of the backtest"
    if not rows:
        return _empty("calibration", title, "no backtest")
    height, top, bottom, left = 280, 15, 240, 56
    xs = [r["avg_score"] for r in rows]
    lo, hi = min(xs), max(xs)
    if hi <= lo:
        hi = lo + 1
    maximum = _nice_max(max(r["conversion_rate"] or 0 for r in rows))
    body = [_axis_y(top, bottom, left, maximum, "pct")]

    def x_of(score: float) -> float:
        return left + (WIDTH - 20 - left) * (score - lo) / (hi - lo)

    for tick in range(5):
        score = lo + (hi - lo) * tick / 4
        body.append(f'<text x="{x_of(score):.1f}" y="{bottom + 16}" class="tick" text-anchor="middle">'
                    f"{_num(score, 0)}</text>")
    for role in ("champion", "challenger"):
        points = sorted((r for r in rows if r["grid_role"] == role), key=lambda r: r["avg_score"])
        if not points:
            continue
        color = COLORS[role]
        path = " ".join(f"{'M' if i == 0 else 'L'}{x_of(p['avg_score']):.1f},"
                        f"{bottom - (bottom - top) * (p['conversion_rate'] or 0) / maximum:.1f}"
                        for i, p in enumerate(points))
        body.append(f'<path class="mark line" d="{path}" stroke="{color}" fill="none" stroke-width="2" '
                    f'data-tip="{_e(role)}: {_e(points[0]["grid"])}"/>')
        for p in points:
            tip = (f"{role} ({p['grid']}) decile {p['score_decile']}: average score {_num(p['avg_score'])}, "
                   f"{_num(p['converted_leads'])} of {_num(p['leads'])} converted ({_pct(p['conversion_rate'])})")
            y = bottom - (bottom - top) * (p["conversion_rate"] or 0) / maximum
            body.append(f'<circle class="mark" cx="{x_of(p["avg_score"]):.1f}" cy="{y:.1f}" r="4" fill="{color}" '
                        f'data-tip="{_e(tip)}"/>')
        body.append(f'<text x="{WIDTH - 150}" y="{top + 14 + (18 if role == "challenger" else 0)}" '
                    f'fill="{color}" class="tick">{_e(role)}: {_e(points[0]["grid"])}</text>')
    return _svg("calibration", height, "".join(body), title)


def lift_chart(rows: Sequence[Row]) -> str:
    champion = sorted((r for r in rows if r["grid_role"] == "champion"), key=lambda r: r["score_decile"])
    return column_chart(
        "lift", "Lift by score decile (champion grid, 1 = best tenth)",
        [f"decile {r['score_decile']}" for r in champion], [r["lift"] for r in champion],
        [COLORS["bar"]] * len(champion),
        [f"decile {r['score_decile']}: lift {_num(r['lift'], 2)}, {_pct(r['cumulative_converted_share'])} of "
         f"converted leads captured down to here" for r in champion],
    )


# --- tables --------------------------------------------------------------------------------------


def _table(columns: Sequence[tuple[str, str, str]], rows: Sequence[Row]) -> str:
    """columns: (key, heading, format: num | pct | pct100 | text | date)."""
    if not rows:
        return '<p class="muted">No rows.</p>'
    head = "".join(f"<th>{_e(heading)}</th>" for _, heading, _ in columns)
    body = []
    for row in rows:
        cells = []
        for key, _, fmt in columns:
            value = row.get(key)
            if fmt == "pct":
                text = _pct(value)
            elif fmt == "pct100":
                text = "-" if value is None else f"{value:.1f}%"
            elif fmt == "num":
                text = _num(value)
            elif fmt == "auc":
                text = "-" if value is None else f"{value:.3f}"
            elif fmt == "date":
                text = "-" if value is None else f"{value:%Y-%m-%d}"
            else:
                text = "-" if value is None else str(value)
            cells.append(f"<td>{_e(text)}</td>")
        body.append(f"<tr>{''.join(cells)}</tr>")
    return f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table>"


STYLE = """
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,Helvetica,Arial,sans-serif;margin:24px auto;
max-width:780px;color:#111827;background:#fff}
h1{font-size:22px}h2{font-size:17px;margin-top:32px;border-bottom:1px solid #e5e7eb;padding-bottom:4px}
p.note,.muted{color:#6b7280;font-size:13px}
.kpis{display:flex;gap:12px;flex-wrap:wrap}.kpi{border:1px solid #e5e7eb;border-radius:6px;padding:8px 12px}
.kpi b{display:block;font-size:20px}
table{border-collapse:collapse;font-size:13px;margin:8px 0}th,td{border:1px solid #e5e7eb;padding:3px 7px;
text-align:right}th{background:#f9fafb}td:first-child,th:first-child{text-align:left}
svg .tick{font-size:11px;fill:#374151}svg .grid{stroke:#e5e7eb}svg .reference{stroke:#6b7280;
stroke-dasharray:4 3}svg .cell{font-size:12px;fill:#111827}svg .cell-dark{font-size:12px;fill:#fff}
svg .muted{font-size:13px;fill:#6b7280}svg .mark:hover{opacity:.75}
#tip{position:fixed;pointer-events:none;background:#111827;color:#fff;font-size:12px;padding:4px 7px;
border-radius:4px;display:none;max-width:360px}
"""

SCRIPT = """
(function () {
  var tip = document.getElementById('tip');
  document.querySelectorAll('[data-tip]').forEach(function (mark) {
    mark.addEventListener('mousemove', function (event) {
      tip.textContent = mark.getAttribute('data-tip');
      tip.style.display = 'block';
      tip.style.left = (event.clientX + 12) + 'px';
      tip.style.top = (event.clientY + 12) + 'px';
    });
    mark.addEventListener('mouseleave', function () { tip.style.display = 'none'; });
  });
  document.body.setAttribute('data-charts-drawn', String(document.querySelectorAll('svg.chart').length));
})();
"""


def latest_calibration(project_dir: Path) -> Row | None:
    """What the latest `leadscore calibrate` wrote beside its grid (seeds/grids/<name>__calibration.json)."""
    found = sorted((project_dir / "seeds" / "grids").glob("*__calibration.json"), key=lambda path: path.stat().st_mtime)
    if not found:
        return None
    try:
        return dict(json.loads(found[-1].read_text(encoding="utf-8")))
    except (OSError, ValueError):
        return None


def calibration_section(calibration: Row | None) -> str:
    if calibration is None:
        return '<p class="muted">No calibration yet: `leadscore calibrate` proposes a grid from the backtest.</p>'
    measures = calibration.get("measures") or []
    rows = [{"name": m["name"], "auc": m["auc"], "precision_top": m["precision_top"],
             **{f"d{row['decile']}": row["conversion"] for row in m.get("deciles") or []}} for m in measures]
    threshold = calibration.get("threshold") or {}
    note = (f"Proposal {calibration.get('name')} from the backtest of {calibration.get('current_grid')}: "
            f"{len(calibration.get('rules') or [])} rules, measured on the {_num(calibration.get('test_leads'))} "
            f"leads of the test cohort; threshold {_num(threshold.get('score'))} admits "
            f"{_num(threshold.get('admitted'))} of {_num(threshold.get('leads'))} backtest leads. "
            f"{len(calibration.get('warnings') or [])} warnings.")
    columns = [("name", "scorer", "text"), ("auc", "AUC", "auc"), ("precision_top", "precision top 15%", "pct"),
               *((f"d{number}", f"decile {number}", "pct") for number in range(1, 11))]
    return f'<p class="note">{_e(note)}</p>' + _table(columns, rows)


def render(con: duckdb.DuckDBPyConnection, calibration: Row | None = None) -> str:
    publication = _rows(con, "leadscore_publication")
    scores = con.execute(
        "select count(*), sum(case when is_mql then 1 else 0 end), max(as_of) from main.lead_scores"
    ).fetchone() if _rows(con, "lead_scores", "limit 1") else (0, 0, None)
    distribution = _rows(con, "score_distribution", "order by band_floor")
    summary = _rows(con, "backtest_summary", "order by grid_role desc, sample")
    deciles = _rows(con, "backtest_lift_by_decile", "order by grid_role desc, score_decile")
    rules = _rows(con, "rule_conversion", "order by conversion_rate desc nulls last, rule_id")
    grades = _rows(con, "conversion_by_grade", "order by fit_order, engagement_order")
    tiers = _rows(con, "conversion_by_tier", "order by tier_order")
    funnel = _rows(con, "lead_funnel", "order by stage_order")
    mql_quality = _rows(con, "mql_quality", "order by mql_cohort = 'all', mql_cohort")
    roi = _rows(con, "roi_before_after", "order by period_order")
    challenger = con.execute(
        "select status_change, count(*) as contacts from main.champion_challenger group by 1 order by 2 desc"
    ).fetchall() if _rows(con, "champion_challenger", "limit 1") else []

    contacts, mqls, as_of = scores or (0, 0, None)
    champion_test = next((r for r in summary if r["grid_role"] == "champion" and r["sample"] == "test"), None)
    kpis = [("contacts scored", _num(contacts)), ("MQLs now", _num(mqls))]
    if champion_test:
        kpis += [("hold-out AUC", "-" if champion_test["auc"] is None else f"{champion_test['auc']:.3f}"),
                 ("MQL precision", _pct(champion_test["mql_precision"])),
                 ("MQL recall", _pct(champion_test["mql_recall"]))]
    published = publication[0]["published_at"] if publication else None

    parts = [
        "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\">",
        "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">",
        f"<title>Lead scoring report{'' if as_of is None else f' as of {as_of:%Y-%m-%d %H:%M}'}</title>",
        f"<style>{STYLE}</style></head><body>",
        "<h1>Lead scoring report</h1>",
        f'<p class="note">Scores as of {_e("-" if as_of is None else f"{as_of:%Y-%m-%d %H:%M:%S}")} UTC; '
        f"published {_e('-' if published is None else f'{published:%Y-%m-%d %H:%M:%S}')} UTC; "
        f"written {datetime.now(timezone.utc):%Y-%m-%d %H:%M} UTC.</p>",
        '<div class="kpis">' + "".join(f'<div class="kpi">{_e(k)}<b>{_e(v)}</b></div>' for k, v in kpis) + "</div>",
        "<h2>Score distribution</h2>",
        '<p class="note">Contacts per 10-point band today; red: negative scores, amber: bands with outliers '
        "(beyond the quartiles +/- score_outlier_iqr_factor interquartile ranges).</p>",
        column_chart(
            "score_distribution", "Contacts per score band", [r["band"] for r in distribution],
            [r["contacts"] for r in distribution],
            [COLORS["negative"] if r["is_negative"] else COLORS["outlier"] if r["has_outliers"] else COLORS["bar"]
             for r in distribution],
            [f"{r['band']}: {_num(r['contacts'])} contacts ({_num(r['contact_pct'])}%), {_num(r['mqls'])} MQLs"
             + (f", {_num(r['outlier_contacts'])} outliers" if r["has_outliers"] else "") for r in distribution],
        ),
        "<h2>Conversion by score band</h2>",
        '<p class="note">Backtest leads scored at their decision instant: the share that went on to an '
        "opportunity.</p>",
        column_chart(
            "conversion_by_band", "Conversion by score band",
            [r["band"] for r in distribution if r["backtest_leads"]],
            [r["backtest_conversion_rate"] for r in distribution if r["backtest_leads"]],
            [COLORS["bar"]] * sum(1 for r in distribution if r["backtest_leads"]),
            [f"{r['band']}: {_num(r['backtest_converted_leads'])} of {_num(r['backtest_leads'])} converted"
             for r in distribution if r["backtest_leads"]],
            fmt="pct",
        ),
        "<h2>Conversion per rule</h2>",
        '<p class="note">Backtest leads a rule had touched by their decision instant, and the share that went on '
        "to an opportunity; the line is the rate of all backtest leads.</p>",
        bar_chart(
            "rule_conversion", "Conversion per rule", [r["description"] or r["rule_id"] for r in rules],
            [r["conversion_rate"] for r in rules],
            [f"{r['rule_id']} ({_num(r['points'])} points): {_num(r['leads_converted'])} of "
             f"{_num(r['leads_touched'])} touched converted; lift {_num(r['lift'], 2)}, lift points "
             f"{_num(r['lift_points'])}" for r in rules],
            reference=rules[0]["base_rate"] if rules else None,
        ),
        "<h2>Grade matrix</h2>",
        grade_heat_map(grades),
        _table([("tier", "tier", "text"), ("contacts", "contacts now", "num"), ("mqls", "MQLs now", "num"),
                ("backtest_leads", "backtest leads", "num"), ("backtest_converted_leads", "converted", "num"),
                ("backtest_conversion_rate", "conversion", "pct")], tiers),
        "<h2>Funnel</h2>",
        funnel_chart(funnel),
        "<h2>Calibration</h2>",
        calibration_chart(deciles),
        lift_chart(deciles),
        "<h2>Calibration proposal</h2>",
        calibration_section(calibration),
        "<h2>Backtest</h2>",
        '<p class="note">Each lead scored as of its decision instant with what was known then; the hold-out '
        "(test) is the last part of the leads by decision instant.</p>",
        _table([("grid_role", "grid", "text"), ("grid", "name", "text"), ("sample", "sample", "text"),
                ("leads", "leads", "num"), ("converted_leads", "converted", "num"), ("auc", "AUC", "auc"),
                ("predicted_mqls", "MQLs", "num"), ("mql_precision", "precision", "pct"),
                ("mql_recall", "recall", "pct")], summary),
        "<h2>MQL quality</h2>",
        _table([("mql_cohort", "first MQL", "text"), ("mqls", "MQLs", "num"), ("accepted_pct", "accepted", "pct100"),
                ("sql_pct", "SQL", "pct100"), ("opportunity_pct", "opportunity", "pct100"),
                ("won_pct", "won", "pct100"), ("median_days_to_sql", "days to SQL", "num"),
                ("median_days_to_opportunity", "days to opportunity", "num")], mql_quality),
        "<h2>ROI before / after</h2>",
        _table([("period", "period", "text"), ("period_start", "from", "date"), ("period_end", "to", "date"),
                ("leads_passed", "leads to sales", "num"), ("acceptance_pct", "accepted", "pct100"),
                ("won_deals", "won deals", "num"), ("win_rate_pct", "win rate", "pct100"),
                ("median_days_mql_to_won", "days MQL to deal", "num"),
                ("revenue_per_won_deal", "revenue per deal", "num"), ("won_revenue", "revenue", "num")], roi),
        "<h2>Champion / challenger</h2>",
        _table([("status_change", "status change", "text"), ("contacts", "contacts", "num")],
               [{"status_change": change, "contacts": count} for change, count in challenger])
        if challenger else '<p class="muted">No challenger grid: build with --vars "{challenger_grid: NAME}".</p>',
        '<div id="tip"></div>',
        f"<script>{SCRIPT}</script></body></html>",
    ]
    return "\n".join(parts)


def write_report(
    db_path: Path, out_dir: Path, serving: Path | None = None, project_dir: Path = PROJECT_DIR
) -> Path:
    """Render the report from the serving file (and the latest calibration of the project) into
    OUT/leadscore_report.html."""
    Warehouse(db_path).require()
    serving_path = serving_path_for(db_path, serving)
    try:
        with open_serving(serving_path, db_path) as con:
            page = render(con, latest_calibration(project_dir))
    except duckdb.Error as error:
        raise LeadscoreError(f"{serving_path}: cannot read the reports: {first_line(error)}") from None
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
        path = out_dir / REPORT_NAME
        temporary = path.with_name(path.name + ".tmp")
        temporary.write_text(page, encoding="utf-8")
        temporary.replace(path)
    except OSError as error:
        raise LeadscoreError(f"cannot write the report to {out_dir}: {error.strerror or error}") from None
    return path
