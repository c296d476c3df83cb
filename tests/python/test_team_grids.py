"""A team's grids and seeds are its own: a copy of the project with every kind of seed edited builds
(every unit and data test), publishes, and scores with the team's points; a mistake in a seed stops
the build with one line naming the seed, the row and the problem."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

import team_grids as team
from leadscore.build import build
from leadscore.errors import LeadscoreError
from leadscore.load import load_directory
from leadscore.serving import serving_path_for
from leadscore_dev.generate import generate
from worked_examples import copy_project, query, warehouse_with_contacts, write_csv

AS_OF = "2024-07-01T00:00:00Z"

# Contacts written beside the generated ones, for the edits of the mapping seeds.
TEAM_CONTACTS = [
    {"contact_id": "team_intern", "created_at": "2024-05-01T00:00:00Z", "email": "ola@teammail.example",
     "job_title": "Praktikantin Marketing", "country": "Polska", "company_name": "Kowalski Sp. z o.o."},
    {"contact_id": "team_gmail", "created_at": "2024-05-01T00:00:00Z", "email": "ann@gmail.com",
     "job_title": "Product Specialist", "country": "England"},
]


@pytest.fixture(scope="module")
def team_build(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """One build of a project whose every seed the team edited, on generated data, published."""
    root = tmp_path_factory.mktemp("team_grids")
    project = copy_project(root / "project")
    team.edit_every_seed(project)
    raw = root / "raw"
    generate(out_dir=raw, contacts=300, days=90, seed=11, end_date="2024-06-30")
    write_csv(raw / "contacts_team.csv", TEAM_CONTACTS)
    db_path = root / "warehouse.duckdb"
    load_directory(db_path, raw)
    build(db_path, as_of=AS_OF, project_dir=project, vars_yaml=f"{{crm_field_mapping: {team.ADDED_MAPPING}}}")
    return {"db": db_path, "serving": serving_path_for(db_path)}


def test_the_edited_project_publishes_every_contact(team_build: dict[str, Path]) -> None:
    [(contacts,)] = query(team_build["db"], "select count(*) from raw.contacts")
    [(published,)] = query(team_build["serving"], "select count(*) from main.lead_scores")
    assert published == contacts > len(TEAM_CONTACTS)


def test_the_breakdown_adds_up_to_the_published_scores(team_build: dict[str, Path]) -> None:
    rows = query(team_build["serving"], """
        select scores.contact_id, scores.lead_score_unclamped, coalesce(sum(breakdown.points), 0)
        from main.lead_scores as scores
        left join main.lead_score_breakdown as breakdown on scores.contact_id = breakdown.contact_id
        group by scores.contact_id, scores.lead_score_unclamped
    """)
    assert rows
    assert all(score == pytest.approx(points, abs=1e-6) for _, score, points in rows)


def test_the_teams_points_score(team_build: dict[str, Path]) -> None:
    per_rule = dict(query(team_build["serving"], """
        select rule_id, sum(raw_points) / sum(occurrences)
        from main.lead_score_breakdown
        where dimension in ('fit', 'engagement')
        group by rule_id
    """))
    assert per_rule["eng_demo_requested"] == pytest.approx(team.DEMO_POINTS)
    assert per_rule["eng_pricing_page"] == pytest.approx(team.PRICING_POINTS)
    assert per_rule[team.ADDED_ENGAGEMENT_RULE] == pytest.approx(team.ADDED_ENGAGEMENT_POINTS)
    assert per_rule["fit_level_senior"] == pytest.approx(team.SENIOR_POINTS)
    assert per_rule[team.ADDED_FIT_RULE] == pytest.approx(team.ADDED_FIT_POINTS)
    assert team.REMOVED_ENGAGEMENT_RULE not in per_rule
    assert team.REMOVED_FIT_RULE not in per_rule


def test_the_teams_inactivity_setting_applies(team_build: dict[str, Path]) -> None:
    penalties = query(team_build["serving"], """
        select distinct points, description from main.lead_score_breakdown where dimension = 'penalty'
    """)
    assert penalties
    assert {points for points, _ in penalties} == {team.INACTIVITY_POINTS}
    assert all(f"{team.INACTIVITY_DAYS} days" in description for _, description in penalties)


def test_grades_follow_the_moved_bands(team_build: dict[str, Path]) -> None:
    rows = query(team_build["serving"], "select fit_score, fit_grade, engagement_score, engagement_grade "
                                         "from main.lead_scores")
    assert any(fit >= team.FIT_A_MIN for fit, *_ in rows), "some contact reaches the moved band"
    assert all((grade == "A") == (fit >= team.FIT_A_MIN) for fit, grade, _, _ in rows)
    assert all((grade == "1") == (engagement >= team.ENGAGEMENT_1_MIN) for _, _, engagement, grade in rows)
    accounts = query(team_build["serving"], "select account_fit_score, fit_grade from main.account_scores")
    assert any(fit >= team.ACCOUNT_FIT_A_MIN for fit, _ in accounts), "some account reaches the moved band"
    assert all((grade == "A") == (fit >= team.ACCOUNT_FIT_A_MIN) for fit, grade in accounts)


def test_the_mapping_seeds_take_effect(team_build: dict[str, Path]) -> None:
    db = team_build["db"]
    enriched = {row[0]: row[1:] for row in query(db, """
        select contact_id, job_level, email_type, country_code from main.int_contacts_enriched
        where contact_id in ('team_intern', 'team_gmail')
    """)}
    assert enriched["team_intern"] == ("student", "free", team.ADDED_ALIAS[1])
    assert enriched["team_gmail"][1:] == ("business", None)  # gmail.com and england removed by the team
    [(normalised,)] = query(db, "select normalized_company_name from main.int_company_names_normalized "
                                "where company_name = 'Kowalski Sp. z o.o.'")
    assert normalised == "kowalski"
    [(pricing_analytics,)] = query(db, f"""
        select count(*) from main.int_event_product_lines where mapping_id = '{team.ADDED_PRODUCT_MAPPING}'
    """)
    assert pricing_analytics > 0
    recycled_teams = {team_name for (team_name,) in query(
        team_build["serving"], "select distinct team from main.lead_lifecycle_stages where stage = 'recycled'")}
    assert recycled_teams == {"sales"}


def test_the_account_seeds_take_effect(team_build: dict[str, Path]) -> None:
    serving = team_build["serving"]
    fit_rules = dict(query(serving, """
        select rule_id, max(points) from main.account_score_breakdown where dimension = 'fit' group by rule_id
    """))
    assert fit_rules["acc_target_account"] == 30
    assert team.ADDED_ACCOUNT_RULE in fit_rules
    assert "acc_revenue" not in fit_rules
    committee = {rule for (rule,) in query(serving, "select distinct rule_id from main.account_score_breakdown "
                                                    "where dimension = 'committee'")}
    assert committee and "it" not in committee
    totals = query(serving, "select distinct committee_roles_total from main.account_scores")
    assert totals == [(5,)]  # five shipped roles, one removed, one added


def test_the_added_crm_mapping_names_the_sync_columns(team_build: dict[str, Path]) -> None:
    columns = [row[0] for row in query(team_build["serving"], "describe main.crm_lead_sync")]
    assert {"contact_id", "pd_email", "pd_lead_score", "row_hash", "updated_at"} <= set(columns)
    assert "email" not in columns


# ---- a mistake in a seed: one line naming the seed, the row and the problem --------------------

Edit = Callable[[str], str]


def append(line: str) -> Edit:
    return lambda text: text + line + "\n"


def replace(old: str, new: str) -> Edit:
    def edit(text: str) -> str:
        assert old in text
        return text.replace(old, new, 1)
    return edit


MISTAKES: list[tuple[str, str, Edit, str]] = [
    ("grade_bands", "band fit/E", append("fit,E,2x6"), "min_score '2x6' is not a number"),
    ("grade_bands", "band fit/E", append("fit,E,"), "dimension fit has 2 bands without min_score"),
    ("grade_bands", "band fit/A", replace("fit,A,51", "fit,A,26"), "min_score 26 is the min_score of 2 bands"),
    ("grade_bands", "band fit/B", replace("fit,B,26", "fit,B,26\nfit,B,30"), "band appears 2 times"),
    ("account_grade_bands", "band engagement/1", replace("engagement,1,50", "engagement,1,"),
     "dimension engagement has 2 bands without min_score"),
    ("scoring_grids", "grid team", append("team,thirty,-5,Our grid"), "inactivity_days 'thirty' is not a number > 0"),
    ("scoring_grids", "grid team", append("team,30,minus five,Our grid"),
     "inactivity_points 'minus five' is not a number"),
    ("email_domains", "domain corp.example", append("corp.example,corporate"),
     "domain_type 'corporate' is not free or disposable"),
    ("job_title_patterns", "pattern level_board", append("level_board,job_level,(board|conseil,c_level,3"),
     "regex '(board|conseil' does not compile"),
    ("job_title_patterns", "pattern level_board", append("level_board,job_title,board,c_level,3"),
     "dimension 'job_title' is not job_level or job_function"),
    ("country_aliases", "alias Polska", append("Polska,PL"), "alias 'Polska' is not lower case"),
    ("country_aliases", "alias polska", append("polska,POL"), "country_code 'POL' is not an ISO 3166 alpha-2 code"),
    ("company_name_suffixes", "suffix SAS", append("sas,again"), "suffix appears 2 times"),
    ("lifecycle_stages", "stage nurture", append("nurture,9,nurturing,false,Nurture"),
     "team 'nurturing' is not marketing, sales or closed"),
    ("lifecycle_stages", "stage nurture", append("nurture,2,marketing,false,Nurture"),
     "stage_order 2 is shared by 2 stages"),
    ("lifecycle_stages", "stage nurture", append("nurture,ninth,marketing,false,Nurture"),
     "stage_order 'ninth' is not an integer"),
    ("lifecycle_stages", "stage nurture", append("nurture,9,marketing,maybe,Nurture"),
     "counts_as_sales_touch 'maybe' is not true or false"),
    ("crm_field_mappings", "mapping pipedrive", append("pipedrive,email,pd_email,"),
     "no row for source_column first_name, last_name, company"),
    ("crm_field_mappings", "mapping hubspot, source_column email",
     replace("hubspot,email,email,", "hubspot,email,e-mail,"), "crm_field 'e-mail' is not a column name"),
    ("crm_field_mappings", "mapping hubspot, source_column phone", append("hubspot,phone,phone,"),
     "unknown source_column 'phone'"),
    ("product_line_mappings", "mapping map_referrer", append("map_referrer,referrer,contains,x,analytics,1,d"),
     "match_field 'referrer' is not url, asset or campaign"),
    ("product_line_mappings", "mapping map_reports", append("map_reports,url,contains,/reports,analytics,first,d"),
     "priority 'first' is not an integer"),
    ("buying_committee_roles", "role anyone", append("anyone,,,5,Anyone"), "job_level and job_function are both empty"),
    ("buying_committee_roles", "role legal", append("legal,,legal,five,Legal"), "points 'five' is not a number"),
    ("account_fit_rules", "rule acc_bad", append("acc_bad,,industry,equals,x,5,1,Bad"), "unknown operator 'equals'"),
    ("account_fit_rules", "rule acc_bad", append("acc_bad,,industry,eq,x,five,1,Bad"), "points 'five' is not a number"),
    ("fit_rules", "rule fit_bad", append("fit_bad,,industry,eq,x,10,1,"), "description is empty"),
    ("engagement_rules", "rule eng_bad", append("eng_bad,page_view,url,contains,/x,5,,,hot,,Bad"),
     "category 'hot' is not active, passive or negative"),
]


@pytest.fixture(scope="module")
def mistakes_project(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """One copy for every mistake (each restores its seed): dbt parses it once."""
    yield copy_project(tmp_path_factory.mktemp("seed_mistakes") / "project")


@pytest.fixture(scope="module")
def mistakes_warehouse(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One warehouse for every mistake: the same profile, vars and as_of let dbt parse again only the
    seed a mistake edited (partial parsing)."""
    return warehouse_with_contacts(tmp_path_factory.mktemp("seed_mistakes_warehouse") / "w.duckdb")


@pytest.mark.parametrize(("seed", "row", "edit", "problem"), MISTAKES,
                         ids=[f"{seed}-{re.sub(r'[^a-z0-9]+', '-', problem.lower())[:40]}"
                              for seed, _, _, problem in MISTAKES])
def test_a_seed_mistake_stops_the_build_naming_seed_row_and_problem(
    mistakes_project: Path, mistakes_warehouse: Path, seed: str, row: str, edit: Edit, problem: str
) -> None:
    path = mistakes_project / "seeds" / f"{seed}.csv"
    original = path.read_text(encoding="utf-8")
    path.write_text(edit(original), encoding="utf-8")
    try:
        with pytest.raises(LeadscoreError) as failure:
            # only the seed: its validation is the seed's own post-hook, whatever else the build runs
            build(mistakes_warehouse, as_of=AS_OF, project_dir=mistakes_project, select=seed)
    finally:
        path.write_text(original, encoding="utf-8")
    message = str(failure.value)
    assert "\n" not in message
    assert f"seed {seed}, " in message
    assert f"{row}: {problem}" in message
    assert "called by" not in message


def test_the_shipped_seeds_pass_their_validation(mistakes_project: Path, tmp_path: Path) -> None:
    """The same validation accepts every shipped seed (the mistakes above are what it refuses)."""
    build(warehouse_with_contacts(tmp_path / "w.duckdb"), as_of=AS_OF, project_dir=mistakes_project,
          select="resource_type:seed")
    [(seeds,)] = query(tmp_path / "w.duckdb", "select count(*) from information_schema.tables "
                                             "where table_schema = 'main'")
    assert seeds == len(list((mistakes_project / "seeds").rglob("*.csv")))


def test_the_tests_of_the_shipped_defaults_run_only_with_the_ci_var(mistakes_project: Path, tmp_path: Path) -> None:
    """Disabled in a team's build (`dbt build`, `leadscore build`); `make test` sets the var."""
    from leadscore.build import run_dbt

    def shipped_tests(dbt_vars: dict[str, object] | None) -> list[str]:
        listed = run_dbt(["ls", "--resource-type", "unit_test", "--output", "name"], tmp_path / "w.duckdb",
                         dbt_vars=dbt_vars, project_dir=mistakes_project)
        every = set(run_dbt(["ls", "--resource-type", "unit_test", "--output", "name"], tmp_path / "w.duckdb",
                            dbt_vars={"test_shipped_defaults": True}, project_dir=mistakes_project))
        tagged = set(run_dbt(["ls", "--select", "tag:shipped_defaults", "--output", "name"], tmp_path / "w.duckdb",
                             dbt_vars={"test_shipped_defaults": True}, project_dir=mistakes_project))
        assert tagged < every
        return sorted(set(listed) & tagged)

    assert shipped_tests(None) == []
    enabled = shipped_tests({"test_shipped_defaults": True})
    assert "test_fit_default_grid_data_quality_rules" in enabled
    assert "test_crm_lead_sync_hubspot_field_names" in enabled
