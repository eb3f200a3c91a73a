/**
 * Render stage over the posts that go out: each is read and parsed again in full (the parse stage kept only
 * a slim `PostRef`), its Liquid rendered here on the main thread (it needs the whole site: `site.posts`,
 * `_data`, `_includes`), then its Markdown and the sanitizer run once for every feed and format it appears
 * in — from the cache when the file's bytes are unchanged and it has no Liquid, else on the worker pool —
 * in rounds, so memory stays bounded.
 */
import path from 'node:path';
import { errorAt, FeedwrightError, warningAt, type Diagnostic } from '../errors.js';
import { readPostFile, ScratchBuffer } from '../load/read.js';
import type { LoadedSite } from '../load/site.js';
import { toPost, type SourceFile } from '../parse/to-post.js';
import { extractExcerpt, type PartsOptions, type RenderedParts, type RenderItem } from './parts.js';
import type { Post, PostRef } from '../types.js';
import { BuildCache } from '../write/cache.js';
import { hashBytes } from '../write/fingerprint.js';
import type { LiquidPage, LiquidSite } from './liquid.js';
import { kramdownOptionsFromSiteConfig } from './markdown.js';
import { markdownRendererFor } from './parts.js';
import type { RenderPool, RenderTicket } from './pool.js';
import type { SiteConfig } from '../config.js';

/** A post that goes out, with its rendered content and summary. */
export interface RenderedPost {
  readonly post: Post;
  readonly parts: RenderedParts;
}

/** Options of the render stage. */
export interface RenderOptions {
  readonly maxFileBytes: number;
  /** Where Markdown and the sanitizer run (made with `toPartsOptions` of the same site). */
  readonly pool: RenderPool;
  readonly cache?: BuildCache;
  /** The build time the parse stage was given, so a re-parse gives the same dates (and Liquid's `site.time`). */
  readonly now?: Date;
  /** Every published post, newest first: Liquid's `site.posts` and the targets of `link` / `post_url`. */
  readonly published: readonly PostRef[];
  /** Publish a post whose Liquid fails without its Liquid (with a warning), instead of failing the build. */
  readonly skipInvalid: boolean;
  /** Posts rendered ahead while the scan went on: taken from here instead of read and rendered again. */
  readonly speculation?: Speculation;
}

/** A round of posts read, parsed and through Liquid, its Markdown queued on the pool (or why it failed). */
export type PendingRound =
  | { readonly full: readonly { readonly post: Post; readonly key?: string; readonly ahead?: SpeculatedPost }[]; readonly cached: readonly (RenderedParts | undefined)[]; readonly ticket: RenderTicket }
  | { readonly failure: unknown };

/** Renders rounds of posts (on the pool it was given; its owner closes it). */
export interface PostRenderer {
  /** Reads a round, runs its Liquid and queues its Markdown for the workers; never rejects (`finish` throws a failure). */
  start(refs: readonly PostRef[]): Promise<PendingRound>;
  /** The round's posts with their rendered parts; the main thread renders its share here. */
  finish(pending: PendingRound): Promise<RenderedPost[]>;
  /** Warnings from rendering so far (Liquid's unknown tags, and skipped Liquid under `skipInvalid`). */
  readonly diagnostics: readonly Diagnostic[];
  /**
   * What the rendering read besides the post files, so far: whether Liquid may have read the build time
   * (`site.time`, a date filter), and the files Liquid looked up (absolute).
   */
  inputs(): { readonly usedNow: boolean; readonly files: readonly string[] };
}

// Liquid markup: a body without it renders to itself, and its rendered parts depend on nothing but its bytes.
const LIQUID_MARKUP = /\{[{%]/;

/** The site-relative path of an absolute URL of the site (Jekyll's `page.url` has no `url` or `baseurl`). */
function sitePath(url: string, prefix: string): string {
  return url.startsWith(prefix) ? url.slice(prefix.length) || '/' : url;
}

/** Liquid's view of a post (Jekyll's `page`, and an entry of `site.posts`). */
function toLiquidPage(post: PostRef | Post, prefix: string, data?: Readonly<Record<string, unknown>>): LiquidPage {
  const file = path.posix.basename(post.sourcePath).replace(/\.[^.]+$/, '');
  const slug = typeof data?.['slug'] === 'string' ? data['slug'] : file.replace(/^\d{2,4}-\d{1,2}-\d{1,2}-/, '');
  return {
    url: sitePath(post.url, prefix),
    date: post.date,
    id: sitePath(post.id, prefix),
    path: post.sourcePath,
    slug,
    // A post's title is made only when it is parsed in full (the scan leaves it out).
    title: 'title' in post ? post.title : '',
    categories: post.categories,
    tags: post.tags,
    ...(data === undefined ? {} : { data }),
  };
}

/**
 * What the pool renders of a post: its body, and the source of its generated excerpt, after `liquid`
 * (which gives `undefined` when the post's Liquid failed and is published without it).
 */
function toRenderItem(post: Post, body: string, liquid: (source: string) => string | undefined): RenderItem {
  const excerptSource = post.summary === undefined ? extractExcerpt(body, post.excerptSeparator) : undefined;
  const renderedBody = liquid(body) ?? body;
  const excerpt = excerptSource === undefined ? undefined : renderedBody === body ? excerptSource : (liquid(excerptSource) ?? excerptSource);
  return { url: post.url, ...(post.summary === undefined ? {} : { summary: post.summary }), body: renderedBody, ...(excerpt === undefined ? {} : { excerpt }), markdown: post.markdown };
}

/** A post rendered ahead: its full parse, its render-cache key, and its parts once the pool has them. */
export interface SpeculatedPost {
  readonly post: Post;
  readonly key?: string;
  parts(): Promise<RenderedParts>;
}

/**
 * Rendering ahead, while the scan goes on. A cold build of a large site scans every post on the main thread
 * while the render workers, started already, would wait for the selection; and the posts the feeds carry are,
 * as a rule, the newest by file name. So the scan goes newest file name first and offers each post here;
 * those that `likely` says the feeds will carry (see select.ts, `likelyInFeeds`) are parsed in full from
 * the bytes the scan read and queued on the workers at once. The render stage then takes them (`take`)
 * instead of reading and rendering them again: the same parse of the same bytes, the same `renderParts`,
 * so the same output. A guess that was wrong costs a wasted rendering on the workers, or a post rendered
 * later as usual. Posts with Liquid are not rendered ahead (their Liquid needs the whole site), and at most
 * `SPECULATION_MAX` posts are held.
 */
export interface Speculation {
  /** A post as it is scanned, with the bytes it was read from. */
  offer(ref: PostRef, source: SourceFile): void;
  /** Queues the posts offered since the last full batch (the scan is over). */
  flush(): void;
  /** The post rendered ahead, once (it is then let go), or `undefined`. */
  take(ref: PostRef): SpeculatedPost | undefined;
}

/**
 * Posts held rendered ahead at most: the bench's news feeds (33 feeds of 50) carry 751 of its 20,000 posts.
 * With every post in the feeds (`--limit 0`, archives) the first 4,096 are rendered ahead, and the render
 * rounds take them first (newest first): at 20,000 posts, 0.93x the wall time and a peak of 261 MB against
 * 315 MB without (paired medians).
 */
const SPECULATION_MAX = 4096;
/** Posts queued together: one batch of the pool. */
const SPECULATION_BATCH = 8;

/** Starts rendering ahead for a site, on a pool whose workers are running. */
export function createSpeculation(site: LoadedSite, options: { readonly pool: RenderPool; readonly likely: (post: PostRef) => boolean; readonly now?: Date; readonly cache?: BuildCache }): Speculation {
  const { pool, likely, cache } = options;
  const ctx = { config: site.config, authors: site.authors, ...(options.now === undefined ? {} : { now: options.now }) };
  const excerptOnly = site.config.feed.excerptOnly;
  const ahead = new Map<string, SpeculatedPost>();
  let batch: { post: Post; key?: string; item: RenderItem }[] = [];
  let held = 0;
  const flush = (): void => {
    if (batch.length === 0) return;
    const queued = batch;
    batch = [];
    const ticket = pool.submit(queued.map((q) => q.item));
    let results: Promise<RenderedParts[]> | undefined;
    queued.forEach(({ post, key }, i) => {
      const parts = async (): Promise<RenderedParts> => {
        results ??= pool.collect(ticket);
        const made = (await results)[i];
        if (made === undefined) throw new Error(`render pool returned too few results (${path.posix.basename(post.sourcePath)})`);
        return made;
      };
      ahead.set(post.sourcePath, { post, ...(key === undefined ? {} : { key }), parts });
    });
  };
  const offer = (ref: PostRef, source: SourceFile): void => {
    if (held >= SPECULATION_MAX || !likely(ref)) return;
    const { post } = toPost(source, ctx);
    const body = post?.body;
    if (post === undefined || body === undefined || post.id !== ref.id || (post.renderWithLiquid && LIQUID_MARKUP.test(body))) return;
    held++;
    const key = cache === undefined ? undefined : BuildCache.renderKey(hashBytes(source.bytes), excerptOnly);
    batch.push({ post, ...(key === undefined ? {} : { key }), item: toRenderItem(post, body, (text) => text) });
    if (batch.length === SPECULATION_BATCH) flush();
  };
  const take = (ref: PostRef): SpeculatedPost | undefined => {
    const found = ahead.get(ref.sourcePath);
    if (found === undefined || found.post.id !== ref.id || found.post.bodyOffset !== ref.bodyOffset) return undefined;
    ahead.delete(ref.sourcePath);
    return found;
  };
  return { offer, flush, take };
}

/** The site-wide options of rendering a post's parts (plain data: they go to the worker threads). */
export function toPartsOptions(config: SiteConfig): PartsOptions {
  return { excerptOnly: config.feed.excerptOnly, iframeHosts: config.feed.iframeHosts, markdown: kramdownOptionsFromSiteConfig(config.raw) };
}

/** Starts the render stage for a site. */
export function createPostRenderer(site: LoadedSite, options: RenderOptions): PostRenderer {
  const { config } = site;
  const excerptOnly = config.feed.excerptOnly;
  const partsOptions = toPartsOptions(config);
  const kramdown = partsOptions.markdown;
  const prefix = `${config.url}${config.baseurl}`;
  const diagnostics: Diagnostic[] = [];
  // Made when the first post with Liquid markup goes out: `_data` is read, and liquidjs loaded, only for sites that use Liquid.
  let liquid: LiquidSite | undefined;
  // liquidjs, and the `_data` reader (with its CSV parser), are loaded with the first post that has Liquid.
  let liquidModule: { readonly liquid: typeof import('./liquid.js'); readonly data: typeof import('../load/data.js') } | undefined;
  const liquidSite = (): LiquidSite => {
    if (liquid !== undefined) return liquid;
    if (liquidModule === undefined) throw new Error('Liquid is rendered before its module was loaded');
    const { createLiquidSite, readLiquidConfig } = liquidModule.liquid;
    const data = liquidModule.data.loadSiteData(site.root, { displayDir: site.displayDir });
    diagnostics.push(...data.diagnostics.filter((d) => d.severity === 'warning'));
    const dataErrors = data.diagnostics.filter((d) => d.severity === 'error');
    if (dataErrors.length > 0 && !options.skipInvalid) throw new FeedwrightError(dataErrors);
    const markdown = markdownRendererFor(kramdown);
    liquid = createLiquidSite({
      contentDir: site.root,
      displayDir: site.displayDir,
      config: config.raw,
      data: data.data,
      url: config.url,
      baseurl: config.baseurl,
      timezone: config.timezone,
      now: options.now ?? new Date(0),
      // `site.posts` with each post's front matter (templates filter on any key: `where: "series", "one"`):
      // read again only when a template asks for it.
      posts: () =>
        options.published.map((p) => {
          const full = reparse(p).post;
          return toLiquidPage(full ?? p, prefix, full?.data);
        }),
      liquid: readLiquidConfig(config.raw['liquid']),
      markdownify: (text) => markdown.render(text),
      smartify: (text) => markdown.smartify(text),
    });
    return liquid;
  };
  /** Renders the Liquid of a post's body (and of its excerpt's source, which Jekyll renders on its own). */
  const renderLiquid = (post: Post, body: string, file: { readonly displayPath: string; readonly bodyLine: number }): string | undefined => {
    if (!post.renderWithLiquid || !LIQUID_MARKUP.test(body)) return body;
    const result = liquidSite().renderPost(body, toLiquidPage(post, prefix, post.data), file);
    const errors = result.diagnostics.filter((d) => d.severity === 'error');
    diagnostics.push(...result.diagnostics.filter((d) => d.severity === 'warning'));
    if (errors.length === 0) return result.html;
    if (!options.skipInvalid) throw new FeedwrightError(errors);
    diagnostics.push(...errors.map((d) => ({ ...d, severity: 'warning' as const })), warningAt('POST_SKIPPED', post.displayPath, 'its Liquid failed, so it is published without Liquid (the markup shows as text)', 'fix the Liquid and build again'));
    return undefined;
  };
  const { cache, pool } = options;
  // The post files the listing found to be symbolic links: only these are resolved (realpath) when read again;
  // the others are opened as the scan opened them (a full-archive build of 5,000 posts spent 0.19 s of its
  // main thread resolving every path).
  let links: ReadonlySet<string> | undefined;
  const linked = (): ReadonlySet<string> => (links ??= new Set(site.files.flatMap((f) => (f.symlink ? [f.rel] : []))));
  // A post's bytes are done with before the next post is read (hashed, and parsed into strings of their own,
  // with no await between), so every post is read into one buffer, as the scan reads them.
  const scratch = new ScratchBuffer();
  const reparse = (ref: PostRef): { post?: Post; read: ReturnType<typeof readPostFile>; diagnostics: readonly Diagnostic[] } => {
    const read = readPostFile(site.root, { rel: ref.sourcePath, symlink: linked().has(ref.sourcePath) }, ref.displayPath, options.maxFileBytes, scratch);
    if (!('bytes' in read)) return { read, diagnostics: [read] };
    const parsed = toPost({ relPath: ref.sourcePath, displayPath: ref.displayPath, bytes: read.bytes, draft: ref.draft, mtimeMs: read.mtimeMs }, { config, authors: site.authors, ...(options.now === undefined ? {} : { now: options.now }) });
    return { read, diagnostics: parsed.diagnostics, ...(parsed.post === undefined ? {} : { post: parsed.post }) };
  };
  const start = async (refs: readonly PostRef[]): Promise<PendingRound> => {
    try {
      return await prepare(refs);
    } catch (cause) {
      return { failure: cause };
    }
  };
  const prepare = async (refs: readonly PostRef[]): Promise<PendingRound> => {
    const full: { post: Post; body: string; key?: string; ahead?: SpeculatedPost }[] = [];
    const errors: Diagnostic[] = [];
    for (const ref of refs) {
      const taken = options.speculation?.take(ref);
      if (taken !== undefined) {
        full.push({ post: taken.post, body: '', ...(taken.key === undefined ? {} : { key: taken.key }), ahead: taken });
        continue;
      }
      const parsed = reparse(ref);
      const { read } = parsed;
      if (parsed.post === undefined || parsed.post.id !== ref.id || parsed.post.bodyOffset !== ref.bodyOffset) {
        errors.push(...parsed.diagnostics.filter((d) => d.severity === 'error'), errorAt('READ_FAILED', ref.displayPath, 'changed while the feeds were being built', 'build again'));
        continue;
      }
      // Rendered parts are cached by content hash: only the posts that go out are hashed.
      // A post with Liquid depends on the rest of the site (_data, _includes, other posts): never cached.
      const raw = parsed.post.body ?? '';
      const usesLiquid = parsed.post.renderWithLiquid && LIQUID_MARKUP.test(raw);
      const key = cache === undefined || !('bytes' in read) || usesLiquid ? undefined : BuildCache.renderKey(hashBytes(read.bytes), excerptOnly);
      full.push({ post: parsed.post, body: raw, ...(key === undefined ? {} : { key }) });
      if (usesLiquid) liquidModule ??= { liquid: await import('./liquid.js'), data: await import('../load/data.js') };
    }
    if (errors.length > 0) throw new FeedwrightError(errors);
    const cached = full.map(({ post, key, ahead }) => (key === undefined || ahead !== undefined ? undefined : cache?.lookupRendered(post.sourcePath, key, post.url, partsOptions)));
    const misses = full.filter((one, i) => cached[i] === undefined && one.ahead === undefined).map(({ post, body }) => {
      const file = { displayPath: post.displayPath, bodyLine: post.bodyLine ?? 1 };
      return toRenderItem(post, body, (source) => renderLiquid(post, source, file));
    });
    return { full, cached, ticket: pool.submit(misses) };
  };
  const finish = async (pending: PendingRound): Promise<RenderedPost[]> => {
    if ('failure' in pending) throw pending.failure;
    const { full, cached, ticket } = pending;
    const made = await pool.collect(ticket);
    let next = 0;
    const round: RenderedPost[] = [];
    for (const [i, { post, key, ahead }] of full.entries()) {
      const hit = cached[i];
      if (hit !== undefined) {
        round.push({ post, parts: hit });
        continue;
      }
      const parts = ahead === undefined ? made[next++] : await ahead.parts();
      if (parts === undefined) throw new Error(`render pool returned too few results (${path.posix.basename(post.sourcePath)})`);
      if (key !== undefined) cache?.storeRendered(post.sourcePath, key, parts);
      round.push({ post, parts });
    }
    return round;
  };
  const inputs = (): { usedNow: boolean; files: readonly string[] } => ({ usedNow: liquid?.usedNow() === true, files: liquid?.filesLookedUp() ?? [] });
  return { start, finish, diagnostics, inputs };
}
