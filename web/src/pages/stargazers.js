// Network of stargazers: repos and the people who starred them (nodes coloured by repo), laid out at
// build time; a user search; the stargazers by followers in a table beneath. URL: ?user=.
import { api, bindCsv, byId, cssVar, el, formatNumber, repoColors, setAsOf, showError, start, userLink } from '../common.js';
import { buildGraph, drawNetwork, quantileBins, wireSearch } from '../network.js';
import { renderTable, sortRows } from '../table.js';

const TABLE_ROWS = 200;
const UNKNOWN_REPO = '#888888';

start(async () => {
  const note = byId('graph-note');
  const container = byId('graph');
  let data;
  let colors;
  try {
    [data, colors] = await Promise.all([api('networks/stargazers'), repoColors()]);
  } catch (error) {
    showError(container, error);
    return;
  }
  setAsOf(data.as_of);
  performance.mark('ampere:data');
  const nodes = data.nodes;
  const n = nodes.id.length;
  const label = nodes.label.map((l) => String(l ?? ''));
  const graph = buildGraph({ x: nodes.x, y: nodes.y, label, source: data.edges.source, target: data.edges.target });
  const isRepo = Uint8Array.from(nodes.type, (t) => (t === 'repo' ? 1 : 0));
  const bins = quantileBins(nodes.followers.map((f) => f ?? 0), 6);
  const palette = [...new Set([...colors.values(), UNKNOWN_REPO])];
  const colorIndex = new Map(palette.map((c, i) => [c, i]));
  const size = new Float32Array(n);
  const color = new Uint8Array(n);
  let users = 0;
  for (let i = 0; i < n; i++) {
    size[i] = isRepo[i] ? 14 : (n > 5000 ? 1.2 + bins[i] * 0.4 : 2 + bins[i] * 1.2);
    color[i] = colorIndex.get(colors.get(nodes.group[i]) ?? UNKNOWN_REPO);
    users += 1 - isRepo[i];
  }
  note.textContent = `${formatNumber(users)} stargazers of ${formatNumber(n - users)} repositories, ${formatNumber(graph.edgeCount)} stars`;
  if (!graph.laidOut && n > 0) note.textContent += ' (not laid out yet: positions come with the next build)';
  const legend = byId('legend');
  const LEGEND_MAX = 12;
  for (const [repo, c] of [...colors].slice(0, LEGEND_MAX)) {
    const dot = el('span', { class: 'swatch', attrs: { 'aria-hidden': 'true' } });
    dot.style.background = c;
    legend.append(el('span', {}, dot, repo));
  }
  if (colors.size > LEGEND_MAX) legend.append(el('span', { class: 'muted', text: `+${colors.size - LEGEND_MAX} more (colours repeat)` }));

  const reposOf = (i) => {
    const repos = [];
    for (let p = graph.offsets[i]; p < graph.offsets[i + 1]; p++) if (isRepo[graph.neighbour[p]]) repos.push(label[graph.neighbour[p]]);
    return repos;
  };
  const describe = (i) => {
    if (isRepo[i]) return `${label[i]}\n${formatNumber(graph.degree(i))} stargazers`;
    return `${label[i]}\nfollowers: ${formatNumber(nodes.followers[i] ?? 0)}\nstarred: ${reposOf(i).join(', ')}`;
  };

  // The edges are painted on another thread while the table is built.
  const view = drawNetwork({ container, graph, note, style: {
    size, color, palette: () => palette, labelAlways: isRepo, describe,
    edgeClass: new Uint8Array(graph.edgeCount), edgeStyles: () => [{ color: cssVar('--fg'), alpha: 0.12 }],
  } });

  const rows = [];
  for (let i = 0; i < n; i++) {
    if (isRepo[i]) continue;
    const starred = reposOf(i);
    if (starred.length > 1) starred.sort();
    rows.push({ login: label[i], followers: nodes.followers[i] ?? 0, starred_count: starred.length, starred_repos: starred.join(' ') });
  }
  let sort = { key: 'followers', order: 'desc' };
  const render = () => renderTable(byId('people-table'), {
    caption: 'stargazers by followers', className: 'people', rows: sortRows(rows, sort.key, sort.order).slice(0, TABLE_ROWS), sort,
    onSort: (key, order) => { sort = { key, order }; render(); },
    columns: [
      { key: 'login', label: 'user', sortable: true, cell: (r) => userLink(r.login) },
      { key: 'followers', label: 'followers', num: true, sortable: true, cell: (r) => formatNumber(r.followers) },
      { key: 'starred_count', label: 'repos starred', num: true, sortable: true },
      { key: 'starred_repos', label: 'starred', sortable: true, className: () => 'text' },
    ],
  });
  render();
  bindCsv('people-csv', 'stargazers.csv', () => sortRows(rows, sort.key, sort.order), ['login', 'followers', 'starred_count', 'starred_repos']);
  if (!view) container.hidden = true;
  wireSearch(graph, view, note);
});
