-- Edges of the stargazer network: user starred repo, one per current star, between the nodes of
-- network_stargazer_nodes. Ids only: the pages take labels from the nodes.
{{ config(materialized='table') }}

with stargazers as (
    select * from {{ ref('stg_github__stargazers') }}
),

nodes as (
    select * from {{ ref('network_stargazer_nodes') }}
),

final as (
    select
        'user:' || stargazers.user_id as user_node_id,
        'repo:' || stargazers.repo_id as repo_node_id,
        stargazers.user_id,
        stargazers.repo_id,
        stargazers.starred_at
    from stargazers
    -- By id: only repo nodes have a repo_id and only user nodes a user_id (tested), and joining integers
    -- is cheaper than joining the node_id strings.
    inner join nodes as repo_nodes on repo_nodes.repo_id = stargazers.repo_id
    inner join nodes as user_nodes on user_nodes.user_id = stargazers.user_id
)

select * from final
