-- "Now" for every model that asks how old something is or which week or month it is: the latest
-- retrieved_at in the synced data, i.e. the moment of the last sync. The marts then describe the data
-- as of that sync, a rebuild of the same data gives the same marts, and tests pin "now" by choosing
-- their retrieved_at. Only when nothing was ever synced does it fall back to the build's clock.
{{ config(materialized='table') }}

with repos as (
    select retrieved_at from {{ ref('stg_github__repos') }}
),

stargazers as (
    select retrieved_at from {{ ref('stg_github__stargazers') }}
),

forks as (
    select retrieved_at from {{ ref('stg_github__forks') }}
),

issues as (
    select retrieved_at from {{ ref('stg_github__issues') }}
),

pull_requests as (
    select retrieved_at from {{ ref('stg_github__pull_requests') }}
),

commits as (
    select retrieved_at from {{ ref('stg_github__commits') }}
),

users as (
    select retrieved_at from {{ ref('stg_github__users') }}
),

followers as (
    select retrieved_at from {{ ref('stg_github__followers') }}
),

retrievals as (
    select retrieved_at from repos
    union all select retrieved_at from stargazers
    union all select retrieved_at from forks
    union all select retrieved_at from issues
    union all select retrieved_at from pull_requests
    union all select retrieved_at from commits
    union all select retrieved_at from users
    union all select retrieved_at from followers
),

latest as (
    select coalesce(max(retrieved_at), current_timestamp) as now_at
    from retrievals
),

final as (
    select
        now_at,
        cast(timezone('UTC', now_at) as date) as today,
        cast(date_trunc('week', timezone('UTC', now_at)) as date) as current_week_start,
        cast(date_trunc('month', timezone('UTC', now_at)) as date) as current_month_start
    from latest
)

select * from final
