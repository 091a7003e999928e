-- One row per current fork of an org repo: the fork's own repository, keyed by its id.
{{ config(materialized='table') }}

with source as (
    select * from {{ source('github', 'forks') }}
),

listings as (
    select owner_id as repo_id, max(retrieved_at) as listed_at
    from {{ source('github', 'listings') }}
    where list = 'forks'
    group by owner_id
),

latest as (
    select *
    from source
    qualify row_number() over (partition by repo_id, fork_id order by retrieved_at desc, sync_id desc) = 1
),

final as (
    select
        latest.fork_id,
        latest.repo_id,
        latest.payload ->> '$.full_name' as fork_full_name,
        latest.payload ->> '$.html_url' as fork_html_url,
        cast(latest.payload ->> '$.owner.id' as bigint) as owner_user_id,
        latest.payload ->> '$.owner.login' as owner_login,
        cast(latest.payload ->> '$.created_at' as timestamptz) as created_at,
        latest.retrieved_at
    from latest
    left join listings using (repo_id)
    where listings.listed_at is null or latest.retrieved_at >= listings.listed_at
)

select * from final
