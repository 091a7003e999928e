-- Per repo, its issues (pull requests excluded, except open_pull_requests) as of "now" (int_clock):
-- open issues and the median of their ages in whole days; issues opened and closed during the current
-- calendar month (UTC), whether or not still open; open pull requests; and the median time to close,
-- in days, of the issues closed in the last 90 days. A median over no issues is null.
{{ config(materialized='table') }}

with repos as (
    select * from {{ ref('stg_github__repos') }}
),

issues as (
    select * from {{ ref('stg_github__issues') }}
),

pull_requests as (
    select * from {{ ref('stg_github__pull_requests') }}
),

clock as (
    select * from {{ ref('int_clock') }}
),

issue_facts as (
    select
        issues.repo_id,
        issues.state = 'open' as is_open,
        floor((epoch(clock.now_at) - epoch(issues.created_at)) / 86400) as age_days,
        cast(date_trunc('month', timezone('UTC', issues.created_at)) as date) = clock.current_month_start
            as is_opened_this_month,
        issues.state = 'closed'
            and cast(date_trunc('month', timezone('UTC', issues.closed_at)) as date) = clock.current_month_start
            as is_closed_this_month,
        issues.state = 'closed'
            and issues.closed_at > clock.now_at - interval 90 day
            and issues.closed_at <= clock.now_at
            as is_closed_last_90d,
        (epoch(issues.closed_at) - epoch(issues.created_at)) / 86400 as days_to_close
    from issues
    cross join clock
),

issue_stats as (
    select
        repo_id,
        count(*) filter (where is_open) as open_issues,
        median(age_days) filter (where is_open) as median_age_days,
        count(*) filter (where is_opened_this_month) as opened_this_month,
        count(*) filter (where is_closed_this_month) as closed_this_month,
        median(days_to_close) filter (where is_closed_last_90d) as median_days_to_close_last_90d
    from issue_facts
    group by repo_id
),

pull_request_stats as (
    select
        repo_id,
        count(*) filter (where state = 'open') as open_pull_requests
    from pull_requests
    group by repo_id
),

final as (
    select
        repos.repo_id,
        repos.repo_name,
        cast(coalesce(issue_stats.open_issues, 0) as bigint) as open_issues,
        cast(issue_stats.median_age_days as double) as median_age_days,
        cast(coalesce(issue_stats.opened_this_month, 0) as bigint) as opened_this_month,
        cast(coalesce(issue_stats.closed_this_month, 0) as bigint) as closed_this_month,
        cast(coalesce(pull_request_stats.open_pull_requests, 0) as bigint) as open_pull_requests,
        cast(issue_stats.median_days_to_close_last_90d as double) as median_days_to_close_last_90d
    from repos
    left join issue_stats on issue_stats.repo_id = repos.repo_id
    left join pull_request_stats on pull_request_stats.repo_id = repos.repo_id
)

select * from final
