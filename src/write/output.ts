/**
 * The output end of the pipeline: atomic, all-or-nothing writes. Each file is written to a temp file
 * beside its target (streamed, so a feed of any size is never one string in memory); only when every temp
 * file is complete and synced are they renamed over their targets, in path order. A reader or host sees
 * the old file or the new one, never a partial or empty one. Stale category/tag feeds are removed only
 * after the new set is in place. On any failure every temp file is removed and the old output stays.
 */
import { randomUUID } from 'node:crypto';
import { appendFileSync, closeSync, fdatasync, fsyncSync, lstatSync, mkdirSync, open as openAsync, close as closeAsync, openSync, readdirSync, renameSync, rmdirSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import * as fsp from 'node:fs/promises';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { errorAt, FeedwrightError } from '../errors.js';
import { readInto } from '../load/read.js';
import type { OutputFile } from '../types.js';
import { tempPathFor } from './atomic.js';
import { FEED_FILE_NAMES, isJekyllFeedPath, JEKYLL_FEED_DIR } from './feed-files.js';

/** An open temp file. */
export interface TempHandle {
  readonly path: string;
}

/** The file-system calls the writer uses; tests replace them to inject faults. */
export interface WriteIo {
  readonly mkdir: (dir: string) => Promise<unknown>;
  /** Creates `file` exclusively for writing. */
  readonly create: (file: string) => Promise<TempHandle>;
  readonly append: (handle: TempHandle, data: string) => Promise<void>;
  /** Flushes to disk (fsync) and closes. */
  readonly close: (handle: TempHandle) => Promise<void>;
  readonly rename: (from: string, to: string) => Promise<void>;
  /** Byte length of a file, or -1 when it does not exist. */
  readonly size: (file: string) => Promise<number>;
  readonly sameBytes: (a: string, b: string) => Promise<boolean>;
  readonly unlink: (file: string) => Promise<void>;
  readonly readdir: (dir: string) => Promise<{ name: string; isDirectory: boolean }[]>;
  readonly rmdir: (dir: string) => Promise<void>;
}

/** Bytes compared at a time by `sameFileBytes`. */
const COMPARE_CHUNK = 1 << 20;

/**
 * Whether two files hold the same bytes, read a chunk of each at a time: a full-archive feed is hundreds of
 * megabytes (the site's Atom file of 20,000 posts, 107 MB), and reading both copies whole put twice its size
 * on a rebuild's peak memory (a `--limit 0` rebuild of 20,000 posts into its last output peaked at
 * 413–427 MB that way, 319–329 MB comparing by chunks).
 */
export function sameFileBytes(a: string, b: string): boolean {
  const fa = openSync(a, 'r');
  try {
    const fb = openSync(b, 'r');
    try {
      const chunkA = Buffer.allocUnsafe(COMPARE_CHUNK);
      const chunkB = Buffer.allocUnsafe(COMPARE_CHUNK);
      for (let position = 0; ; position += COMPARE_CHUNK) {
        const n = readInto(fa, chunkA, position);
        if (n !== readInto(fb, chunkB, position) || !chunkA.subarray(0, n).equals(chunkB.subarray(0, n))) return false;
        if (n < COMPARE_CHUNK) return true;
      }
    } finally {
      closeSync(fb);
    }
  } finally {
    closeSync(fa);
  }
}

/**
 * Node's file system. Temp files are appended to by path (no descriptor is held between flushes, so a site
 * with thousands of tag feeds needs no more open files than one), and synced before rename so a crash
 * cannot leave a renamed but empty file.
 *
 * The calls are synchronous behind the async interface (as the reading end's are, load/read.ts): every call
 * of the writer is awaited in turn anyway (see `StagedOutput.appending`), and a trip through libuv's thread
 * pool per call cost far more than the write. Appending 345 MB to 99 files in 64 KiB pieces (a full-archive
 * build of 5,000 posts) took 2.28 s with `fs.promises.appendFile` (1.6 s of it system CPU) and 0.20 s with
 * `appendFileSync` on this project's 2-core machine; held `FileHandle`s took 0.99 s.
 */
export const nodeWriteIo: WriteIo = {
  mkdir: async (dir) => mkdirSync(dir, { recursive: true }),
  create: async (file) => {
    writeFileSync(file, '', { flag: 'wx', mode: 0o644 });
    return { path: file };
  },
  append: async (temp, data) => {
    appendFileSync(temp.path, data, 'utf8');
    writeback.note(temp.path, data.length);
  },
  close: async (temp) => {
    writeback.forget(temp.path);
    const fd = openSync(temp.path, 'r+');
    try {
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
  },
  rename: async (from, to) => renameSync(from, to),
  size: async (file) => {
    try {
      return statSync(file).size;
    } catch {
      return -1;
    }
  },
  sameBytes: async (a, b) => {
    try {
      return sameFileBytes(a, b);
    } catch {
      return false;
    }
  },
  unlink: async (file) => unlinkSync(file),
  readdir: async (dir) => {
    try {
      return readdirSync(dir, { withFileTypes: true }).map((e) => ({ name: e.name, isDirectory: e.isDirectory() }));
    } catch {
      return [];
    }
  },
  rmdir: async (dir) => rmdirSync(dir),
};

/** Bytes appended past which the temp files written since are synced in the background: see `Writeback`. */
const WRITEBACK_AFTER = 32 << 20;

/**
 * Starts the disk writes of the temp files early, while the build goes on. Linux leaves written data in
 * memory until a tenth of the free memory is dirty (`vm.dirty_background_ratio`) or it is 30 s old, so the
 * fsync of every file before the renames wrote all of it at the end: the 1.4 GB of a full-archive build of
 * 20,000 posts took 0.84–0.99 s there, with nothing else to do (0.17–0.18 s with this). Past every `after`
 * bytes appended, the files appended to since are synced one after the other (`fdatasync` on libuv's thread
 * pool), without waiting; the fsync before the rename (`close`) stays what makes a file durable, and finds
 * little left to write. One pass runs at a time; a file gone meanwhile (an aborted build) is skipped.
 */
export class Writeback {
  /** Files appended to since the last pass, with the bytes appended to each. */
  private readonly pending = new Map<string, number>();
  private bytes = 0;
  private running = false;

  /** @param sync starts writing `file`'s data to disk and calls `done` when it is (or cannot be) */
  constructor(
    private readonly after: number,
    private readonly sync: (file: string, done: () => void) => void = syncFileData,
  ) {}

  /** `length` more bytes (UTF-16 units, near enough) were appended to `file`. */
  note(file: string, length: number): void {
    this.pending.set(file, (this.pending.get(file) ?? 0) + length);
    this.bytes += length;
    if (this.bytes >= this.after && !this.running) this.pass([...this.pending.keys()]);
  }

  /** `file` was synced (or removed) by its writer: no pass need take it. */
  forget(file: string): void {
    this.bytes -= this.pending.get(file) ?? 0;
    this.pending.delete(file);
  }

  private pass(files: readonly string[]): void {
    this.pending.clear();
    this.bytes = 0;
    this.running = true;
    const next = (i: number): void => {
      const file = files[i];
      if (file === undefined) this.running = false;
      else this.sync(file, () => next(i + 1));
    };
    next(0);
  }
}

/** `fdatasync` of `file` on libuv's thread pool; any failure (the file gone, say) just ends it. */
function syncFileData(file: string, done: () => void): void {
  openAsync(file, 'r+', (openError, fd) => {
    if (openError !== null) done();
    else fdatasync(fd, () => closeAsync(fd, () => done()));
  });
}

const writeback = new Writeback(WRITEBACK_AFTER);

/** Feed file names feedwright owns in category and tag folders (only these are ever pruned). */
const OWNED_NAMES: ReadonlySet<string> = new Set(FEED_FILE_NAMES);
const TEMP_PATTERN = /^\.feedwright-.*\.tmp$/;
const FLUSH_AT = 1 << 16;
const BUFFER_BUDGET = 4 << 20;
/**
 * Text handed to appends that have not finished, past which `write` waits for them. Appends are queued,
 * not awaited by `write` (a full-archive build of 20,000 posts writes 1.4 GB); this bounds what they hold
 * when the file system is slow (`nodeWriteIo`'s calls finish within the turn, so with it nothing piles up).
 */
const IN_FLIGHT_BUDGET = 8 << 20;

/** What a write did. */
export interface WriteReport {
  /** Paths (relative to the output folder) whose bytes changed. */
  readonly written: readonly string[];
  /** Paths left alone because their bytes were already right (their mtime is kept for conditional GET). */
  readonly unchanged: readonly string[];
  /** Stale feed files removed (feeds of categories or tags that no longer exist). */
  readonly removed: readonly string[];
}


interface Staged {
  readonly rel: string;
  readonly target: string;
  temp?: TempHandle;
  buffer: string;
  bytes: number;
}

/** A set of output files being written to temp files, then committed together. */
export class StagedOutput {
  private readonly files = new Map<string, Staged>();
  /** Files left as they are (not staged, not pruned): the caller proved them to be what this build would write. */
  private readonly kept = new Set<string>();
  private failure: FeedwrightError | undefined;
  private buffered = 0;
  private inFlight = 0;
  /**
   * Every append queued so far, one after the other in the order they were queued (never rejects). One
   * queue, not one per file: the file-system calls come in the same order in every run, whatever the disk's
   * speed (the kill test stops a build at an exact call).
   */
  private appending: Promise<void> = Promise.resolve();
  private readonly realFolders = new Set<string>();
  /** Folders checked by `refuseLinkedFolders` and made (`WriteIo.mkdir`) by this build. */
  private readonly madeFolders = new Set<string>();

  constructor(
    private readonly outDir: string,
    private readonly io: WriteIo = nodeWriteIo,
    private readonly lockWaitMs = LOCK_WAIT_MS,
  ) {}

  /** Starts the file `rel` (POSIX path relative to the output folder). */
  async open(rel: string): Promise<void> {
    // The appends queued before come first, so the calls keep one order (see `appending`).
    await this.drain();
    const target = path.join(this.outDir, ...rel.split('/'));
    const staged: Staged = { rel, target, buffer: '', bytes: 0 };
    this.files.set(rel, staged);
    await this.guard(async () => {
      const dir = path.dirname(target);
      // Checked and made once per folder (a category's three feeds share one).
      if (!this.madeFolders.has(dir)) {
        this.refuseLinkedFolders(dir);
        await this.io.mkdir(dir);
        this.madeFolders.add(dir);
      }
      try {
        staged.temp = await this.io.create(tempPathFor(target));
      } catch (cause) {
        if ((cause as NodeJS.ErrnoException).code !== 'ENOENT') throw cause;
        // Another build committing into this folder pruned the empty folder just made: make it again.
        await this.io.mkdir(path.dirname(target));
        staged.temp = await this.io.create(tempPathFor(target));
      }
    });
  }

  // A folder below the output folder that is a symbolic link (`tags -> /etc`) would carry the feeds, and the
  // pruning of stale ones, outside it: refused. The output folder itself may be a link. Checked once per folder
  // (synchronously, as the writer's other calls are: a trip through libuv's thread pool for each of a news
  // site's ~35 folders cost more than the check).
  private refuseLinkedFolders(dir: string): void {
    let at = this.outDir;
    for (const part of path.relative(this.outDir, dir).split(path.sep).filter((p) => p !== '')) {
      at = path.join(at, part);
      if (this.realFolders.has(at)) continue;
      let info;
      try {
        info = lstatSync(at, { throwIfNoEntry: false });
      } catch {
        // Unreadable: left to the calls that follow, which fail with the reason.
        return;
      }
      if (info === undefined) return;
      if (!info.isDirectory()) throw new Error(`${toPosix(path.relative(this.outDir, at))} in the output folder is ${info.isSymbolicLink() ? 'a symbolic link' : 'not a folder'}; feedwright writes nothing outside the output folder (remove it)`);
      this.realFolders.add(at);
    }
  }

  /** Keeps the file `rel` as it is: it is reported unchanged and not pruned. */
  async keep(rel: string): Promise<void> {
    if (this.files.has(rel)) throw new Error(`${rel} is both written and kept`);
    this.kept.add(rel);
  }

  /** Appends text to `rel` (buffered; full buffers are appended while the caller goes on). */
  async write(rel: string, text: string): Promise<void> {
    await this.settleFailure();
    const staged = this.files.get(rel);
    if (staged === undefined) throw new Error(`${rel} was not opened`);
    staged.buffer += text;
    this.buffered += text.length;
    if (staged.buffer.length >= FLUSH_AT) void this.flush(staged);
    // Bound memory across many files too: past the budget, flush them all.
    if (this.buffered >= BUFFER_BUDGET) for (const other of this.files.values()) void this.flush(other);
    if (this.inFlight >= IN_FLIGHT_BUDGET) await this.drain();
  }

  /** Queues `staged`'s buffer behind the appends before it; resolves when it is written (or has failed: see `failure`). */
  private flush(staged: Staged): Promise<void> {
    const data = staged.buffer;
    if (data === '' || staged.temp === undefined) return this.appending;
    const temp = staged.temp;
    staged.buffer = '';
    this.buffered -= data.length;
    staged.bytes += Buffer.byteLength(data);
    this.inFlight += data.length;
    this.appending = this.appending.then(async () => {
      try {
        if (this.failure === undefined) await this.io.append(temp, data);
      } catch (cause) {
        this.failure ??= writeFailed(this.outDir, cause);
      } finally {
        this.inFlight -= data.length;
      }
    });
    return this.appending;
  }

  /** Waits for every queued append. */
  private async drain(): Promise<void> {
    await this.appending;
    await this.settleFailure();
  }

  /** If an append failed: waits for the rest, removes every temp file and throws the failure. */
  private async settleFailure(): Promise<void> {
    if (this.failure === undefined) return;
    await this.abort();
    throw this.failure;
  }

  private async guard(step: () => Promise<void>): Promise<void> {
    await this.settleFailure();
    try {
      await step();
    } catch (cause) {
      this.failure = writeFailed(this.outDir, cause);
      await this.abort();
      throw this.failure;
    }
  }

  /** Removes every temp file (after the appends under way end: one would make its file again); the output folder is as it was. */
  async abort(): Promise<void> {
    await this.appending;
    for (const staged of this.files.values()) {
      if (staged.temp === undefined) continue;
      await this.io.close(staged.temp).catch(() => undefined);
      await this.io.unlink(staged.temp.path).catch(() => undefined);
      delete staged.temp;
    }
  }

  /** Completes every file, then renames the changed ones over their targets and prunes stale feeds. */
  async commit(): Promise<WriteReport> {
    const ordered = [...this.files.values()].sort((a, b) => (a.rel < b.rel ? -1 : a.rel > b.rel ? 1 : 0));
    for (const staged of ordered) {
      await this.flush(staged);
      await this.guard(async () => {
        if (staged.temp !== undefined) await this.io.close(staged.temp);
      });
    }
    let release: () => Promise<void>;
    try {
      release = await lockOutput(this.outDir, { waitMs: this.lockWaitMs });
    } catch (cause) {
      await this.abort();
      if (cause instanceof FeedwrightError) throw cause;
      throw new FeedwrightError([errorAt('WRITE_FAILED', toPosix(this.outDir), `could not lock the output folder: ${(cause as Error).message}`, 'check permissions of the output folder; the previous feeds were left as they were')], { cause });
    }
    try {
      return await this.replace(ordered);
    } finally {
      await release();
    }
  }

  // Under the output folder's lock: so two builds into one folder each replace and prune the whole set in turn.
  private async replace(ordered: readonly Staged[]): Promise<WriteReport> {
    const written: string[] = [];
    const unchanged: string[] = [];
    const changed: Staged[] = [];
    await this.guard(async () => {
      for (const staged of ordered) {
        const temp = staged.temp as TempHandle;
        // An identical file is left alone, so its mtime (and a host's Last-Modified) does not move.
        if ((await this.io.size(staged.target)) === staged.bytes && (await this.io.sameBytes(temp.path, staged.target))) {
          await this.io.unlink(temp.path);
          delete staged.temp;
          unchanged.push(staged.rel);
        } else {
          changed.push(staged);
        }
      }
    });
    try {
      for (const staged of changed) {
        await this.io.rename((staged.temp as TempHandle).path, staged.target);
        delete staged.temp;
        written.push(staged.rel);
      }
    } catch (cause) {
      await this.abort();
      throw new FeedwrightError([errorAt('WRITE_FAILED', toPosix(this.outDir), `could not replace the feeds: ${(cause as Error).message}`, 'check permissions of the output folder, then build again')], { cause });
    }
    const removed = await pruneStale(this.outDir, new Set([...this.files.keys(), ...this.kept]), this.io);
    return { written, unchanged: this.kept.size === 0 ? unchanged : [...unchanged, ...this.kept].sort(), removed };
  }
}

/**
 * Writes `files` into `outDir` atomically, then removes stale category/tag feeds. On any failure, every
 * temp file is removed, the previous output is left as it was, and a `FeedwrightError` is thrown.
 */
export async function writeOutput(outDir: string, files: readonly OutputFile[], io: WriteIo = nodeWriteIo): Promise<WriteReport> {
  const staged = new StagedOutput(outDir, io);
  for (const file of files) {
    await staged.open(file.path);
    await staged.write(file.path, file.contents);
  }
  return staged.commit();
}

/** The lock file a build holds in the output folder while it replaces the feeds there. */
export const LOCK_FILE = '.feedwright-lock';

/** How long a build waits for another build's lock on the same output folder (its commit is renames only). */
const LOCK_WAIT_MS = 60_000;
const LOCK_POLL_MS = 25;

/** Whether process `pid` is running (EPERM: it is, under another user). */
function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (cause) {
    return (cause as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Takes the output folder's lock: `LOCK_FILE` holding the owner's pid and a token. The lock is written to a
 * temp file named by the atomic-write helper and linked into place (`link` fails when the name exists, as an
 * O_EXCL create does, and a reader never sees a half-written lock). A lock whose pid is dead is moved aside
 * and taken over; another build's lock is waited for up to `waitMs`, then a `FeedwrightError` names it.
 * Returns the release, which removes the lock only while it is still this one.
 */
export async function lockOutput(outDir: string, options: { readonly waitMs?: number } = {}): Promise<() => Promise<void>> {
  const lock = path.join(outDir, LOCK_FILE);
  const token = `${process.pid} ${randomUUID()}\n`;
  const deadline = Date.now() + (options.waitMs ?? LOCK_WAIT_MS);
  await fsp.mkdir(outDir, { recursive: true });
  // Written whole before it is linked into place; named by the atomic-write helper, so a leftover is swept.
  const mine = tempPathFor(lock);
  await fsp.writeFile(mine, token, { flag: 'wx', mode: 0o644 });
  const take = async (): Promise<boolean> => {
    try {
      await fsp.link(mine, lock);
      return true;
    } catch (cause) {
      const code = (cause as NodeJS.ErrnoException).code;
      if (code === 'EEXIST') return false;
      if (code !== 'EPERM' && code !== 'ENOTSUP' && code !== 'EOPNOTSUPP' && code !== 'ENOSYS') throw cause;
    }
    // A file system without hard links: an O_EXCL create, then the token (an empty lock counts as held).
    try {
      await fsp.writeFile(lock, token, { flag: 'wx', mode: 0o644 });
      return true;
    } catch (cause) {
      if ((cause as NodeJS.ErrnoException).code === 'EEXIST') return false;
      throw cause;
    }
  };
  try {
    for (;;) {
      if (await take()) {
        return async () => {
          if ((await fsp.readFile(lock, 'utf8').catch(() => undefined)) === token) await fsp.unlink(lock).catch(() => undefined);
        };
      }
      const held = await fsp.readFile(lock, 'utf8').catch(() => undefined);
      if (held === undefined) continue;
      const pid = Number(held.split(' ')[0]);
      if (held !== '' && (!Number.isSafeInteger(pid) || pid <= 0 || !isAlive(pid))) {
        const aside = tempPathFor(lock);
        if (await fsp.rename(lock, aside).then(() => true, () => false)) {
          // Between our read and the rename another build may have taken over first: then its fresh lock is
          // what we moved, and it goes back (a link cannot replace a lock taken meanwhile).
          if ((await fsp.readFile(aside, 'utf8').catch(() => held)) !== held) await fsp.link(aside, lock).catch(() => undefined);
          await fsp.unlink(aside).catch(() => undefined);
        }
        continue;
      }
      if (Date.now() >= deadline) {
        throw new FeedwrightError([errorAt('WRITE_FAILED', toPosix(outDir), `another feedwright build (pid ${held === '' ? 'unknown' : pid}) is writing to this folder`, `wait for it to finish, or remove ${LOCK_FILE} if no build is running; the previous feeds were left as they were`)]);
      }
      await sleep(LOCK_POLL_MS);
    }
  } finally {
    await fsp.unlink(mine).catch(() => undefined);
  }
}

/** Whether a `.feedwright-*.tmp` file may be swept: its writer (the pid in its name) is gone, or it predates pids in names. */
function isAbandonedTemp(name: string): boolean {
  if (!TEMP_PATTERN.test(name)) return false;
  const pid = /^\.feedwright-(\d+)-\d+-/.exec(name)?.[1];
  return pid === undefined || !isAlive(Number(pid));
}

/** Folders whose feeds feedwright owns (jekyll-feed's `feed/` too): a feed file there that this build did not write is stale. */
export const OWNED_TREES: readonly string[] = ['categories', 'tags', 'archive', JEKYLL_FEED_DIR];

// Only after the new set is in place: remove feed files of categories, tags and archive months that are
// gone (the same all-or-nothing rule for all three), folders left empty by that, and leftover temp files.
async function pruneStale(outDir: string, keep: ReadonlySet<string>, io: WriteIo): Promise<string[]> {
  const removed: string[] = [];
  for (const entry of await io.readdir(outDir)) {
    // Temp files of a build that is still running (into this folder, or staging while this one commits) stay.
    if (!entry.isDirectory && isAbandonedTemp(entry.name)) await io.unlink(path.join(outDir, entry.name)).catch(() => undefined);
  }
  // Returns how many entries are left in `rel` (a folder below the output folder).
  const prune = async (rel: string): Promise<number> => {
    const dir = path.join(outDir, ...rel.split('/'));
    let left = 0;
    for (const entry of await io.readdir(dir)) {
      const child = `${rel}/${entry.name}`;
      if (entry.isDirectory) {
        if ((await prune(child)) === 0) await io.rmdir(path.join(dir, entry.name)).catch(() => undefined);
        else left++;
      } else if (isAbandonedTemp(entry.name) || (!TEMP_PATTERN.test(entry.name) && (OWNED_NAMES.has(entry.name) || isJekyllFeedPath(child)) && !keep.has(child))) {
        await io.unlink(path.join(dir, entry.name)).catch(() => undefined);
        if (!TEMP_PATTERN.test(entry.name)) removed.push(child);
      } else {
        left++;
      }
    }
    return left;
  };
  for (const tree of OWNED_TREES) await prune(tree);
  return removed.sort();
}

function toPosix(p: string): string {
  return p.split(path.sep).join('/');
}

/** The error of a build whose output could not be written: the previous feeds stay. */
function writeFailed(outDir: string, cause: unknown): FeedwrightError {
  return new FeedwrightError([errorAt('WRITE_FAILED', toPosix(outDir), `could not write the feeds: ${(cause as Error).message}`, 'check free space and permissions of the output folder; the previous feeds were left as they were')], { cause });
}
