-- One row per event in the org's repos, before names are attached: stars, forks, commits, issues
-- opened and closed, pull requests opened, closed (without merging) and merged. Issues and pull
-- requests come from their own staging models, so a pull request is never an issue here. Who closed
-- or merged is not in GitHub's list payloads: those events have no actor. A view: feed_events alone reads
-- it, and storing it too would write every event twice in each build.
{{ config(materialized='view') }}

with stargazers as (
    select * from {{ ref('stg_github__stargazers') }}
),

forks as (
    select * from {{ ref('stg_github__forks') }}
),

commits as (
    select * from {{ ref('stg_github__commits') }}
),

issues as (
    select * from {{ ref('stg_github__issues') }}
),

pull_requests as (
    select * from {{ ref('stg_github__pull_requests') }}
),

star_events as (
    select
        'star:' || repo_id || ':' || user_id as event_id,
        'star' as event_type,
        'starred' as action,
        repo_id,
        user_id as actor_user_id,
        user_login as actor_login,
        cast(null as varchar) as actor_git_name,
        cast(null as varchar) as title_or_message,
        starred_at as event_at,
        cast(null as varchar) as link
    from stargazers
),

fork_events as (
    select
        'fork:' || fork_id,
        'fork',
        'forked',
        repo_id,
        owner_user_id,
        owner_login,
        null,
        fork_full_name,
        created_at,
        coalesce(fork_html_url, 'https://github.com/' || fork_full_name)
    from forks
),

commit_events as (
    select
        'commit:' || repo_id || ':' || sha,
        'commit',
        'committed',
        repo_id,
        author_user_id,
        author_login,
        author_name,
        message_headline,
        committed_at,
        html_url
    from commits
),

issue_opened_events as (
    select
        'issue:' || issue_id || ':opened',
        'issue',
        'opened',
        repo_id,
        author_user_id,
        author_login,
        null,
        title,
        created_at,
        html_url
    from issues
),

issue_closed_events as (
    select
        'issue:' || issue_id || ':closed',
        'issue',
        'closed',
        repo_id,
        null,
        null,
        null,
        title,
        closed_at,
        html_url
    from issues
    where state = 'closed' and closed_at is not null
),

pull_request_opened_events as (
    select
        'pull_request:' || pull_request_id || ':opened',
        'pull_request',
        'opened',
        repo_id,
        author_user_id,
        author_login,
        null,
        title,
        created_at,
        html_url
    from pull_requests
),

pull_request_merged_events as (
    select
        'pull_request:' || pull_request_id || ':merged',
        'pull_request',
        'merged',
        repo_id,
        null,
        null,
        null,
        title,
        merged_at,
        html_url
    from pull_requests
    where merged_at is not null
),

pull_request_closed_events as (
    select
        'pull_request:' || pull_request_id || ':closed',
        'pull_request',
        'closed',
        repo_id,
        null,
        null,
        null,
        title,
        closed_at,
        html_url
    from pull_requests
    where state = 'closed' and closed_at is not null and merged_at is null
),

events as (
    select * from star_events
    union all select * from fork_events
    union all select * from commit_events
    union all select * from issue_opened_events
    union all select * from issue_closed_events
    union all select * from pull_request_opened_events
    union all select * from pull_request_merged_events
    union all select * from pull_request_closed_events
),

-- feed_partition: the repo and the 30-day period of the event (from 1970, clamped to 0..9999), the unit
-- feed_events rebuilds: a sync brings recent events, and rebuilding whole repos rewrote 126k events for
-- 60 new stars. Integer arithmetic: formatting a month in UTC took longer than the rest of the view.
final as (
    select
        *,
        repo_id * 10000 + least(greatest(coalesce(epoch_us(event_at), 0) // 2592000000000, 0), 9999) as feed_partition
    from events
)

select * from final
