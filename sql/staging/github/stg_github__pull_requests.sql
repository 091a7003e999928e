-- One row per pull request, from the issues stream (GitHub lists PRs there with a pull_request object),
-- authored by "ghost" when the account was deleted (see base_github__issue_stream).
{{ config(materialized='table') }}

with stream as (
    select * from {{ ref('base_github__issue_stream') }}
),

final as (
    select
        issue_id as pull_request_id,
        repo_id,
        number as pull_request_number,
        title,
        body,
        state,
        html_url,
        author_user_id,
        author_login,
        comments,
        created_at,
        updated_at,
        closed_at,
        merged_at,
        retrieved_at
    from stream
    where is_pull_request
)

select * from final
