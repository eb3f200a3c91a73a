// `npm run bench`: times feedwright against a plain baseline, the floor (reading every post once) and,
// when installed, Hugo, on deterministic synthetic collections, in two configurations: `news` (site +
// category + tag feeds, latest 50 posts: what news sites run) and `default` (jekyll-feed's defaults: the
// site feed, latest 10). For each: a cold build (`--no-cache`), the first build with an empty cache, a
// no-change rebuild and a one-edit rebuild with the cache, and `--limit 0` (every post in every feed).
// Plain ESM; run after `npm run build`.
//
//   BENCH_SIZES="1000,20000"   sizes to run                 (default 1000,20000,100000)
//   BENCH_BIN=path/bin.js      the feedwright to time       (default dist/bin.js; e.g. another branch's build)
//   BENCH_ROUNDS=N             rounds for every measure      (default: see maxRounds below)
//   BENCH_BUDGET=S             seconds for the whole bench   (default 480; round 1 of every size always runs)
//   BENCH_TIMEOUT=S            seconds before one run is killed and reported as failed (default 300)
//   BENCH_WORK=DIR             work folder (default bench/.work; generated collections are cached there)
//   BENCH_HUGO=0               skip Hugo even when it is on PATH
//
// Every measured thing is a separate child process, timed from outside (wall clock, process.hrtime), with
// its peak RSS and CPU time from /usr/bin/time -f '%M %U %S' (or, without it, a preload hook reporting the
// node child's own process.resourceUsage()). Within a round the measures alternate (a, rebuild, b, c,
// no-change, one-edit, ...). Round 1 runs at every size first; further rounds then go round-robin over the
// sizes for as long as they fit in the budget (the rounds actually run are printed). Outside the core
// measures (floor, news cold, news no-change and one-edit), a measure runs only when its expected time
// (its last run, or the smaller size's scaled by the post count) fits in what is left of the budget. Quote medians and
// ratios; absolute times are noise (the machine may be busy: CPU seconds are shown too).
import { execFileSync, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { appendFileSync, existsSync, mkdirSync, readFileSync, readdirSync, renameSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { generate, writeConfig } from './generate.mjs';

const BENCH = path.dirname(fileURLToPath(import.meta.url));
const ROOT = path.dirname(BENCH);

// ---- knobs -----------------------------------------------------------------------------------------
/** feedwright's on-disk cache folder name; every copy the bench finds is deleted before a cold build. */
const CACHE_DIR_NAME = '.feedwright-cache';
/** True when `node dist/bin.js --help` lists --cache-dir (detected at start). */
let cacheFlag = false;
/** Where the bench keeps feedwright's cache for a collection: beside its content folder. */
const cacheDirFor = (contentDir) => path.join(path.dirname(contentDir), CACHE_DIR_NAME);
/** Extra build flags for the cache: --cache-dir when feedwright has it, else nothing (its default is ./.feedwright-cache). */
const CACHE_ARGS = (contentDir) => (cacheFlag ? ['--cache-dir', cacheDirFor(contentDir)] : []);
/** Every place the cache may be for a content folder; all are deleted before a cold build. */
const cacheDirs = (contentDir) => [
  path.join(contentDir, CACHE_DIR_NAME),
  cacheDirFor(contentDir),
  ...(cacheFlag ? [] : [path.join(ROOT, CACHE_DIR_NAME)]), // the cwd default, only when --cache-dir cannot move it
];

const SIZES = (process.env.BENCH_SIZES ?? '1000,20000,100000').split(',').map((s) => Number(s.trim())).filter((n) => n > 0).sort((a, b) => a - b);
const WORK = path.resolve(process.env.BENCH_WORK ?? path.join(BENCH, '.work'));
const ROUNDS_ENV = process.env.BENCH_ROUNDS === undefined ? undefined : Math.max(1, Number(process.env.BENCH_ROUNDS));
const BUDGET_S = Number(process.env.BENCH_BUDGET ?? 480);
const TIMEOUT_S = Number(process.env.BENCH_TIMEOUT ?? 300);
const BIN = path.resolve(ROOT, process.env.BENCH_BIN ?? 'dist/bin.js');
/** Most rounds per size and measure. At 100k the slow ones (baseline, full archive, Hugo all-items) run once. */
function maxRounds(size, measure) {
  if (ROUNDS_ENV !== undefined) return ROUNDS_ENV;
  if (size >= 100_000) return SLOW.includes(measure) ? 1 : 3;
  if (size >= 20_000) return SLOW.includes(measure) ? 2 : 3;
  return 5;
}
const SLOW = ['baseline', 'newsFull', 'defaultFull', 'hugoAll', 'hugoTax'];
/** Issue 10's targets, at 20,000 posts in the news configuration (and cold ≤ 2.5× the floor at 100,000). */
const TARGETS = { coldOverFloor: 3, coldOverFloor100k: 2.5, hugoOverCold: 2, rebuildOverFloor: 1.5, rssMB: 400, fullOverHugoAll: 1 };
/** bench/floor.mjs mode: readFileSync in a loop measured faster here than async readFile (64 in flight). */
const FLOOR_MODE = '--sync';

// ---- measuring -------------------------------------------------------------------------------------
const NODE = process.execPath;
const RSS_FILE = path.join(WORK, `usage-${process.pid}.txt`);
const USAGE_HOOK = 'data:text/javascript,import {writeFileSync} from "node:fs"; process.on("exit", () => { const u = process.resourceUsage(); writeFileSync(process.env.BENCH_USAGE_FILE, `${u.maxRSS} ${u.userCPUTime / 1e6} ${u.systemCPUTime / 1e6}`); });';

/** Runs a child (own process group, so a timeout kills all of it); resolves with its code and output. */
function exec(cmd, args, { env = {}, timeoutS } = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { cwd: ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    let stdout = '';
    let stderr = '';
    let timedOut = false;
    const timer = timeoutS ? setTimeout(() => { timedOut = true; try { process.kill(-child.pid, 'SIGKILL'); } catch { /* gone */ } }, timeoutS * 1000) : undefined;
    child.stdout.on('data', (d) => { stdout += d; });
    child.stderr.on('data', (d) => { stderr = (stderr + d).slice(-20_000); });
    child.on('error', (e) => { clearTimeout(timer); reject(e); });
    child.on('close', (code, signal) => { clearTimeout(timer); resolve({ code, signal, stdout, stderr, timedOut }); });
  });
}

let timeWorks = false;
async function probeTime() {
  if (!existsSync('/usr/bin/time')) return false;
  const r = await exec('/usr/bin/time', ['-f', '%M %U %S', '-o', RSS_FILE, NODE, '-e', '0']).catch(() => undefined);
  return r?.code === 0 && /^\d+ [\d.]+ [\d.]+$/.test(readFileSync(RSS_FILE, 'utf8').trim().split('\n').pop() ?? '');
}

/** Runs one command as a child: { ok: true, s, rssMB, cpu } or { ok: false, reason }. */
async function measure(cmd, args) {
  rmSync(RSS_FILE, { force: true });
  let full = [cmd, ...args];
  let env = {};
  if (timeWorks) full = ['/usr/bin/time', '-f', '%M %U %S', '-o', RSS_FILE, ...full];
  else if (cmd === NODE) { full = [NODE, '--import', USAGE_HOOK, ...args]; env = { BENCH_USAGE_FILE: RSS_FILE }; }
  const t0 = process.hrtime.bigint();
  const r = await exec(full[0], full.slice(1), { env, timeoutS: TIMEOUT_S });
  const s = Number(process.hrtime.bigint() - t0) / 1e9;
  if (r.timedOut) return { ok: false, reason: `killed after ${TIMEOUT_S} s (BENCH_TIMEOUT)` };
  if (r.code !== 0) {
    const oom = /heap out of memory|Allocation failed|Killed/.test(r.stderr);
    const lines = r.stderr.split('\n').map((l) => l.trim()).filter((l) => l && !/^Command (exited|terminated)/.test(l));
    const status = r.code === 13 ? 'exit 13 (unsettled top-level await)' : `exit ${r.code ?? r.signal}`;
    return { ok: false, oom, reason: oom ? `out of memory after ${s.toFixed(0)} s` : `${status}${lines.length ? `: ${lines.at(-1).slice(0, 160)}` : ''}` };
  }
  let rssMB = null;
  let cpu = null; // user + system CPU seconds: steadier than wall time on a busy machine
  if (existsSync(RSS_FILE)) {
    const [kb, user, sys] = readFileSync(RSS_FILE, 'utf8').trim().split('\n').pop().split(' ').map(Number);
    if (Number.isFinite(kb)) rssMB = kb / 1024;
    if (Number.isFinite(user) && Number.isFinite(sys)) cpu = user + sys;
  }
  return { ok: true, s, rssMB, cpu };
}

// ---- collections -----------------------------------------------------------------------------------
const GEN_HASH = createHash('sha256').update(readFileSync(path.join(BENCH, 'generate.mjs'))).digest('hex').slice(0, 12);

/**
 * The cached collection for `count` posts (generated once per count and generate.mjs version): `content/`
 * in the news configuration, and `content-default/` with jekyll-feed's default one over the same files
 * (hard links, so the one-edit rebuild's edit shows in both and the page cache is shared).
 */
function collection(count) {
  const dir = path.join(WORK, 'collections', `${count}-${GEN_HASH}`);
  if (!existsSync(path.join(dir, 'content-default', '_config.yml'))) {
    const partial = `${dir}.partial`;
    rmSync(partial, { recursive: true, force: true });
    rmSync(dir, { recursive: true, force: true });
    const t0 = process.hrtime.bigint();
    process.stderr.write(`generating ${count} posts into ${path.relative(ROOT, dir)} ... `);
    generate(path.join(partial, 'content'), count);
    execFileSync('cp', ['-al', path.join(partial, 'content'), path.join(partial, 'content-default')]);
    rmSync(path.join(partial, 'content-default', '_config.yml'));
    writeConfig(path.join(partial, 'content-default'), { taxonomies: false });
    renameSync(partial, dir);
    process.stderr.write(`${(Number(process.hrtime.bigint() - t0) / 1e9).toFixed(1)} s\n`);
  }
  return dir;
}

function findOnPath(name) {
  for (const d of (process.env.PATH ?? '').split(path.delimiter)) {
    const p = path.join(d, name);
    try { if (statSync(p).isFile()) return p; } catch { /* not here */ }
  }
  return undefined;
}

/**
 * A Hugo site over the same posts (symlinked): the home page's RSS (latest 50, or every item), and with
 * `taxonomies` also the category and tag RSS feeds (Hugo's term pages' RSS); pages listed, not rendered.
 */
function hugoSite(collectionDir) {
  const site = path.join(collectionDir, 'hugo');
  mkdirSync(path.join(site, 'content'), { recursive: true });
  const link = path.join(site, 'content', 'posts');
  if (!existsSync(link)) symlinkSync(path.join('..', '..', 'content', '_posts'), link);
  const config = (limit, taxonomies) => [
    'baseURL: https://bench.example/', 'title: Bench Gazette', 'languageCode: en',
    ...(taxonomies
      ? ['disableKinds: [section, taxonomy, sitemap, robotsTXT, "404"]', 'ignoreErrors: [error-disable-taxonomy]', 'taxonomies:', '  category: categories', '  tag: tags', 'outputs:', '  home: [RSS]', '  term: [RSS]']
      : ['disableKinds: [section, taxonomy, term, sitemap, robotsTXT, "404"]', 'outputs:', '  home: [RSS]']),
    'cascade:', '  - _target:', '      kind: page', '    _build:', '      render: link', '      list: always',
    'services:', '  rss:', `    limit: ${limit}`,
    'markup:', '  goldmark:', '    renderer:', '      unsafe: true', '',
  ].join('\n');
  writeFileSync(path.join(site, 'config-feed.yaml'), config(50, false));
  writeFileSync(path.join(site, 'config-tax.yaml'), config(50, true));
  writeFileSync(path.join(site, 'config-all.yaml'), config(-1, false));
  return site;
}

// ---- statistics and formatting ---------------------------------------------------------------------
const median = (xs) => { const s = [...xs].sort((a, b) => a - b); const m = s.length >> 1; return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2; };
function summarize(runs, failure) {
  if (runs.length === 0) return failure ? { runs: 0, failed: failure } : null;
  return {
    runs: runs.length,
    median: median(runs.map((r) => r.s)), min: Math.min(...runs.map((r) => r.s)), max: Math.max(...runs.map((r) => r.s)),
    times: runs.map((r) => r.s),
    medianCpu: runs.some((r) => r.cpu === null) ? null : median(runs.map((r) => r.cpu)),
    peakRssMB: runs.every((r) => r.rssMB === null) ? null : Math.max(...runs.map((r) => r.rssMB ?? 0)),
    rssMB: runs.map((r) => r.rssMB),
    ...(failure ? { failed: failure } : {}),
  };
}
const f3 = (x) => (x === null || x === undefined ? '—' : x < 10 ? x.toFixed(3) : x.toFixed(1));
const f2 = (x) => (x === null || x === undefined ? '—' : x.toFixed(2));
const mb = (x) => (x === null || x === undefined ? '—' : String(Math.round(x)));
const mark = (ok) => (ok === null ? ' n/a ' : ok ? ' PASS' : ' FAIL');
const pad = (s, n) => String(s).padEnd(n);
const lpad = (s, n) => String(s).padStart(n);
const seconds = (t0) => Number(process.hrtime.bigint() - t0) / 1e9;

// ---- one size --------------------------------------------------------------------------------------
let restoreTouched = () => {};
for (const sig of ['SIGINT', 'SIGTERM']) process.once(sig, () => { restoreTouched(); rmSync(RSS_FILE, { force: true }); process.exit(130); });

const CONFIGS = { news: 'site + category + tag feeds, latest 50', default: 'default: site feed, latest 10' };

function prepare(size, hugo) {
  const coll = collection(size);
  const contents = { news: path.join(coll, 'content'), default: path.join(coll, 'content-default') };
  const content = contents.news;
  const posts = readdirSync(path.join(content, '_posts')).filter((f) => f.endsWith('.md')).sort();
  const touched = path.join(content, '_posts', posts[posts.length - 1]); // the newest post: it is in the feeds
  const original = readFileSync(touched);
  const site = hugo ? hugoSite(coll) : undefined;
  const out = path.join(WORK, 'out');
  const clean = (dir) => rmSync(dir, { recursive: true, force: true });
  const cleanCaches = (c) => { for (const d of cacheDirs(c)) clean(d); };
  const fw = (c, dir, extra = []) => [NODE, [BIN, 'build', '--content', c, '--out', dir, '--quiet', ...extra]];
  const hugoRun = (config) => [hugo, ['--source', site, '--config', path.join(site, config), '--destination', path.join(out, 'hugo'), '--quiet']];
  const measures = {
    floor: { label: 'floor: read every post once', run: () => measure(NODE, ['bench/floor.mjs', content, FLOOR_MODE]) },
  };
  for (const [cfg, what] of Object.entries(CONFIGS)) {
    const c = contents[cfg];
    const dir = path.join(out, cfg);
    const withCache = () => (cacheFlag ? ['--cache-dir', cacheDirFor(c)] : []);
    Object.assign(measures, {
      [`${cfg}Cold`]: { label: `${what}: cold (--no-cache)`, run: () => { clean(dir); return measure(...fw(c, dir, ['--no-cache'])); } },
      // From an empty cache: also what the two rebuilds after it start from.
      [`${cfg}First`]: { label: `${what}: first build, empty cache`, run: () => { clean(dir); cleanCaches(c); return measure(...fw(c, dir, withCache())); } },
      [`${cfg}NoChange`]: { label: `${what}: rebuild, nothing changed`, needs: `${cfg}First`, run: () => measure(...fw(c, dir, withCache())) },
      [`${cfg}OneEdit`]: {
        label: `${what}: rebuild, one post edited`,
        needs: `${cfg}First`,
        // A line appended to the newest post (it is in the feeds); restored afterwards.
        run: async () => {
          restoreTouched = () => writeFileSync(touched, original);
          appendFileSync(touched, '\nEdited for the rebuild benchmark.\n');
          try { return await measure(...fw(c, dir, withCache())); } finally { restoreTouched(); restoreTouched = () => {}; }
        },
      },
      [`${cfg}Full`]: {
        label: `${what}: every post (--limit 0), cold`,
        run: async () => { const full = path.join(out, 'full'); clean(full); const r = await measure(...fw(c, full, ['--no-cache', '--limit', '0'])); clean(full); return r; },
      },
    });
  }
  Object.assign(measures, {
    baseline: {
      label: 'baseline: gray-matter+markdown-it+sanitize-html+feed',
      run: () => { clean(path.join(out, 'b')); return measure(NODE, ['bench/baseline.mjs', content, path.join(out, 'b')]); },
    },
    ...(hugo ? {
      hugo: { label: 'hugo: site RSS, latest 50', run: () => { clean(path.join(out, 'hugo')); return measure(...hugoRun('config-feed.yaml')); } },
      hugoTax: { label: 'hugo: site + category + tag RSS, latest 50', run: () => { clean(path.join(out, 'hugo')); return measure(...hugoRun('config-tax.yaml')); } },
      hugoAll: { label: 'hugo: site RSS, every item', run: () => { clean(path.join(out, 'hugo')); return measure(...hugoRun('config-all.yaml')); } },
    } : {}),
  });
  const R = Math.max(...Object.keys(measures).map((k) => maxRounds(size, k)));
  return {
    size, content, posts, measures, R, roundsRun: 0, rounds: new Set(), lastRound: {}, failed: {}, oom: {},
    runs: Object.fromEntries(Object.keys(measures).map((k) => [k, []])),
    cleanup: () => { for (const d of ['news', 'default', 'b', 'full', 'hugo']) clean(path.join(out, d)); cleanCaches(contents.news); cleanCaches(contents.default); },
  };
}

/** The measures that would run in `round` (1-based). */
function due(ctx, round) {
  return Object.keys(ctx.measures).filter((k) => round <= maxRounds(ctx.size, k) && !ctx.failed[k]);
}

/** The measures behind the key ratios: in a budget-limited round they run together or not at all. */
const CORE = ['floor', 'newsCold', 'newsFirst', 'newsNoChange', 'newsOneEdit'];

/**
 * Expected seconds of a measure: its last run here, else the next smaller size's scaled by how much longer
 * the news cold build took here than there (start-up dominates small sizes, so the post count overstates it).
 */
function expected(ctx, key, ctxs) {
  if (ctx.lastRound[key] !== undefined) return ctx.lastRound[key];
  const smaller = ctxs.filter((c) => c.size < ctx.size && c.lastRound[key] !== undefined).at(-1);
  if (smaller === undefined) return 0;
  const [here, there] = [ctx.lastRound.newsCold, smaller.lastRound.newsCold];
  return smaller.lastRound[key] * (here !== undefined && there !== undefined ? Math.max(1, here / there) : ctx.size / smaller.size);
}

/**
 * Runs one round of a size: its due measures in order. With a budget (`left()` seconds remain, `reserve` of
 * them kept for the larger sizes), the round runs only if the core measures fit as a whole (round 1 always
 * runs them); every other measure only if its expected time fits beside what the core still needs.
 */
async function runRound(ctx, round, ctxs, left = () => Infinity, reserve = 0, only = () => true) {
  const line = [];
  const skipped = [];
  const keys = due(ctx, round).filter(only);
  const est = (k) => expected(ctx, k, ctxs);
  const held = () => (typeof reserve === 'function' ? reserve() : reserve);
  const coreTotal = keys.filter((k) => CORE.includes(k)).reduce((t, k) => t + est(k), 0);
  const runCore = round === 1 || coreTotal + held() <= left();
  let coreLeft = runCore ? coreTotal : 0;
  for (const key of keys) {
    const core = CORE.includes(key);
    if (core) coreLeft -= est(key);
    const needs = ctx.measures[key].needs;
    if (needs !== undefined && ctx.lastOk?.[needs] !== round) { skipped.push(key); continue; }
    // Without the core, the round is skipped at this size: no measure gets more runs than the core ones.
    if (!runCore || (!core && est(key) + coreLeft + held() > left())) { skipped.push(key); continue; }
    // The slow measures before (Hugo's all-items build alone peaks at 11 GB at 100,000 posts, and `--limit 0`
    // writes gigabytes) can evict the posts from the page cache: a floor that reads them from disk (2.15 s
    // against 0.49 s at 20,000 posts, in one run) flatters every ratio. Each round's floor reads them once first, untimed.
    if (key === 'floor' && round > 1) await measure(NODE, ['bench/floor.mjs', ctx.content, FLOOR_MODE]);
    const r = await ctx.measures[key].run();
    if (r.ok) { ctx.runs[key].push(r); ctx.lastRound[key] = r.s; ctx.lastOk = { ...ctx.lastOk, [key]: round }; line.push(`${key} ${r.s.toFixed(2)}s`); } else { ctx.failed[key] = r.reason; if (r.oom) ctx.oom[key] = true; line.push(`${key} FAILED (${r.reason})`); }
  }
  if (line.length > 0) { ctx.rounds.add(round); ctx.roundsRun = ctx.rounds.size; }
  const head = `  ${ctx.size.toLocaleString('en')} posts, round ${round}: `;
  if (line.length === 0) process.stderr.write(`${head}skipped (over BENCH_BUDGET)\n`);
  else process.stderr.write(`${head}${line.join(', ')}${skipped.length ? `; skipped (over BENCH_BUDGET or its cache build failed/skipped): ${skipped.join(', ')}` : ''}\n`);
}

function report(ctx) {
  const st = Object.fromEntries(Object.entries(ctx.runs).map(([k, v]) => [k, summarize(v, ctx.failed[k])]));
  const med = (k) => st[k]?.median ?? null;
  const ratio = (x, y) => (x === null || y === null ? null : x / y);
  const ratios = {};
  for (const cfg of Object.keys(CONFIGS)) {
    for (const m of ['Cold', 'First', 'NoChange', 'OneEdit', 'Full']) ratios[`${cfg}${m}OverFloor`] = ratio(med(`${cfg}${m}`), med('floor'));
    ratios[`baselineOver${cfg[0].toUpperCase()}${cfg.slice(1)}Cold`] = ratio(med('baseline'), med(`${cfg}Cold`));
  }
  ratios.hugoOverNewsCold = ratio(med('hugo'), med('newsCold'));
  ratios.hugoTaxOverNewsCold = ratio(med('hugoTax'), med('newsCold'));
  ratios.newsFullOverHugoAll = ratio(med('newsFull'), med('hugoAll'));
  ratios.defaultFullOverHugoAll = ratio(med('defaultFull'), med('hugoAll'));
  const le = (x, t) => (x === null ? null : x <= t);
  const rssCheck = (k) => (ctx.oom[k] ? false : st[k]?.peakRssMB == null ? null : st[k].peakRssMB <= TARGETS.rssMB);
  const coldTarget = ctx.size >= 100_000 ? TARGETS.coldOverFloor100k : TARGETS.coldOverFloor;
  const checks = [
    [`news cold ≤ ${coldTarget}× the floor`, `${f2(ratios.newsColdOverFloor)}×`, le(ratios.newsColdOverFloor, coldTarget)],
    [`news cold ≥ ${TARGETS.hugoOverCold}× faster than Hugo site RSS`, `hugo/cold = ${f2(ratios.hugoOverNewsCold)}`, ratios.hugoOverNewsCold === null ? null : ratios.hugoOverNewsCold >= TARGETS.hugoOverCold],
    [`news no-change rebuild ≤ ${TARGETS.rebuildOverFloor}× the floor`, `${f2(ratios.newsNoChangeOverFloor)}×`, le(ratios.newsNoChangeOverFloor, TARGETS.rebuildOverFloor)],
    [`news one-edit rebuild ≤ ${TARGETS.rebuildOverFloor}× the floor`, `${f2(ratios.newsOneEditOverFloor)}×`, le(ratios.newsOneEditOverFloor, TARGETS.rebuildOverFloor)],
    ['news --limit 0 faster than Hugo all items', `full/hugo-all = ${f2(ratios.newsFullOverHugoAll)}`, ratios.newsFullOverHugoAll === null ? null : ratios.newsFullOverHugoAll < TARGETS.fullOverHugoAll],
    [`news --limit 0 peak RSS ≤ ${TARGETS.rssMB} MB`, `${mb(st.newsFull?.peakRssMB)} MB${ctx.oom.newsFull ? ' (a run died out of memory)' : ''}`, rssCheck('newsFull')],
    [`news cold peak RSS ≤ ${TARGETS.rssMB} MB`, `${mb(st.newsCold?.peakRssMB)} MB${ctx.oom.newsCold ? ' (a run died out of memory)' : ''}`, rssCheck('newsCold')],
  ];
  const cut = Object.keys(ctx.measures).filter((k) => !ctx.failed[k] && ctx.runs[k].length < maxRounds(ctx.size, k));
  console.log(`\n== ${ctx.size.toLocaleString('en')} posts: ${ctx.roundsRun} of ${ctx.R} rounds${cut.length ? ` (fewer runs of ${cut.join(', ')}: over BENCH_BUDGET=${BUDGET_S} s)` : ''} ==`);
  console.log(`  ${pad('', 62)}${lpad('median s', 9)}${lpad('min–max s', 16)}${lpad('runs', 5)}${lpad('× floor', 9)}${lpad('peak RSS MB', 13)}${lpad('CPU s', 8)}`);
  for (const [k, m] of Object.entries(ctx.measures)) {
    const s = st[k];
    if (!s) continue;
    if (s.runs === 0) { console.log(`  ${pad(m.label, 62)}  FAILED: ${s.failed}`); continue; }
    console.log(`  ${pad(m.label, 62)}${lpad(f3(s.median), 9)}${lpad(`${f3(s.min)}–${f3(s.max)}`, 16)}${lpad(s.runs, 5)}${lpad(f2(ratio(s.median, med('floor'))), 9)}${lpad(mb(s.peakRssMB), 13)}${lpad(f3(s.medianCpu), 8)}${s.failed ? `  (then failed: ${s.failed})` : ''}`);
  }
  if (!ctx.measures.hugo) console.log('  hugo: not on PATH — skipped');
  console.log('  targets (issue 10):');
  for (const [what, got, ok] of checks) console.log(`   ${mark(ok)}  ${pad(what, 46)} ${got}`);
  return { st, ratios, checks };
}

// ---- the run ---------------------------------------------------------------------------------------
async function main() {
  const started = process.hrtime.bigint();
  mkdirSync(WORK, { recursive: true });
  if (!existsSync(BIN)) throw new Error(`${BIN} is missing: run \`npm run build\` first`);
  timeWorks = await probeTime();
  cacheFlag = (await exec(NODE, [BIN, '--help'])).stdout.includes('--cache-dir');
  const hugo = process.env.BENCH_HUGO === '0' ? undefined : findOnPath('hugo');
  const hugoVersion = hugo ? (await exec(hugo, ['version'])).stdout.trim().split(' ').slice(0, 2).join(' ') : null;
  const notes = [
    `peak RSS and CPU from ${timeWorks ? "/usr/bin/time -f '%M %U %S'" : "the node child's own process.resourceUsage() (no /usr/bin/time)"}`,
    `floor: bench/floor.mjs ${FLOOR_MODE} (every _posts/**/*.md read once with readFileSync; faster here than async readFile)`,
    `feedwright: ${path.relative(ROOT, BIN)}; news = ${CONFIGS.news}; default = jekyll-feed's defaults (${CONFIGS.default}), the same post files (hard links); cold = --no-cache, output folder deleted first; first = empty cache; the two rebuilds follow it with the cache (${cacheFlag ? '--cache-dir <collection>/.feedwright-cache' : "feedwright's default location"}), the one-edit one after appending a line to the newest post (restored afterwards)`,
    hugo ? `hugo: ${hugoVersion}, home RSS (and with taxonomies the category and tag RSS), pages listed, not rendered, services.rss.limit 50 / -1, same posts (symlinked)` : 'hugo: not on PATH, skipped (apt-get install hugo to compare)',
  ];
  if (ROUNDS_ENV === undefined) notes.push(`the slow measures (${SLOW.join(', ')}) run at most twice at 20,000 posts and once at 100,000, and only while their expected time fits in the budget`);
  console.log(`feedwright bench — node ${process.version}, ${os.cpus()[0]?.model ?? '?'} ×${os.cpus().length}, sizes ${SIZES.join(', ')}, budget ${BUDGET_S} s`);
  for (const n of notes) console.log(`  · ${n}`);

  // Round 1 at every size, then further rounds round-robin over the sizes while they fit in the budget.
  const ctxs = [];
  for (const size of SIZES) {
    const ctx = prepare(size, hugo);
    ctxs.push(ctx);
    await measure(NODE, ['bench/floor.mjs', ctx.content, FLOOR_MODE]); // warm the page cache (untimed)
    await runRound(ctx, 1, ctxs, undefined, 0, (k) => CORE.includes(k));
  }
  // Then round 1's other measures, size by size (20,000 first: the issue's targets are set there), while they fit in the budget.
  // Each size's posts are read once first, untimed: the larger sizes' builds since may have evicted them from
  // the page cache, and the first of these measures (`--limit 0`) read them from disk while Hugo's, later in
  // the same round, did not (20,000 posts: 10.3 s against 8.4 s in the next round, in one run).
  for (const ctx of [...ctxs].sort((a, b) => (b.size === 20_000) - (a.size === 20_000))) {
    if (due(ctx, 1).some((k) => !CORE.includes(k))) await measure(NODE, ['bench/floor.mjs', ctx.content, FLOOR_MODE]);
    await runRound(ctx, 1, ctxs, () => BUDGET_S - seconds(started), 0, (k) => !CORE.includes(k));
  }
  const maxR = Math.max(...ctxs.map((c) => c.R));
  for (let round = 2; round <= maxR; round++) {
    for (const [i, ctx] of ctxs.entries()) {
      if (round > ctx.R || due(ctx, round).length === 0) continue;
      // Keep back enough of the budget for this round's core trio at the larger sizes.
      const reserve = ctxs.slice(i + 1).filter((c) => round <= c.R)
        .reduce((t, c) => t + CORE.filter((k) => due(c, round).includes(k)).reduce((u, k) => u + expected(c, k, ctxs), 0), 0);
      await runRound(ctx, round, ctxs, () => BUDGET_S - seconds(started), reserve);
    }
  }
  for (const ctx of ctxs) ctx.cleanup();
  rmSync(RSS_FILE, { force: true });

  const results = {
    date: new Date().toISOString(), node: process.version, cpu: os.cpus()[0]?.model ?? null, cores: os.cpus().length,
    platform: `${os.platform()} ${os.release()}`, totalMemMB: Math.round(os.totalmem() / 2 ** 20), loadAverage: os.loadavg(),
    rssMethod: timeWorks ? '/usr/bin/time' : 'resourceUsage hook', floorMode: FLOOR_MODE.slice(2), hugo: hugoVersion,
    generatorHash: GEN_HASH, budgetSeconds: BUDGET_S, targets: TARGETS, notes, sizes: {},
  };
  const rows = [];
  for (const ctx of ctxs) {
    const { st, ratios, checks } = report(ctx);
    results.sizes[ctx.size] = {
      posts: ctx.posts.length, rounds: ctx.roundsRun, plannedRounds: ctx.R,
      measures: st, ratios, checks: checks.map(([target, value, pass]) => ({ target, value, pass })),
    };
    const cell = (k) => (st[k] === null || st[k] === undefined ? '—' : st[k].runs === 0 ? 'failed' : `${f3(st[k].median)} s`);
    const x = (k) => (st[k]?.median == null || st.floor?.median == null ? '' : ` (${f2(st[k].median / st.floor.median)}×)`);
    const r = (k) => (st[k]?.peakRssMB == null ? '—' : `${mb(st[k].peakRssMB)} MB`);
    for (const cfg of Object.keys(CONFIGS)) {
      rows.push([
        ctx.size.toLocaleString('en'), cfg, cell('floor'), `${cell(`${cfg}Cold`)}${x(`${cfg}Cold`)}`, r(`${cfg}Cold`), `${cell(`${cfg}NoChange`)}${x(`${cfg}NoChange`)}`,
        `${cell(`${cfg}OneEdit`)}${x(`${cfg}OneEdit`)}`, `${cell(`${cfg}Full`)}${x(`${cfg}Full`)}`, r(`${cfg}Full`),
        cfg === 'news' ? cell('baseline') : '', cfg === 'news' ? (hugo ? cell('hugo') : 'n/a') : '', cfg === 'news' ? (hugo ? cell('hugoTax') : 'n/a') : '', cfg === 'news' ? (hugo ? `${cell('hugoAll')}${st.hugoAll?.peakRssMB == null ? '' : `, ${r('hugoAll')}`}` : 'n/a') : '',
      ]);
    }
  }
  const total = seconds(started);
  results.totalSeconds = Math.round(total);
  writeFileSync(path.join(BENCH, 'results.json'), `${JSON.stringify(results, (_k, v) => (typeof v === 'number' && !Number.isInteger(v) ? Number(v.toFixed(4)) : v), 2)}\n`);

  console.log("\nsummary (medians; × = the median over the floor's median in this run)");
  const head = ['posts', 'config', 'floor', 'cold', 'cold RSS', 'no-change rebuild', 'one-edit rebuild', '--limit 0', '--limit 0 RSS', 'baseline', 'hugo site RSS', 'hugo + taxonomies', 'hugo all items'];
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const fmt = (r) => r.map((c, i) => (i === 0 ? pad(c, widths[i]) : lpad(c, widths[i]))).join(' | ');
  console.log(fmt(head));
  console.log(widths.map((w) => '-'.repeat(w)).join('-|-'));
  for (const r of rows) console.log(fmt(r));
  console.log('\nas a Markdown table (README):');
  console.log(`| ${head.join(' | ')} |`);
  console.log(`|${head.map(() => '---').join('|')}|`);
  for (const r of rows) console.log(`| ${r.join(' | ')} |`);
  console.log(`targets (news, 20,000 posts): cold ≤ ${TARGETS.coldOverFloor}× the floor (≤ ${TARGETS.coldOverFloor100k}× at 100,000) and ≥ ${TARGETS.hugoOverCold}× faster than Hugo's site RSS; rebuilds ≤ ${TARGETS.rebuildOverFloor}× the floor; --limit 0 faster than Hugo all items; peak RSS ≤ ${TARGETS.rssMB} MB`);
  console.log(`results: ${path.relative(ROOT, path.join(BENCH, 'results.json'))}; total ${total.toFixed(0)} s`);
}

main().catch((e) => { restoreTouched(); console.error(e instanceof Error ? e.stack : e); process.exitCode = 1; });
