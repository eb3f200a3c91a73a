/**
 * Crash safety of a real build: a real CLI process building version B of a site's feeds over version A is
 * killed with SIGKILL at exact points of its write phase. The points are calls of the writer's file-system
 * interface (create#k, append#k, close#k, rename#k, the prune's unlink and rmdir), chosen as fractions of
 * the calls one full build makes, and the process kills itself just before making that call
 * (test/support/kill-at.mjs), so every run dies at the same place whatever the machine's load.
 *
 * After every kill: each feed file is byte-for-byte A's or B's version (never partial or empty), files B
 * prunes disappear only once all of B is in place, and the folder is exactly what the calls made before the
 * kill predict (every temp file a prefix of B's bytes). The next build completes, leaves exactly B, and
 * removes leftover temp files and the stale category's folder.
 */
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LOCK_FILE } from '../src/write/output.js';
import { CONFIG, makeSite } from './support/site.js';

const ROOT = path.join(path.dirname(fileURLToPath(import.meta.url)), '..');
const BIN = path.join(ROOT, 'dist', 'bin.js');
const KILL_AT = path.join(ROOT, 'test', 'support', 'kill-at.mjs');
const NOW = '2026-11-01T00:00:00Z';
const TEMP = /^\.feedwright-(\d+|PID)-(\d+|N)-(.+)\.tmp$/;
const POSTS = 250;
const CATEGORIES = ['news', 'sport', 'tech', 'travel', 'food', 'music', 'science', 'books', 'film', 'health'];
const TAGS = Array.from({ length: 20 }, (_, i) => `topic-${i}`);

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
const isTemp = (rel: string): boolean => TEMP.test(path.posix.basename(rel));

/** The file a temp file (`dir/.feedwright-<pid>-<n>-<name>.tmp`) is written for: `dir/<name>`. */
function targetOf(rel: string): string {
  const name = TEMP.exec(path.posix.basename(rel))?.[3];
  if (name === undefined) throw new Error(`${rel} is not a temp file`);
  return path.posix.join(path.posix.dirname(rel), name);
}

/** Path → sha256 of every file below `dir`. */
function snapshot(dir: string): Map<string, string> {
  return new Map(walk(dir).files.sort().map((f) => [f, sha256(path.join(dir, f))]));
}

function restore(from: string, to: string): void {
  rmSync(to, { recursive: true, force: true });
  cpSync(from, to, { recursive: true });
}

// ---- running the CLI --------------------------------------------------------------------------------

interface Exit {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs `node ...args` in `cwd` (the test's own folder: the build cache the CLI keeps there stays there). */
function node(args: readonly string[], cwd: string): Promise<Exit> {
  const child = spawn(process.execPath, args, { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
  child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
}

const buildArgs = (contentDir: string, outDir: string): string[] => ['build', '--content', contentDir, '--out', outDir, '--now', NOW, '--quiet'];

async function buildToEnd(contentDir: string, outDir: string): Promise<void> {
  const result = await node([BIN, ...buildArgs(contentDir, outDir)], path.dirname(outDir));
  if (result.code !== 0) throw new Error(`build failed (${String(result.code ?? result.signal)}): ${result.stderr}`);
}

type Op = 'mkdir' | 'create' | 'append' | 'close' | 'rename' | 'size' | 'sameBytes' | 'unlink' | 'readdir' | 'rmdir';

/** One call of the writer's WriteIo, as test/support/kill-at.mjs logs it (absolute paths; temp names with PID and N). */
interface Call {
  readonly op: Op;
  /** Its number among the calls of `op` (1 = the first). */
  readonly n: number;
  readonly path: string;
  readonly to?: string;
  readonly bytes?: number;
}

interface CallLog {
  readonly pid: number;
  readonly totals: Partial<Record<Op, number>>;
  readonly calls: readonly Call[];
  readonly killedBefore?: Call;
}

/** Runs the real CLI build through kill-at.mjs: `spec` is `count` or `OP#N` (SIGKILL just before that call). */
async function buildWithCalls(spec: string, contentDir: string, outDir: string): Promise<{ exit: Exit; log: CallLog }> {
  const logFile = path.join(path.dirname(outDir), 'calls.json');
  rmSync(logFile, { force: true });
  const exit = await node([KILL_AT, spec, logFile, '--', ...buildArgs(contentDir, outDir)], path.dirname(outDir));
  if (!existsSync(logFile)) throw new Error(`kill-at ${spec} wrote no log (${String(exit.code ?? exit.signal)}): ${exit.stderr}`);
  return { exit, log: JSON.parse(readFileSync(logFile, 'utf8')) as CallLog };
}

// ---- the kill points ------------------------------------------------------------------------------

/** Index (in the full build's calls) of the `n`-th call of `op`. */
function indexOf(calls: readonly Call[], op: Op, n: number): number {
  const i = calls.findIndex((c) => c.op === op && c.n === n);
  if (i < 0) throw new Error(`the build makes no ${op}#${n}`);
  return i;
}

const count = (calls: readonly Call[], op: Op): number => calls.filter((c) => c.op === op).length;
const half = (calls: readonly Call[], op: Op): number => indexOf(calls, op, Math.ceil(count(calls, op) / 2));
const lastRename = (calls: readonly Call[]): number => indexOf(calls, 'rename', count(calls, 'rename'));
/** The `k`-th unlink after the last rename: the prune of the feeds of categories B no longer has. */
function pruneUnlink(calls: readonly Call[], k: number): number {
  const after = calls.map((c, i) => ({ c, i })).filter(({ c, i }) => i > lastRename(calls) && c.op === 'unlink');
  const hit = after[k - 1];
  if (hit === undefined) throw new Error(`the prune makes fewer than ${k} unlinks`);
  return hit.i;
}

/** What the output folder holds after a kill, measured against A and B. */
interface Outcome {
  /** Feed files A and B both have: how many hold A's bytes, how many B's. */
  readonly shared: { readonly A: number; readonly B: number };
  /** Files only A has (the pruned category's feeds) still present, of how many. */
  readonly aOnly: { readonly present: number; readonly of: number };
  /** Files only B has (the new category's feeds) present, of how many. */
  readonly bOnly: { readonly present: number; readonly of: number };
  /** Temp files: empty, a proper prefix of B's bytes for their target, or all of B's bytes. */
  readonly temps: { readonly empty: number; readonly partial: number; readonly complete: number };
}

/** Numbers of the full build that the expectations of a kill point are stated in. */
interface Context {
  readonly full: CallLog;
  /** Index in `full.calls` of the call the process died before. */
  readonly at: number;
  readonly outcome: Outcome;
  readonly totalShared: number;
}

interface KillPoint {
  readonly name: string;
  /** Index in the full build's calls of the call to die before. */
  readonly pick: (calls: readonly Call[]) => number;
  /** What this point proves, beyond the invariants and the exact prediction every point is held to. */
  readonly expectation: string;
  readonly check: (ctx: Context) => void;
  /** Run the next (unkilled) build over what this kill left. */
  readonly rebuild?: true;
}

/** Every feed of A in place, no file of B, the stale feeds untouched. */
function expectAllA({ outcome, totalShared }: Context): void {
  expect(outcome.shared).toEqual({ A: totalShared, B: 0 });
  expect(outcome.aOnly.present).toBe(outcome.aOnly.of);
  expect(outcome.bOnly.present).toBe(0);
}

/** Every feed of B in place and no temp file left. */
function expectAllB({ outcome, totalShared }: Context): void {
  expect(outcome.shared).toEqual({ A: 0, B: totalShared });
  expect(outcome.bOnly.present).toBe(outcome.bOnly.of);
  expect(outcome.temps).toEqual({ empty: 0, partial: 0, complete: 0 });
}

const callsBefore = ({ full, at }: Context, op: Op): number => full.calls.slice(0, at).filter((c) => c.op === op).length;

const KILL_POINTS: readonly KillPoint[] = [
  {
    name: 'create#1',
    pick: (calls) => indexOf(calls, 'create', 1),
    expectation: 'killed before the first temp file: the output is exactly A',
    check: (ctx) => {
      expectAllA(ctx);
      expect(ctx.outcome.temps).toEqual({ empty: 0, partial: 0, complete: 0 });
    },
  },
  {
    name: 'create#half',
    pick: (calls) => half(calls, 'create'),
    expectation: 'all of A, plus the empty temp files created so far',
    check: (ctx) => {
      expectAllA(ctx);
      expect(ctx.outcome.temps).toEqual({ empty: callsBefore(ctx, 'create'), partial: 0, complete: 0 });
      expect(ctx.outcome.temps.empty).toBeGreaterThan(1);
    },
  },
  {
    name: 'append#half',
    pick: (calls) => half(calls, 'append'),
    expectation: 'all of A, plus temp files half written: the partial writes are there, but only in temp files',
    check: (ctx) => {
      expectAllA(ctx);
      const { temps } = ctx.outcome;
      expect(temps.empty + temps.partial + temps.complete).toBe(callsBefore(ctx, 'create'));
      expect(temps.partial, 'temp files holding part of a feed').toBeGreaterThan(10);
    },
    rebuild: true,
  },
  {
    name: 'close#half',
    pick: (calls) => half(calls, 'close'),
    expectation: 'all of A while temp files are completed and synced in path order',
    check: (ctx) => {
      expectAllA(ctx);
      expect(ctx.outcome.temps.complete).toBeGreaterThanOrEqual(callsBefore(ctx, 'close'));
      expect(ctx.outcome.temps.complete).toBeLessThan(ctx.full.totals.create ?? 0);
    },
  },
  {
    name: 'rename#1',
    pick: (calls) => indexOf(calls, 'rename', 1),
    expectation: 'all of A, and every changed feed complete in its temp file, ready to be renamed',
    check: (ctx) => {
      expectAllA(ctx);
      expect(ctx.outcome.temps).toEqual({ empty: 0, partial: 0, complete: ctx.full.totals.rename });
    },
  },
  {
    name: 'rename#half',
    pick: (calls) => half(calls, 'rename'),
    expectation: 'A and B mixed: the feeds before the kill in path order are B, the rest still A, each whole',
    check: (ctx) => {
      const { outcome } = ctx;
      expect(outcome.shared.A, "feeds still A's").toBeGreaterThan(0);
      expect(outcome.shared.B, "feeds already B's").toBeGreaterThan(0);
      expect(outcome.shared.B + outcome.bOnly.present).toBe(callsBefore(ctx, 'rename'));
      expect(outcome.aOnly.present).toBe(outcome.aOnly.of);
      expect(outcome.temps.complete).toBe((ctx.full.totals.rename ?? 0) - callsBefore(ctx, 'rename'));
    },
    rebuild: true,
  },
  {
    name: 'rename#last',
    pick: lastRename,
    expectation: 'A and B mixed: every feed but the last in path order is B',
    check: (ctx) => {
      expect(ctx.outcome.shared).toEqual({ A: 1, B: ctx.totalShared - 1 });
      expect(ctx.outcome.aOnly.present).toBe(ctx.outcome.aOnly.of);
      expect(ctx.outcome.temps).toEqual({ empty: 0, partial: 0, complete: 1 });
    },
  },
  {
    name: 'the call after rename#last',
    pick: (calls) => lastRename(calls) + 1,
    expectation: "all of B in place, A's stale category feeds not yet pruned",
    check: (ctx) => {
      expectAllB(ctx);
      expect(ctx.outcome.aOnly.present).toBe(ctx.outcome.aOnly.of);
      expect(ctx.outcome.aOnly.of).toBeGreaterThan(1);
    },
  },
  {
    name: "the prune's unlink#2",
    pick: (calls) => pruneUnlink(calls, 2),
    expectation: 'all of B in place while the stale feeds are being removed',
    check: (ctx) => {
      expectAllB(ctx);
      expect(ctx.outcome.aOnly.present).toBe(ctx.outcome.aOnly.of - 1);
    },
  },
  {
    name: 'rmdir#1',
    pick: (calls) => indexOf(calls, 'rmdir', 1),
    expectation: "exactly B's files; the pruned category's folder is left empty",
    check: (ctx) => {
      expectAllB(ctx);
      expect(ctx.outcome.aOnly.present).toBe(0);
    },
    rebuild: true,
  },
];

// ---- the test ---------------------------------------------------------------------------------------

describe('SIGKILL during a build, at exact points of the write phase', () => {
  let siteA: string;
  let siteB: string;
  let work: string;
  let refA: string;
  let refB: string;
  let out: string;
  let snapA: Map<string, string>;
  let snapB: Map<string, string>;
  let dirsA: string[];
  let dirsB: string[];
  let full: CallLog;

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
    dirsA = walk(refA).dirs.sort();
    dirsB = walk(refB).dirs.sort();
    // The fixture does what the test needs: big feeds, a folder only A has and one only B has, every shared feed changed.
    expect(snapA.has('categories/sport/rss.xml') && !snapB.has('categories/sport/rss.xml')).toBe(true);
    expect(snapB.has('categories/athletics/rss.xml') && !snapA.has('categories/athletics/rss.xml')).toBe(true);
    // Every feed differs between A and B (the shared stylesheet does not, and need not).
    for (const [p, h] of snapB) if (snapA.has(p) && !p.endsWith('.xsl')) expect(snapA.get(p), p).not.toBe(h);
    for (const dir of [refA, refB]) for (const f of walk(dir).files) expect(statSync(path.join(dir, f)).size, f).toBeGreaterThan(0);
    expect(statSync(path.join(refB, 'rss.xml')).size).toBeGreaterThan(1_000_000);
    expect(statSync(path.join(refB, 'categories', 'news', 'rss.xml')).size, 'a category feed spans several writes').toBeGreaterThan(100_000);

    // One full build of B over A through the counting WriteIo: the calls the kill points are chosen from.
    restore(refA, out);
    const counted = await buildWithCalls('count', siteB, out);
    expect(counted.exit.code, counted.exit.stderr).toBe(0);
    expect(snapshot(out)).toEqual(snapB);
    full = counted.log;
    console.log(`kill test: one full build of B over A makes ${counted.exit.stdout.trim()}`);
  }, 240_000);

  afterAll(() => {
    for (const dir of [siteA, siteB, work]) if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
  });

  const rel = (file: string): string => path.relative(out, file).split(path.sep).join('/');

  /**
   * The crash-safety invariants, from the folder alone: every feed path of A or B that exists holds exactly
   * A's or B's bytes; a feed both have never goes missing; a feed only A has goes missing only once all of B
   * is in place; nothing else is there but temp files, each empty or a prefix of B's bytes for its target.
   */
  function inspect(label: string): Outcome {
    const { files } = walk(out);
    const stray = files.filter((f) => !isTemp(f) && f !== LOCK_FILE && !snapA.has(f) && !snapB.has(f));
    expect(stray, `${label}: files that are neither A's nor B's`).toEqual([]);
    const state = new Map<string, 'A' | 'B' | 'missing'>();
    for (const p of [...new Set([...snapA.keys(), ...snapB.keys()])].sort()) {
      const file = path.join(out, p);
      if (!existsSync(file)) {
        state.set(p, 'missing');
        continue;
      }
      const h = sha256(file);
      const version = h === snapA.get(p) ? 'A' : h === snapB.get(p) ? 'B' : undefined;
      if (version === undefined) expect.fail(`${label}: ${p} is neither A's nor B's version (${statSync(file).size} bytes) — a partial or foreign feed`);
      state.set(p, version);
    }
    // A file the same in A and B (the stylesheet) reads as A's, and is B's too.
    const allB = [...snapB.keys()].every((p) => state.get(p) === 'B' || (state.get(p) === 'A' && snapA.get(p) === snapB.get(p)));
    let sharedA = 0;
    let sharedB = 0;
    let aOnly = 0;
    let aOnlyPresent = 0;
    let bOnly = 0;
    let bOnlyPresent = 0;
    for (const [p, s] of state) {
      if (snapA.has(p) && snapB.has(p)) {
        expect(s, `${label}: ${p} exists in A and B, so must never go missing`).not.toBe('missing');
        if (snapA.get(p) === snapB.get(p)) continue;
        if (s === 'A') sharedA++;
        else sharedB++;
      } else if (snapA.has(p)) {
        aOnly++;
        if (s === 'missing') expect(allB, `${label}: ${p} was pruned before all of B was in place`).toBe(true);
        else aOnlyPresent++;
      } else {
        bOnly++;
        if (s !== 'missing') bOnlyPresent++;
      }
    }
    const temps = { empty: 0, partial: 0, complete: 0 };
    for (const t of files.filter(isTemp)) {
      const bytes = readFileSync(path.join(out, t));
      const target = targetOf(t);
      expect(snapB.has(target), `${label}: ${t} is a temp file for ${target}, which B does not have`).toBe(true);
      const want = readFileSync(path.join(refB, target));
      expect(bytes.length <= want.length && bytes.equals(want.subarray(0, bytes.length)), `${label}: ${t} (${bytes.length} bytes) is not a prefix of B's ${target}`).toBe(true);
      temps[bytes.length === 0 ? 'empty' : bytes.length < want.length ? 'partial' : 'complete']++;
    }
    return { shared: { A: sharedA, B: sharedB }, aOnly: { present: aOnlyPresent, of: aOnly }, bOnly: { present: bOnlyPresent, of: bOnly }, temps };
  }

  /**
   * What the calls made before the kill leave, exactly: A's files and folders, changed call by call (mkdir
   * adds folders, create adds an empty temp file, append grows it, rename puts B's bytes at its target,
   * unlink and rmdir remove). Returns path → expected contents (`A`, `B`, or a temp file's size) and folders.
   */
  function predict(calls: readonly Call[]): { files: Map<string, 'A' | 'B' | number>; dirs: string[] } {
    const files = new Map<string, 'A' | 'B' | number>([...snapA.keys()].map((p) => [p, 'A' as const]));
    const dirs = new Set(dirsA);
    for (const call of calls) {
      const p = rel(call.path);
      if (call.op === 'mkdir') for (let d = p; d !== '.' && d !== ''; d = path.posix.dirname(d)) dirs.add(d);
      else if (call.op === 'create') files.set(p, 0);
      else if (call.op === 'append') files.set(p, (files.get(p) as number) + (call.bytes ?? 0));
      else if (call.op === 'rename') {
        files.delete(p);
        files.set(rel(call.to as string), 'B');
      } else if (call.op === 'unlink') files.delete(p);
      else if (call.op === 'rmdir') dirs.delete(p);
    }
    return { files, dirs: [...dirs].sort() };
  }

  /** Asserts the folder is exactly `predict`'s (temp names carry the killed process's id and a counter). */
  function expectPredicted(label: string, calls: readonly Call[], pid: number): void {
    const { files, dirs } = predict(calls);
    const found = walk(out);
    // The output lock is taken outside the WriteIo calls, around the commit: a build killed while it holds it
    // leaves it, naming its pid, and the next build takes it over (the rebuild check below finds it gone).
    if (found.files.includes(LOCK_FILE)) expect(readFileSync(path.join(out, LOCK_FILE), 'utf8').split(' ')[0], `${label}: the lock left is the killed build's`).toBe(String(pid));
    found.files = found.files.filter((f) => f !== LOCK_FILE);
    const named = (f: string): string => f.replace(new RegExp(`(^|/)\\.feedwright-${pid}-\\d+-`), '$1.feedwright-PID-N-');
    expect(found.files.map(named).sort(), `${label}: the files the calls before the kill leave`).toEqual([...files.keys()].sort());
    expect(found.dirs.sort(), `${label}: the folders the calls before the kill leave`).toEqual(dirs);
    for (const f of found.files) {
      const want = files.get(named(f));
      const file = path.join(out, f);
      if (typeof want === 'number') expect(statSync(file).size, `${label}: size of ${f}`).toBe(want);
      else expect(sha256(file), `${label}: ${f} holds ${String(want)}'s bytes`).toBe((want === 'A' ? snapA : snapB).get(f));
    }
  }

  for (const point of KILL_POINTS) {
    it(`SIGKILL before ${point.name}: ${point.expectation}${point.rebuild === true ? '; the next build leaves exactly B' : ''}`, async () => {
      const at = point.pick(full.calls);
      const call = full.calls[at] as Call;
      const spec = `${call.op}#${call.n}`;
      const label = `killed before ${spec} (${point.name}, call ${at + 1} of ${full.calls.length})`;
      restore(refA, out);
      const { exit, log } = await buildWithCalls(spec, siteB, out);
      expect(exit.signal, `${label}: ${exit.stderr}`).toBe('SIGKILL');
      // The killed build made exactly the calls the full build made before that point: the point is reproducible.
      expect(log.killedBefore, label).toEqual(call);
      expect(log.calls, label).toEqual(full.calls.slice(0, at));

      const outcome = inspect(label);
      expectPredicted(label, log.calls, log.pid);
      const totalShared = [...snapB.keys()].filter((p) => snapA.has(p) && snapA.get(p) !== snapB.get(p)).length;
      point.check({ full, at, outcome, totalShared });
      const { shared, aOnly, bOnly, temps } = outcome;
      console.log(`${label}: feeds A ${shared.A} / B ${shared.B}; stale ${aOnly.present}/${aOnly.of}; new ${bOnly.present}/${bOnly.of}; temp files ${temps.empty} empty, ${temps.partial} partial, ${temps.complete} complete`);

      if (point.rebuild === true) {
        await buildToEnd(siteB, out);
        const after = walk(out);
        expect(after.files.filter(isTemp), `${label}, then rebuilt: temp files left`).toEqual([]);
        expect(after.dirs.sort(), `${label}, then rebuilt: folders`).toEqual(dirsB);
        expect(existsSync(path.join(out, 'categories', 'sport'))).toBe(false);
        expect(snapshot(out)).toEqual(snapB);
      }
    }, 120_000);
  }
});
