-- Freshness of every asset (each raw table of a configured source, each mart) as of the moment it is
-- read: a view over int_status_assets and the runs, so hours_stale keeps growing when syncs stop and a
-- sync's success shows as soon as the runs mart has it.
--   last_success_at  a raw table: its source's last successful sync; a mart: its last build
--   hours_stale      hours since the source's last successful sync (before any run record: since its
--                    newest data); a mart is as fresh as the source it is built from that goes stale first
--   state            missing (no rows and never synced, or nothing to measure from), stale (hours_stale
--                    over threshold_hours) or ok
-- "Now" is the variable ampere_now when set (tests), else the clock.
{{ config(materialized='view') }}

with assets as (
    select * from {{ ref('int_status_assets') }}
),

runs as (
    select * from {{ ref('runs') }}
),

clock as (
    select coalesce(try_cast(getvariable('ampere_now') as timestamptz), current_timestamp) as now_at
),

last_success as (
    select source_name, max(finished_at) as last_success_at
    from runs
    where run_kind = 'sync' and status = 'succeeded'
    group by source_name
),

-- Each asset with each source it depends on, and when that source goes stale.
candidates as (
    select
        assets.*,
        last_success.last_success_at as source_last_success_at,
        coalesce(last_success.last_success_at, assets.newest_data_at) as basis_at,
        coalesce(last_success.last_success_at, assets.newest_data_at)
            + to_microseconds(cast(assets.threshold_hours * 3600e6 as bigint)) as stale_at
    from assets
    left join last_success on last_success.source_name = assets.source_name
),

-- A source with nothing to measure from (never synced) is taken only when no other source has something.
chosen as (
    select *
    from candidates
    qualify row_number() over (partition by asset order by stale_at asc nulls last, threshold_hours) = 1
),

final as (
    select
        chosen.asset,
        chosen.kind,
        chosen.pages,
        chosen.row_count,
        chosen.newest_data_at,
        case when chosen.kind = 'source' then chosen.source_last_success_at else chosen.built_at end
            as last_success_at,
        round(epoch(clock.now_at - chosen.basis_at) / 3600.0, 2) as hours_stale,
        chosen.threshold_hours,
        case
            when chosen.basis_at is null then 'missing'
            when chosen.kind = 'source' and chosen.row_count = 0 and chosen.source_last_success_at is null
                then 'missing'
            when epoch(clock.now_at - chosen.basis_at) / 3600.0 > chosen.threshold_hours then 'stale'
            else 'ok'
        end as state
    from chosen
    cross join clock
)

select * from final
