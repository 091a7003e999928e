-- Everything the status mart needs that does not depend on the reading time, computed at build time:
-- one row per asset (each raw table of a configured source, each mart) with its rows, its newest data,
-- its last success, which pages it feeds, and `basis_at` + `threshold_hours`: the asset is stale once
-- more than threshold_hours have passed since basis_at.
--
-- The build passes its settings as DuckDB variables (unset: the defaults below):
--   ampere_configured_sources  'github,pypi': the sources the config syncs (others are left out)
--   ampere_freshness_github_hours, ampere_freshness_pypi_hours  the thresholds (8 and 36)
--   ampere_now  the build's "now" (tests pin it; unset: the clock)
-- A source's freshness is measured from its last successful sync (or, before any run record, from its
-- newest retrieved_at). A mart is as fresh as the least fresh source it is built from: of its sources,
-- the one that goes stale first sets its basis_at and threshold.
{{ config(materialized='table') }}

with settings as (
    select
        string_split(coalesce(cast(getvariable('ampere_configured_sources') as varchar), 'github,pypi'), ',')
            as configured,
        coalesce(try_cast(getvariable('ampere_freshness_github_hours') as double), 8) as github_hours,
        coalesce(try_cast(getvariable('ampere_freshness_pypi_hours') as double), 36) as pypi_hours,
        coalesce(try_cast(getvariable('ampere_now') as timestamptz), current_timestamp) as built_at
),

raw_tables as (
    select 'github' as source_name, 'repos' as table_name, ['/', '/about', '/feed', '/issues', '/network-stargazers'] as pages, count(*) as row_count, max(retrieved_at) as newest_data_at from {{ source('github', 'repos') }}
    union all select 'github', 'languages', ['/about'], count(*), max(retrieved_at) from {{ source('github', 'languages') }}
    union all select 'github', 'stargazers', ['/', '/feed', '/network-stargazers'], count(*), max(retrieved_at) from {{ source('github', 'stargazers') }}
    union all select 'github', 'forks', ['/', '/feed', '/network-followers'], count(*), max(retrieved_at) from {{ source('github', 'forks') }}
    union all select 'github', 'releases', [], count(*), max(retrieved_at) from {{ source('github', 'releases') }}
    union all select 'github', 'issues', ['/', '/feed', '/issues', '/network-followers'], count(*), max(retrieved_at) from {{ source('github', 'issues') }}
    union all select 'github', 'commits', ['/', '/feed', '/network-followers'], count(*), max(retrieved_at) from {{ source('github', 'commits') }}
    union all select 'github', 'users', ['/feed', '/network-stargazers', '/network-followers'], count(*), max(retrieved_at) from {{ source('github', 'users') }}
    union all select 'github', 'followers', ['/network-followers'], count(*), max(retrieved_at) from {{ source('github', 'followers') }}
    union all select 'github', 'listings', [], count(*), max(retrieved_at) from {{ source('github', 'listings') }}
    union all select 'pypi', 'downloads', ['/downloads', '/about'], count(*), max(retrieved_at) from {{ source('pypi', 'downloads') }}
    union all select 'pypi', 'queries', ['/downloads'], count(*), max(retrieved_at) from {{ source('pypi', 'queries') }}
),

runs as (
    select * from {{ ref('runs') }}
),

-- Each configured source: its newest data, its last successful sync, when it goes stale.
sources as (
    select
        raw_tables.source_name,
        max(raw_tables.newest_data_at) as newest_data_at,
        (
            select max(runs.finished_at)
            from runs
            where runs.run_kind = 'sync' and runs.source_name = raw_tables.source_name and runs.status = 'succeeded'
        ) as last_success_at,
        any_value(case raw_tables.source_name when 'github' then settings.github_hours else settings.pypi_hours end)
            as threshold_hours
    from raw_tables
    cross join settings
    where list_contains(settings.configured, raw_tables.source_name)
    group by raw_tables.source_name
),

source_assets as (
    select
        raw_tables.source_name || '.' || raw_tables.table_name as asset,
        'source' as kind,
        raw_tables.pages,
        raw_tables.row_count,
        raw_tables.newest_data_at,
        sources.last_success_at,
        coalesce(sources.last_success_at, raw_tables.newest_data_at) as basis_at,
        sources.threshold_hours
    from raw_tables
    inner join sources on sources.source_name = raw_tables.source_name
),

marts as (
    select 'repos' as model, ['github', 'pypi'] as source_names, ['/', '/about'] as pages, (select count(*) from {{ ref('repos') }}) as row_count
    union all select 'repo_metrics_weekly', ['github'], ['/'], (select count(*) from {{ ref('repo_metrics_weekly') }})
    union all select 'downloads', ['pypi'], ['/downloads'], (select count(*) from {{ ref('downloads') }})
    union all select 'packages', ['pypi'], ['/downloads', '/about'], (select count(*) from {{ ref('packages') }})
    union all select 'feed_events', ['github'], ['/feed'], (select count(*) from {{ ref('feed_events') }})
    union all select 'issues', ['github'], ['/issues'], (select count(*) from {{ ref('issues') }})
    union all select 'issues_summary', ['github'], ['/issues'], (select count(*) from {{ ref('issues_summary') }})
    union all select 'network_stargazer_nodes', ['github'], ['/network-stargazers'], (select count(*) from {{ ref('network_stargazer_nodes') }})
    union all select 'network_stargazer_edges', ['github'], ['/network-stargazers'], (select count(*) from {{ ref('network_stargazer_edges') }})
    union all select 'network_follower_nodes', ['github'], ['/network-followers'], (select count(*) from {{ ref('network_follower_nodes') }})
    union all select 'network_follower_edges', ['github'], ['/network-followers'], (select count(*) from {{ ref('network_follower_edges') }})
),

-- Each mart with each configured source it is built from, and when that source goes stale.
mart_sources as (
    select
        marts.model,
        sources.newest_data_at,
        coalesce(sources.last_success_at, sources.newest_data_at) as basis_at,
        sources.threshold_hours,
        coalesce(sources.last_success_at, sources.newest_data_at) + to_microseconds(cast(sources.threshold_hours * 3600e6 as bigint))
            as stale_at
    from marts
    inner join sources on list_contains(marts.source_names, sources.source_name)
),

-- A source never synced (no stale_at) is taken only when no source of the mart ever synced.
first_stale as (
    select model, newest_data_at, basis_at, threshold_hours
    from mart_sources
    qualify row_number() over (partition by model order by stale_at asc nulls last, threshold_hours) = 1
),

model_assets as (
    select
        'marts.' || marts.model as asset,
        'model' as kind,
        marts.pages,
        marts.row_count,
        first_stale.newest_data_at,
        settings.built_at as last_success_at,
        first_stale.basis_at,
        first_stale.threshold_hours
    from marts
    inner join first_stale on first_stale.model = marts.model
    cross join settings
),

final as (
    select
        asset,
        kind,
        cast(pages as varchar[]) as pages,
        cast(row_count as bigint) as row_count,
        newest_data_at,
        last_success_at,
        basis_at,
        cast(threshold_hours as double) as threshold_hours
    from source_assets
    union all
    select
        asset,
        kind,
        cast(pages as varchar[]),
        cast(row_count as bigint),
        newest_data_at,
        last_success_at,
        basis_at,
        cast(threshold_hours as double)
    from model_assets
)

select * from final
