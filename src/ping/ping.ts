/**
 * Tells WebSub hubs which feeds changed since the last ping, so subscribers get new posts pushed instead
 * of polling. The feed files in the output folder are hashed and compared with a state file that records,
 * per feed URL, the hash last announced and the hubs that accepted it; only what some hub has not yet
 * accepted is sent, at most `concurrency` requests at once (`p-map`). Planning and the next state are pure;
 * reading the output, the state file and the network are the ends.
 */
import { createHash } from 'node:crypto';
import * as fsp from 'node:fs/promises';
import path from 'node:path';
import pMap from 'p-map';
import { toHttpUrl } from '../render/urls.js';
import { findFeedFiles } from '../write/feed-files.js';
import { notifyHub, type NotifyOptions, type PingResult, type PingTask } from './notify.js';
import { readPingState, serializePingState, writePingState, type PingState } from './state.js';

/** A feed file found in the output folder. */
export interface FeedFile {
  /** POSIX path relative to the output folder, e.g. `categories/news/atom.xml`. */
  readonly path: string;
  /** Its public URL (url + baseurl + path), the feed's `rel="self"` and the WebSub topic. */
  readonly url: string;
  /** SHA-256 of the file's bytes (hex). */
  readonly sha256: string;
}

/** What `pingHubs` needs. */
export interface PingOptions extends NotifyOptions {
  /** The output folder of `publish` / `feedwright build`. */
  readonly outDir: string;
  /** The site's `url` + `baseurl`, without a trailing slash, e.g. `https://news.example/blog`. */
  readonly siteUrl: string;
  /** WebSub hub URLs; one that is not http(s) gets a failed result and no request. */
  readonly hubs: readonly string[];
  /** The JSON state file; kept outside the served output folder. */
  readonly stateFile: string;
  /** Requests in flight at once (default 4). */
  readonly concurrency?: number;
  /** Plan only: send nothing, write no state. */
  readonly dryRun?: boolean;
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

/**
 * Notifies every hub of every feed in `outDir` it has not yet accepted in its current bytes, retrying
 * transient failures, and records the successes so the next call sends only what is still due.
 */
export async function pingHubs(options: PingOptions): Promise<PingReport> {
  // The same hub written twice (or with a default port, an uppercase host) is asked once.
  const hubs = [...new Set(options.hubs.map((hub) => toHttpUrl(hub) ?? hub))];
  const feeds = await findFeeds(options.outDir, options.siteUrl);
  const stateWarnings: string[] = [];
  const state = await readPingState(options.stateFile, stateWarnings);
  const planned = planPings(feeds, state, hubs);
  // An empty output folder (not built yet, or a wrong --out) must not erase what the state knows.
  if (options.dryRun === true || feeds.length === 0) return { feeds, planned, results: [], stateWritten: false, stateWarnings };
  const results = await pMap(planned, (task) => notifyHub(task, options), { concurrency: Math.max(1, options.concurrency ?? 4) });
  const next = nextPingState(state, feeds, results, `${options.siteUrl}/`);
  if (serializePingState(next) === serializePingState(state)) return { feeds, planned, results, stateWritten: false, stateWarnings };
  try {
    await writePingState(options.stateFile, next);
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

/**
 * The subscribable feeds of `outDir` (site, category, tag and jekyll-feed paths), hashed. RFC 5005 archive
 * documents (`archive/YYYY/MM/`) are fixed history, not topics, and are left out.
 */
export async function findFeeds(outDir: string, siteUrl: string): Promise<FeedFile[]> {
  const found = (await findFeedFiles(outDir)).filter((f) => f.kind === 'site' || f.kind === 'category' || f.kind === 'tag' || f.kind === 'jekyll-feed');
  const base = `${siteUrl}/`;
  const feeds: FeedFile[] = [];
  for (const { path: rel } of found) {
    // Resolved as build.ts makes each feed's self URL, so non-ASCII slugs come out percent-encoded alike.
    const url = toHttpUrl(rel, base);
    if (url === undefined) throw new Error(`cannot make an http(s) URL of ${rel} under ${base}`);
    const sha256 = createHash('sha256').update(await fsp.readFile(path.join(outDir, ...rel.split('/')))).digest('hex');
    feeds.push({ path: rel, url, sha256 });
  }
  return feeds;
}
