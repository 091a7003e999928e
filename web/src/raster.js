// Pixels for large networks, drawn in JavaScript into an RGBA buffer that is put on a canvas in one
// call: tens of thousands of faint edges and small dots cost a browser without a GPU far less this way
// than as canvas paths (whose anti-aliased strokes are rasterized one by one in software).
// Coordinates are device pixels. A buffer is a Uint32Array view of ImageData (little-endian: ABGR).

/** [r, g, b, a] (0..255) of any CSS colour, read back from a 1x1 canvas. */
export function cssColorBytes(color) {
  const canvas = document.createElement('canvas');
  canvas.width = 1; canvas.height = 1;
  const c = canvas.getContext('2d', { willReadFrequently: true });
  c.clearRect(0, 0, 1, 1);
  c.fillStyle = color;
  c.fillRect(0, 0, 1, 1);
  return Array.from(c.getImageData(0, 0, 1, 1).data);
}

const EDGE = 1e-3;  // keeps clipped ends inside the last pixel
let clipFrom = 0;
let clipTo = 1;
/** One Liang-Barsky boundary: narrows [clipFrom, clipTo]; false when the segment lies outside it. */
function clip(p, q) {
  if (p === 0) return q >= 0;
  const r = q / p;
  if (p < 0) { if (r > clipTo) return false; if (r > clipFrom) clipFrom = r; } else { if (r < clipFrom) return false; if (r < clipTo) clipTo = r; }
  return true;
}

/**
 * Counts, per pixel of a w x h buffer, the segments crossing it (saturating at 255): the segments are
 * node pairs (src[k], dst[k]) at (xs, ys) whose classes[k] is `cls`, clipped to the buffer.
 */
export function countSegments(counts, w, h, xs, ys, src, dst, classes, cls) {
  for (let k = 0; k < src.length; k++) {
    if (classes[k] !== cls) continue;
    let x0 = xs[src[k]]; let y0 = ys[src[k]]; let x1 = xs[dst[k]]; let y1 = ys[dst[k]];
    // Liang-Barsky clipping to [0, w) x [0, h).
    const dx = x1 - x0; const dy = y1 - y0;
    clipFrom = 0; clipTo = 1;
    if (!clip(-dx, x0) || !clip(dx, w - EDGE - x0) || !clip(-dy, y0) || !clip(dy, h - EDGE - y0)) continue;
    const t0 = clipFrom; const t1 = clipTo;
    x1 = x0 + t1 * dx; y1 = y0 + t1 * dy; x0 += t0 * dx; y0 += t0 * dy;
    const steps = Math.ceil(Math.max(Math.abs(x1 - x0), Math.abs(y1 - y0)));
    const sx = steps > 0 ? (x1 - x0) / steps : 0; const sy = steps > 0 ? (y1 - y0) / steps : 0;
    let px = x0; let py = y0;
    for (let s = 0; s <= steps; s++) {
      const p = (py | 0) * w + (px | 0);
      const v = counts[p];
      if (v < 255) counts[p] = v + 1;
      px += sx; py += sy;
    }
  }
}

/**
 * Paints layers of segment counts over `pixels`, in order: a pixel crossed by k
 * segments of a layer {counts, rgb: [r, g, b], alpha} is covered 1 - (1 - alpha)^k by its colour.
 */
export function paintCounts(pixels, layers) {
  for (const { counts, rgb, alpha } of layers) {
    const cover = new Float32Array(256);
    for (let k = 1; k < 256; k++) cover[k] = 1 - (1 - alpha) ** k;
    const [r, g, b] = rgb;
    for (let p = 0; p < counts.length; p++) {
      const k = counts[p];
      if (k === 0) continue;
      blend(pixels, p, r, g, b, cover[k]);
    }
  }
}

/** `pixels[p]` with colour (r, g, b) laid over it at coverage a (0..1), unpremultiplied like ImageData. */
function blend(pixels, p, r, g, b, a) {
  const under = pixels[p];
  const ua = (under >>> 24) / 255;
  if (ua === 0 || a >= 1) {
    pixels[p] = ((Math.round(a * 255) << 24) | (b << 16) | (g << 8) | r) >>> 0;
    return;
  }
  const oa = a + ua * (1 - a);
  const top = a / oa; const bottom = (ua * (1 - a)) / oa;
  const mb = Math.round(b * top + ((under >>> 16) & 255) * bottom);
  const mg = Math.round(g * top + ((under >>> 8) & 255) * bottom);
  const mr = Math.round(r * top + (under & 255) * bottom);
  pixels[p] = ((Math.round(oa * 255) << 24) | (mb << 16) | (mg << 8) | mr) >>> 0;
}

/**
 * Fills a disc per node of `order` (in that order, so later ones lie on top) at (xs, ys) with radius
 * rs (device pixels) and colour rgbOf(i) ([r, g, b]); edge pixels are blended by coverage.
 */
export function fillDots(pixels, w, h, order, xs, ys, rs, rgbOf) {
  for (let j = 0; j < order.length; j++) {
    const i = order[j];
    const cx = xs[i]; const cy = ys[i]; const r = rs[i];
    if (cx + r < 0 || cx - r >= w || cy + r < 0 || cy - r >= h) continue;
    const [cr, cg, cb] = rgbOf(i);
    const x0 = Math.max(0, Math.floor(cx - r)); const x1 = Math.min(w - 1, Math.ceil(cx + r));
    const y0 = Math.max(0, Math.floor(cy - r)); const y1 = Math.min(h - 1, Math.ceil(cy + r));
    for (let py = y0; py <= y1; py++) {
      const dy = py + 0.5 - cy;
      for (let px = x0; px <= x1; px++) {
        const dx = px + 0.5 - cx;
        const cover = r + 0.5 - Math.sqrt(dx * dx + dy * dy);
        if (cover <= 0) continue;
        blend(pixels, py * w + px, cr, cg, cb, cover >= 1 ? 1 : cover);
      }
    }
  }
}

/** Device-pixel positions of graph points: (x - cx) * scale + w / 2, (cy - y) * scale + h / 2 (y up). */
export function projectPoints(x, y, cx, cy, scale, w, h, outX, outY) {
  const hw = w / 2; const hh = h / 2;
  for (let i = 0; i < x.length; i++) {
    outX[i] = (x[i] - cx) * scale + hw;
    outY[i] = (cy - y[i]) * scale + hh;
  }
}

/**
 * The per-class segment counts of one view: `edges` = {x, y, src, dst, edgeClass}; `request` = {cx, cy,
 * scale, w, h, styles: [{rgb, alpha}] per class}. One Uint8Array (w x h) per class.
 */
export function countEdges(edges, request) {
  const { cx, cy, scale, w, h, styles } = request;
  const sx = new Float32Array(edges.x.length);
  const sy = new Float32Array(edges.x.length);
  projectPoints(edges.x, edges.y, cx, cy, scale, w, h, sx, sy);
  return styles.map((_, cls) => {
    const counts = new Uint8Array(w * h);
    countSegments(counts, w, h, sx, sy, edges.src, edges.dst, edges.edgeClass, cls);
    return counts;
  });
}

/** The RGBA pixels (Uint32Array) of the summed counts of several parts (each from countEdges). */
export function paintParts(parts, request) {
  const [first, ...rest] = parts;
  for (const part of rest) {
    part.forEach((counts, cls) => {
      const sum = first[cls];
      for (let p = 0; p < counts.length; p++) {
        if (counts[p] === 0) continue;
        const v = sum[p] + counts[p];
        sum[p] = v > 255 ? 255 : v;
      }
    });
  }
  const pixels = new Uint32Array(request.w * request.h);
  paintCounts(pixels, request.styles.map((style, cls) => ({ counts: first[cls], rgb: style.rgb, alpha: style.alpha })));
  return pixels;
}

/** The RGBA pixels (Uint32Array, w x h) of every edge of one view (see countEdges). */
export function paintEdges(edges, request) {
  return paintParts([countEdges(edges, request)], request);
}

const PARALLEL_MIN_EDGES = 50_000;  // fewer edges are painted by one worker
const MAX_WORKERS = 4;

/**
 * Paints edge layers on worker threads (`workerUrl`, running raster_worker.js; large graphs split
 * across up to MAX_WORKERS of them) so the page stays responsive and builds its table meanwhile; on the
 * page's own thread when no worker can start. `paint(request)` resolves with the pixels; a request made
 * while one runs replaces any waiting one (resolved with null), so only the newest view is drawn.
 */
export function edgePainter(edges, workerUrl) {
  const m = edges.src.length;
  const cores = (typeof navigator !== 'undefined' && navigator.hardwareConcurrency) || 1;
  const count = m >= PARALLEL_MIN_EDGES ? Math.max(1, Math.min(MAX_WORKERS, cores)) : 1;
  let workers = [];
  try {
    if (workerUrl && typeof Worker !== 'undefined') for (let t = 0; t < count; t++) workers.push(new Worker(workerUrl));
  } catch {
    for (const worker of workers) worker.terminate();
    workers = [];
  }
  const local = { paint: async (request) => paintEdges(edges, request), threaded: false };
  if (workers.length === 0) return local;
  workers.forEach((worker, t) => {
    const from = Math.floor((m * t) / workers.length); const to = Math.floor((m * (t + 1)) / workers.length);
    worker.postMessage({ edges: { x: edges.x, y: edges.y, src: edges.src.slice(from, to), dst: edges.dst.slice(from, to),
      edgeClass: edges.edgeClass.slice(from, to) } });
  });
  let running = null;   // {request, resolve, parts, answered}
  let waiting = null;   // {request, resolve}
  let failed = false;
  const send = (job) => {
    running = { ...job, parts: [], answered: 0 };
    for (const worker of workers) worker.postMessage({ request: job.request });
  };
  workers.forEach((worker, t) => {
    worker.onmessage = ({ data }) => {
      if (!running) return;
      running.parts[t] = data.counts;
      if (++running.answered < workers.length) return;
      running.resolve(paintParts(running.parts, running.request));
      running = null;
      if (waiting) { const next = waiting; waiting = null; send(next); }
    };
    worker.onerror = (event) => {
      event.preventDefault();
      if (failed) return;
      failed = true;
      for (const w of workers) w.terminate();
      for (const job of [running, waiting]) if (job) job.resolve(paintEdges(edges, job.request));
      running = null; waiting = null;
    };
  });
  return {
    threaded: true,
    paint(request) {
      if (failed) return local.paint(request);
      return new Promise((resolve) => {
        const job = { request, resolve };
        if (!running) { send(job); return; }
        if (waiting) waiting.resolve(null);
        waiting = job;
      });
    },
  };
}
