-- Nodes of the stargazer network: every repo, and every user who stars at least one of them. A user is
-- grouped (coloured) with the repo they starred first; users who starred several repos connect those
-- repos through network_stargazer_edges. Users without a fetched profile are kept, with no name and no
-- follower count.
{{ config(materialized='table') }}

with repos as (
    select * from {{ ref('stg_github__repos') }}
),

stargazers as (
    select * from {{ ref('stg_github__stargazers') }}
),

users as (
    select * from {{ ref('stg_github__users') }}
),

stars as (
    select stargazers.user_id, stargazers.user_login, stargazers.starred_at, repos.repo_id, repos.repo_name
    from stargazers
    inner join repos on repos.repo_id = stargazers.repo_id
),

repo_stars as (
    select repo_id, cast(count(user_id) as bigint) as stargazers
    from stars
    group by repo_id
),

repo_nodes as (
    select
        'repo:' || repos.repo_id as node_id,
        'repo' as node_type,
        repos.repo_id,
        cast(null as bigint) as user_id,
        repos.repo_name as label,
        cast(null as varchar) as user_name,
        cast(null as bigint) as followers_count,
        coalesce(repo_stars.stargazers, 0) as stargazers,
        cast(null as bigint) as starred_repos,
        repos.repo_name as group_repo_name,
        repos.html_url as link
    from repos
    left join repo_stars on repo_stars.repo_id = repos.repo_id
),

user_stars as (
    select
        user_id,
        any_value(user_login) as user_login,
        cast(count(*) as bigint) as starred_repos,
        arg_min(repo_name, (starred_at, repo_name)) as first_starred_repo_name
    from stars
    group by user_id
),

user_nodes as (
    select
        'user:' || user_stars.user_id,
        'user',
        cast(null as bigint),
        user_stars.user_id,
        coalesce(users.login, user_stars.user_login),
        users.user_name,
        users.followers_count,
        cast(null as bigint),
        user_stars.starred_repos,
        user_stars.first_starred_repo_name,
        'https://github.com/' || coalesce(users.login, user_stars.user_login)
    from user_stars
    left join users on users.user_id = user_stars.user_id
),

final as (
    select * from repo_nodes
    union all
    select * from user_nodes
)

select * from final
