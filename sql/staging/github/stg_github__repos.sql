-- One row per repository: its latest snapshot, with typed columns extracted from GitHub's payload.
{{ config(materialized='table') }}

with source as (
    select * from {{ source('github', 'repos') }}
),

latest as (
    select *
    from source
    qualify row_number() over (partition by repo_id order by retrieved_at desc, sync_id desc) = 1
),

final as (
    select
        repo_id,
        payload ->> '$.owner.login' as org,
        payload ->> '$.name' as repo_name,
        payload ->> '$.full_name' as full_name,
        payload ->> '$.description' as description,
        payload ->> '$.language' as language,
        payload ->> '$.html_url' as html_url,
        cast(payload ->> '$.stargazers_count' as bigint) as stargazers_count,
        cast(payload ->> '$.forks_count' as bigint) as forks_count,
        cast(payload ->> '$.open_issues_count' as bigint) as open_issues_count,
        cast(payload ->> '$.archived' as boolean) as is_archived,
        cast(payload ->> '$.fork' as boolean) as is_fork,
        cast(payload ->> '$.created_at' as timestamptz) as created_at,
        cast(payload ->> '$.pushed_at' as timestamptz) as pushed_at,
        retrieved_at
    from latest
)

select * from final
