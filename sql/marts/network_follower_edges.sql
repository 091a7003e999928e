-- Edges of the follower network: follower_user_id follows followed_user_id, both org users (profiles
-- fetched, accounts not deleted); is_mutual when the reverse edge exists too. Ids only: the pages take
-- logins from network_follower_nodes, and the 900k edges are rewritten after every sync.
{{ config(materialized='table') }}

with followers as (
    select * from {{ ref('stg_github__followers') }}
),

users as (
    select * from {{ ref('stg_github__users') }}
),

org_users as (
    select user_id from users where not is_deleted
),

internal as (
    select
        followers.follower_id as follower_user_id,
        followers.user_id as followed_user_id
    from followers
    inner join org_users as follower_users on follower_users.user_id = followers.follower_id
    inner join org_users as followed_users on followed_users.user_id = followers.user_id
    where followers.follower_id <> followers.user_id
),

final as (
    select
        internal.follower_user_id,
        internal.followed_user_id,
        exists (
            select 1 from internal as reversed
            where reversed.follower_user_id = internal.followed_user_id
                and reversed.followed_user_id = internal.follower_user_id
        ) as is_mutual
    from internal
)

select * from final
