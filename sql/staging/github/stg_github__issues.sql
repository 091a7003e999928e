-- One row per issue (pull requests excluded: they are stg_github__pull_requests), its latest snapshot,
-- authored by "ghost" when the account was deleted (see base_github__issue_stream).
{{ config(materialized='table') }}

with stream as (
    select * from {{ ref('base_github__issue_stream') }}
),

final as (
    select
        issue_id,
        repo_id,
        number as issue_number,
        title,
        body,
        state,
        html_url,
        author_user_id,
        author_login,
        comments,
        labels,
        created_at,
        updated_at,
        closed_at,
        retrieved_at
    from stream
    where not is_pull_request
)

select * from final
