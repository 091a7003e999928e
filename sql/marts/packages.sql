-- The tracked PyPI packages: the org repo each belongs to (the one named in config, else the org repo
-- whose normalized name is the package's), the source of its newest window, the days the query log
-- covers, and its downloads: in total and over the 7 days ending on its last covered day.
{{ config(materialized='table') }}

with windows as (
    select * from {{ ref('stg_pypi__queries') }}
    where outcome = 'ok'
),

downloads as (
    select * from {{ ref('stg_pypi__downloads') }}
),

repos as (
    select * from {{ ref('stg_github__repos') }}
),

covered as (
    select
        package,
        min(first_day) as first_day,
        max(last_day) as last_day,
        arg_max(source_name, logged_at) as source,
        arg_max(repo_name, logged_at) as configured_repo
    from windows
    group by package
),

named_repos as (
    select regexp_replace(lower(repo_name), '[-_.]+', '-', 'g') as package, min(repo_name) as repo_name
    from repos
    group by 1
),

totals as (
    select
        covered.package,
        sum(downloads.downloads) as downloads_total,
        sum(downloads.downloads) filter (where downloads.download_day > covered.last_day - 7) as downloads_last_7d
    from covered
    left join downloads using (package)
    group by covered.package
),

final as (
    select
        covered.package,
        coalesce(covered.configured_repo, named_repos.repo_name) as repo_name,
        covered.source,
        covered.first_day,
        covered.last_day,
        cast(coalesce(totals.downloads_total, 0) as bigint) as downloads_total,
        cast(coalesce(totals.downloads_last_7d, 0) as bigint) as downloads_last_7d
    from covered
    left join named_repos using (package)
    left join totals using (package)
)

select * from final
