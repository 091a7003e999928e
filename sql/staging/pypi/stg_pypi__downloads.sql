-- Download counts by hour (or day) and attributes. A day's rows come from the newest window logged ok
-- that covers it: rows of windows never logged (a crash between the data commit and the log) are not
-- data, and a day fetched again (a rerun, a backfill over it) is counted once, from its newest fetch.
-- Empty attributes become null.
{{ config(materialized='table') }}

with source as (
    select * from {{ source('pypi', 'downloads') }}
),

windows as (
    select
        payload ->> '$.window_id' as window_id,
        package,
        cast(payload ->> '$.first_day' as date) as first_day,
        cast(payload ->> '$.last_day' as date) as last_day,
        retrieved_at as logged_at
    from {{ source('pypi', 'queries') }}
    where payload ->> '$.outcome' = 'ok'
),

days as (
    select distinct package, cast(day as date) as download_day
    from source
),

day_owners as (
    select days.package, days.download_day, windows.window_id
    from days
    inner join windows
        on windows.package = days.package
        and days.download_day between windows.first_day and windows.last_day
    qualify row_number() over (
        partition by days.package, days.download_day order by windows.logged_at desc, windows.window_id desc
    ) = 1
),

owned as (
    select source.*
    from source
    inner join day_owners
        on source.package = day_owners.package
        and cast(source.day as date) = day_owners.download_day
        and source.sync_id = day_owners.window_id
),

final as (
    select
        package,
        cast(payload ->> '$.bucket_start' as timestamptz) as bucket_start,
        cast(day as date) as download_day,
        nullif(payload ->> '$.package_version', '') as package_version,
        nullif(payload ->> '$.python_version', '') as python_version,
        nullif(payload ->> '$.system_name', '') as system_name,
        nullif(payload ->> '$.system_release', '') as system_release,
        nullif(payload ->> '$.distro_name', '') as distro_name,
        nullif(payload ->> '$.distro_version', '') as distro_version,
        nullif(payload ->> '$.country', '') as country_code,
        nullif(payload ->> '$.installer', '') as installer,
        cast(payload ->> '$.ci' as boolean) as is_ci,
        cast(payload ->> '$.downloads' as bigint) as downloads,
        payload ->> '$.source' as source_name,
        sync_id as window_id,
        retrieved_at
    from owned
)

select * from final
