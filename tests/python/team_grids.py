"""A team's own grids: every kind of seed of a copied project edited the way a team edits it (points
changed, rules added and removed, a band moved, mapping rows added), for tests that build with them."""

from __future__ import annotations

import csv
from collections.abc import Callable
from pathlib import Path

Row = dict[str, str]

# What the edits below change, for the assertions of the tests that build with them.
DEMO_POINTS = 70  # eng_demo_requested: 50 in the shipped grid
PRICING_POINTS = 25  # eng_pricing_page: 20
ADDED_ENGAGEMENT_RULE = "team_any_email_delivered"
ADDED_ENGAGEMENT_POINTS = 0.5
REMOVED_ENGAGEMENT_RULE = "eng_email_open"
ADDED_FIT_RULE = "team_has_phone"
ADDED_FIT_POINTS = 4
REMOVED_FIT_RULE = "fit_level_consultant"
SENIOR_POINTS = 33  # fit_level_senior: 20
FIT_A_MIN = 40  # grade_bands fit A: 51
ENGAGEMENT_1_MIN = 45  # grade_bands engagement 1: 51
INACTIVITY_DAYS = 45  # scoring_grids b2b_saas: 30
INACTIVITY_POINTS = -8  # -5
ADDED_MAPPING = "pipedrive"
ADDED_STAGE = "nurture"
ADDED_TITLE_PATTERN = "level_intern_de"
ADDED_FREE_DOMAIN = "teammail.example"
ADDED_ALIAS = ("polska", "PL")
ADDED_SUFFIX = "Sp. z o.o."
ADDED_PRODUCT_MAPPING = "team_pricing_pages"
ADDED_ROLE = "operations"
ADDED_ACCOUNT_RULE = "team_acc_named"
ACCOUNT_FIT_A_MIN = 30  # account_grade_bands fit A: 40


def read_seed(project_dir: Path, name: str) -> tuple[list[str], list[Row]]:
    with open(project_dir / "seeds" / f"{name}.csv", encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        return list(reader.fieldnames or []), list(reader)


def write_seed(project_dir: Path, name: str, header: list[str], rows: list[Row]) -> None:
    with open(project_dir / "seeds" / f"{name}.csv", "w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=header)
        writer.writeheader()
        for row in rows:
            writer.writerow({column: row.get(column, "") for column in header})


def edit_seed(project_dir: Path, name: str, change: Callable[[list[Row]], list[Row]]) -> None:
    header, rows = read_seed(project_dir, name)
    write_seed(project_dir, name, header, change(rows))


def set_value(rows: list[Row], key: str, key_value: str, column: str, value: str) -> list[Row]:
    found = [row for row in rows if row[key] == key_value]
    assert found, f"no row {key}={key_value}"
    for row in found:
        row[column] = value
    return rows


def without(rows: list[Row], key: str, key_value: str) -> list[Row]:
    kept = [row for row in rows if row[key] != key_value]
    assert len(kept) < len(rows), f"no row {key}={key_value}"
    return kept


def edit_every_seed(project_dir: Path) -> None:
    """Edit each seed a team owns in project_dir/seeds the way a team would."""
    edit_seed(project_dir, "fit_rules", lambda rows: [
        *without(set_value(rows, "rule_id", "fit_level_senior", "points", str(SENIOR_POINTS)),
                 "rule_id", REMOVED_FIT_RULE),
        {"rule_id": ADDED_FIT_RULE, "rule_group": "", "attribute": "phone", "operator": "not_null", "value": "",
         "points": str(ADDED_FIT_POINTS), "priority": "1", "description": "Gave a phone number"},
    ])
    edit_seed(project_dir, "engagement_rules", lambda rows: [
        *without(
            set_value(set_value(rows, "rule_id", "eng_demo_requested", "points", str(DEMO_POINTS)),
                      "rule_id", "eng_pricing_page", "points", str(PRICING_POINTS)),
            "rule_id", REMOVED_ENGAGEMENT_RULE,
        ),
        {"rule_id": ADDED_ENGAGEMENT_RULE, "event_type": "email_delivered", "points": str(ADDED_ENGAGEMENT_POINTS),
         "max_points": "5", "category": "passive", "description": "Email delivered (team rule)"},
    ])
    edit_seed(project_dir, "grade_bands", lambda rows: set_value(
        [row for row in rows if not (row["dimension"] == "fit" and row["band"] == "A")]
        + [{"dimension": "fit", "band": "A", "min_score": str(FIT_A_MIN)}],
        "band", "1", "min_score", str(ENGAGEMENT_1_MIN),
    ))
    edit_seed(project_dir, "account_grade_bands", lambda rows: set_value(
        rows, "band", "A", "min_score", str(ACCOUNT_FIT_A_MIN)
    ))
    edit_seed(project_dir, "scoring_grids", lambda rows: set_value(
        set_value(rows, "grid", "b2b_saas", "inactivity_days", str(INACTIVITY_DAYS)),
        "grid", "b2b_saas", "inactivity_points", str(INACTIVITY_POINTS),
    ))
    edit_seed(project_dir, "crm_field_mappings", lambda rows: [
        *set_value(rows, "source_column", "lead_score", "description", "edited by the team"),
        *(
            {"mapping": ADDED_MAPPING, "source_column": row["source_column"],
             "crm_field": "pd_" + row["source_column"], "description": "Pipedrive custom field"}
            for row in rows if row["mapping"] == "leadscore"
        ),
    ])
    edit_seed(project_dir, "lifecycle_stages", lambda rows: [
        *set_value(rows, "stage", "recycled", "team", "sales"),
        {"stage": ADDED_STAGE, "stage_order": "9", "team": "marketing", "counts_as_sales_touch": "false",
         "description": "Nurture track"},
    ])
    edit_seed(project_dir, "job_title_patterns", lambda rows: [
        *without(set_value(rows, "pattern_id", "level_manager", "priority", "4"), "pattern_id", "level_specialist"),
        {"pattern_id": ADDED_TITLE_PATTERN, "dimension": "job_level",
         "pattern": "(^|[^a-z])(praktikant(in)?)([^a-z]|$)", "value": "student", "priority": "1"},
    ])
    edit_seed(project_dir, "email_domains", lambda rows: [
        *without(rows, "domain", "gmail.com"),
        {"domain": ADDED_FREE_DOMAIN, "domain_type": "free"},
    ])
    edit_seed(project_dir, "country_aliases", lambda rows: [
        *without(rows, "alias", "england"),
        {"alias": ADDED_ALIAS[0], "country_code": ADDED_ALIAS[1]},
    ])
    edit_seed(project_dir, "company_name_suffixes", lambda rows: [
        *without(rows, "suffix", "Oy"),
        {"suffix": ADDED_SUFFIX, "description": "Poland: spółka z ograniczoną odpowiedzialnością"},
    ])
    edit_seed(project_dir, "product_line_mappings", lambda rows: [
        *without(rows, "mapping_id", "map_integrations_docs"),
        {"mapping_id": ADDED_PRODUCT_MAPPING, "match_field": "url", "operator": "contains", "value": "/pricing",
         "product_line": "analytics", "priority": "3", "description": "Pricing pages count for analytics"},
    ])
    edit_seed(project_dir, "buying_committee_roles", lambda rows: [
        *without(set_value(rows, "role_id", "marketing", "points", "8"), "role_id", "it"),
        {"role_id": ADDED_ROLE, "job_level": "", "job_function": "operations", "points": "4",
         "description": "Operations"},
    ])
    edit_seed(project_dir, "account_fit_rules", lambda rows: [
        *without(set_value(rows, "rule_id", "acc_target_account", "points", "30"), "rule_id", "acc_revenue"),
        {"rule_id": ADDED_ACCOUNT_RULE, "rule_group": "", "attribute": "account_name", "operator": "not_null",
         "value": "", "points": "2", "priority": "1", "description": "Named account"},
    ])
