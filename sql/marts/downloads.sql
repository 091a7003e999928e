-- Downloads per package, period (hour, day, ISO week from Monday, calendar month; UTC) and group. Per
-- package and group the 8 values with the most downloads over the last 60 days (ties: more downloads
-- overall, then by name) keep their name and the rest are summed as "other"; the overall group has one
-- value, "overall". "The last 60 days" end on the newest day the query log covers, so a rebuild of the
-- same data gives the same mart. Every kept value has a row for every period from the package's first
-- covered day to its last, 0 where it had no downloads.
{{ config(materialized='table') }}

with grouped as (
    select * from {{ ref('int_downloads_grouped') }}
),

windows as (
    select * from {{ ref('stg_pypi__queries') }}
    where outcome = 'ok'
),

as_of as (
    select max(last_day) as last_day from windows
),

covered as (
    select package, min(first_day) as first_day, max(last_day) as last_day
    from windows
    group by package
),

ranked as (
    select
        grouped.package,
        grouped.group_name,
        grouped.group_value,
        row_number() over (
            partition by grouped.package, grouped.group_name
            order by
                sum(grouped.downloads) filter (
                    where cast(timezone('UTC', grouped.bucket_start) as date) > as_of.last_day - 60
                ) desc nulls last,
                sum(grouped.downloads) desc,
                grouped.group_value
        ) as value_rank
    from grouped
    cross join as_of
    group by grouped.package, grouped.group_name, grouped.group_value
),

relabelled as (
    select
        grouped.package,
        grouped.bucket_start,
        grouped.group_name,
        case when ranked.value_rank <= 8 then grouped.group_value else 'other' end as group_value,
        grouped.downloads
    from grouped
    inner join ranked using (package, group_name, group_value)
),

bucketed as (
    select package, 'hour' as granularity, date_trunc('hour', bucket_start) as period_start, group_name, group_value,
        downloads
    from relabelled
    union all
    select package, 'day', date_trunc('day', bucket_start), group_name, group_value, downloads from relabelled
    union all
    select package, 'week', date_trunc('week', bucket_start), group_name, group_value, downloads from relabelled
    union all
    select package, 'month', date_trunc('month', bucket_start), group_name, group_value, downloads from relabelled
),

sums as (
    select package, granularity, period_start, group_name, group_value, sum(downloads) as downloads
    from bucketed
    group by package, granularity, period_start, group_name, group_value
),

steps as (
    select * from (values
        ('hour', interval 1 hour),
        ('day', interval 1 day),
        ('week', interval 7 day),
        ('month', interval 1 month)
    ) as t (granularity, step)
),

periods as (
    select
        covered.package,
        steps.granularity,
        unnest(generate_series(
            case steps.granularity
                when 'week' then date_trunc('week', cast(covered.first_day as timestamptz))
                when 'month' then date_trunc('month', cast(covered.first_day as timestamptz))
                else cast(covered.first_day as timestamptz)
            end,
            cast(covered.last_day as timestamptz) + interval 23 hour,
            steps.step
        )) as period_start
    from covered
    cross join steps
),

kept_values as (
    select distinct package, group_name, group_value from relabelled
),

final as (
    select
        periods.package,
        periods.granularity,
        periods.period_start,
        kept_values.group_name,
        kept_values.group_value,
        cast(coalesce(sums.downloads, 0) as bigint) as downloads
    from periods
    inner join kept_values using (package)
    left join sums
        on sums.package = periods.package
        and sums.granularity = periods.granularity
        and sums.period_start = periods.period_start
        and sums.group_name = kept_values.group_name
        and sums.group_value = kept_values.group_value
)

select * from final
