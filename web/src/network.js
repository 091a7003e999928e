// The network pages' shared part: a graphology graph drawn by sigma (WebGL) with hover tooltips (text
// only), zoom buttons, a user search that highlights the user and their neighbours (?user= in the URL),
// and a sortable table beneath.
import Sigma from 'sigma';
import { byId, cssVar, el, getParam, isDark, markDrawn, onThemeChange, setParams } from './common.js';

/** True when the browser can draw WebGL. */
export function webglAvailable() {
  try {
    const canvas = document.createElement('canvas');
    return Boolean(canvas.getContext('webgl2') || canvas.getContext('webgl'));
  } catch {
    return false;
  }
}

/** The 0..bins-1 quantile bin of each value (ties share a bin). */
export function quantileBins(values, bins) {
  const sorted = Float64Array.from(values).sort();
  const cuts = [];
  for (let i = 1; i < bins; i++) cuts.push(sorted[Math.min(sorted.length - 1, Math.floor((i * sorted.length) / bins))]);
  return values.map((v) => {
    let b = 0;
    while (b < cuts.length && v > cuts[b]) b++;
    return b;
  });
}

/** "#rrggbb" or "rgb(r, g, b)" -> "rgba(r, g, b, alpha)". */
export function withAlpha(color, alpha) {
  let r = 0; let g = 0; let b = 0;
  if (color.startsWith('#')) {
    const hex = color.length === 4 ? color.slice(1).split('').map((c) => c + c).join('') : color.slice(1, 7);
    [r, g, b] = [0, 2, 4].map((i) => parseInt(hex.slice(i, i + 2), 16));
  } else {
    [r, g, b] = (color.match(/\d+(\.\d+)?/g) || [0, 0, 0]).map(Number);
  }
  return `rgba(${r}, ${g}, ${b}, ${alpha})`;
}

/**
 * Draws `graph` in `container` (#graph). `describe(node)` gives the tooltip text; `edgeColor(edge attrs)`
 * the edge colours for the current theme. Returns the sigma instance or null without WebGL.
 */
export function drawNetwork({ container, graph, describe, edgeColor, note }) {
  if (!webglAvailable()) {
    note.textContent = 'This browser cannot draw WebGL; the table below lists the same people.';
    return null;
  }
  const tooltip = el('div', { class: 'graph-tooltip', attrs: { role: 'tooltip' } });
  let highlighted = null;
  let neighbours = new Set();
  let labelColor = cssVar('--fg');
  let faded = withAlpha(cssVar('--muted'), 0.25);
  let edgeColors = edgeColor();
  const sigma = new Sigma(graph, container, {
    settings: { hideEdgesOnMove: graph.size > 20000, labelRenderedSizeThreshold: 9, labelDensity: 0.5,
      zIndex: true, minCameraRatio: 0.02, maxCameraRatio: 4, gestureTarget: 'graph' },
    nodeReducer: (node, data) => {
      const out = { labelColor };
      if (highlighted !== null) {
        if (node === highlighted) Object.assign(out, { labelVisibility: 'visible', size: data.size * 1.8, zIndex: 2 });
        else if (neighbours.has(node)) Object.assign(out, { zIndex: 1 });
        else Object.assign(out, { color: faded, label: null, zIndex: 0 });
      }
      return out;
    },
    edgeReducer: (edge, data, attrs) => {
      if (highlighted !== null && !graph.hasExtremity(edge, highlighted)) return { visibility: 'hidden' };
      return { color: edgeColors(attrs) };
    },
  });
  container.append(tooltip);
  // The constructor has drawn the first frame.
  performance.mark('ampere:graph-drawn');
  markDrawn();
  sigma.on('enterNode', ({ node, event }) => {
    tooltip.textContent = describe(node);
    tooltip.style.display = 'block';
    const box = container.getBoundingClientRect();
    const x = Math.min(event.x + 12, box.width - tooltip.offsetWidth - 4);
    const y = Math.min(event.y + 12, box.height - tooltip.offsetHeight - 4);
    tooltip.style.left = `${Math.max(4, x)}px`;
    tooltip.style.top = `${Math.max(4, y)}px`;
  });
  sigma.on('leaveNode', () => { tooltip.style.display = 'none'; });
  sigma.on('clickNode', ({ node }) => highlight(node));
  sigma.on('clickStage', () => highlight(null));

  const camera = sigma.getCamera();
  const zoom = el('div', { class: 'zoom' },
    el('button', { type: 'button', text: '+', attrs: { 'aria-label': 'zoom in' }, on: { click: () => camera.animatedZoom({ duration: 200 }) } }),
    el('button', { type: 'button', text: '−', attrs: { 'aria-label': 'zoom out' }, on: { click: () => camera.animatedUnzoom({ duration: 200 }) } }),
    el('button', { type: 'button', text: '⟲', attrs: { 'aria-label': 'reset zoom' }, on: { click: () => camera.animatedReset({ duration: 200 }) } }));
  container.append(zoom);

  function highlight(node) {
    highlighted = node;
    neighbours = node === null ? new Set() : new Set(graph.neighbors(node));
    setParams({ user: node === null ? '' : graph.getNodeAttribute(node, 'label') });
    sigma.refresh();
    if (node !== null) {
      const position = sigma.getNodeDisplayData(node);
      if (position) camera.animate({ x: position.x, y: position.y, ratio: Math.min(camera.ratio, 0.3) }, { duration: 300 });
    }
  }
  sigma.highlight = highlight;
  onThemeChange(() => {
    labelColor = cssVar('--fg');
    faded = withAlpha(cssVar('--muted'), 0.25);
    edgeColors = edgeColor();
    sigma.refresh();
  });
  return sigma;
}

/** Wires the search form (#search input, #search-go button): finds a node by label and highlights it. */
export function wireSearch(graph, sigma, note) {
  const input = byId('search');
  const find = (text) => {
    const wanted = text.trim().toLowerCase();
    if (!wanted) return null;
    let prefix = null;
    for (const node of graph.nodes()) {
      const label = String(graph.getNodeAttribute(node, 'label') || '').toLowerCase();
      if (label === wanted) return node;
      if (prefix === null && label.startsWith(wanted)) prefix = node;
    }
    return prefix;
  };
  const go = () => {
    const node = find(input.value);
    if (!input.value.trim()) { sigma?.highlight(null); note.textContent = ''; return; }
    if (node === null) { note.textContent = `no user matches “${input.value.trim()}”`; return; }
    note.textContent = `${graph.getNodeAttribute(node, 'label')}: ${graph.degree(node)} connections`;
    sigma?.highlight(node);
  };
  byId('search-go').addEventListener('click', go);
  input.addEventListener('keydown', (e) => { if (e.key === 'Enter') go(); });
  const initial = getParam('user');
  if (initial) { input.value = initial; go(); }
}

export { isDark };
