"""Accounts and products end to end (issue 4): contacts resolved to accounts by CRM id, business
email domain and company name; an account of four contacts, none an MQL, that is an MQA; each
rollup method on the same account; product scores that add up to the product-tagged engagement."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

import pytest

from leadscore.build import build, run_dbt
from leadscore.errors import LeadscoreError
from leadscore.load import load_directory
from worked_examples import ago, copy_project, iso, read_rows, write_csv

# The expected account scores are those of the shipped account_fit_rules, buying_committee_roles
# and engagement_rules (target account +20, committee roles of 5 points, ...).
pytestmark = pytest.mark.shipped_defaults

AS_OF = datetime(2024, 6, 30, 12, 0, 0)
# decay off: every point below is the grid's own number
VARS = {"as_of": "2024-06-30 12:00:00", "decay_method": "none"}
VARS_YAML = "{decay_method: none}"
MQL_THRESHOLD = 65  # the var's default


def contact(contact_id: str, **attributes: object) -> dict[str, object]:
    return {"contact_id": contact_id, "created_at": "2024-01-01T00:00:00Z", "country": "France", **attributes}


def event(event_id: str, contact_id: str, event_type: str, days_ago: float, **fields: object) -> dict[str, object]:
    return {"event_id": event_id, "contact_id": contact_id, "event_type": event_type,
            "occurred_at": ago(AS_OF, days_ago), **fields}


def page_view(event_id: str, contact_id: str, path: str, days_ago: float) -> dict[str, object]:
    return event(event_id, contact_id, "page_view", days_ago, url=f"https://www.example.com{path}")


ACCOUNTS = [
    {"account_id": "A1", "name": "Northwind Analytics SAS", "domain": "northwind.fr", "industry": "Technology",
     "employee_count": 120, "country": "France", "is_target_account": "true", "account_type": "prospect"},
    {"account_id": "A2", "name": "Contoso Retail Ltd", "domain": "contoso.co.uk", "industry": "Retail",
     "employee_count": 20, "country": "United Kingdom", "is_target_account": "false", "account_type": "prospect"},
]

CONTACTS = [
    contact("ann", account_id="A1", email="ann@northwind.fr", first_name="Ann", last_name="Martin",
            job_title="Marketing Director", company_name="Northwind Analytics"),
    contact("bob", account_id="A1", email="bob@northwind.fr", first_name="Bob", last_name="Roux",
            job_title="IT Manager", company_name="Northwind Analytics"),
    # no account_id: attached by the business email domain
    contact("cat", email="cat@northwind.fr", first_name="Cat", last_name="Petit", job_title="Directeur financier"),
    # free mail, no account_id: attached by the company name, typed differently
    contact("dan", email="dan.durand@gmail.com", first_name="Dan", last_name="Durand", job_title="Sales Manager",
            company_name="NORTHWIND ANALYTICS S.A.S."),
    # free mail without a company: nobody's
    contact("eve", email="eve@gmail.com", first_name="Eve", job_title="Marketing Manager"),
    contact("fay", account_id="A2", email="fay@contoso.co.uk", first_name="Fay", job_title="Buyer",
            country="United Kingdom"),
]

EVENTS = [
    page_view("ann_pricing", "ann", "/pricing", 2),
    page_view("ann_product", "ann", "/product/analytics", 3),
    event("bob_webinar_reg", "bob", "webinar_registered", 10),
    event("bob_webinar_att", "bob", "webinar_attended", 9),
    page_view("bob_product", "bob", "/product/integrations", 4),
    event("cat_case_study", "cat", "content_download", 5, asset="case-study-retail.pdf"),
    event("cat_click_product", "cat", "email_click", 6, url="https://www.example.com/product/analytics",
          campaign="webinar-invite-2024-06"),
    event("cat_click_blog", "cat", "email_click", 7, url="https://www.example.com/blog/abm-playbook",
          campaign="newsletter-2024-06"),
    event("dan_webinar_att", "dan", "webinar_attended", 8),
    event("dan_white_paper", "dan", "content_download", 8, asset="white-paper-gdpr.pdf"),
    event("dan_open", "dan", "email_open", 6, campaign="newsletter-2024-06"),
    event("eve_demo", "eve", "demo_requested", 1),
    # twelve product page views: the page-view rule is capped at 10, so is the product score
    *[page_view(f"fay_view_{n}", "fay", "/product/automation", 1 + n) for n in range(12)],
]


@pytest.fixture(scope="module")
def warehouse(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    root = tmp_path_factory.mktemp("accounts")
    project = copy_project(root / "project")
    raw = root / "raw"
    write_csv(raw / "accounts.csv", ACCOUNTS)
    write_csv(raw / "contacts.csv", CONTACTS)
    write_csv(raw / "events.csv", EVENTS)
    db_path = root / "warehouse.duckdb"
    load_directory(db_path, raw)
    build(db_path, as_of=iso(AS_OF), vars_yaml=VARS_YAML, project_dir=project)
    return project, db_path


def rows(db_path: Path, query: str) -> dict[str, dict[str, object]]:
    return read_rows(db_path, query)


def test_contacts_resolve_by_id_domain_and_company_name(warehouse: tuple[Path, Path]) -> None:
    _, db_path = warehouse
    resolved = rows(db_path, "select contact_id, resolved_account_id, account_resolution, crm_account_id"
                             " from main.int_contacts_resolved_to_accounts")
    assert {key: (row["resolved_account_id"], row["account_resolution"]) for key, row in resolved.items()} == {
        "ann": ("A1", "account_id"),
        "bob": ("A1", "account_id"),
        "cat": ("A1", "email_domain"),
        "dan": ("A1", "company_name"),
        "eve": (None, "unresolved"),
        "fay": ("A2", "account_id"),
    }
    # lead_scores keeps the CRM's own account_id, beside the resolved one and how it was found
    leads = rows(db_path, "select contact_id, account_id, resolved_account_id, account_match_method"
                          " from main.lead_scores")
    assert leads["cat"]["account_id"] is None
    assert leads["dan"]["account_id"] is None
    assert {key: (row["resolved_account_id"], row["account_match_method"]) for key, row in leads.items()} == {
        "ann": ("A1", "crm_id"),
        "bob": ("A1", "crm_id"),
        "cat": ("A1", "email_domain"),
        "dan": ("A1", "company_name"),
        "eve": (None, "unresolved"),
        "fay": ("A2", "crm_id"),
    }

    summary = rows(db_path, "select account_resolution, contact_count, free_mail_contact_count"
                            " from main.account_resolution_summary")
    assert {key: row["contact_count"] for key, row in summary.items()} == {
        "account_id": 3, "email_domain": 1, "company_name": 1, "unresolved": 1}
    assert summary["unresolved"]["free_mail_contact_count"] == 1


def test_four_contacts_under_the_mql_threshold_make_an_mqa(warehouse: tuple[Path, Path]) -> None:
    _, db_path = warehouse
    leads = rows(db_path, "select contact_id, lead_score, engagement_score, is_mql from main.lead_scores")
    members = ["ann", "bob", "cat", "dan"]
    for contact_id in members:
        assert leads[contact_id]["is_mql"] is False
        assert leads[contact_id]["lead_score"] < MQL_THRESHOLD
        # every one of them is engaged (engaged_contact_min_score 15)
        assert leads[contact_id]["engagement_score"] >= 15

    account = rows(db_path, "select * from main.account_scores")["A1"]
    assert account["contact_count"] == 4
    assert account["engaged_contact_count"] == 4
    assert account["mql_count"] == 0
    assert account["is_mqa"] is True
    assert account["mqa_qualified_by"] in ("engaged_contacts", "score_and_engaged_contacts")
    # target account 20 + 50-500 employees 15 + technology 10
    assert account["account_fit_score"] == 45
    # default rollup top_k, k = 3: the average of the three most engaged
    top_three = sorted((leads[c]["engagement_score"] for c in members), reverse=True)[:3]
    assert account["account_engagement_score"] == pytest.approx(sum(top_three) / 3)
    # marketing (Ann), IT (Bob), finance (Cat), sales (Dan); no C-level or VP engaged
    assert account["committee_roles_covered"] == 4
    assert account["committee_points"] == 20
    assert account["committee_roles_missing_list"] == "Executive sponsor (C-level / VP)"
    assert account["account_score"] == pytest.approx(45 + sum(top_three) / 3 + 20)
    assert account["top_product_line"] == "analytics"
    assert account["top_contacts"].startswith(("Ann Martin", "Bob Roux", "Cat Petit", "Dan Durand"))

    breakdown = rows(db_path, "select account_id, sum(points) as points from main.account_score_breakdown"
                              " group by account_id")
    assert breakdown["A1"]["points"] == pytest.approx(account["account_score"])

    # the same contacts without an account would not be an MQA: nobody is an MQL
    other = rows(db_path, "select * from main.account_scores")["A2"]
    assert other["is_mqa"] is False
    assert other["contact_count"] == 1


@pytest.mark.parametrize(
    ("method", "expected"),
    [
        ("sum", lambda scores: sum(scores)),
        ("average", lambda scores: sum(scores) / len(scores)),
        ("max", lambda scores: max(scores)),
        ("top_k", lambda scores: sum(sorted(scores, reverse=True)[:2]) / 2),
    ],
)
def test_each_rollup_method_on_the_same_account(
    warehouse: tuple[Path, Path], tmp_path: Path, method: str, expected: Callable[[list[float]], float]
) -> None:
    project, built = warehouse
    # a copy, so that the other tests keep reading the default build
    db_path = Path(shutil.copy(built, tmp_path / "warehouse.duckdb"))
    run_dbt(["run", "--select", "account_score_breakdown", "account_scores"], db_path, project_dir=project,
            dbt_vars={**VARS, "account_rollup_method": method, "account_rollup_top_k": 2})
    leads = rows(db_path, "select contact_id, engagement_score from main.lead_scores")
    scores = [max(leads[c]["engagement_score"], 0) for c in ("ann", "bob", "cat", "dan")]
    account = rows(db_path, "select * from main.account_scores")["A1"]
    assert account["account_rollup_method"] == method
    assert account["account_engagement_score"] == pytest.approx(expected(scores))
    engagement = rows(db_path, "select account_id, sum(points) as points from main.account_score_breakdown"
                               " where dimension = 'engagement' group by account_id")
    assert engagement["A1"]["points"] == pytest.approx(expected(scores))


def test_product_scores_add_up_to_the_product_tagged_engagement(warehouse: tuple[Path, Path]) -> None:
    _, db_path = warehouse
    products = rows(db_path, "select product_score_id, engagement_score, is_top_product_line"
                             " from main.product_scores")
    # Ann: 2 page views (1 point each), one on /product/analytics; the pricing rule is untagged
    # Bob: 1 page view on /product/integrations; Cat: 2 email clicks (3 each), one landing on analytics
    # Fay: 12 views of /product/automation, the page-view rule capped at 10
    assert {key: row["engagement_score"] for key, row in products.items()} == pytest.approx({
        "ann|analytics": 1.0, "bob|integrations": 1.0, "cat|analytics": 3.0, "fay|automation": 10.0})
    assert all(row["is_top_product_line"] for row in products.values())

    leads = rows(db_path, "select contact_id, top_product_line from main.lead_scores")
    assert {key: row["top_product_line"] for key, row in leads.items()} == {
        "ann": "analytics", "bob": "integrations", "cat": "analytics", "dan": None, "eve": None,
        "fay": "automation"}

    # the tagged part plus the untagged rest is the engagement of the breakdown, contact by contact
    totals = rows(db_path, """
        select
            breakdown.contact_id,
            sum(breakdown.points) as engagement,
            max(tagged.points) as tagged,
            max(untagged.points) as untagged
        from main.lead_score_breakdown as breakdown
        left join (select contact_id, sum(engagement_score) as points from main.product_scores
                   group by contact_id) as tagged on breakdown.contact_id = tagged.contact_id
        left join (select contact_id, sum(points) as points from main.int_engagement_product_points
                   where product_line is null group by contact_id) as untagged
            on breakdown.contact_id = untagged.contact_id
        where breakdown.dimension = 'engagement'
        group by breakdown.contact_id""")
    for contact_id, row in totals.items():
        assert (row["tagged"] or 0) + (row["untagged"] or 0) == pytest.approx(row["engagement"]), contact_id

    interest = rows(db_path, "select account_product_score_id, engagement_score, interested_contact_count"
                             " from main.account_product_scores")
    assert interest["A1|analytics"]["engagement_score"] == pytest.approx(4.0)
    assert interest["A1|analytics"]["interested_contact_count"] == 2
    assert interest["A1|integrations"]["engagement_score"] == pytest.approx(1.0)


def test_a_bad_rollup_method_fails_naming_the_var(warehouse: tuple[Path, Path], tmp_path: Path) -> None:
    project, built = warehouse
    db_path = Path(shutil.copy(built, tmp_path / "warehouse.duckdb"))
    with pytest.raises(LeadscoreError, match="account_rollup_method"):
        run_dbt(["run", "--select", "account_scores"], db_path, project_dir=project,
                dbt_vars={**VARS, "account_rollup_method": "median"})
