-- One row per current follow edge (follower_id follows user_id) among the org's users. A deleted
-- account follows nobody and has no followers (GitHub drops its edges with it). A view: only
-- network_follower_edges and int_clock read it, and storing its 900k rows (and testing them) took a
-- third of the build after a sync; its rows are base_github__followers' rows, filtered, and are tested
-- there.
{{ config(materialized='view') }}

with latest as (
    select * from {{ ref('base_github__followers') }}
),

listings as (
    select owner_id as user_id, max(retrieved_at) as listed_at
    from {{ source('github', 'listings') }}
    where list = 'followers'
    group by owner_id
),

-- Accounts whose latest profile says deleted: stg_github__users has it typed (parsing the raw profiles'
-- payloads again here took as long as the rest of the model).
deleted_users as (
    select user_id from {{ ref('stg_github__users') }} where is_deleted
),

final as (
    select
        latest.user_id,
        latest.follower_id,
        latest.follower_login,
        latest.retrieved_at
    from latest
    left join listings using (user_id)
    where (listings.listed_at is null or latest.retrieved_at >= listings.listed_at)
        and latest.user_id not in (select user_id from deleted_users)
        and latest.follower_id not in (select user_id from deleted_users)
)

select * from final
