/** The render stage inside a build: Liquid errors fail the build (or skip the post) cleanly, in any round. */
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { build, FeedwrightError, publish } from '../../src/index.js';
import { CONFIG, makeSite, post } from '../support/site.js';

const NOW = new Date('2026-06-01T00:00:00Z');

/** 1,200 posts with every post in the feed (two render rounds of 1,000), the oldest with broken Liquid. */
function siteWithBrokenLiquid(): string {
  const files: Record<string, string> = { '_config.yml': `${CONFIG}feed:\n  posts_limit: 0\n` };
  for (let i = 0; i < 1_200; i++) {
    const day = new Date(Date.UTC(2020, 0, 1) + i * 86_400_000).toISOString().slice(0, 10);
    files[`_posts/${day}-p${i}.md`] = post(`Post ${i}`, `${day}T10:00:00`, '', i === 0 ? 'Broken {% if %} Liquid.\n' : `Body {{ page.title }}.\n`);
  }
  return makeSite(files);
}

describe('render stage', () => {
  it('fails the build with the Liquid error of a post in a later render round, and writes nothing', async () => {
    const site = siteWithBrokenLiquid();
    const out = path.join(mkdtempSync(path.join(tmpdir(), 'feedwright-out-')), 'feeds');
    const error = await publish({ contentDir: site, displayDir: 'content', now: NOW, outDir: out, workers: 0 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(FeedwrightError);
    const diagnostics = (error as FeedwrightError).diagnostics;
    expect(diagnostics.map((d) => [d.code, d.file])).toEqual([['LIQUID_ERROR', 'content/_posts/2020-01-01-p0.md']]);
    expect(existsSync(path.join(out, 'rss.xml'))).toBe(false);
  }, 120_000);

  it('with skipInvalid publishes that post without its Liquid, and says so', async () => {
    const result = await build({ contentDir: siteWithBrokenLiquid(), displayDir: 'content', now: NOW, skipInvalid: true, workers: 0 });
    const feed = JSON.parse(result.files.find((f) => f.path === 'feed.json')?.contents ?? '{}') as { items: { title: string; content_html?: string }[] };
    expect(feed.items).toHaveLength(1_200);
    expect(feed.items.at(-1)?.content_html).toContain('{% if %}');
    expect(feed.items[0]?.content_html).toContain('Body Post 1199.');
    expect(result.diagnostics.filter((d) => d.file === 'content/_posts/2020-01-01-p0.md').map((d) => d.code)).toEqual(['LIQUID_ERROR', 'POST_SKIPPED']);
  }, 120_000);
});
