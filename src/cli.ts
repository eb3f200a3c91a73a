/** The CLI: `run(argv, io)` returns an exit code (0 ok, 1 build failed, 2 usage error). */
import path from 'node:path';
import { parseArgs } from 'node:util';
import { build, publish, type BuildProgress } from './build.js';
import { verifyOutput } from './check.js';
import { runPing } from './ping.js';
import { runServe } from './serve.js';
import { formatDiagnostic, FeedwrightError, type Diagnostic } from './errors.js';
import type { WriteIo } from './write/output.js';
import { GENERATOR } from './version.js';

/** What the CLI may touch; tests pass their own. */
export interface CliIo {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
  readonly cwd: string;
  /** The clock, read once per build (only to decide which posts are still in the future). */
  readonly now: () => Date;
  readonly writeIo?: WriteIo;
  /** True when stderr is a terminal: large builds then show a progress line there. */
  readonly progress?: boolean;
}

/** Builds this large or larger show a progress line on a terminal. */
const PROGRESS_MIN_POSTS = 2_000;

const USAGE = `Usage: feedwright <command> [options]

Commands:
  build    Build RSS 2.0, Atom 1.0 and JSON Feed 1.1 files from a Jekyll-style content folder
  check    Validate the content folder and report every problem; writes nothing.
           With --output DIR, also re-read the published feeds in DIR and verify they parse
  serve    Serve the output folder on 127.0.0.1 as a host should (see feedwright serve --help)
  ping     Notify WebSub hubs of feeds that changed since the last ping (see feedwright ping --help)

Options:
  --content DIR         content folder (_config.yml, _posts/) [default: content]
  --out DIR             output folder (build) [default: output]
  --output DIR          published feeds to verify (check)
  --skip-invalid        publish the valid posts; report invalid ones as warnings
  --future              publish posts dated in the future (Jekyll's future: true)
  --unpublished         publish posts with published: false
  --limit N             items per feed, 0 for all (overrides feed.posts_limit)
  --url URL             site URL (overrides url)
  --baseurl PATH        site base path (overrides baseurl)
  --timezone ZONE       IANA time zone (overrides timezone)
  --now ISO-INSTANT     the build clock, for reproducible builds [default: the current time]
  --max-post-bytes N    report post files larger than N bytes instead of reading them [default: 10485760]
  --cache-dir DIR       build cache, so a rebuild re-reads and re-renders only changed posts
                        [default: .feedwright-cache]
  --no-cache            build without the cache
  --workers N           worker threads for scanning large sites (0: none) [default: one per core]
  --quiet               print errors only
  -h, --help            show this help
  -v, --version         show the version
`;

const OPTIONS = {
  content: { type: 'string' },
  out: { type: 'string' },
  output: { type: 'string' },
  'skip-invalid': { type: 'boolean' },
  future: { type: 'boolean' },
  unpublished: { type: 'boolean' },
  limit: { type: 'string' },
  url: { type: 'string' },
  baseurl: { type: 'string' },
  timezone: { type: 'string' },
  now: { type: 'string' },
  'max-post-bytes': { type: 'string' },
  'cache-dir': { type: 'string' },
  'no-cache': { type: 'boolean' },
  workers: { type: 'string' },
  'worker-threshold': { type: 'string' },
  quiet: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
  version: { type: 'boolean', short: 'v' },
} as const;

class UsageError extends Error {}

function wholeNumber(name: string, text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  if (!/^\d+$/.test(text)) throw new UsageError(`--${name} takes a whole number, got '${text}'`);
  return Number(text);
}

/** Runs the CLI with `argv` (without `node` and the script). */
export async function run(argv: readonly string[], io: CliIo): Promise<number> {
  // Commands with flags of their own parse them themselves.
  if (argv[0] === 'serve') return runServe(argv.slice(1), io);
  if (argv[0] === 'ping') return runPing(argv.slice(1), io);
  let parsed;
  try {
    parsed = parseArgs({ args: [...argv], options: OPTIONS, allowPositionals: true, strict: true });
  } catch (cause) {
    io.stderr(`feedwright: ${(cause as Error).message}\n\n${USAGE}`);
    return 2;
  }
  const { values, positionals } = parsed;
  if (values.version === true) {
    io.stdout(`${GENERATOR.name} ${GENERATOR.version}\n`);
    return 0;
  }
  const command = positionals[0];
  if (values.help === true || command === 'help') {
    io.stdout(USAGE);
    return 0;
  }
  if (command !== 'build' && command !== 'check') {
    io.stderr(`feedwright: ${command === undefined ? 'no command given' : `unknown command '${command}'`}\n\n${USAGE}`);
    return 2;
  }
  if (positionals.length > 1) {
    io.stderr(`feedwright: unexpected argument '${positionals[1] ?? ''}'\n\n${USAGE}`);
    return 2;
  }
  let now: Date;
  let limit: number | undefined;
  let maxFileBytes: number | undefined;
  let workers: number | undefined;
  let workerThreshold: number | undefined;
  try {
    limit = wholeNumber('limit', values.limit);
    maxFileBytes = wholeNumber('max-post-bytes', values['max-post-bytes']);
    workers = wholeNumber('workers', values.workers);
    workerThreshold = wholeNumber('worker-threshold', values['worker-threshold']);
    now = values.now === undefined ? io.now() : new Date(values.now);
    if (Number.isNaN(now.getTime()) || (values.now !== undefined && !/(Z|[+-]\d{2}:?\d{2})$/.test(values.now))) {
      throw new UsageError(`--now takes an ISO 8601 instant with an offset (e.g. 2026-06-01T00:00:00Z), got '${values.now ?? ''}'`);
    }
  } catch (cause) {
    if (cause instanceof UsageError) {
      io.stderr(`feedwright: ${cause.message}\n`);
      return 2;
    }
    throw cause;
  }
  const contentArg = values.content ?? 'content';
  const outArg = values.out ?? 'output';
  const quiet = values.quiet === true;
  const report = (diagnostics: readonly Diagnostic[]): void => {
    for (const d of diagnostics) {
      if (d.severity === 'error' || !quiet) io.stderr(`${formatDiagnostic(d)}\n`);
    }
  };
  const started = process.hrtime.bigint();
  try {
    const outDir = path.resolve(io.cwd, outArg);
    const options = {
      contentDir: path.resolve(io.cwd, contentArg),
      displayDir: contentArg,
      now,
      skipInvalid: values['skip-invalid'] === true,
      ...(maxFileBytes === undefined ? {} : { maxFileBytes }),
      ...(workers === undefined ? {} : { workers }),
      ...(workerThreshold === undefined ? {} : { workerThreshold }),
      // `check` never writes, not even the cache.
      ...(values['no-cache'] === true || command === 'check' ? {} : { cacheDir: path.resolve(io.cwd, values['cache-dir'] ?? '.feedwright-cache') }),
      overrides: {
        ...(values.url === undefined ? {} : { url: values.url }),
        ...(values.baseurl === undefined ? {} : { baseurl: values.baseurl }),
        ...(values.timezone === undefined ? {} : { timezone: values.timezone }),
        ...(limit === undefined ? {} : { postsLimit: limit }),
        ...(values.future === true ? { future: true } : {}),
        ...(values.unpublished === true ? { unpublished: true } : {}),
      },
    };
    if (command === 'check') {
      const result = await build(options);
      report(result.diagnostics);
      if (!quiet) io.stdout(`${contentArg}: ${result.stats.postsRead} posts read, ${result.stats.published} publishable, ${result.stats.skipped} skipped, ${result.diagnostics.length} warnings\n`);
      if (values.output === undefined) return 0;
      const verified = await verifyOutput(path.resolve(io.cwd, values.output), values.output);
      report(verified.diagnostics);
      if (!quiet && verified.diagnostics.length === 0) io.stdout(`${values.output}: ${verified.files} feed files parse\n`);
      return verified.diagnostics.length === 0 ? 0 : 1;
    }
    let shown = false;
    const onProgress = (p: BuildProgress): void => {
      if (p.stage === 'scanned' && p.total < PROGRESS_MIN_POSTS) return;
      if (p.stage === 'rendered' && !shown) return;
      shown = true;
      const seconds = (Number(process.hrtime.bigint() - started) / 1e9).toFixed(1);
      io.stderr(`\r\x1b[K${p.stage === 'scanned' ? `scanned ${p.total} posts` : `rendered ${p.done}/${p.total} items`} (${seconds} s)`);
    };
    const result = await publish({ ...options, outDir, ...(io.writeIo === undefined ? {} : { io: io.writeIo }), ...(io.progress === true && !quiet ? { onProgress } : {}) });
    if (shown) io.stderr('\r\x1b[K');
    report(result.diagnostics);
    const written = result.report;
    if (!quiet) {
      for (const feed of result.feeds) {
        const dir = path.posix.join(outArg, feed.dir);
        io.stdout(`${dir}/{rss.xml,atom.xml,feed.json}  ${feed.items} item${feed.items === 1 ? '' : 's'}  ${feed.title}\n`);
      }
      const ms = Number((process.hrtime.bigint() - started) / 1_000_000n);
      const fileCount = written.written.length + written.unchanged.length;
      io.stdout(`${result.stats.postsRead} posts read, ${result.stats.published} published, ${result.stats.skipped} skipped; ${fileCount} files (${written.written.length} changed, ${written.removed.length} stale removed) in ${ms} ms\n`);
    }
    return 0;
  } catch (cause) {
    if (cause instanceof FeedwrightError) {
      report(cause.diagnostics);
      const errors = cause.diagnostics.filter((d) => d.severity === 'error').length;
      io.stderr(`feedwright: ${command} failed with ${errors} error${errors === 1 ? '' : 's'}; nothing was written${command === 'build' ? ' (the previous feeds are intact)' : ''}\n`);
      return 1;
    }
    throw cause;
  }
}
