// Status: per page and per source/model the last update, rows, hours stale and ok/stale; recent runs
// with their outcome and API cost (requests, 304s, GraphQL points).
import { api, bindCsv, byId, el, formatDateTime, formatNumber, setAsOf, showError, start } from '../common.js';
import { renderTable } from '../table.js';

function stateCell(state) {
  const text = state === 'ok' ? '✓ ok' : state === 'stale' ? '⚠ stale' : state === 'missing' ? '⚠ missing' : String(state ?? '');
  return el('span', { class: `state-${String(state).replace(/[^a-z]/g, '')}`, text });
}

function duration(run) {
  if (!run.started_at || !run.finished_at) return '';
  const s = (Date.parse(run.finished_at) - Date.parse(run.started_at)) / 1000;
  return s < 60 ? `${s.toFixed(1)} s` : `${(s / 60).toFixed(1)} min`;
}

start(async () => {
  let pages = [];
  let assets = [];
  let runs = [];
  bindCsv('pages-csv', 'status-pages.csv', () => pages, ['page', 'state', 'oldest_data_at', 'hours_stale']);
  bindCsv('assets-csv', 'status.csv', () => assets, ['asset', 'kind', 'pages', 'row_count', 'newest_data_at',
    'last_success_at', 'hours_stale', 'threshold_hours', 'state']);
  bindCsv('runs-csv', 'runs.csv', () => runs, ['run_id', 'run_kind', 'source_name', 'status', 'error', 'started_at',
    'finished_at', 'requests', 'not_modified', 'graphql_points', 'rows_written']);
  const loadStatus = api('status').then((status) => {
    setAsOf(status.as_of);
    pages = status.pages || [];
    assets = status.items;
    renderTable(byId('pages-table'), { caption: 'pages', className: 'status-pages', rows: pages, columns: [
      { key: 'page', label: 'page', cell: (p) => el('a', { text: p.page, attrs: { href: p.page } }) },
      { key: 'state', label: 'state', cell: (p) => stateCell(p.state) },
      { key: 'oldest_data_at', label: 'oldest data', cell: (p) => formatDateTime(p.oldest_data_at) },
      { key: 'hours_stale', label: 'hours stale', num: true, cell: (p) => formatNumber(p.hours_stale, 1) },
    ] });
    renderTable(byId('assets-table'), { caption: 'sources and models', className: 'status-assets', rows: assets, columns: [
      { key: 'asset', label: 'asset' },
      { key: 'kind', label: 'kind' },
      { key: 'pages', label: 'pages', cell: (a) => (a.pages || []).join(' ') },
      { key: 'newest_data_at', label: 'last update', cell: (a) => formatDateTime(a.newest_data_at) },
      { key: 'row_count', label: 'rows', num: true, cell: (a) => formatNumber(a.row_count) },
      { key: 'hours_stale', label: 'hours stale', num: true, cell: (a) => formatNumber(a.hours_stale, 1) },
      { key: 'state', label: 'state', cell: (a) => stateCell(a.state) },
    ] });
  }).catch((error) => { showError(byId('pages-table'), error); showError(byId('assets-table'), error); });
  const loadRuns = api('runs', { limit: 20 }).then((response) => {
    setAsOf(response.as_of);
    runs = response.items;
    renderTable(byId('runs-table'), { caption: 'recent runs', className: 'runs', rows: runs, columns: [
      { key: 'started_at', label: 'started', cell: (r) => formatDateTime(r.started_at) },
      { key: 'run_kind', label: 'kind' },
      { key: 'source_name', label: 'source' },
      { key: 'status', label: 'outcome', cell: (r) => el('span', { class: r.status === 'succeeded' ? 'state-ok' : `state-${String(r.status).replace(/[^a-z]/g, '')}`, text: r.status }) },
      { key: 'duration', label: 'took', num: true, cell: duration },
      { key: 'requests', label: 'requests', num: true, cell: (r) => formatNumber(r.requests) },
      { key: 'not_modified', label: '304s', num: true, cell: (r) => formatNumber(r.not_modified) },
      { key: 'graphql_points', label: 'GraphQL points', num: true, cell: (r) => formatNumber(r.graphql_points) },
      { key: 'rows_written', label: 'rows written', num: true, cell: (r) => formatNumber(r.rows_written) },
      { key: 'error', label: 'error', className: () => 'text', cell: (r) => r.error || '' },
    ] });
  }).catch((error) => showError(byId('runs-table'), error));
  await Promise.all([loadStatus, loadRuns]);
});
