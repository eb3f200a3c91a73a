/**
 * RFC 5005 archives, walked as a reader would: from the current feed, follow prev-archive (RSS atom:link,
 * Atom link, JSON Feed next_url) to the oldest archive; every published post must be reached exactly
 * once, in every format. Then: adding a post leaves every archive but the newest byte-identical.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { XMLParser } from 'fast-xml-parser';
import { describe, expect, it } from 'vitest';
import { build, type OutputFile } from '../src/index.js';
import { makeSite, post } from './support/site.js';

const SITE_URL = 'https://walk.example';
const CONFIG = `title: Walk\nurl: ${SITE_URL}\ntimezone: Europe/Paris\nauthor: Desk\nfeed:\n  posts_limit: 4\n  archive: true\n  categories: true\n`;
const xml = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '', isArray: (name) => ['item', 'entry', 'link', 'atom:link'].includes(name) });

interface Page {
  readonly ids: string[];
  readonly prev?: string;
  readonly next?: string;
  readonly current?: string;
  readonly archive: boolean;
}

type Link = { rel?: string; href: string };

function readPage(format: 'rss' | 'atom' | 'json', text: string): Page {
  if (format === 'json') {
    const feed = JSON.parse(text) as { items: { id: string }[]; next_url?: string };
    return { ids: feed.items.map((i) => i.id), ...(feed.next_url === undefined ? {} : { prev: feed.next_url }), archive: false };
  }
  const doc = xml.parse(text) as Record<string, Record<string, unknown>>;
  const root = (format === 'rss' ? (doc['rss']?.['channel'] as Record<string, unknown>) : doc['feed']) ?? {};
  const links = ((format === 'rss' ? root['atom:link'] : root['link']) ?? []) as Link[];
  const rel = (name: string): string | undefined => links.find((l) => l.rel === name)?.href;
  const items = ((format === 'rss' ? root['item'] : root['entry']) ?? []) as Record<string, unknown>[];
  const ids = items.map((i) => String(format === 'rss' ? (i['guid'] as Record<string, string>)['#text'] : i['id']));
  const page: Page = { ids, archive: 'fh:archive' in root };
  const prev = rel('prev-archive');
  const next = rel('next-archive');
  const current = rel('current');
  return { ...page, ...(prev === undefined ? {} : { prev }), ...(next === undefined ? {} : { next }), ...(current === undefined ? {} : { current }) };
}

function makeArchiveSite(extra: Record<string, string> = {}): string {
  const files: Record<string, string> = { '_config.yml': CONFIG, ...extra };
  // 30 posts over five months, two a week or so, some on month edges (in Paris time).
  for (let i = 0; i < 30; i++) {
    const t = new Date(Date.UTC(2026, 0, 1, 22, 30) + i * 4.9 * 86_400_000);
    const iso = t.toISOString().slice(0, 19);
    files[`_posts/${iso.slice(0, 10)}-story-${i}.md`] = post(`Story ${i}`, iso, `categories: [${i % 2 === 0 ? 'Even' : 'Odd'}]\n`);
  }
  return makeSite(files);
}

const byPath = (files: readonly OutputFile[]): Map<string, string> => new Map(files.map((f) => [f.path, f.contents]));

describe('RFC 5005 archives', () => {
  it.each(['rss', 'atom', 'json'] as const)('a reader walking prev-archive from the current %s feed reaches every post exactly once', async (format) => {
    const site = makeArchiveSite();
    const result = await build({ contentDir: site, now: new Date('2026-12-01T00:00:00Z') });
    const files = byPath(result.files);
    const fileName = { rss: 'rss.xml', atom: 'atom.xml', json: 'feed.json' }[format];
    const toPath = (url: string): string => {
      expect(url.startsWith(`${SITE_URL}/`), url).toBe(true);
      expect(url.endsWith(`/${fileName}`), url).toBe(true);
      return url.slice(SITE_URL.length + 1);
    };
    const seen: string[] = [];
    const visited: string[] = [];
    let at: string | undefined = fileName;
    while (at !== undefined) {
      expect(visited, `link loop at ${at}`).not.toContain(at);
      visited.push(at);
      const page = readPage(format, files.get(at) ?? '');
      seen.push(...page.ids);
      if (format !== 'json' && at !== fileName) {
        expect(page.archive, `${at} is marked fh:archive`).toBe(true);
        expect(page.current).toBe(`${SITE_URL}/${fileName}`);
      }
      at = page.prev === undefined ? undefined : toPath(page.prev);
    }
    expect(seen).toHaveLength(30);
    expect(new Set(seen).size).toBe(30);
    expect(visited.length).toBeGreaterThan(3);
    if (format !== 'json') {
      // And back: next-archive from the oldest archive retraces the same pages.
      const back: string[] = [];
      let here: string | undefined = visited.at(-1);
      while (here !== undefined) {
        back.push(here);
        const next = readPage(format, files.get(here) ?? '').next;
        here = next === undefined ? undefined : toPath(next);
      }
      expect(back).toEqual(visited.slice(1).reverse());
    }
  });

  it('keeps the bytes of every archive but the newest when a post is added', async () => {
    const site = makeArchiveSite();
    const now = new Date('2026-12-01T00:00:00Z');
    const before = byPath((await build({ contentDir: site, now })).files);
    writeFileSync(path.join(site, '_posts', '2026-06-01-breaking.md'), post('Breaking', '2026-06-01T09:00:00'));
    const after = byPath((await build({ contentDir: site, now })).files);
    const archives = [...before.keys()].filter((p) => p.startsWith('archive/')).sort();
    const changed = archives.filter((p) => after.get(p) !== before.get(p));
    const months = [...new Set(archives.map((p) => path.posix.dirname(p)))].sort();
    // Only the newest archive month changed (the oldest current item moved into it).
    expect(new Set(changed.map((p) => path.posix.dirname(p)))).toEqual(new Set([months.at(-1)]));
    expect(readFileSync(path.join(site, '_config.yml'), 'utf8')).toContain('archive: true');
  });
});
