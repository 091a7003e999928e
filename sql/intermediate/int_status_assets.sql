-- What the status mart needs from the data, computed at build time (counting raw tables is the slow
-- part): one row per asset (each raw table of a configured source, each mart) and source it depends on
-- (a raw table: its own source; a mart: each configured source it is built from), with the asset's rows
-- and newest data, the pages it feeds, and the source's threshold. The status view adds the runs, read
-- when it is read.
--
-- The build passes its settings as DuckDB variables (unset: the defaults below):
--   ampere_configured_sources  'github,pypi': the sources the config syncs (others are left out)
--   ampere_freshness_github_hours, ampere_freshness_pypi_hours  the thresholds (8 and 36)
--   ampere_now  the build's "now" (tests pin it; unset: the clock)
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

-- Each configured source: its newest data and threshold.
sources as (
    select
        raw_tables.source_name,
        max(raw_tables.newest_data_at) as newest_data_at,
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
        cast(null as timestamptz) as built_at,
        sources.source_name,
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

model_assets as (
    select
        'marts.' || marts.model as asset,
        'model' as kind,
        marts.pages,
        marts.row_count,
        sources.newest_data_at,
        settings.built_at,
        sources.source_name,
        sources.threshold_hours
    from marts
    inner join sources on list_contains(marts.source_names, sources.source_name)
    cross join settings
),

final as (
    select
        asset,
        kind,
        cast(pages as varchar[]) as pages,
        cast(row_count as bigint) as row_count,
        newest_data_at,
        built_at,
        source_name,
        cast(threshold_hours as double) as threshold_hours
    from source_assets
    union all
    select
        asset,
        kind,
        cast(pages as varchar[]),
        cast(row_count as bigint),
        newest_data_at,
        built_at,
        source_name,
        cast(threshold_hours as double)
    from model_assets
)

select * from final
