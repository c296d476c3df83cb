{# The grid chosen by var scoring_grid needs its row in seeds/scoring_grids.csv. #}
select 'var scoring_grid: no row for this grid in seeds/scoring_grids.csv' as problem
where (select count(*) from {{ ref('stg_grid__settings') }}) <> 1
