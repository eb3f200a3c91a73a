/**
 * The build cache (`.feedwright-cache/`): what a rebuild can skip. Two parts, both under a namespace that
 * hashes feedwright's version, the V8 serialization format, the site configuration and the authors, so a
 * change to any of them starts afresh:
 * - the scan index: per post file, its size, mtime and inode, and what parsing it gave;
 *   a file whose stat is unchanged (and not modified within the last seconds before the index was saved,
 *   the "racy" window) is not even read;
 * - rendered content, keyed by the post's path and content hash: only changed posts are rendered again.
 * The cache only ever saves work: deleting it, or a corrupt file in it, gives the same output.
 */
import { createHash } from 'node:crypto';
import { closeSync, mkdirSync, openSync, readFileSync, readSync, renameSync, rmSync, writeFileSync, writeSync } from 'node:fs';
import path from 'node:path';
import { deserialize, serialize } from 'node:v8';
import type { Diagnostic } from '../errors.js';
import type { RenderedParts } from '../feed/entries.js';
import type { PostRef } from '../types.js';
import { GENERATOR } from '../version.js';

// 4: the sanitizer writes <source> and <col> as void elements, so content rendered before is stale.
const CACHE_FORMAT = 4;
// Files modified this close to the index's save time may have changed again within the same mtime tick.
const RACY_MS = 3_000;

/** What the scan learned about one post file. */
export interface ScanRecord {
  readonly rel: string;
  readonly size: number;
  readonly mtimeMs: number;
  readonly ino: number;
  readonly post?: PostRef;
  readonly diagnostics: readonly Diagnostic[];
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
  private readonly pendingRendered = new Map<string, RenderedParts>();

  private constructor(dir: string, index: ScanIndex | undefined) {
    this.dir = dir;
    this.index = index;
  }

  /** Opens (or starts) the cache in `root` for a site whose settings serialize to `settings`. */
  static open(root: string, settings: unknown): BuildCache {
    const namespace = createHash('sha256')
      .update(JSON.stringify([GENERATOR.version, CACHE_FORMAT, process.versions.v8, settings]))
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
  lookupScan(rel: string, size: number, mtimeMs: number, ino: number): ScanRecord | undefined {
    const record = this.index?.records.get(rel);
    if (record === undefined || this.index === undefined) return undefined;
    if (record.size !== size || record.mtimeMs !== mtimeMs || record.ino !== ino) return undefined;
    if (mtimeMs >= this.index.savedAt - RACY_MS) return undefined;
    return record;
  }

  private renderedPath(key: string): string {
    return path.join(this.dir, 'rendered', key.slice(0, 2), `${key}.v8`);
  }

  /**
   * Key of a post's rendered content: its path and its file's bytes (with the site configuration, in the
   * namespace, they determine its URL, against which links resolve).
   */
  static renderKey(rel: string, fileHash: string, excerptOnly: boolean): string {
    return createHash('sha256').update(`${rel}\n${fileHash}\n${excerptOnly ? 1 : 0}`).digest('hex');
  }

  /** Rendered parts stored under `key`, if any. */
  lookupRendered(key: string): RenderedParts | undefined {
    try {
      return deserialize(readFileSync(this.renderedPath(key))) as RenderedParts;
    } catch {
      return undefined;
    }
  }

  /** Remembers rendered parts, written on `save`. */
  storeRendered(key: string, parts: RenderedParts): void {
    this.pendingRendered.set(key, parts);
  }

  /** Writes the scan index and new rendered entries (each atomically). Failures only cost the cache. */
  save(records: readonly ScanRecord[], savedAt: number): void {
    try {
      mkdirSync(this.dir, { recursive: true });
      for (const [key, parts] of this.pendingRendered) writeAtomic(this.renderedPath(key), serialize(parts));
      writeIndex(path.join(this.dir, 'scan.v8'), savedAt, records);
    } catch {
      // A cache that cannot be written is a slower next build, never a failed one.
      rmSync(path.join(this.dir, 'scan.v8'), { force: true });
    }
  }
}

// The index is written and read in slices (each a length-prefixed V8 serialization), so neither side ever
// holds the whole index as one buffer beside the records themselves: at 100,000 posts that is ~60 MB.
const SLICE = 5_000;

function writeIndex(file: string, savedAt: number, records: readonly ScanRecord[]): void {
  mkdirSync(path.dirname(file), { recursive: true });
  const temp = `${file}.${process.pid}.tmp`;
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

function writeAtomic(file: string, data: Buffer): void {
  mkdirSync(path.dirname(file), { recursive: true });
  const temp = `${file}.${process.pid}.tmp`;
  writeFileSync(temp, data);
  renameSync(temp, file);
}
