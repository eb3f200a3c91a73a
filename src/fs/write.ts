/**
 * The output end of the pipeline: atomic, all-or-nothing writes. Every file is already rendered; each is
 * written to a temp file beside its target, and only when all temp files exist are they renamed over
 * their targets. A reader or host sees the old file or the new one, never a partial or empty one.
 */
import * as fsp from 'node:fs/promises';
import path from 'node:path';
import { errorAt, FeedwrightError } from '../errors.js';
import type { OutputFile } from '../types.js';

/** The file-system calls the writer uses; tests replace them to inject faults. */
export interface WriteIo {
  readonly mkdir: (dir: string) => Promise<unknown>;
  readonly writeFile: (file: string, data: string) => Promise<void>;
  readonly rename: (from: string, to: string) => Promise<void>;
  readonly readFile: (file: string) => Promise<string | undefined>;
  /** Byte length of a file, or -1 when it does not exist. */
  readonly size: (file: string) => Promise<number>;
  readonly unlink: (file: string) => Promise<void>;
  readonly readdir: (dir: string) => Promise<{ name: string; isDirectory: boolean }[]>;
  readonly rmdir: (dir: string) => Promise<void>;
}

/** Node's file system, with `fsync` before rename so a crash cannot leave a renamed but empty file. */
export const nodeWriteIo: WriteIo = {
  mkdir: (dir) => fsp.mkdir(dir, { recursive: true }),
  writeFile: async (file, data) => {
    const handle = await fsp.open(file, 'wx', 0o644);
    try {
      await handle.writeFile(data, 'utf8');
      await handle.sync();
    } finally {
      await handle.close();
    }
  },
  rename: (from, to) => fsp.rename(from, to),
  readFile: async (file) => {
    try {
      return await fsp.readFile(file, 'utf8');
    } catch {
      return undefined;
    }
  },
  size: async (file) => {
    try {
      return (await fsp.stat(file)).size;
    } catch {
      return -1;
    }
  },
  unlink: (file) => fsp.unlink(file),
  readdir: async (dir) => {
    try {
      return (await fsp.readdir(dir, { withFileTypes: true })).map((e) => ({ name: e.name, isDirectory: e.isDirectory() }));
    } catch {
      return [];
    }
  },
  rmdir: (dir) => fsp.rmdir(dir),
};

/** Feed file names feedwright owns in category and tag folders (only these are ever pruned). */
const OWNED_NAMES = new Set(['rss.xml', 'atom.xml', 'feed.json']);
const TEMP_PATTERN = /^\.feedwright-.*\.tmp$/;

/** What a write did. */
export interface WriteReport {
  /** Paths (relative to the output folder) whose bytes changed. */
  readonly written: readonly string[];
  /** Paths left alone because their bytes were already right (their mtime is kept for conditional GET). */
  readonly unchanged: readonly string[];
  /** Stale feed files removed (feeds of categories or tags that no longer exist). */
  readonly removed: readonly string[];
}

let counter = 0;
const WRITE_CONCURRENCY = 8;

/**
 * Writes `files` into `outDir` atomically, then removes stale category/tag feeds. On any failure, every
 * temp file is removed, the previous output is left as it was, and a `FeedwrightError` is thrown.
 */
export async function writeOutput(outDir: string, files: readonly OutputFile[], io: WriteIo = nodeWriteIo): Promise<WriteReport> {
  const pending: { temp: string; target: string; rel: string }[] = [];
  const unchanged: string[] = [];
  try {
    // Temp files are written (and synced) several at a time: syncs overlap in the disk queue.
    let failure: unknown;
    await settleConcurrent(files, WRITE_CONCURRENCY, () => failure === undefined, (cause) => (failure ??= cause), async (file) => {
      const target = path.join(outDir, ...file.path.split('/'));
      // Only a file of the same byte length can be unchanged: skip reading the rest.
      if ((await io.size(target)) === Buffer.byteLength(file.contents) && (await io.readFile(target)) === file.contents) {
        unchanged.push(file.path);
        return;
      }
      await io.mkdir(path.dirname(target));
      const temp = path.join(path.dirname(target), `.feedwright-${process.pid}-${++counter}-${path.basename(target)}.tmp`);
      pending.push({ temp, target, rel: file.path });
      await io.writeFile(temp, file.contents);
    });
    if (failure !== undefined) throw failure;
  } catch (cause) {
    await Promise.all(pending.map((p) => io.unlink(p.temp).catch(() => undefined)));
    throw new FeedwrightError([errorAt('WRITE_FAILED', toPosix(outDir), `could not write the feeds: ${(cause as Error).message}`, 'check free space and permissions of the output folder; the previous feeds were left as they were')], { cause });
  }
  // Rename in path order, so the order a reader could observe is the same on every run.
  pending.sort((a, b) => (a.rel < b.rel ? -1 : a.rel > b.rel ? 1 : 0));
  unchanged.sort();
  const written: string[] = [];
  try {
    for (const p of pending) {
      await io.rename(p.temp, p.target);
      written.push(p.rel);
    }
  } catch (cause) {
    await Promise.all(pending.map((p) => io.unlink(p.temp).catch(() => undefined)));
    throw new FeedwrightError([errorAt('WRITE_FAILED', toPosix(outDir), `could not replace the feeds: ${(cause as Error).message}`, 'check permissions of the output folder, then build again')], { cause });
  }
  const removed = await pruneStale(outDir, new Set(files.map((f) => f.path)), io);
  return { written, unchanged, removed };
}

// Only after the new set is in place: remove feed files of categories/tags that are gone, and leftover temp files.
async function pruneStale(outDir: string, keep: ReadonlySet<string>, io: WriteIo): Promise<string[]> {
  const removed: string[] = [];
  for (const entry of await io.readdir(outDir)) {
    if (!entry.isDirectory && TEMP_PATTERN.test(entry.name)) await io.unlink(path.join(outDir, entry.name)).catch(() => undefined);
  }
  for (const group of ['categories', 'tags']) {
    const groupDir = path.join(outDir, group);
    for (const sub of await io.readdir(groupDir)) {
      if (!sub.isDirectory) continue;
      const dir = path.join(groupDir, sub.name);
      let left = 0;
      for (const entry of await io.readdir(dir)) {
        const rel = `${group}/${sub.name}/${entry.name}`;
        if (!entry.isDirectory && (TEMP_PATTERN.test(entry.name) || (OWNED_NAMES.has(entry.name) && !keep.has(rel)))) {
          await io.unlink(path.join(dir, entry.name));
          if (!TEMP_PATTERN.test(entry.name)) removed.push(rel);
        } else {
          left++;
        }
      }
      if (left === 0) await io.rmdir(dir).catch(() => undefined);
    }
  }
  return removed.sort();
}

/**
 * Runs `task` over `items`, at most `limit` at once, starting new ones only while `go()` holds, and
 * resolves only when every started task has settled (so no write is still in flight during clean-up).
 */
async function settleConcurrent<T>(items: readonly T[], limit: number, go: () => boolean, onError: (cause: unknown) => void, task: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length && go()) {
      const item = items[next++] as T;
      try {
        await task(item);
      } catch (cause) {
        onError(cause);
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}

function toPosix(p: string): string {
  return p.split(path.sep).join('/');
}
