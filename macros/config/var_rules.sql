{#- The rule of every var of dbt_project.yml: its type, its domain and, in words, what it accepts.
    The one place these are written: `leadscore build` reads the YAML below (scripts/leadscore/var_rules.py)
    and checks the vars before dbt starts; a plain `dbt build` checks them with the macros of
    checked_vars.sql (the on-run-start hook check_vars, number_var, choice_var, bool_var), which call
    this macro. docs/vars.md is generated from it (`python -m leadscore.var_rules > docs/vars.md`).
    Plain YAML between the set and endset lines (no Jinja in it: Python reads it as it is).

    Keys: type (number, integer, boolean, choice, list, text, date, instant, grid, seed_value);
    nullable (null is accepted: `accepts` says what it means); min / above (>= / >), max / below
    (<= / <); choices (choice, and the items of a list); nonempty (list); at_most (a number var this one may not exceed);
    one_of (a list var this text must be an element of); seed and column (seed_value: a value of
    that seed column); accepts (the message's words, "must be <accepts>"); means (docs/vars.md). -#}
{% macro var_rules() -%}
{%- set rules_yaml -%}
source_systems:
  type: list
  nonempty: true
  choices: [raw, hubspot, salesforce, marketo, segment, rudderstack]
  accepts: a non-empty list of raw, hubspot, salesforce, marketo, segment, rudderstack (lower case), e.g. [hubspot, segment]
  means: the source adapters whose tables feed the canonical staging models (docs/sources.md)
as_of:
  type: instant
  nullable: true
  accepts: an ISO-8601 instant such as 2024-06-30T12:00:00Z, or null (the build's start time)
  means: the scoring instant; no event after it counts (an offset is converted to UTC); `leadscore build --as-of` sets it as $LEADSCORE_AS_OF, which the var overrides (docs/performance.md)
decay_method:
  type: choice
  choices: [exponential, linear, window, none]
  accepts: one of exponential, linear, window, none
  means: how engagement points fade with age
decay_half_life_days:
  type: number
  above: 0
  accepts: a number of days > 0
  means: half-life of the decay (a rule's half_life_days overrides it)
recent_window_days:
  type: number
  above: 0
  accepts: a number of days > 0
  means: engagement_score_recent = undecayed points of the last N days
mql_threshold:
  type: number
  accepts: a number (a lead score)
  means: lead score of a hot lead / MQL
warm_threshold:
  type: number
  accepts: a number (a lead score)
  means: lead score of a warm lead
mql_requires_engagement:
  type: boolean
  accepts: true or false
  means: an MQL needs engagement_score > 0
lead_score_min:
  type: number
  nullable: true
  at_most: lead_score_max
  accepts: a number <= lead_score_max, or null (no lower clamp)
  means: clamp lead_score from below (the breakdown keeps the raw points)
lead_score_max:
  type: number
  nullable: true
  accepts: a number >= lead_score_min, or null (no upper clamp)
  means: clamp lead_score from above
target_countries:
  type: list
  accepts: a list of ISO 3166 alpha-2 codes, e.g. [FR, US] (quote NO, which YAML reads as false)
  means: the markets behind is_target_country
completeness_fields:
  type: list
  nonempty: true
  accepts: a non-empty list of contact fields, e.g. [email, job_title]
  means: the fields counted by data_completeness_pct
disqualified_statuses:
  type: list
  accepts: a list of statuses, e.g. [disqualified]
  means: statuses that block an MQL as disqualified
customer_statuses:
  type: list
  accepts: a list of statuses, e.g. [won, customer]
  means: statuses that block an MQL as customer
score_reasons_count:
  type: integer
  min: 1
  accepts: a whole number >= 1
  means: contributions listed in score_reasons
scoring_grid:
  type: grid
  accepts: the name of a grid of the project (b2b_saas or one of seeds/grids)
  means: the grid that scores
inactivity_days:
  type: number
  nullable: true
  above: 0
  accepts: a number of days > 0, or null (the grid's own setting in seeds/scoring_grids.csv)
  means: penalty applied once when the last scored event is older than this
inactivity_points:
  type: number
  nullable: true
  accepts: a number of points, or null (the grid's own setting in seeds/scoring_grids.csv)
  means: the inactivity penalty's points (usually negative)
engagement_cap:
  type: number
  nullable: true
  min: 0
  accepts: a number of points >= 0, or null (no cap)
  means: cap on engagement_score, unless an event of an unlock rule lifts it
engagement_cap_unlock_rules:
  type: list
  accepts: a list of engagement rule ids, e.g. [eng_demo_requested] (or [])
  means: engagement rules that lift the cap
bot_filter:
  type: boolean
  accepts: true or false
  means: leave scanner clicks out of the scores
bot_click_seconds:
  type: number
  min: 0
  accepts: a number of seconds >= 0
  means: a click less than this long after the delivery of the same campaign is a scanner's
bot_burst_clicks:
  type: integer
  min: 2
  accepts: a whole number of clicks >= 2
  means: so many clicks or more by one contact within bot_burst_seconds are a scanner's
bot_burst_seconds:
  type: number
  min: 0
  accepts: a number of seconds >= 0
  means: the window of a burst of clicks
bot_click_event_type:
  type: text
  accepts: an event type (a non-empty text)
  means: the event type of an email click
bot_delivery_event_type:
  type: text
  accepts: an event type (a non-empty text)
  means: the event type of an email delivery
recycle_mode:
  type: choice
  choices: [reset, keep]
  accepts: one of reset, keep
  means: whether a change to recycle_status drops the engagement before it
recycle_status:
  type: text
  accepts: a status (a non-empty text)
  means: the status that recycles a lead
mql_top_percent:
  type: number
  nullable: true
  above: 0
  max: 100
  accepts: a percentage in (0, 100], or null (mql_threshold applies)
  means: the MQL threshold becomes the score that keeps that top share of eligible contacts
account_rollup_method:
  type: choice
  choices: [sum, average, max, top_k]
  accepts: one of sum, average, max, top_k
  means: how contacts' engagement rolls up into the account's
account_rollup_top_k:
  type: integer
  min: 1
  accepts: a whole number >= 1
  means: k of top_k
engaged_contact_min_score:
  type: number
  accepts: a number (an engagement score)
  means: engagement_score from which a contact counts as engaged
mqa_threshold:
  type: number
  accepts: a number (an account score)
  means: account_score of an MQA
mqa_min_engaged_contacts:
  type: integer
  min: 1
  accepts: a whole number >= 1
  means: engaged contacts that make an MQA whatever its score
mqa_excluded_account_types:
  type: list
  accepts: a list of account types, e.g. [customer, competitor]
  means: account types that are never MQAs
account_top_contacts_count:
  type: integer
  min: 1
  accepts: a whole number >= 1
  means: contacts listed in account_scores.top_contacts
backtest_decision_basis:
  type: choice
  choices: [lead_age, first_mql_crossing, opportunity]
  accepts: one of lead_age, first_mql_crossing, opportunity
  means: when a backtest lead is judged (opportunity depends on the outcome, only to compare with old backtests)
backtest_decision_age_days:
  type: number
  min: 0
  accepts: a number of days >= 0
  means: with backtest_decision_basis lead_age, how long after it was known every lead is judged (0 when the warehouse holds no event)
backtest_gap_days:
  type: number
  min: 0
  at_most: backtest_horizon_days
  accepts: a number of days >= 0 and <= backtest_horizon_days
  means: with backtest_decision_basis opportunity, how long before its first opportunity a converted lead is judged
backtest_horizon_days:
  type: number
  above: 0
  accepts: a number of days > 0
  means: a lead converted when its first opportunity came within this many days after its decision instant
backtest_holdout_pct:
  type: number
  above: 0
  below: 100
  accepts: a percentage in (0, 100)
  means: the hold-out cohort, the last N percent of backtest leads by creation
challenger_grid:
  type: grid
  nullable: true
  accepts: the name of a grid of the project, or null (no challenger)
  means: a grid scored beside scoring_grid
score_outlier_iqr_factor:
  type: number
  above: 0
  accepts: a number > 0
  means: score_distribution flags scores beyond the quartiles -/+ this many interquartile ranges
funnel_stages:
  type: list
  nonempty: true
  accepts: a non-empty list of statuses in order, e.g. [new, mql, sql, won]
  means: the stages of lead_funnel
mql_status:
  type: text
  one_of: funnel_stages
  accepts: one of funnel_stages
  means: the hand-off to sales
sql_status:
  type: text
  one_of: funnel_stages
  accepts: one of funnel_stages
  means: the SQL stage
roi_cutover_date:
  type: date
  nullable: true
  accepts: a date YYYY-MM-DD, or null (as_of minus roi_window_days)
  means: the scoring go-live date of roi_before_after
roi_window_days:
  type: number
  above: 0
  accepts: a number of days > 0
  means: the period compared on each side of the go-live
sla_hours:
  type: number
  above: 0
  accepts: a number of hours > 0
  means: an MQL not touched by sales within this many hours breaches its SLA
sla_at_risk_hours:
  type: number
  min: 0
  accepts: a number of hours >= 0
  means: an untouched MQL with this many hours or less left is at risk
crm_field_mapping:
  type: seed_value
  seed: crm_field_mappings
  column: mapping
  accepts: a mapping of seeds/crm_field_mappings.csv
  means: the CRM field names of crm_lead_sync
hubspot_database:
  type: text
  nullable: true
  accepts: a database name, or null (the target's database)
  means: the database of the tables of Fivetran's HubSpot connector
hubspot_schema:
  type: text
  accepts: a schema name (a non-empty text)
  means: the schema of the tables of Fivetran's HubSpot connector
marketo_database:
  type: text
  nullable: true
  accepts: a database name, or null (the target's database)
  means: the database of Fivetran's Marketo tables (source_systems marketo)
marketo_schema:
  type: text
  accepts: a schema name (a non-empty text)
  means: the schema of Fivetran's Marketo tables (source_systems marketo)
salesforce_database:
  type: text
  nullable: true
  accepts: a database name, or null (the target's database)
  means: the database of Fivetran's Salesforce tables (source_systems salesforce)
salesforce_schema:
  type: text
  accepts: a schema name (a non-empty text)
  means: the schema of Fivetran's Salesforce tables (source_systems salesforce)
segment_database:
  type: text
  nullable: true
  accepts: a database name, or null (the target's database)
  means: the database of Segment's warehouse tables (docs/sources/segment.md)
segment_schema:
  type: text
  accepts: a schema name (a non-empty text)
  means: the schema of Segment's warehouse tables
rudderstack_database:
  type: text
  nullable: true
  accepts: a database name, or null (the target's database)
  means: the database of RudderStack's warehouse tables (docs/sources/segment.md)
rudderstack_schema:
  type: text
  accepts: a schema name (a non-empty text)
  means: the schema of RudderStack's warehouse tables
identity_max_iterations:
  type: integer
  min: 1
  accepts: a whole number >= 1
  means: the most rounds of identity stitching (docs/identity.md); more hops fail the build
{%- endset -%}
{{ return(fromyaml(rules_yaml)) }}
{%- endmacro %}
