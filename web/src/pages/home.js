// Home: weekly stars, open issues and commits per repo as stacked areas, one chart each; a date range;
// legends toggle repos on every chart at once. URL: ?from=&to=&repos=a,b (the repos shown).
import { api, bindCsv, byId, day, getParam, loadRepos, repoColors, setAsOf, setParams, showError, start } from '../common.js';
import { drawChart } from '../chart.js';
import { initRange } from '../range.js';

const METRICS = [
  { metric: 'stars', id: 'stars' },
  { metric: 'open_issues', id: 'issues' },
  { metric: 'commits', id: 'commits' },
];

start(async () => {
  const [repos, colors] = await Promise.all([loadRepos(), repoColors()]);
  setAsOf(repos.as_of);
  const names = repos.items.map((r) => r.repo_name);
  const max = day(repos.as_of) || new Date().toISOString().slice(0, 10);
  const created = repos.items.map((r) => day(r.created_at)).filter(Boolean).sort();
  const min = created[0] || max;
  const shownParam = getParam('repos');
  let shown = new Set(shownParam ? shownParam.split(',').filter((n) => names.includes(n)) : names);
  if (shown.size === 0) shown = new Set(names);
  const data = new Map();  // metric -> items in range

  const selectedMap = () => Object.fromEntries(names.map((n) => [n, shown.has(n)]));
  const onLegend = (selected) => {
    shown = new Set(names.filter((n) => selected[n] !== false));
    setParams({ repos: shown.size === names.length ? '' : [...shown] });
    drawAll();
  };
  const drawAll = () => {
    for (const { metric, id } of METRICS) {
      const items = data.get(metric);
      if (!items) continue;
      const byRepo = new Map(names.map((n) => [n, []]));
      for (const item of items) byRepo.get(item.repo_name)?.push([Date.parse(item.week_start), item.value]);
      const series = names.map((n) => ({ name: n, color: colors.get(n), points: byRepo.get(n) }));
      drawChart(byId(`${id}-chart`), series, { stack: true, selected: selectedMap(), onLegend,
        label: `weekly ${metric.replace('_', ' ')} per repository, stacked` });
    }
  };

  const load = async (range) => {
    await Promise.all(METRICS.map(async ({ metric, id }) => {
      try {
        const response = await api('metrics/weekly', { metric, from: range.from, to: range.to });
        setAsOf(response.as_of);
        data.set(metric, response.items);
      } catch (error) {
        showError(byId(`${id}-chart`), error);
      }
    }));
    drawAll();
  };
  for (const { metric, id } of METRICS) {
    bindCsv(`${id}-csv`, `${metric}-weekly.csv`,
      () => (data.get(metric) || []).filter((i) => shown.has(i.repo_name)),
      ['repo_name', 'week_start', 'value', 'change', 'is_partial_week']);
  }
  const range = initRange({ min, max, fallback: '1y', onChange: load });
  await load(range);
});
