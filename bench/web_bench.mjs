// Per page of the dashboard on localhost: bytes transferred (compressed, as the browser received them),
// Largest Contentful Paint, and the time until the page's first chart, table or graph is drawn (the
// page's "ampere:drawn" / "ampere:graph-drawn" performance marks). Cold cache, one page at a time.
//
// Usage: node bench/web_bench.mjs <ampere binary> [--large] [--runs N]
//   --large: the API answers for the large synthetic org (200 repos, 50,000 nodes per network) from
//            tests/e2e/fixtures.mjs (see API_FROM_FIXTURES in tests/e2e/support.mjs).
import { PAGES, launchBrowser, startDashboard } from '../tests/e2e/support.mjs';

const args = process.argv.slice(2);
const ampere = args.find((a) => !a.startsWith('--') && !/^\d+$/.test(a));
const large = args.includes('--large');
const runsIndex = args.indexOf('--runs');
const runs = runsIndex >= 0 ? Number(args[runsIndex + 1]) : 3;
if (!ampere) {
  console.error('usage: node bench/web_bench.mjs <ampere binary> [--large] [--runs N]');
  process.exit(2);
}

const READY = {
  home: '#commits-chart[data-series]', downloads: '#cloud-chart[data-series]', feed: '#feed-table tbody tr',
  issues: '#issues-table tbody tr', stargazers: '#graph .zoom', followers: '#graph .zoom',
  status: '#runs-table tbody tr', about: '#repos-table tbody tr',
};

const median = (xs) => { const s = [...xs].sort((a, b) => a - b); return s[Math.floor(s.length / 2)]; };

const dashboard = await startDashboard(ampere, { scale: large ? 'large' : 'small' });
const browser = await launchBrowser();
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
