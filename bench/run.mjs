// `npm run bench`: times feedwright against a plain baseline, the floor (reading every post once) and,
// when installed, Hugo, on deterministic synthetic collections. Plain ESM; run after `npm run build`.
//
//   BENCH_SIZES="1000,10000"   sizes to run                 (default 1000,10000,100000)
//   BENCH_ROUNDS=N             rounds for every measure      (default: see maxRounds below)
//   BENCH_BUDGET=S             seconds for the whole bench   (default 480; round 1 of every size always runs)
//   BENCH_TIMEOUT=S            seconds before one run is killed and reported as failed (default 300)
//   BENCH_WORK=DIR             work folder (default bench/.work; generated collections are cached there)
//   BENCH_HUGO=0               skip Hugo even when it is on PATH
//
// Every measured thing is a separate child process, timed from outside (wall clock, process.hrtime), with
// its peak RSS and CPU time from /usr/bin/time -f '%M %U %S' (or, without it, a preload hook reporting the
// node child's own process.resourceUsage()). Within a round the measures alternate (a, rebuild, b, c,
// full, hugo, hugo-all). Round 1 runs at every size first; further rounds then go round-robin over the
// sizes for as long as they fit in the budget (the rounds actually run are printed). Quote medians and
// ratios; absolute times are noise (the machine may be busy: CPU seconds are shown too).
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { appendFileSync, existsSync, mkdirSync, readFileSync, readdirSync, renameSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { generate } from './generate.mjs';

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

const SIZES = (process.env.BENCH_SIZES ?? '1000,10000,100000').split(',').map((s) => Number(s.trim())).filter((n) => n > 0).sort((a, b) => a - b);
const WORK = path.resolve(process.env.BENCH_WORK ?? path.join(BENCH, '.work'));
const ROUNDS_ENV = process.env.BENCH_ROUNDS === undefined ? undefined : Math.max(1, Number(process.env.BENCH_ROUNDS));
const BUDGET_S = Number(process.env.BENCH_BUDGET ?? 480);
const TIMEOUT_S = Number(process.env.BENCH_TIMEOUT ?? 300);
/** Most rounds per size and measure. At 100k the slow ones (baseline ~40 s, full archive, Hugo all-items) run once. */
function maxRounds(size, measure) {
  if (ROUNDS_ENV !== undefined) return ROUNDS_ENV;
  if (size >= 100_000) return ['baseline', 'full', 'hugoAll'].includes(measure) ? 1 : 3;
  return 5;
}
const TARGETS = { aOverC: 3, bOverA: 10, rebuildOverC: 1.5, rssMB: 400, hugoOverA: 5, fullOverHugoAll: 1 };
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

/** The cached collection for `count` posts (generated once per count and generate.mjs version). */
function collection(count) {
  const dir = path.join(WORK, 'collections', `${count}-${GEN_HASH}`);
  if (!existsSync(path.join(dir, 'content', '_config.yml'))) {
    const partial = `${dir}.partial`;
    rmSync(partial, { recursive: true, force: true });
    rmSync(dir, { recursive: true, force: true });
    const t0 = process.hrtime.bigint();
    process.stderr.write(`generating ${count} posts into ${path.relative(ROOT, dir)} ... `);
    generate(path.join(partial, 'content'), count);
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

/** A Hugo site over the same posts (symlinked): only the home page's RSS; pages listed, linked, not rendered. */
function hugoSite(collectionDir) {
  const site = path.join(collectionDir, 'hugo');
  mkdirSync(path.join(site, 'content'), { recursive: true });
  const link = path.join(site, 'content', 'posts');
  if (!existsSync(link)) symlinkSync(path.join('..', '..', 'content', '_posts'), link);
  const config = (limit) => [
    'baseURL: https://bench.example/', 'title: Bench Gazette', 'languageCode: en',
    'disableKinds: [section, taxonomy, term, sitemap, robotsTXT, "404"]',
    'outputs:', '  home: [RSS]',
    'cascade:', '  - _target:', '      kind: page', '    _build:', '      render: link', '      list: always',
    'services:', '  rss:', `    limit: ${limit}`,
    'markup:', '  goldmark:', '    renderer:', '      unsafe: true', '',
  ].join('\n');
  writeFileSync(path.join(site, 'config-feed.yaml'), config(10));
  writeFileSync(path.join(site, 'config-all.yaml'), config(-1));
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

function prepare(size, hugo) {
  const coll = collection(size);
  const content = path.join(coll, 'content');
  const posts = readdirSync(path.join(content, '_posts')).filter((f) => f.endsWith('.md')).sort();
  const touched = path.join(content, '_posts', posts[posts.length - 1]); // the newest post: it is in the feeds
  const original = readFileSync(touched);
  const site = hugo ? hugoSite(coll) : undefined;
  const out = path.join(WORK, 'out');
  const clean = (dir) => rmSync(dir, { recursive: true, force: true });
  const cleanCaches = () => { for (const d of cacheDirs(content)) clean(d); };
  const fw = (dir, extra = []) => [NODE, ['dist/bin.js', 'build', '--content', content, '--out', dir, '--quiet', ...CACHE_ARGS(content), ...extra]];
  const hugoRun = (config) => [hugo, ['--source', site, '--config', path.join(site, config), '--destination', path.join(out, 'hugo'), '--quiet']];
  const measures = {
    feedwright: {
      label: '(a) feedwright build, cold (site+category+tag feeds)',
      run: () => { clean(path.join(out, 'a')); cleanCaches(); return measure(...fw(path.join(out, 'a'))); },
    },
    rebuild: {
      label: 'rebuild after touching one post (cache)',
      // Right after (a): its cache and output are in place. Append a line to one post, rebuild, restore.
      run: async () => {
        restoreTouched = () => writeFileSync(touched, original);
        appendFileSync(touched, '\nEdited for the rebuild benchmark.\n');
        try { return await measure(...fw(path.join(out, 'a'))); } finally { restoreTouched(); restoreTouched = () => {}; }
      },
    },
    baseline: {
      label: '(b) baseline: gray-matter+markdown-it+sanitize-html+feed',
      run: () => { clean(path.join(out, 'b')); return measure(NODE, ['bench/baseline.mjs', content, path.join(out, 'b')]); },
    },
    floor: { label: '(c) floor: read every post once', run: () => measure(NODE, ['bench/floor.mjs', content, FLOOR_MODE]) },
    full: {
      label: 'full archive (--limit 0), cold',
      run: async () => { clean(path.join(out, 'full')); cleanCaches(); const r = await measure(...fw(path.join(out, 'full'), ['--limit', '0'])); clean(path.join(out, 'full')); return r; },
    },
    ...(hugo ? {
      hugo: { label: 'hugo feed-only build (RSS, limit 10)', run: () => { clean(path.join(out, 'hugo')); return measure(...hugoRun('config-feed.yaml')); } },
      hugoAll: { label: 'hugo all-items feed build (RSS, limit -1)', run: () => { clean(path.join(out, 'hugo')); return measure(...hugoRun('config-all.yaml')); } },
    } : {}),
  };
  const R = Math.max(...Object.keys(measures).map((k) => maxRounds(size, k)));
  return {
    size, content, posts, measures, R, roundsRun: 0, lastRound: {}, failed: {}, oom: {},
    runs: Object.fromEntries(Object.keys(measures).map((k) => [k, []])),
    cleanup: () => { for (const d of ['a', 'b', 'full', 'hugo']) clean(path.join(out, d)); cleanCaches(); },
  };
}

/** The measures that would run in `round` (1-based). */
function due(ctx, round) {
  return Object.keys(ctx.measures).filter((k) => round <= maxRounds(ctx.size, k) && !ctx.failed[k]);
}

/** The measures behind the key ratios (a/c, rebuild/c): in a budget-limited round they run together or not at all. */
const CORE = ['feedwright', 'rebuild', 'floor'];

/**
 * Runs one round of a size: its due measures in order. With a budget (`left()` seconds remain, `reserve` of
 * them kept for the larger sizes), the round runs only if the core trio fits as a whole; every other measure
 * only if its last time fits beside what the trio still needs. So the slow measures drop out first.
 */
async function runRound(ctx, round, left = () => Infinity, reserve = 0) {
  const line = [];
  const skipped = [];
  const keys = due(ctx, round);
  const last = (k) => ctx.lastRound[k] ?? 0;
  const runCore = keys.filter((k) => CORE.includes(k)).reduce((t, k) => t + last(k), 0) + reserve <= left();
  let coreLeft = runCore ? keys.filter((k) => CORE.includes(k)).reduce((t, k) => t + last(k), 0) : 0;
  let aOk = false;
  for (const key of keys) {
    const core = CORE.includes(key);
    if (core) coreLeft -= last(key);
    if (key === 'rebuild' && !aOk) continue;
    // Without the trio, the round is skipped at this size: no measure gets more runs than a, rebuild and c.
    if (!runCore || (!core && last(key) + coreLeft + reserve > left())) { skipped.push(key); continue; }
    const r = await ctx.measures[key].run();
    if (r.ok) { ctx.runs[key].push(r); ctx.lastRound[key] = r.s; line.push(`${key} ${r.s.toFixed(2)}s`); } else { ctx.failed[key] = r.reason; if (r.oom) ctx.oom[key] = true; line.push(`${key} FAILED (${r.reason})`); }
    if (key === 'feedwright') aOk = r.ok;
  }
  if (line.length > 0) ctx.roundsRun += 1;
  const head = `  ${ctx.size.toLocaleString('en')} posts, round ${round}: `;
  if (line.length === 0) process.stderr.write(`${head}skipped (over BENCH_BUDGET)\n`);
  else process.stderr.write(`${head}${line.join(', ')}${skipped.length ? `; over BENCH_BUDGET, skipped: ${skipped.join(', ')}` : ''}\n`);
}

function report(ctx) {
  const st = Object.fromEntries(Object.entries(ctx.runs).map(([k, v]) => [k, summarize(v, ctx.failed[k])]));
  const med = (k) => st[k]?.median ?? null;
  const ratio = (x, y) => (x === null || y === null ? null : x / y);
  const ratios = {
    aOverB: ratio(med('feedwright'), med('baseline')), aOverC: ratio(med('feedwright'), med('floor')),
    bOverA: ratio(med('baseline'), med('feedwright')), rebuildOverC: ratio(med('rebuild'), med('floor')),
    hugoOverA: ratio(med('hugo'), med('feedwright')), fullOverHugoAll: ratio(med('full'), med('hugoAll')),
    fullOverC: ratio(med('full'), med('floor')),
  };
  // Memory: judged on the successful runs' peak; a run that died out of memory fails it.
  const rssCheck = (k) => (ctx.oom[k] ? false : st[k]?.peakRssMB == null ? null : st[k].peakRssMB <= TARGETS.rssMB);
  const failedRss = (k) => (st[k]?.failed ? false : null);
  const checks = [
    ['feedwright build ≤ 3× the floor', `a/c = ${f2(ratios.aOverC)}`, ratios.aOverC === null ? null : ratios.aOverC <= TARGETS.aOverC],
    ['≥ 10× faster than the baseline', `b/a = ${f2(ratios.bOverA)} (a/b = ${f2(ratios.aOverB)})`, ratios.bOverA === null ? null : ratios.bOverA >= TARGETS.bOverA],
    ['rebuild after one touch ≤ 1.5× the floor', `rebuild/c = ${f2(ratios.rebuildOverC)}`, ratios.rebuildOverC === null ? failedRss('rebuild') : ratios.rebuildOverC <= TARGETS.rebuildOverC],
    ['peak RSS ≤ 400 MB, default mode', `${mb(st.feedwright?.peakRssMB)} MB${ctx.oom.feedwright ? ' (a run died out of memory)' : ''}`, rssCheck('feedwright')],
    ['peak RSS ≤ 400 MB, full archive', `${mb(st.full?.peakRssMB)} MB${ctx.oom.full ? ' (a run died out of memory)' : ''}`, rssCheck('full')],
    ['≥ 5× faster than Hugo feed-only', `hugo/a = ${f2(ratios.hugoOverA)}`, ratios.hugoOverA === null ? null : ratios.hugoOverA >= TARGETS.hugoOverA],
    ['full archive faster than Hugo all-items', `full/hugo-all = ${f2(ratios.fullOverHugoAll)}`, ratios.fullOverHugoAll === null ? (st.hugoAll ? failedRss('full') : null) : ratios.fullOverHugoAll < TARGETS.fullOverHugoAll],
  ];
  const cut = Object.keys(ctx.measures).filter((k) => !ctx.failed[k] && ctx.runs[k].length < maxRounds(ctx.size, k));
  console.log(`\n== ${ctx.size.toLocaleString('en')} posts: ${ctx.roundsRun} of ${ctx.R} rounds${cut.length ? ` (fewer runs of ${cut.join(', ')}: over BENCH_BUDGET=${BUDGET_S} s)` : ''} ==`);
  console.log(`  ${pad('', 58)}${lpad('median s', 9)}${lpad('min–max s', 16)}${lpad('runs', 5)}${lpad('peak RSS MB', 13)}${lpad('CPU s', 8)}`);
  for (const [k, m] of Object.entries(ctx.measures)) {
    const s = st[k];
    if (!s) continue;
    if (s.runs === 0) { console.log(`  ${pad(m.label, 58)}  FAILED: ${s.failed}`); continue; }
    console.log(`  ${pad(m.label, 58)}${lpad(f3(s.median), 9)}${lpad(`${f3(s.min)}–${f3(s.max)}`, 16)}${lpad(s.runs, 5)}${lpad(mb(s.peakRssMB), 13)}${lpad(f3(s.medianCpu), 8)}${s.failed ? `  (then failed: ${s.failed})` : ''}`);
  }
  if (!ctx.measures.hugo) console.log('  hugo: not on PATH — skipped');
  console.log('  targets:');
  for (const [what, got, ok] of checks) console.log(`   ${mark(ok)}  ${pad(what, 42)} ${got}`);
  return { st, ratios, checks };
}

// ---- the run ---------------------------------------------------------------------------------------
async function main() {
  const started = process.hrtime.bigint();
  mkdirSync(WORK, { recursive: true });
  if (!existsSync(path.join(ROOT, 'dist', 'bin.js'))) throw new Error('dist/bin.js is missing: run `npm run build` first');
  timeWorks = await probeTime();
  cacheFlag = (await exec(NODE, ['dist/bin.js', '--help'])).stdout.includes('--cache-dir');
  const hugo = process.env.BENCH_HUGO === '0' ? undefined : findOnPath('hugo');
  const hugoVersion = hugo ? (await exec(hugo, ['version'])).stdout.trim().split(' ').slice(0, 2).join(' ') : null;
  const notes = [
    `peak RSS and CPU from ${timeWorks ? "/usr/bin/time -f '%M %U %S'" : "the node child's own process.resourceUsage() (no /usr/bin/time)"}`,
    `floor: bench/floor.mjs ${FLOOR_MODE} (every _posts/**/*.md read once with readFileSync; faster here than async readFile)`,
    `(a) is a cold build: its output folder and any feedwright cache are deleted before each run; the rebuild is the run right after it, with one line appended to the newest post (restored afterwards); cache: ${cacheFlag ? '--cache-dir <collection>/.feedwright-cache' : 'feedwright\'s default location (no --cache-dir flag)'}`,
    hugo ? `hugo: ${hugoVersion}, home RSS only (pages listed, not rendered), services.rss.limit 10 / -1, same posts (symlinked)` : 'hugo: not on PATH, skipped (apt-get install hugo to compare)',
  ];
  if (ROUNDS_ENV === undefined && SIZES.some((n) => n >= 100_000)) notes.push('at 100,000 posts the baseline, the full archive and Hugo all-items run once (the rest up to 3 rounds) to keep the bench under 10 minutes');
  console.log(`feedwright bench — node ${process.version}, ${os.cpus()[0]?.model ?? '?'} ×${os.cpus().length}, sizes ${SIZES.join(', ')}, budget ${BUDGET_S} s`);
  for (const n of notes) console.log(`  · ${n}`);

  // Round 1 at every size, then further rounds round-robin over the sizes while they fit in the budget.
  const ctxs = [];
  for (const size of SIZES) {
    const ctx = prepare(size, hugo);
    ctxs.push(ctx);
    await measure(NODE, ['bench/floor.mjs', ctx.content, FLOOR_MODE]); // warm the page cache (untimed)
    await runRound(ctx, 1);
  }
  const maxR = Math.max(...ctxs.map((c) => c.R));
  for (let round = 2; round <= maxR; round++) {
    for (const [i, ctx] of ctxs.entries()) {
      if (round > ctx.R || due(ctx, round).length === 0) continue;
      // Keep back enough of the budget for this round's core trio at the larger sizes.
      const reserve = ctxs.slice(i + 1).filter((c) => round <= c.R)
        .reduce((t, c) => t + CORE.filter((k) => due(c, round).includes(k)).reduce((u, k) => u + (c.lastRound[k] ?? 0), 0), 0);
      await runRound(ctx, round, () => BUDGET_S - seconds(started), reserve);
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
    const cell = (k, fmt = f3) => (st[k]?.runs === 0 ? 'failed' : fmt(st[k]?.median));
    rows.push([
      ctx.size.toLocaleString('en'), cell('feedwright'), cell('baseline'), cell('floor'), f2(ratios.aOverB), f2(ratios.aOverC),
      `${mb(st.feedwright?.peakRssMB)}, ${mb(st.baseline?.peakRssMB)}`, hugo ? cell('hugo') : 'n/a',
      cell('rebuild'), f2(ratios.rebuildOverC), cell('full'), mb(st.full?.peakRssMB), hugo ? cell('hugoAll') : 'n/a',
    ]);
  }
  const total = seconds(started);
  results.totalSeconds = Math.round(total);
  writeFileSync(path.join(BENCH, 'results.json'), `${JSON.stringify(results, (_k, v) => (typeof v === 'number' && !Number.isInteger(v) ? Number(v.toFixed(4)) : v), 2)}\n`);

  console.log('\nsummary (medians in seconds; ratios of medians)');
  const head = ['size', 'feedwright a', 'baseline b', 'floor c', 'a/b', 'a/c', 'peak RSS MB (a, b)', 'hugo', 'rebuild', 'rebuild/c', 'full archive', 'full RSS MB', 'hugo all'];
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const fmt = (r) => r.map((c, i) => (i === 0 ? pad(c, widths[i]) : lpad(c, widths[i]))).join(' | ');
  console.log(fmt(head));
  console.log(widths.map((w) => '-'.repeat(w)).join('-|-'));
  for (const r of rows) console.log(fmt(r));
  console.log(`targets: a/c ≤ ${TARGETS.aOverC}; a/b ≤ ${1 / TARGETS.bOverA} (≥ ${TARGETS.bOverA}× faster); rebuild/c ≤ ${TARGETS.rebuildOverC}; peak RSS ≤ ${TARGETS.rssMB} MB at 100k, default and full archive; hugo ≥ ${TARGETS.hugoOverA}× a; full archive < hugo all`);
  console.log(`results: ${path.relative(ROOT, path.join(BENCH, 'results.json'))}; total ${total.toFixed(0)} s`);
}

main().catch((e) => { restoreTouched(); console.error(e instanceof Error ? e.stack : e); process.exitCode = 1; });
