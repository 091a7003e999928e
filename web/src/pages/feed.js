// Feed: recent activity (stars, issues, commits, forks, pull requests), newest first, colour-coded by
// type, filtered by repo, type and user (all in the URL), loading the next page as the table scrolls.
import { api, bindCsv, byId, day, el, getParam, link, loadRepos, markDrawn, relativeDay, setAsOf, setParams, showError, start, userLink } from '../common.js';

const PAGE = 100;
const NOUNS = { star: 'a star', fork: 'a fork', commit: 'a commit', issue: 'an issue', pull_request: 'a pull request' };

/**
 * "alice starred quill", "bob opened an issue in ember", ... as nodes (every part is text). Who closed an
 * issue or merged a pull request is not in GitHub's lists, and a commit's author may have no GitHub
 * account (then the git name is shown): without an actor the sentence is passive ("an issue in ember was
 * closed"), never "ghost" (a deleted account).
 */
function describe(e, asOf) {
  const who = e.actor_login ? userLink(e.actor_login) : e.actor_name ? el('span', { class: 'git-author', text: e.actor_name }) : null;
  const repo = el('span', { class: 'repo', text: e.repo_name });
  const when = ` ${relativeDay(e.event_at, asOf)}`;
  const thing = link(NOUNS[e.event_type] || e.event_type, e.link);
  switch (e.event_type) {
    case 'star': return [who ?? userLink(null), ' starred ', repo, when];
    case 'fork': return [who ?? userLink(null), ' ', link('forked', e.link), ' ', repo, when];
    case 'commit': return who ? [who, ' pushed ', thing, ' to ', repo, when] : [thing, ' was pushed to ', repo, when];
    default: {
      const action = { created: 'opened', starred: 'opened', committed: 'opened' }[e.action] || e.action || 'opened';
      return who ? [who, ` ${action} `, thing, ' in ', repo, when] : [thing, ' in ', repo, ` was ${action}`, when];
    }
  }
}

start(async () => {
  const container = byId('feed-table');
  const repoSelect = byId('repo');
  const typeSelect = byId('type');
  const userInput = byId('user');
  const count = byId('feed-count');
  repoSelect.value = '';
  typeSelect.value = getParam('type');
  userInput.value = getParam('user');
  let rows = [];
  let cursor = null;
  let asOf = '';
  let generation = 0;
  let loading = false;

  const tbody = el('tbody');
  const sentinel = el('div', { class: 'sentinel' });
  container.replaceChildren(el('table', { class: 'feed' },
    el('caption', { class: 'sr-only', text: 'activity, newest first' }),
    el('thead', {}, el('tr', {}, ['date', 'time', 'event', 'description'].map((h) => el('th', { text: h, class: h === 'time' ? 'hide-phone' : undefined, attrs: { scope: 'col' } })))),
    tbody), sentinel);

  const filters = () => ({ repo: repoSelect.value, type: typeSelect.value, user: userInput.value.trim() });
  const append = (items) => {
    const fragment = document.createDocumentFragment();
    for (const e of items) {
      fragment.append(el('tr', {},
        el('td', { class: 'nowrap', text: day(e.event_at) }),
        el('td', { class: 'nowrap hide-phone', text: String(e.event_at || '').slice(11, 16) }),
        el('td', { class: `event ev-${String(e.event_type).replace(/[^a-z_]/g, '')}` }, describe(e, asOf)),
        el('td', { class: 'desc', text: e.title || '' })));
    }
    tbody.append(fragment);
    if (items.length > 0) markDrawn();
  };
  const loadMore = async () => {
    if (loading || cursor === undefined) return;
    loading = true;
    const mine = generation;
    try {
      const response = await api('feed', { ...filters(), limit: PAGE, cursor: cursor || undefined });
      if (mine !== generation) return;
      setAsOf(response.as_of);
      asOf = response.as_of || asOf;
      rows = rows.concat(response.items);
      append(response.items);
      cursor = response.next_cursor === null || response.next_cursor === undefined ? undefined : response.next_cursor;
      count.textContent = rows.length === 0 ? 'no activity matches these filters'
        : `${rows.length.toLocaleString('en-US')} events shown${cursor === undefined ? '' : ', scroll for more'}`;
    } catch (error) {
      if (mine === generation) showError(count, error);
    } finally {
      if (mine === generation) loading = false;
    }
    // Keep loading while the sentinel is still visible (a tall screen).
    if (mine === generation && cursor !== undefined && sentinelVisible()) loadMore();
  };
  const sentinelVisible = () => {
    const box = container.getBoundingClientRect();
    return sentinel.getBoundingClientRect().top <= box.bottom + 200;
  };
  const reset = () => {
    generation += 1;
    loading = false;
    rows = [];
    cursor = null;
    tbody.replaceChildren();
    setParams(filters());
    loadMore();
  };
  new IntersectionObserver((entries) => { if (entries.some((e) => e.isIntersecting)) loadMore(); },
    { root: container, rootMargin: '0px 0px 400px 0px' }).observe(sentinel);
  repoSelect.addEventListener('change', reset);
  typeSelect.addEventListener('change', reset);
  let typing = 0;
  userInput.addEventListener('input', () => { clearTimeout(typing); typing = setTimeout(reset, 300); });
  bindCsv('feed-csv', 'feed.csv', () => rows, ['event_at', 'event_type', 'action', 'repo_name', 'actor_login', 'actor_name', 'title', 'link', 'event_id']);

  try {
    const repos = await loadRepos();
    for (const r of repos.items) repoSelect.append(el('option', { value: r.repo_name, text: r.repo_name }));
    repoSelect.value = getParam('repo');
    if (repoSelect.value !== getParam('repo')) repoSelect.value = '';
  } catch (error) {
    showError(count, error);
  }
  await loadMore();
});
