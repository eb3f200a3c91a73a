/** Reading post files: the only code that opens them. Never reads outside the content folder. */
import { closeSync, constants, fstatSync, openSync, readSync, realpathSync } from 'node:fs';
import path from 'node:path';
import { errorAt, type Diagnostic } from '../errors.js';

/** True when `child` is `root` or inside it (both already resolved). */
export function isInside(root: string, child: string): boolean {
  const rel = path.relative(root, child);
  // `..foo` is a child; only `..` itself or a path starting `../` leaves the root.
  return rel === '' || (rel !== '..' && !rel.startsWith(`..${path.sep}`) && !path.isAbsolute(rel));
}

const prefixes = new Map<string, string>();

/**
 * `join(dir, rel)` for a `rel` made by the listing (directory entry names joined with `/`: no `.`, `..` or
 * empty segments): the prefix that `join` gives `dir` (normalized, with its separator), then `rel` as it is.
 * The same string as `join(dir, rel)`, without normalizing every post's path again: for 20,000 posts,
 * path.join took 40–60 ms a pass and this 10–17 ms (the scan, the cache check and the manifest each make one).
 */
export function joinListed(join: (dir: string, rel: string) => string, dir: string, rel: string): string {
  if (path.sep !== '/') return join(dir, rel);
  const key = `${join === path.posix.join ? 'p' : 'n'}${dir}`;
  let prefix = prefixes.get(key);
  if (prefix === undefined) {
    prefix = join(dir, 'x').slice(0, -1);
    if (prefixes.size > 100) prefixes.clear();
    prefixes.set(key, prefix);
  }
  return prefix + rel;
}

/** A post file found by the listing. */
export interface Listed {
  /** POSIX path relative to the content folder. */
  readonly rel: string;
  readonly symlink: boolean;
  /** A post of a `_posts/` folder, or a draft of a `_drafts/` folder. */
  readonly kind: 'post' | 'draft';
}

/** A post file's bytes and the stat that identifies this version of it. */
export interface ReadFile {
  readonly bytes: Uint8Array;
  readonly size: number;
  readonly mtimeMs: number;
  readonly ctimeMs: number;
  readonly ino: number;
}

/** Fills `buffer` from `position` of the open file `fd`, short only at the file's end; the bytes read. */
export function readInto(fd: number, buffer: Uint8Array, position: number): number {
  let filled = 0;
  while (filled < buffer.length) {
    const n = readSync(fd, buffer, filled, buffer.length - filled, position + filled);
    if (n === 0) break;
    filled += n;
  }
  return filled;
}

/** `O_NOFOLLOW` where the platform has it (not on Windows, where the listing's link check stands alone). */
const NO_FOLLOW = constants.O_NOFOLLOW ?? 0;

/**
 * A buffer that one loop reads every post file into, in turn: the scan of 20,000 posts allocated 78 MB of
 * buffers, one a file, each garbage as soon as the file was parsed (a cold news build 0.94-0.96x the wall
 * time and the CPU reading into one, paired). Bytes read into it are valid only until the next read.
 */
export class ScratchBuffer {
  #buffer = Buffer.allocUnsafeSlow(64 * 1024);

  /** `size` bytes to read into: the scratch's own, grown (never shrunk) when a file is larger. */
  take(size: number): Buffer {
    if (size > this.#buffer.length) this.#buffer = Buffer.allocUnsafeSlow(Math.max(size, this.#buffer.length * 2));
    return this.#buffer.subarray(0, size);
  }
}

/**
 * Reads one post file: its bytes, or why not. Never reads outside the content folder: a file the listing
 * found to be a symbolic link (`symlink`) is resolved and must stay inside it. With `scratch`, the bytes are
 * read into it, and are valid only until its next use.
 */
export function readPostFile(root: string, file: Pick<Listed, 'rel' | 'symlink'>, display: string, maxBytes: number, scratch?: ScratchBuffer): ReadFile | Diagnostic {
  let full = joinListed(path.join, root, file.rel);
  try {
    if (file.symlink) {
      full = realpathSync(full);
      if (!isInside(root, full)) {
        return errorAt('PATH_ESCAPE', display, 'is a symbolic link to a file outside the content folder', 'replace the link with the file itself; feedwright reads nothing outside the content folder');
      }
    }
    // O_NONBLOCK: opening a FIFO named like a post would otherwise wait for a writer forever (it is then
    // reported as not a regular file); on a regular file the flag changes nothing. O_NOFOLLOW: a file listed
    // as a regular one is opened only as long as it still is one; one replaced by a link since (ELOOP) is
    // resolved and checked as a listed link is.
    let fd: number;
    try {
      fd = openSync(full, constants.O_RDONLY | constants.O_NONBLOCK | (file.symlink ? 0 : NO_FOLLOW));
    } catch (cause) {
      if (file.symlink || (cause as NodeJS.ErrnoException).code !== 'ELOOP') throw cause;
      return readPostFile(root, { rel: file.rel, symlink: true }, display, maxBytes, scratch);
    }
    try {
      const info = fstatSync(fd);
      if (!info.isFile()) return errorAt('READ_FAILED', display, 'is not a regular file', 'remove it from _posts/');
      if (info.size > maxBytes) {
        return errorAt('FILE_TOO_LARGE', display, `is ${info.size} bytes, over the ${maxBytes}-byte limit for a post`, 'split the post, or raise the limit with --max-post-bytes');
      }
      const buffer = scratch === undefined ? Buffer.allocUnsafe(info.size) : scratch.take(info.size);
      const read = readInto(fd, buffer, 0);
      return { bytes: buffer.subarray(0, read), size: info.size, mtimeMs: info.mtimeMs, ctimeMs: info.ctimeMs, ino: info.ino };
    } finally {
      closeSync(fd);
    }
  } catch (cause) {
    return errorAt('READ_FAILED', display, `cannot be read: ${(cause as NodeJS.ErrnoException).code ?? (cause as Error).message}`, 'check that the file exists and is readable');
  }
}

