-- One row per (repo, language): bytes of code GitHub counts in that language.
{{ config(materialized='incremental', unique_key='repo_id') }}

with source as (
    select * from {{ source('github', 'languages') }}
),

latest as (
    select *
    from source
    qualify row_number() over (partition by repo_id order by retrieved_at desc, sync_id desc) = 1
),

final as (
    select
        latest.repo_id,
        language,
        cast(json_extract(latest.payload, '$."' || language || '"') as bigint) as bytes,
        latest.retrieved_at
    from latest, unnest(json_keys(latest.payload)) as languages(language)
)

select * from final
