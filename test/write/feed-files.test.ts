/** findFeedFiles: the one walker that serve, ping and check use to find feed files in an output folder. */
import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { FEED_FILE_NAMES, findFeedFiles } from '../../src/write/feed-files.js';

function tree(files: readonly string[]): string {
  const root = mkdtempSync(path.join(tmpdir(), 'feedwright-feed-files-'));
  for (const rel of files) {
    mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
    writeFileSync(path.join(root, rel), 'x');
  }
  return root;
}

describe('findFeedFiles', () => {
  it('finds the three names in every feed folder and jekyll-feed Atom paths, with format and kind, sorted', async () => {
    const feeds = (dir: string): string[] => FEED_FILE_NAMES.map((n) => (dir === '' ? n : `${dir}/${n}`));
    const root = tree([...feeds(''), ...feeds('categories/news'), ...feeds('tags/b'), ...feeds('archive/2026/01'), 'feed.xml', 'feed/news.xml', 'feed/by_tag/b.xml', 'feed.xsl', 'feeds.html', 'about/index.html', 'feed/by_tag/deeper/x.xml']);
    const found = await findFeedFiles(root);
    expect(found.map((f) => `${f.path} ${f.format} ${f.kind}`)).toEqual([
      'archive/2026/01/atom.xml atom archive',
      'archive/2026/01/feed.json json archive',
      'archive/2026/01/rss.xml rss archive',
      'atom.xml atom site',
      'categories/news/atom.xml atom category',
      'categories/news/feed.json json category',
      'categories/news/rss.xml rss category',
      'feed.json json site',
      'feed.xml atom jekyll-feed',
      'feed/by_tag/b.xml atom jekyll-feed',
      'feed/news.xml atom jekyll-feed',
      'rss.xml rss site',
      'tags/b/atom.xml atom tag',
      'tags/b/feed.json json tag',
      'tags/b/rss.xml rss tag',
    ]);
  });

  it('never follows a symlink or enters a dot-folder, stops at the depth feedwright writes, and honours a limit', async () => {
    const outside = tree(['rss.xml', 'categories/x/atom.xml']);
    const root = tree(['rss.xml', '.git/rss.xml', '.feedwright-tmp/atom.xml', 'a/b/c/d/rss.xml', 'a/b/c/d/e/rss.xml', 'tags/t1/rss.xml', 'tags/t2/rss.xml']);
    symlinkSync(path.join(outside, 'rss.xml'), path.join(root, 'atom.xml'));
    symlinkSync(path.join(outside, 'categories'), path.join(root, 'categories'));
    expect((await findFeedFiles(root)).map((f) => f.path)).toEqual(['a/b/c/d/rss.xml', 'rss.xml', 'tags/t1/rss.xml', 'tags/t2/rss.xml']);
    expect((await findFeedFiles(root, { limit: 2 })).map((f) => f.path)).toEqual(['a/b/c/d/rss.xml', 'rss.xml']);
    expect(await findFeedFiles(path.join(root, 'missing'))).toEqual([]);
  });
});
