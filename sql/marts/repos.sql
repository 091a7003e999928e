-- Repositories with their current star, fork and open-issue counts: the about page, /api/v1/repos
-- and `ampere repos` read this.
{{ config(materialized='table') }}

with repos as (
    select * from {{ ref('stg_github__repos') }}
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
        retrieved_at
    from repos
)

select * from final
