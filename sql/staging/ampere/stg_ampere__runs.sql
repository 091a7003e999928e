-- One row per run: what it did and what it cost (requests, 304s, GraphQL points), latest record wins.
{{ config(materialized='table') }}

with source as (
    select * from {{ source('ampere', 'runs') }}
),

latest as (
    select *
    from source
    qualify row_number() over (partition by run_id order by retrieved_at desc) = 1
),

final as (
    select
        run_id,
        payload ->> '$.kind' as run_kind,
        payload ->> '$.source' as source_name,
        payload ->> '$.org' as org,
        payload ->> '$.status' as status,
        payload ->> '$.error' as error,
        cast(payload ->> '$.started_at' as timestamptz) as started_at,
        cast(payload ->> '$.finished_at' as timestamptz) as finished_at,
        cast(payload ->> '$.requests' as bigint) as requests,
        cast(payload ->> '$.not_modified' as bigint) as not_modified,
        cast(payload ->> '$.graphql_points' as bigint) as graphql_points,
        cast(json_array_length(payload, '$.stars_restricted') as bigint) as repos_stars_restricted,
        payload as details
    from latest
)

select * from final
