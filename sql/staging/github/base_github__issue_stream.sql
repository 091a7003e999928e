-- GitHub's issues stream (issues and pull requests alike): the latest snapshot of each, minus those a
-- later complete listing of the repo no longer contains (deleted issues), with its author resolved.
-- A deleted account's items are authored by "ghost": GitHub says so in payloads fetched after the
-- deletion (user ghost, id 10137); for those fetched before (their updated_at does not change, so
-- they are not fetched again) the account's own record says it was deleted. Either way the author
-- keeps the account's id when any snapshot of the item knew it.
{{ config(materialized='table') }}

-- Each payload is parsed once, into the fields used below (as text, cast where they are selected; the
-- same values payload ->> '$.field' gives, at a tenth of the cost of parsing it once per field).
with parsed as (
    select
        repo_id,
        issue_id,
        retrieved_at,
        sync_id,
        payload,
        json_transform(payload, '{
            "number": "VARCHAR", "title": "VARCHAR", "body": "VARCHAR", "state": "VARCHAR", "html_url": "VARCHAR",
            "user": {"id": "VARCHAR", "login": "VARCHAR"}, "comments": "VARCHAR", "created_at": "VARCHAR",
            "updated_at": "VARCHAR", "closed_at": "VARCHAR", "pull_request": "JSON"
        }') as fields
    from {{ source('github', 'issues') }}
),

source as (
    select
        *,
        cast(fields.user.id as bigint) as payload_user_id,
        fields.user.login as payload_user_login
    from parsed
),

listings as (
    select owner_id as repo_id, max(retrieved_at) as listed_at
    from {{ source('github', 'listings') }}
    where list = 'issues'
    group by owner_id
),

deleted_users as (
    select user_id
    from {{ source('github', 'users') }}
    qualify row_number() over (partition by user_id order by retrieved_at desc, sync_id desc) = 1
        and coalesce(cast(payload ->> '$.deleted' as boolean), false)
),

-- The newest author id a snapshot named that was not GitHub's ghost.
known_authors as (
    select repo_id, issue_id, arg_max(payload_user_id, retrieved_at) as author_user_id
    from source
    where payload_user_login is distinct from 'ghost'
    group by repo_id, issue_id
),

latest as (
    select *
    from source
    qualify row_number() over (partition by repo_id, issue_id order by retrieved_at desc, sync_id desc) = 1
),

final as (
    select
        latest.issue_id,
        latest.repo_id,
        cast(latest.fields.number as bigint) as number,
        latest.fields.title as title,
        latest.fields.body as body,
        latest.fields.state as state,
        latest.fields.html_url as html_url,
        coalesce(known_authors.author_user_id, latest.payload_user_id) as author_user_id,
        case
            when latest.payload_user_login = 'ghost' or deleted_users.user_id is not null then 'ghost'
            else latest.payload_user_login
        end as author_login,
        cast(latest.fields.comments as bigint) as comments,
        cast(json_extract_string(latest.payload, '$.labels[*].name') as varchar[]) as labels,
        cast(latest.fields.created_at as timestamptz) as created_at,
        cast(latest.fields.updated_at as timestamptz) as updated_at,
        cast(latest.fields.closed_at as timestamptz) as closed_at,
        latest.fields.pull_request is not null as is_pull_request,
        cast(latest.fields.pull_request ->> '$.merged_at' as timestamptz) as merged_at,
        latest.retrieved_at
    from latest
    left join listings using (repo_id)
    left join known_authors using (repo_id, issue_id)
    left join deleted_users
        on deleted_users.user_id = coalesce(known_authors.author_user_id, latest.payload_user_id)
    where listings.listed_at is null or latest.retrieved_at >= listings.listed_at
)

select * from final
