/**
 * The build cache (`.feedwright-cache/`): what a rebuild can skip. Two parts, both under a namespace that
 * hashes feedwright's version, the V8 serialization format, the site configuration and the authors, so a
 * change to any of them starts afresh:
 * - the scan index: per post file, its size, mtime and inode, and what parsing it gave (`scan.idx`, and
 *   `scan-delta.idx` with the records that changed since it, while they are few);
 *   a file whose stat is unchanged (and not modified within the last seconds before the index was saved,
 *   the "racy" window) is not even read;
 * - rendered content, one file per post file, holding the hash of the bytes it was rendered from: only
 *   changed posts are rendered again, and what is read back is sanitized again before it is trusted (the
 *   cache folder is only as trustworthy as the disk; `SafeHtml` is made by the sanitizer alone).
 * The cache is bounded: saving drops the entries of post files that no longer exist (an edited post
 * overwrites its own entry) and every namespace but the current one. It only ever saves work: deleting it,
 * or a corrupt file in it, gives the same output.
 */
import { createHash } from 'node:crypto';
import { closeSync, existsSync, mkdirSync, openSync, readdirSync, readFileSync, readSync, renameSync, rmSync, writeSync } from 'node:fs';
import path from 'node:path';
import { deserialize, serialize } from 'node:v8';
import { DIAGNOSTIC_CODES, type Diagnostic } from '../errors.js';
import { joinListed } from '../load/read.js';
import type { PartsOptions, RenderedParts } from '../render/parts.js';
import { sanitizeContent } from '../render/sanitize.js';
import { toHttpUrl } from '../render/urls.js';
import type { AbsoluteUrl, ImageRef, Mutable, PostRef } from '../types.js';
import { tempPathFor, writeFileAtomicSync } from './atomic.js';
import { codeFingerprint, RACY_MS } from './fingerprint.js';
import { GENERATOR } from '../version.js';

const CACHE_FORMAT = 7;

/** What the scan learned about one post file. */
export interface ScanRecord {
  readonly rel: string;
  readonly size: number;
  readonly mtimeMs: number;
  /** The inode's change time: moves on every write, even one that sets the mtime back. */
  readonly ctimeMs: number;
  readonly ino: number;
  readonly post?: PostRef;
  readonly diagnostics: readonly Diagnostic[];
  /** Its date took parts from the build time (`date: June 3`): never reused by a later build. */
  readonly usesBuildTime?: true;
  /** Its body has Liquid markup (`{{`, `{%`): what it renders to depends on the whole site. */
  readonly liquid?: true;
  /** SHA-1 of the bytes read, for a file stamped too recently for its stat to prove them (see `ParseOptions`). */
  readonly hash?: string;
}


interface ScanIndex {
  /** When the newest part (the delta, else the base) was saved: the racy window is measured from it. */
  readonly savedAt: number;
  /** The records of `scan.idx`, as read. */
  readonly base: ReadonlyMap<string, ScanRecord>;
  /** `scan.idx`'s own `savedAt`: a delta names the base it was made against, and is read over that one only. */
  readonly baseSavedAt: number;
  /** The records of `scan-delta.idx`: those that differed from the base's when it was saved. */
  readonly delta: ReadonlyMap<string, ScanRecord>;
}

/** An open cache folder for one site configuration. */
export class BuildCache {
  private readonly dir: string;
  private readonly index: ScanIndex | undefined;
  private readonly pendingRendered = new Map<string, RenderedParts & { readonly key: string }>();

  private constructor(dir: string, index: ScanIndex | undefined) {
    this.dir = dir;
    this.index = index;
  }

  /**
   * Opens (or starts) the cache in `root` for a site whose settings serialize to `settings`, its content
   * folder named `displayDir` in diagnostics (part of the namespace: the records' diagnostics name files so).
   */
  static open(root: string, settings: unknown, displayDir: string): BuildCache {
    const namespace = createHash('sha256')
      .update(JSON.stringify([GENERATOR.version, CACHE_FORMAT, process.versions.v8, codeFingerprint(), settings, displayDir]))
      .digest('hex')
      .slice(0, 20);
    const dir = path.join(root, namespace);
    let index: ScanIndex | undefined;
    try {
      index = readIndex(dir, displayDir);
    } catch {
      index = undefined;
    }
    return new BuildCache(dir, index);
  }

  /** Whether a scan index was read: a rebuild, which parses only the files changed since. */
  get hasIndex(): boolean {
    return this.index !== undefined;
  }

  /** The cached record for `rel` if the file's stat proves it unchanged, else `undefined`. */
  lookupScan(rel: string, size: number, mtimeMs: number, ctimeMs: number, ino: number): ScanRecord | undefined {
    const record = this.index?.delta.get(rel) ?? this.index?.base.get(rel);
    if (record === undefined || this.index === undefined) return undefined;
    if (record.size !== size || record.mtimeMs !== mtimeMs || record.ctimeMs !== ctimeMs || record.ino !== ino) return undefined;
    if (mtimeMs >= this.index.savedAt - RACY_MS || ctimeMs >= this.index.savedAt - RACY_MS) return undefined;
    return record;
  }

  private renderedPath(rel: string): string {
    const name = createHash('sha256').update(rel).digest('hex');
    return path.join(this.dir, 'rendered', name.slice(0, 2), `${name}.v8`);
  }

  /** Key of a post's rendered content: its file's bytes (with the configuration, in the namespace, they determine its URL). */
  static renderKey(fileHash: string, excerptOnly: boolean): string {
    return `${fileHash}:${excerptOnly ? 1 : 0}`;
  }

  /**
   * The rendered parts of post file `rel` if they were made from the same bytes (`key`), else `undefined`.
   * The HTML is sanitized again against the post's URL: nothing read from disk is trusted as `SafeHtml`.
   */
  lookupRendered(rel: string, key: string, pageUrl: AbsoluteUrl, options: PartsOptions): RenderedParts | undefined {
    let stored: unknown;
    try {
      stored = deserialize(readFileSync(this.renderedPath(rel)));
    } catch {
      return undefined;
    }
    if (stored === null || typeof stored !== 'object') return undefined;
    const { key: storedKey, contentHtml, summary } = stored as Record<string, unknown>;
    if (storedKey !== key || (contentHtml !== undefined && typeof contentHtml !== 'string') || (summary !== undefined && typeof summary !== 'string')) return undefined;
    return {
      ...(summary === undefined ? {} : { summary }),
      ...(contentHtml === undefined ? {} : { contentHtml: sanitizeContent(contentHtml, pageUrl, { iframeHosts: options.iframeHosts ?? [] }) }),
    };
  }

  /** Remembers the rendered parts of post file `rel`, made from bytes `key`; written on `save`. */
  storeRendered(rel: string, key: string, parts: RenderedParts): void {
    this.pendingRendered.set(rel, { key, ...parts });
  }

  /**
   * Writes the scan index and new rendered entries (each atomically), then drops what no longer belongs:
   * entries of post files not in `records`, and other namespaces (an older configuration or version).
   * Failures only cost the cache.
   */
  save(records: readonly ScanRecord[], savedAt: number): void {
    const deltaFile = path.join(this.dir, DELTA_FILE);
    try {
      mkdirSync(this.dir, { recursive: true });
      for (const [rel, entry] of this.pendingRendered) writeFileAtomicSync(this.renderedPath(rel), serialize(entry), { sync: false });
      const rels = new Set(records.map((r) => r.rel));
      const { index } = this;
      const staleBase = index === undefined || [...index.base.keys()].some((rel) => !rels.has(rel));
      const gone = staleBase || [...index.delta.keys()].some((rel) => !rels.has(rel));
      // A record the scan took from the base is the base's own object; the others (parsed again, or the
      // delta's) go to the delta, while they are few and no base record is stale.
      const changed = staleBase ? undefined : records.filter((r) => index.base.get(r.rel) !== r);
      if (!staleBase && changed !== undefined && changed.length <= Math.max(DELTA_MIN, records.length * DELTA_SHARE)) {
        writeSlices(deltaFile, { format: CACHE_FORMAT, savedAt, base: index.baseSavedAt }, changed);
      } else {
        // The delta goes first: a base written after it never meets a delta made against another base.
        rmSync(deltaFile, { force: true });
        writeSlices(path.join(this.dir, INDEX_FILE), { format: CACHE_FORMAT, savedAt }, records);
      }
      this.prune(records, gone);
    } catch {
      // A cache that cannot be written is a slower next build, never a failed one.
      rmSync(deltaFile, { force: true });
      rmSync(path.join(this.dir, INDEX_FILE), { force: true });
    }
  }

  // Entries are only written for listed post files: when none of the last index's files is gone, none is stale.
  private prune(records: readonly ScanRecord[], gone: boolean): void {
    const live = new Set(gone ? records.map((r) => path.basename(this.renderedPath(r.rel))) : []);
    const rendered = path.join(this.dir, 'rendered');
    // No folder when no post has been rendered yet (none went out): nothing to drop, and the index stays.
    const shards = gone && existsSync(rendered) ? readdirSync(rendered, { withFileTypes: true }).filter((e) => e.isDirectory()) : [];
    for (const shard of shards) {
      for (const name of readdirSync(path.join(rendered, shard.name))) {
        if (!live.has(name)) rmSync(path.join(rendered, shard.name, name), { force: true });
      }
    }
    const root = path.dirname(this.dir);
    for (const other of readdirSync(root, { withFileTypes: true })) {
      if (other.isDirectory() && other.name !== path.basename(this.dir) && /^[0-9a-f]{20}$/.test(other.name)) rmSync(path.join(root, other.name), { recursive: true, force: true });
    }
  }
}

// The index is written and read in slices (each length-prefixed), so neither side ever holds the whole index
// as one buffer beside the records themselves: at 100,000 posts that is ~30 MB. The head is JSON; a slice is
// V8-serialized columns (`SliceColumns`): V8's serializer spells out every key of every object and rebuilds
// each one key by key (the index of objects took ~0.5 s to write and read back at 20,000 posts), JSON tuples
// took half that, and columns (strings in arrays, numbers in one Float64Array, category and tag names once
// per slice) read back in 63-71 ms against 89-91 ms for the tuples (20,000 records, a fresh process each).
const SLICE = 5_000;
const INDEX_FILE = 'scan.idx';
/**
 * The records that changed since `scan.idx` was written, saved instead of all of them while they are few
 * (at most `DELTA_SHARE` of the records, or `DELTA_MIN`) and no file of the base is gone: a one-edit rebuild of
 * 100,000 posts spent 0.27 s writing the whole index back. A full save writes the base again and drops it.
 */
const DELTA_FILE = 'scan-delta.idx';
const DELTA_MIN = 256;
const DELTA_SHARE = 0.05;

// Record flags.
const USES_BUILD_TIME = 1;
const LIQUID = 2;
// Post flags (`NO_POST`: the record has none).
const PUBLISHED = 1;
const DRAFT = 2;
const HAS_SUMMARY = 4;
const NO_POST = -1;

/** Numbers per record in `SliceColumns.numbers`: size, mtime, ctime, inode, flags, post flags, date, updated, body offset. */
const NUMBERS = 9;

/** A slice of records as columns. A record without a post has '' for its id, URL and image and no labels. */
interface SliceColumns {
  readonly rels: string[];
  readonly numbers: Float64Array;
  readonly ids: string[];
  readonly urls: string[];
  /** `''` (none), `l` + a local path, or `r` + a remote URL. */
  readonly images: string[];
  /** The slice's category and tag names, each once. */
  readonly names: string[];
  /** Per record with a post: its number of categories, their indexes into `names`, then the same for its tags. */
  readonly labels: Uint32Array;
  /** By record index, where it has any. */
  readonly diagnostics: Record<number, readonly Diagnostic[]>;
  readonly hashes: Record<number, string>;
}

function encodeSlice(records: readonly ScanRecord[]): SliceColumns {
  const numbers = new Float64Array(records.length * NUMBERS);
  const names = new Map<string, number>();
  const labels: number[] = [];
  const label = (list: readonly string[]): void => {
    labels.push(list.length);
    for (const name of list) {
      let at = names.get(name);
      if (at === undefined) names.set(name, (at = names.size));
      labels.push(at);
    }
  };
  const columns: SliceColumns = { rels: [], numbers, ids: [], urls: [], images: [], names: [], labels: new Uint32Array(0), diagnostics: {}, hashes: {} };
  records.forEach((r, i) => {
    const p = r.post;
    const flags = (r.usesBuildTime === true ? USES_BUILD_TIME : 0) | (r.liquid === true ? LIQUID : 0);
    const postFlags = p === undefined ? NO_POST : (p.published ? PUBLISHED : 0) | (p.draft ? DRAFT : 0) | (p.hasSummary ? HAS_SUMMARY : 0);
    numbers.set([r.size, r.mtimeMs, r.ctimeMs, r.ino, flags, postFlags, p?.date.getTime() ?? 0, p?.updated.getTime() ?? 0, p?.bodyOffset ?? 0], i * NUMBERS);
    columns.rels.push(r.rel);
    columns.ids.push(p?.id ?? '');
    columns.urls.push(p?.url ?? '');
    columns.images.push(p?.image === undefined ? '' : p.image.kind === 'local' ? `l${p.image.path}` : `r${p.image.url}`);
    if (p !== undefined) {
      label(p.categories);
      label(p.tags);
    }
    if (r.diagnostics.length > 0) columns.diagnostics[i] = r.diagnostics;
    if (r.hash !== undefined) columns.hashes[i] = r.hash;
  });
  return { ...columns, names: [...names.keys()], labels: Uint32Array.from(labels) };
}

const isString = (v: unknown): v is string => typeof v === 'string';
const isNumber = (v: unknown): v is number => typeof v === 'number';
const isStrings = (v: unknown): v is string[] => Array.isArray(v) && v.every(isString);
const NO_DIAGNOSTICS: readonly Diagnostic[] = Object.freeze([]);

function decodeDiagnostic(v: unknown): Diagnostic | undefined {
  if (v === null || typeof v !== 'object') return undefined;
  const { severity, code, file, line, column, message, hint } = v as Record<string, unknown>;
  if ((severity !== 'error' && severity !== 'warning') || !isString(message) || !isString(hint)) return undefined;
  if ((file !== undefined && !isString(file)) || (line !== undefined && !isNumber(line)) || (column !== undefined && !isNumber(column))) return undefined;
  const known = DIAGNOSTIC_CODES.find((c) => c === code);
  if (known === undefined) return undefined;
  return { severity, code: known, message, hint, ...(file === undefined ? {} : { file }), ...(line === undefined ? {} : { line }), ...(column === undefined ? {} : { column }) };
}

/** The one empty list of names every record without categories (or tags) shares. */
const NO_NAMES: readonly string[] = [];

/**
 * Adds the records of a slice to `into`; `false` for anything but what `encodeSlice` writes (the index is then
 * not used). Nothing read is trusted further than its type: a remote image URL is made again by `toHttpUrl`.
 */
function decodeSlice(value: unknown, displayDir: string, into: Map<string, ScanRecord>): boolean {
  if (value === null || typeof value !== 'object') return false;
  const { rels, numbers, ids, urls, images, names, labels, diagnostics, hashes } = value as Record<string, unknown>;
  if (!isStrings(rels) || !(numbers instanceof Float64Array) || !isStrings(ids) || !isStrings(urls) || !isStrings(images) || !isStrings(names) || !(labels instanceof Uint32Array)) return false;
  if (diagnostics === null || typeof diagnostics !== 'object' || hashes === null || typeof hashes !== 'object') return false;
  const count = rels.length;
  if (numbers.length !== count * NUMBERS || ids.length !== count || urls.length !== count || images.length !== count) return false;
  const diagnosticsOf = diagnostics as Record<number, unknown>;
  const hashOf = hashes as Record<number, unknown>;
  let k = 0;
  // Posts with the same categories (or tags) share one list: a site has few distinct ones, and every list kept
  // is two objects for the collector to copy (a one-edit rebuild decodes the index of every post).
  const lists = new Map<string, readonly string[]>();
  const takeNames = (): readonly string[] | undefined => {
    const n = labels[k++];
    if (n === undefined || k + n > labels.length) return undefined;
    if (n === 0) return NO_NAMES;
    const key = n === 1 ? String(labels[k]) : labels.subarray(k, k + n).join(',');
    const shared = lists.get(key);
    if (shared !== undefined) {
      k += n;
      return shared;
    }
    const list = new Array<string>(n);
    for (let j = 0; j < n; j++) {
      const name = names[labels[k++] ?? names.length];
      if (name === undefined) return undefined;
      list[j] = name;
    }
    lists.set(key, list);
    return list;
  };
  for (let i = 0; i < count; i++) {
    const rel = rels[i] ?? '';
    const at = i * NUMBERS;
    const size = numbers[at] ?? 0;
    const mtimeMs = numbers[at + 1] ?? 0;
    const ctimeMs = numbers[at + 2] ?? 0;
    const ino = numbers[at + 3] ?? 0;
    const flags = numbers[at + 4] ?? 0;
    const postFlags = numbers[at + 5] ?? NO_POST;
    const date = numbers[at + 6] ?? 0;
    const updated = numbers[at + 7] ?? 0;
    const bodyOffset = numbers[at + 8] ?? 0;
    let decoded = NO_DIAGNOSTICS;
    const listed = diagnosticsOf[i];
    if (listed !== undefined) {
      if (!Array.isArray(listed)) return false;
      const list = listed.map(decodeDiagnostic);
      if (list.some((d) => d === undefined)) return false;
      decoded = list.filter((d): d is Diagnostic => d !== undefined);
    }
    const hash = hashOf[i];
    if (hash !== undefined && !isString(hash)) return false;
    let post: PostRef | undefined;
    if (postFlags !== NO_POST) {
      const categories = takeNames();
      const tags = categories === undefined ? undefined : takeNames();
      if (categories === undefined || tags === undefined) return false;
      const image = images[i] ?? '';
      let imageRef: ImageRef | undefined;
      if (image.startsWith('l')) imageRef = { kind: 'local', path: image.slice(1) };
      else if (image !== '') {
        // A remote image URL is an `AbsoluteUrl`: made again by `toHttpUrl`, not trusted from the disk.
        const remote = image.startsWith('r') ? toHttpUrl(image.slice(1)) : undefined;
        if (remote === undefined) return false;
        imageRef = { kind: 'remote', url: remote };
      }
      const dated = new Date(date);
      post = {
        sourcePath: rel,
        displayPath: joinListed(path.posix.join, displayDir, rel),
        id: ids[i] ?? '',
        url: urls[i] ?? '',
        date: dated,
        // One Date for both, as the scan gives a post without `last_modified_at`.
        updated: updated === date ? dated : new Date(updated),
        published: (postFlags & PUBLISHED) !== 0,
        categories,
        tags,
        ...(imageRef === undefined ? {} : { image: imageRef }),
        bodyOffset,
        draft: (postFlags & DRAFT) !== 0,
        hasSummary: (postFlags & HAS_SUMMARY) !== 0,
      };
    }
    // Optional fields set one by one, not spread (a runtime call and an object each, 20,000 records a rebuild).
    const record: Mutable<ScanRecord> = { rel, size, mtimeMs, ctimeMs, ino, diagnostics: decoded };
    if (post !== undefined) record.post = post;
    if ((flags & USES_BUILD_TIME) !== 0) record.usesBuildTime = true;
    if ((flags & LIQUID) !== 0) record.liquid = true;
    if (hash !== undefined) record.hash = hash;
    into.set(rel, record);
  }
  return k === labels.length;
}

function writeSlices(file: string, head: Readonly<Record<string, number>>, records: readonly ScanRecord[]): void {
  mkdirSync(path.dirname(file), { recursive: true });
  const temp = tempPathFor(file);
  const fd = openSync(temp, 'w');
  try {
    const put = (data: Buffer): void => {
      const length = Buffer.alloc(4);
      length.writeUInt32LE(data.length);
      writeSync(fd, length);
      writeSync(fd, data);
    };
    put(Buffer.from(JSON.stringify({ ...head, slices: Math.ceil(records.length / SLICE) }), 'utf8'));
    for (let i = 0; i < records.length; i += SLICE) put(serialize(encodeSlice(records.slice(i, i + SLICE))));
  } finally {
    closeSync(fd);
  }
  renameSync(temp, file);
}

/** The base and, when it was made against this base, the delta; `undefined` when the base cannot be read. */
function readIndex(dir: string, displayDir: string): ScanIndex | undefined {
  const base = readSlices(path.join(dir, INDEX_FILE), displayDir);
  if (base === undefined) return undefined;
  let delta: ReturnType<typeof readSlices>;
  try {
    delta = readSlices(path.join(dir, DELTA_FILE), displayDir);
  } catch {
    delta = undefined;
  }
  const ownDelta = delta?.head['base'] === base.savedAt ? delta : undefined;
  return { savedAt: ownDelta?.savedAt ?? base.savedAt, base: base.records, baseSavedAt: base.savedAt, delta: ownDelta?.records ?? new Map() };
}

/** One index file's head and records, or `undefined` for anything but what `writeSlices` writes. */
function readSlices(file: string, displayDir: string): { head: Readonly<Record<string, unknown>>; savedAt: number; records: Map<string, ScanRecord> } | undefined {
  const fd = openSync(file, 'r');
  try {
    let position = 0;
    const take = (): Buffer => {
      const length = Buffer.alloc(4);
      if (readSync(fd, length, 0, 4, position) !== 4) throw new Error('truncated cache index');
      const data = Buffer.allocUnsafe(length.readUInt32LE());
      if (readSync(fd, data, 0, data.length, position + 4) !== data.length) throw new Error('truncated cache index');
      position += 4 + data.length;
      return data;
    };
    const head: unknown = JSON.parse(take().toString('utf8'));
    if (head === null || typeof head !== 'object') return undefined;
    const { format, savedAt, slices } = head as Record<string, unknown>;
    if (format !== CACHE_FORMAT || !isNumber(savedAt) || !isNumber(slices)) return undefined;
    const records = new Map<string, ScanRecord>();
    for (let i = 0; i < slices; i++) if (!decodeSlice(deserialize(take()), displayDir, records)) return undefined;
    return { head: head as Record<string, unknown>, savedAt, records };
  } finally {
    closeSync(fd);
  }
}
