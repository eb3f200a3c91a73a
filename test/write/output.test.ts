/** Atomic, all-or-nothing output: a failed write leaves the previous feeds intact and no temp file behind. */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { StagedOutput, writeOutput } from '../../src/write/output.js';
import { nodeWriteIo, sameFileBytes, Writeback, type WriteIo } from '../../src/write/output.js';
import { listFiles } from '../support/golden.js';

function outDirWith(files: Record<string, string>): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'feedwright-out-'));
  for (const [rel, contents] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
    writeFileSync(path.join(dir, rel), contents);
  }
  return dir;
}

const snapshot = (dir: string): Record<string, string> => Object.fromEntries(listFiles(dir).map((f) => [f, readFileSync(path.join(dir, f), 'utf8')]));

describe('writeOutput', () => {
  it('replaces every file and removes feeds of categories that no longer exist, keeping other files', async () => {
    const dir = outDirWith({ 'rss.xml': 'old', 'categories/gone/rss.xml': 'old', 'categories/gone/atom.xml': 'old', 'categories/gone/feed.json': 'old', 'categories/keep/notes.txt': 'mine', 'index.html': 'host file' });
    const report = await writeOutput(dir, [
      { path: 'rss.xml', contents: 'new' },
      { path: 'categories/news/rss.xml', contents: 'new news' },
    ]);
    expect(snapshot(dir)).toEqual({ 'rss.xml': 'new', 'categories/news/rss.xml': 'new news', 'categories/keep/notes.txt': 'mine', 'index.html': 'host file' });
    expect(report.removed).toEqual(['categories/gone/atom.xml', 'categories/gone/feed.json', 'categories/gone/rss.xml']);
    expect(existsSync(path.join(dir, 'categories', 'gone'))).toBe(false);
  });

  it('removes the archive month of a deleted post once the new set is in place, keeping months that still exist and files it did not write', async () => {
    const month = (m: string): Record<string, string> => ({ [`archive/2026/${m}/rss.xml`]: m, [`archive/2026/${m}/atom.xml`]: m, [`archive/2026/${m}/feed.json`]: m });
    const dir = outDirWith({ ...month('01'), ...month('02'), 'archive/2025/12/rss.xml': 'old', 'archive/README.txt': 'mine' });
    const report = await writeOutput(dir, [
      { path: 'archive/2026/02/rss.xml', contents: 'feb' },
      { path: 'archive/2026/02/atom.xml', contents: 'feb' },
      { path: 'archive/2026/02/feed.json', contents: 'feb' },
    ]);
    expect(snapshot(dir)).toEqual({ 'archive/2026/02/rss.xml': 'feb', 'archive/2026/02/atom.xml': 'feb', 'archive/2026/02/feed.json': 'feb', 'archive/README.txt': 'mine' });
    expect(report.removed).toEqual(['archive/2025/12/rss.xml', 'archive/2026/01/atom.xml', 'archive/2026/01/feed.json', 'archive/2026/01/rss.xml']);
    expect(existsSync(path.join(dir, 'archive', '2026', '01'))).toBe(false);
    expect(existsSync(path.join(dir, 'archive', '2025'))).toBe(false);
  });

  it("removes jekyll-feed alias feeds this build no longer writes, and nothing else under feed/", async () => {
    const dir = outDirWith({ 'feed.xml': 'site', 'feed/Old.xml': 'old', 'feed/News.xml': 'old', 'feed/by_tag/gone.xml': 'old', 'feed/notes.txt': 'mine' });
    const report = await writeOutput(dir, [
      { path: 'feed.xml', contents: 'site' },
      { path: 'feed/News.xml', contents: 'news' },
    ]);
    expect(snapshot(dir)).toEqual({ 'feed.xml': 'site', 'feed/News.xml': 'news', 'feed/notes.txt': 'mine' });
    expect(report.removed).toEqual(['feed/Old.xml', 'feed/by_tag/gone.xml']);
  });

  it('leaves unchanged files untouched (same mtime), so hosts keep answering 304', async () => {
    const dir = outDirWith({ 'rss.xml': 'same' });
    const report = await writeOutput(dir, [{ path: 'rss.xml', contents: 'same' }]);
    expect(report.unchanged).toEqual(['rss.xml']);
    expect(report.written).toEqual([]);
  });

  it('on a write error at the third file, keeps the previous output intact and leaves no temp file', async () => {
    const before = { 'atom.xml': 'old atom', 'feed.json': 'old json', 'rss.xml': 'old rss', 'tags/a/rss.xml': 'old tag' };
    const dir = outDirWith(before);
    let writes = 0;
    const failing: WriteIo = {
      ...nodeWriteIo,
      append: async (temp, data) => {
        writes++;
        if (writes === 3) throw Object.assign(new Error('ENOSPC: no space left on device'), { code: 'ENOSPC' });
        await nodeWriteIo.append(temp, data);
      },
    };
    const files = ['atom.xml', 'feed.json', 'rss.xml', 'tags/a/rss.xml'].map((p) => ({ path: p, contents: `new ${p}` }));
    await expect(writeOutput(dir, files, failing)).rejects.toThrow(/WRITE_FAILED .*ENOSPC/);
    expect(writes).toBe(3);
    expect(snapshot(dir)).toEqual(before);
    expect(listFiles(dir).filter((n) => n.endsWith('.tmp'))).toEqual([]);
    expect(readdirSync(path.join(dir, 'tags', 'a'))).toEqual(['rss.xml']);
  });

  it('appends while the caller goes on writing, in one order; a failed append stops the next write, and no temp file is left', async () => {
    const before = { 'a.xml': 'old a', 'b.xml': 'old b' };
    const chunk = 'x'.repeat(70_000);
    const run = async (failAt: number | undefined): Promise<{ calls: string[]; error?: unknown; staged: StagedOutput; dir: string }> => {
      const dir = outDirWith(before);
      const calls: string[] = [];
      let appends = 0;
      const io: WriteIo = {
        ...nodeWriteIo,
        append: async (temp, data) => {
          calls.push(`append ${path.basename(temp.path).replace(/^\.feedwright-\d+-\d+-/, '')} ${data.length}`);
          if (++appends === failAt) throw Object.assign(new Error('ENOSPC: no space left on device'), { code: 'ENOSPC' });
          // A slow disk: the caller's next writes are queued meanwhile.
          await new Promise((resolve) => setTimeout(resolve, 5));
          await nodeWriteIo.append(temp, data);
        },
      };
      const staged = new StagedOutput(dir, io);
      try {
        await staged.open('a.xml');
        await staged.open('b.xml');
        for (let i = 0; i < 6; i++) {
          await staged.write('a.xml', chunk);
          await staged.write('b.xml', chunk);
        }
        await staged.commit();
        return { calls, staged, dir };
      } catch (error) {
        return { calls, error, staged, dir };
      }
    };
    const ok = await run(undefined);
    expect(ok.error).toBeUndefined();
    expect(snapshot(ok.dir)).toEqual({ 'a.xml': chunk.repeat(6), 'b.xml': chunk.repeat(6) });
    // Each full buffer went out as soon as it filled, alternating as written (not all at the end).
    expect(ok.calls).toEqual(Array.from({ length: 12 }, (_, i) => `append ${i % 2 === 0 ? 'a' : 'b'}.xml.tmp ${chunk.length}`));
    expect((await run(undefined)).calls).toEqual(ok.calls);

    const failed = await run(3);
    expect(String(failed.error)).toMatch(/WRITE_FAILED .*ENOSPC/);
    // The failure is met by a write before the build ends: nothing is appended after it.
    expect(failed.calls).toHaveLength(3);
    expect(snapshot(failed.dir)).toEqual(before);
    expect(listFiles(failed.dir).filter((n) => n.endsWith('.tmp'))).toEqual([]);
  });

  it('does not wait for an append to finish before taking the next write', async () => {
    const dir = outDirWith({});
    let release: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => (release = resolve));
    let finished = 0;
    const io: WriteIo = { ...nodeWriteIo, append: async (temp, data) => { await gate; await nodeWriteIo.append(temp, data); finished++; } };
    const staged = new StagedOutput(dir, io);
    await staged.open('a.xml');
    await staged.open('b.xml');
    const chunk = 'y'.repeat(70_000);
    await staged.write('a.xml', chunk);
    await staged.write('b.xml', chunk);
    // Both buffers were handed to appends that cannot finish yet, and the writes came back.
    expect(finished).toBe(0);
    release();
    await staged.commit();
    expect(finished).toBe(2);
    expect(snapshot(dir)).toEqual({ 'a.xml': chunk, 'b.xml': chunk });
  });

  it('on a rename error, removes the temp files and reports WRITE_FAILED', async () => {
    const dir = outDirWith({ 'rss.xml': 'old' });
    const failing: WriteIo = { ...nodeWriteIo, rename: async () => Promise.reject(new Error('EACCES')) };
    await expect(writeOutput(dir, [{ path: 'rss.xml', contents: 'new' }], failing)).rejects.toThrow(/WRITE_FAILED/);
    expect(snapshot(dir)).toEqual({ 'rss.xml': 'old' });
  });
});

describe('sameFileBytes', () => {
  const MB = 1 << 20;
  const pattern = (length: number): Buffer => Buffer.from(Array.from({ length }, (_, i) => (i * 31 + (i >> 20)) & 0xff));
  const pair = (a: Buffer, b: Buffer): [string, string] => {
    const dir = mkdtempSync(path.join(tmpdir(), 'feedwright-same-'));
    writeFileSync(path.join(dir, 'a'), a);
    writeFileSync(path.join(dir, 'b'), b);
    return [path.join(dir, 'a'), path.join(dir, 'b')];
  };

  it('compares files chunk by chunk, across chunk edges and at exact multiples of the chunk', () => {
    for (const length of [0, 1, MB - 1, MB, MB + 1, 2 * MB, 2 * MB + 17]) {
      const bytes = pattern(length);
      expect(sameFileBytes(...pair(bytes, Buffer.from(bytes))), `${length} equal bytes`).toBe(true);
      for (const at of [0, MB - 1, MB, length - 1].filter((i) => i >= 0 && i < length)) {
        const other = Buffer.from(bytes);
        other[at] = (other[at] ?? 0) ^ 1;
        expect(sameFileBytes(...pair(bytes, other)), `${length} bytes, one differing at ${at}`).toBe(false);
      }
    }
  });

  it('tells files apart that differ only in length, and says false through the writer for a missing file', async () => {
    const bytes = pattern(MB + 5);
    expect(sameFileBytes(...pair(bytes, bytes.subarray(0, MB)))).toBe(false);
    expect(sameFileBytes(...pair(bytes.subarray(0, MB), bytes))).toBe(false);
    expect(sameFileBytes(...pair(Buffer.alloc(0), Buffer.from('x')))).toBe(false);
    const [a] = pair(bytes, bytes);
    expect(await nodeWriteIo.sameBytes(a, path.join(path.dirname(a), 'missing'))).toBe(false);
    expect(await nodeWriteIo.sameBytes(a, path.join(path.dirname(a), 'b'))).toBe(true);
  });
});

describe('Writeback', () => {
  it('syncs the files appended to since the last pass once past its threshold, one file at a time and one pass at a time', () => {
    const synced: string[] = [];
    const waiting: (() => void)[] = [];
    const finishOne = (): void => waiting.shift()?.();
    const writeback = new Writeback(100, (file, done) => {
      synced.push(file);
      waiting.push(done);
    });
    writeback.note('a', 60);
    writeback.note('b', 30);
    expect(synced).toEqual([]);
    writeback.note('a', 10);
    // 100 bytes: a pass over a and b, the second once the first is synced.
    expect(synced).toEqual(['a']);
    // Appended during the pass: left for the next one.
    writeback.note('c', 500);
    finishOne();
    expect(synced).toEqual(['a', 'b']);
    finishOne();
    expect(synced).toEqual(['a', 'b']);
    writeback.note('d', 1);
    expect(synced).toEqual(['a', 'b', 'c']);
    finishOne();
    expect(synced).toEqual(['a', 'b', 'c', 'd']);
    finishOne();
    writeback.note('e', 99);
    expect(synced).toEqual(['a', 'b', 'c', 'd']);
    // A file its writer synced itself leaves the next pass, and its bytes the count.
    writeback.forget('e');
    writeback.note('f', 99);
    expect(synced).toEqual(['a', 'b', 'c', 'd']);
    writeback.note('f', 1);
    expect(synced).toEqual(['a', 'b', 'c', 'd', 'f']);
  });

  it('leaves the bytes as appended, through the real file system, when files past the threshold are synced early or removed before their pass', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'feedwright-writeback-'));
    const kept = await nodeWriteIo.create(path.join(dir, 'kept.tmp'));
    const gone = await nodeWriteIo.create(path.join(dir, 'gone.tmp'));
    const piece = 'x'.repeat(1 << 20);
    await nodeWriteIo.append(gone, piece);
    await nodeWriteIo.unlink(gone.path);
    // 40 MiB: past the 32 MiB after which a pass starts (the removed file is in it).
    for (let i = 0; i < 40; i++) await nodeWriteIo.append(kept, `${i % 10}${piece}`);
    await nodeWriteIo.close(kept);
    const bytes = readFileSync(kept.path, 'latin1');
    expect(bytes.length).toBe(40 * ((1 << 20) + 1));
    expect(bytes.slice(0, 2)).toBe('0x');
    expect(bytes.slice(-(1 << 20) - 1, -(1 << 20) + 1)).toBe('9x');
    expect(existsSync(gone.path)).toBe(false);
  });
});
