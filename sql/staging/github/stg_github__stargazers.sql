-- One row per current star: the latest snapshot of each (repo, user), minus stars that a later
-- complete listing of the repo's stargazers no longer contains (unstars).
{{ config(materialized='table') }}

with source as (
    select * from {{ source('github', 'stargazers') }}
),

listings as (
    select owner_id as repo_id, max(retrieved_at) as listed_at
    from {{ source('github', 'listings') }}
    where list = 'stargazers'
    group by owner_id
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
        latest.repo_id,
        latest.user_id,
        latest.fields.user.login as user_login,
        cast(latest.fields.starred_at as timestamptz) as starred_at,
        latest.retrieved_at
    from latest
    left join listings using (repo_id)
    where listings.listed_at is null or latest.retrieved_at >= listings.listed_at
)

select * from final
