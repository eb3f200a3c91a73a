/** Hostile sizes and shapes: deep nesting, huge tables and YAML alias bombs neither crash nor stall a build. */
import { describe, expect, it } from 'vitest';
import { build, FeedwrightError } from '../src/index.js';
import { CONFIG, makeSite, post } from './support/site.js';

describe('limits', () => {
  it('builds posts with 20,000 nested elements, 10,000 nested quotes and a 5,000-row table', async () => {
    const nested = '<div><span>'.repeat(10_000) + 'deep' + '</span></div>'.repeat(10_000);
    const quotes = `${'> '.repeat(10_000)}quoted\n`;
    const table = `| a | b |\n|---|---|\n${'| x | y |\n'.repeat(5_000)}`;
    const site = makeSite({
      '_config.yml': CONFIG,
      '_posts/2026-01-02-nested.md': post('Nested', '2026-01-02T00:00:00', '', nested),
      '_posts/2026-01-03-quotes.md': post('Quotes', '2026-01-03T00:00:00', '', quotes),
      '_posts/2026-01-04-table.md': post('Table', '2026-01-04T00:00:00', '', table),
    });
    const result = await build({ contentDir: site, now: new Date('2026-06-01T00:00:00Z') });
    const feed = JSON.parse(result.files.find((f) => f.path === 'feed.json')?.contents ?? '{}') as { items: { title: string; content_html: string }[] };
    expect(feed.items.map((i) => i.title)).toEqual(['Table', 'Quotes', 'Nested']);
    expect(feed.items[0]?.content_html.match(/<tr>/g)?.length).toBe(5_001);
    expect(feed.items[2]?.content_html).toContain('deep');
  }, 60_000);

  it('reports raw HTML nested past 25,000 levels as HTML_TOO_DEEP (the sanitizer would take quadratic time) and builds 25,000', async () => {
    const nest = (n: number): string => `${'<i>'.repeat(n)}deep${'</i>'.repeat(n)}\n`;
    const deep = makeSite({ '_config.yml': CONFIG, '_posts/2026-01-02-deep.md': post('Deep', '2026-01-02T00:00:00', '', nest(25_001)) });
    const error = await build({ contentDir: deep, now: new Date('2026-06-01T00:00:00Z') }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(FeedwrightError);
    expect((error as FeedwrightError).diagnostics.map((d) => [d.code, d.file, d.line])).toEqual([['HTML_TOO_DEEP', `${deep}/_posts/2026-01-02-deep.md`, 6]]);
    const edge = makeSite({ '_config.yml': CONFIG, '_posts/2026-01-02-edge.md': post('Edge', '2026-01-02T00:00:00', '', nest(25_000)) });
    const result = await build({ contentDir: edge, now: new Date('2026-06-01T00:00:00Z') });
    expect(result.files.find((f) => f.path === 'feed.json')?.contents).toContain('deep');
  }, 120_000);

  it('builds post files shorter than a front matter fence (1 to 3 bytes) as Jekyll does, titled by file name', async () => {
    const site = makeSite({ '_config.yml': CONFIG, '_posts/2026-01-02-one.md': '-', '_posts/2026-01-03-two.md': '--', '_posts/2026-01-04-three.md': '---', '_posts/2026-01-05-empty.md': '' });
    const result = await build({ contentDir: site, now: new Date('2026-06-01T00:00:00Z') });
    const feed = JSON.parse(result.files.find((f) => f.path === 'feed.json')?.contents ?? '{}') as { items: { title: string }[] };
    expect(feed.items.map((i) => i.title)).toEqual(['Empty', 'Three', 'Two', 'One']);
  });

  it('reports a YAML alias bomb as a front matter error instead of expanding it', async () => {
    const bomb = ['a: &a ["x","x","x","x","x","x","x","x","x","x"]', ...'bcdefghi'.split('').map((k, i) => `${k}: &${k} [${Array(10).fill(`*${'abcdefghi'[i]}`).join(',')}]`)].join('\n');
    const site = makeSite({ '_config.yml': CONFIG, '_posts/2026-01-02-bomb.md': `---\ntitle: Bomb\n${bomb}\n---\nbody\n` });
    const error = await build({ contentDir: site, now: new Date('2026-06-01T00:00:00Z') }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(FeedwrightError);
    expect((error as FeedwrightError).diagnostics.map((d) => d.code)).toEqual(['FRONT_MATTER_SYNTAX']);
  });
});
