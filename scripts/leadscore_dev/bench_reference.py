"""The benchmark's reference: one hand-written DuckDB query that computes the lead scores straight
from the raw tables and the seeds, with the grid compiled into the SQL (SPEC section 8).

The query's shape is written here by hand; only the rules' predicates are generated from the grid
seeds as the warehouse holds them (one ``sum(case when <the rule's own predicate> then points * decay
end)`` per engagement rule, one ``case`` per fit rule group, in priority order), the way SPEC 8 says
the engine itself could compile them. It covers what the default vars switch on: fit rule groups and
priority, engagement matching on event_type and url / asset / campaign / properties, decay with
per-rule half-lives, per-rule caps, the inactivity penalty, scanner-click filtering, recycle reset,
manual adjustments, grades, tiers and MQL eligibility. It reads the vars' defaults from
dbt_project.yml, the values a ``leadscore build`` without ``--vars`` uses; the few knobs it does not
implement (score clamping, the engagement cap, top-percent MQLs) must be off.

It relies on the loader's normal form of the raw tables (text trimmed, empty text null, event types
and statuses lower-case), which makes the staging views' trims no-ops; ``check_reference`` compares
its result with ``main.lead_scores`` so any drift between the two shows up as a mismatch.
"""

from __future__ import annotations

import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import duckdb

from leadscore.errors import LeadscoreError
from leadscore.paths import PROJECT_DIR
from leadscore.var_rules import parse_as_of, project_vars
from leadscore.warehouse import connect
from leadscore.warehouse import quote_literal as _lit

TOLERANCE = 1e-6
NUMERIC_COLUMNS = ("fit_score", "engagement_score", "engagement_score_recent", "adjustment_points", "lead_score")
LABEL_COLUMNS = ("fit_grade", "engagement_grade", "tier", "is_mql")

# Columns of the enriched contact a fit rule can name (macros/scoring/contact_attribute.sql), as the
# reference's `contacts_enriched` CTE spells them.
_CONTACT_COLUMNS = (
    "contact_id", "email", "first_name", "last_name", "job_title", "company_name", "account_id",
    "industry", "employee_count", "annual_revenue", "country", "state", "city", "phone",
    "lead_source", "purchase_authority", "purchase_timeline", "uses_competitor",
    "has_marketing_consent", "is_do_not_contact", "created_at", "updated_at",
    "email_domain", "email_type", "job_level", "job_function", "country_code",
    "is_target_country", "name_has_digits", "data_completeness_pct",
    "account_name", "account_domain", "account_industry", "account_employee_count",
    "account_annual_revenue", "account_country", "account_is_target_account", "account_type",
)
_TRUE_WORDS = "('true', 't', '1', 'yes', 'y')"
_FALSE_WORDS = "('false', 'f', '0', 'no', 'n')"


def _number(text: str | None) -> float | None:
    if text is None:
        return None
    try:
        return float(str(text).strip())
    except ValueError:
        return None


def _num_sql(value: float | None) -> str:
    return "null" if value is None else f"cast({value!r} as double)"


def rule_predicate(value_sql: str, operator: str, rule_value: str | None) -> str:
    """macros/scoring/rule_matches.sql for one rule, its operator and value inlined: text compares
    ignore case, a null value matches only is_null (a null predicate counts as false in `case`)."""
    op = (operator or "").strip().lower()
    if op == "is_null":
        return f"({value_sql} is null)"
    if op == "not_null":
        return f"({value_sql} is not null)"
    if op == "is_true":
        return f"(lower({value_sql}) in {_TRUE_WORDS})"
    if op == "is_false":
        return f"(lower({value_sql}) in {_FALSE_WORDS})"
    if rule_value is None:
        return "false"
    if op == "eq":
        return f"(lower({value_sql}) = {_lit(rule_value.lower())})"
    if op == "in":
        return f"contains({_lit('|' + rule_value.lower() + '|')}, '|' || lower({value_sql}) || '|')"
    if op == "contains":
        return f"contains(lower({value_sql}), {_lit(rule_value.lower())})"
    if op == "regex":
        return f"regexp_matches({value_sql}, {_lit('(?i)' + rule_value)})"
    if op == "between":
        bounds = rule_value.split("|")
        low = _number(bounds[0])
        high = _number(bounds[1]) if len(bounds) > 1 else None
        if low is None or high is None:
            return "false"
        return f"(try_cast({value_sql} as double) between {_num_sql(low)} and {_num_sql(high)})"
    if op in ("gte", "lte"):
        bound = _number(rule_value)
        if bound is None:
            return "false"
        return f"(try_cast({value_sql} as double) {'>=' if op == 'gte' else '<='} {_num_sql(bound)})"
    return "false"


@dataclass(frozen=True)
class _Settings:
    """The vars the reference reads, at their dbt_project.yml defaults (a bench build sets none)."""

    as_of: str
    grid: str
    decay_method: str
    half_life_days: float
    recent_window_days: float
    mql_threshold: float
    warm_threshold: float
    mql_requires_engagement: bool
    target_countries: tuple[str, ...]
    completeness_fields: tuple[str, ...]
    disqualified_statuses: tuple[str, ...]
    customer_statuses: tuple[str, ...]
    inactivity_days: float | None
    inactivity_points: float | None
    bot_filter: bool
    bot_click_seconds: float
    bot_burst_clicks: int
    bot_burst_seconds: float
    bot_click_event_type: str
    bot_delivery_event_type: str
    recycle_reset: bool
    recycle_status: str


def _settings(as_of: str, project_dir: Path) -> _Settings:
    defaults = project_vars(project_dir)
    unsupported = [name for name in ("lead_score_min", "lead_score_max", "engagement_cap", "mql_top_percent")
                   if defaults.get(name) is not None]
    if unsupported:
        raise LeadscoreError(f"the bench's reference query does not implement var {', '.join(unsupported)}: "
                             "leave it null in dbt_project.yml to benchmark")

    def texts(name: str) -> tuple[str, ...]:
        return tuple(str(value) for value in defaults.get(name) or [])

    return _Settings(
        as_of=parse_as_of(as_of),
        grid=str(defaults.get("scoring_grid") or "b2b_saas").strip().lower(),
        decay_method=str(defaults["decay_method"]).strip().lower(),
        half_life_days=float(defaults["decay_half_life_days"]),
        recent_window_days=float(defaults["recent_window_days"]),
        mql_threshold=float(defaults["mql_threshold"]),
        warm_threshold=float(defaults["warm_threshold"]),
        mql_requires_engagement=bool(defaults["mql_requires_engagement"]),
        target_countries=texts("target_countries"),
        completeness_fields=texts("completeness_fields"),
        disqualified_statuses=texts("disqualified_statuses"),
        customer_statuses=texts("customer_statuses"),
        inactivity_days=_number(defaults.get("inactivity_days")),
        inactivity_points=_number(defaults.get("inactivity_points")),
        bot_filter=bool(defaults["bot_filter"]),
        bot_click_seconds=float(defaults["bot_click_seconds"]),
        bot_burst_clicks=int(defaults["bot_burst_clicks"]),
        bot_burst_seconds=float(defaults["bot_burst_seconds"]),
        bot_click_event_type=str(defaults["bot_click_event_type"]).lower(),
        bot_delivery_event_type=str(defaults["bot_delivery_event_type"]).lower(),
        recycle_reset=str(defaults["recycle_mode"]).strip().lower() == "reset",
        recycle_status=str(defaults["recycle_status"]).lower(),
    )


def _in_list(values: tuple[str, ...]) -> str:
    return "(" + ", ".join(_lit(value) for value in values) + ")" if values else "(null)"


def _decay_sql(age: str, half_life: float, method: str) -> str:
    """macros/scoring/decay_factor.sql with the half-life inlined."""
    h = _num_sql(half_life)
    if method == "exponential":
        return f"power(0.5, {age} / {h})"
    if method == "linear":
        return f"greatest(0.0, 1.0 - {age} / (2.0 * {h}))"
    if method == "window":
        return f"(case when {age} <= 2.0 * {h} then 1.0 else 0.0 end)"
    return "1.0"


def _json_path(key: str) -> str:
    return _lit('$."' + key + '"')


def _fit_attribute_sql(attribute: str) -> str:
    """The text of a fit rule's attribute on `c` (contacts_enriched), as contact_attribute() reads it."""
    name = attribute.strip().lower()
    if name in _CONTACT_COLUMNS:
        return f"cast(c.{name} as varchar)"
    custom = f"json_extract_string(c.custom_attributes, {_json_path(attribute)})"
    if name.startswith("account_"):
        account = f"json_extract_string(c.account_custom_attributes, {_json_path(attribute[8:])})"
        return f"coalesce({custom}, {account})"
    return custom


def _event_field_sql(match_field: str) -> str:
    if match_field in ("url", "asset", "campaign"):
        return f"e.{match_field}"
    if match_field.startswith("properties."):
        return f"json_extract_string(e.properties, {_json_path(match_field[11:])})"
    raise LeadscoreError(f"the bench's reference query does not know match_field {match_field!r}")


def _grid_rows(con: duckdb.DuckDBPyConnection, kind: str, grid: str) -> list[dict[str, Any]]:
    table = kind if grid == "b2b_saas" else f"{kind}__{grid}"
    cursor = con.execute(f"select * from main.{table}")
    names = [column[0] for column in cursor.description]
    return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


def _clean(value: Any) -> str | None:
    if value is None:
        return None
    text = str(value).strip()
    return text or None


def _fit_score_sql(con: duckdb.DuckDBPyConnection, settings: _Settings) -> str:
    """One `case` per rule group: the matching rule with the lowest (priority, rule_id) gives its points."""
    groups: dict[str, list[tuple[int, str, str]]] = {}
    for rule in _grid_rows(con, "fit_rules", settings.grid):
        rule_id = _clean(rule["rule_id"]) or ""
        group = _clean(rule["rule_group"]) or rule_id
        priority = _number(rule["priority"])
        points = _number(rule["points"])
        predicate = rule_predicate(_fit_attribute_sql(rule["attribute"]), rule["operator"], rule["value"])
        groups.setdefault(group, []).append(
            (int(priority) if priority is not None else 0, rule_id, f"when {predicate} then {_num_sql(points)}")
        )
    if not groups:
        return "cast(0 as double)"
    cases = []
    for _group, rules in sorted(groups.items()):
        whens = "\n                ".join(when for _priority, _rule_id, when in sorted(rules))
        cases.append(f"(case\n                {whens}\n                else cast(0 as double) end)")
    return "\n            + ".join(cases)


@dataclass
class _EngagementRule:
    index: int
    rule_id: str
    event_type: str
    predicate: str
    points: float
    max_points: float | None
    half_life_days: float


def _engagement_rules(con: duckdb.DuckDBPyConnection, settings: _Settings) -> list[_EngagementRule]:
    rules = []
    for index, rule in enumerate(sorted(_grid_rows(con, "engagement_rules", settings.grid),
                                        key=lambda row: str(row["rule_id"]).strip())):
        event_type = (_clean(rule["event_type"]) or "").lower()
        match_field = (_clean(rule["match_field"]) or "").lower()
        predicate = f"e.event_type = {_lit(event_type)}"
        if match_field:
            field_predicate = rule_predicate(_event_field_sql(match_field), rule["operator"], rule["value"])
            predicate = f"{predicate} and {field_predicate}"
        half_life = _number(rule["half_life_days"])
        rules.append(_EngagementRule(
            index=index,
            rule_id=str(rule["rule_id"]).strip(),
            event_type=event_type,
            predicate=predicate,
            points=_number(rule["points"]) or 0.0,
            max_points=_number(rule["max_points"]),
            half_life_days=half_life if half_life is not None else settings.half_life_days,
        ))
    return rules


def _grade_sql(con: duckdb.DuckDBPyConnection, dimension: str, score: str) -> str:
    """The band with the highest min_score the score reaches; the band without one is the floor."""
    bands = con.execute(
        "select band, min_score from main.grade_bands where dimension = ? order by min_score desc nulls last",
        [dimension],
    ).fetchall()
    whens = [f"when {score} >= {_num_sql(float(low))} then {_lit(str(band))}" for band, low in bands if low is not None]
    floor = next((_lit(str(band)) for band, low in bands if low is None), "null")
    return f"case {' '.join(whens)} else {floor} end"


def _inactivity(con: duckdb.DuckDBPyConnection, settings: _Settings) -> tuple[float | None, float | None]:
    row = con.execute(
        "select inactivity_days, inactivity_points from main.scoring_grids where grid = ?", [settings.grid]
    ).fetchone()
    days, points = row if row else (None, None)
    return (
        settings.inactivity_days if settings.inactivity_days is not None else days,
        settings.inactivity_points if settings.inactivity_points is not None else points,
    )


def reference_sql(con: duckdb.DuckDBPyConnection, as_of: str, project_dir: Path = PROJECT_DIR) -> str:
    """The reference query for the warehouse behind ``con`` (its seeds give the grid) as of ``as_of``."""
    s = _settings(as_of, project_dir)
    as_of_ts = f"timestamp {_lit(s.as_of)}"
    rules = _engagement_rules(con, s)
    inactivity_days, inactivity_points = _inactivity(con, s)
    event_types = tuple(sorted({rule.event_type for rule in rules}))

    flags = ",\n            ".join(f"{rule.predicate} as m{rule.index}" for rule in rules) or "false as m_none"
    half_lives = sorted({rule.half_life_days for rule in rules})
    decays = ",\n            ".join(
        f"{_decay_sql('age_days', h, s.decay_method)} as decay_{i}" for i, h in enumerate(half_lives)
    ) or "1.0 as decay_none"
    decay_column = {h: f"decay_{i}" for i, h in enumerate(half_lives)}
    rule_sums = ",\n            ".join(
        f"sum(case when m{r.index} then {_num_sql(r.points)} * {decay_column[r.half_life_days]} end) as rule_{r.index}"
        for r in rules
    )
    raw_points = " + ".join(f"(case when m{r.index} then {_num_sql(r.points)} else 0 end)" for r in rules) or "0"
    any_match = " or ".join(f"m{r.index}" for r in rules) or "false"

    def capped(rule: _EngagementRule) -> str:
        total = f"rule_{rule.index}"
        if rule.max_points is None:
            return f"coalesce({total}, 0)"
        cap = _num_sql(rule.max_points)
        return f"(case when abs({total}) > {cap} then sign({total}) * {cap} else coalesce({total}, 0) end)"

    capped_sum = "\n            + ".join(capped(rule) for rule in rules) or "0"
    penalty = (
        f"case when last_scored_age_days > {_num_sql(inactivity_days)} then {_num_sql(inactivity_points)} else 0 end"
        if inactivity_days is not None and inactivity_points is not None else "0"
    )
    completeness = " + ".join(
        f"(case when contacts.{name} is not null then 1 else 0 end)" for name in s.completeness_fields
    ) or "0"
    n_fields = max(1, len(s.completeness_fields))

    bot_ctes = f"""
clicks as (
    select event_id, contact_id, campaign, epoch(occurred_at) as occurred_epoch
    from raw.events
    where event_type = {_lit(s.bot_click_event_type)} and occurred_at <= {as_of_ts}
),

deliveries as (
    select contact_id, campaign, epoch(occurred_at) as delivered_epoch
    from raw.events
    where event_type = {_lit(s.bot_delivery_event_type)} and occurred_at <= {as_of_ts}
),

-- the latest delivery of the same campaign at or before each click
clicks_delayed as (
    select clicks.*, clicks.occurred_epoch - deliveries.delivered_epoch as seconds_after_delivery
    from clicks
    asof left join deliveries
        on clicks.contact_id = deliveries.contact_id
        and clicks.campaign = deliveries.campaign
        and clicks.occurred_epoch >= deliveries.delivered_epoch
),

burst_windows as (
    select *,
        count(*) over (partition by contact_id order by occurred_epoch
                       range between current row and {s.bot_burst_seconds!r} following) as clicks_in_window
    from clicks_delayed
),

bot_clicks as (
    select event_id
    from (
        select event_id, seconds_after_delivery,
            max(case when clicks_in_window >= {s.bot_burst_clicks} then 1 else 0 end) over (
                partition by contact_id order by occurred_epoch
                range between {s.bot_burst_seconds!r} preceding and current row) as is_in_burst
        from burst_windows
    )
    where coalesce(seconds_after_delivery < {s.bot_click_seconds!r}, false) or is_in_burst = 1
),
"""
    bot_join = "anti join bot_clicks on e.event_id = bot_clicks.event_id" if s.bot_filter else ""
    recycle_filter = (
        "and (recycles.recycled_at is null or e.occurred_at >= recycles.recycled_at)" if s.recycle_reset else ""
    )
    disqualified = _in_list(tuple(v.lower() for v in s.disqualified_statuses))
    customers = _in_list(tuple(v.lower() for v in s.customer_statuses))
    no_engagement = "or engagement_score <= 0" if s.mql_requires_engagement else ""

    return f"""-- leadscore bench: the hand-written reference query (grid compiled from the warehouse's seeds)
with

status_changes as (
    select contact_id, status, changed_at
    from raw.lead_status_changes
    where changed_at <= {as_of_ts}
),

latest_status as (
    select contact_id, status
    from status_changes
    qualify row_number() over (partition by contact_id order by changed_at desc, status asc) = 1
),

recycles as (
    select contact_id, max(changed_at) as recycled_at
    from status_changes
    where status = {_lit(s.recycle_status)}
    group by contact_id
),
{bot_ctes if s.bot_filter else ""}
events_matched as (
    select
        e.contact_id,
        (epoch({as_of_ts}) - epoch(e.occurred_at)) / 86400.0 as age_days,
        {decays},
        {flags}
    from raw.events as e
    {bot_join}
    left join recycles on e.contact_id = recycles.contact_id
    where
        e.occurred_at <= {as_of_ts}
        and e.event_type in {_in_list(event_types)}
        {recycle_filter}
),

engagement_sums as (
    select
        contact_id,
        {rule_sums},
        sum(case when age_days <= {_num_sql(s.recent_window_days)} then {raw_points} end) as recent_points,
        min(case when {any_match} then age_days end) as last_scored_age_days
    from events_matched
    group by contact_id
),

engagement as (
    select
        contact_id,
        {capped_sum}
            + ({penalty}) as engagement_score,
        coalesce(recent_points, 0) as engagement_score_recent
    from engagement_sums
),

adjustments as (
    select contact_id, sum(points) as adjustment_points
    from raw.score_adjustments
    where created_at <= {as_of_ts} and (expires_at is null or expires_at > {as_of_ts})
    group by contact_id
),

job_titles as (
    select distinct lower(job_title) as job_title_key from raw.contacts where job_title is not null
),

job_title_values as (
    select
        job_title_key,
        max(case when dimension = 'job_level' then value end) as job_level,
        max(case when dimension = 'job_function' then value end) as job_function
    from (
        select job_titles.job_title_key, patterns.dimension, patterns.value,
            row_number() over (partition by job_titles.job_title_key, patterns.dimension
                               order by patterns.priority, patterns.pattern_id) as match_rank
        from job_titles
        inner join main.job_title_patterns as patterns
            on regexp_matches(job_titles.job_title_key, '(?i)' || patterns.pattern)
    )
    where match_rank = 1
    group by job_title_key
),

contacts_parsed as (
    select
        *,
        case
            when regexp_matches(lower(email), '(?i)^[^@ ]+@[^@ ]+[.][a-z]{{2,}}$')
                then split_part(lower(email), '@', 2)
        end as email_domain,
        case
            when email is null then 'missing'
            when not regexp_matches(lower(email), '(?i)^[^@ ]+@[^@ ]+[.][a-z]{{2,}}$') then 'invalid'
        end as email_problem
    from raw.contacts
),

contacts_enriched as (
    select
        contacts.* exclude (email_problem),
        coalesce(contacts.email_problem, email_domains.domain_type, 'business') as email_type,
        job_title_values.job_level,
        job_title_values.job_function,
        coalesce(
            country_aliases.country_code,
            case when length(contacts.country) = 2 then upper(contacts.country) end
        ) as country_code,
        case
            when contacts.first_name is null and contacts.last_name is null then null
            else regexp_matches(coalesce(contacts.first_name, '') || coalesce(contacts.last_name, ''), '(?i)[0-9]')
        end as name_has_digits,
        round(100.0 * ({completeness}) / {n_fields}, 1) as data_completeness_pct,
        accounts.name as account_name,
        lower(accounts.domain) as account_domain,
        accounts.industry as account_industry,
        accounts.employee_count as account_employee_count,
        accounts.annual_revenue as account_annual_revenue,
        accounts.country as account_country,
        accounts.is_target_account as account_is_target_account,
        lower(accounts.account_type) as account_type,
        accounts.custom_attributes as account_custom_attributes
    from contacts_parsed as contacts
    left join main.email_domains on contacts.email_domain = lower(email_domains.domain)
    left join job_title_values on lower(contacts.job_title) = job_title_values.job_title_key
    left join main.country_aliases on lower(contacts.country) = country_aliases.alias
    left join raw.accounts on contacts.account_id = accounts.account_id
),

scored as (
    select
        c.contact_id,
        {_fit_score_sql(con, s)} as fit_score,
        coalesce(engagement.engagement_score, 0) as engagement_score,
        coalesce(engagement.engagement_score_recent, 0) as engagement_score_recent,
        coalesce(adjustments.adjustment_points, 0) as adjustment_points,
        c.is_do_not_contact,
        c.has_marketing_consent,
        c.account_type,
        latest_status.status as lead_status
    from (
        select
            *,
            case when country_code is null then null else country_code in {_in_list(s.target_countries)} end
                as is_target_country
        from contacts_enriched
    ) as c
    left join engagement on c.contact_id = engagement.contact_id
    left join adjustments on c.contact_id = adjustments.contact_id
    left join latest_status on c.contact_id = latest_status.contact_id
),

final as (
    select
        contact_id,
        fit_score,
        engagement_score,
        engagement_score_recent,
        adjustment_points,
        fit_score + engagement_score + adjustment_points as lead_score,
        {_grade_sql(con, 'fit', 'fit_score')} as fit_grade,
        {_grade_sql(con, 'engagement', 'engagement_score')} as engagement_grade,
        case
            when fit_score + engagement_score + adjustment_points >= {_num_sql(s.mql_threshold)} then 'hot'
            when fit_score + engagement_score + adjustment_points >= {_num_sql(s.warm_threshold)} then 'warm'
            else 'cold'
        end as tier,
        fit_score + engagement_score + adjustment_points >= {_num_sql(s.mql_threshold)}
        and not (
            coalesce(is_do_not_contact, false)
            or coalesce(has_marketing_consent = false, false)
            or coalesce(lead_status in {disqualified}, false)
            or coalesce(lead_status in {customers} or account_type = 'customer', false)
            {no_engagement}
        ) as is_mql
    from scored
)

select * from final
"""


@dataclass
class ReferenceCheck:
    """The reference query's run time and how far its result is from main.lead_scores."""

    seconds: float
    contacts: int
    engaged_contacts: int
    missing_in_reference: int
    missing_in_lead_scores: int
    max_abs_difference: float
    differences: dict[str, float]
    label_mismatches: int
    memory_limit: str
    threads: int
    mismatches: list[dict[str, Any]] = field(default_factory=list)

    @property
    def agrees(self) -> bool:
        return (
            self.contacts > 0
            and self.missing_in_reference == 0
            and self.missing_in_lead_scores == 0
            and self.max_abs_difference < TOLERANCE
            and self.label_mismatches == 0
        )

    def as_dict(self) -> dict[str, Any]:
        return {**asdict(self), "agrees": self.agrees, "tolerance": TOLERANCE}


def check_reference(db_path: Path, as_of: str, project_dir: Path = PROJECT_DIR,
                    sql_out: Path | None = None) -> ReferenceCheck:
    """Run the reference query on the warehouse (read-only; its result goes to a temporary table,
    timed), then compare it with main.lead_scores (not timed)."""
    con = connect(db_path, read_only=True)
    try:
        con.execute("set TimeZone = 'UTC'")
        sql = reference_sql(con, as_of, project_dir)
        if sql_out is not None:
            sql_out.write_text(sql, encoding="utf-8")
        start = time.perf_counter()
        con.execute(f"create temp table reference_scores as {sql}")
        seconds = time.perf_counter() - start
        memory_limit, threads = con.execute(
            "select current_setting('memory_limit'), current_setting('threads')"
        ).fetchone()
        diffs = ", ".join(f"max(abs(r.{name} - m.{name})) as {name}" for name in NUMERIC_COLUMNS)
        label_differs = " or ".join(f"r.{name} is distinct from m.{name}" for name in LABEL_COLUMNS)
        number_differs = " or ".join(
            f"coalesce(abs(r.{name} - m.{name}) >= {TOLERANCE!r}, true)" for name in NUMERIC_COLUMNS
        )
        joined = "from temp.reference_scores as r full join main.lead_scores as m on r.contact_id = m.contact_id"
        row = con.execute(
            f"""select count(*),
                count(*) filter (where r.engagement_score <> 0),
                count(*) filter (where r.contact_id is null),
                count(*) filter (where m.contact_id is null),
                count(*) filter (where {label_differs}),
                {diffs}
            {joined}"""
        ).fetchone()
        differences = {name: float(value or 0.0) for name, value in zip(NUMERIC_COLUMNS, row[5:], strict=True)}
        columns = ", ".join(f"r.{name} as reference_{name}, m.{name} as model_{name}"
                            for name in NUMERIC_COLUMNS + LABEL_COLUMNS)
        cursor = con.execute(
            f"""select coalesce(r.contact_id, m.contact_id) as contact_id, {columns}
            {joined}
            where {number_differs} or {label_differs}
            order by 1 limit 5"""
        )
        names = [column[0] for column in cursor.description]
        mismatches = [dict(zip(names, (str(v) if v is not None else None for v in values), strict=True))
                      for values in cursor.fetchall()]
    except duckdb.Error as error:
        raise LeadscoreError(f"the reference query failed on {db_path}: {str(error).splitlines()[0]}") from None
    finally:
        con.close()
    return ReferenceCheck(
        seconds=seconds,
        contacts=int(row[0]),
        engaged_contacts=int(row[1]),
        missing_in_reference=int(row[2]),
        missing_in_lead_scores=int(row[3]),
        label_mismatches=int(row[4]),
        max_abs_difference=max(differences.values()),
        differences=differences,
        memory_limit=str(memory_limit),
        threads=int(threads),
        mismatches=mismatches,
    )
