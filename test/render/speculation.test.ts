/**
 * Rendering ahead while the scan goes on (render/posts.ts, `Speculation`): the guess of which posts the feeds
 * carry is exactly `selectFeeds`' choice when the posts come in their real order, a post is handed over once
 * and only when it is the one the scan saw, and a build whose guesses go wrong both ways (posts dated out of
 * their file names' order, Liquid, future and unpublished posts, an invalid post) gives the bytes of a build
 * without it. Runs the built code (dist/) where a worker is needed, as the worker is a file.
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { build as buildType } from '../../src/build.js';
import { loadConfig } from '../../src/config.js';
import type { SiteConfig } from '../../src/config.js';
import { loadSite } from '../../src/load/site.js';
import type { createSpeculation as createSpeculationType } from '../../src/render/posts.js';
import type { RenderPool as RenderPoolType } from '../../src/render/pool.js';
import { toPartsOptions } from '../../src/render/posts.js';
import { comparePosts, likelyInFeeds, selectFeeds } from '../../src/select/select.js';
import type { PostRef } from '../../src/types.js';
import { CONFIG, makeSite, post } from '../support/site.js';

const ROOT = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const { build } = (await import(path.join(ROOT, 'dist', 'build.js'))) as { build: typeof buildType };
const { RenderPool } = (await import(path.join(ROOT, 'dist', 'render', 'pool.js'))) as { RenderPool: typeof RenderPoolType };
const { createSpeculation } = (await import(path.join(ROOT, 'dist', 'render', 'posts.js'))) as { createSpeculation: typeof createSpeculationType };

const NOW = new Date('2026-06-01T00:00:00Z');

async function configOf(yaml: string): Promise<SiteConfig> {
  const { config, diagnostics } = await loadConfig(makeSite({ '_config.yml': yaml }), 'content');
  if (config === undefined) throw new Error(JSON.stringify(diagnostics));
  return config;
}

const NAMES = ['News', 'news', 'Sport', 'Arts', 'Ünï', '!!!'];
const ref = (i: number, date: number, categories: string[], tags: string[], published: boolean): PostRef => ({
  sourcePath: `_posts/p${i}.md`,
  displayPath: `content/_posts/p${i}.md`,
  id: `https://test.example/p${i % 17}/`,
  url: `https://test.example/p${i}/`,
  date: new Date(date),
  updated: new Date(date),
  published,
  categories,
  tags,
  bodyOffset: 10,
  draft: false,
  hasSummary: false,
});

describe('likelyInFeeds', () => {
  it('says yes to exactly the posts selectFeeds puts in some feed, given the posts newest first', async () => {
    const configs = await Promise.all([
      configOf(`${CONFIG}feed:\n  posts_limit: 3\n  categories: true\n  tags: true\n`),
      configOf(`${CONFIG}feed:\n  posts_limit: 2\n  categories: [news, Arts]\n  tags:\n    except: [Sport]\n`),
      configOf(`${CONFIG}feed:\n  posts_limit: 1\n`),
      // Every published post goes out: no limit, or archives (the older ones in monthly documents).
      configOf(`${CONFIG}feed:\n  posts_limit: 0\n  categories: true\n  tags: true\n`),
      configOf(`${CONFIG}feed:\n  posts_limit: 2\n  archive: true\n  categories: true\n`),
    ]);
    const posts = fc.array(
      fc.record({ day: fc.integer({ min: 0, max: 20 }), categories: fc.subarray(NAMES), tags: fc.subarray(NAMES), published: fc.boolean() }),
      { maxLength: 40 },
    );
    fc.assert(
      fc.property(posts, fc.constantFrom(...configs), (drawn, config) => {
        // Some dated after NOW: future posts are in no feed.
        const refs = drawn.map((d, i) => ref(i, Date.UTC(2026, 4, 20 + d.day), d.categories, d.tags, d.published));
        const likely = likelyInFeeds(config, NOW);
        const guessed = new Set([...refs].sort(comparePosts).filter(likely).map((p) => p.sourcePath));
        const published = refs.filter((p) => p.published && p.date.getTime() <= NOW.getTime());
        const chosen = new Set(selectFeeds(published, config).flatMap((plan) => plan.posts.map((p) => p.sourcePath)));
        expect(guessed).toEqual(chosen);
      }),
      { numRuns: 300, seed: 10 },
    );
  });

  it('says yes to every published post when every post goes out (no limit, or archives), and to no future or unpublished one', async () => {
    for (const yaml of [`${CONFIG}feed:\n  posts_limit: 0\n`, `${CONFIG}feed:\n  posts_limit: 1\n  archive: true\n`]) {
      const likely = likelyInFeeds(await configOf(yaml), NOW);
      const day = (d: number): number => Date.UTC(2026, 4, d);
      expect([ref(1, day(1), [], [], true), ref(2, day(2), [], [], true), ref(3, day(3), ['News'], [], true)].map(likely)).toEqual([true, true, true]);
      expect(likely(ref(4, Date.UTC(2026, 6, 1), [], [], true))).toBe(false);
      expect(likely(ref(5, day(4), [], [], false))).toBe(false);
    }
  });
});

describe('createSpeculation', () => {
  it('hands over a likely post once, rendered as on the main thread, and never a post with Liquid or an unlikely one', async () => {
    const root = makeSite({
      '_config.yml': `${CONFIG}feed:\n  posts_limit: 1\n`,
      '_posts/2026-05-03-newest.md': post('Newest', '2026-05-03T10:00:00', '', 'Some *emphasis* and [a link](../other/).\n'),
      '_posts/2026-05-02-liquid.md': post('Liquid', '2026-05-02T10:00:00', '', 'Made by {{ site.title }}.\n'),
      '_posts/2026-05-01-older.md': post('Older', '2026-05-01T10:00:00'),
    });
    const site = await loadSite(root, 'content');
    const pool = new RenderPool(toPartsOptions(site.config), 1, 1);
    pool.start();
    try {
      const seen: PostRef[] = [];
      const speculation = createSpeculation(site, { pool, likely: () => true, now: NOW });
      const { parsePosts } = await import('../../src/parse/posts.js');
      await parsePosts(site, {
        maxFileBytes: 1 << 20,
        skipInvalid: false,
        now: NOW,
        onScanned: (p, source) => {
          seen.push(p);
          speculation.offer(p, source);
        },
      });
      speculation.flush();
      // Newest file name first.
      expect(seen.map((p) => path.posix.basename(p.sourcePath))).toEqual(['2026-05-03-newest.md', '2026-05-02-liquid.md', '2026-05-01-older.md']);
      const [newest, liquid, older] = seen;
      if (newest === undefined || liquid === undefined || older === undefined) throw new Error('three posts');
      const taken = speculation.take(newest);
      expect(taken?.post.title).toBe('Newest');
      const parts = await taken?.parts();
      expect(parts?.contentHtml).toContain('<em>emphasis</em>');
      expect(parts?.contentHtml).toContain('<a href="https://test.example/2026/05/other/">a link</a>');
      expect(parts?.summary).toBe('Some emphasis and a link.');
      expect(speculation.take(newest)).toBeUndefined();
      expect(speculation.take(liquid)).toBeUndefined();
      // Offered and rendered, but not the post the scan gave if its id differs.
      expect(speculation.take({ ...older, id: 'https://test.example/elsewhere/' })).toBeUndefined();
      expect(speculation.take(older)?.post.title).toBe('Older');

      const none = createSpeculation(site, { pool, likely: () => false, now: NOW });
      await parsePosts(site, { maxFileBytes: 1 << 20, skipInvalid: false, now: NOW, onScanned: none.offer });
      none.flush();
      expect(speculation.take(newest)).toBeUndefined();
      expect(none.take(older)).toBeUndefined();
    } finally {
      await pool.close();
    }
  });
});

describe('a build that renders ahead', () => {
  it('gives the bytes of a build without workers, whether its guesses were right or wrong', async () => {
    const files: Record<string, string> = { '_config.yml': `${CONFIG}feed:\n  posts_limit: 4\n  categories: true\n  tags: true\n` };
    for (let i = 0; i < 60; i++) {
      const named = new Date(Date.UTC(2026, 0, 1) + i * 86_400_000).toISOString().slice(0, 10);
      // Every seventh post is dated years before its file name, every eleventh after it (some in the future).
      const dated = i % 7 === 3 ? `2019-0${1 + (i % 9)}-10T08:00:00` : i % 11 === 5 ? `2026-0${5 + (i % 3)}-2${i % 10}T09:30:00` : `${named}T12:00:00`;
      const extra = `categories: [${['Desk', 'Field', 'Wire'][i % 3]}]\ntags: [${i % 4 === 0 ? 'a, b' : i % 4 === 1 ? 'b' : 'c'}]\n${i % 13 === 6 ? 'published: false\n' : ''}`;
      const body = i % 9 === 4 ? `Liquid: {{ page.title }} on {{ site.title }}.\n` : `Story ${i} with *words* and [a link](../${i}/).\n\n<script>alert(${i})</script>\n`;
      files[`_posts/${named}-story-${i}.md`] = post(`Story ${i}`, dated, extra, body);
    }
    files['_posts/2026-03-30-broken.md'] = '---\ntitle: [unclosed\ndate: 2026-03-30\n---\nText.\n';
    const root = makeSite(files);
    const plain = await build({ contentDir: root, displayDir: 'content', now: NOW, workers: 0, skipInvalid: true });
    const ahead = await build({ contentDir: root, displayDir: 'content', now: NOW, workers: 1, workerThreshold: 1, skipInvalid: true });
    expect(plain.files.length).toBeGreaterThan(10);
    expect(ahead.files).toEqual(plain.files);
    expect(ahead.diagnostics).toEqual(plain.diagnostics);
    // With a cache (first build: no scan index, so the workers start and render ahead), then warm.
    const cacheDir = path.join(root, '.cache');
    expect((await build({ contentDir: root, displayDir: 'content', now: NOW, workers: 1, workerThreshold: 1, skipInvalid: true, cacheDir })).files).toEqual(plain.files);
    writeFileSync(path.join(root, '_posts', '2026-02-27-story-57.md'), post('Story 57 again', '2026-02-27T12:00:00', 'categories: [Wire]\n', 'Edited.\n'));
    const edited = await build({ contentDir: root, displayDir: 'content', now: NOW, workers: 0, skipInvalid: true });
    expect(edited.files).not.toEqual(plain.files);
    expect((await build({ contentDir: root, displayDir: 'content', now: NOW, workers: 1, workerThreshold: 1, skipInvalid: true, cacheDir })).files).toEqual(edited.files);
    // Every post in every feed (--limit 0), then archives: every published post is rendered ahead.
    for (const [yaml, overrides] of [[files['_config.yml'] ?? '', { postsLimit: 0 }], [`${CONFIG}feed:\n  posts_limit: 4\n  archive: true\n`, {}]] as const) {
      writeFileSync(path.join(root, '_config.yml'), yaml);
      const all = await build({ contentDir: root, displayDir: 'content', now: NOW, workers: 0, skipInvalid: true, overrides });
      expect(all.files.map((f) => f.contents).join('')).toContain('Story 1 with');
      expect((await build({ contentDir: root, displayDir: 'content', now: NOW, workers: 1, workerThreshold: 1, skipInvalid: true, overrides })).files).toEqual(all.files);
    }
  }, 60_000);
});
