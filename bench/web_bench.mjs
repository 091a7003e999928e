// Per page of the dashboard on localhost: bytes transferred (compressed, as the browser received them),
// Largest Contentful Paint, and the time until the page's first chart, table or graph is drawn (the
// page's "ampere:drawn" / "ampere:graph-drawn" performance marks). Cold cache, one page at a time, in
// Chromium without a GPU (software rendering, like the machines this runs on).
//
// Usage: node bench/web_bench.mjs <ampere binary> [--large] [--runs N] [--data-dir DIR]
//   default: `ampere demo` (the small synthetic org) serves the pages and /api/v1.
//   --large: `ampere serve` on the large synthetic org (200 repos; networks of ~50,000 nodes): the data
//            dir (default $TMPDIR/ampere-web-bench-large) is made once (simulator --org-size large, sync,
//            build with the layouts: several minutes) and reused.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PAGES, startDashboard } from '../tests/e2e/support.mjs';
import { chromium } from 'playwright-core';

const BENCH_CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking',
  '--disable-component-update', '--disable-sync'];
const START_TIMEOUT_MS = 120_000;

/** Starts `ampere <args>` and resolves with the process and the rest of the first stdout line starting with `prefix`. */
function startAndRead(ampere, args, prefix, env = {}) {
  const child = spawn(ampere, args, { stdio: ['ignore', 'pipe', 'inherit'], env: { ...process.env, AMPERE_CONFIG: '', GITHUB_TOKEN: '', ...env } });
  return new Promise((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => { child.kill('SIGTERM'); reject(new Error(`no "${prefix}" line within ${START_TIMEOUT_MS} ms:\n${out}`)); }, START_TIMEOUT_MS);
    child.stdout.on('data', (chunk) => {
      out += chunk;
      const line = out.split('\n').find((l) => l.startsWith(prefix));
      if (line) { clearTimeout(timer); resolve({ child, value: line.slice(prefix.length).trim(), out }); }
    });
    child.on('exit', (code) => { clearTimeout(timer); reject(new Error(`ampere ${args[0]} exited (${code}):\n${out}`)); });
  });
}

/** `ampere serve` on the large synthetic org's data dir, made first when missing. Returns { baseUrl, stop }. */
async function startLargeDashboard(ampere, dataDir) {
  if (!existsSync(join(dataDir, 'warehouse.duckdb'))) {
    console.error(`making the large organization's data in ${dataDir} (once)`);
    const sim = await startAndRead(ampere, ['simulator', '--org-size', 'large', '--port', '0', '--rate-limit', '100000000'], 'simulator: ');
    try {
      const org = sim.out.match(/organization (\S+) /)[1];
      const env = { ...process.env, AMPERE_CONFIG: '', GITHUB_TOKEN: '', AMPERE_DATA_DIR: dataDir, AMPERE_ORGS: org,
        AMPERE_GITHUB_API_URL: sim.value.replace(/\/$/, '') };
      for (const step of [['sync', 'github'], ['build']]) {
        const done = spawnSync(ampere, step, { env, stdio: ['ignore', 'ignore', 'inherit'] });
        if (done.status !== 0) throw new Error(`ampere ${step.join(' ')} failed (${done.status})`);
      }
    } finally {
      sim.child.kill('SIGTERM');
    }
  }
  const serve = await startAndRead(ampere, ['serve', '--data-dir', dataDir, '--port', '0'], 'dashboard: ',
    { AMPERE_RATE_LIMIT_PER_MINUTE: '0' });
  const baseUrl = serve.value;
  for (let i = 0; ; i++) {
    try { if ((await fetch(new URL('/readyz', baseUrl))).ok) break; } catch { /* not yet */ }
    if (i > 600) throw new Error('/readyz never answered 200');
    await new Promise((r) => setTimeout(r, 100));
  }
  return { baseUrl, stop: async () => { serve.child.kill('SIGTERM'); } };
}

const args = process.argv.slice(2);
const ampere = args.find((a, i) => !a.startsWith('--') && !/^\d+$/.test(a) && args[i - 1] !== '--data-dir');
const large = args.includes('--large');
const runsIndex = args.indexOf('--runs');
const runs = runsIndex >= 0 ? Number(args[runsIndex + 1]) : 3;
const dataIndex = args.indexOf('--data-dir');
const dataDir = dataIndex >= 0 ? args[dataIndex + 1] : join(process.env.TMPDIR || tmpdir(), 'ampere-web-bench-large');
if (!ampere) {
  console.error('usage: node bench/web_bench.mjs <ampere binary> [--large] [--runs N] [--data-dir DIR]');
  process.exit(2);
}

const READY = {
  home: '#commits-chart[data-series]',
  // The large org's data dir has no PyPI downloads (only GitHub is synced): its page says so.
  downloads: '#cloud-chart[data-series], #cloud-chart .chart-empty', feed: '#feed-table tbody tr',
  issues: '#issues-table tbody tr', stargazers: '#graph .zoom', followers: '#graph .zoom',
  status: '#runs-table tbody tr', about: '#repos-table tbody tr',
};

const median = (xs) => { const s = [...xs].sort((a, b) => a - b); return s[Math.floor(s.length / 2)]; };

const dashboard = large ? await startLargeDashboard(ampere, dataDir) : await startDashboard(ampere);
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: BENCH_CHROMIUM_ARGS, headless: true });
const rows = [];
try {
  for (const { name, path } of PAGES) {
    const samples = [];
    for (let r = 0; r < runs; r++) {
      const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
      const page = await context.newPage();
      const cdp = await context.newCDPSession(page);
      await cdp.send('Network.enable');
      await cdp.send('Network.setCacheDisabled', { cacheDisabled: true });
      let bytes = 0;
      cdp.on('Network.loadingFinished', (e) => { bytes += e.encodedDataLength; });
      await page.addInitScript(() => {
        window.__lcp = 0;
        new PerformanceObserver((list) => { for (const e of list.getEntries()) window.__lcp = e.startTime; })
          .observe({ type: 'largest-contentful-paint', buffered: true });
        window.__cls = 0;
        new PerformanceObserver((list) => { for (const e of list.getEntries()) if (!e.hadRecentInput) window.__cls += e.value; })
          .observe({ type: 'layout-shift', buffered: true });
      });
      await page.goto(new URL(path, dashboard.baseUrl).href, { waitUntil: 'load' });
      await page.waitForSelector(READY[name], { timeout: 240_000 });
      if (name === 'stargazers' || name === 'followers') {
        await page.waitForFunction(() => performance.getEntriesByName('ampere:graph-drawn').length > 0, null, { timeout: 240_000 }).catch(() => {});
      }
      await page.waitForLoadState('networkidle');
      const m = await page.evaluate(() => ({
        lcp: window.__lcp,
        cls: window.__cls,
        drawn: performance.getEntriesByName('ampere:drawn')[0]?.startTime ?? null,
        graph: performance.getEntriesByName('ampere:graph-drawn')[0]?.startTime ?? null,
      }));
      samples.push({ ...m, bytes });
      await context.close();
    }
    rows.push({
      page: path,
      kb: Math.round(median(samples.map((s) => s.bytes)) / 1024),
      lcp: Math.round(median(samples.map((s) => s.lcp))),
      drawn: Math.round(median(samples.map((s) => Math.max(s.drawn ?? 0, s.graph ?? 0)))),
      cls: median(samples.map((s) => s.cls)).toFixed(3),
    });
  }
} finally {
  await browser.close();
  await dashboard.stop();
}

console.log(`dashboard pages, ${large ? 'large' : 'small'} synthetic org, median of ${runs} cold loads (localhost, Chromium)`);
console.log('| page | transferred (KB, compressed) | LCP (ms) | first chart/graph drawn (ms) | CLS |');
console.log('|---|---:|---:|---:|---:|');
for (const r of rows) console.log(`| ${r.page} | ${r.kb} | ${r.lcp} | ${r.drawn} | ${r.cls} |`);
console.log(`command: node bench/web_bench.mjs ${ampere}${large ? ' --large' : ''} --runs ${runs}`);
console.log(`load average at the end: ${(await import('node:os')).loadavg().map((l) => l.toFixed(2)).join(', ')}`);
