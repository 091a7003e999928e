-- Nodes of the follower network: the org's users (profiles fetched, accounts not deleted), with how
-- many of their followers and followees are themselves org users, and what share of their totals that
-- is (percent, 0 when the total is 0, null when unknown).
{{ config(materialized='table') }}

with users as (
    select * from {{ ref('stg_github__users') }}
),

edges as (
    select * from {{ ref('network_follower_edges') }}
),

followers_in as (
    select
        followed_user_id as user_id,
        cast(count(*) as bigint) as internal_followers
    from edges
    group by followed_user_id
),

following_out as (
    select
        follower_user_id as user_id,
        cast(count(*) as bigint) as internal_following
    from edges
    group by follower_user_id
),

counted as (
    select
        users.user_id,
        users.login,
        users.user_name,
        users.html_url,
        users.followers_count,
        users.following_count,
        coalesce(followers_in.internal_followers, 0) as internal_followers,
        coalesce(following_out.internal_following, 0) as internal_following
    from users
    left join followers_in on followers_in.user_id = users.user_id
    left join following_out on following_out.user_id = users.user_id
    where not users.is_deleted
),

final as (
    select
        user_id,
        login,
        user_name,
        coalesce(html_url, 'https://github.com/' || login) as link,
        followers_count,
        following_count,
        internal_followers,
        internal_following,
        case when followers_count > 0 then 100.0 * internal_followers / followers_count
            when followers_count = 0 then 0.0 end as internal_followers_pct,
        case when following_count > 0 then 100.0 * internal_following / following_count
            when following_count = 0 then 0.0 end as internal_following_pct
    from counted
)

select * from final
