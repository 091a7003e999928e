-- One row per current fork of an org repo: the fork's own repository, keyed by its id (the latest
-- snapshots of base_github__forks, minus forks that a later complete listing of the repo no longer had).
{{ config(materialized='table') }}

with latest as (
    select * from {{ ref('base_github__forks') }}
),

listings as (
    select owner_id as repo_id, max(retrieved_at) as listed_at
    from {{ source('github', 'listings') }}
    where list = 'forks'
    group by owner_id
),

final as (
    select
        latest.fork_id,
        latest.repo_id,
        latest.fork_full_name,
        latest.fork_html_url,
        latest.owner_user_id,
        latest.owner_login,
        latest.created_at,
        latest.retrieved_at
    from latest
    left join listings using (repo_id)
    where listings.listed_at is null or latest.retrieved_at >= listings.listed_at
)

select * from final
