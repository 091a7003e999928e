// End-to-end safety: `ampere demo --hostile` seeds script tags, event-handler attributes, javascript:
// links, markdown image trackers, very long and right-to-left strings into titles, bodies, names,
// commit messages and release names. Every page loads; no script runs (window.__pwned stays unset, no
// dialog opens), no tracker is requested, no javascript: link or event-handler attribute reaches the
// DOM, the hostile text is shown literally, and every page carries a CSP without unsafe-inline.
// Usage: node hostile.test.mjs <ampere binary> <artifact dir>
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { HOSTILE, LITERAL_MARKER } from './hostile_strings.mjs';
import { PAGES, launchBrowser, openPage, startDashboard } from './support.mjs';

const [ampere, artifacts] = process.argv.slice(2);
assert.ok(ampere && artifacts, 'usage: hostile.test.mjs <ampere binary> <artifact dir>');
mkdirSync(artifacts, { recursive: true });

const READY = {
  home: '#commits-chart[data-series]', downloads: '#cloud-chart[data-series], #cloud-chart .chart-empty',
  feed: '#feed-table tbody tr', issues: '#issues-table tbody tr', stargazers: '#graph .zoom',
  followers: '#graph .zoom', status: '#runs-table tbody tr', about: '#repos-table tbody tr',
};
/** Pages that show texts seeded with the marker (issue titles, commit messages): the feed shows every
 * event, so the marker itself; the issues page only open issues, so at least one markup string. */
const SHOWS_MARKER = new Set(['feed']);
const SHOWS_MARKUP = new Set(['issues']);

let dashboard;
let browser;
before(async () => {
  dashboard = await startDashboard(ampere, { hostile: true });
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
  await dashboard?.stop();
});

for (const { name, path } of PAGES) {
  test(`${name}: hostile content stays text`, async () => {
    const { context, page, problems } = await openPage(browser, dashboard.baseUrl, path);
    const requested = [];
    page.on('request', (r) => requested.push(r.url()));
    await page.waitForSelector(READY[name], { timeout: 20_000 });
    if (name === 'feed') {
      // Scroll the whole feed in so every event's text is on the page.
      for (let i = 0; i < 20; i++) {
        const before = await page.locator('#feed-table tbody tr').count();
        await page.locator('#feed-table').evaluate((t) => { t.scrollTop = t.scrollHeight; });
        await page.waitForTimeout(250);
        if (await page.locator('#feed-table tbody tr').count() === before) break;
      }
    }
    if (name === 'issues') {
      // Each click asks the server for the next page; the button is disabled until it is in.
      while (await page.locator('#issues-more:not([hidden])').count()) {
        await page.click('#issues-more');
        await page.waitForSelector('#issues-more[hidden], #issues-more:not([disabled])', { state: 'attached' });
      }
    }
    await page.waitForTimeout(300);
    assert.equal(await page.evaluate(() => window.__pwned), undefined, 'a hostile script ran');
    const dom = await page.evaluate(() => {
      const all = [...document.querySelectorAll('*')];
      return {
        handlers: all.filter((n) => [...n.attributes].some((a) => a.name.startsWith('on'))).map((n) => n.outerHTML.slice(0, 120)),
        javascriptLinks: [...document.querySelectorAll('[href], [src]')]
          .filter((n) => /^\s*javascript:/i.test(n.getAttribute('href') ?? n.getAttribute('src') ?? '')).map((n) => n.outerHTML.slice(0, 120)),
        foreign: [...document.querySelectorAll('main img, main iframe, main svg image, main object, main embed, main script')].map((n) => n.outerHTML.slice(0, 120)),
        text: document.body.innerText,
      };
    });
    assert.deepEqual(dom.handlers, [], 'event-handler attributes in the DOM');
    assert.deepEqual(dom.javascriptLinks, [], 'javascript: links in the DOM');
    assert.deepEqual(dom.foreign, [], 'images, frames or scripts from the data in the DOM');
    if (SHOWS_MARKER.has(name)) assert.ok(dom.text.includes(LITERAL_MARKER), `${name} does not show ${LITERAL_MARKER} literally`);
    if (SHOWS_MARKUP.has(name)) {
      const markup = HOSTILE.filter((h) => h.startsWith('<'));
      assert.ok(markup.some((h) => dom.text.includes(h)), `${name} shows none of ${markup.join(' ')} literally`);
    }
    assert.deepEqual(requested.filter((u) => !u.startsWith(dashboard.baseUrl) && !u.startsWith('blob:')), [], 'requests leaving the dashboard');
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    assert.ok(overflow <= 0, `long strings widen the page by ${overflow}px`);
    await page.screenshot({ path: join(artifacts, `hostile-${name}.png`), fullPage: false });
    assert.deepEqual(problems, []);
    await context.close();
  });
}
