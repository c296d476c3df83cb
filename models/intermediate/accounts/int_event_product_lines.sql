{#- The product line of each event that seeds/product_line_mappings attributes to one: a mapping
    tests the event's url, asset or campaign with an operator of the grids; of the mappings that
    match, the one with the lowest priority wins. Each distinct value is matched once. -#}
with

events as (
    select * from {{ ref('int_events') }}
),

product_line_mappings as (
    select * from {{ ref('stg_reference__product_line_mappings') }}
),

mappings as (
    select
        trim(mapping_id) as mapping_id,
        lower(trim(match_field)) as match_field,
        lower(trim(operator)) as operator,
        value as mapping_value,
        lower(trim(product_line)) as product_line,
        coalesce({{ leadscore.to_integer('priority') }}, 0) as priority
    from product_line_mappings
),

field_values as (
    select distinct
        'url' as match_field,
        url as field_value
    from events
    where url is not null
    union all
    select distinct
        'asset' as match_field,
        asset as field_value
    from events
    where asset is not null
    union all
    select distinct
        'campaign' as match_field,
        campaign as field_value
    from events
    where campaign is not null
),

value_matches as (
    select
        field_values.match_field,
        field_values.field_value,
        mappings.mapping_id,
        mappings.product_line,
        mappings.priority
    from field_values
    inner join mappings
        on field_values.match_field = mappings.match_field
    where {{ leadscore.rule_matches('field_values.field_value', 'mappings.operator', 'mappings.mapping_value') }}
),

event_matches as (
    select
        events.event_id,
        value_matches.mapping_id,
        value_matches.product_line,
        value_matches.priority
    from events
    inner join value_matches
        on
            value_matches.match_field = 'url'
            and events.url = value_matches.field_value
    union all
    select
        events.event_id,
        value_matches.mapping_id,
        value_matches.product_line,
        value_matches.priority
    from events
    inner join value_matches
        on
            value_matches.match_field = 'asset'
            and events.asset = value_matches.field_value
    union all
    select
        events.event_id,
        value_matches.mapping_id,
        value_matches.product_line,
        value_matches.priority
    from events
    inner join value_matches
        on
            value_matches.match_field = 'campaign'
            and events.campaign = value_matches.field_value
),

ranked as (
    select
        *,
        row_number() over (
            partition by event_id
            order by priority asc, mapping_id asc
        ) as match_rank
    from event_matches
),

final as (
    select
        event_id,
        product_line,
        mapping_id
    from ranked
    where match_rank = 1
)

select * from final
