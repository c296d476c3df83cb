"""`leadscore explain`: one lead, read from the serving file (what BI tools and sales see), with every
contribution to its score (lead_score_breakdown) and the lead's grade, tier and MQL status (lead_scores).

The contributions add up to ``lead_score_unclamped``; the explanation prints that sum check and says so
when ``lead_score`` was clamped (vars lead_score_min / lead_score_max)."""

from __future__ import annotations

import json
from datetime import date, datetime
from pathlib import Path
from typing import Any

import duckdb

from leadscore.errors import LeadscoreError
from leadscore.serving import open_serving, serving_path_for
from leadscore.warehouse import require_table

# A sum of floats that differs from the stored score by more than this is reported as a mismatch.
SUM_TOLERANCE = 1e-6

LEAD_COLUMNS = (
    "contact_id", "first_name", "last_name", "email", "company_name", "job_title", "account_id",
    "resolved_account_id", "account_match_method", "lead_status", "owner", "fit_score", "engagement_score",
    "engagement_score_recent", "adjustment_points", "lead_score", "lead_score_unclamped", "fit_grade",
    "engagement_grade", "grade", "tier", "is_mql", "mql_blocked_reason", "mql_threshold_applied",
    "buying_behavior", "data_completeness_pct", "last_engaged_at", "score_reasons", "top_product_line", "as_of",
)
CONTRIBUTION_COLUMNS = (
    "dimension", "rule_id", "description", "category", "occurrences", "raw_points", "points", "last_occurred_at",
)
# the breakdown's dimensions, in the order the explanation lists them
DIMENSIONS = ("fit", "engagement", "penalty", "adjustment")
SECTION_TITLES = {
    "fit": "Fit rules",
    "engagement": "Engagement rules",
    "penalty": "Penalties",
    "adjustment": "Manual adjustments",
}
BLOCKED_REASONS = {
    "do_not_contact": "the contact is marked do-not-contact",
    "consent_refused": "the contact refused marketing consent",
    "disqualified": "the lead status is a disqualified status (var disqualified_statuses)",
    "customer": "already a customer (lead status in customer_statuses, or a customer account)",
    "no_engagement": "no positive engagement (engagement_score <= 0) and mql_requires_engagement is on",
}
MATCH_METHODS = {
    "crm_id": "the CRM's account_id",
    "email_domain": "by business email domain",
    "company_name": "by company name",
    "unresolved": "no account found",
}


def explain_lead(
    db_path: Path, contact_id: str | None = None, email: str | None = None, serving: Path | None = None
) -> dict[str, Any]:
    """The explanation of one lead as a JSON-ready dict (see docs/explain.md for its fields)."""
    if (contact_id is None) == (email is None):
        raise LeadscoreError("explain needs a CONTACT_ID or --email, not both")
    wanted = (contact_id if contact_id is not None else email or "").strip()
    if not wanted:
        raise LeadscoreError("explain: the contact id or email is empty")
    serving_path = serving_path_for(db_path, serving)
    with open_serving(serving_path, db_path) as con:
        require_table(con, "lead_scores")
        require_table(con, "lead_score_breakdown")
        lead = _find_lead(con, serving_path, contact_id=wanted if contact_id is not None else None,
                          email=wanted if email is not None else None)
        contributions = _rows(
            con,
            f"select {', '.join(CONTRIBUTION_COLUMNS)} from main.lead_score_breakdown where contact_id = ?",
            [lead["contact_id"]],
        )
    return _explanation(lead, contributions, serving_path)


def _rows(con: duckdb.DuckDBPyConnection, sql: str, params: list[Any]) -> list[dict[str, Any]]:
    cursor = con.execute(sql, params)
    names = [column[0] for column in cursor.description]
    return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


def _find_lead(
    con: duckdb.DuckDBPyConnection, serving_path: Path, contact_id: str | None, email: str | None
) -> dict[str, Any]:
    present = {row[0] for row in con.execute(
        "select column_name from information_schema.columns where table_schema = 'main' and table_name = 'lead_scores'"
    ).fetchall()}
    columns = ", ".join(column for column in LEAD_COLUMNS if column in present)
    if contact_id is not None:
        found = _rows(con, f"select {columns} from main.lead_scores where contact_id = ?", [contact_id])
        if not found:
            raise LeadscoreError(f"no contact {contact_id!r} in lead_scores of {serving_path}")
        return {column: found[0].get(column) for column in LEAD_COLUMNS}
    found = _rows(
        con,
        f"select {columns} from main.lead_scores where lower(trim(email)) = lower(?) order by contact_id",
        [email],
    )
    if not found:
        raise LeadscoreError(f"no contact with the email {email!r} in lead_scores of {serving_path}")
    if len(found) > 1:
        ids = ", ".join(str(row["contact_id"]) for row in found)
        raise LeadscoreError(
            f"{len(found)} contacts have the email {email!r} ({ids}): explain one of them by its contact id"
        )
    return {column: found[0].get(column) for column in LEAD_COLUMNS}


def _order(contribution: dict[str, Any]) -> tuple[int, float, str]:
    return (DIMENSIONS.index(contribution["dimension"]) if contribution["dimension"] in DIMENSIONS
            else len(DIMENSIONS), -abs(contribution["points"] or 0.0), str(contribution["rule_id"]))


def _explanation(lead: dict[str, Any], contributions: list[dict[str, Any]], serving_path: Path) -> dict[str, Any]:
    contributions = sorted(contributions, key=_order)
    total = sum(float(row["points"] or 0.0) for row in contributions)
    by_dimension = {
        dimension: sum((float(row["points"] or 0.0) for row in contributions if row["dimension"] == dimension), 0.0)
        for dimension in DIMENSIONS
    }
    unclamped = float(lead["lead_score_unclamped"] if lead["lead_score_unclamped"] is not None else lead["lead_score"])
    score = float(lead["lead_score"])
    threshold = lead["mql_threshold_applied"]
    if lead["is_mql"]:
        status = "mql"
    elif lead["mql_blocked_reason"]:
        status = "blocked"
    else:
        status = "below_threshold"
    return {
        "contact": {column: lead[column] for column in (
            "contact_id", "first_name", "last_name", "email", "company_name", "job_title", "lead_status", "owner",
        )},
        "account": {
            "account_id": lead["account_id"],
            "resolved_account_id": lead["resolved_account_id"],
            "account_match_method": lead["account_match_method"],
        },
        "as_of": lead["as_of"],
        "serving_file": str(serving_path),
        "fit_score": lead["fit_score"],
        "engagement_score": lead["engagement_score"],
        "engagement_rules_points": by_dimension["engagement"],
        "penalty_points": by_dimension["penalty"],
        "adjustment_points": lead["adjustment_points"],
        "contributions": contributions,
        "contributions_total": total,
        "lead_score_unclamped": unclamped,
        "lead_score": score,
        "adds_up": abs(total - unclamped) <= SUM_TOLERANCE,
        "is_clamped": abs(score - unclamped) > SUM_TOLERANCE,
        "fit_grade": lead["fit_grade"],
        "engagement_grade": lead["engagement_grade"],
        "grade": lead["grade"],
        "tier": lead["tier"],
        "is_mql": bool(lead["is_mql"]),
        "mql_status": status,
        "mql_blocked_reason": lead["mql_blocked_reason"],
        "mql_threshold_applied": threshold,
        "buying_behavior": lead["buying_behavior"],
        "engagement_score_recent": lead["engagement_score_recent"],
        "last_engaged_at": lead["last_engaged_at"],
        "score_reasons": lead["score_reasons"],
    }


def _json_default(value: object) -> str:
    if isinstance(value, datetime | date):
        return value.isoformat()
    return str(value)


def format_json(explanation: dict[str, Any]) -> str:
    return json.dumps(explanation, default=_json_default, ensure_ascii=False)


def _points(value: float | None) -> str:
    return f"{float(value or 0.0):+.1f}"


def _moment(value: object) -> str:
    return f"{value:%Y-%m-%d %H:%M}" if isinstance(value, datetime) else "-"


def _name(contact: dict[str, Any]) -> str:
    name = " ".join(part for part in (contact["first_name"], contact["last_name"]) if part)
    email = f" <{contact['email']}>" if contact["email"] else ""
    return (name or "(no name)") + email


def _section(dimension: str, rows: list[dict[str, Any]]) -> list[str]:
    if not rows:
        return []
    lines = [f"{SECTION_TITLES[dimension]}:"]
    if dimension == "engagement":
        lines.append(f"  {'points':>8}  {'raw':>8}  {'times':>5}  {'last event':<16}  rule")
        for row in rows:
            lines.append(
                f"  {_points(row['points']):>8}  {_points(row['raw_points']):>8}  {row['occurrences']:>5}  "
                f"{_moment(row['last_occurred_at']):<16}  {row['rule_id']}: {row['description'] or ''}"
            )
        return lines
    for row in rows:
        when = f" (last scored event {_moment(row['last_occurred_at'])})" if dimension == "penalty" else ""
        when = f" (made {_moment(row['last_occurred_at'])})" if dimension == "adjustment" else when
        lines.append(f"  {_points(row['points']):>8}  {row['rule_id']}: {row['description'] or ''}{when}")
    return lines


def format_text(explanation: dict[str, Any]) -> str:
    contact, account = explanation["contact"], explanation["account"]
    lines = [f"Lead {contact['contact_id']}: {_name(contact)}"]
    company = contact["company_name"] or "-"
    if contact["job_title"]:
        company += f", {contact['job_title']}"
    lines.append(f"  company   {company}")
    method = account["account_match_method"] or "unresolved"
    resolved = account["resolved_account_id"] or "-"
    crm = f"; CRM account_id {account['account_id']}" if account["account_id"] else "; no CRM account_id"
    lines.append(f"  account   {resolved} ({method}: {MATCH_METHODS.get(method, method)}{crm})")
    status = contact["lead_status"] or "-"
    owner = f", owner {contact['owner']}" if contact["owner"] else ""
    lines.append(f"  status    {status}{owner}")
    lines.append(f"  as of     {_moment(explanation['as_of'])} UTC, from {explanation['serving_file']}")
    lines.append("")
    lines.append(
        f"Fit score {_points(explanation['fit_score'])}, engagement score {_points(explanation['engagement_score'])} "
        f"(rules {_points(explanation['engagement_rules_points'])}, penalties "
        f"{_points(explanation['penalty_points'])}), adjustments {_points(explanation['adjustment_points'])}"
    )
    contributions = explanation["contributions"]
    for dimension in DIMENSIONS:
        section = _section(dimension, [row for row in contributions if row["dimension"] == dimension])
        if section:
            lines.append("")
            lines.extend(section)
    if not contributions:
        lines.append("")
        lines.append("No rule, penalty or adjustment applies to this lead.")
    lines.append("")
    terms = " ".join(_points(row["points"]) for row in contributions) or "0"
    check = "adds up" if explanation["adds_up"] else "DOES NOT add up: the breakdown and lead_scores disagree"
    lines.append(
        f"Sum       {terms} = {explanation['contributions_total']:.1f} "
        f"(lead_score_unclamped {explanation['lead_score_unclamped']:.1f}: {check})"
    )
    clamped = (
        f" (clamped from {explanation['lead_score_unclamped']:.1f} by lead_score_min / lead_score_max)"
        if explanation["is_clamped"] else ""
    )
    lines.append(f"Lead score {explanation['lead_score']:.1f}{clamped}")
    lines.append(
        f"Grade     {explanation['grade']} (fit {explanation['fit_grade']}, engagement "
        f"{explanation['engagement_grade']}), tier {explanation['tier']}, buying behaviour "
        f"{explanation['buying_behavior']}"
    )
    threshold = float(explanation["mql_threshold_applied"] or 0.0)
    score = explanation["lead_score"]
    if explanation["mql_status"] == "mql":
        lines.append(f"MQL       yes: lead score {score:.1f} >= threshold {threshold:g}, eligible")
    elif explanation["mql_status"] == "blocked":
        reason = explanation["mql_blocked_reason"]
        lines.append(
            f"MQL       no, blocked ({reason}): {BLOCKED_REASONS.get(reason, reason)}; "
            f"lead score {score:.1f} >= threshold {threshold:g}"
        )
    else:
        lines.append(
            f"MQL       no: lead score {score:.1f} is below the threshold {threshold:g} "
            f"({threshold - score:.1f} points short)"
        )
    return "\n".join(lines)
