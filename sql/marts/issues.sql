-- Open issues (pull requests are not issues and are not here, whatever staging says), with their age in whole days as of
-- "now" (int_clock). The author is the profile's login when fetched ('ghost' for a deleted account),
-- else the login the issue carried.
{{ config(materialized='table') }}

with issues as (
    select * from {{ ref('stg_github__issues') }}
),

pull_requests as (
    select * from {{ ref('stg_github__pull_requests') }}
),

repos as (
    select * from {{ ref('stg_github__repos') }}
),

users as (
    select * from {{ ref('stg_github__users') }}
),

clock as (
    select * from {{ ref('int_clock') }}
),

final as (
    select
        issues.issue_id,
        issues.repo_id,
        repos.repo_name,
        issues.issue_number,
        issues.title,
        coalesce(issues.body, '') as body,
        issues.author_user_id,
        coalesce(users.login, issues.author_login) as author_login,
        coalesce(issues.labels, []) as labels,
        coalesce(issues.comments, 0) as comments,
        issues.created_at,
        cast(floor((epoch(clock.now_at) - epoch(issues.created_at)) / 86400) as bigint) as age_days,
        issues.html_url as link
    from issues
    inner join repos on repos.repo_id = issues.repo_id
    cross join clock
    left join users on users.user_id = issues.author_user_id
    where issues.state = 'open'
        and issues.issue_id not in (select pull_request_id from pull_requests)
)

select * from final
