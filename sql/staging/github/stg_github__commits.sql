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

-- The payload is parsed once, into the fields below (as text, cast here: the values payload ->> '$.field'
-- gives).
parsed as (
    select
        repo_id,
        sha,
        retrieved_at,
        json_transform(payload, '{
            "messageHeadline": "VARCHAR", "url": "VARCHAR", "additions": "VARCHAR", "deletions": "VARCHAR",
            "changedFiles": "VARCHAR", "authoredDate": "VARCHAR", "committedDate": "VARCHAR",
            "author": {"name": "VARCHAR", "email": "VARCHAR", "user": {"databaseId": "VARCHAR", "login": "VARCHAR"}}
        }') as fields
    from latest
),

final as (
    select
        repo_id,
        sha,
        fields.messageHeadline as message_headline,
        fields.url as html_url,
        fields.author.name as author_name,
        fields.author.email as author_email,
        cast(fields.author.user.databaseId as bigint) as author_user_id,
        fields.author.user.login as author_login,
        cast(fields.additions as bigint) as additions,
        cast(fields.deletions as bigint) as deletions,
        cast(fields.changedFiles as bigint) as changed_files,
        cast(fields.authoredDate as timestamptz) as authored_at,
        cast(fields.committedDate as timestamptz) as committed_at,
        retrieved_at
    from parsed
)

select * from final
