-- One row per commit on a repo's default branch (GraphQL history node), with its line counts.
{{ config(materialized='incremental', unique_key='repo_id,sha') }}

with source as (
    select * from {{ source('github', 'commits') }}
),

latest as (
    select *
    from source
    qualify row_number() over (partition by repo_id, sha order by retrieved_at desc, sync_id desc) = 1
),

final as (
    select
        repo_id,
        sha,
        payload ->> '$.messageHeadline' as message_headline,
        payload ->> '$.url' as html_url,
        payload ->> '$.author.name' as author_name,
        payload ->> '$.author.email' as author_email,
        cast(payload ->> '$.author.user.databaseId' as bigint) as author_user_id,
        payload ->> '$.author.user.login' as author_login,
        cast(payload ->> '$.additions' as bigint) as additions,
        cast(payload ->> '$.deletions' as bigint) as deletions,
        cast(payload ->> '$.changedFiles' as bigint) as changed_files,
        cast(payload ->> '$.authoredDate' as timestamptz) as authored_at,
        cast(payload ->> '$.committedDate' as timestamptz) as committed_at,
        retrieved_at
    from latest
)

select * from final
