// Bundles the dashboard with esbuild: one entry per page, shared chunks (ECharts and the network
// renderer load only on the pages that import them), content-hashed names, a gzip twin of every asset, one HTML shell per page
// and a manifest. cmake runs it at build time and embeds the output directory in the binary.
// Usage: node web/build.mjs <output dir>
import { build } from 'esbuild';
import { mkdirSync, readFileSync, rmSync, writeFileSync, readdirSync, copyFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { gzipSync, constants } from 'node:zlib';
import { dirname, join, basename, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const out = process.argv[2];
if (!out) {
  console.error('usage: node web/build.mjs <output dir>');
  process.exit(2);
}

/** The pages: URL path, entry module, title and the <main> fragment. Nav order is this order. */
export const PAGES = [
  { name: 'home', path: '/', title: 'Activity', nav: 'home' },
  { name: 'downloads', path: '/downloads', title: 'Downloads', nav: 'downloads' },
  { name: 'feed', path: '/feed', title: 'Feed', nav: 'feed' },
  { name: 'issues', path: '/issues', title: 'Issues', nav: 'issues' },
  { name: 'stargazers', path: '/network-stargazers', title: 'Network: stargazers', nav: 'stargazers' },
  { name: 'followers', path: '/network-followers', title: 'Network: followers', nav: 'followers' },
  { name: 'status', path: '/status', title: 'Status', nav: 'status' },
  { name: 'about', path: '/about', title: 'About', nav: 'about' },
];

const assetsDir = join(out, 'assets');
const pagesDir = join(out, 'pages');
rmSync(out, { recursive: true, force: true });
mkdirSync(assetsDir, { recursive: true });
mkdirSync(pagesDir, { recursive: true });

const common = { bundle: true, minify: true, sourcemap: false, legalComments: 'none', logLevel: 'warning',
  target: ['es2020', 'chrome100', 'firefox100', 'safari15'] };

const outName = (meta, entrySuffix) => {
  for (const [file, info] of Object.entries(meta.outputs)) {
    if (info.entryPoint && info.entryPoint.endsWith(entrySuffix)) return basename(file);
  }
  throw new Error(`no output for ${entrySuffix}`);
};

// The network pages' edge painter runs as a worker: a classic script, built first so that the pages
// know its hashed name.
const worker = await build({ ...common, entryPoints: { 'raster-worker': join(here, 'src', 'raster_worker.js') },
  outdir: assetsDir, format: 'iife', entryNames: '[name]-[hash]', metafile: true });
const workerUrl = `/assets/${outName(worker.metafile, 'raster_worker.js')}`;

// Page modules: ESM with code splitting.
const js = await build({
  ...common, define: { RASTER_WORKER_URL: JSON.stringify(workerUrl) },
  entryPoints: Object.fromEntries(PAGES.map((p) => [p.name, join(here, 'src', 'pages', `${p.name}.js`)])),
  outdir: assetsDir, format: 'esm', splitting: true, metafile: true,
  entryNames: '[name]-[hash]', chunkNames: 'chunk-[hash]',
});
// The theme script runs in <head> before the first paint: a classic script.
const theme = await build({ ...common, entryPoints: { theme: join(here, 'theme.js') }, outdir: assetsDir,
  format: 'iife', entryNames: '[name]-[hash]', metafile: true });
const css = await build({ ...common, entryPoints: { style: join(here, 'style.css') }, outdir: assetsDir,
  entryNames: '[name]-[hash]', metafile: true });

// Favicon: copied under a content-hashed name.
const favicon = readFileSync(join(here, 'favicon.svg'));
const faviconName = `favicon-${createHash('sha256').update(favicon).digest('hex').slice(0, 8)}.svg`;
copyFileSync(join(here, 'favicon.svg'), join(assetsDir, faviconName));

const shell = readFileSync(join(here, 'shell.html'), 'utf8');
const manifest = { pages: {}, style: outName(css.metafile, 'style.css'), theme: outName(theme.metafile, 'theme.js'),
  favicon: faviconName };

// Every chunk a page imports statically, transitively: preloaded so they download in parallel.
function staticImports(file, seen = new Set()) {
  for (const imp of js.metafile.outputs[file].imports) {
    if (imp.kind !== 'import-statement' || seen.has(imp.path)) continue;
    seen.add(imp.path);
    staticImports(imp.path, seen);
  }
  return seen;
}

const NAV_LABELS = { downloads: 'downloads', feed: 'feed', issues: 'issues', stargazers: 'stargazers',
  followers: 'followers', status: 'status', about: 'about' };

for (const page of PAGES) {
  const [file] = Object.entries(js.metafile.outputs).find(([, o]) => o.entryPoint?.endsWith(`pages/${page.name}.js`));
  const preload = [...staticImports(file)].map((f) => `<link rel="modulepreload" href="/assets/${basename(f)}">\n`)
    .join('');
  const nav = PAGES.filter((p) => NAV_LABELS[p.nav]).map((p) => {
    const current = p.name === page.name ? ' aria-current="page"' : '';
    return `      <li><a href="${p.path}"${current}>${NAV_LABELS[p.nav]}</a></li>`;
  }).join('\n');
  const main = readFileSync(join(here, 'pages', `${page.name}.html`), 'utf8').trimEnd()
    .replace(/\{\{include:([\w.]+)\}\}/g, (m, name) => readFileSync(join(here, 'pages', name), 'utf8').trimEnd());
  const values = { title: page.title, favicon: faviconName, style: manifest.style, theme: manifest.theme,
    script: basename(file), preload, nav, main, page: page.name };
  const html = shell.replace(/\{\{build:(\w+)\}\}/g, (m, key) => {
    if (!(key in values)) throw new Error(`shell.html: unknown placeholder ${m}`);
    return values[key];
  });
  writeFileSync(join(pagesDir, `${page.name}.html`), html);
  manifest.pages[page.path] = { name: page.name, html: `pages/${page.name}.html`, script: basename(file),
    preload: [...staticImports(file)].map((f) => basename(f)) };
}

// A gzip twin of every asset (served when the browser accepts gzip; assets never change under a name).
for (const name of readdirSync(assetsDir)) {
  const bytes = readFileSync(join(assetsDir, name));
  writeFileSync(join(assetsDir, `${name}.gz`), gzipSync(bytes, { level: constants.Z_BEST_COMPRESSION }));
}
writeFileSync(join(out, 'manifest.json'), JSON.stringify(manifest, null, 2));

const sizes = readdirSync(assetsDir).filter((n) => n.endsWith('.gz'))
  .reduce((sum, n) => sum + readFileSync(join(assetsDir, n)).length, 0);
console.log(`web: ${PAGES.length} pages, ${readdirSync(assetsDir).length / 2} assets (${Math.round(sizes / 1024)} KB gzipped) in ${relative(process.cwd(), out) || out}`);
