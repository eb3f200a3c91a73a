/** The one orchestrator: content folder in, rendered files and diagnostics out. Writes nothing. */
import path from 'node:path';
import { loadConfig, type ConfigOverrides, type SiteConfig } from './config.js';
import { errorAt, FeedwrightError, warningAt, type Diagnostic } from './errors.js';
import { toEnclosure } from './feed/enclosure.js';
import { renderParts, toFeedEntry, type RenderedParts } from './feed/entries.js';
import { BuildCache, type ScanRecord } from './fs/cache.js';
import { isPublished, selectFeeds, type FeedPlan } from './feed/select.js';
import { serializeAtom } from './formats/atom.js';
import { serializeJsonFeed } from './formats/json-feed.js';
import { serializeRss } from './formats/rss.js';
import { toHttpUrl } from './html/urls.js';
import { realpathSync } from 'node:fs';
import { loadAuthors, statImages } from './posts/load.js';
import { readPostFile, scanPosts } from './posts/scan.js';
import { decodeBody } from './posts/to-post.js';
import type { AbsoluteUrl, Feed, FeedEntry, ImageInfo, OutputFile, Person, Post } from './types.js';
import { GENERATOR } from './version.js';

/** What `build` needs. Only the caller knows the clock: `now` decides which posts are still in the future. */
export interface BuildOptions {
  readonly contentDir: string;
  /** How the content folder is named in diagnostics (default: `contentDir` as given). */
  readonly displayDir?: string;
  readonly now: Date;
  readonly overrides?: ConfigOverrides;
  /** Publish the valid posts and report invalid ones as warnings, instead of failing. */
  readonly skipInvalid?: boolean;
  /** Post files over this size are reported, not read (default 10 MiB). */
  readonly maxFileBytes?: number;
  /** Worker threads for scanning; 0 for none (default: one per core on sites of 2,000 posts or more). */
  readonly workers?: number;
  /** Sites with fewer post files than this are scanned without threads (default 2,000). */
  readonly workerThreshold?: number;
  /** Folder for the build cache (`.feedwright-cache`); no cache when absent. Output is the same either way. */
  readonly cacheDir?: string;
}

const DEFAULT_MAX_FILE_BYTES = 10 * 1024 * 1024;

/** One written feed trio. */
export interface FeedSummary {
  readonly kind: Feed['kind'];
  readonly dir: string;
  readonly title: string;
  readonly items: number;
}

/** What a build produced. */
export interface BuildResult {
  readonly config: SiteConfig;
  /** Every file to publish, relative to the output folder, sorted by path. */
  readonly files: readonly OutputFile[];
  readonly feeds: readonly FeedSummary[];
  /** Warnings (and, with `skipInvalid`, the skipped posts). */
  readonly diagnostics: readonly Diagnostic[];
  readonly stats: { readonly postsRead: number; readonly published: number; readonly skipped: number };
}

const FEED_SIZE_WARNING = 1024 * 1024;

/** Reads, validates and parses every post: all problems at once. Throws `FeedwrightError` on errors. */
export async function loadSite(options: BuildOptions): Promise<{ config: SiteConfig; posts: Post[]; diagnostics: Diagnostic[]; postsRead: number; skipped: number; records: readonly ScanRecord[]; cache: BuildCache | undefined }> {
  const displayDir = toPosix(options.displayDir ?? options.contentDir);
  const { config, diagnostics: configDiagnostics } = await loadConfig(options.contentDir, displayDir, options.overrides);
  if (config === undefined) throw new FeedwrightError(configDiagnostics);
  const { authors, diagnostics: authorDiagnostics } = await loadAuthors(options.contentDir, displayDir);
  const cache = options.cacheDir === undefined ? undefined : BuildCache.open(options.cacheDir, { config, authors: [...authors], maxFileBytes: options.maxFileBytes ?? DEFAULT_MAX_FILE_BYTES });
  const scan = await scanPosts(options.contentDir, displayDir, config, authors, options.maxFileBytes ?? DEFAULT_MAX_FILE_BYTES, {
    ...(options.workers === undefined ? {} : { workers: options.workers }),
    ...(options.workerThreshold === undefined ? {} : { workerThreshold: options.workerThreshold }),
    ...(cache === undefined ? {} : { cache }),
  });
  const diagnostics: Diagnostic[] = [...configDiagnostics, ...authorDiagnostics, ...scan.diagnostics];
  const posts = scan.posts;
  const files = { length: scan.postsRead };
  // DESIGN.md, Identity: two posts never share one id (readers would show one and hide the other).
  const byId = new Map<string, Post[]>();
  for (const post of posts) byId.set(post.id, [...(byId.get(post.id) ?? []), post]);
  const duplicates = new Set<Post>();
  for (const [id, group] of byId) {
    if (group.length < 2) continue;
    for (const post of group.slice(1)) {
      duplicates.add(post);
      diagnostics.push(errorAt('DUPLICATE_ID', post.displayPath, `has the same id as ${group[0]?.displayPath ?? ''}: ${id}`, 'give one of them another `slug`, `permalink` or `id` in its front matter'));
    }
  }
  const kept = posts.filter((p) => !duplicates.has(p));
  const failedFiles = new Set(diagnostics.filter((d) => d.severity === 'error' && d.file !== undefined).map((d) => d.file));
  const errors = diagnostics.filter((d) => d.severity === 'error');
  if (errors.length > 0 && options.skipInvalid !== true) throw new FeedwrightError(diagnostics);
  const reported = options.skipInvalid === true ? diagnostics.map((d) => (d.severity === 'error' ? { ...d, severity: 'warning' as const } : d)) : diagnostics;
  for (const file of [...failedFiles].sort()) {
    if (file !== undefined) reported.push(warningAt('POST_SKIPPED', file, 'was not published because of the problems above', 'fix them and build again'));
  }
  return { config, posts: kept.filter((p) => !failedFiles.has(p.displayPath)), diagnostics: reported, postsRead: files.length, skipped: failedFiles.size, records: scan.records, cache };
}

function toPosix(p: string): string {
  return p.split(path.sep).join('/').replace(/\/+$/, '') || '.';
}

function feedTitle(config: SiteConfig, plan: FeedPlan): string {
  return plan.name === undefined ? config.title : `${config.title} | ${plan.name}`;
}

function selfUrls(config: SiteConfig, dir: string): Feed['selfUrls'] {
  const base = `${config.url}${config.baseurl}/${dir === '' ? '' : `${dir}/`}`;
  const make = (file: string): AbsoluteUrl => toHttpUrl(file, base) as AbsoluteUrl;
  return { rss: make('rss.xml'), atom: make('atom.xml'), json: make('feed.json') };
}

/** Builds every feed of a site in memory: files to write, plus warnings. Nothing touches the output folder. */
export async function build(options: BuildOptions): Promise<BuildResult> {
  const site = await loadSite(options);
  const { config, diagnostics } = site;
  const published = site.posts.filter((p) => isPublished(p, config, options.now));
  const plans = selectFeeds(published, config);

  // Only posts that appear in at least one feed are rendered, each once.
  const inFeeds = new Map<string, Post>();
  for (const plan of plans) for (const post of plan.posts) inFeeds.set(post.id, post);
  const localImages = [...inFeeds.values()].flatMap((p) => (p.image?.kind === 'local' ? [p.image.path] : []));
  const imageInfo: Map<string, ImageInfo> = await statImages(options.contentDir, localImages);

  // The scan kept no body text: render the posts that appear in a feed, and only those, each once,
  // re-reading their files (or taking their rendered parts from the cache).
  const root = realpathSync(options.contentDir);
  const hashes = new Map(site.records.map((r) => [r.rel, r.hash]));
  const rendered = new Map<string, RenderedParts>();
  const unreadable: Diagnostic[] = [];
  for (const post of inFeeds.values()) {
    const key = site.cache === undefined ? undefined : BuildCache.renderKey(post.url, hashes.get(post.sourcePath) ?? '', config.feed.excerptOnly);
    const hit = key === undefined ? undefined : site.cache?.lookupRendered(key);
    if (hit !== undefined) {
      rendered.set(post.id, hit);
      continue;
    }
    const read = readPostFile(root, { rel: post.sourcePath, symlink: true }, post.displayPath, options.maxFileBytes ?? DEFAULT_MAX_FILE_BYTES);
    if (!('bytes' in read)) {
      unreadable.push(read);
      continue;
    }
    const parts = renderParts(post, decodeBody(read.bytes, post.bodyOffset), config.feed);
    rendered.set(post.id, parts);
    if (key !== undefined) site.cache?.storeRendered(key, parts);
  }
  if (unreadable.length > 0) throw new FeedwrightError([...diagnostics, ...unreadable]);

  const fallbackAuthor: Person = config.author ?? { name: config.title === '' ? new URL(config.url).host : config.title };
  const entries = new Map<string, FeedEntry>();
  const problems: Diagnostic[] = [];
  for (const post of inFeeds.values()) {
    let enclosure;
    if (post.image !== undefined) {
      const result = toEnclosure(post.image, post.image.kind === 'local' ? imageInfo.get(post.image.path) : undefined, config, post.displayPath);
      if (result.diagnostic !== undefined) problems.push(result.diagnostic);
      enclosure = result.enclosure;
    }
    if (config.feed.excerptOnly && post.summary === undefined) {
      problems.push(warningAt('EXCERPT_MISSING', post.displayPath, 'has no `excerpt` while feed.excerpt_only is on; its first paragraph is used', 'add an `excerpt:` to the front matter'));
    }
    entries.set(post.id, toFeedEntry(post, enclosure, { excerptOnly: config.feed.excerptOnly, fallbackAuthor }, rendered.get(post.id)));
  }
  const escapes = problems.filter((d) => d.severity === 'error');
  if (escapes.length > 0 && options.skipInvalid !== true) throw new FeedwrightError([...diagnostics, ...problems]);
  const escaped = new Set(escapes.map((d) => d.file));
  const allDiagnostics = [...diagnostics, ...problems.map((d) => (d.severity === 'error' ? { ...d, severity: 'warning' as const } : d))];
  for (const file of [...escaped].sort()) {
    if (file !== undefined) allDiagnostics.push(warningAt('POST_SKIPPED', file, 'was not published because of the problem above', 'fix it and build again'));
  }

  const files: OutputFile[] = [];
  const feeds: FeedSummary[] = [];
  for (const plan of plans) {
    const feedEntries = plan.posts.filter((p) => !escaped.has(p.displayPath)).map((p) => entries.get(p.id) as FeedEntry);
    const newest = feedEntries.reduce<Date | undefined>((max, e) => (max === undefined || e.updated > max ? e.updated : max), undefined);
    const urls = selfUrls(config, plan.dir);
    const feed: Feed = {
      kind: plan.kind,
      dir: plan.dir,
      title: feedTitle(config, plan),
      ...(config.description === undefined ? {} : { description: config.description }),
      ...(config.lang === undefined ? {} : { language: config.lang }),
      homePageUrl: toHttpUrl(`${config.url}${config.baseurl}/`) as AbsoluteUrl,
      selfUrls: urls,
      id: urls.atom,
      ...(config.author === undefined ? {} : { author: config.author }),
      ...(newest === undefined ? {} : { updated: newest }),
      timeZone: config.timezone,
      generator: GENERATOR,
      entries: feedEntries,
    };
    const prefix = plan.dir === '' ? '' : `${plan.dir}/`;
    for (const [name, contents] of [
      ['rss.xml', serializeRss(feed)],
      ['atom.xml', serializeAtom(feed)],
      ['feed.json', serializeJsonFeed(feed)],
    ] as const) {
      files.push({ path: `${prefix}${name}`, contents });
      const bytes = Buffer.byteLength(contents);
      if (bytes > FEED_SIZE_WARNING) {
        allDiagnostics.push(warningAt('FEED_LARGE', `${prefix}${name}`, `is ${bytes} bytes; some readers refuse feeds over 1 MiB`, 'lower feed.posts_limit or turn on feed.excerpt_only'));
      }
    }
    feeds.push({ kind: plan.kind, dir: plan.dir, title: feed.title, items: feedEntries.length });
  }
  files.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  // The cache's clock reading only marks which files were modified too recently to trust their mtime.
  site.cache?.save(site.records, Date.now());
  return {
    config,
    files,
    feeds,
    diagnostics: allDiagnostics,
    stats: { postsRead: site.postsRead, published: published.length, skipped: site.skipped },
  };
}
