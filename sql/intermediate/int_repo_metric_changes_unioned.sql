-- One row per thing that changed a repo metric, with the change it made: +1 star, +1 fork, +1/-1
-- open issue or open pull request (opened, closed), +1 commit and its lines added and deleted. Stars
-- and forks come from the current lists, so an unstar or a deleted fork erases that event from history
-- (GitHub does not say when a star was taken back).
{{ config(materialized='table') }}

with stargazers as (
    select * from {{ ref('stg_github__stargazers') }}
),

forks as (
    select * from {{ ref('stg_github__forks') }}
),

issues as (
    select * from {{ ref('stg_github__issues') }}
),

pull_requests as (
    select * from {{ ref('stg_github__pull_requests') }}
),

commits as (
    select * from {{ ref('stg_github__commits') }}
),

-- An issue or PR counts as closed only while its state says so (a reopened one is open again).
issue_spans as (
    select
        repo_id,
        created_at,
        case when state = 'closed' then coalesce(closed_at, updated_at) end as closed_at
    from issues
),

pull_request_spans as (
    select
        repo_id,
        created_at,
        case when state = 'closed' then coalesce(closed_at, updated_at) end as closed_at
    from pull_requests
),

changes as (
    select repo_id, starred_at as changed_at, 'star' as change_type, 1 as delta, 0 as additions, 0 as deletions
    from stargazers
    union all
    select repo_id, created_at, 'fork', 1, 0, 0 from forks
    union all
    select repo_id, created_at, 'issue', 1, 0, 0 from issue_spans
    union all
    select repo_id, closed_at, 'issue', -1, 0, 0 from issue_spans where closed_at is not null
    union all
    select repo_id, created_at, 'pull_request', 1, 0, 0 from pull_request_spans
    union all
    select repo_id, closed_at, 'pull_request', -1, 0, 0 from pull_request_spans where closed_at is not null
    union all
    select repo_id, committed_at, 'commit', 1, coalesce(additions, 0), coalesce(deletions, 0) from commits
),

final as (
    select
        repo_id,
        changed_at,
        cast(case when change_type = 'star' then delta else 0 end as bigint) as stars_change,
        cast(case when change_type = 'fork' then delta else 0 end as bigint) as forks_change,
        cast(case when change_type = 'issue' then delta else 0 end as bigint) as open_issues_change,
        cast(case when change_type = 'pull_request' then delta else 0 end as bigint) as open_pull_requests_change,
        cast(case when change_type = 'commit' then delta else 0 end as bigint) as commits_change,
        cast(additions as bigint) as lines_added_change,
        cast(deletions as bigint) as lines_deleted_change
    from changes
)

select * from final
