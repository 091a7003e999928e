// Network of stargazers: repos and the people who starred them (nodes coloured by repo), laid out at
// build time; a user search; the stargazers by followers in a table beneath. URL: ?user=.
import Graph from 'graphology';
import { api, bindCsv, byId, cssVar, el, formatNumber, repoColors, setAsOf, showError, start, userLink } from '../common.js';
import { drawNetwork, quantileBins, webglAvailable, wireSearch, withAlpha } from '../network.js';
import { renderTable, sortRows } from '../table.js';

const TABLE_ROWS = 200;

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
  const n = data.nodes.id.length;
  const bins = quantileBins(data.nodes.followers.map((f) => f ?? 0), 6);
  const graph = new Graph({ type: 'undirected', multi: false, allowSelfLoops: false });
  for (let i = 0; i < n; i++) {
    const isRepo = data.nodes.type[i] === 'repo';
    graph.addNode(String(data.nodes.id[i]), {
      x: data.nodes.x[i] ?? Math.random(), y: data.nodes.y[i] ?? Math.random(), label: String(data.nodes.label[i] ?? ''),
      size: isRepo ? 14 : (n > 5000 ? 1.2 + bins[i] * 0.4 : 2 + bins[i] * 1.2), color: colors.get(data.nodes.group[i]) || '#888',
      zIndex: isRepo ? 1 : 0, kind: data.nodes.type[i], followers: data.nodes.followers[i], group: data.nodes.group[i],
    });
  }
  for (let e = 0; e < data.edges.source.length; e++) {
    const s = String(data.nodes.id[data.edges.source[e]]);
    const t = String(data.nodes.id[data.edges.target[e]]);
    if (s !== t && !graph.hasEdge(s, t)) graph.addEdge(s, t);
  }
  const users = graph.filterNodes((_, a) => a.kind === 'user').length;
  note.textContent = `${formatNumber(users)} stargazers of ${formatNumber(n - users)} repositories, ${formatNumber(graph.size)} stars`;
  const legend = byId('legend');
  const LEGEND_MAX = 12;
  for (const [repo, color] of [...colors].slice(0, LEGEND_MAX)) {
    const dot = el('span', { class: 'swatch', attrs: { 'aria-hidden': 'true' } });
    dot.style.background = color;
    legend.append(el('span', {}, dot, repo));
  }
  if (colors.size > LEGEND_MAX) legend.append(el('span', { class: 'muted', text: `+${colors.size - LEGEND_MAX} more (colours repeat)` }));
  const describe = (node) => {
    const a = graph.getNodeAttributes(node);
    if (a.kind === 'repo') return `${a.label}\n${formatNumber(graph.degree(node))} stargazers`;
    const starred = graph.neighbors(node).map((r) => graph.getNodeAttribute(r, 'label'));
    return `${a.label}\nfollowers: ${formatNumber(a.followers ?? 0)}\nstarred: ${starred.join(', ')}`;
  };

  const rows = [];
  graph.forEachNode((node, a) => {
    if (a.kind !== 'user') return;
    const starred = graph.neighbors(node).map((r) => graph.getNodeAttribute(r, 'label')).sort();
    rows.push({ login: a.label, followers: a.followers ?? 0, starred_count: starred.length, starred_repos: starred.join(' ') });
  });
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
  performance.mark('ampere:graph-built');
  // The table first (it is quick), then the graph once the table has painted.
  await new Promise((resolve) => { requestAnimationFrame(() => setTimeout(resolve, 0)); });
  const sigma = drawNetwork({ container, graph, describe, note,
    edgeColor: () => { const c = withAlpha(cssVar('--fg'), 0.12); return () => c; } });
  if (!webglAvailable()) container.hidden = true;
  wireSearch(graph, sigma, note);
  performance.mark('ampere:sigma-created');
});
