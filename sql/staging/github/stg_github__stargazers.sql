-- One row per current star: the latest snapshot of each (repo, user), minus stars that a later
-- complete listing of the repo's stargazers no longer contains (unstars).
{{ config(materialized='table') }}

with latest as (
    select * from {{ ref('base_github__stargazers') }}
),

listings as (
    select owner_id as repo_id, max(retrieved_at) as listed_at
    from {{ source('github', 'listings') }}
    where list = 'stargazers'
    group by owner_id
),

final as (
    select
        latest.repo_id,
        latest.user_id,
        latest.user_login,
        latest.starred_at,
        latest.retrieved_at
    from latest
    left join listings using (repo_id)
    where listings.listed_at is null or latest.retrieved_at >= listings.listed_at
)

select * from final
