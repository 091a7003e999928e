// End-to-end: every page of the dashboard in Chromium, on a desktop and a phone, light and dark: it
// loads with data, without console errors or failed requests; its key elements show the small demo
// org's values; filters and the date range change what is shown; the theme toggle persists; nothing
// overflows at 390x844; the keyboard reaches every control; axe-core finds no serious violations.
// Screenshots go to <artifact dir>.
// Usage: node dashboard.test.mjs <ampere binary> <artifact dir>
import { mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { EXPECTED_REPOS, PAGES, launchBrowser, openPage, startDashboard } from './support.mjs';

const [ampere, artifacts] = process.argv.slice(2);
assert.ok(ampere && artifacts, 'usage: dashboard.test.mjs <ampere binary> <artifact dir>');
mkdirSync(artifacts, { recursive: true });
const axePath = createRequire(import.meta.url).resolve('axe-core/axe.min.js');

const DESKTOP = { width: 1280, height: 800 };
const PHONE = { width: 390, height: 844 };

/** What shows that each page's data arrived. */
const READY = {
  home: '#commits-chart[data-series]',
  downloads: '#cloud-chart[data-series]',
  feed: '#feed-table tbody tr',
  issues: '#issues-table tbody tr',
  stargazers: '#graph .zoom',
  followers: '#graph .zoom',
  status: '#runs-table tbody tr',
  about: '#repos-table tbody tr',
};

let dashboard;
let browser;
before(async () => {
  dashboard = await startDashboard(ampere);
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
  await dashboard?.stop();
});

async function load(path, name, options) {
  const opened = await openPage(browser, dashboard.baseUrl, path, options);
  await opened.page.waitForSelector(READY[name], { timeout: 20_000 });
  return opened;
}

for (const { name, path } of PAGES) {
  for (const [device, viewport] of [['desktop', DESKTOP], ['phone', PHONE]]) {
    for (const colorScheme of ['light', 'dark']) {
      test(`${name} page, ${device}, ${colorScheme}`, async () => {
        const { context, page, problems } = await load(path, name, { viewport, colorScheme });
        const background = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
        const [r, g, b] = background.match(/\d+/g).map(Number);
        const luminance = (r + g + b) / 3;
        assert.ok(colorScheme === 'dark' ? luminance < 80 : luminance > 175, `background ${background}`);
        const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
        assert.ok(overflow <= 0, `page is ${overflow}px wider than the viewport`);
        const asOf = await page.locator('#as-of').innerText();
        assert.match(asOf, /^\d{4}-\d{2}-\d{2} \d{2}:\d{2} UTC$/, `data as of: ${asOf}`);
        await page.waitForTimeout(name === 'stargazers' || name === 'followers' ? 600 : 150);
        await page.screenshot({ path: join(artifacts, `${name}-${device}-${colorScheme}.png`), fullPage: true });
        assert.deepEqual(problems, []);
        await context.close();
      });
    }
  }
}

test('every page answers with a Content-Security-Policy without unsafe-inline', async () => {
  for (const { path } of PAGES) {
    const response = await fetch(new URL(path, dashboard.baseUrl));
    assert.equal(response.status, 200, path);
    const csp = response.headers.get('content-security-policy') ?? '';
    assert.match(csp, /default-src 'self'/, `${path}: ${csp}`);
    assert.doesNotMatch(csp, /unsafe-inline|unsafe-eval/, `${path}: ${csp}`);
  }
});

test('assets are content-hashed, gzipped and cached for a year', async () => {
  const html = await (await fetch(new URL('/', dashboard.baseUrl))).text();
  const scripts = [...html.matchAll(/src="(\/assets\/[^"]+\.js)"/g)].map((m) => m[1]);
  assert.ok(scripts.length >= 2, html);
  for (const script of scripts) {
    assert.match(script, /-[A-Z0-9]{8}\.js$/);
    const response = await fetch(new URL(script, dashboard.baseUrl), { headers: { 'Accept-Encoding': 'gzip' } });
    assert.equal(response.status, 200);
    assert.equal(response.headers.get('cache-control'), 'public, max-age=31536000, immutable');
    assert.equal(response.headers.get('content-encoding'), 'gzip');
  }
});

test('about lists every repo of the demo org with its links', async () => {
  const { context, page, problems } = await load('/about', 'about');
  const repos = await page.locator('#repos-table tbody tr td:first-child').allInnerTexts();
  assert.deepEqual([...repos].sort(), [...EXPECTED_REPOS].sort());
  const hrefs = await page.locator('#repos-table tbody tr td:first-child a').evaluateAll((as) => as.map((a) => a.href));
  for (const href of hrefs) assert.match(href, /^https:\/\/github\.com\/ampere-demo\//);
  // Downloads are counted for repos with a tracked PyPI package; the others show a dash, not 0.
  const packaged = await page.evaluate(async () => (await fetch('/api/v1/packages').then((r) => r.json())).items.map((p) => p.repo_name));
  const rows = await page.locator('#repos-table tbody tr').evaluateAll((trs) => trs.map((tr) => [...tr.cells].map((td) => td.innerText)));
  assert.ok(packaged.length > 0 && packaged.length < rows.length, `packaged: ${packaged}`);
  for (const cells of rows) {
    const [total, week] = cells.slice(-2);
    if (packaged.includes(cells[0])) assert.match(`${total} ${week}`, /^[\d,]+ [\d,]+$/, cells[0]);
    else assert.equal(`${total} ${week}`, '— —', cells[0]);
  }
  assert.deepEqual(problems, []);
  await context.close();
});

test('home: three stacked charts of every repo; the range and the legend change them and the URL', async () => {
  const { context, page, problems } = await load('/', 'home');
  for (const id of ['stars', 'issues', 'commits']) {
    assert.equal(await page.getAttribute(`#${id}-chart`, 'data-series'), String(EXPECTED_REPOS.length), id);
  }
  // Stacked series share one time axis (ECharts stacks by position): a repo created later gets zeros first.
  for (const id of ['stars', 'issues', 'commits']) {
    const times = await page.evaluate((sel) => document.querySelector(sel)._chart.getOption().series
      .map((s) => s.data.map((p) => p[0]).join()), `#${id}-chart`);
    assert.equal(new Set(times).size, 1, `${id}: every series has the same weeks`);
  }
  const points = async () => Number(await page.getAttribute('#stars-chart', 'data-points'));
  const before = await points();
  assert.ok(before > EXPECTED_REPOS.length, `points: ${before}`);
  await page.click('button.preset[data-preset="3m"]');
  await page.waitForFunction((n) => Number(document.querySelector('#stars-chart').dataset.points) < n, before);
  assert.match(page.url(), /from=\d{4}-\d{2}-\d{2}/);
  // The URL restores the view.
  await page.goto(page.url(), { waitUntil: 'networkidle' });
  await page.waitForSelector('#commits-chart[data-series]');
  assert.ok((await points()) < before);
  assert.deepEqual(problems, []);
  await context.close();
});

test('downloads: package, granularity and every group', async () => {
  const { context, page, problems } = await load('/downloads', 'downloads');
  const options = await page.locator('#package option').allInnerTexts();
  assert.ok(options.length >= 1, `packages: ${options}`);
  const weekly = Number(await page.getAttribute('#overall-chart', 'data-points'));
  // The demo's downloads end mid-week: the last week is shaded and labelled as not over.
  const partial = await page.evaluate(() => document.querySelector('#overall-chart')._chart.getOption().series[0].markArea);
  assert.equal(partial?.label?.formatter, 'so far');
  assert.equal(partial?.data?.length, 1);
  await page.selectOption('#granularity', 'month');
  await page.waitForFunction((n) => Number(document.querySelector('#overall-chart').dataset.points) < n, weekly);
  assert.match(page.url(), /granularity=month/);
  assert.ok(Number(await page.getAttribute('#python_version-chart', 'data-series')) >= 2);
  for (const group of ['system', 'cloud', 'country', 'installer', 'ci']) {
    assert.ok(Number(await page.getAttribute(`#${group}-chart`, 'data-series')) >= 2, group);
  }
  assert.deepEqual(problems, []);
  await context.close();
});

test('feed: newest first, colour-coded, filtered by type, repo and user, loads more on scroll', async () => {
  const { context, page, problems } = await load('/feed', 'feed');
  const times = await page.locator('#feed-table tbody tr').evaluateAll((rows) => rows.map((r) => `${r.cells[0].textContent} ${r.cells[1].textContent}`));
  assert.deepEqual(times, [...times].sort().reverse());
  const initial = times.length;
  // An event without a known actor (who closed or merged is not in GitHub's lists) is told in the passive,
  // a commit without a GitHub account by its git name; "ghost" only for a deleted account.
  const items = await page.evaluate(async () => (await fetch('/api/v1/feed?limit=100').then((r) => r.json())).items);
  const events = await page.locator('#feed-table tbody tr td.event').allInnerTexts();
  assert.ok(items.some((e) => !e.actor_login), 'the demo has events without an actor');
  items.forEach((e, i) => {
    if (e.actor_login) assert.ok(events[i].startsWith(`${e.actor_login} `), `${events[i]} / ${e.actor_login}`);
    else if (e.actor_name) assert.ok(events[i].startsWith(`${e.actor_name} pushed`), events[i]);
    else assert.match(events[i], / was (opened|closed|merged|reopened|pushed)/, events[i]);
  });
  await page.locator('#feed-table').evaluate((t) => { t.scrollTop = t.scrollHeight; });
  await page.waitForFunction((n) => document.querySelectorAll('#feed-table tbody tr').length > n, initial);
  const firstEvent = await page.locator('#feed-table tbody tr td.event').first().innerText();
  assert.match(firstEvent, /(today|yesterday|\d+ days ago)$/);
  await page.selectOption('#type', 'star');
  await page.waitForFunction(() => {
    const cells = [...document.querySelectorAll('#feed-table tbody td.event')];
    return cells.length > 0 && cells.every((c) => c.classList.contains('ev-star'));
  });
  assert.match(page.url(), /type=star/);
  await page.selectOption('#repo', EXPECTED_REPOS[0]);
  await page.waitForFunction((repo) => {
    const rows = [...document.querySelectorAll('#feed-table tbody td.event .repo')];
    return rows.length > 0 && rows.every((r) => r.textContent === repo);
  }, EXPECTED_REPOS[0]);
  const login = await page.locator('#feed-table tbody td.event .user').first().innerText();
  await page.fill('#user', login);
  await page.waitForFunction((l) => {
    const users = [...document.querySelectorAll('#feed-table tbody td.event .user')];
    return users.length > 0 && users.every((u) => u.textContent === l);
  }, login);
  assert.deepEqual(problems, []);
  await context.close();
});

test('issues: summary highlights, details sort and search', async () => {
  const { context, page, problems } = await load('/issues', 'issues');
  await page.waitForSelector('#summary-table tbody tr');
  assert.ok(await page.locator('#summary-table td.hi-3').count() >= 1, 'the largest value is highlighted');
  const count = async () => page.locator('#issues-table tbody tr').count();
  const all = await count();
  assert.ok(all > 0);
  await page.click('#issues-table th:has-text("comments") button');
  // The server sorts: the table is redrawn (header and rows together) when its answer comes.
  await page.waitForSelector('#issues-table th[aria-sort="descending"]:has-text("comments")');
  const comments = await page.locator('#issues-table tbody tr td:nth-child(7)').allInnerTexts();
  const numbers = comments.map((c) => Number(c.replace(/,/g, '')));
  assert.deepEqual(numbers, [...numbers].sort((a, b) => b - a));
  const title = await page.locator('#issues-table tbody tr td:nth-child(3)').first().innerText();
  const word = title.split(/\s+/).filter((w) => w.length > 3 && !w.startsWith('#'))[0] ?? title.slice(0, 4);
  await page.fill('#q', word);
  await page.waitForFunction(() => new URL(location.href).searchParams.has('q'));
  const texts = await page.locator('#issues-table tbody tr').allInnerTexts();
  assert.ok(texts.length > 0 && texts.length <= all);
  // The server searched (title, body or author) and counted: the note says how many of how many.
  const shown = await page.evaluate(async (w) => {
    const r = await fetch(`/api/v1/issues?q=${encodeURIComponent(w)}&sort=comments&limit=1000`).then((x) => x.json());
    return r.total;
  }, word);
  await page.waitForFunction((n) => document.querySelector('#issues-count').textContent.endsWith(`of ${n.toLocaleString('en-US')} open issues`), shown);
  assert.deepEqual(problems, []);
  await context.close();
});

/** Share of the graph canvas's pixels that are painted, the sum of their colour values, and the colour at its centre. */
async function canvasPixels(page) {
  return page.evaluate(() => {
    // Read from a copy: repeated reads of the page's own canvas make Chromium warn on the console.
    const canvas = document.querySelector('#graph canvas');
    const copy = document.createElement('canvas');
    copy.width = canvas.width; copy.height = canvas.height;
    const context = copy.getContext('2d', { willReadFrequently: true });
    context.drawImage(canvas, 0, 0);
    const data = context.getImageData(0, 0, canvas.width, canvas.height).data;
    let painted = 0;
    let sum = 0;
    for (let i = 3; i < data.length; i += 4) {
      if (data[i] > 0) painted++;
      sum += data[i - 3] + data[i - 2] + data[i - 1];
    }
    const middle = (Math.floor(canvas.height / 2) * canvas.width + Math.floor(canvas.width / 2)) * 4;
    return { painted: painted / (canvas.width * canvas.height), sum, centre: Array.from(data.slice(middle, middle + 4)) };
  });
}

const graphDrawn = (page) => page.waitForFunction(() => performance.getEntriesByName('ampere:graph-drawn').length > 0, null, { timeout: 20_000 });

for (const name of ['stargazers', 'followers']) {
  test(`network ${name}: the graph is drawn, hover shows a tooltip, search highlights a user and ?user= restores it`, async () => {
    const path = PAGES.find((p) => p.name === name).path;
    const network = await (await fetch(new URL(`/api/v1/networks/${name}`, dashboard.baseUrl))).json();
    const { context, page, problems } = await load(path, name);
    await graphDrawn(page);
    assert.equal(await page.getAttribute('#graph', 'data-drawn-nodes'), String(network.nodes.id.length));
    const whole = await canvasPixels(page);
    assert.ok(whole.painted > 0.005, `painted share ${whole.painted}`);

    const login = await page.locator('#people-table tbody tr td:first-child').first().innerText();
    await page.fill('#search', login);
    await page.click('#search-go');
    await page.waitForFunction(() => new URL(location.href).searchParams.has('user'));
    assert.equal(new URL(page.url()).searchParams.get('user'), login);
    assert.match(await page.locator('#graph-note').innerText(), new RegExp(`: \\d+ connections`));
    assert.equal(await page.getAttribute('#graph', 'data-highlight'), login);
    // Only the user's own edges are drawn, and the user is drawn at the centre.
    const index = network.nodes.label.indexOf(login);
    const degree = new Set(network.edges.source.flatMap((s, e) => {
      const t = network.edges.target[e];
      return s === index ? [t] : t === index ? [s] : [];
    })).size;
    assert.equal(await page.getAttribute('#graph', 'data-drawn-edges'), String(degree));
    const lit = await canvasPixels(page);
    assert.equal(lit.centre[3], 255, `centre pixel ${lit.centre}`);

    // Hover the centre: the tooltip names the user (as text).
    const box = await page.locator('#graph canvas').boundingBox();
    await page.mouse.move(box.x + box.width / 2 + 1, box.y + box.height / 2 + 1);
    await page.waitForSelector('#graph .graph-tooltip', { state: 'visible' });
    const tip = await page.locator('#graph .graph-tooltip').innerText();
    assert.ok(tip.startsWith(login), tip);
    assert.equal(await page.locator('#graph .graph-tooltip *').count(), 0, 'the tooltip holds text only');

    // The URL restores the highlight.
    await page.goto(page.url(), { waitUntil: 'networkidle' });
    await graphDrawn(page);
    assert.equal(await page.inputValue('#search'), login);
    assert.equal(await page.getAttribute('#graph', 'data-highlight'), login);

    // The buttons and the wheel zoom.
    const zoom = async () => Number(await page.getAttribute('#graph', 'data-zoom'));
    const restored = await zoom();
    await page.click('#graph button[aria-label="zoom in"]');
    await page.waitForFunction((z) => Number(document.querySelector('#graph').dataset.zoom) > z, restored);
    const zoomedIn = await zoom();
    await page.mouse.move(box.x + box.width / 3, box.y + box.height / 3);
    await page.mouse.wheel(0, 300);
    await page.waitForFunction((z) => Number(document.querySelector('#graph').dataset.zoom) < z, zoomedIn);
    // Zoom out, reset, and a click on empty space clears the highlight.
    await page.click('#graph button[aria-label="zoom out"]');
    await page.click('#graph button[aria-label="reset zoom"]');
    await page.mouse.click(box.x + 3, box.y + 3);
    await page.waitForFunction(() => !new URL(location.href).searchParams.has('user'));
    const pairs = new Set(network.edges.source.map((s, e) => {
      const t = network.edges.target[e];
      return s < t ? `${s}-${t}` : `${t}-${s}`;
    }).filter((key) => { const [a, b] = key.split('-'); return a !== b; }));
    // The whole graph is drawn again (its edges come from the worker).
    await page.waitForFunction((count) => document.querySelector('#graph').dataset.drawnEdges === count, String(pairs.size));
    assert.ok((await canvasPixels(page)).painted > 0.005);
    // The theme toggle redraws the graph in the other theme's colours.
    const light = await canvasPixels(page);
    await page.click('#theme-toggle');
    const deadline = Date.now() + 20_000;
    while ((await canvasPixels(page)).sum === light.sum) {
      assert.ok(Date.now() < deadline, 'the graph was not redrawn in the dark theme');
      await page.waitForTimeout(100);
    }
    assert.deepEqual(problems, []);
    await context.close();
  });
}

test('network without its worker script: the page paints the edges itself', async () => {
  const context = await browser.newContext({ viewport: DESKTOP });
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  let blocked = 0;
  await page.route(/raster-worker-[A-Z0-9]+\.js$/, (route) => { blocked++; return route.abort(); });
  await page.goto(new URL('/network-stargazers', dashboard.baseUrl).href, { waitUntil: 'networkidle' });
  await graphDrawn(page);
  const network = await (await fetch(new URL('/api/v1/networks/stargazers', dashboard.baseUrl))).json();
  assert.equal(await page.getAttribute('#graph', 'data-drawn-edges'), String(network.edges.source.length));
  assert.ok((await canvasPixels(page)).painted > 0.005);
  assert.ok(blocked >= 1, 'the page asked for its worker script');
  assert.deepEqual(errors, []);
  await context.close();
});

test('network on a phone: a drag pans, two fingers zoom, a tap on a user shows the tooltip', async () => {
  const context = await browser.newContext({ viewport: { width: 360, height: 740 }, hasTouch: true, isMobile: true });
  const page = await context.newPage();
  const problems = [];
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  await page.goto(new URL('/network-followers', dashboard.baseUrl).href, { waitUntil: 'networkidle' });
  await graphDrawn(page);
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok(overflow <= 0, `page is ${overflow}px wider than the viewport`);
  const login = await page.locator('#people-table tbody tr td:first-child').first().innerText();
  await page.fill('#search', login);
  await page.click('#search-go');
  await page.waitForFunction(() => new URL(location.href).searchParams.has('user'));
  const box = await page.locator('#graph canvas').boundingBox();
  const before = await canvasPixels(page);
  // A one-finger drag (pointer events as a touch screen sends them) moves the user off the centre.
  await page.locator('#graph canvas').evaluate((canvas) => {
    const r = canvas.getBoundingClientRect();
    const at = (x, y, type) => canvas.dispatchEvent(new PointerEvent(type, { pointerId: 7, pointerType: 'touch', isPrimary: true,
      clientX: r.left + x, clientY: r.top + y, bubbles: true }));
    at(r.width / 2, r.height / 2, 'pointerdown');
    for (let k = 1; k <= 5; k++) at(r.width / 2 + k * 20, r.height / 2, 'pointermove');
    at(r.width / 2 + 100, r.height / 2, 'pointerup');
  });
  await page.waitForTimeout(400);
  const after = await canvasPixels(page);
  assert.notDeepEqual(after.centre, before.centre, 'the drag moved the picture');
  // Two fingers moving apart zoom in.
  const zoomBefore = Number(await page.getAttribute('#graph', 'data-zoom'));
  await page.locator('#graph canvas').evaluate((canvas) => {
    const r = canvas.getBoundingClientRect();
    const at = (id, x, y, type) => canvas.dispatchEvent(new PointerEvent(type, { pointerId: id, pointerType: 'touch',
      isPrimary: id === 11, clientX: r.left + x, clientY: r.top + y, bubbles: true }));
    at(11, 100, 150, 'pointerdown');
    at(12, 140, 150, 'pointerdown');
    for (let k = 1; k <= 5; k++) { at(11, 100 - k * 10, 150, 'pointermove'); at(12, 140 + k * 10, 150, 'pointermove'); }
    at(11, 50, 150, 'pointerup');
    at(12, 190, 150, 'pointerup');
  });
  await page.waitForFunction((z) => Number(document.querySelector('#graph').dataset.zoom) > z * 2, zoomBefore);
  // The pinch centred on (120, 150); back to where the user was: the reset button, then search again.
  await page.click('#graph button[aria-label="reset zoom"]');
  await page.click('#search-go');
  await page.waitForTimeout(200);
  await page.touchscreen.tap(box.x + box.width / 2, box.y + box.height / 2);
  await page.waitForSelector('#graph .graph-tooltip', { state: 'visible' });
  assert.ok((await page.locator('#graph .graph-tooltip').innerText()).startsWith(login));
  await page.screenshot({ path: join(artifacts, 'followers-phone-360-touch.png'), fullPage: false });
  assert.deepEqual(problems, []);
  await context.close();
});

test('status: pages, sources and runs with their outcome and cost', async () => {
  const { context, page, problems } = await load('/status', 'status');
  await page.waitForSelector('#pages-table tbody tr');
  const states = await page.locator('#pages-table tbody tr td:nth-child(2)').allInnerTexts();
  assert.ok(states.length >= 1 && states.every((s) => /ok|stale|missing/.test(s)), states.join());
  const outcomes = await page.locator('#runs-table tbody tr td:nth-child(4)').allInnerTexts();
  assert.ok(outcomes.length >= 1);
  assert.deepEqual(problems, []);
  await context.close();
});

test('dark mode toggles and is remembered', async () => {
  const { context, page, problems } = await load('/about', 'about');
  await page.click('#theme-toggle');
  assert.equal(await page.evaluate(() => document.documentElement.dataset.theme), 'dark');
  assert.equal(await page.getAttribute('#theme-toggle', 'aria-pressed'), 'true');
  await page.goto(new URL('/feed', dashboard.baseUrl).href, { waitUntil: 'networkidle' });
  assert.equal(await page.evaluate(() => document.documentElement.dataset.theme), 'dark');
  const background = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
  assert.equal(background, 'rgb(33, 33, 33)');
  assert.deepEqual(problems, []);
  await context.close();
});

test('CSV downloads hold the shown rows', async () => {
  const { context, page, problems } = await load('/about', 'about');
  const [download] = await Promise.all([page.waitForEvent('download'), page.click('#repos-csv')]);
  const path = await download.path();
  const { readFileSync } = await import('node:fs');
  const lines = readFileSync(path, 'utf8').trim().split(/\r?\n/);
  assert.match(lines[0], /^repo_name,description/);
  assert.equal(lines.length, EXPECTED_REPOS.length + 1);
  assert.deepEqual(problems, []);
  await context.close();
});

for (const { name, path } of PAGES) {
  test(`${name}: the keyboard reaches every control and axe finds no serious violations`, async () => {
    const context = await browser.newContext({ viewport: DESKTOP, bypassCSP: true });
    const page = await context.newPage();
    await page.goto(new URL(path, dashboard.baseUrl).href, { waitUntil: 'networkidle' });
    await page.waitForSelector(READY[name], { timeout: 20_000 });
    // Controls: navigation, theme, inputs, selects and buttons outside tables.
    const controls = await page.evaluate(() => {
      const nodes = [...document.querySelectorAll('header a, header button, main input, main select, main button:not([disabled]):not([hidden])')]
        .filter((n) => !n.closest('table') && n.offsetParent !== null);
      nodes.forEach((n, i) => n.setAttribute('data-control', String(i)));
      return nodes.length;
    });
    const reached = new Set();
    for (let i = 0; i < 400 && reached.size < controls; i++) {
      await page.keyboard.press('Tab');
      const id = await page.evaluate(() => document.activeElement?.getAttribute('data-control'));
      if (id !== null && id !== undefined) reached.add(id);
    }
    assert.equal(reached.size, controls, `reached ${reached.size} of ${controls} controls`);
    await page.addScriptTag({ path: axePath });
    const results = await page.evaluate(async () => window.axe.run(document, { resultTypes: ['violations'] }));
    const serious = results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
    assert.deepEqual(serious.map((v) => `${v.id}: ${v.help} (${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(', ')})`), []);
    await context.close();
  });
}
