/**
 * The build cache is bounded and never trusted: entries of deleted posts go, an edited post keeps one entry,
 * an older configuration's namespace goes, and HTML read back from the cache is sanitized again.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { deserialize, serialize } from 'node:v8';
import { describe, expect, it } from 'vitest';
import { build } from '../../src/index.js';
import { loadSite } from '../../src/load/site.js';
import { parsePosts } from '../../src/parse/posts.js';
import { BuildCache } from '../../src/write/cache.js';
import { listFiles } from '../support/golden.js';
import { CONFIG, makeSite, post } from '../support/site.js';

const NOW = new Date('2026-06-01T00:00:00Z');

function renderedEntries(cacheDir: string): string[] {
  return listFiles(cacheDir).filter((f) => f.includes('/rendered/'));
}

function namespaces(cacheDir: string): string[] {
  return readdirSync(cacheDir, { withFileTypes: true }).filter((e) => e.isDirectory()).map((e) => e.name);
}

describe('build cache', () => {
  it('keeps one rendered entry per existing post: deleted posts are dropped, edited posts overwrite theirs', async () => {
    const site = makeSite({
      '_config.yml': CONFIG,
      '_posts/2026-01-01-one.md': post('One', '2026-01-01T10:00:00'),
      '_posts/2026-01-02-two.md': post('Two', '2026-01-02T10:00:00'),
      '_posts/2026-01-03-three.md': post('Three', '2026-01-03T10:00:00'),
    });
    const cacheDir = mkdtempSync(path.join(tmpdir(), 'feedwright-cache-'));
    await build({ contentDir: site, now: NOW, cacheDir });
    expect(renderedEntries(cacheDir)).toHaveLength(3);
    for (let edit = 0; edit < 5; edit++) {
      writeFileSync(path.join(site, '_posts/2026-01-02-two.md'), post('Two', '2026-01-02T10:00:00', '', `Edit ${edit}.\n`));
      const result = await build({ contentDir: site, now: NOW, cacheDir });
      expect(result.files.find((f) => f.path === 'feed.json')?.contents).toContain(`Edit ${edit}.`);
    }
    expect(renderedEntries(cacheDir)).toHaveLength(3);
    rmSync(path.join(site, '_posts/2026-01-01-one.md'));
    await build({ contentDir: site, now: NOW, cacheDir });
    expect(renderedEntries(cacheDir)).toHaveLength(2);
  });

  it('never reuses a post whose date took its year from the build time: the next year\'s build re-reads it', async () => {
    const site = makeSite({ '_config.yml': CONFIG, '_posts/2026-01-01-one.md': '---\ntitle: "One"\ndate: "June 3 10:00"\n---\nBody.\n' });
    // An old modification time, so the scan index trusts the file's entry (a file as new as the index is re-read).
    utimesSync(path.join(site, '_posts/2026-01-01-one.md'), new Date('2025-01-01T00:00:00Z'), new Date('2025-01-01T00:00:00Z'));
    const cacheDir = mkdtempSync(path.join(tmpdir(), 'feedwright-cache-'));
    const published = async (now: Date): Promise<string | undefined> => {
      const result = await build({ contentDir: site, now, cacheDir, overrides: { future: true } });
      expect(result.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
      const feed = JSON.parse(result.files.find((f) => f.path === 'feed.json')?.contents ?? '{}') as { items?: { date_published: string }[] };
      return feed.items?.[0]?.date_published;
    };
    expect(await published(NOW)).toBe('2026-06-03T10:00:00Z');
    expect(await published(new Date('2027-06-01T00:00:00Z'))).toBe('2027-06-03T10:00:00Z');
  });

  /** A site whose posts give the scan index every kind of record, their files dated well before any index. */
  function variedSite(): string {
    const site = makeSite({
      '_config.yml': `${CONFIG}show_drafts: true\n`,
      '_posts/2026-01-01-local.md': post('Local', '2026-01-01T10:00:00', 'image: /img/a.png\ncategories: [News, World]\ntags: [x]\nexcerpt: Given.\n'),
      '_posts/2026-01-02-remote.md': post('Remote', '2026-01-02T10:00:00', 'image: https://cdn.example/b.png\n'),
      '_posts/2026-01-02-unpublished.md': post('Unpublished', '2026-01-02T11:00:00', 'published: false\n'),
      '_posts/2026-01-03-liquid.md': post('Liquid', '2026-01-03T10:00:00', '', 'Made by {{ site.title }}.\n'),
      '_posts/2026-01-04-warned.md': post('Warned', '2026-01-04T10:00:00', 'image: /img/missing.png\nunknown_key: 1\n'),
      '_posts/2026-01-05-broken.md': '---\ntitle: [unclosed\n---\nBody.\n',
      '_posts/2026-01-06-yearless.md': '---\ntitle: "Yearless"\ndate: "June 3 10:00"\n---\nBody.\n',
      '_drafts/draft.md': '---\ntitle: "Draft"\n---\nDraft body.\n',
      'img/a.png': 'png',
    });
    for (const rel of readdirSync(path.join(site, '_posts')).map((n) => `_posts/${n}`).concat('_drafts/draft.md')) {
      utimesSync(path.join(site, rel), new Date('2025-01-01T00:00:00Z'), new Date('2025-01-01T00:00:00Z'));
    }
    return site;
  }

  it('gives back from its scan index every record exactly as the parse made it', async () => {
    const site = variedSite();
    const loaded = await loadSite(site, 'content');
    const options = { maxFileBytes: 1 << 20, skipInvalid: true, now: NOW };
    const parsed = await parsePosts(loaded, options);
    expect(parsed.records.length).toBe(8);
    expect(parsed.records.some((r) => r.post?.published === false)).toBe(true);
    expect(parsed.records.some((r) => r.post?.image?.kind === 'remote')).toBe(true);
    expect(parsed.records.some((r) => r.liquid === true && r.usesBuildTime === undefined)).toBe(true);
    expect(parsed.records.some((r) => r.usesBuildTime === true)).toBe(true);
    expect(parsed.records.some((r) => r.post === undefined && r.diagnostics.length > 0)).toBe(true);
    expect(parsed.records.some((r) => r.post?.draft === true)).toBe(true);
    const cacheDir = mkdtempSync(path.join(tmpdir(), 'feedwright-cache-'));
    // Saved as if 10 s later: files changed within 3 s before the index was saved are read again (their ctime is now).
    BuildCache.open(cacheDir, 'settings', 'content').save(parsed.records, Date.now() + 10_000);
    const reopened = BuildCache.open(cacheDir, 'settings', 'content');
    expect(reopened.hasIndex).toBe(true);
    for (const record of parsed.records) expect(reopened.lookupScan(record.rel, record.size, record.mtimeMs, record.ctimeMs, record.ino)).toEqual(record);
    // The same records through a cache-backed parse: nothing is read again but the year-less date's post.
    const again = await parsePosts(loaded, { ...options, cache: reopened });
    expect(again.reparsed).toBe(1);
    expect(again.records).toEqual(parsed.records);
    expect(again.diagnostics).toEqual(parsed.diagnostics);
    // Another name for the content folder is another namespace: no record names its files the old way.
    expect(BuildCache.open(cacheDir, 'settings', 'site').hasIndex).toBe(false);
  });

  it('does not use a scan index it cannot read as its own: the build is the same as without one', async () => {
    const site = variedSite();
    const cold = await build({ contentDir: site, now: NOW, skipInvalid: true });
    const cacheDir = mkdtempSync(path.join(tmpdir(), 'feedwright-cache-'));
    await build({ contentDir: site, now: NOW, skipInvalid: true, cacheDir });
    const [namespace] = namespaces(cacheDir);
    const index = path.join(cacheDir, namespace ?? '', 'scan.idx');
    const bytes = readFileSync(index);
    const head = bytes.readUInt32LE(0);
    // One slice (V8-serialized columns) after the JSON head.
    const slice = deserialize(bytes.subarray(8 + head)) as { rels: string[]; numbers: Float64Array; images: string[]; diagnostics: Record<number, unknown> };
    // The index as if saved 10 s from now, so that its records are trusted for files changed just now.
    const framed = (body: Buffer): Buffer => {
      const length = Buffer.alloc(4);
      length.writeUInt32LE(body.length);
      return Buffer.concat([length, body]);
    };
    const later = framed(Buffer.from(JSON.stringify({ ...(JSON.parse(bytes.subarray(4, 4 + head).toString('utf8')) as object), savedAt: Date.now() + 10_000 })));
    const tampered = (edit: (columns: Record<string, unknown>) => void): Buffer => {
      const columns = deserialize(bytes.subarray(8 + head)) as Record<string, unknown>;
      edit(columns);
      return Buffer.concat([later, framed(serialize(columns))]);
    };
    const remoteAt = slice.images.findIndex((image) => image.startsWith('r'));
    expect(remoteAt).toBeGreaterThanOrEqual(0);
    expect(cold.files.find((f) => f.path === 'feed.json')?.contents).toContain('https://cdn.example/b.png');
    for (const [what, content] of [
      ['truncated', bytes.subarray(0, bytes.length - 10)],
      ['not V8 data', Buffer.concat([bytes.subarray(0, 8 + head), Buffer.from('x'.repeat(bytes.length - 8 - head))])],
      ['untouched', tampered(() => undefined)],
      ['sizes that are text', tampered((columns) => void (columns['numbers'] = [...slice.numbers].map(String)))],
      ['a path missing', tampered((columns) => void (columns['rels'] = slice.rels.slice(1)))],
      ['a remote image that is a script URL', tampered((columns) => void (columns['images'] = slice.images.map((image, i) => (i === remoteAt ? 'rjavascript:alert(1)' : image))))],
      ['a diagnostic of an unknown code', tampered((columns) => void (columns['diagnostics'] = { 0: [{ severity: 'error', code: 'NOPE', message: 'm', hint: 'h' }] }))],
      ['a label past the names', tampered((columns) => void (columns['names'] = []))],
    ] as const) {
      writeFileSync(index, content);
      const rebuilt = await build({ contentDir: site, now: NOW, skipInvalid: true, cacheDir });
      expect(rebuilt.files, what).toEqual(cold.files);
      expect(rebuilt.diagnostics, what).toEqual(cold.diagnostics);
    }
  });

  it('saves the few records that changed in a delta beside an untouched base, and reads both back', async () => {
    const site = variedSite();
    const loaded = await loadSite(site, 'content');
    const options = { maxFileBytes: 1 << 20, skipInvalid: true, now: NOW };
    const parsed = await parsePosts(loaded, options);
    const cacheDir = mkdtempSync(path.join(tmpdir(), 'feedwright-cache-'));
    const savedAt = Date.now() + 10_000;
    BuildCache.open(cacheDir, 'settings', 'content').save(parsed.records, savedAt);
    const [namespace] = namespaces(cacheDir);
    const dir = path.join(cacheDir, namespace ?? '');
    const base = readFileSync(path.join(dir, 'scan.idx'));
    // One post edited (dated in the past, like the others), then a cache-backed parse and save.
    writeFileSync(path.join(site, '_posts/2026-01-02-remote.md'), post('Remote, edited', '2026-01-02T10:00:00', 'image: https://cdn.example/b.png\n'));
    utimesSync(path.join(site, '_posts/2026-01-02-remote.md'), new Date('2025-02-01T00:00:00Z'), new Date('2025-02-01T00:00:00Z'));
    const cache = BuildCache.open(cacheDir, 'settings', 'content');
    const edited = await parsePosts(loaded, { ...options, cache });
    // The edited file, and the year-less one (never reused), are parsed again; every other record comes from the index.
    expect(edited.reparsed).toBe(2);
    cache.save(edited.records, savedAt + 1_000);
    expect(readFileSync(path.join(dir, 'scan.idx')).equals(base)).toBe(true);
    expect(readdirSync(dir)).toContain('scan-delta.idx');
    // Base and delta read back: every record as the parse made it, with the edit.
    const reopened = BuildCache.open(cacheDir, 'settings', 'content');
    const again = await parsePosts(loaded, { ...options, cache: reopened });
    expect(again.reparsed).toBe(1);
    expect(again.records).toEqual(edited.records);
    expect(again.records.find((r) => r.rel === '_posts/2026-01-02-remote.md')?.size).toBe(edited.records.find((r) => r.rel === '_posts/2026-01-02-remote.md')?.size);
    // A delta made against another base is not read: the edited file is parsed again, and nothing else changes.
    const other = Buffer.from(base);
    const head = other.readUInt32LE(0);
    const moved = Buffer.from(JSON.stringify({ ...(JSON.parse(other.subarray(4, 4 + head).toString('utf8')) as object), savedAt: savedAt + 5 }));
    const length = Buffer.alloc(4);
    length.writeUInt32LE(moved.length);
    writeFileSync(path.join(dir, 'scan.idx'), Buffer.concat([length, moved, other.subarray(4 + head)]));
    const rebased = await parsePosts(loaded, { ...options, cache: BuildCache.open(cacheDir, 'settings', 'content') });
    expect(rebased.reparsed).toBe(2);
    expect(rebased.records).toEqual(edited.records);
  });

  it('writes the whole index again, and drops the delta, when a file of the base is gone', async () => {
    const files: Record<string, string> = { '_config.yml': CONFIG };
    for (let i = 1; i <= 9; i++) files[`_posts/2026-01-0${i}-p${i}.md`] = post(`P${i}`, `2026-01-0${i}T10:00:00`);
    const site = makeSite(files);
    const old = new Date('2025-01-01T00:00:00Z');
    for (const name of readdirSync(path.join(site, '_posts'))) utimesSync(path.join(site, '_posts', name), old, old);
    const cacheDir = mkdtempSync(path.join(tmpdir(), 'feedwright-cache-'));
    const cold = async (): Promise<unknown> => (await build({ contentDir: site, now: NOW })).files;
    const cached = async (): Promise<unknown> => (await build({ contentDir: site, now: NOW, cacheDir })).files;
    expect(await cached()).toEqual(await cold());
    const [namespace] = namespaces(cacheDir);
    const dir = path.join(cacheDir, namespace ?? '');
    const base = readFileSync(path.join(dir, 'scan.idx'));
    writeFileSync(path.join(site, '_posts/2026-01-03-p3.md'), post('P3 edited', '2026-01-03T10:00:00'));
    expect(await cached()).toEqual(await cold());
    expect(readdirSync(dir)).toContain('scan-delta.idx');
    expect(readFileSync(path.join(dir, 'scan.idx')).equals(base)).toBe(true);
    rmSync(path.join(site, '_posts/2026-01-05-p5.md'));
    expect(await cached()).toEqual(await cold());
    expect(readdirSync(dir)).not.toContain('scan-delta.idx');
    expect(readFileSync(path.join(dir, 'scan.idx')).equals(base)).toBe(false);
    expect(await cached()).toEqual(await cold());
  });

  it('drops the namespace of an older configuration', async () => {
    const site = makeSite({ '_config.yml': CONFIG, '_posts/2026-01-01-one.md': post('One', '2026-01-01T10:00:00') });
    const cacheDir = mkdtempSync(path.join(tmpdir(), 'feedwright-cache-'));
    await build({ contentDir: site, now: NOW, cacheDir });
    const [first] = namespaces(cacheDir);
    writeFileSync(path.join(site, '_config.yml'), `${CONFIG}description: Changed\n`);
    await build({ contentDir: site, now: NOW, cacheDir });
    const after = namespaces(cacheDir);
    expect(after).toHaveLength(1);
    expect(after[0]).not.toBe(first);
  });

  it('sanitizes HTML read back from the cache again: a tampered entry cannot put a script in a feed', async () => {
    const site = makeSite({ '_config.yml': CONFIG, '_posts/2026-01-01-one.md': post('One', '2026-01-01T10:00:00', '', 'Plain [link](/a).\n') });
    const cacheDir = mkdtempSync(path.join(tmpdir(), 'feedwright-cache-'));
    const clean = await build({ contentDir: site, now: NOW, cacheDir });
    const [entry] = renderedEntries(cacheDir);
    if (entry === undefined) throw new Error('no rendered entry was cached');
    const file = path.join(cacheDir, entry);
    const stored = deserialize(readFileSync(file)) as Record<string, unknown>;
    writeFileSync(file, serialize({ ...stored, contentHtml: '<p>Tampered <a href="javascript:alert(1)">x</a><script>alert(1)</script><img src="/rel.png" onerror="x()"></p>' }));
    const tampered = await build({ contentDir: site, now: NOW, cacheDir });
    const json = tampered.files.find((f) => f.path === 'feed.json')?.contents ?? '';
    expect(json).toContain('Tampered');
    expect(json).not.toMatch(/script|javascript:|onerror/);
    expect(json).toContain('https://test.example/rel.png');
    expect(clean.files.find((f) => f.path === 'feed.json')?.contents).not.toContain('Tampered');
  });
});
