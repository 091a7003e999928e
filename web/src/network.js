// The network pages' shared part: the graph in typed arrays (positions from the build's layout, edges
// as node indexes, each node's neighbours) drawn on a canvas: the faint edges rasterized in JavaScript on
// a worker thread and the dots on top (raster.js), then labels that do not overlap, or the highlighted
// node with its edges and neighbours. Pan and zoom by drag, wheel, pinch and buttons; while the view
// moves, the last picture is moved and the scene is redrawn once it settles. Hover shows a tooltip (text
// only: everything from GitHub is untrusted), a click or the user search highlights a node and its
// neighbours (?user= in the URL). Colours come from CSS variables and are read again when the theme
// changes.
import { byId, cssVar, el, getParam, markDrawn, onThemeChange, setParams } from './common.js';
import { countSegments, cssColorBytes, edgePainter, fillDots, paintCounts, projectPoints } from './raster.js';

/* global RASTER_WORKER_URL */
// The edge painter's script, named by web/build.mjs (none when the page was bundled without it).
const WORKER_URL = typeof RASTER_WORKER_URL === 'string' ? RASTER_WORKER_URL : null;

const MIN_ZOOM = 0.25;
const MAX_ZOOM = 50;
const ZOOM_STEP = 1.5;
const HIGHLIGHT_ZOOM = 3;        // a searched user is shown at least this close
const MAX_PIXEL_RATIO = 2;       // sharper than this costs fill time and shows nothing more
const SLOW_DRAW_MS = 30;         // a full draw slower than this: pan and zoom move the last picture
const SETTLE_MS = 150;           // the full redraw after the last move
const CLICK_SLOP_PX = 6;         // a press that moved less than this is a click (a tap on a phone)
const HIT_SLOP_PX = 4;           // the pointer may miss a node by this much
const LABEL_FONT_PX = 12;
const LABEL_MIN_RADIUS_PX = 6;   // zoomed in this far, nodes get labels
const MAX_LABELS = 250;
const MAX_HIGHLIGHT_LABELS = 40;
const MANY_EDGES = 1000;        // a highlighted node with more edges has them rasterized, not stroked

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
 * The graph from the API's columns: positions (a node without one is put on a small spiral in the
 * middle; `laidOut` is false when no node has one), undirected edges without self-loops or repeats
 * (`edgeOf[k]` is the API's index of kept edge k), and each node's neighbours (CSR: `offsets`,
 * `neighbour`, `neighbourEdge`).
 */
export function buildGraph({ x, y, label, source, target }) {
  const n = label.length;
  const xs = new Float32Array(n);
  const ys = new Float32Array(n);
  let placed = 0;
  let minX = Infinity; let maxX = -Infinity; let minY = Infinity; let maxY = -Infinity;
  for (let i = 0; i < n; i++) {
    const px = x[i]; const py = y[i];
    if (typeof px !== 'number' || typeof py !== 'number') { xs[i] = NaN; continue; }
    xs[i] = px; ys[i] = py; placed++;
    if (px < minX) minX = px; if (px > maxX) maxX = px;
    if (py < minY) minY = py; if (py > maxY) maxY = py;
  }
  if (placed < n) {
    const span = placed > 0 ? Math.max(maxX - minX, maxY - minY) || 1 : 1;
    const cx = placed > 0 ? (minX + maxX) / 2 : 0;
    const cy = placed > 0 ? (minY + maxY) / 2 : 0;
    const step = (placed > 0 ? 0.1 : 0.5) * span / Math.sqrt(n - placed);
    let k = 0;
    for (let i = 0; i < n; i++) {
      if (!Number.isNaN(xs[i])) continue;
      const r = step * Math.sqrt(k); const a = k * 2.399963;  // the golden angle
      xs[i] = cx + r * Math.cos(a); ys[i] = cy + r * Math.sin(a); k++;
    }
  }

  // Every edge both ways (CSR), then each node keeps its first edge to each other node: no hashing.
  const m = source.length;
  const rawOffsets = new Int32Array(n + 1);
  for (let e = 0; e < m; e++) {
    const s = source[e]; const t = target[e];
    if (s === t || !(s >= 0 && s < n) || !(t >= 0 && t < n)) continue;
    rawOffsets[s + 1]++; rawOffsets[t + 1]++;
  }
  for (let i = 0; i < n; i++) rawOffsets[i + 1] += rawOffsets[i];
  const rawFill = rawOffsets.slice(0, n);
  const rawNeighbour = new Int32Array(rawOffsets[n]);
  const rawEdge = new Int32Array(rawOffsets[n]);
  for (let e = 0; e < m; e++) {
    const s = source[e]; const t = target[e];
    if (s === t || !(s >= 0 && s < n) || !(t >= 0 && t < n)) continue;
    let p = rawFill[s]++; rawNeighbour[p] = t; rawEdge[p] = e;
    p = rawFill[t]++; rawNeighbour[p] = s; rawEdge[p] = e;
  }
  // Kept: the pair (i, j) once, from the smaller index, as its first listed edge.
  const firstEdge = new Int32Array(n);
  const stamp = new Int32Array(n).fill(-1);
  const capacity = rawOffsets[n] / 2;
  const src = new Int32Array(capacity);
  const dst = new Int32Array(capacity);
  const edgeOf = new Int32Array(capacity);
  let kept = 0;
  for (let i = 0; i < n; i++) {
    const first = kept;
    for (let p = rawOffsets[i]; p < rawOffsets[i + 1]; p++) {
      const j = rawNeighbour[p];
      if (j < i) continue;
      if (stamp[j] === i) { if (rawEdge[p] < firstEdge[j]) firstEdge[j] = rawEdge[p]; continue; }
      stamp[j] = i; firstEdge[j] = rawEdge[p];
      src[kept] = i; dst[kept] = j; kept++;
    }
    for (let k = first; k < kept; k++) edgeOf[k] = firstEdge[dst[k]];
  }
  const offsets = new Int32Array(n + 1);
  for (let k = 0; k < kept; k++) { offsets[src[k] + 1]++; offsets[dst[k] + 1]++; }
  for (let i = 0; i < n; i++) offsets[i + 1] += offsets[i];
  const fill = offsets.slice(0, n);
  const neighbour = new Int32Array(2 * kept);
  const neighbourEdge = new Int32Array(2 * kept);
  for (let k = 0; k < kept; k++) {
    let p = fill[src[k]]++; neighbour[p] = dst[k]; neighbourEdge[p] = k;
    p = fill[dst[k]]++; neighbour[p] = src[k]; neighbourEdge[p] = k;
  }
  return {
    n, x: xs, y: ys, label, laidOut: placed > 0, edgeCount: kept,
    src: src.subarray(0, kept), dst: dst.subarray(0, kept), edgeOf: edgeOf.subarray(0, kept), offsets, neighbour, neighbourEdge,
    degree: (i) => offsets[i + 1] - offsets[i],
    neighbours: (i) => Array.from(neighbour.subarray(offsets[i], offsets[i + 1])),
  };
}

/** Index of the node labelled `text` (case-insensitive), else the first whose label starts with it, else -1. */
export function findNode(graph, text) {
  const wanted = text.trim().toLowerCase();
  if (!wanted) return -1;
  let prefix = -1;
  for (let i = 0; i < graph.n; i++) {
    const label = String(graph.label[i] ?? '').toLowerCase();
    if (label === wanted) return i;
    if (prefix < 0 && label.startsWith(wanted)) prefix = i;
  }
  return prefix;
}

/** The layout's extent: {minX, maxX, minY, maxY}. */
function boundsOf({ n, x, y }) {
  let minX = Infinity; let maxX = -Infinity; let minY = Infinity; let maxY = -Infinity;
  for (let i = 0; i < n; i++) {
    if (x[i] < minX) minX = x[i]; if (x[i] > maxX) maxX = x[i];
    if (y[i] < minY) minY = y[i]; if (y[i] > maxY) maxY = y[i];
  }
  return n === 0 ? { minX: 0, maxX: 1, minY: 0, maxY: 1 } : { minX, maxX, minY, maxY };
}

/** A uniform grid over the layout (`bounds`) for hit-testing: cells hold node indexes (CSR). */
function makeGrid(graph, { minX, maxX, minY, maxY }) {
  const { n, x, y } = graph;
  const side = Math.max(1, Math.min(512, Math.ceil(Math.sqrt(n / 2))));
  const cell = Math.max(maxX - minX, maxY - minY, 1e-9) / side;
  const cellOf = (i) => Math.min(side - 1, Math.floor((x[i] - minX) / cell)) * side + Math.min(side - 1, Math.floor((y[i] - minY) / cell));
  const start = new Int32Array(side * side + 1);
  for (let i = 0; i < n; i++) start[cellOf(i) + 1]++;
  for (let c = 0; c < side * side; c++) start[c + 1] += start[c];
  const fill = start.slice(0, side * side);
  const items = new Int32Array(n);
  for (let i = 0; i < n; i++) items[fill[cellOf(i)]++] = i;
  return { minX, maxX, minY, maxY, side, cell, start, items };
}

/**
 * Draws `graph` in `container` (#graph). `style`: `size` (Float32Array, radius in px at the fitted
 * zoom), `color` (Uint8Array, index into `palette()`), `palette()` (node colours for the current theme),
 * `edgeClass` (Uint8Array per kept edge, index into `edgeStyles()`), `edgeStyles()` ([{color, alpha}] for
 * the current theme), `labelAlways` (optional Uint8Array: nodes labelled at any zoom), `describe(i)`
 * (the tooltip's text). Returns the view ({highlight(i or -1), highlighted()}), or null (with a note)
 * when the browser cannot draw.
 */
export function drawNetwork({ container, graph, style, note }) {
  const canvas = el('canvas', { attrs: { 'aria-hidden': 'true' } });
  const ctx = canvas.getContext('2d');
  if (!ctx) {
    note.textContent = 'This browser cannot draw the graph; the table below lists the same people.';
    return null;
  }
  canvas.style.touchAction = 'none';
  canvas.style.display = 'block';
  canvas.style.width = '100%';
  canvas.style.height = '100%';
  const scene = document.createElement('canvas');
  const sceneCtx = scene.getContext('2d');
  const tooltip = el('div', { class: 'graph-tooltip', attrs: { role: 'tooltip' } });
  container.append(canvas, tooltip);

  const { n, x, y } = graph;
  const bounds = boundsOf(graph);
  const sx = new Float32Array(n);
  const sy = new Float32Array(n);
  const sr = new Float32Array(n);
  let maxSize = 0;
  for (let i = 0; i < n; i++) maxSize = Math.max(maxSize, style.size[i]);

  let theme = readTheme();
  function readTheme() {
    const palette = style.palette();
    const edges = style.edgeStyles();
    const muted = cssColorBytes(cssVar('--muted'));
    const background = cssColorBytes(cssVar('--bg'));
    return { palette, rgb: palette.map((c) => cssColorBytes(c).slice(0, 3)), edges,
      edgeRgb: edges.map((e) => cssColorBytes(e.color).slice(0, 3)), fg: cssVar('--fg'), bg: cssVar('--bg'),
      // Nodes outside a highlight: the muted colour, faint over the background (opaque, so cheap to draw).
      faded: [0, 1, 2].map((i) => Math.round(muted[i] * 0.3 + background[i] * 0.7)),
      fontFamily: getComputedStyle(container).fontFamily };
  }

  // Camera: the graph point at the middle of the canvas, and the zoom relative to the fitted view.
  let width = 0; let height = 0; let ratio = 1;
  let fitScale = 1;
  const home = { cx: (bounds.minX + bounds.maxX) / 2, cy: (bounds.minY + bounds.maxY) / 2, zoom: 1 };
  let camera = { ...home };
  let drawnCamera = null;     // the camera of the picture in `scene`
  let lastDrawMs = 0;
  let highlighted = -1;
  let firstDraw = true;
  const painter = edgePainter({ x, y, src: graph.src, dst: graph.dst, edgeClass: style.edgeClass }, WORKER_URL);
  let drawId = 0;

  const scale = () => fitScale * camera.zoom;
  const radius = (i) => Math.max(0.6, style.size[i] * Math.sqrt(camera.zoom));

  function resize() {
    const box = container.getBoundingClientRect();
    width = Math.max(1, Math.round(box.width));
    height = Math.max(1, Math.round(box.height));
    ratio = Math.min(window.devicePixelRatio || 1, MAX_PIXEL_RATIO);
    for (const c of [canvas, scene]) { c.width = Math.round(width * ratio); c.height = Math.round(height * ratio); }
    const margin = 16 + maxSize;
    fitScale = Math.min((width - 2 * margin) / Math.max(bounds.maxX - bounds.minX, 1e-9),
      (height - 2 * margin) / Math.max(bounds.maxY - bounds.minY, 1e-9));
    if (!(fitScale > 0)) fitScale = 1;
  }

  // Screen positions and radii of every node at camera `view`, in device pixels.
  function project(view) {
    projectPoints(x, y, view.cx, view.cy, fitScale * view.zoom * ratio, scene.width, scene.height, sx, sy);
    const grow = Math.sqrt(view.zoom) * ratio; const least = 0.6 * ratio;
    for (let i = 0; i < n; i++) sr[i] = Math.max(least, style.size[i] * grow);
  }

  const visible = (i, pad) => sx[i] > -pad && sx[i] < scene.width + pad && sy[i] > -pad && sy[i] < scene.height + pad;

  function drawLabels(c, candidates) {
    const fontPx = LABEL_FONT_PX * ratio;
    c.font = `${fontPx}px ${theme.fontFamily}`;
    c.textBaseline = 'middle';
    c.lineJoin = 'round';
    c.lineWidth = 3 * ratio;
    c.strokeStyle = theme.bg;
    c.fillStyle = theme.fg;
    const boxes = [];
    for (const i of candidates) {
      if (boxes.length >= MAX_LABELS) break;
      const text = String(graph.label[i] ?? '');
      if (!text) continue;
      const w = c.measureText(text).width;
      const left = sx[i] + sr[i] + 3 * ratio; const top = sy[i] - fontPx / 2 - ratio;
      const box = [left, top, left + w, top + fontPx + 2 * ratio];
      if (box[2] < 0 || box[0] > scene.width || box[3] < 0 || box[1] > scene.height) continue;
      if (boxes.some((o) => box[0] < o[2] && box[2] > o[0] && box[1] < o[3] && box[3] > o[1])) continue;
      boxes.push(box);
      c.strokeText(text, left, sy[i]);
      c.fillText(text, left, sy[i]);
    }
  }

  function labelCandidates(view) {
    const out = [];
    const zoomedIn = maxSize * Math.sqrt(view.zoom) >= LABEL_MIN_RADIUS_PX;
    const least = LABEL_MIN_RADIUS_PX * ratio;
    for (let i = 0; i < n; i++) {
      if (!visible(i, 0)) continue;
      if ((style.labelAlways && style.labelAlways[i]) || (zoomedIn && sr[i] >= least)) out.push(i);
    }
    return out.sort((a, b) => (style.size[b] - style.size[a]) || (graph.degree(b) - graph.degree(a)));
  }

  // The whole scene at the current camera into `scene`, then onto the canvas: the edges come from the
  // painter (another thread), the dots, labels and the highlight are added here.
  function drawScene() {
    const id = ++drawId;
    const view = { ...camera };
    const started = performance.now();
    if (highlighted >= 0) {
      compose(view, new Uint32Array(scene.width * scene.height), started);
      return;
    }
    const request = { cx: view.cx, cy: view.cy, scale: fitScale * view.zoom * ratio, w: scene.width, h: scene.height,
      styles: theme.edges.map((edge, cls) => ({ rgb: theme.edgeRgb[cls], alpha: edge.alpha })) };
    painter.paint(request).then((pixels) => {
      if (pixels && id === drawId && highlighted < 0 && pixels.length === scene.width * scene.height) compose(view, pixels, started);
    });
  }

  // Dots over the edges' `pixels`, then labels, or the highlighted node, its edges and its neighbours.
  function compose(view, pixels, started) {
    project(view);
    const w = scene.width; const h = scene.height;
    const c = sceneCtx;
    if (highlighted < 0) {
      fillDots(pixels, w, h, order, sx, sy, sr, (i) => theme.rgb[style.color[i]]);
      c.putImageData(new ImageData(new Uint8ClampedArray(pixels.buffer), w, h), 0, 0);
      drawLabels(c, labelCandidates(view));
    } else {
      const at = highlighted;
      fillDots(pixels, w, h, order, sx, sy, sr, () => theme.faded);
      const from = graph.offsets[at]; const to = graph.offsets[at + 1];
      const around = Array.from(graph.neighbour.subarray(from, to)).sort((a, b) => style.size[a] - style.size[b]);
      const strong = (cls) => Math.max(theme.edges[cls].alpha, 0.6);
      if (to - from > MANY_EDGES) {
        const src = new Int32Array(to - from).fill(at);
        const dst = graph.neighbour.subarray(from, to);
        const classes = Uint8Array.from(graph.neighbourEdge.subarray(from, to), (k) => style.edgeClass[k]);
        paintCounts(pixels, theme.edges.map((edge, cls) => {
          const counts = new Uint8Array(w * h);
          countSegments(counts, w, h, sx, sy, src, dst, classes, cls);
          return { counts, rgb: theme.edgeRgb[cls], alpha: strong(cls) };
        }));
        fillDots(pixels, w, h, around, sx, sy, sr, (i) => theme.rgb[style.color[i]]);
        c.putImageData(new ImageData(new Uint8ClampedArray(pixels.buffer), w, h), 0, 0);
      } else {
        c.putImageData(new ImageData(new Uint8ClampedArray(pixels.buffer), w, h), 0, 0);
        c.lineWidth = ratio;
        theme.edges.forEach((edge, cls) => {
          c.beginPath();
          for (let p = from; p < to; p++) {
            if (style.edgeClass[graph.neighbourEdge[p]] !== cls) continue;
            const j = graph.neighbour[p];
            c.moveTo(sx[at], sy[at]); c.lineTo(sx[j], sy[j]);
          }
          c.globalAlpha = strong(cls);
          c.strokeStyle = edge.color;
          c.stroke();
          c.globalAlpha = 1;
        });
        for (const j of around) {
          if (!visible(j, sr[j])) continue;
          c.fillStyle = theme.palette[style.color[j]];
          c.beginPath(); c.arc(sx[j], sy[j], sr[j], 0, 2 * Math.PI); c.fill();
        }
      }
      c.lineWidth = 2 * ratio;
      c.strokeStyle = theme.fg;
      c.fillStyle = theme.palette[style.color[at]];
      c.beginPath();
      c.arc(sx[at], sy[at], Math.max(4 * ratio, sr[at] * 1.8), 0, 2 * Math.PI);
      c.fill();
      c.stroke();
      around.sort((a, b) => style.size[b] - style.size[a]);
      drawLabels(c, [at, ...around.slice(0, MAX_HIGHLIGHT_LABELS)]);
    }
    drawnCamera = view;
    blit();
    lastDrawMs = performance.now() - started;
    container.dataset.drawnNodes = String(n);
    container.dataset.drawnEdges = String(highlighted < 0 ? graph.edgeCount : graph.degree(highlighted));
    container.dataset.drawMs = String(Math.round(lastDrawMs));
    container.dataset.zoom = view.zoom.toFixed(3);
    if (firstDraw) {
      firstDraw = false;
      performance.mark('ampere:graph-drawn');
      markDrawn();
    }
  }

  // The last picture, moved and scaled to the current camera (nothing new is drawn).
  function blit() {
    ctx.setTransform(1, 0, 0, 1, 0, 0);
    ctx.clearRect(0, 0, canvas.width, canvas.height);
    if (!drawnCamera) return;
    const k = camera.zoom / drawnCamera.zoom;
    const s = fitScale * camera.zoom;
    const dx = (drawnCamera.cx - camera.cx) * s + width / 2 - (width / 2) * k;
    const dy = (camera.cy - drawnCamera.cy) * s + height / 2 - (height / 2) * k;
    ctx.setTransform(k, 0, 0, k, dx * ratio, dy * ratio);
    ctx.drawImage(scene, 0, 0);
    ctx.setTransform(1, 0, 0, 1, 0, 0);
  }

  let frame = 0;
  let settle = 0;
  // After a camera change: the whole scene when that is quick, else the moved picture now and the
  // scene once the moves stop.
  function render() {
    if (frame) return;
    frame = requestAnimationFrame(() => {
      frame = 0;
      if (lastDrawMs < SLOW_DRAW_MS) { drawScene(); return; }
      blit();
      clearTimeout(settle);
      settle = setTimeout(drawScene, SETTLE_MS);
    });
  }
  function redraw() {
    cancelAnimationFrame(frame); frame = 0;
    clearTimeout(settle);
    drawScene();
  }

  function zoomAt(factor, px = width / 2, py = height / 2) {
    const zoom = Math.min(MAX_ZOOM, Math.max(MIN_ZOOM, camera.zoom * factor));
    const before = scale();
    const gx = camera.cx + (px - width / 2) / before;
    const gy = camera.cy - (py - height / 2) / before;
    camera.zoom = zoom;
    const after = scale();
    camera.cx = gx - (px - width / 2) / after;
    camera.cy = gy + (py - height / 2) / after;
    render();
  }
  function panBy(dx, dy) {
    camera.cx -= dx / scale();
    camera.cy += dy / scale();
    render();
  }

  // The node under screen point (px, py), or -1.
  function nodeAt(px, py) {
    const s = scale();
    const gx = camera.cx + (px - width / 2) / s;
    const gy = camera.cy - (py - height / 2) / s;
    const reach = (maxSize * Math.sqrt(camera.zoom) * 1.8 + HIT_SLOP_PX) / s;
    const c0 = Math.max(0, Math.floor((gx - reach - grid.minX) / grid.cell));
    const c1 = Math.min(grid.side - 1, Math.floor((gx + reach - grid.minX) / grid.cell));
    const r0 = Math.max(0, Math.floor((gy - reach - grid.minY) / grid.cell));
    const r1 = Math.min(grid.side - 1, Math.floor((gy + reach - grid.minY) / grid.cell));
    let best = -1; let bestScore = Infinity;
    for (let c = c0; c <= c1; c++) {
      for (let r = r0; r <= r1; r++) {
        const cellIndex = c * grid.side + r;
        for (let p = grid.start[cellIndex]; p < grid.start[cellIndex + 1]; p++) {
          const i = grid.items[p];
          if (highlighted >= 0 && i !== highlighted && !isNeighbour(i)) continue;
          const d = Math.hypot((x[i] - gx) * s, (y[i] - gy) * s);
          const r2 = radius(i) * (i === highlighted ? 1.8 : 1);
          if (d > r2 + HIT_SLOP_PX) continue;
          const score = d - r2;
          if (score < bestScore) { best = i; bestScore = score; }
        }
      }
    }
    return best;
  }
  let neighbourSet = new Set();
  const isNeighbour = (i) => neighbourSet.has(i);

  function showTooltip(i, px, py) {
    if (i < 0) { tooltip.style.display = 'none'; delete container.dataset.hover; return; }
    tooltip.textContent = style.describe(i);
    tooltip.style.display = 'block';
    const left = Math.min(px + 12, width - tooltip.offsetWidth - 4);
    const top = Math.min(py + 12, height - tooltip.offsetHeight - 4);
    tooltip.style.left = `${Math.max(4, left)}px`;
    tooltip.style.top = `${Math.max(4, top)}px`;
    container.dataset.hover = String(graph.label[i] ?? '');
  }

  // Pointers: one drags, two pinch; a press that hardly moved is a click.
  const pointers = new Map();
  let press = null;
  let pinch = null;
  const local = (event) => {
    const box = canvas.getBoundingClientRect();
    return [event.clientX - box.left, event.clientY - box.top];
  };
  const pinchState = () => {
    const [a, b] = [...pointers.values()];
    return { distance: Math.hypot(a[0] - b[0], a[1] - b[1]) || 1, mid: [(a[0] + b[0]) / 2, (a[1] + b[1]) / 2] };
  };
  canvas.addEventListener('pointerdown', (event) => {
    try { canvas.setPointerCapture(event.pointerId); } catch { /* a pointer the browser no longer tracks */ }
    pointers.set(event.pointerId, local(event));
    if (pointers.size === 1) press = { at: local(event), moved: false };
    else { press = null; pinch = pinchState(); }
  });
  canvas.addEventListener('pointermove', (event) => {
    const at = local(event);
    if (!pointers.has(event.pointerId)) {
      if (event.pointerType === 'mouse') showTooltip(nodeAt(...at), ...at);
      return;
    }
    const last = pointers.get(event.pointerId);
    pointers.set(event.pointerId, at);
    if (pointers.size >= 2 && pinch) {
      showTooltip(-1);
      const now = pinchState();
      panBy(now.mid[0] - pinch.mid[0], now.mid[1] - pinch.mid[1]);
      zoomAt(now.distance / pinch.distance, ...now.mid);
      pinch = now;
      return;
    }
    if (press && !press.moved && Math.hypot(at[0] - press.at[0], at[1] - press.at[1]) < CLICK_SLOP_PX) return;
    if (press) press.moved = true;
    showTooltip(-1);
    panBy(at[0] - last[0], at[1] - last[1]);
  });
  const release = (event) => {
    pointers.delete(event.pointerId);
    if (pointers.size < 2) pinch = null;
    if (event.type === 'pointerup' && press && !press.moved && pointers.size === 0) {
      const at = local(event);
      const i = nodeAt(...at);
      highlight(i);
      if (event.pointerType !== 'mouse') showTooltip(i, ...at);
    }
    if (pointers.size === 0) press = null;
  };
  canvas.addEventListener('pointerup', release);
  canvas.addEventListener('pointercancel', release);
  canvas.addEventListener('pointerleave', (event) => { if (event.pointerType === 'mouse') showTooltip(-1); });
  canvas.addEventListener('wheel', (event) => {
    event.preventDefault();
    showTooltip(-1);
    const delta = event.deltaMode === 1 ? event.deltaY * 16 : event.deltaY;
    zoomAt(Math.exp(-delta * 0.002), ...local(event));
  }, { passive: false });

  const zoom = el('div', { class: 'zoom' },
    el('button', { type: 'button', text: '+', attrs: { 'aria-label': 'zoom in' }, on: { click: () => zoomAt(ZOOM_STEP) } }),
    el('button', { type: 'button', text: '−', attrs: { 'aria-label': 'zoom out' }, on: { click: () => zoomAt(1 / ZOOM_STEP) } }),
    el('button', { type: 'button', text: '⟲', attrs: { 'aria-label': 'reset zoom' }, on: { click: () => { camera = { ...home }; render(); } } }));
  container.append(zoom);

  /** Highlights node `i` and its neighbours (-1: none), centres it and keeps it in the URL as ?user=. */
  function highlight(i) {
    if (i < 0 && highlighted < 0) return;
    highlighted = i;
    neighbourSet = i < 0 ? new Set() : new Set(graph.neighbours(i));
    setParams({ user: i < 0 ? '' : String(graph.label[i] ?? '') });
    container.dataset.highlight = i < 0 ? '' : String(graph.label[i] ?? '');
    if (i >= 0) camera = { cx: x[i], cy: y[i], zoom: Math.max(camera.zoom, HIGHLIGHT_ZOOM) };
    redraw();
  }

  onThemeChange(() => { theme = readTheme(); redraw(); });
  new ResizeObserver(() => {
    const box = container.getBoundingClientRect();
    if (Math.round(box.width) === width && Math.round(box.height) === height) return;
    resize();
    redraw();
  }).observe(container);
  resize();
  drawScene();  // the edges are painted on the worker while the rest is set up here
  // Draw order: small nodes first, so the large ones stay on top.
  const order = Int32Array.from({ length: n }, (_, i) => i).sort((a, b) => (style.size[a] - style.size[b]) || (a - b));
  const grid = makeGrid(graph, bounds);
  return { highlight, highlighted: () => highlighted };
}

/** Wires the search form (#search input, #search-go button): finds a node by label and highlights it. */
export function wireSearch(graph, view, note) {
  const input = byId('search');
  const go = () => {
    if (!input.value.trim()) { view?.highlight(-1); note.textContent = ''; return; }
    const i = findNode(graph, input.value);
    if (i < 0) { note.textContent = `no user matches “${input.value.trim()}”`; return; }
    note.textContent = `${graph.label[i]}: ${graph.degree(i)} connections`;
    view?.highlight(i);
  };
  byId('search-go').addEventListener('click', go);
  input.addEventListener('keydown', (e) => { if (e.key === 'Enter') go(); });
  const initial = getParam('user');
  if (initial) { input.value = initial; go(); }
}
