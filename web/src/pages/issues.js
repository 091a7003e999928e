// Issues: the per-repo summary (top three values of each column highlighted) and the open issues
// (repo, author, title, body as safe markdown, date, days old, comments), sortable and searchable.
// URL: ?repo=&q=&sort=&order=.
import { api, bindCsv, byId, day, el, formatNumber, getParam, link, setAsOf, setParams, showError, start, userLink } from '../common.js';
import { renderTable, sortRows } from '../table.js';
import { renderMarkdown } from '../markdown.js';

const PAGE = 100;

/** value -> highlight level 1..3 for the three largest distinct values of `key`. */
function topLevels(rows, key) {
  const distinct = [...new Set(rows.map((r) => r[key]).filter((v) => typeof v === 'number' && v > 0))].sort((a, b) => b - a);
  return new Map(distinct.slice(0, 3).map((v, i) => [v, 3 - i]));
}

start(async () => {
  const repoSelect = byId('repo');
  const search = byId('q');
  const more = byId('issues-more');
  const countNote = byId('issues-count');
  search.value = getParam('q');
  let issues = [];
  let summary = [];
  let shownRows = [];
  let limit = PAGE;
  let sort = { key: getParam('sort', 'age_days'), order: getParam('order', 'desc') === 'asc' ? 'asc' : 'desc' };

  bindCsv('summary-csv', 'issues-summary.csv', () => summary, ['repo_name', 'open_issues', 'median_age_days',
    'opened_this_month', 'closed_this_month', 'open_pull_requests', 'median_days_to_close_90d']);
  bindCsv('issues-csv', 'issues.csv', () => shownRows, ['repo_name', 'issue_number', 'author_login', 'title', 'body',
    'labels', 'created_at', 'age_days', 'comments', 'link']);

  const filtered = () => {
    const repo = repoSelect.value;
    const q = search.value.trim().toLowerCase();
    return issues.filter((i) => (!repo || i.repo_name === repo) && (!q || `${i.title}\n${i.body}\n${i.author_login}`.toLowerCase().includes(q)));
  };
  const renderIssues = () => {
    shownRows = sortRows(filtered(), sort.key, sort.order);
    const page = shownRows.slice(0, limit);
    renderTable(byId('issues-table'), {
      caption: 'open issues', className: 'issues', rows: page, sort,
      onSort: (key, order) => { sort = { key, order }; setParams({ sort: key, order }); renderIssues(); },
      columns: [
        { key: 'repo_name', label: 'repo', sortable: true },
        { key: 'author_login', label: 'author', sortable: true, cell: (i) => userLink(i.author_login) },
        { key: 'title', label: 'title', sortable: true, className: () => 'text', cell: (i) => link(`#${i.issue_number} ${i.title ?? ''}`, i.link) },
        { key: 'body', label: 'body', className: () => 'text', cell: (i) => el('div', { class: 'md' }, renderMarkdown(i.body)) },
        { key: 'created_at', label: 'opened', sortable: true, cell: (i) => day(i.created_at) },
        { key: 'age_days', label: 'days old', num: true, sortable: true, cell: (i) => formatNumber(i.age_days) },
        { key: 'comments', label: 'comments', num: true, sortable: true, cell: (i) => formatNumber(i.comments) },
      ],
    });
    more.hidden = shownRows.length <= limit;
    countNote.textContent = `${shownRows.length.toLocaleString('en-US')} of ${issues.length.toLocaleString('en-US')} open issues`;
  };
  const refilter = () => {
    limit = PAGE;
    setParams({ repo: repoSelect.value, q: search.value.trim() });
    renderIssues();
  };
  repoSelect.addEventListener('change', refilter);
  let typing = 0;
  search.addEventListener('input', () => { clearTimeout(typing); typing = setTimeout(refilter, 200); });
  more.addEventListener('click', () => { limit += PAGE; renderIssues(); });

  const loadSummary = api('issues/summary').then((response) => {
    setAsOf(response.as_of);
    summary = [...response.items].sort((a, b) => b.open_issues - a.open_issues || String(a.repo_name).localeCompare(b.repo_name));
    for (const r of summary) repoSelect.append(el('option', { value: r.repo_name, text: r.repo_name }));
    const levels = Object.fromEntries(['open_issues', 'median_age_days', 'opened_this_month', 'closed_this_month']
      .map((k) => [k, topLevels(summary, k)]));
    const shade = (key, prefix) => (r) => (levels[key].has(r[key]) ? `${prefix}-${levels[key].get(r[key])}` : '');
    renderTable(byId('summary-table'), { caption: 'issues per repository', className: 'summary', rows: summary, columns: [
      { key: 'repo_name', label: 'repo' },
      { key: 'open_issues', label: 'open issues', num: true, className: shade('open_issues', 'hi'), cell: (r) => formatNumber(r.open_issues) },
      { key: 'median_age_days', label: 'median age (days)', num: true, className: shade('median_age_days', 'hi'), cell: (r) => formatNumber(r.median_age_days) },
      { key: 'opened_this_month', label: 'opened this month', num: true, className: shade('opened_this_month', 'hi'), cell: (r) => formatNumber(r.opened_this_month) },
      { key: 'closed_this_month', label: 'closed this month', num: true, className: shade('closed_this_month', 'go'), cell: (r) => formatNumber(r.closed_this_month) },
      { key: 'open_pull_requests', label: 'open PRs', num: true, cell: (r) => formatNumber(r.open_pull_requests) },
    ] });
  }).catch((error) => showError(byId('summary-table'), error));

  const loadIssues = api('issues').then((response) => {
    setAsOf(response.as_of);
    issues = response.items;
  }).catch((error) => showError(byId('issues-table'), error));
  await Promise.all([loadSummary, loadIssues]);
  repoSelect.value = getParam('repo');
  if (repoSelect.value !== getParam('repo')) repoSelect.value = '';
  if (issues.length || !byId('issues-table').querySelector('.error')) renderIssues();
});
