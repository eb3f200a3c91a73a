/**
 * `feedwright build` (and the flags `check` shares with it). Every flag is one row of `BUILD_FLAGS`: its
 * parseArgs type, its line in the usage, and nothing else; `toBuildOptions` turns the parsed values into
 * `BuildOptions`. Adding a flag is a row there and a line in `toBuildOptions`.
 */
import { accessSync, constants, realpathSync, statSync, type Stats } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import type { BuildOptions, BuildProgress, publish, PublishOptions } from '../build.js';
import { dropEarly, listEarly } from '../load/prefetch.js';
import { isInside } from '../load/read.js';
import { formatDiagnostic, FeedwrightError, type Diagnostic } from '../errors.js';
import { replayPublish } from '../write/manifest.js';
import { GENERATOR } from '../version.js';
import { FEED_FILE_NAMES } from '../write/feed-files.js';
import { UsageError, wholeNumber, type CliIo } from './io.js';

/** One flag: how parseArgs reads it and how the usage shows it (no `help`: accepted but not shown). */
interface Flag {
  readonly type: 'string' | 'boolean';
  readonly short?: string;
  /** The value's placeholder in the usage, e.g. `DIR`. */
  readonly arg?: string;
  /** The usage text, one string per line. */
  readonly help?: readonly string[];
}

/** The flags of `build` and `check`, in the order the usage lists them. */
export const BUILD_FLAGS = {
  content: { type: 'string', arg: 'DIR', help: ['content folder (_config.yml, _posts/) [default: content]'] },
  out: { type: 'string', arg: 'DIR', help: ['output folder (build) [default: output]'] },
  output: { type: 'string', arg: 'DIR', help: ['published feeds to verify (check)'] },
  'skip-invalid': { type: 'boolean', help: ['publish the valid posts; report invalid ones as warnings'] },
  future: { type: 'boolean', help: ["publish posts dated in the future (Jekyll's future: true)"] },
  unpublished: { type: 'boolean', help: ['publish posts with published: false'] },
  drafts: { type: 'boolean', help: ["publish the drafts of every _drafts/ folder too (Jekyll's --drafts, show_drafts)"] },
  limit: { type: 'string', arg: 'N', help: ['items per feed, 0 for all (overrides feed.posts_limit)'] },
  url: { type: 'string', arg: 'URL', help: ['site URL (overrides url)'] },
  baseurl: { type: 'string', arg: 'PATH', help: ['site base path (overrides baseurl)'] },
  timezone: { type: 'string', arg: 'ZONE', help: ['IANA time zone (overrides timezone)'] },
  now: { type: 'string', arg: 'ISO-INSTANT', help: ['the build clock, for reproducible builds [default: the current time]'] },
  'max-post-bytes': { type: 'string', arg: 'N', help: ['report post files larger than N bytes instead of reading them [default: 10485760]'] },
  'cache-dir': { type: 'string', arg: 'DIR', help: ['build cache, so a rebuild re-reads and re-renders only changed posts', '[default: .feedwright-cache]'] },
  'no-cache': { type: 'boolean', help: ['build without the cache'] },
  workers: { type: 'string', arg: 'N', help: ['worker threads for rendering large sites, beside the main thread (0: none) [default: one fewer than the cores]'] },
  'worker-threshold': { type: 'string' },
  quiet: { type: 'boolean', help: ['print errors only'] },
  help: { type: 'boolean', short: 'h', help: ['show this help'] },
  version: { type: 'boolean', short: 'v', help: ['show the version'] },
} as const satisfies Readonly<Record<string, Flag>>;

/** The build cache folder unless `--cache-dir` says otherwise (also what `cache clean` removes). */
export const DEFAULT_CACHE_DIR = '.feedwright-cache';

/** The options block of a usage text, from a flag table. */
export function formatFlags(flags: Readonly<Record<string, Flag>>): string {
  let out = '';
  for (const [name, flag] of Object.entries(flags)) {
    if (flag.help === undefined) continue;
    const left = `${flag.short === undefined ? '' : `-${flag.short}, `}--${name}${flag.arg === undefined ? '' : ` ${flag.arg}`}`;
    const [first = '', ...rest] = flag.help;
    out += `  ${left.padEnd(22)}${first}\n`;
    for (const line of rest) out += `${' '.repeat(24)}${line}\n`;
  }
  return out;
}

/** `feedwright --help`: the commands, and the flags of build and check. */
export const USAGE = `Usage: feedwright <command> [options]

Commands:
  build    Build RSS 2.0, Atom 1.0 and JSON Feed 1.1 files from a Jekyll-style content folder
  check    Validate the content folder and report every problem; writes nothing.
           With --output DIR, also re-read the published feeds in DIR and verify they parse
  serve    Serve the output folder on 127.0.0.1 as a host should (see feedwright serve --help)
  ping     Notify WebSub hubs of feeds that changed since the last ping (see feedwright ping --help)
  cache    cache clean: remove the build cache folder (see feedwright cache --help)

Options:
${formatFlags(BUILD_FLAGS)}`;

/** `build` and `check` flags as parseArgs returns them. */
export type BuildFlagValues = ReturnType<typeof parseBuildFlags>['values'];

/** Parses `build`/`check` arguments (the command name removed); throws on an unknown flag. Typed by parseArgs from BUILD_FLAGS. */
export function parseBuildFlags(argv: readonly string[]) {
  return parseArgs({ args: [...argv], options: BUILD_FLAGS, allowPositionals: true, strict: true });
}

/** `BuildOptions` from the parsed flags; `check` never writes, so it gets no cache. Throws UsageError. */
export function toBuildOptions(values: BuildFlagValues, io: CliIo, command: 'build' | 'check'): BuildOptions {
  const limit = wholeNumber('limit', values.limit);
  const maxFileBytes = wholeNumber('max-post-bytes', values['max-post-bytes']);
  const workers = wholeNumber('workers', values.workers);
  const workerThreshold = wholeNumber('worker-threshold', values['worker-threshold']);
  const now = values.now === undefined ? io.now() : new Date(values.now);
  if (Number.isNaN(now.getTime()) || (values.now !== undefined && !/(Z|[+-]\d{2}:?\d{2})$/.test(values.now))) {
    throw new UsageError(`--now takes an ISO 8601 instant with an offset (e.g. 2026-06-01T00:00:00Z), got '${values.now ?? ''}'`);
  }
  const contentArg = values.content ?? 'content';
  return {
    contentDir: path.resolve(io.cwd, contentArg),
    displayDir: contentArg,
    now,
    skipInvalid: values['skip-invalid'] === true,
    // The CLI's process runs nothing but the build: it may hold V8's heap growth for the build's duration.
    boundHeap: true,
    ...(maxFileBytes === undefined ? {} : { maxFileBytes }),
    ...(workers === undefined ? {} : { workers }),
    ...(workerThreshold === undefined ? {} : { workerThreshold }),
    ...(values['no-cache'] === true || command === 'check' ? {} : { cacheDir: path.resolve(io.cwd, values['cache-dir'] ?? DEFAULT_CACHE_DIR) }),
    overrides: {
      ...(values.url === undefined ? {} : { url: values.url }),
      ...(values.baseurl === undefined ? {} : { baseurl: values.baseurl }),
      ...(values.timezone === undefined ? {} : { timezone: values.timezone }),
      ...(limit === undefined ? {} : { postsLimit: limit }),
      ...(values.future === true ? { future: true } : {}),
      ...(values.unpublished === true ? { unpublished: true } : {}),
      ...(values.drafts === true ? { drafts: true } : {}),
    },
  };
}

/** Prints diagnostics to stderr: errors always, warnings unless quiet. */
export function reportDiagnostics(io: CliIo, diagnostics: readonly Diagnostic[], quiet: boolean): void {
  for (const d of diagnostics) {
    if (d.severity === 'error' || !quiet) io.stderr(`${formatDiagnostic(d)}\n`);
  }
}

/**
 * Parses `build`/`check` arguments and handles what they share: usage errors (exit 2), --help, --version,
 * a stray argument. Returns the options, or the exit code when the command is done.
 */
export function prepareBuildCommand(argv: readonly string[], io: CliIo, command: 'build' | 'check'): { values: BuildFlagValues; options: BuildOptions } | number {
  let parsed;
  try {
    parsed = parseBuildFlags(argv);
  } catch (cause) {
    io.stderr(`feedwright: ${(cause as Error).message}\n\n${USAGE}`);
    return 2;
  }
  const { values, positionals } = parsed;
  if (values.version === true) {
    io.stdout(`${GENERATOR.name} ${GENERATOR.version}\n`);
    return 0;
  }
  if (values.help === true) {
    io.stdout(USAGE);
    return 0;
  }
  if (positionals.length > 0) {
    io.stderr(`feedwright: unexpected argument '${positionals[0] ?? ''}'\n\n${USAGE}`);
    return 2;
  }
  try {
    return { values, options: toBuildOptions(values, io, command) };
  } catch (cause) {
    if (cause instanceof UsageError) {
      io.stderr(`feedwright: ${cause.message}\n`);
      return 2;
    }
    throw cause;
  }
}

// The real path of `p`: its deepest existing ancestor resolved (symlinks and all), the rest appended.
function toRealPath(p: string): string {
  const rest: string[] = [];
  let at = p;
  for (;;) {
    try {
      return path.join(realpathSync(at), ...rest.reverse());
    } catch {
      const parent = path.dirname(at);
      if (parent === at) return p;
      rest.push(path.basename(at));
      at = parent;
    }
  }
}

// A stat that is undefined for a path that does not exist, also below a file (ENOTDIR).
function statIfAny(p: string): Stats | undefined {
  try {
    return statSync(p);
  } catch {
    return undefined;
  }
}

/**
 * Why `--out` cannot take this build's feeds, or undefined when it can; checked before anything is written.
 * Refused: the file system root, the content folder or a folder that holds it (the build would write into
 * the site it reads, and prune feed files among the site's own), a file, and a folder that cannot be written.
 * A folder inside the content folder is refused unless Jekyll would not read it, because otherwise the next
 * `jekyll build` publishes the feeds as site pages and feedwright's stale-feed pruning runs inside the
 * site: Jekyll's EntryFilter skips names starting with `_` or `.` and paths listed in `exclude`
 * (`_site/feeds`, `.feeds`, or `exclude: [feeds]` are the usual patterns), and only those are accepted.
 */
export async function checkOutDir(contentDir: string, outDir: string, outArg: string): Promise<{ readonly problem?: string; readonly warning?: string }> {
  const out = toRealPath(outDir);
  const content = toRealPath(contentDir);
  if (out === path.parse(out).root) return { problem: `--out ${outArg} is the file system root; give the feeds a folder of their own (e.g. --out output)` };
  const info = statIfAny(out);
  if (info !== undefined && !info.isDirectory()) return { problem: `--out ${outArg} names a file, not a folder; give a folder for the feeds` };
  if (isInside(out, content)) return { problem: `--out ${outArg} is the content folder or holds it; the build would write into the site it reads (give a folder outside it, e.g. --out output)` };
  let warning: string | undefined;
  if (isInside(content, out)) {
    // Inside the site: refused only where feedwright itself reads (a _posts/, _drafts/, _data/ or _includes/
    // tree), where the feeds would become input. Any other folder is fine for feedwright — `--content .` with
    // the default `--out output` must just work — but Jekyll would copy it into _site/ unless it is excluded.
    const rel = path.relative(content, out).split(path.sep).join('/');
    const segments = rel.split('/');
    if (segments.some((s) => s === '_posts' || s === '_drafts') || ['_data', '_includes'].includes(segments[0] ?? '')) {
      return { problem: `--out ${outArg} is inside a folder feedwright reads as input (${segments.find((s) => s.startsWith('_')) ?? rel}); give a folder outside it, e.g. --out output` };
    }
    // Loaded here only: a rebuild that the manifest replays reads no YAML at all.
    const [{ loadConfig }, { toExcludeTest }] = await Promise.all([import('../config.js'), import('../load/site.js')]);
    const { config } = /^[._]/.test(segments[0] ?? '') ? { config: undefined } : await loadConfig(contentDir, contentDir);
    if (!/^[._]/.test(segments[0] ?? '') && (config === undefined || !toExcludeTest(config)(rel))) {
      warning = `--out ${outArg} is inside the site folder and not excluded, so Jekyll would also copy the feeds into _site/; add \`${segments[0] ?? rel}\` to exclude in _config.yml if that is not meant`;
    }
  }
  let existing = out;
  for (let at = statIfAny(existing); at?.isDirectory() !== true; at = statIfAny(existing)) {
    if (at !== undefined) return { problem: `--out ${outArg} is below ${existing}, which is a file, not a folder` };
    if (path.dirname(existing) === existing) break;
    existing = path.dirname(existing);
  }
  try {
    accessSync(existing, constants.W_OK);
  } catch (cause) {
    return { problem: `--out ${outArg} cannot be written (${(cause as NodeJS.ErrnoException).code ?? 'no access'} on ${existing}); give a folder you can write to` };
  }
  return warning === undefined ? {} : { warning };
}

/** Builds this large or larger show a progress line on a terminal. */
const PROGRESS_MIN_POSTS = 2_000;

/** Builds without the manifest's replay (it was tried), listing `_posts/` while the build's modules load. */
async function buildNow(request: PublishOptions, onProgress: ((p: BuildProgress) => void) | undefined): ReturnType<typeof publish> {
  let posts: string | undefined;
  try {
    posts = path.join(realpathSync(request.contentDir), '_posts');
    void listEarly(posts);
  } catch {
    // No content folder: the build reports it.
  }
  try {
    return await (await import('../build.js')).publish({ ...request, replay: false, ...(onProgress === undefined ? {} : { onProgress }) });
  } finally {
    // Not left for a later build in this process (`run` called again) when this one stopped before its walk.
    if (posts !== undefined) dropEarly(posts);
  }
}

/** Runs `feedwright build` with its own arguments; returns the exit code (0 ok, 1 build failed, 2 usage). */
export async function runBuild(argv: readonly string[], io: CliIo): Promise<number> {
  const prepared = prepareBuildCommand(argv, io, 'build');
  if (typeof prepared === 'number') return prepared;
  const { values, options } = prepared;
  const outArg = values.out ?? 'output';
  const quiet = values.quiet === true;
  const outCheck = await checkOutDir(options.contentDir, path.resolve(io.cwd, outArg), outArg);
  if (outCheck.problem !== undefined) {
    io.stderr(`feedwright: ${outCheck.problem}\n`);
    return 2;
  }
  if (outCheck.warning !== undefined) io.stderr(`feedwright: warning: ${outCheck.warning}\n`);
  const started = process.hrtime.bigint();
  let shown = false;
  const onProgress = (p: BuildProgress): void => {
    if (p.stage === 'scanned' && p.total < PROGRESS_MIN_POSTS) return;
    if (p.stage === 'rendered' && !shown) return;
    shown = true;
    const seconds = (Number(process.hrtime.bigint() - started) / 1e9).toFixed(1);
    io.stderr(`\r\x1b[K${p.stage === 'scanned' ? `scanned ${p.total} posts` : `rendered ${p.done}/${p.total} items`} (${seconds} s)`);
  };
  try {
    const request = { ...options, outDir: path.resolve(io.cwd, outArg), ...(io.writeIo === undefined ? {} : { io: io.writeIo }) };
    // An unchanged site is answered from the build manifest before the pipeline's modules are even loaded.
    // Otherwise `_posts/` is listed while they load (see load/prefetch.ts).
    const result = replayPublish(request) ?? (await buildNow(request, io.progress === true && !quiet ? onProgress : undefined));
    if (shown) io.stderr('\r\x1b[K');
    reportDiagnostics(io, result.diagnostics, quiet);
    const written = result.report;
    if (!quiet) {
      for (const feed of result.feeds) {
        const dir = path.posix.join(outArg, feed.dir);
        io.stdout(`${dir}/{${FEED_FILE_NAMES.join(',')}}  ${feed.items} item${feed.items === 1 ? '' : 's'}  ${feed.title}\n`);
      }
      const ms = Number((process.hrtime.bigint() - started) / 1_000_000n);
      const fileCount = written.written.length + written.unchanged.length;
      io.stdout(`${result.stats.postsRead} posts read, ${result.stats.published} published, ${result.stats.skipped} skipped; ${fileCount} files (${written.written.length} changed, ${written.removed.length} stale removed) in ${ms} ms\n`);
    }
    return 0;
  } catch (cause) {
    if (cause instanceof FeedwrightError) {
      reportDiagnostics(io, cause.diagnostics, quiet);
      const errors = cause.diagnostics.filter((d) => d.severity === 'error').length;
      io.stderr(`feedwright: build failed with ${errors} error${errors === 1 ? '' : 's'}; nothing was written (the previous feeds are intact)\n`);
      return 1;
    }
    throw cause;
  }
}
