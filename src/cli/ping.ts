/** `feedwright ping`: flags, messages and exit codes around `pingHubs` (src/ping/). */
import path from 'node:path';
import { parseArgs } from 'node:util';
import { loadConfig } from '../config.js';
import { formatDiagnostic } from '../errors.js';
import { toHttpUrl } from '../render/urls.js';
import { pingHubs } from '../ping/index.js';
import { DEFAULT_CACHE_DIR } from './build.js';
import { plural, UsageError, wholeNumber, type CliIo } from './io.js';

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
                      Retry-After of up to 30 s is waited first, a longer one leaves the feed
                      for the next ping [default: 200]
  --timeout MS        time limit per request, redirects and reply included [default: 10000]
  --dry-run           list what would be sent; send nothing, record nothing
  --quiet             print failures only
  -h, --help          show this help

Exit status: 0 when every hub accepted every changed feed, or nothing changed; 1 when a hub refused or
could not be reached (those feeds are sent again on the next ping), when no hub is configured, or when the
output folder holds no feeds; 2 on a usage error.
`;

const PING_FLAGS = {
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

/** Runs `feedwright ping` with its own arguments; returns the exit code (see its --help). */
export async function runPing(argv: readonly string[], io: CliIo): Promise<number> {
  let values;
  let numbers: { retries?: number; retryDelayMs?: number; timeoutMs?: number };
  let hubOverride: string[] | undefined;
  try {
    ({ values } = parseArgs({ args: [...argv], options: PING_FLAGS, allowPositionals: false, strict: true }));
    const retries = wholeNumber('retries', values.retries);
    const retryDelayMs = wholeNumber('retry-delay', values['retry-delay']);
    const timeoutMs = wholeNumber('timeout', values.timeout, 1);
    numbers = { ...(retries === undefined ? {} : { retries }), ...(retryDelayMs === undefined ? {} : { retryDelayMs }), ...(timeoutMs === undefined ? {} : { timeoutMs }) };
    hubOverride = values.hub?.map((hub) => {
      const url = toHttpUrl(hub);
      if (url === undefined) throw new UsageError(`--hub takes an http(s) URL, got '${hub}'`);
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
    stateFile: path.resolve(io.cwd, values.state ?? path.join(DEFAULT_CACHE_DIR, 'ping-state.json')),
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
    const tries = r.attempts <= 1 ? '' : ` after ${r.attempts} attempts`;
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
