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

-- The payload is parsed once, into the fields below (as text, cast here: the values payload ->> '$.field'
-- gives).
parsed as (
    select
        user_id,
        retrieved_at,
        json_transform(payload, '{
            "login": "VARCHAR", "name": "VARCHAR", "company": "VARCHAR", "location": "VARCHAR", "bio": "VARCHAR",
            "avatarUrl": "VARCHAR", "url": "VARCHAR", "followers": {"totalCount": "VARCHAR"},
            "following": {"totalCount": "VARCHAR"}, "createdAt": "VARCHAR", "deleted": "VARCHAR"
        }') as fields
    from latest
),

final as (
    select
        user_id,
        coalesce(fields.login, 'ghost') as login,
        fields.name as user_name,
        fields.company as company,
        fields.location as location,
        fields.bio as bio,
        fields.avatarUrl as avatar_url,
        fields.url as html_url,
        cast(fields.followers.totalCount as bigint) as followers_count,
        cast(fields.following.totalCount as bigint) as following_count,
        cast(fields.createdAt as timestamptz) as created_at,
        coalesce(cast(fields.deleted as boolean), false) as is_deleted,
        retrieved_at
    from parsed
)

select * from final
