/**
 * The one orchestrator: load → parse → select → render → serialize → write, each stage in its own folder.
 * Rendering comes after selection so that only the posts some feed carries are rendered (once each, for
 * every feed and format). Only the two ends touch the disk; `now` is the caller's clock.
 */
import path from 'node:path';
import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import v8 from 'node:v8';
import type { ConfigOverrides, SiteConfig } from './config.js';
import { settleDiagnostics, type Diagnostic } from './errors.js';
import { loadSite, statImages, type LoadedSite } from './load/site.js';
import { parsePosts } from './parse/posts.js';
import { createPostRenderer, toPartsOptions, type PendingRound } from './render/posts.js';
import { defaultRenderThreads, RenderPool } from './render/pool.js';
import { toEnclosures } from './select/enclosure.js';
import { toFeedEntry } from './select/entries.js';
import { STYLESHEET_FILE, toFeedHeads, toJekyllAliases } from './select/feeds.js';
import { checkExcerpts, checkFeedNames, comparePosts, isPublished, selectFeeds, toMembership } from './select/select.js';
import { FeedStreams, FORMAT_WRITERS, feedFileOf, type FeedSink } from './serialize/stream.js';
import type { Feed, OutputFile } from './types.js';
import { BuildCache } from './write/cache.js';
import { StagedOutput, type WriteIo, type WriteReport } from './write/output.js';

export type { FeedSink } from './serialize/stream.js';

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
  /** Worker threads for rendering beside the main thread; 0 for none (default: one per core but one, for sites of 400+ posts). */
  readonly workers?: number;
  /** Sites of at least this many posts start the render workers while the posts are parsed (default 400). */
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

const DEFAULT_MAX_FILE_BYTES = 10 * 1024 * 1024;
/** Posts rendered per round: bounds memory in full-archive builds (two rounds live at once; rendered HTML is dropped after writing). */
const RENDER_CHUNK = 250;
/**
 * How far V8 lets the heap grow past what the last full GC kept. A build allocates fast (every post read,
 * rendered and written), and for fast allocators V8 grows the heap up to 4× the live size
 * (v8/src/heap/heap-controller.cc, `DynamicGrowingFactor`): a full-archive build of 20,000 posts kept
 * ~60 MB live and peaked at ~290 MB of heap (430 MB RSS); 2× held the build to 270 MB RSS. Set for the
 * render-and-write loop only: in the parse stage the tighter heap costs CPU (~4% of a cold build) and saves nothing.
 */
const HEAP_GROWING_PERCENT = 100;
/** Feed entries written between two turns of the event loop. */
const YIELD_EVERY = 16;

/** Runs the pipeline into `sink`. All input errors are found before the first byte is written. */
export async function generate(options: BuildOptions, sink: FeedSink): Promise<Omit<BuildResult, 'files'>> {
  const maxFileBytes = options.maxFileBytes ?? DEFAULT_MAX_FILE_BYTES;
  const skipInvalid = options.skipInvalid === true;
  const site = await loadSite(options.contentDir, toPosix(options.displayDir ?? options.contentDir), options.overrides);
  const workerThreshold = options.workerThreshold ?? 400;
  const pool = new RenderPool(toPartsOptions(site.config), options.workers ?? defaultRenderThreads(), workerThreshold);
  // A site this large will likely render enough posts to pay for the workers: they load while the posts are parsed.
  if (site.files.length >= workerThreshold) pool.start();
  try {
    return await generateWith(site, pool, options, sink, { maxFileBytes, skipInvalid });
  } finally {
    setHeapGrowth(0);
    await pool.close();
  }
}

async function generateWith(site: LoadedSite, pool: RenderPool, options: BuildOptions, sink: FeedSink, limits: { readonly maxFileBytes: number; readonly skipInvalid: boolean }): Promise<Omit<BuildResult, 'files'>> {
  const { maxFileBytes, skipInvalid } = limits;
  const { config } = site;
  const cache = options.cacheDir === undefined ? undefined : BuildCache.open(options.cacheDir, { config, authors: [...site.authors], maxFileBytes });
  const parsed = parsePosts(site, { maxFileBytes, skipInvalid, now: options.now, ...(cache === undefined ? {} : { cache }) });
  options.onProgress?.({ stage: 'scanned', done: site.files.length, total: site.files.length });

  const published = parsed.posts.filter((p) => isPublished(p, config, options.now)).sort(comparePosts);
  const plans = selectFeeds(published, config);
  const { memberOf, posts } = toMembership(plans, published);
  const images = statImages(site.root, posts.flatMap((p) => (p.image?.kind === 'local' ? [p.image.path] : [])));
  const { enclosures, diagnostics: imageDiagnostics } = toEnclosures(posts, images, config);
  const { reported, failedFiles } = settleDiagnostics([...parsed.diagnostics, ...imageDiagnostics, ...checkExcerpts(posts, config), ...checkFeedNames(published, config)], skipInvalid);
  const goesOut = (displayPath: string): boolean => !failedFiles.has(displayPath);
  const heads = toFeedHeads(plans, config, goesOut);

  const aliases = toJekyllAliases(plans, heads, config, new Set(heads.flatMap((head) => FORMAT_WRITERS.map((writer) => feedFileOf(head, writer)))));
  const streams = new FeedStreams(heads, sink, STYLESHEET_FILE, aliases);
  await streams.start();
  const toRender = posts.filter((p) => goesOut(p.displayPath));
  const renderer = createPostRenderer(site, { maxFileBytes, pool, now: options.now, ...(cache === undefined ? {} : { cache }), published, skipInvalid });
  const fallbackAuthor = config.author ?? { name: config.title === '' ? new URL(config.url).host : config.title };
  // From here on every post that goes out is read, rendered and written: the allocation-heavy part.
  setHeapGrowth(HEAP_GROWING_PERCENT);
  const rounds: (typeof toRender)[] = [];
  for (let start = 0; start < toRender.length; start += RENDER_CHUNK) rounds.push(toRender.slice(start, start + RENDER_CHUNK));
  // Round i+1 is read, parsed, through Liquid and queued for the workers before round i is collected (the
  // main thread renders what the workers have not taken of round i) and written (the workers render round
  // i+1 meanwhile): the main thread's own work comes first, rendering fills its gaps.
  let pending: PendingRound | undefined = rounds[0] === undefined ? undefined : renderer.start(rounds[0]);
  let done = 0;
  for (let i = 0; pending !== undefined; i++) {
    const nextRound = rounds[i + 1];
    const next = nextRound === undefined ? undefined : renderer.start(nextRound);
    const round = await renderer.finish(pending);
    for (const [n, { post, parts }] of round.entries()) {
      const entry = toFeedEntry(post, enclosures.get(post.sourcePath), { excerptOnly: config.feed.excerptOnly, fallbackAuthor }, parts);
      await streams.add(entry, memberOf.get(post.sourcePath) ?? []);
      // Writing to memory never yields to the event loop: let the workers' finished batches in, and give them more.
      if (n % YIELD_EVERY === YIELD_EVERY - 1) await yieldToEventLoop();
    }
    done += round.length;
    options.onProgress?.({ stage: 'rendered', done, total: toRender.length });
    pending = next;
  }
  const sizeWarnings = await streams.finish();
  // The cache's clock reading only marks which files were modified too recently to trust their mtime.
  cache?.save(parsed.records, Date.now());
  return {
    config,
    feeds: plans.map((plan, i) => ({ kind: plan.kind, dir: plan.dir, title: heads[i]?.title ?? config.title, items: plan.posts.filter((p) => goesOut(p.displayPath)).length })),
    diagnostics: [...reported, ...renderer.diagnostics, ...sizeWarnings],
    stats: { postsRead: site.files.length, published: published.length, skipped: parsed.skipped + failedFiles.size },
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
 * Builds every feed and writes it into `outDir`: each file is streamed to a temp file beside its target,
 * then all are committed at once (see write/output.ts), so a failed build leaves the previous feeds.
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

/** Sets V8's heap growing factor for the build (`0`: V8's own, dynamic). Read by V8 at every full GC. */
function setHeapGrowth(percent: number): void {
  v8.setFlagsFromString(`--heap-growing-percent=${percent}`);
}

function toPosix(p: string): string {
  return p.split(path.sep).join('/').replace(/\/+$/, '') || '.';
}
