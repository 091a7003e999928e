-- One row per repo and ISO week (Monday week_start, UTC), from the week of the repo's creation or of its
-- first event, whichever is earlier, through the current week (is_partial_week). For each metric: its
-- value at the end of the week (`stars`: cumulative state, not the week's maximum) and its change during
-- the week (`stars_change`); a week without events carries the value with a change of 0. Stars and
-- forks are rebuilt from the current lists (an unstar removes that star from every week), open issues
-- exclude pull requests, lines are the commits' additions and deletions. Events after "now"
-- (int_clock) are left out.
{{ config(materialized='table') }}

with repos as (
    select * from {{ ref('stg_github__repos') }}
),

clock as (
    select * from {{ ref('int_clock') }}
),

metric_changes as (
    select * from {{ ref('int_repo_metric_changes_unioned') }}
),

weekly_changes as (
    select
        metric_changes.repo_id,
        cast(date_trunc('week', timezone('UTC', metric_changes.changed_at)) as date) as week_start,
        cast(sum(stars_change) as bigint) as stars_change,
        cast(sum(forks_change) as bigint) as forks_change,
        cast(sum(open_issues_change) as bigint) as open_issues_change,
        cast(sum(open_pull_requests_change) as bigint) as open_pull_requests_change,
        cast(sum(commits_change) as bigint) as commits_change,
        cast(sum(lines_added_change) as bigint) as lines_added_change,
        cast(sum(lines_deleted_change) as bigint) as lines_deleted_change
    from metric_changes
    cross join clock
    where metric_changes.changed_at <= clock.now_at
    group by all
),

repo_first_weeks as (
    select
        repos.repo_id,
        repos.repo_name,
        least(
            cast(date_trunc('week', timezone('UTC', repos.created_at)) as date),
            min(weekly_changes.week_start)
        ) as first_week_start
    from repos
    left join weekly_changes on weekly_changes.repo_id = repos.repo_id
    group by repos.repo_id, repos.repo_name, repos.created_at
),

weeks as (
    select
        repo_first_weeks.repo_id,
        repo_first_weeks.repo_name,
        clock.current_week_start,
        unnest(generate_series(
            cast(repo_first_weeks.first_week_start as timestamp),
            cast(clock.current_week_start as timestamp),
            interval 7 day
        )) as week_start_ts
    from repo_first_weeks
    cross join clock
    where repo_first_weeks.first_week_start is not null
),

filled as (
    select
        weeks.repo_id,
        weeks.repo_name,
        cast(weeks.week_start_ts as date) as week_start,
        cast(weeks.week_start_ts as date) = weeks.current_week_start as is_partial_week,
        coalesce(weekly_changes.stars_change, 0) as stars_change,
        coalesce(weekly_changes.forks_change, 0) as forks_change,
        coalesce(weekly_changes.open_issues_change, 0) as open_issues_change,
        coalesce(weekly_changes.open_pull_requests_change, 0) as open_pull_requests_change,
        coalesce(weekly_changes.commits_change, 0) as commits_change,
        coalesce(weekly_changes.lines_added_change, 0) as lines_added_change,
        coalesce(weekly_changes.lines_deleted_change, 0) as lines_deleted_change
    from weeks
    left join weekly_changes
        on weekly_changes.repo_id = weeks.repo_id
        and weekly_changes.week_start = cast(weeks.week_start_ts as date)
),

final as (
    select
        repo_id,
        repo_name,
        week_start,
        cast(week_start + 6 as date) as week_end,
        is_partial_week,
        cast(sum(stars_change) over running as bigint) as stars,
        stars_change,
        cast(sum(forks_change) over running as bigint) as forks,
        forks_change,
        cast(sum(open_issues_change) over running as bigint) as open_issues,
        open_issues_change,
        cast(sum(open_pull_requests_change) over running as bigint) as open_pull_requests,
        open_pull_requests_change,
        cast(sum(commits_change) over running as bigint) as commits,
        commits_change,
        cast(sum(lines_added_change) over running as bigint) as lines_added,
        lines_added_change,
        cast(sum(lines_deleted_change) over running as bigint) as lines_deleted,
        lines_deleted_change
    from filled
    window running as (partition by repo_id order by week_start rows between unbounded preceding and current row)
)

select * from final
