-- One row per run: what it did and what it cost (requests, 304s, GraphQL points), latest record wins.
-- status is as recorded: running, success, partial or failed (the runs mart maps it).
{{ config(materialized='table') }}

with source as (
    select * from {{ source('ampere', 'runs') }}
),

latest as (
    select *
    from source
    -- A run's final record wins over its "running" one, even written in the same microsecond.
    qualify row_number() over (
        partition by run_id order by retrieved_at desc, (payload ->> '$.status') = 'running'
    ) = 1
),

final as (
    select
        run_id,
        payload ->> '$.kind' as run_kind,
        payload ->> '$.source' as source_name,
        payload ->> '$.org' as org,
        payload ->> '$.status' as status,
        payload ->> '$.error' as error,
        try_cast(payload ->> '$.started_at' as timestamptz) as started_at,
        try_cast(payload ->> '$.finished_at' as timestamptz) as finished_at,
        try_cast(payload ->> '$.requests' as bigint) as requests,
        try_cast(payload ->> '$.not_modified' as bigint) as not_modified,
        try_cast(payload ->> '$.graphql_points' as bigint) as graphql_points,
        -- Written by every run since the pipeline work; a PyPI sync's "rows" before that.
        try_cast(coalesce(payload ->> '$.rows_written', payload ->> '$.rows') as bigint) as rows_written,
        cast(json_array_length(payload, '$.stars_restricted') as bigint) as repos_stars_restricted,
        payload as details
    from latest
)

select * from final
