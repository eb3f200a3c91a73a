/** What `serve` says each file is: feedwright's own names, jekyll-feed's alias paths, and mime-db for the rest. */
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { contentTypeOf } from '../../src/serve/media-types.js';

const ROOT = path.join(path.sep, 'srv', 'feeds');

describe('contentTypeOf', () => {
  it('types feed files by their registered media types', () => {
    expect(contentTypeOf(path.join(ROOT, 'rss.xml'), ROOT)).toBe('application/rss+xml; charset=utf-8');
    expect(contentTypeOf(path.join(ROOT, 'categories', 'news', 'atom.xml'), ROOT)).toBe('application/atom+xml; charset=utf-8');
    expect(contentTypeOf(path.join(ROOT, 'feed.json'), ROOT)).toBe('application/feed+json; charset=utf-8');
  });

  it("types jekyll-feed's paths as Atom, and any other .xml as plain XML", () => {
    for (const rel of ['feed.xml', 'feed/News.xml', 'feed/by_tag/rust.xml']) expect(contentTypeOf(path.join(ROOT, ...rel.split('/')), ROOT), rel).toBe('application/atom+xml; charset=utf-8');
    expect(contentTypeOf(path.join(ROOT, 'sitemap.xml'), ROOT)).toMatch(/^application\/xml/);
    expect(contentTypeOf(path.join(ROOT, 'other', 'feed.xml'), ROOT)).toMatch(/^application\/xml/);
  });
});
