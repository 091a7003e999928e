// End-to-end: `ampere demo` serves its page; Chromium loads it on a desktop and a phone, in light
// and dark mode, with no console errors or failed requests, and shows every demo repo.
// Usage: node demo_page.test.mjs <ampere binary> <artifact dir>
import { spawn } from 'node:child_process';
import { mkdtempSync, mkdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import assert from 'node:assert/strict';
import { test, after } from 'node:test';
import { chromium } from 'playwright-core';

const [ampere, artifacts] = process.argv.slice(2);
assert.ok(ampere && artifacts, 'usage: demo_page.test.mjs <ampere binary> <artifact dir>');
mkdirSync(artifacts, { recursive: true });

const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync'];
const EXPECTED_REPOS = ['quill', 'ember', 'tessera', 'lumen', 'sprocket', 'arbor', 'halyard', 'kiln'];
const START_TIMEOUT_MS = 60_000;

const workDir = mkdtempSync(join(tmpdir(), 'ampere-e2e-'));
const server = spawn(ampere, ['demo', '--data-dir', join(workDir, 'data'), '--port', '0'],
  { stdio: ['ignore', 'pipe', 'inherit'] });
after(() => { server.kill('SIGTERM'); rmSync(workDir, { recursive: true, force: true }); });

// The demo prints "dashboard: http://host:port/" once it listens.
const baseUrl = await new Promise((resolve, reject) => {
  let out = '';
  const timer = setTimeout(() => reject(new Error(`no dashboard URL within ${START_TIMEOUT_MS} ms:\n${out}`)),
    START_TIMEOUT_MS);
  server.stdout.on('data', (chunk) => {
    out += chunk;
    const m = out.match(/dashboard: (http:\/\/\S+)/);
    if (m) { clearTimeout(timer); resolve(m[1]); }
  });
  server.on('exit', (code) => reject(new Error(`ampere demo exited (${code}):\n${out}`)));
});

async function waitHealthy() {
  for (let i = 0; i < 100; i++) {
    try { if ((await fetch(new URL('/healthz', baseUrl))).ok) return; } catch { /* not yet */ }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('/healthz never answered 200');
}
await waitHealthy();

const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS,
  headless: true });
after(() => browser.close());

async function openPage({ viewport, colorScheme }) {
  const context = await browser.newContext({ viewport, colorScheme });
  const page = await context.newPage();
  const problems = [];
  page.on('console', (m) => { if (m.type() === 'error') problems.push(`console: ${m.text()}`); });
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  page.on('requestfailed', (r) => problems.push(`failed request: ${r.url()}`));
  page.on('response', (r) => { if (r.status() >= 400) problems.push(`HTTP ${r.status()}: ${r.url()}`); });
  await page.goto(baseUrl, { waitUntil: 'networkidle' });
  return { context, page, problems };
}

for (const [name, viewport] of [['desktop', { width: 1280, height: 800 }], ['phone', { width: 390, height: 844 }]]) {
  for (const colorScheme of ['light', 'dark']) {
    test(`home page, ${name}, ${colorScheme}`, async () => {
      const { context, page, problems } = await openPage({ viewport, colorScheme });
      const repos = await page.locator('table.repos tbody tr td:first-child').allInnerTexts();
      assert.deepEqual([...repos].sort(), [...EXPECTED_REPOS].sort());
      // The page follows the system colour scheme.
      const background = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
      const [r, g, b] = background.match(/\d+/g).map(Number);
      const luminance = (r + g + b) / 3;
      assert.ok(colorScheme === 'dark' ? luminance < 80 : luminance > 175, `background ${background}`);
      // Nothing overflows the viewport horizontally.
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      assert.ok(overflow <= 0, `page is ${overflow}px wider than the viewport`);
      await page.screenshot({ path: join(artifacts, `home-${name}-${colorScheme}.png`), fullPage: true });
      assert.deepEqual(problems, []);
      await context.close();
    });
  }
}

test('the theme toggle switches modes and is remembered', async () => {
  const { context, page, problems } = await openPage({ viewport: { width: 1280, height: 800 }, colorScheme: 'light' });
  const theme = () => page.evaluate(() => document.documentElement.dataset.theme ?? '');
  await page.click('#theme-toggle');
  const toggled = await theme();
  assert.equal(toggled, 'dark');
  await page.reload({ waitUntil: 'networkidle' });
  assert.equal(await theme(), 'dark');
  assert.deepEqual(problems, []);
  await context.close();
});
