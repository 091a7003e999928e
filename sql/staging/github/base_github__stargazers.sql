-- The latest snapshot of every star ever synced, typed: what stg_github__stargazers filters by the
-- complete listings. Incremental: a sync recomputes only the stars it brought (see ARCHITECTURE.md).
{{ config(materialized='incremental', unique_key='repo_id,user_id') }}

with source as (
    select * from {{ source('github', 'stargazers') }}
),

-- The payload is parsed once per row, into the two fields used (the values payload ->> '$.field' gives).
latest as (
    select
        repo_id,
        user_id,
        retrieved_at,
        json_transform(payload, '{"user": {"login": "VARCHAR"}, "starred_at": "VARCHAR"}') as fields
    from source
    qualify row_number() over (partition by repo_id, user_id order by retrieved_at desc, sync_id desc) = 1
),

final as (
    select
        repo_id,
        user_id,
        fields.user.login as user_login,
        cast(fields.starred_at as timestamptz) as starred_at,
        retrieved_at
    from latest
)

select * from final
