-- Repositories with their current star, fork and open-issue counts as GitHub reports them (GitHub's
-- open_issues counts open pull requests too; issues_summary has them apart): the about page,
-- /api/v1/repos and `ampere repos` read this. age_days: whole days since creation, as of int_clock.
{{ config(materialized='table') }}

with repos as (
    select * from {{ ref('stg_github__repos') }}
),

clock as (
    select * from {{ ref('int_clock') }}
),

final as (
    select
        repo_id,
        org,
        repo_name,
        full_name,
        description,
        language,
        html_url,
        stargazers_count as stars,
        forks_count as forks,
        open_issues_count as open_issues,
        created_at,
        pushed_at,
        retrieved_at,
        is_archived,
        is_fork,
        cast(floor((epoch(clock.now_at) - epoch(created_at)) / 86400) as bigint) as age_days
    from repos
    cross join clock
)

select * from final
