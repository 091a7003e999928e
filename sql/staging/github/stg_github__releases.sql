-- One row per release: its latest snapshot.
{{ config(materialized='incremental', unique_key='repo_id,release_id') }}

with source as (
    select * from {{ source('github', 'releases') }}
),

latest as (
    select *
    from source
    qualify row_number() over (partition by repo_id, release_id order by retrieved_at desc, sync_id desc) = 1
),

final as (
    select
        release_id,
        repo_id,
        payload ->> '$.tag_name' as tag_name,
        payload ->> '$.name' as release_name,
        payload ->> '$.html_url' as html_url,
        cast(payload ->> '$.author.id' as bigint) as author_user_id,
        payload ->> '$.author.login' as author_login,
        cast(payload ->> '$.draft' as boolean) as is_draft,
        cast(payload ->> '$.prerelease' as boolean) as is_prerelease,
        cast(payload ->> '$.created_at' as timestamptz) as created_at,
        cast(payload ->> '$.published_at' as timestamptz) as published_at,
        retrieved_at
    from latest
)

select * from final
