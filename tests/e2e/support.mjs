// Shared by the dashboard's browser tests: the server under test, Chromium, and page checks.
//
// startDashboard() is the one place that decides what the tests run against: a real `ampere demo`
// (the synthetic organization synced from the simulator, built and served by the binary).
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';

export const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync'];
export const EXPECTED_REPOS = ['quill', 'ember', 'tessera', 'lumen', 'sprocket', 'arbor', 'halyard', 'kiln'];
export const PAGES = [
  { name: 'home', path: '/' }, { name: 'downloads', path: '/downloads' }, { name: 'feed', path: '/feed' },
  { name: 'issues', path: '/issues' }, { name: 'stargazers', path: '/network-stargazers' },
  { name: 'followers', path: '/network-followers' }, { name: 'status', path: '/status' }, { name: 'about', path: '/about' },
];
const START_TIMEOUT_MS = 120_000;

/**
 * Starts the dashboard under test: `ampere demo` (with `--hostile`: hostile strings in every untrusted
 * field) on a free port. Returns { baseUrl, stop }.
 */
export async function startDashboard(ampere, { hostile = false } = {}) {
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
  return { baseUrl: demoUrl, stop: async () => stopServer() };
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
