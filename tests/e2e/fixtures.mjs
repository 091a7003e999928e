// Stand-in answers for the /api/v1 routes of docs/contracts.md, for the pages' tests until the API
// routes are served by `ampere serve` itself. Built from the real demo's repos (names, stars, dates)
// plus deterministic synthetic activity; `hostile` puts hostile strings into every untrusted field.
import { HOSTILE } from './hostile_strings.mjs';

const DAY = 86_400_000;

/** A small seeded PRNG (mulberry32): the same fixtures on every run. */
function rng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const iso = (ms) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
const isoDay = (ms) => new Date(ms).toISOString().slice(0, 10);
const mondayOf = (ms) => { const d = new Date(isoDay(ms)); return d.getTime() - ((d.getUTCDay() + 6) % 7) * DAY; };

/**
 * Everything the routes answer. `repos`: the demo's /api/v1/repos rows (any shape with repo_name, stars,
 * forks, open_issues, created_at, html_url, description, language). `scale: 'large'` pads the org to 200
 * repos and 50,000 people per network (the benchmark's large org).
 */
export function makeFixtures(realRepos, { hostile = false, scale = 'small' } = {}) {
  const LARGE = scale === 'large';
  const random = rng(42);
  const pick = (list) => list[Math.floor(random() * list.length)];
  const asOfMs = Date.parse('2026-10-31T00:00:00Z');
  const asOf = iso(asOfMs);
  const text = (plain, i) => (hostile && i % 3 === 0 ? HOSTILE[i % HOSTILE.length] : plain);

  const padded = [...realRepos];
  for (let i = padded.length; LARGE && i < 200; i++) {
    const like = realRepos[i % realRepos.length];
    padded.push({ ...like, repo_name: `${like.repo_name}-${i}`, html_url: `https://github.com/ampere-demo/${like.repo_name}-${i}`,
      stars: Math.max(1, Math.round(like.stars / (1 + i / 20))) });
  }
  const repos = padded.map((r, i) => ({
    repo_name: r.repo_name, full_name: `ampere-demo/${r.repo_name}`, description: text(r.description ?? '', i),
    language: r.language ?? '', license: 'mit', topics: ['data'], html_url: r.html_url ?? `https://github.com/ampere-demo/${r.repo_name}`,
    stars: r.stars, forks: r.forks, open_issues: r.open_issues, created_at: r.created_at, pushed_at: r.pushed_at,
    age_days: Math.floor((asOfMs - Date.parse(r.created_at)) / DAY), is_archived: false, is_fork: false,
    downloads_total: i < 2 ? 150_000 - i * 40_000 : 0, downloads_last_7d: i < 2 ? 2_100 - i * 500 : 0,
  })).sort((a, b) => b.stars - a.stars || a.repo_name.localeCompare(b.repo_name));

  const logins = Array.from({ length: LARGE ? 50_000 : 400 }, (_, i) => (hostile && i % 25 === 0 ? HOSTILE[(i / 25) % HOSTILE.length]
    : `${pick(['ada', 'grace', 'linus', 'ken', 'barbara', 'edsger', 'donald', 'margaret'])}-${pick(['lovelace', 'hopper', 'thompson', 'liskov', 'knuth', 'hamilton'])}${i}`));

  // Weekly metrics: stars grow to today's count, open issues wander to today's, commits per week.
  const weekly = { stars: [], open_issues: [], commits: [], forks: [], open_pull_requests: [], lines_added: [], lines_deleted: [] };
  const currentWeek = mondayOf(asOfMs);
  for (const repo of repos) {
    const first = Math.max(mondayOf(Date.parse(repo.created_at)), currentWeek - 156 * 7 * DAY);
    const weeks = Math.round((currentWeek - first) / (7 * DAY)) + 1;
    let issues = 0;
    for (let w = 0; w < weeks; w++) {
      const start = first + w * 7 * DAY;
      const frac = (w + 1) / weeks;
      const stars = Math.round(repo.stars * frac ** 1.5);
      issues = w === weeks - 1 ? repo.open_issues : Math.max(0, Math.round(repo.open_issues * frac + (random() - 0.5) * 4));
      const commits = Math.round(random() * 12);
      const base = { repo_name: repo.repo_name, week_start: isoDay(start), is_partial_week: w === weeks - 1 };
      const prev = (list) => (list.length && list[list.length - 1].repo_name === repo.repo_name ? list[list.length - 1].value : 0);
      weekly.stars.push({ ...base, value: stars, change: stars - prev(weekly.stars) });
      weekly.open_issues.push({ ...base, value: issues, change: issues - prev(weekly.open_issues) });
      weekly.commits.push({ ...base, value: commits, change: commits - prev(weekly.commits) });
      for (const m of ['forks', 'open_pull_requests', 'lines_added', 'lines_deleted']) weekly[m].push({ ...base, value: 0, change: 0 });
    }
  }

  // Packages and downloads.
  const packages = repos.slice(0, 2).map((r) => ({ package: r.repo_name, repo_name: r.repo_name, source: 'clickpy',
    first_day: '2025-01-01', last_day: isoDay(asOfMs - DAY), downloads_total: r.downloads_total, downloads_last_7d: r.downloads_last_7d }));
  const GROUP_VALUES = { overall: ['overall'], package_version: ['1.2.0', '1.1.0', '1.0.3', 'other'],
    python_version: ['3.12', '3.11', '3.10', '3.9'], system: ['Linux', 'Darwin', 'Windows'], cloud: ['aws', 'gcp', 'azure', 'none'],
    country: ['US', 'DE', 'other'], installer: ['pip', 'uv', 'poetry'], ci: ['true', 'false'] };
  const downloadsDaily = new Map();  // package -> [{day ms, n}]
  for (const p of packages) {
    const days = [];
    for (let t = Date.parse(p.first_day); t <= Date.parse(p.last_day); t += DAY) {
      days.push({ t, n: Math.round(200 + 100 * Math.sin(t / (7 * DAY)) + random() * 80 + (t - Date.parse(p.first_day)) / DAY) });
    }
    downloadsDaily.set(p.package, days);
  }
  function downloads({ package: name, granularity = 'week', group = 'overall', from, to }) {
    const days = downloadsDaily.get(name) || [];
    const values = GROUP_VALUES[group];
    const bucket = (t) => (granularity === 'day' || granularity === 'hour' ? t : granularity === 'week' ? mondayOf(t)
      : Date.UTC(new Date(t).getUTCFullYear(), new Date(t).getUTCMonth(), 1));
    const sums = new Map();
    for (const { t, n } of days) {
      if ((from && isoDay(t) < from.slice(0, 10)) || (to && isoDay(t) > to.slice(0, 10))) continue;
      const b = bucket(t);
      values.forEach((v, i) => {
        const key = `${b}|${v}`;
        const share = values.length === 1 ? 1 : (values.length - i) / ((values.length * (values.length + 1)) / 2);
        sums.set(key, (sums.get(key) || 0) + Math.round(n * share));
      });
    }
    const items = [...sums].map(([k, n]) => { const [b, v] = k.split('|'); return { period_start: iso(Number(b)), group_value: v, downloads: n }; })
      .sort((a, b) => a.period_start.localeCompare(b.period_start) || a.group_value.localeCompare(b.group_value));
    return { as_of: asOf, package: name, granularity, group, items };
  }

  // Feed: 900 events over the last 120 days, newest first.
  const TYPES = ['star', 'issue', 'commit', 'fork', 'pull_request'];
  const feed = [];
  for (let i = 0; i < 900; i++) {
    const type = TYPES[i % TYPES.length];
    const repo = pick(repos);
    const actor = pick(logins);
    const at = asOfMs - Math.floor(random() * 120 * DAY) - (i < 5 ? 0 : DAY);
    const action = { star: 'starred', fork: 'forked', commit: 'committed', issue: pick(['opened', 'closed']), pull_request: pick(['opened', 'merged']) }[type];
    const title = type === 'commit' ? text(`Fix ${pick(['parser', 'cache', 'docs', 'tests'])} edge case`, i)
      : type === 'issue' || type === 'pull_request' ? text(`${pick(['Crash', 'Feature', 'Docs'])}: ${pick(['empty input', 'large files', 'unicode'])}`, i) : '';
    feed.push({ event_id: `${type}-${i}`, event_type: type, action, repo_name: repo.repo_name, actor_login: actor,
      actor_name: text('Some Person', i + 1), title, event_at: iso(at),
      link: hostile && i % 7 === 0 ? 'javascript:window.__pwned=1' : type === 'star' ? `https://github.com/${actor}` : `https://github.com/ampere-demo/${repo.repo_name}` });
  }
  feed.sort((a, b) => b.event_at.localeCompare(a.event_at) || a.event_id.localeCompare(b.event_id));
  function feedFilter(q) {
    return feed.filter((e) => (!q.repo || e.repo_name === q.repo) && (!q.type || e.event_type === q.type)
      && (!q.action || e.action === q.action) && (!q.user || e.actor_login.toLowerCase() === q.user.toLowerCase())
      && (!q.from || e.event_at.slice(0, 10) >= q.from.slice(0, 10)) && (!q.to || e.event_at.slice(0, 10) <= q.to.slice(0, 10)));
  }
  function feedPage(q) {
    let list = feedFilter(q);
    if (q.order === 'asc') list = [...list].reverse();
    const limit = Math.max(1, Math.min(1000, Number(q.limit) || 50));
    const offset = q.cursor ? Number(Buffer.from(q.cursor, 'base64url').toString()) : 0;
    const items = list.slice(offset, offset + limit);
    const next = offset + limit < list.length ? Buffer.from(String(offset + limit)).toString('base64url') : null;
    return { as_of: asOf, items, next_cursor: next };
  }

  // Issues.
  const issues = [];
  repos.forEach((repo) => {
    for (let n = 1; n <= Math.min(repo.open_issues, 40); n++) {
      const created = asOfMs - Math.floor(random() * 400 * DAY);
      const k = issues.length;
      issues.push({ repo_name: repo.repo_name, issue_number: n, title: text(`${pick(['Crash on', 'Support', 'Document'])} ${pick(['empty input', 'Windows paths', 'large files'])}`, k),
        body: text(`Steps:\n\n1. run \`tool --flag\`\n2. see **error**\n\n> quoted <defaults> & "quotes"`, k + 1),
        author_login: pick(logins), labels: n % 2 ? ['bug'] : [], comments: Math.floor(random() * 9), created_at: iso(created),
        age_days: Math.floor((asOfMs - created) / DAY), link: `https://github.com/ampere-demo/${repo.repo_name}/issues/${n}` });
    }
  });
  const median = (xs) => { if (!xs.length) return null; const s = [...xs].sort((a, b) => a - b); const m = s.length >> 1; return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2; };
  const summary = repos.map((repo) => {
    const mine = issues.filter((i) => i.repo_name === repo.repo_name);
    return { repo_name: repo.repo_name, open_issues: mine.length, median_age_days: median(mine.map((i) => i.age_days)),
      opened_this_month: mine.filter((i) => i.created_at >= '2026-10-01').length, closed_this_month: Math.floor(random() * 6),
      open_pull_requests: Math.floor(random() * 5), median_days_to_close_90d: Math.round(random() * 30) };
  });

  // Networks: repo nodes in a circle, users near the repos they starred.
  const star = { id: [], type: [], label: [], group: [], x: [], y: [], followers: [] };
  const starEdges = { source: [], target: [] };
  repos.forEach((repo, i) => {
    const a = (2 * Math.PI * i) / repos.length;
    star.id.push(`repo:${repo.repo_name}`); star.type.push('repo'); star.label.push(repo.repo_name); star.group.push(repo.repo_name);
    star.x.push(Math.cos(a) * 100); star.y.push(Math.sin(a) * 100); star.followers.push(null);
  });
  const followerCounts = logins.map(() => Math.floor(random() ** 3 * 2000));
  logins.slice(0, LARGE ? 50_000 - repos.length : 300).forEach((login, u) => {
    const starredCount = 1 + Math.floor(random() ** 2 * 3);
    const starred = new Set(Array.from({ length: starredCount }, () => Math.floor(random() * repos.length)));
    const idx = star.id.length;
    const home = [...starred][0];
    star.id.push(`user:${u}`); star.type.push('user'); star.label.push(login); star.group.push(repos[home].repo_name);
    star.x.push(star.x[home] * 0.7 + (random() - 0.5) * 60); star.y.push(star.y[home] * 0.7 + (random() - 0.5) * 60);
    star.followers.push(followerCounts[u]);
    for (const r of starred) { starEdges.source.push(idx); starEdges.target.push(r); }
  });
  const fol = { id: [], label: [], name: [], x: [], y: [], followers: [], following: [], internal_followers: [], internal_following: [] };
  const folEdges = { source: [], target: [], mutual: [] };
  const people = logins.slice(0, LARGE ? 50_000 : 250);
  const pairs = new Set();
  for (let e = 0; e < (LARGE ? 150_000 : 700); e++) {
    const s = Math.floor(random() ** 2 * people.length);
    const t = Math.floor(random() * people.length);
    if (s !== t) pairs.add(`${s}>${t}`);
  }
  const inCount = new Array(people.length).fill(0);
  const outCount = new Array(people.length).fill(0);
  for (const p of pairs) { const [s, t] = p.split('>').map(Number); outCount[s]++; inCount[t]++; }
  people.forEach((login, i) => {
    fol.id.push(String(1000 + i)); fol.label.push(login); fol.name.push(text(`Person ${i}`, i + 2));
    fol.x.push((random() - 0.5) * 200); fol.y.push((random() - 0.5) * 200);
    fol.followers.push(inCount[i] + Math.floor(random() * 300)); fol.following.push(outCount[i] + Math.floor(random() * 100));
    fol.internal_followers.push(inCount[i]); fol.internal_following.push(outCount[i]);
  });
  for (const p of pairs) {
    const [s, t] = p.split('>').map(Number);
    folEdges.source.push(s); folEdges.target.push(t); folEdges.mutual.push(pairs.has(`${t}>${s}`));
  }

  const status = {
    as_of: asOf,
    items: [
      ['github.stargazers', 'source', ['/', '/feed', '/network-stargazers'], 2400, 2],
      ['github.issues', 'source', ['/', '/feed', '/issues'], 310, 3],
      ['github.commits', 'source', ['/', '/feed'], 1200, 2],
      ['github.followers', 'source', ['/network-followers'], 700, 30],
      ['pypi.downloads', 'source', ['/downloads'], 90000, 50],
      ['marts.feed_events', 'model', ['/feed'], 900, 2],
      ['marts.issues', 'model', ['/issues'], issues.length, 2],
    ].map(([asset, kind, pages, rows, hours]) => ({ asset, kind, pages, row_count: rows, newest_data_at: iso(asOfMs - hours * 3_600_000),
      last_success_at: iso(asOfMs - hours * 3_600_000), hours_stale: hours, threshold_hours: 26, state: hours > 26 ? 'stale' : 'ok' })),
  };
  const pageNames = ['/', '/downloads', '/feed', '/issues', '/network-stargazers', '/network-followers', '/about'];
  status.pages = pageNames.map((page) => {
    const mine = status.items.filter((i) => i.pages.includes(page));
    const worst = mine.reduce((a, b) => (b.hours_stale > (a?.hours_stale ?? -1) ? b : a), null);
    return { page, state: mine.some((i) => i.state !== 'ok') ? 'stale' : 'ok', oldest_data_at: worst?.newest_data_at ?? null, hours_stale: worst?.hours_stale ?? null };
  });
  const runs = Array.from({ length: 12 }, (_, i) => {
    const started = asOfMs - i * 6 * 3_600_000;
    const failed = i === 3;
    return { run_id: `run-${String(12 - i).padStart(3, '0')}`, run_kind: i % 3 === 2 ? 'build' : 'sync', source_name: i % 3 === 2 ? 'warehouse' : i % 3 ? 'pypi' : 'github',
      status: failed ? 'failed' : 'succeeded', error: failed ? text('GitHub answered 502 three times; the next run retries', 0) : null,
      started_at: iso(started), finished_at: iso(started + 40_000 + i * 1000), requests: 120 + i, not_modified: 80, graphql_points: 12, rows_written: 300 + i };
  });

  return {
    asOf,
    route(path, q) {
      switch (path) {
        case '/api/v1/repos': return { as_of: asOf, items: repos };
        case '/api/v1/metrics/weekly': {
          const list = weekly[q.metric];
          if (!list) return null;
          const names = q.repos ? q.repos.split(',') : null;
          return { as_of: asOf, metric: q.metric, items: list.filter((i) => (!names || names.includes(i.repo_name))
            && (!q.from || i.week_start >= q.from.slice(0, 10)) && (!q.to || i.week_start <= q.to.slice(0, 10))) };
        }
        case '/api/v1/packages': return { as_of: asOf, items: packages };
        case '/api/v1/downloads': return downloads(q);
        case '/api/v1/feed': return feedPage(q);
        case '/api/v1/feed/bounds': {
          const list = feedFilter(q);
          return { as_of: asOf, first_event_at: list.at(-1)?.event_at ?? null, last_event_at: list[0]?.event_at ?? null, count: list.length };
        }
        case '/api/v1/issues': {
          const offset = Number(q.offset) || 0;
          const page = issues.slice(offset, offset + (Number(q.limit) || 100));
          return { as_of: asOf, items: page, total: issues.length, next_offset: offset + page.length < issues.length ? offset + page.length : null };
        }
        case '/api/v1/issues/summary': return { as_of: asOf, items: summary };
        case '/api/v1/networks/stargazers': return { as_of: asOf, nodes: star, edges: starEdges };
        case '/api/v1/networks/followers': return { as_of: asOf, nodes: fol, edges: folEdges };
        case '/api/v1/status': return status;
        case '/api/v1/runs': return { as_of: asOf, items: runs.slice(0, Number(q.limit) || 20) };
        default: return null;
      }
    },
  };
}
