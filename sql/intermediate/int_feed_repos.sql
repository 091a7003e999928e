-- The repo columns the feed shows, by repo_id: what feed_events rebuilds a repo's events for when it
-- changes (a rename), so that a sync refreshing every repo's counts does not rebuild the whole feed.
{{ config(materialized='view') }}

with repos as (
    select * from {{ ref('stg_github__repos') }}
),

final as (
    select repo_id, repo_name from repos
)

select * from final
