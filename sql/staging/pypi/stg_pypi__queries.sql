-- One row per package and download window the sync tried (the query log; packages missing the same
-- days share a query and its window_id): which package and days, from which source, and whether its
-- rows were committed (outcome ok) or it failed and waits for the next run.
{{ config(materialized='table') }}

with source as (
    select * from {{ source('pypi', 'queries') }}
),

final as (
    select
        payload ->> '$.window_id' as window_id,
        package,
        payload ->> '$.source' as source_name,
        payload ->> '$.repo_name' as repo_name,
        cast(payload ->> '$.first_day' as date) as first_day,
        cast(payload ->> '$.last_day' as date) as last_day,
        payload ->> '$.outcome' as outcome,
        payload ->> '$.error' as error,
        cast(payload ->> '$.rows' as bigint) as row_count,
        cast(payload ->> '$.downloads' as bigint) as downloads,
        retrieved_at as logged_at
    from source
)

select * from final
