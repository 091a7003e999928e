-- The feed: one row per event in the org's repos, newest first when read by event_at. The actor's login
-- and name come from their profile when it was fetched (a deleted account shows as 'ghost'); events by
-- users without a profile are kept, with the login the event carried and no name. A commit whose author
-- has no GitHub account shows the git author's name. Links: a star to the user's profile, a fork to the
-- fork itself, a commit, issue or pull request to its page.
-- Incremental by repo and 30-day period (feed_partition): after a sync, only the periods of the repos
-- whose events changed, the repos whose name changed, and the periods holding an event by a user whose
-- login or name changed, are rebuilt (an event depends on its own row, its repo and its actor alone).
{{ config(materialized='incremental', unique_key='event_id', partition_by='feed_partition',
          lookups='int_feed_repos.repo_id=repo_id,int_feed_actors.user_id=actor_user_id') }}

with events as (
    select * from {{ ref('int_feed_events_unioned') }}
),

repos as (
    select * from {{ ref('int_feed_repos') }}
),

users as (
    select * from {{ ref('int_feed_actors') }}
),

named as (
    select
        events.event_id,
        events.event_type,
        events.action,
        events.repo_id,
        repos.repo_name,
        events.actor_user_id,
        coalesce(users.login, events.actor_login) as actor_login,
        case when events.actor_user_id is null then events.actor_git_name else users.user_name end as actor_name,
        events.title_or_message,
        events.event_at,
        events.link,
        events.feed_partition
    from events
    inner join repos on repos.repo_id = events.repo_id
    left join users on users.user_id = events.actor_user_id
),

final as (
    select
        event_id,
        event_type,
        action,
        repo_id,
        repo_name,
        actor_user_id,
        actor_login,
        actor_name,
        title_or_message,
        event_at,
        case when event_type = 'star' then 'https://github.com/' || actor_login else link end as link,
        feed_partition
    from named
)

select * from final
