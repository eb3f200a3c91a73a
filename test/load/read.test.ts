/**
 * readPostFile on real files: a file the listing found to be a regular file is opened without resolving its
 * path, and one that was replaced by a symbolic link since is still resolved and checked (never followed out
 * of the content folder). Read into a scratch buffer, each file's bytes are the file's, however the sizes go.
 */
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { readPostFile, ScratchBuffer } from '../../src/load/read.js';

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

  it('reads files of any size into one scratch buffer, growing it for a large one', () => {
    const { root } = site();
    // Small, larger than the scratch's first 64 KiB, small again, empty: each read must give exactly its file.
    const texts = ['---\ntitle: A\n---\nfirst\n', `---\ntitle: B\n---\n${'b'.repeat(200_000)}\n`, '---\ntitle: C\n---\nc\n', ''];
    const scratch = new ScratchBuffer();
    texts.forEach((text, i) => {
      const rel = `_posts/2026-01-0${i + 1}-p.md`;
      writeFileSync(path.join(root, rel), text);
      const read = readPostFile(root, { rel, symlink: false }, `content/${rel}`, 1 << 20, scratch);
      expect(bytesOf(read)).toBe(text);
      expect('bytes' in read && read.bytes.length).toBe(Buffer.byteLength(text));
    });
    // The bytes of a read are the scratch's: the next read overwrites them (as readPostFile's doc says).
    const first = readPostFile(root, { rel: '_posts/2026-01-02-p.md', symlink: false }, 'x', 1 << 20, scratch);
    readPostFile(root, { rel: '_posts/2026-01-01-p.md', symlink: false }, 'x', 1 << 20, scratch);
    expect('bytes' in first && Buffer.from(first.bytes.subarray(0, 22)).toString('utf8')).toBe(texts[0]?.slice(0, 22));
  });
});
