/**
 * readPostFile on real files: a file the listing found to be a regular file is opened without resolving its
 * path, and one that was replaced by a symbolic link since is still resolved and checked (never followed out
 * of the content folder).
 */
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { readPostFile } from '../../src/load/read.js';

const made: string[] = [];
afterEach(() => {
  for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** A content folder with `_posts/`, and a secret file beside it (outside it). */
function site(): { root: string; secret: string } {
  const base = mkdtempSync(path.join(os.tmpdir(), 'feedwright-read-'));
  made.push(base);
  const root = path.join(base, 'content');
  mkdirSync(path.join(root, '_posts'), { recursive: true });
  const secret = path.join(base, 'secret.md');
  writeFileSync(secret, '---\ntitle: secret\n---\nnot for the feed\n');
  return { root, secret };
}

const bytesOf = (read: ReturnType<typeof readPostFile>): string => ('bytes' in read ? Buffer.from(read.bytes).toString('utf8') : `${read.code}: ${read.message}`);

describe('readPostFile', () => {
  it('reads a regular post file listed as one', () => {
    const { root } = site();
    writeFileSync(path.join(root, '_posts', '2026-01-01-a.md'), '---\ntitle: A\n---\nbody\n');
    const read = readPostFile(root, { rel: '_posts/2026-01-01-a.md', symlink: false }, 'content/_posts/2026-01-01-a.md', 1 << 20);
    expect(bytesOf(read)).toBe('---\ntitle: A\n---\nbody\n');
    expect('bytes' in read && read.size).toBe(22);
  });

  it.runIf(process.platform !== 'win32')('refuses a file listed as regular that is now a link out of the content folder', () => {
    const { root, secret } = site();
    symlinkSync(secret, path.join(root, '_posts', '2026-01-01-b.md'));
    for (const symlink of [false, true]) {
      const read = readPostFile(root, { rel: '_posts/2026-01-01-b.md', symlink }, 'content/_posts/2026-01-01-b.md', 1 << 20);
      expect('bytes' in read).toBe(false);
      expect(!('bytes' in read) && read.code).toBe('PATH_ESCAPE');
      expect(!('bytes' in read) && read.file).toBe('content/_posts/2026-01-01-b.md');
    }
  });

  it.runIf(process.platform !== 'win32')('reads a link to a file inside the content folder, listed as a link or not', () => {
    const { root } = site();
    mkdirSync(path.join(root, 'drafts-kept'));
    writeFileSync(path.join(root, 'drafts-kept', 'c.md'), '---\ntitle: C\n---\nlinked\n');
    symlinkSync(path.join('..', 'drafts-kept', 'c.md'), path.join(root, '_posts', '2026-01-01-c.md'));
    for (const symlink of [false, true]) {
      const read = readPostFile(root, { rel: '_posts/2026-01-01-c.md', symlink }, 'content/_posts/2026-01-01-c.md', 1 << 20);
      expect(bytesOf(read)).toBe('---\ntitle: C\n---\nlinked\n');
    }
  });
});
