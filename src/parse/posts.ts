/**
 * Parse stage over the whole site: every post file read once and parsed into a slim `PostRef` (no body
 * text), so memory stays flat however large the archive; then Jekyll's rule that ids are unique, and the
 * one skip-invalid rule. With a cache, a file whose stat is unchanged is not read at all.
 */
import { statSync } from 'node:fs';
import path from 'node:path';
import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import { settleDiagnostics, warningAt, type Diagnostic } from '../errors.js';
import { joinListed, readPostFile, ScratchBuffer, type Listed } from '../load/read.js';
import type { LoadedSite } from '../load/site.js';
import type { Mutable, PostRef } from '../types.js';
import type { BuildCache, ScanRecord } from '../write/cache.js';
import { hashBytes } from '../write/fingerprint.js';
import { scanPost, type SourceFile } from './to-post.js';

// Strings cut from a file's text (regex matches, slices) keep that whole text alive in V8: a category
// name would hold its post's front matter for the rest of the build. Kept strings are copied out, and
// category and tag names, repeated across thousands of posts, are shared.
const interned = new Map<string, string>();

/**
 * A copy of `text` that holds nothing else alive: V8 joins `' '` and `text` into a new string of their own
 * characters when `slice` reads it (its slice keeps only that joined copy). A round trip through UTF-8 did
 * the same at several times the cost (a cold build of 100,000 posts: 0.94x the wall time, 12 MB more peak
 * for the slices' headers). test/parse/own-string.test.ts checks with V8's collector that the source goes.
 */
export function ownString(text: string): string {
  return ` ${text}`.slice(1);
}

/** Lists of names by their names, one after the other: posts with the same categories (or tags) share one. */
interface ListNode {
  list?: readonly string[];
  readonly next: Map<string, ListNode>;
}
const lists: ListNode = { next: new Map() };
let listNodes = 0;
const NO_NAMES: readonly string[] = [];

/**
 * `names`, interned, as a list shared by every post with the same names in the same order: a site has few
 * distinct ones, and each list a post keeps is two objects more for the collector to copy. (Keyed by the
 * interned names: a name cut from a file's text would keep that text alive.)
 */
function internList(names: readonly string[]): readonly string[] {
  if (names.length === 0) return NO_NAMES;
  let node = lists;
  for (const name of names) {
    const key = intern(name);
    let next = node.next.get(key);
    if (next === undefined) {
      // Bounded as `interned` is: a walk cut off by the clearing goes on in its own branch, and is right still.
      if (++listNodes > 100_000) {
        lists.next.clear();
        listNodes = 0;
      }
      next = { next: new Map() };
      node.next.set(key, next);
    }
    node = next;
  }
  node.list ??= names.map(intern);
  return node.list;
}

function intern(text: string): string {
  let shared = interned.get(text);
  if (shared === undefined) {
    shared = ownString(text);
    if (interned.size > 100_000) interned.clear();
    interned.set(shared, shared);
  }
  return shared;
}

/** A scanned post with its strings made its own (see above). */
function ownRef(ref: PostRef): PostRef {
  return {
    // The listing's own string, kept by the site anyway.
    sourcePath: ref.sourcePath,
    // Made by joining strings: one flat copy of it is kept.
    displayPath: ownString(ref.displayPath),
    id: ownString(ref.id),
    url: ownString(ref.url),
    date: ref.date,
    updated: ref.updated,
    published: ref.published,
    categories: internList(ref.categories),
    tags: internList(ref.tags),
    ...(ref.image === undefined ? {} : { image: ref.image.kind === 'local' ? { kind: 'local', path: ownString(ref.image.path) } : ref.image }),
    bodyOffset: ref.bodyOffset,
    draft: ref.draft,
    hasSummary: ref.hasSummary,
  };
}

/** Whether a body has Liquid markup (`{{` or `{%`, as Jekyll's `has_liquid_construct?` looks for). */
export function hasLiquidMarkup(body: Uint8Array): boolean {
  const bytes = Buffer.from(body.buffer, body.byteOffset, body.byteLength);
  // One pass over the rare `{` (a byte search; two substring searches read every body twice).
  for (let at = bytes.indexOf(OPEN_BRACE); at !== -1; at = bytes.indexOf(OPEN_BRACE, at + 1)) {
    const next = bytes[at + 1];
    if (next === OPEN_BRACE || next === PERCENT) return true;
  }
  return false;
}

const OPEN_BRACE = 0x7b;
const PERCENT = 0x25;

/** Files scanned between two turns of the event loop when a post watcher wants worker replies read. */
const YIELD_EVERY = 64;

/** Indexes of `files`, newest file name first (`_posts/` names start with the date), ties in path order. */
function newestNameFirst(files: readonly Listed[]): number[] {
  const names = files.map((f) => f.rel.slice(f.rel.lastIndexOf('/') + 1));
  return names.map((_, i) => i).sort((a, b) => {
    const x = names[a] ?? '';
    const y = names[b] ?? '';
    return x < y ? 1 : x > y ? -1 : a - b;
  });
}

/** Reads and parses post files: one record per file, in order. */
async function parseFiles(site: LoadedSite, files: readonly Listed[], options: ParseOptions): Promise<ScanRecord[]> {
  const { maxFileBytes, now, hashStampedFrom = Infinity, onScanned } = options;
  const records = new Array<ScanRecord>(files.length);
  const ctx = { config: site.config, authors: site.authors, ...(now === undefined ? {} : { now }) };
  const order = onScanned === undefined ? undefined : newestNameFirst(files);
  // Every file's bytes are done with before the next is read: what is kept of them (the record, the post
  // offered to the render stage) is strings of their own.
  const scratch = new ScratchBuffer();
  for (let k = 0; k < files.length; k++) {
    const i = order === undefined ? k : (order[k] ?? k);
    const file = files[i];
    if (file === undefined) continue;
    if (order !== undefined && k % YIELD_EVERY === YIELD_EVERY - 1) await yieldToEventLoop();
    const displayPath = joinListed(path.posix.join, site.displayDir, file.rel);
    const read = readPostFile(site.root, file, displayPath, maxFileBytes, scratch);
    if (!('bytes' in read)) {
      records[i] = { rel: file.rel, size: -1, mtimeMs: -1, ctimeMs: -1, ino: -1, diagnostics: [read] };
      continue;
    }
    const source: SourceFile = { relPath: file.rel, displayPath, bytes: read.bytes, draft: file.kind === 'draft', mtimeMs: read.mtimeMs };
    const result = scanPost(source, ctx);
    const ref = result.ref === undefined ? undefined : ownRef(result.ref);
    // Optional fields set one by one: a spread of a conditional object for each cost a runtime call (and an
    // object) per field and record, 20,000 records a build.
    const record: Mutable<ScanRecord> = { rel: file.rel, size: read.size, mtimeMs: read.mtimeMs, ctimeMs: read.ctimeMs, ino: read.ino, diagnostics: result.diagnostics };
    if (ref !== undefined) {
      record.post = ref;
      if (hasLiquidMarkup(read.bytes.subarray(ref.bodyOffset))) record.liquid = true;
    }
    if (read.mtimeMs >= hashStampedFrom || read.ctimeMs >= hashStampedFrom) record.hash = hashBytes(read.bytes);
    if (result.usesBuildTime === true) record.usesBuildTime = true;
    records[i] = record;
    if (ref !== undefined && result.diagnostics.every((d) => d.severity !== 'error')) onScanned?.(ref, source);
  }
  return records;
}

/** What the parse stage gives the later stages. */
export interface ParsedPosts {
  /** Valid posts, in path order (posts of files with errors left out under `skipInvalid`). */
  readonly posts: readonly PostRef[];
  /** Warnings, and under `skipInvalid` the errors turned warnings with a `POST_SKIPPED` per file. */
  readonly diagnostics: readonly Diagnostic[];
  readonly skipped: number;
  /** What the cache saves for the next build. */
  readonly records: readonly ScanRecord[];
  /** How many files were read and parsed (the rest came from the cache's scan index). */
  readonly reparsed: number;
}

/** Options of the parse stage. */
export interface ParseOptions {
  readonly maxFileBytes: number;
  readonly skipInvalid: boolean;
  readonly cache?: BuildCache;
  /** The build time, for dates that leave parts out (see ParseContext). */
  readonly now?: Date;
  /**
   * Files stamped (mtime or ctime) at or after this clock reading get the hash of the bytes read: their stat
   * may not tell a later change in the same timestamp tick apart, their hash does (see write/manifest.ts).
   */
  readonly hashStampedFrom?: number;
  /**
   * Called with every post scanned without an error, and the bytes it was read from, as the scan goes (the
   * render stage starts on the likely feed posts: see render/posts.ts). The files are then scanned newest
   * file name first (the records keep path order), and the scan lets the event loop turn every few dozen
   * files, so that worker threads' replies are read meanwhile. The bytes are valid only during the call: the
   * next file is read into the same buffer.
   */
  readonly onScanned?: (post: PostRef, source: SourceFile) => void;
}

/** Reads and parses every post of the site. Throws `FeedwrightError` with every problem, unless `skipInvalid`. */
export async function parsePosts(site: LoadedSite, options: ParseOptions): Promise<ParsedPosts> {
  const { cache } = options;
  let records: ScanRecord[];
  let reparsed = site.files.length;
  if (cache === undefined) {
    records = await parseFiles(site, site.files, options);
  } else {
    // Plain loops, not flatMap: over 20,000 records each flatMap took ~10-25 ms of a one-edit rebuild.
    const found = new Array<ScanRecord | undefined>(site.files.length);
    const dirty: Listed[] = [];
    const dirtyAt: number[] = [];
    site.files.forEach((file, i) => {
      const info = statSync(joinListed(path.join, site.root, file.rel), { throwIfNoEntry: false });
      const hit = info === undefined ? undefined : cache.lookupScan(file.rel, info.size, info.mtimeMs, info.ctimeMs, info.ino);
      if (hit !== undefined && hit.usesBuildTime !== true) found[i] = hit;
      else {
        dirty.push(file);
        dirtyAt.push(i);
      }
    });
    reparsed = dirty.length;
    (await parseFiles(site, dirty, options)).forEach((record, j) => {
      found[dirtyAt[j] ?? -1] = record;
    });
    records = [];
    for (const record of found) if (record !== undefined) records.push(record);
  }
  const posts: PostRef[] = [];
  const diagnostics: Diagnostic[] = [...site.diagnostics];
  for (const record of records) {
    if (record.post !== undefined) posts.push(record.post);
    if (record.diagnostics.length > 0) diagnostics.push(...record.diagnostics);
  }
  diagnostics.push(...findDuplicateIds(posts));
  const { reported, failedFiles } = settleDiagnostics(diagnostics, options.skipInvalid);
  return {
    posts: failedFiles.size === 0 ? posts : posts.filter((p) => !failedFiles.has(p.displayPath)),
    diagnostics: reported,
    skipped: failedFiles.size,
    records,
    reparsed,
  };
}

// Two posts with one id: Jekyll publishes both (and jekyll-feed lists both), so feedwright does too, but
// readers dedupe by id and will show only one of them: a warning names both files.
function findDuplicateIds(posts: readonly PostRef[]): Diagnostic[] {
  const first = new Map<string, PostRef>();
  const diagnostics: Diagnostic[] = [];
  for (const post of posts) {
    const earlier = first.get(post.id);
    if (earlier === undefined) first.set(post.id, post);
    else diagnostics.push(warningAt('DUPLICATE_ID', post.displayPath, `has the same id as ${earlier.displayPath}: ${post.id}; both are published, as Jekyll does, but readers will show only one`, 'give one of them another `slug`, `permalink` or date'));
  }
  return diagnostics;
}
