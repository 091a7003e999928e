-- One row per pull request, from the issues stream (GitHub lists PRs there with a pull_request object).
{{ config(materialized='table') }}

with source as (
    select * from {{ source('github', 'issues') }}
),

listings as (
    select owner_id as repo_id, max(retrieved_at) as listed_at
    from {{ source('github', 'listings') }}
    where list = 'issues'
    group by owner_id
),

-- Accounts deleted since: GitHub shows their issues and pull requests as authored by "ghost", also the
-- ones fetched before the deletion (their updated_at does not change, so they are not fetched again).
deleted_users as (
    select user_id
    from {{ source('github', 'users') }}
    qualify row_number() over (partition by user_id order by retrieved_at desc, sync_id desc) = 1
        and coalesce(cast(payload ->> '$.deleted' as boolean), false)
),

latest as (
    select *
    from source
    qualify row_number() over (partition by repo_id, issue_id order by retrieved_at desc, sync_id desc) = 1
),

final as (
    select
        latest.issue_id as pull_request_id,
        latest.repo_id,
        cast(latest.payload ->> '$.number' as bigint) as pull_request_number,
        latest.payload ->> '$.title' as title,
        latest.payload ->> '$.body' as body,
        latest.payload ->> '$.state' as state,
        latest.payload ->> '$.html_url' as html_url,
        cast(latest.payload ->> '$.user.id' as bigint) as author_user_id,
        case when deleted_users.user_id is null then latest.payload ->> '$.user.login' else 'ghost' end as author_login,
        cast(latest.payload ->> '$.comments' as bigint) as comments,
        cast(latest.payload ->> '$.created_at' as timestamptz) as created_at,
        cast(latest.payload ->> '$.updated_at' as timestamptz) as updated_at,
        cast(latest.payload ->> '$.closed_at' as timestamptz) as closed_at,
        cast(latest.payload ->> '$.pull_request.merged_at' as timestamptz) as merged_at,
        latest.retrieved_at
    from latest
    left join listings using (repo_id)
    left join deleted_users on deleted_users.user_id = cast(latest.payload ->> '$.user.id' as bigint)
    where (listings.listed_at is null or latest.retrieved_at >= listings.listed_at)
        and coalesce(json_type(latest.payload, '$.pull_request'), 'NULL') <> 'NULL'
)

select * from final
