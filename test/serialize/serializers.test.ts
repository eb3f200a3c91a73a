/**
 * What the three serializers write for the cases feed readers got wrong (issue 11): escaping per element,
 * UTC dates, the Atom link order, and items without an article or without a summary; and the check of one
 * whole item that a rebuild applies to the texts it takes from the last build's files.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { renderContent } from '../../src/render/sanitize.js';
import { toAbsoluteUrl } from '../../src/render/urls.js';
import { GENERATOR } from '../../src/version.js';
import { serializeAtom } from '../../src/serialize/atom.js';
import { serializeJsonFeed } from '../../src/serialize/json-feed.js';
import { serializeRss } from '../../src/serialize/rss.js';
import { FORMAT_WRITERS, isItemText } from '../../src/serialize/stream.js';
import { hostileText, htmlFragment } from '../support/arbitraries.js';
import type { AbsoluteUrl, Feed, FeedEntry } from '../../src/types.js';

function url(href: string): AbsoluteUrl {
  const made = toAbsoluteUrl(href);
  if (made === undefined) throw new Error(`not an absolute URL: ${href}`);
  return made;
}

const POST_URL = url('https://example.com/2026/01/31/q-and-a.html?x=1&y=2');

function entry(overrides: Partial<FeedEntry> = {}): FeedEntry {
  return {
    id: 'https://example.com/2026/01/31/q-and-a',
    url: POST_URL,
    title: 'Q&A: 1&amp;2 <b>bold</b>',
    // 2026-02-01T01:57:25+05:00 written by a site in Asia/Karachi: 20:57:25 UTC the day before.
    published: new Date(Date.UTC(2026, 0, 31, 20, 57, 25)),
    updated: new Date(Date.UTC(2026, 0, 31, 20, 57, 25)),
    summary: 'AT&T, 3 < 4',
    contentHtml: renderContent('<p>R&amp;D &lt;lab&gt;</p>', POST_URL),
    authors: [{ name: 'O\'Brien & "Sons" <desk>' }],
    categories: ['R&D <lab>'],
    enclosure: { url: url('https://example.com/img/a.jpg?w=1&h=2'), type: 'image/jpeg', length: 42 },
    sourcePath: '_posts/2026-01-31-q-and-a.md',
    ...overrides,
  };
}

function feed(entries: readonly FeedEntry[]): Feed {
  const self = (file: string): AbsoluteUrl => url(`https://example.com/${file}`);
  return {
    kind: 'site',
    dir: '',
    title: 'News & <Views>',
    description: 'Fish & chips < 5',
    homePageUrl: url('https://example.com/'),
    selfUrls: { rss: self('rss.xml'), atom: self('atom.xml'), json: self('feed.json') },
    id: self('atom.xml'),
    updated: new Date(Date.UTC(2026, 0, 31, 20, 57, 25)),
    generator: GENERATOR,
    hubs: [],
    entries,
  };
}

/** The text of every `<name>` element (its raw, still-escaped contents). */
function raw(xml: string, name: string): string[] {
  return [...xml.matchAll(new RegExp(`<${name}(?:\\s[^>]*)?>([\\s\\S]*?)</${name}>`, 'g'))].map((m) => m[1] ?? '');
}

describe('escaping per element (src/serialize/xml.ts EscapeMode)', () => {
  it('RSS: titles and the channel description in hexadecimal references, everything else in named entities', () => {
    const rss = serializeRss(feed([entry()]));
    expect(raw(rss, 'title')).toEqual(['News &#x26; &#x3C;Views>', 'Q&#x26;A: 1&#x26;amp;2 &#x3C;b>bold&#x3C;/b>']);
    expect(raw(rss, 'description')).toEqual(['Fish &#x26; chips &#x3C; 5', 'AT&amp;amp;T, 3 &amp;lt; 4']);
    expect(raw(rss, 'link')[1]).toBe('https://example.com/2026/01/31/q-and-a.html?x=1&amp;y=2');
    expect(raw(rss, 'category')).toEqual(['R&amp;D &lt;lab>']);
    expect(raw(rss, 'dc:creator')).toEqual(['O\'Brien &amp; "Sons" &lt;desk>']);
    expect(raw(rss, 'content:encoded')).toEqual(['&lt;p>R&amp;amp;D &amp;lt;lab&amp;gt;&lt;/p>']);
    expect(rss).toContain('<enclosure url="https://example.com/img/a.jpg?w=1&amp;h=2" length="42" type="image/jpeg"/>');
    for (const name of ['link', 'guid', 'category', 'dc:creator', 'content:encoded']) {
      for (const text of raw(rss, name)) expect(text, name).not.toMatch(/&#x(?:26|3C|22);/);
    }
  });

  it('Atom: titles in hexadecimal references; attributes, authors and HTML in named entities', () => {
    const atom = serializeAtom(feed([entry()]));
    expect(raw(atom, 'title')).toEqual(['News &#x26; &#x3C;Views>', 'Q&#x26;A: 1&#x26;amp;2 &#x3C;b>bold&#x3C;/b>']);
    expect(raw(atom, 'subtitle')).toEqual(['Fish &#x26; chips &#x3C; 5']);
    expect(atom).toContain('<category term="R&amp;D &lt;lab&gt;"/>');
    expect(raw(atom, 'name')).toEqual(['O\'Brien &amp; "Sons" &lt;desk>']);
    expect(atom).toContain('href="https://example.com/2026/01/31/q-and-a.html?x=1&amp;y=2"');
    expect(raw(atom, 'summary')).toEqual(['AT&amp;amp;T, 3 &amp;lt; 4']);
  });
});

describe('dates (src/serialize/dates.ts)', () => {
  it('writes Atom and JSON Feed dates in UTC with Z, and RSS dates in RFC 822 at +0000', () => {
    const one = feed([entry()]);
    expect(raw(serializeAtom(one), 'published')).toEqual(['2026-01-31T20:57:25Z']);
    expect(raw(serializeAtom(one), 'updated')).toEqual(['2026-01-31T20:57:25Z', '2026-01-31T20:57:25Z']);
    expect(raw(serializeRss(one), 'pubDate')).toEqual(['Sat, 31 Jan 2026 20:57:25 +0000']);
    expect(raw(serializeRss(one), 'lastBuildDate')).toEqual(['Sat, 31 Jan 2026 20:57:25 +0000']);
    const item = (JSON.parse(serializeJsonFeed(one)) as { items: Array<Record<string, unknown>> }).items[0];
    expect([item?.['date_published'], item?.['date_modified']]).toEqual(['2026-01-31T20:57:25Z', '2026-01-31T20:57:25Z']);
  });

  it('writes years before 1000 with four digits', () => {
    const old = feed([entry({ published: new Date(Date.UTC(999, 11, 31, 23, 59, 59)), updated: new Date(Date.UTC(999, 11, 31, 23, 59, 59)) })]);
    expect(raw(serializeAtom(old), 'published')).toEqual(['0999-12-31T23:59:59Z']);
    expect(raw(serializeRss(old), 'pubDate')).toEqual(['Tue, 31 Dec 0999 23:59:59 +0000']);
  });
});

describe('Atom entry links', () => {
  it('with an image: the alternate link first and again last, so first-link and last-link readers both get the post', () => {
    const links = [...serializeAtom(feed([entry()])).matchAll(/<entry>[\s\S]*?<\/entry>/g)].flatMap((m) => [...m[0].matchAll(/<link [^>]*>/g)].map((l) => l[0]));
    expect(links).toEqual([
      '<link rel="alternate" type="text/html" href="https://example.com/2026/01/31/q-and-a.html?x=1&amp;y=2"/>',
      '<link rel="enclosure" type="image/jpeg" length="42" href="https://example.com/img/a.jpg?w=1&amp;h=2"/>',
      '<link rel="alternate" href="https://example.com/2026/01/31/q-and-a.html?x=1&amp;y=2"/>',
    ]);
  });

  it('without an image: one alternate link', () => {
    const { enclosure: _dropped, ...plain } = entry();
    const atom = serializeAtom(feed([plain]));
    expect([...(/<entry>[\s\S]*<\/entry>/.exec(atom)?.[0] ?? '').matchAll(/<link /g)]).toHaveLength(1);
  });
});

describe('items without an article or without a summary', () => {
  const { summary: _noSummary, ...withoutSummary } = entry();
  const empty = { ...withoutSummary, contentHtml: renderContent('', POST_URL) };

  it('an empty article leaves out RSS content:encoded, Atom content and JSON content_html', () => {
    const one = feed([empty]);
    expect(serializeRss(one)).not.toContain('content:encoded>');
    expect(serializeAtom(one)).not.toContain('<content');
    const item = (JSON.parse(serializeJsonFeed(one)) as { items: Array<Record<string, unknown>> }).items[0];
    expect(item?.['content_html']).toBeUndefined();
    expect(item?.['content_text']).toBe(empty.title);
  });

  it('every RSS item has a description (the summary, else the title) before content:encoded', () => {
    const titleAsHtml = 'Q&amp;amp;A: 1&amp;amp;amp;2 &amp;lt;b&amp;gt;bold&amp;lt;/b&amp;gt;';
    const cases = [
      [entry(), 'AT&amp;amp;T, 3 &amp;lt; 4'],
      [withoutSummary, titleAsHtml],
      [empty, titleAsHtml],
    ] as const;
    for (const [e, description] of cases) {
      const item = /<item>[\s\S]*<\/item>/.exec(serializeRss(feed([e])))?.[0] ?? '';
      expect(raw(item, 'description')).toEqual([description]);
      if (item.includes('<content:encoded>')) expect(item.indexOf('<description>')).toBeLessThan(item.indexOf('<content:encoded>'));
    }
  });

  it('an Atom entry without content carries the title as its summary; with content and no summary, none', () => {
    expect(raw(serializeAtom(feed([empty])), 'summary')).toEqual(['Q&amp;amp;A: 1&amp;amp;amp;2 &amp;lt;b&amp;gt;bold&amp;lt;/b&amp;gt;']);
    expect(raw(serializeAtom(feed([withoutSummary])), 'summary')).toEqual([]);
  });
});

describe('one whole item of a format (src/serialize/stream.ts isItemText)', () => {
  // What a rebuild takes from the last build's file is checked so: this must hold for every item the writers
  // make, and fail for anything a wrong byte range could give (two items, part of one, another post's).
  const pieces = fc.record({ title: hostileText, summary: hostileText, html: htmlFragment, id: fc.webUrl(), other: fc.webUrl() });

  it("holds for every writer's item, for its own id only, and for no cut or pair of items", () => {
    fc.assert(
      fc.property(pieces, ({ title, summary, html, id, other }) => {
        const one = entry({ id, title, summary, contentHtml: renderContent(html, POST_URL) });
        const two = entry({ id: other, title: summary, summary: title });
        for (const writer of FORMAT_WRITERS) {
          const head = feed([one]);
          const text = writer.item(one, head);
          expect(isItemText(writer.fileName, text, id)).toBe(true);
          if (other !== id) expect(isItemText(writer.fileName, text, other)).toBe(false);
          const next = writer.item(two, head);
          expect(isItemText(writer.fileName, text + writer.separator(1) + next, id)).toBe(false);
          expect(isItemText(writer.fileName, text.slice(1), id)).toBe(false);
          expect(isItemText(writer.fileName, text.slice(0, -1), id)).toBe(false);
        }
      }),
      { numRuns: 150, seed: 7 },
    );
  });
});
