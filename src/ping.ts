/**
 * `feedwright ping`: tells WebSub hubs which feeds changed since the last ping, so subscribers get new
 * posts pushed instead of polling. The feed files in the output folder are hashed and compared with a
 * state file that records, per feed URL, the hash last announced and the hubs that accepted it; only
 * what some hub has not yet accepted is sent. Planning and the next state are pure; reading the output,
 * the state file and the network are the ends.
 */
import { mapConcurrent } from './posts/load.js';
import { createHash, randomBytes } from 'node:crypto';
import type { Dirent } from 'node:fs';
import * as fsp from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import type { CliIo } from './cli.js';
import { loadConfig } from './config.js';
import { formatDiagnostic } from './errors.js';
import { toHttpUrl } from './render/urls.js';
import { GENERATOR } from './version.js';

/** A feed file found in the output folder. */
export interface FeedFile {
  /** POSIX path relative to the output folder, e.g. `categories/news/atom.xml`. */
  readonly path: string;
  /** Its public URL (url + baseurl + path), the feed's `rel="self"` and the WebSub topic. */
  readonly url: string;
  /** SHA-256 of the file's bytes (hex). */
  readonly sha256: string;
}

/** What earlier pings achieved: per feed URL, the hash last announced and the hubs that accepted it. */
export interface PingState {
  readonly feeds: Readonly<Record<string, { readonly sha256: string; readonly hubs: readonly string[] }>>;
}

/** One publish notification: this hub, this feed URL. */
export interface PingTask {
  readonly hub: string;
  readonly feedUrl: string;
}

/** The outcome of one notification. */
export interface PingResult extends PingTask {
  readonly ok: boolean;
  /** The hub's last HTTP status; absent when no answer came (network error, timeout). */
  readonly status?: number;
  readonly attempts: number;
  /** Why it failed; absent when it succeeded. */
  readonly reason?: string;
}

/** What `pingHubs` needs. */
export interface PingOptions {
  /** The output folder of `publish` / `feedwright build`. */
  readonly outDir: string;
  /** The site's `url` + `baseurl`, without a trailing slash, e.g. `https://news.example/blog`. */
  readonly siteUrl: string;
  /** WebSub hub URLs (http or https). */
  readonly hubs: readonly string[];
  /** The JSON state file; kept outside the served output folder. */
  readonly stateFile: string;
  /** Retries after a network error, timeout, 408, 429 or 5xx (default 2, so 3 attempts). */
  readonly retries?: number;
  /** Delay before the first retry, doubled for each further one (default 200 ms). */
  readonly retryDelayMs?: number;
  /** The longest `Retry-After` honoured; a hub asking for more is left for the next ping (default 30 s). */
  readonly maxRetryAfterMs?: number;
  /** Per-request timeout (default 10 s). */
  readonly timeoutMs?: number;
  /** Requests in flight at once (default 4). */
  readonly concurrency?: number;
  /** Plan only: send nothing, write no state. */
  readonly dryRun?: boolean;
  /** Defaults to the global `fetch`. */
  readonly fetch?: typeof fetch;
  /** Waits between retries; tests pass their own. */
  readonly sleep?: (ms: number) => Promise<void>;
}

/** What `pingHubs` did. */
export interface PingReport {
  /** Every feed file found, in path order. */
  readonly feeds: readonly FeedFile[];
  /** The notifications due (sent unless `dryRun`), feed by feed, hub by hub. */
  readonly planned: readonly PingTask[];
  /** Their outcomes, in the order of `planned`; empty on a dry run. */
  readonly results: readonly PingResult[];
  /** Whether the state file was rewritten (it is left alone when nothing changed in it). */
  readonly stateWritten: boolean;
  /** Why the state file was ignored, if it was (unreadable or not ours): every feed was then due. */
  readonly stateWarnings: readonly string[];
  /** Why the state file could not be written, if so: the next ping sends these notifications again. */
  readonly stateError?: string;
}

const FEED_FILE_NAMES = ['atom.xml', 'feed.json', 'rss.xml'] as const;
// Subscribable feeds only: RFC 5005 archive documents (archive/YYYY/MM/) are fixed history, not topics.
const FEED_DIRS = ['categories', 'tags'] as const;
const MAX_REDIRECTS = 5;
const STATE_FORMAT = 1;

/**
 * Notifies every hub of every feed in `outDir` it has not yet accepted in its current bytes, retrying
 * transient failures, and records the successes so the next call sends only what is still due.
 */
export async function pingHubs(options: PingOptions): Promise<PingReport> {
  const hubs = [...new Set(options.hubs.map((hub) => checkHubUrl(hub)))];
  const feeds = await findFeeds(options.outDir, options.siteUrl);
  const stateWarnings: string[] = [];
  const state = await readState(options.stateFile, stateWarnings);
  const planned = planPings(feeds, state, hubs);
  // An empty output folder (not built yet, or a wrong --out) must not erase what the state knows.
  if (options.dryRun === true || feeds.length === 0) return { feeds, planned, results: [], stateWritten: false, stateWarnings };
  const results = await mapConcurrent(planned, Math.max(1, options.concurrency ?? 4), (task) => notifyHub(task, options));
  const next = nextPingState(state, feeds, results, `${options.siteUrl}/`);
  if (serializeState(next) === serializeState(state)) return { feeds, planned, results, stateWritten: false, stateWarnings };
  try {
    await writeFileAtomic(options.stateFile, serializeState(next));
    return { feeds, planned, results, stateWritten: true, stateWarnings };
  } catch (cause) {
    return { feeds, planned, results, stateWritten: false, stateWarnings, stateError: `cannot write ${options.stateFile}: ${(cause as Error).message}` };
  }
}

/** The notifications due: each feed to each hub that has not accepted the feed's current bytes. */
export function planPings(feeds: readonly FeedFile[], state: PingState, hubs: readonly string[]): PingTask[] {
  const tasks: PingTask[] = [];
  for (const feed of feeds) {
    const known = Object.hasOwn(state.feeds, feed.url) ? state.feeds[feed.url] : undefined;
    for (const hub of hubs) {
      if (known?.sha256 === feed.sha256 && known.hubs.includes(hub)) continue;
      tasks.push({ hub, feedUrl: feed.url });
    }
  }
  return tasks;
}

/**
 * The state after a round of pings: a feed keeps the hubs that accepted its current bytes (earlier or
 * now), so a failed hub is asked again next time and a changed feed goes to every hub. Feeds under
 * `scope` (this site's URL) that are no longer in the output are dropped; other sites' entries are kept.
 */
export function nextPingState(state: PingState, feeds: readonly FeedFile[], results: readonly PingResult[], scope: string): PingState {
  const accepted = new Map<string, Set<string>>();
  for (const r of results) if (r.ok) accepted.set(r.feedUrl, (accepted.get(r.feedUrl) ?? new Set()).add(r.hub));
  const entries = new Map<string, { sha256: string; hubs: readonly string[] }>();
  for (const [url, entry] of Object.entries(state.feeds)) if (!url.startsWith(scope)) entries.set(url, entry);
  for (const feed of feeds) {
    const known = Object.hasOwn(state.feeds, feed.url) ? state.feeds[feed.url] : undefined;
    const hubs = new Set([...(known?.sha256 === feed.sha256 ? known.hubs : []), ...(accepted.get(feed.url) ?? [])]);
    if (hubs.size > 0) entries.set(feed.url, { sha256: feed.sha256, hubs: [...hubs].sort() });
  }
  return { feeds: Object.fromEntries([...entries].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) };
}

/** Finds the feed files of `outDir` (site feeds, `categories/*`, `tags/*`) and hashes them. */
export async function findFeeds(outDir: string, siteUrl: string): Promise<FeedFile[]> {
  const rels: string[] = [];
  const filesIn = async (rel: string): Promise<void> => {
    for (const entry of await readDir(path.join(outDir, ...rel.split('/').filter((s) => s !== '')))) {
      if (entry.isFile() && (FEED_FILE_NAMES as readonly string[]).includes(entry.name)) rels.push(rel === '' ? entry.name : `${rel}/${entry.name}`);
    }
  };
  await filesIn('');
  for (const dir of FEED_DIRS) {
    for (const entry of await readDir(path.join(outDir, dir))) if (entry.isDirectory()) await filesIn(`${dir}/${entry.name}`);
  }
  rels.sort();
  const base = `${siteUrl}/`;
  const feeds: FeedFile[] = [];
  for (const rel of rels) {
    // Resolved as build.ts makes each feed's self URL, so non-ASCII slugs come out percent-encoded alike.
    const url = toHttpUrl(rel, base);
    if (url === undefined) throw new Error(`cannot make an http(s) URL of ${rel} under ${base}`);
    const sha256 = createHash('sha256').update(await fsp.readFile(path.join(outDir, ...rel.split('/')))).digest('hex');
    feeds.push({ path: rel, url, sha256 });
  }
  return feeds;
}

async function readDir(dir: string): Promise<Dirent[]> {
  try {
    return await fsp.readdir(dir, { withFileTypes: true });
  } catch (cause) {
    if ((cause as NodeJS.ErrnoException).code === 'ENOENT' || (cause as NodeJS.ErrnoException).code === 'ENOTDIR') return [];
    throw cause;
  }
}

function checkHubUrl(hub: string): string {
  const url = toHttpUrl(hub);
  if (url === undefined) throw new TypeError(`'${hub}' is not an http(s) hub URL`);
  return url;
}

async function readState(file: string, problems: string[]): Promise<PingState> {
  let text: string;
  try {
    text = await fsp.readFile(file, 'utf8');
  } catch (cause) {
    if ((cause as NodeJS.ErrnoException).code !== 'ENOENT') problems.push(`cannot read ${file}: ${(cause as Error).message}; every feed is pinged`);
    return { feeds: {} };
  }
  try {
    const parsed = JSON.parse(text) as { version?: unknown; feeds?: unknown };
    if (parsed.version !== STATE_FORMAT || typeof parsed.feeds !== 'object' || parsed.feeds === null) throw new Error('not a feedwright ping state');
    const feeds: [string, { sha256: string; hubs: string[] }][] = [];
    for (const [url, entry] of Object.entries(parsed.feeds as Record<string, unknown>)) {
      const e = entry as { sha256?: unknown; hubs?: unknown } | null;
      if (typeof e?.sha256 === 'string' && Array.isArray(e.hubs) && e.hubs.every((h) => typeof h === 'string')) feeds.push([url, { sha256: e.sha256, hubs: e.hubs as string[] }]);
    }
    return { feeds: Object.fromEntries(feeds) };
  } catch (cause) {
    problems.push(`ignoring ${file} (${(cause as Error).message}); every feed is pinged`);
    return { feeds: {} };
  }
}

function serializeState(state: PingState): string {
  return `${JSON.stringify({ version: STATE_FORMAT, feeds: state.feeds }, null, 2)}\n`;
}

// A temp file beside the target, synced, then renamed over it: a crash leaves the old state or the new.
async function writeFileAtomic(file: string, text: string): Promise<void> {
  await fsp.mkdir(path.dirname(file), { recursive: true });
  const temp = `${file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  try {
    const handle = await fsp.open(temp, 'wx', 0o644);
    try {
      await handle.writeFile(text, 'utf8');
      await handle.sync();
    } finally {
      await handle.close();
    }
    await fsp.rename(temp, file);
  } catch (cause) {
    await fsp.rm(temp, { force: true });
    throw cause;
  }
}

/** One attempt's outcome. */
interface Attempt {
  readonly ok: boolean;
  readonly status?: number;
  readonly retryable: boolean;
  readonly reason?: string;
  readonly retryAfterMs?: number;
}

const sleepFor = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Sends one publish notification, retrying transient failures with exponential backoff. */
async function notifyHub(task: PingTask, options: PingOptions): Promise<PingResult> {
  const retries = options.retries ?? 2;
  const baseDelay = options.retryDelayMs ?? 200;
  const maxRetryAfter = options.maxRetryAfterMs ?? 30_000;
  const sleep = options.sleep ?? sleepFor;
  // PubSubHubbub 0.4 §7.1 (which W3C WebSub §6 leaves the publish step to): a form-encoded POST of
  // hub.mode=publish and hub.url. Some hubs take several hub.url values in one request, others only the
  // first; one request per feed URL works with every hub.
  const body = new URLSearchParams({ 'hub.mode': 'publish', 'hub.url': task.feedUrl }).toString();
  for (let attempts = 1; ; attempts++) {
    let outcome: Attempt;
    try {
      outcome = await postOnce(task.hub, body, options);
    } catch (cause) {
      outcome = { ok: false, retryable: false, reason: `unexpected error: ${(cause as Error).message}` };
    }
    const status = outcome.status === undefined ? {} : { status: outcome.status };
    if (outcome.ok) return { ...task, ok: true, ...status, attempts };
    const failed = (reason: string): PingResult => ({ ...task, ok: false, ...status, attempts, reason });
    if (!outcome.retryable || attempts > retries) return failed(outcome.reason ?? 'no reason given');
    let delay = baseDelay * 2 ** (attempts - 1);
    if (outcome.retryAfterMs !== undefined) {
      if (outcome.retryAfterMs > maxRetryAfter) return failed(`${outcome.reason ?? ''} (the hub asked to wait ${Math.ceil(outcome.retryAfterMs / 1000)} s; left for the next ping)`);
      delay = Math.max(delay, outcome.retryAfterMs);
    }
    await sleep(delay);
  }
}

async function postOnce(hub: string, body: string, options: PingOptions): Promise<Attempt> {
  const fetchFn = options.fetch ?? fetch;
  const timeoutMs = options.timeoutMs ?? 10_000;
  let target = hub;
  for (let hops = 0; ; hops++) {
    let response: Response;
    try {
      response = await fetchFn(target, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', 'user-agent': `${GENERATOR.name}/${GENERATOR.version} (+${GENERATOR.uri})` },
        body,
        // Followed by hand below: fetch would turn a POST into a GET on 301/302/303, losing the notification.
        redirect: 'manual',
        signal: AbortSignal.timeout(timeoutMs),
      });
    } catch (cause) {
      return { ok: false, retryable: true, reason: describeNetworkError(cause, timeoutMs) };
    }
    const { status } = response;
    // W3C WebSub §6 has hubs answer 202 or 204; any 2xx is an acceptance.
    if (status >= 200 && status < 300) {
      await response.body?.cancel().catch(() => undefined);
      return { ok: true, status, retryable: false };
    }
    if (status >= 300 && status < 400) {
      const location = response.headers.get('location');
      await response.body?.cancel().catch(() => undefined);
      const next = location === null ? undefined : toHttpUrl(location, target);
      if (next === undefined) return { ok: false, status, retryable: false, reason: `redirected to ${location === null ? 'nowhere' : `'${clean(location)}'`}, which is not an http(s) URL; not followed` };
      // RFC 9110 §15.4.8/§15.4.9: 307 and 308 repeat the request as it was; the others may become a GET.
      if (status !== 307 && status !== 308) return { ok: false, status, retryable: false, reason: `the hub moved (${status} to ${next}); set feed.hub to the new URL` };
      if (hops >= MAX_REDIRECTS) return { ok: false, status, retryable: false, reason: `more than ${MAX_REDIRECTS} redirects` };
      target = next;
      continue;
    }
    const said = await readExplanation(response);
    const reason = said === '' ? response.statusText || `HTTP ${status}` : said;
    const retryAfterMs = parseRetryAfter(response.headers.get('retry-after'));
    // Transient: the hub is down or busy (5xx), throttling (429) or timed out reading us (408). Any other
    // 4xx is the hub refusing this request; sending it again would be refused again.
    const retryable = status >= 500 || status === 429 || status === 408;
    return { ok: false, status, retryable, reason, ...(retryAfterMs === undefined ? {} : { retryAfterMs }) };
  }
}

function describeNetworkError(cause: unknown, timeoutMs: number): string {
  if (cause instanceof Error && (cause.name === 'TimeoutError' || cause.name === 'AbortError')) return `no answer within ${timeoutMs} ms`;
  const inner = (cause as { cause?: { code?: unknown; message?: unknown } } | undefined)?.cause;
  if (inner !== undefined && inner !== null) {
    const code = typeof inner.code === 'string' ? `${inner.code} ` : '';
    const message = typeof inner.message === 'string' ? inner.message : '';
    if (code !== '' || message !== '') return clean(`${code}${message}`);
  }
  return clean(cause instanceof Error ? cause.message : String(cause));
}

// The first bytes of an error body: hubs often say there why they refused.
async function readExplanation(response: Response): Promise<string> {
  if (response.body === null) return '';
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  try {
    while (size < 4096) {
      const { done, value } = await reader.read();
      if (done) break;
      chunks.push(value);
      size += value.byteLength;
    }
  } catch {
    // A body cut short still explains as much as it got to say.
  } finally {
    await reader.cancel().catch(() => undefined);
  }
  const text = Buffer.concat(chunks).subarray(0, 4096).toString('utf8');
  return clean(text.replace(/<[^>]*>/g, ' '));
}

// One short line, with no control characters a hostile hub could use to rewrite the terminal.
function clean(text: string): string {
  const line = text
    .replace(/\u001b\[[0-?]*[ -/]*[@-~]/g, '')
    .replace(/[\u0000-\u001f\u007f-\u009f]+/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  return line.length > 200 ? `${line.slice(0, 199)}…` : line;
}

// RFC 9110 §10.2.3: Retry-After is delay-seconds or an HTTP-date.
function parseRetryAfter(value: string | null): number | undefined {
  if (value === null) return undefined;
  const text = value.trim();
  if (/^\d+$/.test(text)) return Number(text) * 1000;
  const at = Date.parse(text);
  return Number.isNaN(at) ? undefined : Math.max(0, at - Date.now());
}

const USAGE = `Usage: feedwright ping [options]

Tells WebSub hubs (feed.hub in _config.yml) about every feed in the output folder that changed since the
last ping: one POST hub.mode=publish&hub.url=<feed URL> to each hub per feed. Feeds are the site feeds and
those under categories/ and tags/; their URLs are url + baseurl + path, as the build writes rel="self".

Options:
  --content DIR       content folder with _config.yml (url, baseurl, feed.hub) [default: content]
  --out DIR           output folder holding the built feeds [default: output]
  --state FILE        what each hub has accepted, so only changed feeds are sent
                      [default: .feedwright-cache/ping-state.json]
  --hub URL           notify this hub instead of feed.hub; repeat for several
  --url URL           site URL (overrides url; use what the build used)
  --baseurl PATH      site base path (overrides baseurl)
  --retries N         retries after a network error, timeout, 408, 429 or 5xx [default: 2]
  --retry-delay MS    delay before the first retry, doubled for each further one; a hub's
                      Retry-After of up to 30 s is honoured [default: 200]
  --timeout MS        time limit per request [default: 10000]
  --dry-run           list what would be sent; send nothing, record nothing
  --quiet             print failures only
  -h, --help          show this help

Exit status: 0 when every hub accepted every changed feed, or nothing changed; 1 when a hub refused or
could not be reached (those feeds are sent again on the next ping), when no hub is configured, or when the
output folder holds no feeds; 2 on a usage error.
`;

const OPTIONS = {
  content: { type: 'string' },
  out: { type: 'string' },
  state: { type: 'string' },
  hub: { type: 'string', multiple: true },
  url: { type: 'string' },
  baseurl: { type: 'string' },
  retries: { type: 'string' },
  'retry-delay': { type: 'string' },
  timeout: { type: 'string' },
  'dry-run': { type: 'boolean' },
  quiet: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`;

/** Runs `feedwright ping` with its own arguments; returns the exit code (see its --help). */
export async function runPing(argv: readonly string[], io: CliIo): Promise<number> {
  let values;
  let numbers: { retries?: number; retryDelayMs?: number; timeoutMs?: number };
  let hubOverride: string[] | undefined;
  try {
    ({ values } = parseArgs({ args: [...argv], options: OPTIONS, allowPositionals: false, strict: true }));
    const whole = (name: string, text: string | undefined, min = 0): number | undefined => {
      if (text === undefined) return undefined;
      if (!/^\d+$/.test(text) || Number(text) < min) throw new Error(`--${name} takes a whole number${min > 0 ? ` of at least ${min}` : ''}, got '${text}'`);
      return Number(text);
    };
    const retries = whole('retries', values.retries);
    const retryDelayMs = whole('retry-delay', values['retry-delay']);
    const timeoutMs = whole('timeout', values.timeout, 1);
    numbers = { ...(retries === undefined ? {} : { retries }), ...(retryDelayMs === undefined ? {} : { retryDelayMs }), ...(timeoutMs === undefined ? {} : { timeoutMs }) };
    hubOverride = values.hub?.map((hub) => {
      const url = toHttpUrl(hub);
      if (url === undefined) throw new Error(`--hub takes an http(s) URL, got '${hub}'`);
      return url;
    });
  } catch (cause) {
    io.stderr(`feedwright ping: ${(cause as Error).message}\n\n${USAGE}`);
    return 2;
  }
  if (values.help === true) {
    io.stdout(USAGE);
    return 0;
  }
  const quiet = values.quiet === true;
  const contentArg = values.content ?? 'content';
  const outArg = values.out ?? 'output';
  const { config, diagnostics } = await loadConfig(path.resolve(io.cwd, contentArg), contentArg, {
    ...(values.url === undefined ? {} : { url: values.url }),
    ...(values.baseurl === undefined ? {} : { baseurl: values.baseurl }),
  });
  for (const d of diagnostics) if (d.severity === 'error' || !quiet) io.stderr(`${formatDiagnostic(d)}\n`);
  if (config === undefined) {
    io.stderr('feedwright ping: the configuration is invalid; nothing was sent\n');
    return 1;
  }
  const hubs = hubOverride ?? config.feed.hubs;
  if (hubs.length === 0) {
    io.stderr(`feedwright ping: no WebSub hub configured (hint: set feed.hub in ${path.posix.join(contentArg, '_config.yml')}, e.g. hub: https://pubsubhubbub.appspot.com/, or pass --hub URL)\n`);
    return 1;
  }
  const report = await pingHubs({
    outDir: path.resolve(io.cwd, outArg),
    siteUrl: `${config.url}${config.baseurl}`,
    hubs,
    stateFile: path.resolve(io.cwd, values.state ?? path.join('.feedwright-cache', 'ping-state.json')),
    ...numbers,
    ...(values['dry-run'] === true ? { dryRun: true } : {}),
  });
  for (const warning of report.stateWarnings) io.stderr(`feedwright ping: warning: ${warning}\n`);
  if (report.feeds.length === 0) {
    io.stderr(`feedwright ping: no feeds in ${outArg}/ (hint: run feedwright build first, or pass --out DIR)\n`);
    return 1;
  }
  const feedCount = new Set(report.planned.map((t) => t.feedUrl)).size;
  const hubCount = new Set(report.planned.map((t) => t.hub)).size;
  if (report.planned.length === 0) {
    if (!quiet) io.stdout(`no feed changed since the last ping (${plural(report.feeds.length, 'feed')}, ${plural(hubs.length, 'hub')})\n`);
    return 0;
  }
  if (values['dry-run'] === true) {
    if (!quiet) {
      for (const t of report.planned) io.stdout(`would ping ${t.hub} ${t.feedUrl}\n`);
      io.stdout(`would ping ${plural(feedCount, 'feed')} to ${plural(hubCount, 'hub')} (dry run: nothing sent)\n`);
    }
    return 0;
  }
  let failed = 0;
  for (const r of report.results) {
    const tries = r.attempts === 1 ? '' : ` after ${r.attempts} attempts`;
    if (r.ok) {
      if (!quiet) io.stdout(`${r.hub} ${r.feedUrl}: ok ${r.status ?? ''}${tries}\n`);
    } else {
      failed++;
      io.stderr(`${r.hub} ${r.feedUrl}: failed${r.status === undefined ? '' : ` ${r.status}`}${tries}: ${r.reason ?? ''}\n`);
    }
  }
  const summary = `pinged ${plural(feedCount, 'feed')} to ${plural(hubCount, 'hub')}: ${report.results.length - failed} ok, ${failed} failed\n`;
  if (failed > 0) {
    io.stderr(summary);
    io.stderr('feedwright ping: the failed notifications are sent again on the next ping\n');
  } else if (!quiet) {
    io.stdout(summary);
  }
  if (report.stateError !== undefined) io.stderr(`feedwright ping: ${report.stateError}; the next ping sends these notifications again\n`);
  return failed > 0 || report.stateError !== undefined ? 1 : 0;
}
