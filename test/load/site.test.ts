/** The load and parse stages on the repository's own content: every post file listed in path order, each parses. */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { loadSite } from '../../src/load/site.js';
import { parsePosts } from '../../src/parse/posts.js';

const CONTENT = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', '..', 'content');

describe('loadSite', () => {
  it('lists every post under _posts/ in path order, and each parses without a diagnostic', async () => {
    const site = await loadSite(CONTENT, 'content');
    expect(site.diagnostics).toEqual([]);
    expect(site.files.length).toBeGreaterThanOrEqual(8);
    expect(site.files.map((f) => f.rel)).toEqual([...site.files.map((f) => f.rel)].sort());
    expect(site.config.home).toBe('https://news.example.org/');
    const parsed = await parsePosts(site, { maxFileBytes: 1 << 20, skipInvalid: false });
    expect(parsed.diagnostics).toEqual([]);
    expect(parsed.posts.map((p) => p.sourcePath)).toEqual(site.files.map((f) => f.rel));
    for (const post of parsed.posts) expect(post.displayPath).toBe(`content/${post.sourcePath}`);
  });
});
