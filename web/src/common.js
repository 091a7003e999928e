// Shared by every page: the API client, URL state, DOM building (text only: everything from GitHub is
// untrusted), formatting, CSV downloads and the per-repo colours.

/** Fetches /api/v1/<route> with the given query parameters; throws with the problem's detail on errors. */
export async function api(route, params = {}) {
  const url = new URL(`/api/v1/${route}`, location.origin);
  for (const [k, v] of Object.entries(params)) {
    if (v !== undefined && v !== null && v !== '') url.searchParams.set(k, String(v));
  }
  const response = await fetch(url, { headers: { Accept: 'application/json' } });
  if (!response.ok) {
    let detail = `${response.status} ${response.statusText}`;
    try {
      const problem = await response.json();
      detail = problem.detail || problem.title || detail;
    } catch { /* not a problem document */ }
    throw new Error(`${url.pathname}: ${detail}`);
  }
  return response.json();
}

/** The link to the same route as CSV (the API's ?format=csv). */
export function csvLink(route, params = {}) {
  const url = new URL(`/api/v1/${route}`, location.origin);
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== null && v !== '') url.searchParams.set(k, v);
  url.searchParams.set('format', 'csv');
  return url.pathname + url.search;
}

// ---- URL state: every control's value lives in the query string, so a view can be shared. ----

/** The current value of query parameter `name`, or `fallback`. */
export function getParam(name, fallback = '') {
  const value = new URLSearchParams(location.search).get(name);
  return value === null ? fallback : value;
}

/** Sets (or, when empty, removes) query parameters without reloading or adding history entries. */
export function setParams(values) {
  const params = new URLSearchParams(location.search);
  for (const [k, v] of Object.entries(values)) {
    if (v === undefined || v === null || v === '' || (Array.isArray(v) && v.length === 0)) params.delete(k);
    else params.set(k, Array.isArray(v) ? v.join(',') : String(v));
  }
  const query = params.toString();
  history.replaceState(null, '', query ? `${location.pathname}?${query}` : location.pathname);
}

// ---- DOM: text goes in through textContent only; attributes are set one by one. ----

/**
 * Creates an element. `props`: `text` (textContent), `class`, `attrs` (object), `on` (event -> handler),
 * anything else is set as a property. Children: nodes or strings (as text nodes).
 */
export function el(tag, props = {}, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(props)) {
    if (v === undefined || v === null) continue;
    if (k === 'text') node.textContent = String(v);
    else if (k === 'class') node.className = v;
    else if (k === 'attrs') for (const [a, av] of Object.entries(v)) { if (av !== undefined && av !== null) node.setAttribute(a, String(av)); }
    else if (k === 'on') for (const [e, h] of Object.entries(v)) node.addEventListener(e, h);
    else node[k] = v;
  }
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

/** The element with id `id`; throws if the page lacks it (a bug in the page's HTML). */
export function byId(id) {
  const node = document.getElementById(id);
  if (!node) throw new Error(`missing #${id}`);
  return node;
}

/**
 * A safe href for an untrusted URL: only https links to github.com (and its subdomains) pass; anything
 * else (javascript:, data:, other hosts) gives null and is shown as plain text.
 */
export function safeGithubUrl(raw) {
  if (typeof raw !== 'string' || raw === '') return null;
  try {
    const url = new URL(raw);
    if (url.protocol !== 'https:') return null;
    if (url.hostname !== 'github.com' && !url.hostname.endsWith('.github.com')) return null;
    if (url.username || url.password) return null;
    return url.href;
  } catch {
    return null;
  }
}

/** A link to an untrusted URL (github.com only) with the text as text, or a plain span. */
export function link(text, href, extraClass) {
  const safe = safeGithubUrl(href);
  if (!safe) return el('span', { text, class: extraClass });
  return el('a', { text, class: extraClass, attrs: { href: safe, rel: 'noopener noreferrer nofollow', target: '_blank' } });
}

/** A user's profile link. */
export function userLink(login) {
  if (!login) return el('span', { text: 'ghost' });
  return link(login, `https://github.com/${encodeURIComponent(login)}`, 'user');
}

/** Shows an error where a chart or table should have been (text only). */
export function showError(container, error) {
  container.replaceChildren(el('p', { class: 'error', attrs: { role: 'alert' }, text: `could not load: ${error.message}` }));
}

/** Updates the page's "data as of" time from an API response's `as_of`, when it is newer. */
export function setAsOf(asOf) {
  if (!asOf) return;
  const node = document.getElementById('as-of');
  if (!node) return;
  const current = node.getAttribute('datetime') || '';
  if (current && current >= asOf) return;
  node.setAttribute('datetime', asOf);
  node.textContent = formatDateTime(asOf);
}

// ---- Formatting ----

const numberFormat = new Intl.NumberFormat('en-US');
/** 12345 -> "12,345"; null -> "". */
export function formatNumber(n, digits) {
  if (n === null || n === undefined || Number.isNaN(n)) return '';
  if (digits !== undefined) return Number(n).toFixed(digits);
  return numberFormat.format(n);
}

/** "2026-11-28T10:00:00Z" -> "2026-11-28 10:00 UTC". */
export function formatDateTime(iso) {
  if (!iso) return '';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return String(iso);
  return `${d.toISOString().slice(0, 10)} ${d.toISOString().slice(11, 16)} UTC`;
}

/** "2026-11-28T10:00:00Z" -> "2026-11-28". */
export function day(iso) {
  return iso ? String(iso).slice(0, 10) : '';
}

/** Whole days between two instants (b - a), rounded down. */
export function daysBetween(a, b) {
  return Math.floor((Date.parse(b) - Date.parse(a)) / 86_400_000);
}

/** "today", "yesterday", "N days ago", counting calendar days (UTC) up to `now`. */
export function relativeDay(iso, now) {
  const days = Math.round((Date.parse(day(now)) - Date.parse(day(iso))) / 86_400_000);
  if (days <= 0) return 'today';
  if (days === 1) return 'yesterday';
  return `${days} days ago`;
}

// ---- CSV ----

function csvCell(value) {
  let text = value === null || value === undefined ? '' : Array.isArray(value) ? value.join(';') : String(value);
  // Spreadsheets run cells that start with these as formulas.
  if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\n\r]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** Rows (objects) -> CSV text with the given columns. */
export function toCsv(rows, columns) {
  const lines = [columns.map(csvCell).join(',')];
  for (const row of rows) lines.push(columns.map((c) => csvCell(row[c])).join(','));
  return `${lines.join('\r\n')}\r\n`;
}

/**
 * A "download CSV" button: `getRows()` returns the rows currently shown, `columns` their keys.
 * The file is built in the browser from the loaded data.
 */
export function csvButton(label, filename, getRows, columns) {
  return el('button', {
    type: 'button', class: 'csv', text: 'download CSV', attrs: { 'aria-label': `download ${label} as CSV` },
    on: {
      click: () => {
        const blob = new Blob([toCsv(getRows(), typeof columns === 'function' ? columns() : columns)], { type: 'text/csv' });
        const url = URL.createObjectURL(blob);
        const a = el('a', { attrs: { href: url, download: filename } });
        document.body.append(a);
        a.click();
        a.remove();
        setTimeout(() => URL.revokeObjectURL(url), 1000);
      },
    },
  });
}

// ---- Repo colours: Tableau-10 assigned by stars (most first), the same on every page. ----

export const TABLEAU10 = ['#4e79a7', '#f28e2b', '#e15759', '#76b7b2', '#59a14f', '#edc948', '#b07aa1', '#ff9da7',
  '#9c755f', '#bab0ac'];

let reposPromise = null;
/** The repos (by stars desc), loaded once per page. */
export function loadRepos() {
  if (!reposPromise) reposPromise = api('repos');
  return reposPromise;
}

/** repo_name -> colour, in stars order (cycling every 10), from /api/v1/repos. */
export async function repoColors() {
  const repos = await loadRepos();
  const colors = new Map();
  repos.items.forEach((r, i) => colors.set(r.repo_name, TABLEAU10[i % TABLEAU10.length]));
  return colors;
}

/** True when the page is shown dark (the toggle's choice, else the system's). */
export function isDark() {
  const chosen = document.documentElement.dataset.theme;
  if (chosen) return chosen === 'dark';
  return window.matchMedia('(prefers-color-scheme: dark)').matches;
}

/** Calls `fn` whenever the theme changes (toggle or system). */
export function onThemeChange(fn) {
  document.addEventListener('ampere:theme', fn);
  window.matchMedia('(prefers-color-scheme: dark)').addEventListener('change', fn);
}

/** The value of a CSS custom property on the root (theme colours). */
export function cssVar(name) {
  return getComputedStyle(document.documentElement).getPropertyValue(name).trim();
}

/** Runs the page's main function and reports an uncaught failure on the page instead of failing silently. */
export function start(main) {
  main().catch((error) => {
    const target = document.getElementById('main');
    if (target) target.append(el('p', { class: 'error', attrs: { role: 'alert' }, text: `error: ${error.message}` }));
    console.warn(error);
  });
}

/** Wires the page's static "download CSV" button `id` (reserved in the HTML, so nothing moves on load). */
export function bindCsv(id, filename, getRows, columns) {
  const button = byId(id);
  button.disabled = false;
  button.addEventListener('click', () => {
    const blob = new Blob([toCsv(getRows(), typeof columns === 'function' ? columns() : columns)], { type: 'text/csv' });
    const url = URL.createObjectURL(blob);
    const a = el('a', { attrs: { href: url, download: filename } });
    document.body.append(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(url), 1000);
  });
}

let drawn = false;
/** Marks the moment the page's first chart, graph or table is drawn (performance mark "ampere:drawn"). */
export function markDrawn() {
  if (drawn) return;
  drawn = true;
  performance.mark('ampere:drawn');
}
