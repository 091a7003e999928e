-- One row per repository: its latest snapshot, with typed columns extracted from GitHub's payload,
-- minus repos that a later complete listing of the org no longer contains (deleted, transferred away).
{{ config(materialized='table') }}

with source as (
    select * from {{ source('github', 'repos') }}
),

listings as (
    select owner_id as org_id, max(retrieved_at) as listed_at
    from {{ source('github', 'listings') }}
    where list = 'repos'
    group by owner_id
),

snapshots as (
    select *
    from source
    qualify row_number() over (partition by repo_id order by retrieved_at desc, sync_id desc) = 1
),

latest as (
    select snapshots.*
    from snapshots
    left join listings on listings.org_id = cast(snapshots.payload ->> '$.owner.id' as bigint)
    where listings.listed_at is null or snapshots.retrieved_at >= listings.listed_at
),

final as (
    select
        repo_id,
        payload ->> '$.owner.login' as org,
        payload ->> '$.name' as repo_name,
        payload ->> '$.full_name' as full_name,
        payload ->> '$.description' as description,
        payload ->> '$.language' as language,
        payload ->> '$.license.spdx_id' as license,
        coalesce(from_json(payload -> '$.topics', '["VARCHAR"]'), []) as topics,
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
