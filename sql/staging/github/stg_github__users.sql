-- One row per user who interacted with the org: the latest profile; deleted accounts flagged.
{{ config(materialized='incremental', unique_key='user_id') }}

with source as (
    select * from {{ source('github', 'users') }}
),

latest as (
    select *
    from source
    qualify row_number() over (partition by user_id order by retrieved_at desc, sync_id desc) = 1
),

final as (
    select
        user_id,
        coalesce(payload ->> '$.login', 'ghost') as login,
        payload ->> '$.name' as user_name,
        payload ->> '$.company' as company,
        payload ->> '$.location' as location,
        payload ->> '$.bio' as bio,
        payload ->> '$.avatarUrl' as avatar_url,
        payload ->> '$.url' as html_url,
        cast(payload ->> '$.followers.totalCount' as bigint) as followers_count,
        cast(payload ->> '$.following.totalCount' as bigint) as following_count,
        cast(payload ->> '$.createdAt' as timestamptz) as created_at,
        coalesce(cast(payload ->> '$.deleted' as boolean), false) as is_deleted,
        retrieved_at
    from latest
)

select * from final
