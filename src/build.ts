/**
 * The one orchestrator: load → parse → select → render → serialize → write, each stage in its own folder.
 * Rendering comes after selection so that only the posts some feed carries are rendered (once each, for
 * every feed and format). Only the two ends touch the disk; `now` is the caller's clock.
 */
import { createHash } from 'node:crypto';
import { closeSync, openSync } from 'node:fs';
import path from 'node:path';
import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import v8 from 'node:v8';
import type { ConfigOverrides, SiteConfig } from './config.js';
import { settleDiagnostics, type Diagnostic } from './errors.js';
import { loadConfig } from './config.js';
import { joinListed, readInto } from './load/read.js';
import { loadSite, statImages, type LoadedSite } from './load/site.js';
import { parsePosts, type ParsedPosts } from './parse/posts.js';
import { createPostRenderer, createSpeculation, toPartsOptions, type PendingRound } from './render/posts.js';
import { defaultRenderThreads, RenderPool } from './render/pool.js';
import { toEnclosures } from './select/enclosure.js';
import { toFeedEntry } from './select/entries.js';
import { STYLESHEET_FILE, toFeedHeads, toJekyllAliases } from './select/feeds.js';
import { checkExcerpts, checkFeedNames, comparePosts, isPublished, likelyInFeeds, selectFeeds, toMembership } from './select/select.js';
import { FeedStreams, FORMAT_WRITERS, feedFileOf, isItemText, type AtomAlias, type FeedSink } from './serialize/stream.js';
import type { FeedHead, FormatWriter } from './serialize/writer.js';
import type { Feed, OutputFile, PostRef } from './types.js';
import { BuildCache, type ScanRecord } from './write/cache.js';
import { BuildInputs, dropManifest, readKeptFeeds, readOldItems, replayPublish, saveManifest, toManifestRequest } from './write/manifest.js';
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
  /**
   * Sites of at least this many posts start the render workers while the posts are parsed (default 400); with
   * a cache's scan index, only once at least this many files had to be parsed again.
   */
  readonly workerThreshold?: number;
  /** Folder for the build cache (`.feedwright-cache`); no cache when absent. Output is the same either way. */
  readonly cacheDir?: string;
  /**
   * Hold V8's heap growth near the live size while posts are rendered and written (see
   * `HEAP_GROWING_PERCENT`). It sets a process-wide V8 flag for the build's duration, so only a process
   * that runs nothing else beside the build (the CLI) should ask for it. Default false.
   */
  readonly boundHeap?: boolean;
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
 * ~60 MB live and peaked at ~290 MB of heap (430 MB RSS); 2× held the build to 270 MB RSS. At 100,000 posts
 * it keeps ~180 MB live, and 2× let the heap reach ~410 MB (527 MB RSS); 1.5× holds it to 436 MB RSS, in
 * 0.94× the wall time and 0.97× the CPU (paired, 3 runs each), while at 20,000 posts neither the peak
 * (~322 MB) nor the time moved (0.98× for `--limit 0`, 0.97× for a cold news build, paired). Set for the
 * render-and-write loop only: in the parse stage the tighter heap costs CPU (~4% of a cold build) and saves nothing.
 */
const HEAP_GROWING_PERCENT = 50;
/** Feed entries written between two turns of the event loop. */
const YIELD_EVERY = 16;

/** Runs the pipeline into `sink`. All input errors are found before the first byte is written. */
export async function generate(options: BuildOptions, sink: FeedSink, inputs?: BuildInputs): Promise<Omit<BuildResult, 'files'>> {
  const maxFileBytes = options.maxFileBytes ?? DEFAULT_MAX_FILE_BYTES;
  const skipInvalid = options.skipInvalid === true;
  const { cacheDir } = options;
  let cache: BuildCache | undefined;
  // The cache's scan index is read while the post files are listed (both take tens of milliseconds at 20,000 posts).
  const site = await loadSite(options.contentDir, toPosix(options.displayDir ?? options.contentDir), options.overrides, (settings) => {
    cache = cacheDir === undefined ? undefined : BuildCache.open(cacheDir, { config: settings.config, authors: [...settings.authors], maxFileBytes }, settings.displayDir);
  });
  const workerThreshold = options.workerThreshold ?? 400;
  const pool = new RenderPool(toPartsOptions(site.config), options.workers ?? defaultRenderThreads(), workerThreshold);
  // A site this large will likely render enough posts to pay for the workers: they load while the posts are
  // parsed. Not when a scan index will spare most of the parse: a rebuild renders its changed posts only,
  // and workers loading for it would take the second core from the main thread for nothing (see below).
  if (site.files.length >= workerThreshold && cache?.hasIndex !== true) pool.start();
  try {
    return await generateWith(site, pool, cache, options, sink, { maxFileBytes, skipInvalid, workerThreshold }, inputs);
  } finally {
    if (options.boundHeap === true) setHeapGrowth(0);
    await pool.close();
  }
}

async function generateWith(site: LoadedSite, pool: RenderPool, cache: BuildCache | undefined, options: BuildOptions, sink: FeedSink, limits: { readonly maxFileBytes: number; readonly skipInvalid: boolean; readonly workerThreshold: number }, inputs: BuildInputs | undefined): Promise<Omit<BuildResult, 'files'>> {
  const { maxFileBytes, skipInvalid, workerThreshold } = limits;
  const { config } = site;
  // With the workers already running (a large site, no scan index), they render the likely feed posts while
  // the main thread scans the rest (see render/posts.ts, `Speculation`).
  const speculation = pool.running ? createSpeculation(site, { pool, likely: likelyInFeeds(config, options.now), now: options.now, ...(cache === undefined ? {} : { cache }) }) : undefined;
  const parsed = await parsePosts(site, { maxFileBytes, skipInvalid, now: options.now, ...(cache === undefined ? {} : { cache }), ...(inputs === undefined ? {} : { hashStampedFrom: inputs.racySince }), ...(speculation === undefined ? {} : { onScanned: speculation.offer }) });
  speculation?.flush();
  // So many files changed since the index was saved that their posts are worth the workers after all.
  if (parsed.reparsed >= workerThreshold) pool.start();
  options.onProgress?.({ stage: 'scanned', done: site.files.length, total: site.files.length });

  const published = parsed.posts.filter((p) => isPublished(p, config, options.now)).sort(comparePosts);
  const plans = selectFeeds(published, config);
  const { memberOf, posts } = toMembership(plans, published);
  const images = statImages(site.root, posts.flatMap((p) => (p.image?.kind === 'local' ? [p.image.path] : [])));
  const { enclosures, diagnostics: imageDiagnostics } = toEnclosures(posts, images, config);
  if (inputs !== undefined) noteInputs(inputs, site, parsed, images.keys(), options.now);
  const { reported, failedFiles } = settleDiagnostics([...parsed.diagnostics, ...imageDiagnostics, ...checkExcerpts(posts, config), ...checkFeedNames(published, config)], skipInvalid);
  const goesOut = (displayPath: string): boolean => !failedFiles.has(displayPath);
  const heads = toFeedHeads(plans, config, goesOut);

  const aliases = toJekyllAliases(plans, heads, config, new Set(heads.flatMap((head) => FORMAT_WRITERS.map((writer) => feedFileOf(head, writer)))));
  const feedPosts = plans.map((plan) => plan.posts.filter((p) => goesOut(p.displayPath)));
  const records = inputs === undefined || sink.keep === undefined ? undefined : new Map(parsed.records.map((r) => [r.rel, r]));
  const kept = inputs === undefined || records === undefined ? new Map<number, ReadonlyMap<string, number>>() : toKeptFeeds(inputs, { site, heads, aliases, feedPosts, records, enclosures });
  const streams = new FeedStreams(heads, sink, STYLESHEET_FILE, aliases, kept);
  await streams.start();
  // Posts that only kept feeds carry are not rendered at all.
  const toRender = posts.filter((p) => goesOut(p.displayPath) && (memberOf.get(p.sourcePath) ?? []).some((feed) => !kept.has(feed)));
  // Posts whose items the last build wrote, from the same bytes, into files still as it left them: their
  // texts are taken from there, neither read, rendered, sanitized nor serialized again.
  const prints = inputs === undefined || records === undefined ? new Map<string, string>() : toPrints(inputs, site, toRender, records, enclosures);
  const oldItems = inputs === undefined ? undefined : new OldItemReader(inputs, prints);
  const renderer = createPostRenderer(site, { maxFileBytes, pool, now: options.now, ...(cache === undefined ? {} : { cache }), published, skipInvalid, ...(speculation === undefined ? {} : { speculation }) });
  const fallbackAuthor = config.author ?? { name: config.title === '' ? new URL(config.url).host : config.title };
  // From here on every post that goes out is read and rendered (or its items copied) and written: the allocation-heavy part.
  if (options.boundHeap === true) setHeapGrowth(HEAP_GROWING_PERCENT);
  const rounds: (typeof toRender)[] = [];
  for (let start = 0; start < toRender.length; start += RENDER_CHUNK) rounds.push(toRender.slice(start, start + RENDER_CHUNK));
  // A round's copied items are read when it starts (a round at a time, as rendered posts are held), and the
  // rest of it goes to the renderer.
  const startRound = (round: readonly PostRef[]): { readonly copied: ReadonlyMap<string, ReadonlyMap<FormatWriter['fileName'], string>>; readonly pending: Promise<PendingRound> } => {
    const copied = new Map(round.flatMap((p) => {
      const texts = oldItems?.read(p);
      return texts === undefined ? [] : [[p.sourcePath, texts] as const];
    }));
    return { copied, pending: renderer.start(round.filter((p) => !copied.has(p.sourcePath))) };
  };
  // Round i+1 is read, parsed, through Liquid and queued for the workers before round i is collected (the
  // main thread renders what the workers have not taken of round i) and written (the workers render round
  // i+1 meanwhile): the main thread's own work comes first, rendering fills its gaps.
  let done = 0;
  try {
    let started = rounds[0] === undefined ? undefined : startRound(rounds[0]);
    for (let i = 0; started !== undefined; i++) {
      const refs = rounds[i] ?? [];
      const nextRound = rounds[i + 1];
      const next = nextRound === undefined ? undefined : startRound(nextRound);
      const round = await renderer.finish(await started.pending);
      let r = 0;
      for (const [n, ref] of refs.entries()) {
        const feeds = memberOf.get(ref.sourcePath) ?? [];
        const texts = started.copied.get(ref.sourcePath);
        if (texts !== undefined) {
          await streams.addTexts(texts, feeds, prints.get(ref.sourcePath));
        } else {
          const rendered = round[r++];
          if (rendered === undefined || rendered.post.sourcePath !== ref.sourcePath) throw new Error(`render stage gave another post than ${ref.sourcePath}`);
          const entry = toFeedEntry(rendered.post, enclosures.get(ref.sourcePath), { excerptOnly: config.feed.excerptOnly, fallbackAuthor }, rendered.parts);
          await streams.add(entry, feeds, prints.get(ref.sourcePath));
        }
        // Writing to memory never yields to the event loop: let the workers' finished batches in, and give them more.
        if (n % YIELD_EVERY === YIELD_EVERY - 1) await yieldToEventLoop();
      }
      done += refs.length;
      options.onProgress?.({ stage: 'rendered', done, total: toRender.length });
      started = next;
    }
  } finally {
    oldItems?.close();
  }
  if (inputs !== undefined) {
    const rendered = renderer.inputs();
    for (const file of rendered.files) inputs.files.add(file);
    if (rendered.usedNow) inputs.dependsOnNow = true;
  }
  const sizeWarnings = await streams.finish();
  if (inputs !== undefined) inputs.items = streams.itemTable();
  // The cache's clock reading only marks which files were modified too recently to trust their mtime.
  cache?.save(parsed.records, Date.now());
  return {
    config,
    feeds: plans.map((plan, i) => ({ kind: plan.kind, dir: plan.dir, title: heads[i]?.title ?? config.title, items: plan.posts.filter((p) => goesOut(p.displayPath)).length })),
    diagnostics: [...reported, ...renderer.diagnostics, ...sizeWarnings],
    stats: { postsRead: site.files.length, published: published.length, skipped: parsed.skipped + failedFiles.size },
  };
}

/**
 * The feeds this build keeps as the last one wrote them (index → their files' byte lengths): those whose
 * fingerprint is the last build's. A feed's fingerprint is everything its bytes depend on beyond the code and
 * options: the configuration and authors, its head and its aliases' heads, and each post in it, in order, by
 * its file's stat (and the hash of its bytes when the stat is too recent to prove them) and its enclosure. A
 * feed holding a post with Liquid (which depends on the whole site) gets none, so it is always written.
 */
function toKeptFeeds(inputs: BuildInputs, feeds: { readonly site: LoadedSite; readonly heads: readonly FeedHead[]; readonly aliases: readonly AtomAlias[]; readonly feedPosts: readonly (readonly PostRef[])[]; readonly records: ReadonlyMap<string, ScanRecord>; readonly enclosures: ReadonlyMap<string, unknown> }): Map<number, ReadonlyMap<string, number>> {
  const { site, heads, aliases, feedPosts, records, enclosures } = feeds;
  const base = [site.config, [...site.authors]];
  const kept = new Map<number, ReadonlyMap<string, number>>();
  heads.forEach((head, feed) => {
    const members = (feedPosts[feed] ?? []).map((post) => records.get(post.sourcePath));
    if (members.some((r) => r === undefined || !provenByStat(inputs, r))) return;
    const posts = members.flatMap((r) => (r === undefined ? [] : [postFingerprint(r, enclosures)]));
    const parts = [base, head, aliases.filter((a) => a.feed === feed).map((a) => a.head), posts];
    const sizes = inputs.keepFeed(FeedStreams.filesOf(heads, aliases, feed), parts);
    if (sizes !== undefined) kept.set(feed, sizes);
  });
  return kept;
}

/** Whether a post file's record proves its bytes (stat old enough, or hashed) and they alone decide its item (no Liquid, no date from the build time). */
function provenByStat(inputs: BuildInputs, r: ScanRecord): boolean {
  return r.liquid !== true && r.usesBuildTime !== true && (inputs.trusts(r.mtimeMs, r.ctimeMs) || r.hash !== undefined);
}

/** What a post's item depends on beyond the code, options, configuration and authors: its file's stat (and hash) and its enclosure. */
function postFingerprint(r: ScanRecord, enclosures: ReadonlyMap<string, unknown>): unknown[] {
  return [r.rel, r.size, r.mtimeMs, r.ctimeMs, r.ino, r.hash ?? null, enclosures.get(r.rel) ?? null];
}

/**
 * Each post's print: a hash of everything its item texts depend on besides the code and options (the
 * manifest's key): the configuration and authors, and `postFingerprint`. Posts a stat cannot prove get none.
 */
function toPrints(inputs: BuildInputs, site: LoadedSite, posts: readonly PostRef[], records: ReadonlyMap<string, ScanRecord>, enclosures: ReadonlyMap<string, unknown>): Map<string, string> {
  const base = createHash('sha1').update(JSON.stringify([site.config, [...site.authors]])).digest('hex');
  const prints = new Map<string, string>();
  for (const post of posts) {
    const r = records.get(post.sourcePath);
    if (r !== undefined && provenByStat(inputs, r)) prints.set(post.sourcePath, createHash('sha1').update(JSON.stringify([base, postFingerprint(r, enclosures)])).digest('hex'));
  }
  return prints;
}

/**
 * The item texts of posts whose every format the last build left, under the same print, in a file still as it
 * wrote it (see write/manifest.ts, `readOldItems`): each read back and taken only if it is one whole item of
 * that post in its format (`isItemText`), whatever the manifest says; else the post is rendered as usual.
 */
class OldItemReader {
  private readonly files = new Map<string, number>();

  constructor(
    private readonly inputs: BuildInputs,
    private readonly prints: ReadonlyMap<string, string>,
  ) {}

  read(post: PostRef): ReadonlyMap<FormatWriter['fileName'], string> | undefined {
    const print = this.prints.get(post.sourcePath);
    const byFormat = print === undefined ? undefined : this.inputs.oldItems.places.get(print);
    if (byFormat === undefined) return undefined;
    const texts = new Map<FormatWriter['fileName'], string>();
    try {
      for (const writer of FORMAT_WRITERS) {
        const place = byFormat.get(writer.fileName);
        if (place === undefined) return undefined;
        let fd = this.files.get(place.file);
        if (fd === undefined) this.files.set(place.file, (fd = openSync(place.file, 'r')));
        const bytes = Buffer.allocUnsafe(place.length);
        const text = readInto(fd, bytes, place.start) === place.length ? bytes.toString('utf8') : '';
        if (!isItemText(writer.fileName, text, post.id)) return undefined;
        texts.set(writer.fileName, text);
      }
    } catch {
      // An old file that cannot be read: the post is rendered as usual.
      return undefined;
    }
    return texts;
  }

  close(): void {
    for (const fd of this.files.values()) closeSync(fd);
    this.files.clear();
  }
}

/** Records what the build read for the manifest: config, post files and their folders, `_data`, images, and the dates that `now` decided. */
function noteInputs(inputs: BuildInputs, site: LoadedSite, parsed: ParsedPosts, images: Iterable<string>, now: Date): void {
  for (const name of ['_config.yml', 'CNAME']) inputs.files.add(path.join(site.root, name));
  // A post file's stat as the parse stage took it (a file that changed since is then caught by the next build);
  // a file it could not read is stat'ed when the manifest is saved. Every listed file has a record.
  for (const r of parsed.records) {
    const file = joinListed(path.join, site.root, r.rel);
    if (r.size >= 0) inputs.noteStat(file, r.size, r.mtimeMs, r.ctimeMs, r.ino, r.hash);
    else inputs.files.add(file);
  }
  for (const image of images) inputs.files.add(path.resolve(site.root, image));
  for (const folder of site.folders) inputs.folders.add(folder);
  inputs.trees.add(path.join(site.root, '_data'));
  if (parsed.records.some((r) => r.usesBuildTime === true)) inputs.reusable = false;
  if (!site.config.future) for (const post of parsed.posts) if (post.published || site.config.unpublished) inputs.noteDate(post.date, now);
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
export async function publish(options: PublishOptions): Promise<Omit<BuildResult, 'files'> & { readonly report: WriteReport }> {
  const request = toManifestRequest(options);
  const replayed = options.replay === false ? undefined : replayPublish(options);
  // The configuration is read again (not trusted from the cache): a replay loads no more than this.
  const { config } = replayed === undefined ? { config: undefined } : await loadConfig(options.contentDir, toPosix(options.displayDir ?? options.contentDir), options.overrides);
  if (replayed !== undefined && config !== undefined) return { ...replayed, config };
  const startedAt = Date.now();
  // The feeds the last build left untouched since (a feed with the same fingerprint is kept as it is); then the
  // manifest goes, before anything is read: a build that fails (or is killed) leaves none to replay.
  // Without a manifest to save (no cache, or injected file-system calls) nothing is gathered: at 100,000
  // posts the inputs' paths and stats alone were ~150 MB of a cold build's peak.
  const inputs = request === undefined ? undefined : new BuildInputs(startedAt, readKeptFeeds(request), readOldItems(request));
  if (request !== undefined) dropManifest(request.cacheDir);
  const staged = new StagedOutput(options.outDir, options.io);
  let result;
  try {
    result = await generate(options, { open: (file) => staged.open(file), write: (file, text) => staged.write(file, text), keep: (file) => staged.keep(file) }, inputs);
  } catch (cause) {
    await staged.abort();
    throw cause;
  }
  const report = await staged.commit();
  if (request !== undefined && inputs !== undefined) saveManifest(request, startedAt, inputs, [...report.written, ...report.unchanged].sort(), { feeds: result.feeds, diagnostics: result.diagnostics, stats: result.stats });
  return { ...result, report };
}

/** What `publish` needs: the build's options, the output folder, and (for tests) the file-system calls. */
export interface PublishOptions extends BuildOptions {
  readonly outDir: string;
  /** File-system calls for the output (tests inject faults); a build with them neither replays nor saves a manifest. */
  readonly io?: WriteIo;
  /** `false`: the caller already found that the manifest does not match (`replayPublish`), so it is not read again. */
  readonly replay?: boolean;
}

/** Sets V8's heap growing factor for the build (`0`: V8's own, dynamic). Read by V8 at every full GC. */
function setHeapGrowth(percent: number): void {
  v8.setFlagsFromString(`--heap-growing-percent=${percent}`);
}

function toPosix(p: string): string {
  return p.split(path.sep).join('/').replace(/\/+$/, '') || '.';
}
