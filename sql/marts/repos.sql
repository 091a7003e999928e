-- Repositories with their current star, fork and open-issue counts as GitHub reports them (GitHub's
-- open_issues counts open pull requests too; issues_summary has them apart): the about page,
-- /api/v1/repos and `ampere repos` read this. age_days: whole days since creation, as of int_clock;
-- downloads of the PyPI packages that belong to the repo (packages mart), 0 when it has none.
{{ config(materialized='table') }}

with repos as (
    select * from {{ ref('stg_github__repos') }}
),

clock as (
    select * from {{ ref('int_clock') }}
),

packages as (
    select * from {{ ref('packages') }}
),

package_downloads as (
    select repo_name, sum(downloads_total) as downloads_total, sum(downloads_last_7d) as downloads_last_7d
    from packages
    where repo_name is not null
    group by repo_name
),

final as (
    select
        repo_id,
        org,
        repo_name,
        full_name,
        description,
        language,
        license,
        topics,
        html_url,
        stargazers_count as stars,
        forks_count as forks,
        open_issues_count as open_issues,
        created_at,
        pushed_at,
        retrieved_at,
        is_archived,
        is_fork,
        cast(floor((epoch(clock.now_at) - epoch(created_at)) / 86400) as bigint) as age_days,
        cast(coalesce(package_downloads.downloads_total, 0) as bigint) as downloads_total,
        cast(coalesce(package_downloads.downloads_last_7d, 0) as bigint) as downloads_last_7d
    from repos
    cross join clock
    left join package_downloads using (repo_name)
)

select * from final
