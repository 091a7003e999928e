// Issues: the per-repo summary (top three values of each column highlighted) and the open issues
// (repo, author, title, body as safe markdown, date, days old, comments), sortable and searchable.
// The server filters, sorts and pages the issues (a large org has tens of thousands): the page asks
// for 100 at a time and "show more" asks for the next 100. URL: ?repo=&q=&sort=&order=.
import { api, bindCsv, byId, day, el, formatNumber, getParam, link, setAsOf, setParams, showError, start, userLink } from '../common.js';
import { renderTable } from '../table.js';
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
  let total = 0;
  let nextOffset = null;
  let asked = 0;  // the newest request: answers to older ones are dropped
  let summary = [];
  let repo = getParam('repo');
  const sortKeys = ['repo_name', 'author_login', 'title', 'created_at', 'age_days', 'comments'];
  const sortKey = sortKeys.includes(getParam('sort')) ? getParam('sort') : 'age_days';
  let sort = { key: sortKey, order: getParam('order', 'desc') === 'asc' ? 'asc' : 'desc' };

  bindCsv('summary-csv', 'issues-summary.csv', () => summary, ['repo_name', 'open_issues', 'median_age_days',
    'opened_this_month', 'closed_this_month', 'open_pull_requests', 'median_days_to_close_90d']);
  bindCsv('issues-csv', 'issues.csv', () => issues, ['repo_name', 'issue_number', 'author_login', 'title', 'body',
    'labels', 'created_at', 'age_days', 'comments', 'link']);

  const renderIssues = () => {
    renderTable(byId('issues-table'), {
      caption: 'open issues', className: 'issues', rows: issues, sort,
      onSort: (key, order) => { sort = { key, order }; setParams({ sort: key, order }); load(); },
      columns: [
        { key: 'repo_name', label: 'repo', sortable: true },
        { key: 'author_login', label: 'author', sortable: true, cell: (i) => userLink(i.author_login) },
        { key: 'title', label: 'title', sortable: true, className: () => 'text', cell: (i) => link(`#${i.issue_number} ${i.title ?? ''}`, i.link) },
        { key: 'body', label: 'body', className: () => 'text', cell: (i) => el('div', { class: 'md' }, renderMarkdown(i.body)) },
        { key: 'created_at', label: 'opened', sortable: true, className: () => 'nowrap', cell: (i) => day(i.created_at) },
        { key: 'age_days', label: 'days old', num: true, sortable: true, cell: (i) => formatNumber(i.age_days) },
        { key: 'comments', label: 'comments', num: true, sortable: true, cell: (i) => formatNumber(i.comments) },
      ],
    });
    more.hidden = nextOffset === null;
    countNote.textContent = `${issues.length.toLocaleString('en-US')} of ${total.toLocaleString('en-US')} open issues`;
  };
  /** Asks for the first page of the current filters and sort, or (`append`) the next page. */
  const load = async (append = false) => {
    const request = ++asked;
    more.disabled = true;
    try {
      const response = await api('issues', { repo, q: search.value.trim(), sort: sort.key,
        order: sort.order, limit: PAGE, offset: append ? nextOffset : 0 });
      if (request !== asked) return;
      setAsOf(response.as_of);
      issues = append ? issues.concat(response.items) : response.items;
      total = response.total;
      nextOffset = response.next_offset;
      renderIssues();
    } catch (error) {
      if (request === asked) showError(byId('issues-table'), error);
    } finally {
      if (request === asked) more.disabled = false;
    }
  };
  const refilter = () => {
    repo = repoSelect.value;
    setParams({ repo, q: search.value.trim() });
    load();
  };
  repoSelect.addEventListener('change', refilter);
  let typing = 0;
  search.addEventListener('input', () => { clearTimeout(typing); typing = setTimeout(refilter, 200); });
  more.addEventListener('click', () => load(true));

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

  // The first page and the summary load together; the URL's repo is checked against the summary's
  // list once it is in (an unknown one is dropped and the list asked again for all repos).
  const first = load();
  await loadSummary;
  repoSelect.value = repo;
  if (repoSelect.value !== repo) {
    repoSelect.value = '';
    refilter();
  }
  await first;
});
