/**
 * The build cache (`.feedwright-cache/`): what a rebuild can skip. Two parts, both under a namespace that
 * hashes feedwright's version, the V8 serialization format, the site configuration and the authors, so a
 * change to any of them starts afresh:
 * - the scan index: per post file, its size, mtime and inode, and what parsing it gave;
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
import { closeSync, mkdirSync, openSync, readdirSync, readFileSync, readSync, renameSync, rmSync, writeSync } from 'node:fs';
import path from 'node:path';
import { deserialize, serialize } from 'node:v8';
import type { Diagnostic } from '../errors.js';
import type { PartsOptions, RenderedParts } from '../render/parts.js';
import { sanitizeContent } from '../render/sanitize.js';
import { toHttpUrl } from '../render/urls.js';
import type { AbsoluteUrl } from '../types.js';
import { tempPathFor, writeFileAtomicSync } from './atomic.js';
import { codeFingerprint, RACY_MS } from './fingerprint.js';
import type { PostRef } from '../types.js';
import { GENERATOR } from '../version.js';

const CACHE_FORMAT = 5;

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
  readonly savedAt: number;
  readonly records: ReadonlyMap<string, ScanRecord>;
}

/** Hashes file bytes for the cache. */
export function hashBytes(bytes: Uint8Array): string {
  return createHash('sha1').update(bytes).digest('hex');
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

  /** Opens (or starts) the cache in `root` for a site whose settings serialize to `settings`. */
  static open(root: string, settings: unknown): BuildCache {
    const namespace = createHash('sha256')
      .update(JSON.stringify([GENERATOR.version, CACHE_FORMAT, process.versions.v8, codeFingerprint(), settings]))
      .digest('hex')
      .slice(0, 20);
    const dir = path.join(root, namespace);
    let index: ScanIndex | undefined;
    try {
      index = readIndex(path.join(dir, 'scan.v8'));
    } catch {
      index = undefined;
    }
    return new BuildCache(dir, index);
  }

  /** The cached record for `rel` if the file's stat proves it unchanged, else `undefined`. */
  lookupScan(rel: string, size: number, mtimeMs: number, ctimeMs: number, ino: number): ScanRecord | undefined {
    const record = this.index?.records.get(rel);
    if (record === undefined || this.index === undefined) return undefined;
    if (record.size !== size || record.mtimeMs !== mtimeMs || record.ctimeMs !== ctimeMs || record.ino !== ino) return undefined;
    if (mtimeMs >= this.index.savedAt - RACY_MS || ctimeMs >= this.index.savedAt - RACY_MS) return undefined;
    // A remote image URL is an `AbsoluteUrl`: made again by `toHttpUrl`, not trusted from the disk.
    const image = record.post?.image;
    if (record.post === undefined || image?.kind !== 'remote') return record;
    const url = toHttpUrl(image.url);
    return url === undefined ? undefined : { ...record, post: { ...record.post, image: { kind: 'remote', url } } };
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
    try {
      mkdirSync(this.dir, { recursive: true });
      for (const [rel, entry] of this.pendingRendered) writeFileAtomicSync(this.renderedPath(rel), serialize(entry), { sync: false });
      writeIndex(path.join(this.dir, 'scan.v8'), savedAt, records);
      this.prune(records);
    } catch {
      // A cache that cannot be written is a slower next build, never a failed one.
      rmSync(path.join(this.dir, 'scan.v8'), { force: true });
    }
  }

  private prune(records: readonly ScanRecord[]): void {
    const rels = new Set(records.map((r) => r.rel));
    // Entries are only written for listed post files: when none of the last index's files is gone, none is stale.
    const gone = this.index === undefined || [...this.index.records.keys()].some((rel) => !rels.has(rel));
    const live = new Set(gone ? records.map((r) => path.basename(this.renderedPath(r.rel))) : []);
    const rendered = path.join(this.dir, 'rendered');
    for (const shard of gone ? readdirSync(rendered, { withFileTypes: true }).filter((e) => e.isDirectory()) : []) {
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

// The index is written and read in slices (each a length-prefixed V8 serialization), so neither side ever
// holds the whole index as one buffer beside the records themselves: at 100,000 posts that is ~60 MB.
const SLICE = 5_000;

function writeIndex(file: string, savedAt: number, records: readonly ScanRecord[]): void {
  mkdirSync(path.dirname(file), { recursive: true });
  const temp = tempPathFor(file);
  const fd = openSync(temp, 'w');
  try {
    const put = (value: unknown): void => {
      const data = serialize(value);
      const length = Buffer.alloc(4);
      length.writeUInt32LE(data.length);
      writeSync(fd, length);
      writeSync(fd, data);
    };
    put({ format: CACHE_FORMAT, savedAt, slices: Math.ceil(records.length / SLICE) });
    for (let i = 0; i < records.length; i += SLICE) put(records.slice(i, i + SLICE));
  } finally {
    closeSync(fd);
  }
  renameSync(temp, file);
}

function readIndex(file: string): ScanIndex | undefined {
  const fd = openSync(file, 'r');
  try {
    let position = 0;
    const take = (): unknown => {
      const length = Buffer.alloc(4);
      if (readSync(fd, length, 0, 4, position) !== 4) throw new Error('truncated cache index');
      const data = Buffer.allocUnsafe(length.readUInt32LE());
      if (readSync(fd, data, 0, data.length, position + 4) !== data.length) throw new Error('truncated cache index');
      position += 4 + data.length;
      return deserialize(data);
    };
    const head = take() as { format: number; savedAt: number; slices: number };
    if (head.format !== CACHE_FORMAT) return undefined;
    const records = new Map<string, ScanRecord>();
    for (let i = 0; i < head.slices; i++) for (const record of take() as ScanRecord[]) records.set(record.rel, record);
    return { savedAt: head.savedAt, records };
  } finally {
    closeSync(fd);
  }
}
