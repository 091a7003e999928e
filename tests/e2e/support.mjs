// Shared by the dashboard's browser tests: the server under test, Chromium, and page checks.
//
// startDashboard() is the one place that decides what the tests run against: a real `ampere demo`
// (the synthetic organization synced, built and served by the binary). Until the /api/v1 routes of
// docs/contracts.md are served by the binary itself, API_FROM_FIXTURES puts a small proxy in front of it
// that answers /api/v1 from tests/e2e/fixtures.mjs (built from the demo's own repos) and forwards
// everything else (pages, assets) to the real server. Set it to false once the API routes are merged.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, request as httpRequest } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { chromium } from 'playwright-core';
import { makeFixtures } from './fixtures.mjs';

export const API_FROM_FIXTURES = false;

export const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--no-first-run', '--disable-background-networking',
  '--disable-component-update', '--disable-sync', '--use-angle=swiftshader', '--enable-unsafe-swiftshader',
  '--ignore-gpu-blocklist'];
export const EXPECTED_REPOS = ['quill', 'ember', 'tessera', 'lumen', 'sprocket', 'arbor', 'halyard', 'kiln'];
export const PAGES = [
  { name: 'home', path: '/' }, { name: 'downloads', path: '/downloads' }, { name: 'feed', path: '/feed' },
  { name: 'issues', path: '/issues' }, { name: 'stargazers', path: '/network-stargazers' },
  { name: 'followers', path: '/network-followers' }, { name: 'status', path: '/status' }, { name: 'about', path: '/about' },
];
const START_TIMEOUT_MS = 120_000;

function toCsv(items) {
  if (!items.length) return '';
  const cols = Object.keys(items[0]);
  const cell = (v) => { const t = v === null || v === undefined ? '' : Array.isArray(v) ? v.join(';') : String(v); return /[",\n]/.test(t) ? `"${t.replaceAll('"', '""')}"` : t; };
  return `${[cols.join(','), ...items.map((i) => cols.map((c) => cell(i[c])).join(','))].join('\n')}\n`;
}

/** A proxy answering /api/v1 from fixtures and forwarding the rest to `upstream`. */
async function startFixtureProxy(upstream, { hostile, scale }) {
  const realRepos = await (await fetch(new URL('/api/v1/repos', upstream))).json();
  const fixtures = makeFixtures(realRepos.items ?? realRepos.data, { hostile, scale });
  const server = createServer((req, res) => {
    const url = new URL(req.url, 'http://x');
    if (url.pathname.startsWith('/api/v1/')) {
      const q = Object.fromEntries(url.searchParams);
      const body = fixtures.route(url.pathname, q);
      if (body === null) {
        res.writeHead(404, { 'Content-Type': 'application/problem+json' });
        res.end(JSON.stringify({ type: 'about:blank', title: 'Not Found', status: 404, detail: `no fixture for ${url.pathname}` }));
        return;
      }
      if (q.format === 'csv') {
        res.writeHead(200, { 'Content-Type': 'text/csv; charset=utf-8' });
        res.end(toCsv(body.items ?? []));
        return;
      }
      // Compressed like the real server's answers (httplib gzips JSON when the client accepts it).
      const json = JSON.stringify(body);
      if (/\bgzip\b/.test(req.headers['accept-encoding'] ?? '') && json.length > 1024) {
        res.writeHead(200, { 'Content-Type': 'application/json', 'Cache-Control': 'no-cache', 'Content-Encoding': 'gzip' });
        res.end(gzipSync(json));
      } else {
        res.writeHead(200, { 'Content-Type': 'application/json', 'Cache-Control': 'no-cache' });
        res.end(json);
      }
      return;
    }
    const forward = httpRequest(new URL(req.url, upstream), { method: req.method, headers: req.headers }, (up) => {
      res.writeHead(up.statusCode, up.headers);
      up.pipe(res);
    });
    forward.on('error', (e) => { res.writeHead(502); res.end(String(e)); });
    req.pipe(forward);
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${server.address().port}/`, close: () => new Promise((r) => server.close(r)) };
}

/**
 * Starts the dashboard under test: `ampere demo` (with `--hostile`: hostile strings in every untrusted
 * field) on a free port. `scale: 'large'` (benchmarks) makes the fixtures the large org's size.
 * Returns { baseUrl, stop }.
 */
export async function startDashboard(ampere, { hostile = false, scale = 'small' } = {}) {
  const workDir = mkdtempSync(join(tmpdir(), 'ampere-e2e-'));
  const args = ['demo', '--data-dir', join(workDir, 'data'), '--port', '0', ...(hostile ? ['--hostile'] : [])];
  const server = spawn(ampere, args, { stdio: ['ignore', 'pipe', 'inherit'] });
  const stopServer = () => { server.kill('SIGTERM'); rmSync(workDir, { recursive: true, force: true }); };
  let demoUrl;
  try {
    demoUrl = await new Promise((resolve, reject) => {
      let out = '';
      const timer = setTimeout(() => reject(new Error(`no dashboard URL within ${START_TIMEOUT_MS} ms:\n${out}`)), START_TIMEOUT_MS);
      server.stdout.on('data', (chunk) => {
        out += chunk;
        const m = out.match(/dashboard: (http:\/\/\S+)/);
        if (m) { clearTimeout(timer); resolve(m[1]); }
      });
      server.on('exit', (code) => { clearTimeout(timer); reject(new Error(`ampere demo exited (${code}):\n${out}`)); });
    });
    for (let i = 0; ; i++) {
      try { if ((await fetch(new URL('/healthz', demoUrl))).ok) break; } catch { /* not yet */ }
      if (i > 100) throw new Error('/healthz never answered 200');
      await new Promise((r) => setTimeout(r, 100));
    }
  } catch (error) {
    stopServer();
    throw error;
  }
  if (!API_FROM_FIXTURES) return { baseUrl: demoUrl, stop: async () => stopServer() };
  const proxy = await startFixtureProxy(demoUrl, { hostile, scale });
  return { baseUrl: proxy.url, stop: async () => { await proxy.close(); stopServer(); } };
}

/** Chromium from Debian. */
export function launchBrowser() {
  return chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS, headless: true });
}

/**
 * Opens `path` in a new context and collects problems: console errors, uncaught exceptions, failed
 * requests and HTTP errors. Waits until the page's data has loaded (network idle).
 */
export async function openPage(browser, baseUrl, path, { viewport = { width: 1280, height: 800 }, colorScheme = 'light' } = {}) {
  const context = await browser.newContext({ viewport, colorScheme });
  const page = await context.newPage();
  const problems = [];
  page.on('console', (m) => { if (m.type() === 'error' || m.type() === 'warning') problems.push(`console ${m.type()}: ${m.text()}`); });
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  page.on('requestfailed', (r) => { if (!r.url().startsWith('blob:')) problems.push(`failed request: ${r.url()} ${r.failure()?.errorText}`); });
  page.on('response', (r) => { if (r.status() >= 400) problems.push(`HTTP ${r.status()}: ${r.url()}`); });
  page.on('dialog', (d) => { problems.push(`dialog: ${d.message()}`); d.dismiss(); });
  await page.goto(new URL(path, baseUrl).href, { waitUntil: 'networkidle' });
  return { context, page, problems };
}
