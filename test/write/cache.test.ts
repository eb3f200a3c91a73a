/**
 * The build cache is bounded and never trusted: entries of deleted posts go, an edited post keeps one entry,
 * an older configuration's namespace goes, and HTML read back from the cache is sanitized again.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { deserialize, serialize } from 'node:v8';
import { describe, expect, it } from 'vitest';
import { build } from '../../src/index.js';
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
