-- Per issue or pull request ever synced: its latest snapshot, typed, and the newest author id any of its
-- snapshots named that was not GitHub's ghost. base_github__issue_stream applies the listings and
-- deleted accounts. Incremental: a sync recomputes only the issues it brought (see ARCHITECTURE.md).
{{ config(materialized='incremental', unique_key='repo_id,issue_id') }}

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

-- The newest author id a snapshot named that was not GitHub's ghost.
known_authors as (
    select repo_id, issue_id, arg_max(payload_user_id, retrieved_at) as known_author_user_id
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
        latest.payload_user_id,
        latest.payload_user_login,
        known_authors.known_author_user_id,
        cast(latest.fields.comments as bigint) as comments,
        cast(json_extract_string(latest.payload, '$.labels[*].name') as varchar[]) as labels,
        cast(latest.fields.created_at as timestamptz) as created_at,
        cast(latest.fields.updated_at as timestamptz) as updated_at,
        cast(latest.fields.closed_at as timestamptz) as closed_at,
        latest.fields.pull_request is not null as is_pull_request,
        cast(latest.fields.pull_request ->> '$.merged_at' as timestamptz) as merged_at,
        latest.retrieved_at
    from latest
    left join known_authors using (repo_id, issue_id)
)

select * from final
