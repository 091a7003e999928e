-- One row per current star: the latest snapshot of each (repo, user), minus stars that a later
-- complete listing of the repo's stargazers no longer contains (unstars).
{{ config(materialized='table') }}

with source as (
    select * from {{ source('github', 'stargazers') }}
),

listings as (
    select owner_id as repo_id, max(retrieved_at) as listed_at
    from {{ source('github', 'listings') }}
    where list = 'stargazers'
    group by owner_id
),

latest as (
    select *
    from source
    qualify row_number() over (partition by repo_id, user_id order by retrieved_at desc, sync_id desc) = 1
),

final as (
    select
        latest.repo_id,
        latest.user_id,
        latest.payload ->> '$.user.login' as user_login,
        cast(latest.payload ->> '$.starred_at' as timestamptz) as starred_at,
        latest.retrieved_at
    from latest
    left join listings using (repo_id)
    where listings.listed_at is null or latest.retrieved_at >= listings.listed_at
)

select * from final
