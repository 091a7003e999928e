-- The latest snapshot of every follow edge ever synced, with the follower's login: what
-- stg_github__followers filters by the complete listings and deleted accounts. Incremental: a sync
-- recomputes only the edges it brought (see ARCHITECTURE.md).
{{ config(materialized='incremental', unique_key='user_id,follower_id') }}

with source as (
    select * from {{ source('github', 'followers') }}
),

-- The login is taken before choosing the latest snapshot, so the window sorts keys and logins rather
-- than whole payloads.
final as (
    select user_id, follower_id, payload ->> '$.login' as follower_login, retrieved_at
    from source
    qualify row_number() over (partition by user_id, follower_id order by retrieved_at desc, sync_id desc) = 1
)

select * from final
