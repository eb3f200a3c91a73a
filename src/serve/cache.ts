/**
 * File bytes, their entity-tags and their compressed variants, kept in memory for `serve`. Both maps are
 * `lru-cache` instances bounded by bytes; the variant cache's `fetch` also makes concurrent requests for
 * the same variant share one compression.
 */
import * as fsp from 'node:fs/promises';
import etag from 'etag';
import { LRUCache } from 'lru-cache';
import { compress } from './encoding.js';

/** Bytes and the strong entity-tag (`etag` package: length and SHA-1 of the bytes) that names them. */
export interface Representation {
  readonly bytes: Buffer;
  /** A strong entity-tag, quotes included (RFC 9110 §8.8.3). */
  readonly etag: string;
  readonly modified?: Date;
}

/** A file as read from disk, with what identifies its version. */
export interface LoadedFile extends Representation {
  readonly modified: Date;
  readonly stamp: string;
}

/** A compressed variant; `bytes` is null when compressing did not make the file smaller. */
export interface Variant {
  readonly bytes: Buffer | null;
  readonly etag: string;
}

/** Memory for file bytes and compressed variants, each; least recently used entries go first. */
const CACHE_BYTES = 64 * 1024 * 1024;

/** The strong entity-tag of `bytes`. */
export function entityTag(bytes: Buffer): string {
  return etag(bytes);
}

/** The serve cache: one per server. */
export class ServeCache {
  readonly #files = new LRUCache<string, LoadedFile>({ maxSize: CACHE_BYTES, maxEntrySize: CACHE_BYTES / 4, sizeCalculation: (f) => Math.max(1, f.bytes.length) });
  readonly #variants = new LRUCache<string, Variant, { readonly rep: Representation; readonly coding: 'br' | 'gzip' }>({
    maxSize: CACHE_BYTES,
    maxEntrySize: CACHE_BYTES / 4,
    sizeCalculation: (v) => Math.max(64, v.bytes?.length ?? 0),
    fetchMethod: async (_key, _stale, { context }) => {
      const out = await compress(context.rep.bytes, context.coding);
      return out.length < context.rep.bytes.length ? { bytes: out, etag: entityTag(out) } : { bytes: null, etag: context.rep.etag };
    },
  });

  /** The file's bytes and entity-tag, read and hashed again only when its inode, size or times changed. */
  async load(file: string): Promise<LoadedFile> {
    // One descriptor for stat and read: publish renames new files in, so both see the same inode.
    const handle = await fsp.open(file, 'r');
    try {
      const stat = await handle.stat({ bigint: true });
      const stamp = `${stat.dev}:${stat.ino}:${stat.size}:${stat.mtimeNs}:${stat.ctimeNs}`;
      const cached = this.#files.get(file);
      if (cached?.stamp === stamp) return cached;
      const bytes = await handle.readFile();
      const loaded: LoadedFile = { bytes, etag: entityTag(bytes), modified: new Date(Number(stat.mtimeMs)), stamp };
      this.#files.set(file, loaded);
      return loaded;
    } finally {
      await handle.close();
    }
  }

  /** The compressed variant of `rep`, compressed once per entity-tag and coding. */
  async variant(rep: Representation, coding: 'br' | 'gzip'): Promise<Variant> {
    const variant = await this.#variants.fetch(`${rep.etag}:${coding}`, { context: { rep, coding } });
    if (variant === undefined) throw new Error('compression produced no result');
    return variant;
  }
}
