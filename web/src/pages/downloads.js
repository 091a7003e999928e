// Downloads: a package selector; overall, package version, python version, operating system, cloud
// platform, country, installer and CI charts; granularity day/week/month; a date range. URL: ?package=&granularity=&from=&to=.
import { TABLEAU10, api, bindCsv, byId, day, el, getParam, setAsOf, setParams, showError, start } from '../common.js';
import { chartMessage, drawChart } from '../chart.js';
import { initRange } from '../range.js';

const GROUPS = ['overall', 'package_version', 'python_version', 'system', 'cloud', 'country', 'installer', 'ci'];

/** Series per group value, coloured in order of the latest period's downloads (largest first). */
function toSeries(items, group) {
  const byValue = new Map();
  let latest = '';
  for (const item of items) {
    if (!byValue.has(item.group_value)) byValue.set(item.group_value, []);
    byValue.get(item.group_value).push([Date.parse(item.period_start), item.downloads]);
    if (item.period_start > latest) latest = item.period_start;
  }
  const latestCount = (value) => items.find((i) => i.group_value === value && i.period_start === latest)?.downloads ?? 0;
  const values = [...byValue.keys()].sort((a, b) => latestCount(b) - latestCount(a) || String(a).localeCompare(String(b)));
  return values.map((v, i) => ({ name: group === 'overall' ? 'downloads' : v, color: TABLEAU10[i % TABLEAU10.length],
    points: byValue.get(v).sort((a, b) => a[0] - b[0]) }));
}

start(async () => {
  const packageSelect = byId('package');
  const granularity = byId('granularity');
  granularity.value = ['day', 'week', 'month'].includes(getParam('granularity')) ? getParam('granularity') : 'week';
  const data = new Map();
  for (const group of GROUPS) {
    bindCsv(`${group}-csv`, `downloads-${group}.csv`, () => (data.get(group) || []).map((i) => ({
      package: packageSelect.value, granularity: granularity.value, group, ...i })),
    ['package', 'granularity', 'group', 'period_start', 'group_value', 'downloads']);
  }
  let packages;
  try {
    packages = await api('packages');
  } catch (error) {
    for (const group of GROUPS) showError(byId(`${group}-chart`), error);
    return;
  }
  setAsOf(packages.as_of);
  const items = [...packages.items].sort((a, b) => (b.downloads_total ?? 0) - (a.downloads_total ?? 0));
  packageSelect.replaceChildren(...items.map((p) => el('option', { value: p.package, text: p.package })));
  if (items.length === 0) {
    packageSelect.append(el('option', { value: '', text: 'no packages' }));
    for (const group of GROUPS) chartMessage(byId(`${group}-chart`), 'no PyPI packages are tracked yet');
    return;
  }
  packageSelect.value = items.some((p) => p.package === getParam('package')) ? getParam('package') : items[0].package;

  // The last period drawn, when the downloads synced so far end before it does: shaded from the period
  // before it and labelled "so far" (the line falls there only because the period is not over).
  const partialPeriod = (items, unit) => {
    const starts = [...new Set(items.map((i) => Date.parse(i.period_start)))].sort((a, b) => a - b);
    const p = packages.items.find((i) => i.package === packageSelect.value);
    if (starts.length < 2 || !p?.last_day || unit === 'day') return undefined;
    const last = starts[starts.length - 1];
    const month = new Date(last);
    const end = unit === 'week' ? last + 7 * 86_400_000 : Date.UTC(month.getUTCFullYear(), month.getUTCMonth() + 1, 1);
    const through = Date.parse(day(p.last_day)) + 86_400_000;  // the end of the last day synced
    if (through >= end) return undefined;
    return { from: starts[starts.length - 2], label: 'so far' };
  };

  let range;
  let generation = 0;
  const load = async () => {
    const mine = ++generation;
    const params = { package: packageSelect.value, granularity: granularity.value, from: range.from, to: range.to };
    await Promise.all(GROUPS.map(async (group) => {
      const container = byId(`${group}-chart`);
      try {
        const response = await api('downloads', { ...params, group });
        if (mine !== generation) return;
        setAsOf(response.as_of);
        data.set(group, response.items);
        drawChart(container, toSeries(response.items, group), { stack: group !== 'overall', area: true,
          legend: group !== 'overall', partial: partialPeriod(response.items, params.granularity),
          minInterval: { week: 7, month: 28 }[params.granularity] * 86_400_000 || undefined, label: `${params.package} downloads per ${params.granularity}, by ${group.replace('_', ' ')}` });
      } catch (error) {
        if (mine === generation) showError(container, error);
      }
    }));
  };
  const bounds = () => {
    const p = items.find((i) => i.package === packageSelect.value);
    return { min: day(p.first_day), max: day(p.last_day) };
  };
  const { min, max } = bounds();
  range = initRange({ min, max, fallback: '1y', onChange: (next) => { range = next; load(); } });
  packageSelect.addEventListener('change', () => { setParams({ package: packageSelect.value }); load(); });
  granularity.addEventListener('change', () => { setParams({ granularity: granularity.value }); load(); });
  await load();
});
