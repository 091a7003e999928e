-- Freshness of every asset (each raw table of a configured source, each mart) as of the moment it is
-- read: a view, so hours_stale keeps growing when syncs stop and the status page and `ampere status`
-- notice. state: missing (no rows and never synced), stale (hours_stale over threshold_hours) or ok.
-- "Now" is the variable ampere_now when set (tests), else the clock.
{{ config(materialized='view') }}

with assets as (
    select * from {{ ref('int_status_assets') }}
),

clock as (
    select coalesce(try_cast(getvariable('ampere_now') as timestamptz), current_timestamp) as now_at
),

final as (
    select
        assets.asset,
        assets.kind,
        assets.pages,
        assets.row_count,
        assets.newest_data_at,
        assets.last_success_at,
        round(epoch(clock.now_at - assets.basis_at) / 3600.0, 2) as hours_stale,
        assets.threshold_hours,
        case
            when assets.row_count = 0 and assets.last_success_at is null then 'missing'
            when assets.basis_at is null then 'missing'
            when epoch(clock.now_at - assets.basis_at) / 3600.0 > assets.threshold_hours then 'stale'
            else 'ok'
        end as state
    from assets
    cross join clock
)

select * from final
