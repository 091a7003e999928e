// About: one row per repository (stars order) with its links, counts, age and downloads.
import { api, bindCsv, byId, day, formatNumber, link, loadRepos, setAsOf, showError, start } from '../common.js';
import { renderTable, sortRows } from '../table.js';

const COLUMNS = ['repo_name', 'description', 'language', 'stars', 'forks', 'open_issues', 'age_years', 'created_at',
  'pushed_at', 'downloads_total', 'downloads_last_7d', 'html_url'];

start(async () => {
  const container = byId('repos-table');
  let rows = [];
  let withPackages = new Set();  // repos with a tracked PyPI package: the others have no downloads to count
  const downloads = (r, key) => (withPackages.has(r.repo_name) ? formatNumber(r[key]) : '—');
  let sort = { key: 'stars', order: 'desc' };
  const render = () => renderTable(container, {
    caption: 'repositories', className: 'repos', rows: sortRows(rows, sort.key, sort.order), sort,
    onSort: (key, order) => { sort = { key, order }; render(); },
    columns: [
      { key: 'repo_name', label: 'repo', sortable: true, cell: (r) => link(r.repo_name, r.html_url) },
      { key: 'description', label: 'description', className: () => 'text', cell: (r) => r.description || '' },
      { key: 'language', label: 'language', sortable: true },
      { key: 'stars', label: 'stars', num: true, sortable: true, cell: (r) => formatNumber(r.stars) },
      { key: 'forks', label: 'forks', num: true, sortable: true, cell: (r) => formatNumber(r.forks) },
      { key: 'open_issues', label: 'open issues', num: true, sortable: true, cell: (r) => formatNumber(r.open_issues) },
      { key: 'age_years', label: 'age (years)', num: true, sortable: true, cell: (r) => formatNumber(r.age_years, 1) },
      { key: 'created_at', label: 'created', sortable: true, className: () => 'nowrap', cell: (r) => day(r.created_at) },
      { key: 'pushed_at', label: 'updated', sortable: true, className: () => 'nowrap', cell: (r) => day(r.pushed_at) },
      { key: 'downloads_total', label: 'downloads (total)', num: true, sortable: true, cell: (r) => downloads(r, 'downloads_total') },
      { key: 'downloads_last_7d', label: 'downloads (past week)', num: true, sortable: true, cell: (r) => downloads(r, 'downloads_last_7d') },
    ],
  });
  bindCsv('repos-csv', 'repos.csv', () => sortRows(rows, sort.key, sort.order), COLUMNS);
  try {
    const [repos, packages] = await Promise.all([loadRepos(), api('packages')]);
    withPackages = new Set(packages.items.map((p) => p.repo_name).filter(Boolean));
    setAsOf(repos.as_of);
    rows = repos.items.map((r) => ({ ...r, age_years: r.age_days === undefined || r.age_days === null ? null : r.age_days / 365 }));
    render();
  } catch (error) {
    showError(container, error);
  }
});
