-- Downloads unpivoted into the groups the downloads page shows: one row per (package, bucket, group,
-- value). Versions (package and python) are cut to major.minor; a missing attribute is "unknown"; the
-- cloud comes from stg_pypi__system_clouds; overall is every download once.
{{ config(materialized='table') }}

with downloads as (
    select * from {{ ref('stg_pypi__downloads') }}
),

clouds as (
    select * from {{ ref('stg_pypi__system_clouds') }}
),

labelled as (
    select
        downloads.package,
        downloads.bucket_start,
        downloads.downloads,
        coalesce(nullif(regexp_extract(downloads.package_version, '^[0-9]+(\.[0-9]+)?', 0), ''),
                 downloads.package_version, 'unknown') as package_version,
        coalesce(nullif(regexp_extract(downloads.python_version, '^[0-9]+(\.[0-9]+)?', 0), ''),
                 downloads.python_version, 'unknown') as python_version,
        coalesce(downloads.system_name, 'unknown') as system_name,
        coalesce(clouds.cloud, 'unknown') as cloud,
        coalesce(downloads.country_code, 'unknown') as country_code,
        coalesce(downloads.installer, 'unknown') as installer,
        case when downloads.is_ci then 'ci' when not downloads.is_ci then 'not ci' else 'unknown' end as ci
    from downloads
    left join clouds
        on clouds.system_name = coalesce(downloads.system_name, '')
        and clouds.system_release = coalesce(downloads.system_release, '')
        and clouds.distro_name = coalesce(downloads.distro_name, '')
),

unpivoted as (
    select package, bucket_start, 'overall' as group_name, 'overall' as group_value, downloads from labelled
    union all select package, bucket_start, 'package_version', package_version, downloads from labelled
    union all select package, bucket_start, 'python_version', python_version, downloads from labelled
    union all select package, bucket_start, 'system', system_name, downloads from labelled
    union all select package, bucket_start, 'cloud', cloud, downloads from labelled
    union all select package, bucket_start, 'country', country_code, downloads from labelled
    union all select package, bucket_start, 'installer', installer, downloads from labelled
    union all select package, bucket_start, 'ci', ci, downloads from labelled
),

final as (
    select package, bucket_start, group_name, group_value, sum(downloads) as downloads
    from unpivoted
    group by package, bucket_start, group_name, group_value
)

select * from final
