-- One row per run (a sync, a build, or a scheduled job `run` of syncs and a build) in its final state:
-- succeeded (a sync that skipped some entities counts: its data landed), failed, running (the run this
-- build belongs to, named by the variable ampere_live_run_id) or interrupted (a run that recorded its
-- start but never its end: the process stopped or crashed mid-run; what it committed stays).
{{ config(materialized='table') }}

with runs as (
    select * from {{ ref('stg_ampere__runs') }}
),

live as (
    select cast(getvariable('ampere_live_run_id') as varchar) as run_id
),

final as (
    select
        runs.run_id,
        coalesce(runs.run_kind, 'sync') as run_kind,
        runs.source_name,
        case
            when runs.status in ('success', 'succeeded', 'partial') then 'succeeded'
            when runs.status = 'running' and runs.run_id = live.run_id then 'running'
            when runs.status in ('running', 'interrupted') then 'interrupted'
            else 'failed'
        end as status,
        runs.error,
        runs.started_at,
        runs.finished_at,
        runs.requests,
        runs.not_modified,
        runs.graphql_points,
        runs.rows_written
    from runs
    cross join live
)

select * from final
