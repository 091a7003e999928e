// Network of followers: people of the organization and who follows whom among them; mutual follows in
// coral, others in the text colour; darker (lighter in dark mode) nodes have more followers. Tooltips and
// the table show the share of followers and following inside the organization. URL: ?user=.
import { api, bindCsv, byId, cssVar, el, formatNumber, setAsOf, showError, start, userLink, isDark } from '../common.js';
import { buildGraph, drawNetwork, quantileBins, wireSearch, withAlpha } from '../network.js';
import { renderTable, sortRows } from '../table.js';

const TABLE_ROWS = 200;
const MUTUAL = 'rgb(247, 111, 83)';

const pct = (part, whole) => (whole > 0 ? (100 * part) / whole : null);
const share = (part, whole) => `${formatNumber(part)}/${formatNumber(whole)}${whole > 0 ? ` (${pct(part, whole).toFixed(1)}%)` : ''}`;

/** Grey for follower decile `bin` (0..9): more followers = stronger contrast with the background. */
function grey(bin, dark = isDark()) {
  const t = bin / 9;
  const level = dark ? Math.round(70 + 180 * t) : Math.round(200 - 180 * t);
  return `rgb(${level}, ${level}, ${level})`;
}

start(async () => {
  const note = byId('graph-note');
  const container = byId('graph');
  let data;
  try {
    data = await api('networks/followers');
  } catch (error) {
    showError(container, error);
    return;
  }
  setAsOf(data.as_of);
  performance.mark('ampere:data');
  const nodes = data.nodes;
  const n = nodes.id.length;
  const bins = quantileBins(nodes.followers.map((f) => f ?? 0), 10);
  const label = nodes.label.map((l) => String(l ?? ''));
  // A mutual pair is listed both ways; the graph keeps one edge of it.
  const graph = buildGraph({ x: nodes.x, y: nodes.y, label, source: data.edges.source, target: data.edges.target });
  const size = Float32Array.from(bins, (b) => (n > 5000 ? 1.5 + b * 0.2 : 2.5 + b * 0.3));
  const color = Uint8Array.from(bins);
  const edgeClass = new Uint8Array(graph.edgeCount);
  let mutualCount = 0;
  for (let k = 0; k < graph.edgeCount; k++) {
    if (data.edges.mutual[graph.edgeOf[k]]) mutualCount++;
    else edgeClass[k] = 1;
  }
  note.textContent = `${formatNumber(n)} people, ${formatNumber(data.edges.source.length)} follows (${formatNumber(mutualCount)} mutual pairs)`;
  if (!graph.laidOut && n > 0) note.textContent += ' (not laid out yet: positions come with the next build)';
  const legend = byId('legend');
  const swatch = (color, text) => {
    const dot = el('span', { class: 'swatch', attrs: { 'aria-hidden': 'true' } });
    dot.style.background = color;
    return el('span', {}, dot, text);
  };
  legend.append(swatch(MUTUAL, 'mutual follow'), swatch(withAlpha(cssVar('--fg'), 0.5), 'one-way follow'),
    swatch(grey(9), 'most followers'), swatch(grey(0), 'fewest followers'));

  const describe = (i) => {
    const name = nodes.name[i] ? ` (${nodes.name[i]})` : '';
    return `${nodes.label[i]}${name}\norg followers: ${share(nodes.internal_followers[i] ?? 0, nodes.followers[i] ?? 0)}`
      + `\norg following: ${share(nodes.internal_following[i] ?? 0, nodes.following[i] ?? 0)}`;
  };

  // The edges are painted on another thread while the table is built.
  const view = drawNetwork({ container, graph, note, style: {
    size, color, palette: () => Array.from({ length: 10 }, (_, b) => grey(b)), describe, edgeClass,
    edgeStyles: () => [{ color: MUTUAL, alpha: 0.7 }, { color: cssVar('--fg'), alpha: 0.25 }],
  } });

  const rows = nodes.id.map((_, i) => ({
    login: nodes.label[i], name: nodes.name[i] || '', followers: nodes.followers[i] ?? 0,
    internal_followers: nodes.internal_followers[i] ?? 0, internal_followers_pct: pct(nodes.internal_followers[i] ?? 0, nodes.followers[i] ?? 0),
    following: nodes.following[i] ?? 0, internal_following: nodes.internal_following[i] ?? 0,
    internal_following_pct: pct(nodes.internal_following[i] ?? 0, nodes.following[i] ?? 0),
  }));
  let sort = { key: 'followers', order: 'desc' };
  const render = () => renderTable(byId('people-table'), {
    caption: 'people by followers', className: 'people', rows: sortRows(rows, sort.key, sort.order).slice(0, TABLE_ROWS), sort,
    onSort: (key, order) => { sort = { key, order }; render(); },
    columns: [
      { key: 'login', label: 'user', sortable: true, cell: (r) => userLink(r.login) },
      { key: 'name', label: 'name', sortable: true, className: () => 'text' },
      { key: 'followers', label: 'followers', num: true, sortable: true, cell: (r) => formatNumber(r.followers) },
      { key: 'internal_followers', label: 'org followers', num: true, sortable: true, cell: (r) => formatNumber(r.internal_followers) },
      { key: 'internal_followers_pct', label: 'org followers %', num: true, sortable: true, cell: (r) => formatNumber(r.internal_followers_pct, 2) },
      { key: 'following', label: 'following', num: true, sortable: true, cell: (r) => formatNumber(r.following) },
      { key: 'internal_following', label: 'org following', num: true, sortable: true, cell: (r) => formatNumber(r.internal_following) },
      { key: 'internal_following_pct', label: 'org following %', num: true, sortable: true, cell: (r) => formatNumber(r.internal_following_pct, 2) },
    ],
  });
  render();
  bindCsv('people-csv', 'followers.csv', () => sortRows(rows, sort.key, sort.order), ['login', 'name', 'followers',
    'internal_followers', 'internal_followers_pct', 'following', 'internal_following', 'internal_following_pct']);
  if (!view) container.hidden = true;
  wireSearch(graph, view, note);
});
