-- The cloud platform a download ran on. No column says it: it is read from the Linux kernel release
-- (details.system.release: "...-aws", "...amzn2...", "...-azure", "...-gcp", "...-gke", "...-oracle")
-- and the distro name; any other Linux is "other / on-premises", other systems "n/a", no system
-- "unknown". This is the only place that knows the mapping. Beside every (system, release, distro) the
-- downloads hold, it carries known strings with the cloud they must map to (expected_cloud), which the
-- model's test checks; joins by those three columns are unaffected by the extra rows.
{{ config(materialized='table') }}

with observed as (
    select distinct
        coalesce(payload ->> '$.system_name', '') as system_name,
        coalesce(payload ->> '$.system_release', '') as system_release,
        coalesce(payload ->> '$.distro_name', '') as distro_name,
        cast(null as varchar) as expected_cloud
    from {{ source('pypi', 'downloads') }}
),

known as (
    select * from (values
        ('Linux', '5.10.219-208.866.amzn2.x86_64', 'Amazon Linux', 'aws'),
        ('Linux', '6.1.92-99.174.amzn2023.x86_64', 'Amazon Linux', 'aws'),
        ('Linux', '6.5.0-1017-aws', 'Ubuntu', 'aws'),
        ('Linux', '4.14.355-275.570.amzn2.aarch64', '', 'aws'),
        ('Linux', '5.15.0-1064-azure', 'Ubuntu', 'azure'),
        ('Linux', '5.15.153.1-2.cm2', 'CBL-Mariner', 'azure'),
        ('Linux', '6.5.0-1020-gcp', 'Ubuntu', 'gcp'),
        ('Linux', '5.15.0-1048-gke', 'Ubuntu', 'gcp'),
        ('Linux', '6.1.85+', 'Container-Optimized OS', 'gcp'),
        ('Linux', '5.15.0-1055-oracle', 'Ubuntu', 'oracle'),
        ('Linux', '6.8.0-45-generic', 'Ubuntu', 'other / on-premises'),
        ('Linux', '5.15.153.1-microsoft-standard-WSL2', 'Ubuntu', 'other / on-premises'),
        ('Linux', '6.10.6-arch1-1', 'Arch Linux', 'other / on-premises'),
        ('Linux', '', '', 'other / on-premises'),
        ('Darwin', '23.5.0', '', 'n/a'),
        ('Windows', '10', '', 'n/a'),
        ('', '', '', 'unknown')
    ) as t (system_name, system_release, distro_name, expected_cloud)
),

systems as (
    select system_name, system_release, distro_name, max(expected_cloud) as expected_cloud
    from (select * from observed union all select * from known)
    group by system_name, system_release, distro_name
),

final as (
    select
        system_name,
        system_release,
        distro_name,
        expected_cloud,
        case
            when system_name = '' then 'unknown'
            when system_name <> 'Linux' then 'n/a'
            when lower(system_release) like '%-aws%' or lower(system_release) like '%.amzn%'
                or lower(distro_name) like 'amazon%' then 'aws'
            when lower(system_release) like '%-azure%' or lower(system_release) like '%.cm2'
                or lower(distro_name) in ('cbl-mariner', 'azure linux', 'microsoft azure linux') then 'azure'
            when lower(system_release) like '%-gcp%' or lower(system_release) like '%-gke%'
                or lower(distro_name) like 'container-optimized os%' then 'gcp'
            when lower(system_release) like '%-oracle%' then 'oracle'
            else 'other / on-premises'
        end as cloud
    from systems
)

select * from final
