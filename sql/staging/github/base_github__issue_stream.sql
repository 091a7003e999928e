-- GitHub's issues stream (issues and pull requests alike): the latest snapshot of each, minus those a
-- later complete listing of the repo no longer contains (deleted issues), with its author resolved.
-- A deleted account's items are authored by "ghost": GitHub says so in payloads fetched after the
-- deletion (user ghost, id 10137); for those fetched before (their updated_at does not change, so
-- they are not fetched again) the account's own record says it was deleted. Either way the author
-- keeps the account's id when any snapshot of the item knew it (base_github__issue_snapshots).
{{ config(materialized='table') }}

with latest as (
    select * from {{ ref('base_github__issue_snapshots') }}
),

listings as (
    select owner_id as repo_id, max(retrieved_at) as listed_at
    from {{ source('github', 'listings') }}
    where list = 'issues'
    group by owner_id
),

-- Accounts whose latest profile says deleted: stg_github__users has it typed (parsing the raw profiles'
-- payloads again here took as long as the rest of the model).
deleted_users as (
    select user_id from {{ ref('stg_github__users') }} where is_deleted
),

final as (
    select
        latest.issue_id,
        latest.repo_id,
        latest.number,
        latest.title,
        latest.body,
        latest.state,
        latest.html_url,
        coalesce(latest.known_author_user_id, latest.payload_user_id) as author_user_id,
        case
            when latest.payload_user_login = 'ghost' or deleted_users.user_id is not null then 'ghost'
            else latest.payload_user_login
        end as author_login,
        latest.comments,
        latest.labels,
        latest.created_at,
        latest.updated_at,
        latest.closed_at,
        latest.is_pull_request,
        latest.merged_at,
        latest.retrieved_at
    from latest
    left join listings using (repo_id)
    left join deleted_users
        on deleted_users.user_id = coalesce(latest.known_author_user_id, latest.payload_user_id)
    where listings.listed_at is null or latest.retrieved_at >= listings.listed_at
)

select * from final
