/** The one orchestrator: content folder in, rendered files and diagnostics out. Writes nothing. */
import path from 'node:path';
import { loadConfig, type ConfigOverrides, type SiteConfig } from './config.js';
import { errorAt, FeedwrightError, warningAt, type Diagnostic } from './errors.js';
import { toEnclosure } from './feed/enclosure.js';
import { toFeedEntry, type RenderedParts } from './feed/entries.js';
import { BuildCache, hashBytes, type ScanRecord } from './fs/cache.js';
import { comparePosts, isPublished, selectFeeds, type FeedPlan } from './feed/select.js';
import { atomWriter } from './formats/atom.js';
import { jsonFeedWriter } from './formats/json-feed.js';
import { rssWriter } from './formats/rss.js';
import type { FeedHead, FormatWriter } from './formats/writer.js';
import { Renderer } from './feed/render.js';
import { FEED_XSL } from './formats/feed-xsl.js';
import { serializeDiscoveryLinks, serializeHeaders } from './formats/host-files.js';
import { StagedOutput, type WriteIo, type WriteReport } from './fs/write.js';
import { toHttpUrl } from './html/urls.js';
import { realpathSync, statSync } from 'node:fs';
import { loadAuthors, statImages } from './posts/load.js';
import { readPostFile, scanPosts } from './posts/scan.js';
import { toPost } from './parse/to-post.js';
import { availableParallelism } from 'node:os';
import type { AbsoluteUrl, Enclosure, Feed, FeedHistory, FeedUrls, ImageInfo, OutputFile, Person, Post, PostRef } from './types.js';
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
  /** Worker threads for scanning and rendering; 0 for none (default: rendering of 400+ posts uses one per core). */
  readonly workers?: number;
  /** Batches of at least this many posts go to worker threads (default: rendering 400; scanning never). */
  readonly workerThreshold?: number;
  /** Folder for the build cache (`.feedwright-cache`); no cache when absent. Output is the same either way. */
  readonly cacheDir?: string;
  /** Called as the build advances (for a progress line). */
  readonly onProgress?: (progress: BuildProgress) => void;
}

/** How far a build has come: posts scanned, or posts rendered and written out of those in feeds. */
export interface BuildProgress {
  readonly stage: 'scanned' | 'rendered';
  readonly done: number;
  readonly total: number;
}

const DEFAULT_MAX_FILE_BYTES = 10 * 1024 * 1024;
/** The browser view of RSS and Atom feeds, written beside the site feeds. */
const STYLESHEET_FILE = 'feed.xsl';

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
export async function loadSite(options: BuildOptions): Promise<{ config: SiteConfig; authors: ReadonlyMap<string, Person>; posts: PostRef[]; diagnostics: Diagnostic[]; postsRead: number; skipped: number; records: readonly ScanRecord[]; cache: BuildCache | undefined }> {
  const displayDir = toPosix(options.displayDir ?? options.contentDir);
  const contentInfo = statSync(options.contentDir, { throwIfNoEntry: false });
  if (contentInfo === undefined || !contentInfo.isDirectory()) {
    throw new FeedwrightError([errorAt('CONTENT_MISSING', displayDir, 'is not a folder', "pass --content DIR naming your site's folder (the one with _config.yml and _posts/)")]);
  }
  const postsInfo = statSync(path.join(options.contentDir, '_posts'), { throwIfNoEntry: false });
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
  if (postsInfo === undefined || !postsInfo.isDirectory()) {
    diagnostics.unshift(warningAt('CONTENT_MISSING', path.posix.join(displayDir, '_posts'), 'does not exist, so the feeds have no items', 'put posts in _posts/YYYY-MM-DD-slug.md'));
  }
  const posts = scan.posts;
  // DESIGN.md, Identity: two posts never share one id (readers would show one and hide the other).
  const byId = new Map<string, PostRef[]>();
  for (const post of posts) byId.set(post.id, [...(byId.get(post.id) ?? []), post]);
  const duplicates = new Set<PostRef>();
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
  return { config, authors, posts: kept.filter((p) => !failedFiles.has(p.displayPath)), diagnostics: reported, postsRead: scan.postsRead, skipped: failedFiles.size, records: scan.records, cache };
}

function toPosix(p: string): string {
  return p.split(path.sep).join('/').replace(/\/+$/, '') || '.';
}

function feedTitle(config: SiteConfig, plan: FeedPlan): string {
  return plan.name === undefined ? config.title : `${config.title} | ${plan.name}`;
}

function selfUrls(config: SiteConfig, dir: string): FeedUrls {
  const base = `${config.url}${config.baseurl}/${dir === '' ? '' : `${dir}/`}`;
  const make = (file: string): AbsoluteUrl => toHttpUrl(file, base) as AbsoluteUrl;
  return { rss: make('rss.xml'), atom: make('atom.xml'), json: make('feed.json') };
}

/** Where generated feed files go: memory (`build`) or staged temp files (`publish`). */
export interface FeedSink {
  open(path: string): Promise<void>;
  write(path: string, text: string): Promise<void>;
}

/** Posts rendered per round; bounds memory in full-archive builds (rendered HTML is dropped after writing). */
const RENDER_CHUNK = 1_000;
/** Rendering batches smaller than this stay on the main thread. */
const RENDER_WORKER_THRESHOLD = 400;

/**
 * Generates every feed of a site into `sink`: one pass over the posts that appear in any feed, newest
 * first, each rendered once (from the cache when it can) and written as an item into every feed that
 * holds it. All input errors are found before the first byte is written.
 */
export async function generate(options: BuildOptions, sink: FeedSink): Promise<Omit<BuildResult, 'files'>> {
  const site = await loadSite(options);
  const { config, diagnostics } = site;
  options.onProgress?.({ stage: 'scanned', done: site.postsRead, total: site.postsRead });
  // Sorted once here; selectFeeds' sort of sorted input is linear (TimSort finds the one run).
  const published = site.posts.filter((p) => isPublished(p, config, options.now)).sort(comparePosts);
  const plans = selectFeeds(published, config);

  // Which feeds each post appears in; the union, in feed order (every feed is a subsequence of it).
  const memberOf = new Map<string, number[]>();
  plans.forEach((plan, index) => {
    for (const post of plan.posts) memberOf.set(post.id, [...(memberOf.get(post.id) ?? []), index]);
  });
  const union = published.filter((p) => memberOf.has(p.id));

  const localImages = union.flatMap((p) => (p.image?.kind === 'local' ? [p.image.path] : []));
  const imageInfo: Map<string, ImageInfo> = await statImages(options.contentDir, localImages);
  const problems: Diagnostic[] = [];
  const enclosures = new Map<string, Enclosure>();
  for (const post of union) {
    if (post.image !== undefined) {
      const result = toEnclosure(post.image, post.image.kind === 'local' ? imageInfo.get(post.image.path) : undefined, config, post.displayPath);
      if (result.diagnostic !== undefined) problems.push(result.diagnostic);
      if (result.enclosure !== undefined) enclosures.set(post.id, result.enclosure);
    }
    if (config.feed.excerptOnly && !post.hasSummary) {
      problems.push(warningAt('EXCERPT_MISSING', post.displayPath, 'has no `excerpt` while feed.excerpt_only is on; its first paragraph is used', 'add an `excerpt:` to the front matter'));
    }
  }
  const escapes = problems.filter((d) => d.severity === 'error');
  if (escapes.length > 0 && options.skipInvalid !== true) throw new FeedwrightError([...diagnostics, ...problems]);
  const escaped = new Set(escapes.map((d) => d.file));
  const allDiagnostics = [...diagnostics, ...problems.map((d) => (d.severity === 'error' ? { ...d, severity: 'warning' as const } : d))];
  for (const file of [...escaped].sort()) {
    if (file !== undefined) allDiagnostics.push(warningAt('POST_SKIPPED', file, 'was not published because of the problem above', 'fix it and build again'));
  }

  // Feed heads: everything but the items is known from the posts' metadata.
  const writers = [rssWriter, atomWriter, jsonFeedWriter] as const;
  const heads: FeedHead[] = [];
  const counts: number[] = [];
  const feeds: FeedSummary[] = [];
  // RFC 5005: the site feed links to the newest archive; each archive to its neighbours and the site feed.
  const archiveIndexes = plans.flatMap((plan, i) => (plan.kind === 'archive' ? [i] : []));
  const historyOf = (index: number): FeedHistory | undefined => {
    const plan = plans[index];
    const urlsAt = (i: number | undefined): FeedUrls | undefined => (i === undefined ? undefined : selfUrls(config, plans[i]?.dir ?? ''));
    if (plan?.kind === 'site') {
      const prev = urlsAt(archiveIndexes.at(-1));
      return prev === undefined ? undefined : { archive: false, prev };
    }
    if (plan?.kind !== 'archive') return undefined;
    const at = archiveIndexes.indexOf(index);
    const prev = urlsAt(archiveIndexes[at - 1]);
    const next = urlsAt(archiveIndexes[at + 1]);
    return { archive: true, current: selfUrls(config, ''), ...(prev === undefined ? {} : { prev }), ...(next === undefined ? {} : { next }) };
  };
  for (const [planIndex, plan] of plans.entries()) {
    const posts = plan.posts.filter((p) => !escaped.has(p.displayPath));
    const history = historyOf(planIndex);
    const newest = posts.reduce<Date | undefined>((max, p) => (max === undefined || p.updated > max ? p.updated : max), undefined);
    const urls = selfUrls(config, plan.dir);
    const head: FeedHead = {
      kind: plan.kind,
      dir: plan.dir,
      title: feedTitle(config, plan),
      ...(config.description === undefined ? {} : { description: config.description }),
      ...(config.lang === undefined ? {} : { language: config.lang }),
      homePageUrl: toHttpUrl(`${config.url}${config.baseurl}/`) as AbsoluteUrl,
      selfUrls: urls,
      ...(history === undefined ? {} : { history }),
      id: urls.atom,
      ...(config.author === undefined ? {} : { author: config.author }),
      ...(newest === undefined ? {} : { updated: newest }),
      timeZone: config.timezone,
      generator: GENERATOR,
      hubs: config.feed.hubs as readonly AbsoluteUrl[],
      // Relative to the feed's own folder, so the browser view works on any host and under any baseurl.
      stylesheet: `${plan.dir === '' ? '' : '../'.repeat(plan.dir.split('/').length)}${STYLESHEET_FILE}`,
    };
    heads.push(head);
    counts.push(0);
    feeds.push({ kind: plan.kind, dir: plan.dir, title: head.title, items: posts.length });
  }
  const fileOf = (planIndex: number, writer: FormatWriter): string => {
    const dir = plans[planIndex]?.dir ?? '';
    return dir === '' ? writer.fileName : `${dir}/${writer.fileName}`;
  };
  const sizes = new Map<string, number>();
  const emit = async (file: string, text: string): Promise<void> => {
    sizes.set(file, (sizes.get(file) ?? 0) + Buffer.byteLength(text));
    await sink.write(file, text);
  };
  await sink.open(STYLESHEET_FILE);
  await sink.write(STYLESHEET_FILE, FEED_XSL);
  for (let i = 0; i < plans.length; i++) {
    for (const writer of writers) {
      await sink.open(fileOf(i, writer));
      await emit(fileOf(i, writer), writer.head(heads[i] as FeedHead));
    }
  }

  // Items: render in rounds (the next round renders while this one is written), cache first. The scan
  // kept only each post's `PostRef`: a post going out is read and parsed again in full here.
  const root = realpathSync(options.contentDir);
  const maxFileBytes = options.maxFileBytes ?? DEFAULT_MAX_FILE_BYTES;
  const renderer = new Renderer(config.feed.excerptOnly, options.workers ?? availableParallelism(), options.workerThreshold ?? RENDER_WORKER_THRESHOLD);
  const fallbackAuthor: Person = config.author ?? { name: config.title === '' ? new URL(config.url).host : config.title };
  const toPublish = union.filter((p) => !escaped.has(p.displayPath));
  const renderRound = async (refs: readonly PostRef[]): Promise<{ post: Post; parts: RenderedParts }[]> => {
    const full: { post: Post; body: string; key?: string }[] = [];
    const errors: Diagnostic[] = [];
    for (const ref of refs) {
      const read = readPostFile(root, { rel: ref.sourcePath, symlink: true }, ref.displayPath, maxFileBytes);
      const parsed = 'bytes' in read ? toPost({ relPath: ref.sourcePath, displayPath: ref.displayPath, bytes: read.bytes }, { config, authors: site.authors }) : { diagnostics: [read] };
      if (parsed.post === undefined || parsed.post.id !== ref.id || parsed.post.bodyOffset !== ref.bodyOffset) {
        errors.push(...parsed.diagnostics.filter((d) => d.severity === 'error'), errorAt('READ_FAILED', ref.displayPath, 'changed while the feeds were being built', 'build again'));
        continue;
      }
      // Rendered parts are cached by content hash: only the posts that go out are hashed.
      const key = site.cache === undefined || !('bytes' in read) ? undefined : BuildCache.renderKey(ref.sourcePath, hashBytes(read.bytes), config.feed.excerptOnly);
      full.push({ post: parsed.post, body: parsed.post.body ?? '', ...(key === undefined ? {} : { key }) });
    }
    if (errors.length > 0) throw new FeedwrightError([...allDiagnostics, ...errors]);
    const keys = full.map((f) => f.key);
    const cached: (RenderedParts | undefined)[] = keys.map((key) => (key === undefined ? undefined : site.cache?.lookupRendered(key)));
    const misses = full.filter((_, i) => cached[i] === undefined).map(({ post, body }) => ({ url: post.url, ...(post.summary === undefined ? {} : { summary: post.summary }), body }));
    const made = await renderer.render(misses);
    let next = 0;
    return full.map(({ post }, i) => {
      const hit = cached[i];
      if (hit !== undefined) return { post, parts: hit };
      const parts = made[next++] as RenderedParts;
      const key = keys[i];
      if (key !== undefined) site.cache?.storeRendered(key, parts);
      return { post, parts };
    });
  };
  try {
    let pending = renderRound(toPublish.slice(0, RENDER_CHUNK));
    for (let start = 0; start < toPublish.length; start += RENDER_CHUNK) {
      const parts = await pending;
      if (start + RENDER_CHUNK < toPublish.length) pending = renderRound(toPublish.slice(start + RENDER_CHUNK, start + 2 * RENDER_CHUNK));
      for (const { post, parts: rendered } of parts) {
        const entry = toFeedEntry(post, enclosures.get(post.id), { excerptOnly: config.feed.excerptOnly, fallbackAuthor }, rendered);
        const planIndexes = memberOf.get(post.id) ?? [];
        // An item's text is the same in every feed of the site: serialize it once per format.
        const texts = writers.map((writer) => writer.item(entry, heads[planIndexes[0] ?? 0] as FeedHead));
        for (const planIndex of planIndexes) {
          const index = counts[planIndex] as number;
          for (let w = 0; w < writers.length; w++) {
            const writer = writers[w] as FormatWriter;
            await emit(fileOf(planIndex, writer), writer.separator(index) + (texts[w] as string));
          }
          counts[planIndex] = index + 1;
        }
      }
      options.onProgress?.({ stage: 'rendered', done: Math.min(start + RENDER_CHUNK, toPublish.length), total: toPublish.length });
    }
  } finally {
    await renderer.close();
  }
  for (let i = 0; i < plans.length; i++) {
    for (const writer of writers) await emit(fileOf(i, writer), writer.tail(heads[i] as FeedHead, counts[i] as number));
  }
  for (const [file, text] of [
    ['_headers', serializeHeaders(heads)],
    ['feeds.html', serializeDiscoveryLinks(heads)],
  ] as const) {
    await sink.open(file);
    await sink.write(file, text);
  }
  for (let i = 0; i < plans.length; i++) {
    for (const writer of writers) {
      const file = fileOf(i, writer);
      const bytes = sizes.get(file) ?? 0;
      if (bytes > FEED_SIZE_WARNING) {
        allDiagnostics.push(warningAt('FEED_LARGE', file, `is ${bytes} bytes; some readers refuse feeds over 1 MiB`, 'lower feed.posts_limit or turn on feed.excerpt_only'));
      }
    }
  }
  // The cache's clock reading only marks which files were modified too recently to trust their mtime.
  site.cache?.save(site.records, Date.now());
  return {
    config,
    feeds,
    diagnostics: allDiagnostics,
    stats: { postsRead: site.postsRead, published: published.length, skipped: site.skipped },
  };
}

/** Builds every feed of a site in memory: files to write, plus warnings. Nothing touches the output folder. */
export async function build(options: BuildOptions): Promise<BuildResult> {
  const contents = new Map<string, string[]>();
  const result = await generate(options, {
    open: async (file) => {
      contents.set(file, []);
    },
    write: async (file, text) => {
      contents.get(file)?.push(text);
    },
  });
  const files = [...contents].map(([file, parts]) => ({ path: file, contents: parts.join('') })).sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  return { ...result, files };
}

/**
 * Builds every feed and writes it into `outDir`, streaming each file to a temp file beside its target
 * (so memory stays flat whatever the feed sizes), then committing them all at once (see fs/write.ts).
 */
export async function publish(options: BuildOptions & { readonly outDir: string; readonly io?: WriteIo }): Promise<Omit<BuildResult, 'files'> & { readonly report: WriteReport }> {
  const staged = new StagedOutput(options.outDir, options.io);
  let result;
  try {
    result = await generate(options, { open: (file) => staged.open(file), write: (file, text) => staged.write(file, text) });
  } catch (cause) {
    await staged.abort();
    throw cause;
  }
  return { ...result, report: await staged.commit() };
}
