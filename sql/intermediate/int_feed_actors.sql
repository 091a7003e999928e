-- The user columns the feed shows, by user_id: what feed_events rebuilds a user's events for when it
-- changes (a new login or name, a deleted account), so that a sync refreshing profiles' follower
-- counts does not rebuild the whole feed.
{{ config(materialized='view') }}

with users as (
    select * from {{ ref('stg_github__users') }}
),

final as (
    select user_id, login, user_name from users
)

select * from final
