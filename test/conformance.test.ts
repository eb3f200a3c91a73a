/**
 * Conformance of every generated feed trio (output/ and each golden case's expected/) to RSS 2.0, RFC 4287
 * and JSON Feed 1.1, checked by outside tools (xmllint, jing, Ajv, feedsmith), plus proof that each check
 * rejects a broken feed.
 */
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import {
  checkAtom,
  checkAtomSchema,
  checkEncoding,
  checkHtmlFragment,
  checkJsonFeed,
  checkJsonFeedSchema,
  checkRss,
  checkWellFormed,
  checkXmlDeclaration,
  crossCheck,
  findFeedDirs,
  lintRss,
  parseRfc3339,
  parseRfc822,
  readTrio,
  type Trio,
} from './support/conformance.js';
import { requireTool } from './support/tools.js';

const REPO = fileURLToPath(new URL('..', import.meta.url));
const GOLDEN = join(REPO, 'test', 'golden');

/** Published roots: the site build and every golden case that has expected output (the list may grow). */
function findRoots(): Array<{ readonly root: string }> {
  const golden = existsSync(GOLDEN)
    ? readdirSync(GOLDEN, { withFileTypes: true })
        .filter((e) => e.isDirectory())
        .map((e) => ({ root: join(GOLDEN, e.name, 'expected') }))
    : [];
  return [{ root: join(REPO, 'output') }, ...golden];
}

const TRIOS = findRoots().flatMap(({ root }) =>
  findFeedDirs(root).map((dir) => ({
    name: relative(REPO, dir).split(sep).join('/'),
    dir,
    published: relative(root, dir).split(sep).join('/'),
  })),
);

const HAS_XMLLINT = requireTool('xmllint');
const HAS_JING = requireTool('jing');

describe('feed discovery', () => {
  it('finds at least one feed trio under output/ or test/golden/*/expected/', () => {
    expect(TRIOS.length, 'no rss.xml/atom.xml/feed.json found: run the build or generate the golden files').toBeGreaterThan(0);
  });
});

describe.each(TRIOS)('feed trio $name', ({ name, dir, published }) => {
  const load = (): Trio => readTrio(dir);

  it('has rss.xml, atom.xml and feed.json, UTF-8 without BOM, XML declaration first', () => {
    const trio = load();
    expect([
      ...checkEncoding(trio.rss, 'rss.xml'),
      ...checkEncoding(trio.atom, 'atom.xml'),
      ...checkEncoding(trio.json, 'feed.json'),
      ...checkXmlDeclaration(trio.rss, 'rss.xml'),
      ...checkXmlDeclaration(trio.atom, 'atom.xml'),
    ]).toEqual([]);
  });

  it.skipIf(!HAS_XMLLINT)('rss.xml and atom.xml are well-formed (xmllint --noout)', () => {
    const trio = load();
    expect([...checkWellFormed(trio.rss, 'rss.xml'), ...checkWellFormed(trio.atom, 'atom.xml')]).toEqual([]);
  });

  it.skipIf(!HAS_JING)('atom.xml is valid against the RFC 4287 RELAX NG schema (jing)', () => {
    expect(checkAtomSchema(load().atom)).toEqual([]);
  });

  it('feed.json is valid against the JSON Feed 1.1 schema (Ajv)', () => {
    expect(checkJsonFeedSchema(load().json)).toEqual([]);
  });

  it('rss.xml: required elements, absolute URLs, dates, W3C validator lint', () => {
    expect(checkRss(load().rss, { tools: false })).toEqual([]);
  });

  it('atom.xml: required elements, absolute URLs and IRIs, dates, text/html constructs', () => {
    expect(checkAtom(load().atom, { tools: false })).toEqual([]);
  });

  it('feed.json: version 1.1, feed_url, home_page_url, authors on every item, absolute URLs', () => {
    expect(checkJsonFeed(load().json)).toEqual([]);
  });

  it('the three formats carry the same items in the same order (feedsmith)', () => {
    expect(crossCheck(load(), { dir: published, duplicateIdsAllowed: name === 'test/golden/duplicate-ids/expected' })).toEqual([]);
  });
});

// ---------------------------------------------------------------------------------------------------------
// Negative self-tests: each check must reject a broken feed, or a passing trio above means nothing.

const DECL = '<?xml version="1.0" encoding="UTF-8"?>';

interface SampleRss {
  readonly channelExtra?: string;
  readonly selfLink?: string;
  readonly lastBuildDate?: string;
  readonly title?: string;
  readonly pubDate?: string;
  readonly description?: string;
  readonly content?: string;
  readonly itemExtra?: string;
  readonly link?: string;
}

/** A conforming two-item RSS 2.0 feed; fields can be swapped for broken ones. Fresh string on every call. */
function sampleRss(o: SampleRss = {}): string {
  const self = o.selfLink ?? '<atom:link href="https://example.com/rss.xml" rel="self" type="application/rss+xml"/>';
  const lastBuild = o.lastBuildDate ?? '<lastBuildDate>Sun, 01 Feb 2026 00:57:25 +0000</lastBuildDate>';
  return `${DECL}
<rss version="2.0" xmlns:atom="http://www.w3.org/2005/Atom" xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:media="http://search.yahoo.com/mrss/">
<channel>
<title>Example &#x26; Co</title>
<link>https://example.com/</link>
<description>A test site</description>
<language>en</language>
${lastBuild}
${self}${o.channelExtra ?? ''}
<item>
<title>${o.title ?? 'AT&#x26;T, 3 &#x3C; 4'}</title>
<link>${o.link ?? 'https://example.com/2026/02/01/att.html'}</link>
<guid isPermaLink="false">https://example.com/2026/02/01/att</guid>
<pubDate>${o.pubDate ?? 'Sun, 01 Feb 2026 00:57:25 +0000'}</pubDate>
<description>${o.description ?? 'AT&amp;amp;T, 3 &amp;lt; 4'}</description>
<content:encoded>${o.content ?? '&lt;p&gt;AT&amp;amp;T, 3 &amp;lt; 4 &lt;img src="https://example.com/img/a.png" alt=""&gt;&lt;/p&gt;'}</content:encoded>
<dc:creator>Jane Doe</dc:creator>
<category>news</category>
<category>tel&amp;co</category>
<enclosure url="https://example.com/img/a.png" length="1234" type="image/png"/>
<media:content url="https://example.com/img/a.png" type="image/png" fileSize="1234" medium="image"/>${o.itemExtra ?? ''}
</item>
<item>
<title>Second</title>
<link>https://example.com/2026/01/19/second.html</link>
<guid isPermaLink="false">https://example.com/2026/01/19/second</guid>
<pubDate>Sun, 18 Jan 2026 22:05:00 +0000</pubDate>
<description>Two</description>
<content:encoded>&lt;p&gt;Two&lt;/p&gt;</content:encoded>
<dc:creator>Jane Doe</dc:creator>
</item>
</channel>
</rss>
`;
}

interface SampleAtom {
  readonly selfLink?: string;
  readonly firstId?: string;
  readonly firstTitle?: string;
  readonly firstPublished?: string;
  readonly secondEntryId?: string;
}

/** The Atom twin of `sampleRss()`. */
function sampleAtom(o: SampleAtom = {}): string {
  return `${DECL}
<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="en">
<title type="text">Example &amp; Co</title>
<subtitle type="text">A test site</subtitle>
<link rel="alternate" type="text/html" href="https://example.com/"/>
${o.selfLink ?? '<link rel="self" type="application/atom+xml" href="https://example.com/atom.xml"/>'}
<id>https://example.com/atom.xml</id>
<updated>2026-02-01T00:57:25Z</updated>
<author><name>Jane Doe</name></author>
<entry>
<title type="text">${o.firstTitle ?? 'AT&amp;T, 3 &lt; 4'}</title>
<link rel="alternate" type="text/html" href="https://example.com/2026/02/01/att.html"/>
<link rel="enclosure" type="image/png" length="1234" href="https://example.com/img/a.png"/>
<id>${o.firstId ?? 'https://example.com/2026/02/01/att'}</id>
<published>${o.firstPublished ?? '2026-02-01T00:57:25Z'}</published>
<updated>2026-02-01T00:57:25Z</updated>
<author><name>Jane Doe</name></author>
<category term="news"/>
<category term="tel&amp;co"/>
<summary type="html">AT&amp;amp;T, 3 &amp;lt; 4</summary>
<content type="html">&lt;p&gt;AT&amp;amp;T, 3 &amp;lt; 4 &lt;img src="https://example.com/img/a.png" alt=""&gt;&lt;/p&gt;</content>
</entry>
<entry>
<title type="text">Second</title>
<link rel="alternate" type="text/html" href="https://example.com/2026/01/19/second.html"/>
${o.secondEntryId ?? '<id>https://example.com/2026/01/19/second</id>'}
<published>2026-01-19T03:05:00+05:00</published>
<updated>2026-01-19T03:05:00+05:00</updated>
<author><name>Jane Doe</name></author>
<summary type="html">Two</summary>
<content type="html">&lt;p&gt;Two&lt;/p&gt;</content>
</entry>
</feed>
`;
}

type JsonValue = Record<string, unknown>;

/** The JSON Feed twin of `sampleRss()`, as an object to break before stringifying. */
function sampleJsonObject(): JsonValue & { items: JsonValue[] } {
  return {
    version: 'https://jsonfeed.org/version/1.1',
    title: 'Example & Co',
    home_page_url: 'https://example.com/',
    feed_url: 'https://example.com/feed.json',
    description: 'A test site',
    language: 'en',
    authors: [{ name: 'Jane Doe' }],
    items: [
      {
        id: 'https://example.com/2026/02/01/att',
        url: 'https://example.com/2026/02/01/att.html',
        title: 'AT&T, 3 < 4',
        content_html: '<p>AT&amp;T, 3 &lt; 4 <img src="https://example.com/img/a.png" alt=""></p>',
        summary: 'AT&T, 3 < 4',
        image: 'https://example.com/img/a.png',
        date_published: '2026-02-01T00:57:25Z',
        date_modified: '2026-02-01T00:57:25Z',
        authors: [{ name: 'Jane Doe' }],
        tags: ['news', 'tel&co'],
        attachments: [{ url: 'https://example.com/img/a.png', mime_type: 'image/png', size_in_bytes: 1234 }],
      },
      {
        id: 'https://example.com/2026/01/19/second',
        url: 'https://example.com/2026/01/19/second.html',
        title: 'Second',
        content_html: '<p>Two</p>',
        summary: 'Two',
        date_published: '2026-01-19T03:05:00+05:00',
        date_modified: '2026-01-19T03:05:00+05:00',
        authors: [{ name: 'Jane Doe' }],
      },
    ],
  };
}

function sampleJson(edit: (feed: ReturnType<typeof sampleJsonObject>) => void = () => undefined): string {
  const feed = sampleJsonObject();
  edit(feed);
  return JSON.stringify(feed, null, 2);
}

function sampleTrio(o: Partial<Trio> = {}): Trio {
  return { rss: o.rss ?? sampleRss(), atom: o.atom ?? sampleAtom(), json: o.json ?? sampleJson() };
}

/** Asserts that some problem mentions `fragment`, and prints all of them when none does. */
function expectProblem(problems: readonly string[], fragment: string | RegExp): void {
  const hit = problems.some((p) => (typeof fragment === 'string' ? p.includes(fragment) : fragment.test(p)));
  expect(hit, `expected a problem matching ${String(fragment)}, got ${JSON.stringify(problems, null, 2)}`).toBe(true);
}

describe('trio discovery on disk', () => {
  it('finds nested trio folders and refuses an incomplete one', () => {
    const root = mkdtempSync(join(tmpdir(), 'feedwright-conformance-'));
    try {
      const nested = join(root, 'tags', 'x');
      mkdirSync(nested, { recursive: true });
      const trio = sampleTrio();
      for (const dir of [root, nested]) {
        writeFileSync(join(dir, 'rss.xml'), trio.rss);
        writeFileSync(join(dir, 'atom.xml'), trio.atom);
      }
      writeFileSync(join(root, 'feed.json'), trio.json);
      expect(findFeedDirs(root)).toEqual([root, nested]);
      expect(crossCheck(readTrio(root))).toEqual([]);
      expect(() => readTrio(nested)).toThrow('missing feed.json');
      expect(findFeedDirs(join(root, 'absent'))).toEqual([]);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});

describe('the checks accept a conforming sample trio', () => {
  it('passes every check', () => {
    const trio = sampleTrio();
    expect(checkRss(trio.rss)).toEqual([]);
    expect(checkAtom(trio.atom)).toEqual([]);
    expect(checkJsonFeed(trio.json)).toEqual([]);
    expect(crossCheck(trio)).toEqual([]);
  });
});

describe('the checks reject broken feeds', () => {
  it('XML declaration: single quotes, a BOM or a missing declaration', () => {
    expectProblem(checkXmlDeclaration(sampleRss().replace(DECL, "<?xml version='1.0' encoding='UTF-8'?>")), 'must start with');
    expectProblem(checkXmlDeclaration(sampleRss().replace(DECL, '')), 'must start with');
    expectProblem(checkEncoding(new Uint8Array([0xef, 0xbb, 0xbf, ...new TextEncoder().encode(sampleRss())])), 'BOM');
    expectProblem(checkEncoding(new Uint8Array([0x3c, 0x61, 0xff, 0x3e])), 'not valid UTF-8');
  });

  it.skipIf(!HAS_XMLLINT)('xmllint: unclosed element, bare &, forbidden control character', () => {
    expectProblem(checkWellFormed(sampleRss().replace('</channel>', '')), 'xmllint exit');
    expectProblem(checkWellFormed(sampleRss({ title: 'AT&T' })), 'xmllint exit');
    expectProblem(checkWellFormed(sampleRss({ title: 'bell \u0007' })), 'xmllint exit');
    expectProblem(checkRss(sampleRss({ title: 'AT&T' })), 'xmllint exit');
  });

  it.skipIf(!HAS_JING)('jing: an Atom entry without id, a feed with an unknown Atom element', () => {
    expectProblem(checkAtomSchema(sampleAtom({ secondEntryId: '' })), /missing required element "id"/);
    expectProblem(checkAtomSchema(sampleAtom({ selfLink: '<bogus/>' })), 'jing exit');
    expectProblem(checkAtom(sampleAtom({ secondEntryId: '' })), 'jing exit');
  });

  it('Ajv: missing version, unknown item key, attachment without mime_type, relative feed_url', () => {
    expectProblem(checkJsonFeedSchema(sampleJson((f) => delete f['version'])), "must have required property 'version'");
    expectProblem(checkJsonFeedSchema(sampleJson((f) => Object.assign(f.items[0] ?? {}, { bogus: 1 }))), 'additional properties');
    expectProblem(checkJsonFeedSchema(sampleJson((f) => Object.assign(f.items[0] ?? {}, { attachments: [{ url: 'https://example.com/a.png' }] }))), 'mime_type');
    expectProblem(checkJsonFeedSchema(sampleJson((f) => (f['feed_url'] = '/feed.json'))), 'format');
    expectProblem(checkJsonFeedSchema('{'), 'not JSON');
  });

  it('JSON Feed: version 1, deprecated author, item without authors, relative URL, bad date', () => {
    expectProblem(checkJsonFeed(sampleJson((f) => (f['version'] = 'https://jsonfeed.org/version/1'))), 'version must be');
    expectProblem(checkJsonFeed(sampleJson((f) => (f['author'] = { name: 'Jane' }))), 'deprecated top-level "author"');
    expectProblem(checkJsonFeed(sampleJson((f) => Object.assign(f.items[1] ?? {}, { authors: undefined, author: { name: 'J' } }))), 'deprecated "author"');
    expectProblem(checkJsonFeed(sampleJson((f) => Object.assign(f.items[1] ?? {}, { authors: [] }))), '"authors" must be');
    expectProblem(checkJsonFeed(sampleJson((f) => delete f['feed_url'])), 'feed_url: missing URL');
    expect(checkJsonFeed(sampleJson((f) => (f['authors'] = [{ name: 'Jane', url: 'mailto:jane@example.com' }])))).toEqual([]);
    expectProblem(checkJsonFeed(sampleJson((f) => (f['authors'] = [{ name: 'Jane', url: '/about/' }]))), 'authors[0].url: not an absolute');
    expectProblem(checkJsonFeed(sampleJson((f) => Object.assign(f.items[0] ?? {}, { url: '/2026/02/01/att.html' }))), 'not an absolute http(s) URL');
    expectProblem(checkJsonFeed(sampleJson((f) => Object.assign(f.items[0] ?? {}, { image: 'https://example.com/ü.png' }))), 'not an RFC 3986 URI');
    expectProblem(checkJsonFeed(sampleJson((f) => Object.assign(f.items[0] ?? {}, { date_published: '2026-02-01 00:57:25' }))), 'not an RFC 3339');
    expectProblem(checkJsonFeed(sampleJson((f) => Object.assign(f.items[0] ?? {}, { content_html: '<p onclick="x()">hi</p>' }))), 'event handler');
  });

  it('RSS structure: no self link, no lastBuildDate, bad dates, relative link, permalink guid', () => {
    expectProblem(checkRss(sampleRss({ selfLink: '' }), { tools: false }), 'atom:link rel="self"');
    expectProblem(checkRss(sampleRss({ lastBuildDate: '' }), { tools: false }), 'missing <lastBuildDate>');
    expectProblem(checkRss(sampleRss({ pubDate: 'Mon, 01 Feb 2026 00:57:25 +0000' }), { tools: false }), 'wrong weekday');
    expectProblem(checkRss(sampleRss({ pubDate: 'Sun, 01 Feb 26 00:57:25 +0000' }), { tools: false }), '4-digit year');
    expectProblem(checkRss(sampleRss({ pubDate: '2026-02-01T00:57:25Z' }), { tools: false }), 'not an RFC 822');
    expectProblem(checkRss(sampleRss({ link: '/2026/02/01/att.html' }), { tools: false }), 'not an absolute http(s) URL');
    expectProblem(checkRss(sampleRss().replace('isPermaLink="false"', 'isPermaLink="true"'), { tools: false }), 'isPermaLink="false"');
    expectProblem(checkRss(sampleRss().replace(/<media:content[^>]*\/>/, ''), { tools: false }), 'no <media:content>');
  });

  it('W3C lint: <author>, &amp; in a title, invalid HTML description, script, iframe, handlers, javascript:', () => {
    expectProblem(lintRss(sampleRss({ itemExtra: '<author>Jane Doe</author>' })), 'has <author>');
    expectProblem(lintRss(sampleRss({ title: 'AT&amp;T &lt;b> 1' })), '&#x26;');
    expectProblem(lintRss(sampleRss({ title: '<![CDATA[AT&T <b> 1]]>' })), '&#x26;');
    expectProblem(lintRss(sampleRss({ title: 'AT&#x26;amp;T' }).replace('<description>A test site', '<description>A &lt;b> B')), 'rss <channel description>');
    expectProblem(lintRss(sampleRss({ title: 'bold &#x3C;b>x&#x3C;/b>' })), 'HTML end tag </b>');
    expectProblem(lintRss(sampleRss({ title: '1&amp;amp;2' })), 'entity &amp');
    expect(lintRss(sampleRss({ title: 'AT&amp;T, 3 &lt; 4' }))).toEqual([]);
    expectProblem(lintRss(sampleRss({ description: 'AT&amp;T, 3 &lt; 4' })), 'bare "&"');
    expectProblem(lintRss(sampleRss({ description: '3 &amp;lt; 4 &lt; 5' })), 'bare "<"');
    expectProblem(lintRss(sampleRss({ content: '&lt;script&gt;alert(1)&lt;/script&gt;' })), 'contains <script>');
    expectProblem(lintRss(sampleRss({ content: '&lt;iframe src="https://evil.example/"&gt;&lt;/iframe&gt;' })), 'contains <iframe>');
    expectProblem(lintRss(sampleRss({ content: '&lt;img src="https://example.com/a.png" onerror="x()"&gt;' })), 'event handler attribute onerror=');
    expectProblem(lintRss(sampleRss({ content: '&lt;a href="java&amp;#x09;script:alert(1)"&gt;x&lt;/a&gt;' })), 'javascript: URL');
    expectProblem(lintRss(sampleRss({ content: '<![CDATA[<a href="data:text/html,x">x</a>]]>' })), 'data: URL');
    expectProblem(lintRss(sampleRss({ content: '&lt;img src="/img/a.png"&gt;' })), 'relative or unsupported URL');
    expectProblem(lintRss(sampleRss({ content: '&lt;img srcset="https://example.com/a.png 1x, b.png 2x"&gt;' })), 'relative or unsupported URL');
    expectProblem(lintRss(sampleRss({ content: '&lt;p title="a&gt;b' })), 'unterminated');
  });

  it('W3C lint: numeric references outside titles, blank or missing description, content:encoded first, void end tags', () => {
    expectProblem(lintRss(sampleRss().replace('<category>news', '<category>n&#x26;ews')), '&#x26; near');
    expectProblem(lintRss(sampleRss({ link: 'https://example.com/?a=1&#x26;b=2' })), 'outside a title');
    expectProblem(lintRss(sampleRss({ itemExtra: '<media:title>&#60;x</media:title>' })), '&#60;');
    expectProblem(lintRss(sampleRss().replace(/<description>AT[^<]*<\/description>\n/, '')), 'no <description>');
    expectProblem(lintRss(sampleRss().replace(/(<description>AT[^<]*<\/description>\n)(<content:encoded>[^<]*<\/content:encoded>\n)/, '$2$1')), 'before <description>');
    expectProblem(lintRss(sampleRss({ content: '' })), 'blank <content:encoded>');
    expectProblem(lintRss(sampleRss({ description: ' ' })), 'blank <description>');
    expectProblem(lintRss(sampleRss({ content: '&lt;p>a&lt;br>&lt;/br>b&lt;/p>' })), 'end tag </br> on a void element');
    expect(lintRss(sampleRss().replace(/<content:encoded>[^<]*<\/content:encoded>\n/, ''))).toEqual([]);
  });

  it('W3C lint, Atom: numeric references outside titles, blank content, no textual content, duplicate alternates', () => {
    expectProblem(checkAtom(sampleAtom().replace('term="tel&amp;co"', 'term="tel&#x26;co"'), { tools: false }), 'outside a title');
    expectProblem(checkAtom(sampleAtom().replace('<content type="html">&lt;p&gt;Two&lt;/p&gt;</content>', '<content type="html"></content>'), { tools: false }), 'blank <content>');
    expectProblem(checkAtom(sampleAtom().replace('<summary type="html">Two</summary>\n<content type="html">&lt;p&gt;Two&lt;/p&gt;</content>\n', ''), { tools: false }), 'MissingTextualContent');
    const twice = '<link rel="alternate" type="text/html" href="https://example.com/2026/01/19/second.html"/>';
    expectProblem(checkAtom(sampleAtom().replace(twice, `${twice}\n${twice}`), { tools: false }), 'two rel="alternate" links');
    expect(checkAtom(sampleAtom().replace(twice, `${twice}\n<link rel="alternate" href="https://example.com/2026/01/19/second.html"/>`), { tools: false })).toEqual([]);
    expect(checkAtom(sampleAtom().replace('<content type="html">&lt;p&gt;Two&lt;/p&gt;</content>\n', ''), { tools: false })).toEqual([]);
    expectProblem(checkJsonFeed(sampleJson((f) => Object.assign(f.items[1] ?? {}, { content_html: '' }))), 'blank content_html');
    expectProblem(checkJsonFeed(sampleJson((f) => Object.assign(f.items[1] ?? {}, { content_html: undefined }))), 'neither content_html');
  });

  it('HTML fragment check accepts good HTML and names each fault', () => {
    expect(checkHtmlFragment('<p class="x">AT&amp;T &lt; &#x3C; &#60; &copy; <a href="mailto:a@b.c">m</a> <br/> <!-- c --></p>', 'x')).toEqual([]);
    expectProblem(checkHtmlFragment('<a href="https://e.com/?a=1&b=2">x</a>', 'x'), 'bare "&"');
    expectProblem(checkHtmlFragment('a < b', 'x'), 'bare "<"');
    expectProblem(checkHtmlFragment('<a href="#top">x</a>', 'x'), 'relative');
  });

  it('Atom structure: no self link, relative id, html title, missing author', () => {
    expectProblem(checkAtom(sampleAtom({ selfLink: '' }), { tools: false }), 'rel="self"');
    expectProblem(checkAtom(sampleAtom({ firstId: '/2026/02/01/att' }), { tools: false }), 'not an absolute http(s) URL');
    expectProblem(checkAtom(sampleAtom({ firstId: 'att-2026' }), { tools: false }), 'not an absolute IRI');
    expectProblem(checkAtom(sampleAtom().replace('<title type="text">Second', '<title type="html">Second'), { tools: false }), 'type="text"');
    expectProblem(checkAtom(sampleAtom().replace(/<author><name>Jane Doe<\/name><\/author>\n<summary type="html">Two/, '<summary type="html">Two'), { tools: false }), 'missing <author>');
  });

  it('cross-check: order, id, title, date, categories, enclosure, image, self URL, count', () => {
    const json = (edit: (f: ReturnType<typeof sampleJsonObject>) => void): Trio => sampleTrio({ json: sampleJson(edit) });
    expectProblem(crossCheck(json((f) => f.items.reverse())), 'id differs');
    expectProblem(crossCheck(json((f) => Object.assign(f.items[0] ?? {}, { id: 'https://example.com/other' }))), 'id differs');
    expectProblem(crossCheck(sampleTrio({ atom: sampleAtom({ firstTitle: 'AT&amp;T, 3 &lt; 5' }) })), 'title differs');
    expectProblem(crossCheck(sampleTrio({ atom: sampleAtom({ firstPublished: '2026-02-01T00:57:26Z' }) })), 'published differs');
    expect(crossCheck(sampleTrio({ atom: sampleAtom({ firstPublished: '2026-02-01T01:57:25.400+01:00' }) }))).toEqual([]);
    expectProblem(crossCheck(json((f) => Object.assign(f.items[0] ?? {}, { tags: ['news'] }))), 'categories differs');
    expectProblem(crossCheck(json((f) => Object.assign(f.items[0] ?? {}, { attachments: [{ url: 'https://example.com/img/a.png', mime_type: 'image/png', size_in_bytes: 99 }] }))), 'enclosure differs');
    expectProblem(crossCheck(json((f) => Object.assign(f.items[0] ?? {}, { image: 'https://example.com/img/b.png' }))), 'json image');
    expectProblem(crossCheck(json((f) => Object.assign(f.items[0] ?? {}, { authors: [{ name: 'Someone' }] }))), 'authors differs');
    expectProblem(crossCheck(json((f) => Object.assign(f.items[1] ?? {}, { summary: 'Three' }))), 'description (HTML) differs');
    expectProblem(crossCheck(json((f) => Object.assign(f.items[1] ?? {}, { summary: undefined }))), 'description (HTML) differs');
    expectProblem(crossCheck(json((f) => f.items.pop())), 'item counts differ');
    expectProblem(crossCheck(json((f) => (f['feed_url'] = 'https://example.com/feed-2.json'))), 'does not end with /feed.json');
    expectProblem(crossCheck(json((f) => (f['feed_url'] = 'https://example.com/tags/x/feed.json'))), 'self URL folder differs');
    expectProblem(crossCheck(sampleTrio(), { dir: 'tags/x' }), 'does not end with /tags/x/rss.xml');
    expectProblem(crossCheck(sampleTrio({ rss: sampleRss({ lastBuildDate: '<lastBuildDate>Sat, 31 Jan 2026 00:57:25 +0000</lastBuildDate>' }) })), 'feed date differs');
  });

  it('dates: RFC 822 and RFC 3339 parse to the same instant across zones', () => {
    const rss = parseRfc822('Sun, 18 Jan 2026 22:05:00 +0000');
    const atom = parseRfc3339('2026-01-19T03:05:00+05:00');
    expect(rss.ok && atom.ok && rss.ms === atom.ms).toBe(true);
    expect(parseRfc822('Sun, 01 Feb 2026 00:57:25 GMT').ok).toBe(true);
    expect(parseRfc822('Sun, 30 Feb 2026 00:57:25 GMT').ok).toBe(false);
    expect(parseRfc3339('2026-02-30T00:00:00Z').ok).toBe(false);
  });
});
