/**
 * Crash safety of a real build: the compiled CLI is killed with SIGKILL at many points of a build that
 * replaces version A of a site's feeds with version B. After every kill, each feed file in the output
 * folder is byte-for-byte A's or B's version (never partial or empty), files B prunes disappear only
 * once all of B is in place, and the next build completes and leaves exactly B, with no temp file left.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CONFIG, makeSite } from './support/site.js';

const BIN = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'dist', 'bin.js');
const NOW = '2026-11-01T00:00:00Z';
const TEMP = /^\.feedwright-.*\.tmp$/;
const POSTS = 500;
const CATEGORIES = ['news', 'sport', 'tech', 'travel', 'food', 'music', 'science', 'books', 'film', 'health'];
const TAGS = Array.from({ length: 20 }, (_, i) => `topic-${i}`);
const ITERATIONS = 12;

// ---- the site -------------------------------------------------------------------------------------

/** A deterministic body of roughly `bytes` bytes of Markdown. */
function body(seed: number, bytes: number): string {
  const words = ['river', 'council', 'bridge', 'market', 'winter', 'harbour', 'station', 'festival', 'library', 'garden', 'school', 'orchard', 'tram', 'museum', 'ferry', 'lantern'];
  let x = seed * 2654435761 + 1;
  const next = (): number => {
    x = (x * 1103515245 + 12345) % 2147483648;
    return x;
  };
  const paragraphs: string[] = [];
  let size = 0;
  while (size < bytes) {
    const sentence: string[] = [];
    for (let i = 0, n = 40 + (next() % 40); i < n; i++) sentence.push(words[next() % words.length] as string);
    const p = `${sentence.join(' ')}. Some *emphasis*, a [link](https://example.com/${next() % 1000}) & an "entity" <b>.`;
    paragraphs.push(p);
    size += p.length + 2;
  }
  return `${paragraphs.join('\n\n')}\n`;
}

/** Version A, or version B: every title changed and category `sport` renamed to `athletics`. */
function siteFiles(version: 'A' | 'B'): Record<string, string> {
  const files: Record<string, string> = {
    '_config.yml': `${CONFIG}feed:\n  posts_limit: 0\n  categories: true\n  tags: true\n`,
  };
  for (let i = 0; i < POSTS; i++) {
    const day = new Date(Date.UTC(2022, 0, 1) + i * 86_400_000).toISOString().slice(0, 10);
    let category = CATEGORIES[i % CATEGORIES.length] as string;
    if (version === 'B' && category === 'sport') category = 'athletics';
    const tags = [TAGS[i % TAGS.length], TAGS[(i * 7 + 3) % TAGS.length]];
    const title = version === 'A' ? `Post number ${i}` : `Post number ${i} (revised)`;
    files[`_posts/${day}-post-${i}.md`] = `---\ntitle: "${title}"\ncategories: [${category}]\ntags: [${tags.join(', ')}]\n---\n\n${body(i, 3000)}`;
  }
  return files;
}

// ---- output snapshots -----------------------------------------------------------------------------

/** Every file and every folder below `dir`, as POSIX paths relative to it. */
function walk(dir: string, prefix = '', out = { files: [] as string[], dirs: [] as string[] }): { files: string[]; dirs: string[] } {
  let entries;
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch {
    return out;
  }
  for (const e of entries) {
    const rel = prefix === '' ? e.name : `${prefix}/${e.name}`;
    if (e.isDirectory()) {
      out.dirs.push(rel);
      walk(path.join(dir, e.name), rel, out);
    } else {
      out.files.push(rel);
    }
  }
  return out;
}

const sha256 = (file: string): string => createHash('sha256').update(readFileSync(file)).digest('hex');

/** Path → sha256 of every file below `dir`. */
function snapshot(dir: string): Map<string, string> {
  return new Map(walk(dir).files.sort().map((f) => [f, sha256(path.join(dir, f))]));
}

function restore(from: string, to: string): void {
  rmSync(to, { recursive: true, force: true });
  cpSync(from, to, { recursive: true });
}

// ---- running and killing the CLI --------------------------------------------------------------------

interface Run {
  readonly child: ChildProcess;
  readonly started: number;
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null; at: number; stderr: string }>;
}

function startBuild(contentDir: string, outDir: string): Run {
  const started = performance.now();
  // Run in the test's own folder: anything the CLI keeps relative to its working directory stays there.
  const child = spawn(process.execPath, [BIN, 'build', '--content', contentDir, '--out', outDir, '--now', NOW, '--quiet'], { cwd: path.dirname(outDir), stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr?.setEncoding('utf8').on('data', (d: string) => (stderr += d));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null; at: number; stderr: string }>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code, signal, at: performance.now(), stderr }));
  });
  return { child, started, exited };
}

async function buildToEnd(contentDir: string, outDir: string): Promise<number> {
  const run = startBuild(contentDir, outDir);
  const result = await run.exited;
  if (result.code !== 0) throw new Error(`build failed (${String(result.code ?? result.signal)}): ${result.stderr}`);
  return result.at - run.started;
}

/** True when a `.feedwright-*.tmp` file exists where feeds are written (the root, categories/*, tags/*). */
function tempFilePresent(outDir: string): boolean {
  const has = (dir: string): boolean => {
    try {
      return readdirSync(dir).some((n) => TEMP.test(n));
    } catch {
      return false;
    }
  };
  if (has(outDir)) return true;
  for (const group of ['categories', 'tags']) {
    let subs: string[];
    try {
      subs = readdirSync(path.join(outDir, group));
    } catch {
      continue;
    }
    if (subs.some((s) => has(path.join(outDir, group, s)))) return true;
  }
  return false;
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Polls (every ~1 ms) until a temp file appears or the build ends; returns the time the temp file was seen. */
async function waitForTempFile(run: Run, outDir: string, limitMs: number): Promise<number | undefined> {
  let done = false;
  void run.exited.then(() => (done = true));
  while (!done && performance.now() - run.started < limitMs) {
    if (tempFilePresent(outDir)) return performance.now();
    await sleep(1);
  }
  return undefined;
}

/**
 * After the write phase has begun: spins (no sleeping, for sub-millisecond latency) until the number of temp
 * files in the output root drops, i.e. the first renames have happened; returns false if not seen in time.
 * Temp files are only added while writing and only removed by renames, so any drop marks the rename phase.
 */
function spinUntilRenaming(outDir: string, limitMs: number): boolean {
  const until = performance.now() + limitMs;
  let most = 0;
  while (performance.now() < until) {
    let count = 0;
    try {
      for (const n of readdirSync(outDir)) if (TEMP.test(n)) count++;
    } catch {
      continue;
    }
    if (count < most) return true;
    most = Math.max(most, count);
  }
  return false;
}

function spin(ms: number): void {
  const until = performance.now() + ms;
  while (performance.now() < until);
}

/** Kills the build (if still running) and waits for it; a build that ended by itself must have succeeded. */
async function kill(run: Run): Promise<void> {
  run.child.kill('SIGKILL');
  const result = await run.exited;
  if (result.signal !== 'SIGKILL' && result.code !== 0) throw new Error(`build failed (${String(result.code ?? result.signal)}): ${result.stderr}`);
}

// ---- the test ---------------------------------------------------------------------------------------

describe('SIGKILL during a build', () => {
  let siteA: string;
  let siteB: string;
  let work: string;
  let refA: string;
  let refB: string;
  let out: string;
  let snapA: Map<string, string>;
  let snapB: Map<string, string>;
  let dirsB: string[];
  let fullMs = 0;
  let firstTempMs = 0;
  const setupStarted = performance.now();

  beforeAll(async () => {
    if (!existsSync(BIN)) throw new Error(`${BIN} is missing: run \`npm run build\` first`);
    siteA = makeSite(siteFiles('A'));
    siteB = makeSite(siteFiles('B'));
    work = mkdtempSync(path.join(tmpdir(), 'feedwright-kill-'));
    refA = path.join(work, 'a');
    refB = path.join(work, 'b');
    out = path.join(work, 'out');
    await buildToEnd(siteA, refA);
    await buildToEnd(siteB, refB);
    snapA = snapshot(refA);
    snapB = snapshot(refB);
    dirsB = walk(refB).dirs.sort();
    // The fixture does what the test needs: big feeds, a folder only A has and one only B has, every shared file changed.
    expect(snapA.has('categories/sport/rss.xml') && !snapB.has('categories/sport/rss.xml')).toBe(true);
    expect(snapB.has('categories/athletics/rss.xml') && !snapA.has('categories/athletics/rss.xml')).toBe(true);
    // Every feed differs between A and B (the shared stylesheet does not, and need not).
    for (const [p, h] of snapB) if (snapA.has(p) && !p.endsWith('.xsl')) expect(snapA.get(p), p).not.toBe(h);
    for (const dir of [refA, refB]) for (const f of walk(dir).files) expect(statSync(path.join(dir, f)).size, f).toBeGreaterThan(0);
    expect(statSync(path.join(refB, 'rss.xml')).size).toBeGreaterThan(1_000_000);

    // One full build of B over A, timed, noting when its first temp file appears (the start of the write phase).
    restore(refA, out);
    const run = startBuild(siteB, out);
    const seen = await waitForTempFile(run, out, 60_000);
    const result = await run.exited;
    expect(result.code, result.stderr).toBe(0);
    fullMs = result.at - run.started;
    firstTempMs = (seen ?? result.at) - run.started;
    expect(snapshot(out)).toEqual(snapB);
  }, 240_000);

  afterAll(() => {
    for (const dir of [siteA, siteB, work]) if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
  });

  /**
   * Checks the output folder after a kill; returns how the kill landed. Every feed path of A or B that exists
   * holds exactly A's or B's bytes; nothing else is there but temp files.
   */
  function checkAfterKill(label: string): { phase: 'before' | 'mid' | 'done'; mixed: boolean; temps: number; checked: number } {
    const { files } = walk(out);
    const temps = files.filter((f) => TEMP.test(path.posix.basename(f)));
    const stray = files.filter((f) => !TEMP.test(path.posix.basename(f)) && !snapA.has(f) && !snapB.has(f));
    expect(stray, `${label}: files that are neither A's nor B's`).toEqual([]);
    const paths = [...new Set([...snapA.keys(), ...snapB.keys()])].sort();
    const state = new Map<string, 'A' | 'B' | 'missing'>();
    for (const p of paths) {
      const full = path.join(out, p);
      if (!existsSync(full)) {
        state.set(p, 'missing');
        continue;
      }
      const h = sha256(full);
      const version = h === snapB.get(p) ? 'B' : h === snapA.get(p) ? 'A' : undefined;
      if (version === undefined) {
        const size = statSync(full).size;
        expect.fail(`${label}: ${p} is neither A's nor B's version (${size} bytes; A ${String(snapA.has(p))}, B ${String(snapB.has(p))}) — a partial or foreign feed`);
      }
      state.set(p, version);
    }
    const allB = [...snapB.keys()].every((p) => state.get(p) === 'B');
    for (const p of paths) {
      const s = state.get(p);
      if (snapA.has(p) && snapB.has(p)) expect(s, `${label}: ${p} exists in A and B, so must never go missing`).not.toBe('missing');
      if (snapA.has(p) && !snapB.has(p) && s === 'missing') expect(allB, `${label}: ${p} was pruned before all of B was in place`).toBe(true);
    }
    const allA = paths.every((p) => state.get(p) === (snapA.has(p) ? 'A' : 'missing'));
    const prunedAll = paths.every((p) => snapB.has(p) || state.get(p) === 'missing');
    const phase = temps.length === 0 && allA ? 'before' : temps.length === 0 && allB && prunedAll ? 'done' : 'mid';
    const mixed = [...state.values()].includes('A') && [...state.values()].includes('B');
    return { phase, mixed, temps: temps.length, checked: paths.filter((p) => state.get(p) !== 'missing').length };
  }

  it('leaves every feed whole (old or new) whenever the build is killed', async () => {
    const started = performance.now();
    const writeMs = Math.max(fullMs - firstTempMs, 5);
    const landed = { before: 0, mid: 0, done: 0 };
    let withTemps = 0;
    let mixed = 0;
    let filesChecked = 0;
    let overheadMs = 0;
    const third = ITERATIONS / 3;
    for (let i = 0; i < ITERATIONS; i++) {
      const t0 = performance.now();
      restore(refA, out);
      overheadMs += performance.now() - t0;
      const run = startBuild(siteB, out);
      const k = Math.floor(i / 3) / (third - 1); // 0 … 1 across each kind of kill
      let how: string;
      if (i % 3 === 0) {
        // At a fixed time, sweeping 10% … 110% of a full build (mostly lands while rendering, or after the end).
        const delay = fullMs * (0.1 + k);
        how = `at ${delay.toFixed(0)} ms`;
        await Promise.race([sleep(delay), run.exited]);
      } else if (i % 3 === 1) {
        // Once the write phase has begun (first temp file seen), at 0% … 90% of its measured length.
        const offset = writeMs * 0.9 * k;
        how = `${offset.toFixed(0)} ms after the first temp file`;
        const seen = await waitForTempFile(run, out, 60_000);
        if (seen !== undefined && offset > 0) await Promise.race([sleep(offset), run.exited]);
      } else {
        // As soon as renames begin, plus 0 … 2 ms: the window where old and new feeds are mixed.
        const offset = 2 * k;
        how = `${offset.toFixed(1)} ms into the renames`;
        const seen = await waitForTempFile(run, out, 60_000);
        if (seen !== undefined && spinUntilRenaming(out, writeMs * 3 + 1000)) spin(offset);
      }
      await kill(run);
      const t1 = performance.now();
      const r = checkAfterKill(`iteration ${i} (${how})`);
      overheadMs += performance.now() - t1;
      landed[r.phase]++;
      filesChecked += r.checked;
      if (r.temps > 0) withTemps++;
      if (r.mixed) mixed++;
    }
    const ms = performance.now() - started;
    console.log(
      `kill test: ${ITERATIONS} kills (full build ${fullMs.toFixed(0)} ms, write phase ~${writeMs.toFixed(0)} ms): ${landed.before} before writing, ${landed.mid} mid-write (${withTemps} with temp files, ${mixed} with old and new feeds mixed), ${landed.done} after; ${filesChecked} files checked; ${(ms / 1000).toFixed(1)} s (restore+check ${(overheadMs / 1000).toFixed(1)} s, setup ${((started - setupStarted) / 1000).toFixed(1)} s)`,
    );
    // Not vacuous: several kills landed while writing, and at least one between the first and the last rename.
    expect(landed.mid, 'kills that landed in the write phase').toBeGreaterThanOrEqual(3);
    expect(mixed, 'kills that left old and new feeds side by side').toBeGreaterThanOrEqual(1);
  }, 180_000);

  it('the next build after a kill completes, leaves exactly B and removes leftover temp files', async () => {
    restore(refA, out);
    const run = startBuild(siteB, out);
    const seen = await waitForTempFile(run, out, 60_000);
    expect(seen, 'the build reached its write phase').toBeDefined();
    await kill(run);
    checkAfterKill('kill before the rebuild');
    expect(walk(out).files.filter((f) => TEMP.test(path.posix.basename(f))).length, 'temp files left by the killed build').toBeGreaterThan(0);

    await buildToEnd(siteB, out);
    const after = walk(out);
    expect(after.files.filter((f) => TEMP.test(path.posix.basename(f)))).toEqual([]);
    expect(after.dirs.sort()).toEqual(dirsB);
    expect(existsSync(path.join(out, 'categories', 'sport'))).toBe(false);
    expect(snapshot(out)).toEqual(snapB);
  }, 180_000);
});
