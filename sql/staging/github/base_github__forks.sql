-- The latest snapshot of every fork ever synced, typed: what stg_github__forks filters by the complete
-- listings. Incremental: a sync recomputes only the forks it brought (see ARCHITECTURE.md); a fork's
-- payload is a whole repository object, so parsing all of them again was most of a build's fork work.
{{ config(materialized='incremental', unique_key='repo_id,fork_id') }}

with source as (
    select * from {{ source('github', 'forks') }}
),

-- The payload is parsed once per row, into the fields used (the values payload ->> '$.field' gives).
latest as (
    select
        repo_id,
        fork_id,
        retrieved_at,
        json_transform(
            payload,
            '{"full_name": "VARCHAR", "html_url": "VARCHAR", "owner": {"id": "VARCHAR", "login": "VARCHAR"}, "created_at": "VARCHAR"}'
        ) as fields
    from source
    qualify row_number() over (partition by repo_id, fork_id order by retrieved_at desc, sync_id desc) = 1
),

final as (
    select
        fork_id,
        repo_id,
        fields.full_name as fork_full_name,
        fields.html_url as fork_html_url,
        cast(fields.owner.id as bigint) as owner_user_id,
        fields.owner.login as owner_login,
        cast(fields.created_at as timestamptz) as created_at,
        retrieved_at
    from latest
)

select * from final
