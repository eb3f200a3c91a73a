/**
 * The browser view of the feeds, in a real browser: the repo's own site is published into a temp folder,
 * served over HTTP (browsers apply `<?xml-stylesheet?>` only over HTTP, not file://) and opened in headless
 * Chromium, whose libxslt runs feed.xsl. The transformed page must show the feed's title, the explanation,
 * the feed's own URL and every item (titles, links, dates, images, categories, summaries) for RSS, Atom and
 * a category feed; feed text must come out as text, never as markup. A screenshot is kept in test/artifacts/.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { XMLParser } from 'fast-xml-parser';
import { parse, type DefaultTreeAdapterTypes } from 'parse5';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { publish } from '../src/index.js';
import { startServer } from '../src/serve/index.js';
import { killRunningChromium, runChromium } from './support/chromium.js';
import { makeSite } from './support/site.js';
import { requireTool } from './support/tools.js';

type Element = DefaultTreeAdapterTypes.Element;
type ParentNode = DefaultTreeAdapterTypes.ParentNode;

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const ARTIFACTS = path.join(ROOT, 'test', 'artifacts');
const NOW = new Date('2026-12-01T00:00:00Z');
const HAS_CHROMIUM = requireTool('chromium');
const HAS_XMLLINT = requireTool('xmllint');

/** `feedwright serve`, with its base URL without the trailing slash (the tests append paths). */
async function serveDir(dir: string): Promise<{ url: string; close: () => Promise<void> }> {
  const server = await startServer({ dir, port: 0, host: '127.0.0.1' });
  return { url: server.url.replace(/\/$/, ''), close: () => server.close() };
}

// --- reading the feed (fast-xml-parser) and the page Chromium produced (parse5) ---------------------------

const xml = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '', htmlEntities: true, trimValues: false, isArray: (name) => ['item', 'entry', 'link', 'atom:link', 'category', 'enclosure'].includes(name) });
type Node = Record<string, unknown>;
const text = (v: unknown): string => (typeof v === 'object' && v !== null ? String((v as Node)['#text'] ?? '') : String(v ?? '')).replace(/\s+/g, ' ').trim();
const list = (v: unknown): Node[] => (Array.isArray(v) ? (v as Node[]) : []);
/** Feed summaries are HTML-escaped plain text: what a browser shows once they are unescaped. */
const unescapeHtml = (s: string): string => s.replace(/&(lt|gt|quot|#39|amp);/g, (_, e: string) => ({ lt: '<', gt: '>', quot: '"', '#39': "'", amp: '&' })[e] ?? '');

interface ExpectedItem {
  title: string;
  link: string;
  image: string | undefined;
  categories: string[];
  summary: string;
}
interface ExpectedFeed {
  title: string;
  self: string;
  lang: string;
  items: ExpectedItem[];
}

function readFeed(file: string): ExpectedFeed {
  const doc = xml.parse(readFileSync(file, 'utf8')) as Node;
  const rss = doc['rss'] as Node | undefined;
  if (rss !== undefined) {
    const ch = rss['channel'] as Node;
    return {
      title: text(ch['title']),
      self: String(list(ch['atom:link']).find((l) => l['rel'] === 'self')?.['href']),
      lang: text(ch['language']),
      items: list(ch['item']).map((it) => ({
        title: text(it['title']),
        link: text(list(it['link'])[0]),
        image: list(it['enclosure'])[0]?.['url'] as string | undefined,
        categories: list(it['category']).map(text),
        summary: unescapeHtml(text(it['description'])),
      })),
    };
  }
  const feed = doc['feed'] as Node;
  return {
    title: text(feed['title']),
    self: String(list(feed['link']).find((l) => l['rel'] === 'self')?.['href']),
    lang: String(feed['xml:lang']),
    items: list(feed['entry']).map((e) => ({
      title: text(e['title']),
      link: String(list(e['link']).find((l) => l['rel'] === 'alternate')?.['href']),
      image: list(e['link']).find((l) => l['rel'] === 'enclosure')?.['href'] as string | undefined,
      categories: list(e['category']).map((c) => String(c['term'])),
      summary: unescapeHtml(text(e['summary'])),
    })),
  };
}

function elements(root: ParentNode, tag: string): Element[] {
  const found: Element[] = [];
  const walk = (node: ParentNode): void => {
    for (const child of node.childNodes) {
      if (!('tagName' in child)) continue;
      if (child.tagName === tag) found.push(child);
      walk(child);
    }
  };
  walk(root);
  return found;
}
const attr = (el: Element | undefined, name: string): string | undefined => el?.attrs.find((a) => a.name === name)?.value;
function textOf(node: ParentNode): string {
  let out = '';
  for (const child of node.childNodes) {
    if (child.nodeName === '#text') out += (child as DefaultTreeAdapterTypes.TextNode).value;
    else if ('childNodes' in child) out += textOf(child);
  }
  return out.replace(/\s+/g, ' ').trim();
}
const byClass = (root: ParentNode, tag: string, cls: string): Element[] => elements(root, tag).filter((e) => attr(e, 'class') === cls);

/** Opens `url` in Chromium and returns the DOM after the XSLT transform. */
async function dumpDom(url: string): Promise<DefaultTreeAdapterTypes.Document> {
  // External hosts fail fast instead of reaching the network.
  const run = await runChromium(['--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1', '--dump-dom', url]);
  expect(run.code, run.stderr.slice(-2000)).toBe(0);
  expect(run.stdout, `no XSLT output for ${url} (has Chromium dropped XSLT?)`).toContain('This is a web feed');
  return parse(run.stdout);
}

/** The page shows everything the feed says, item by item, and nothing as markup that the feed holds as text. */
function expectPageShowsFeed(page: DefaultTreeAdapterTypes.Document, feed: ExpectedFeed): void {
  expect(attr(elements(page, 'html')[0], 'lang')).toBe(feed.lang);
  expect(elements(page, 'h1').map(textOf)).toEqual([feed.title]);
  const body = textOf(elements(page, 'body')[0] as Element);
  expect(body).toContain('This is a web feed');
  expect(body).toMatch(/copy the address below into your feed reader, such as NetNewsWire, Feedly, Miniflux or newsboat/);
  const input = elements(page, 'input').find((e) => attr(e, 'id') === 'feed-url');
  expect(attr(input, 'value')).toBe(feed.self);
  expect(elements(page, 'script')).toHaveLength(1); // the Copy button's; nothing from the feed
  const articles = elements(page, 'article');
  expect(articles.map((a) => textOf(elements(a, 'h3')[0] as Element))).toEqual(feed.items.map((i) => i.title));
  expect(feed.items.length).toBeGreaterThan(0);
  feed.items.forEach((item, n) => {
    const article = articles[n] as Element;
    expect(attr(elements(article, 'a')[0], 'href')).toBe(item.link);
    expect(elements(article, 'time').map(textOf)).toEqual([expect.stringMatching(/^\d{1,2} [A-Z][a-z]{2} \d{4}$/)]);
    const img = elements(article, 'img')[0];
    expect(attr(img, 'src')).toBe(item.image);
    if (img !== undefined) expect(attr(img, 'alt')).toBe(item.title);
    expect(byClass(article, 'ul', 'tags').flatMap((ul) => elements(ul, 'li').map(textOf))).toEqual(item.categories);
    expect(byClass(article, 'p', 'summary').map(textOf)).toEqual(item.summary === '' ? [] : [item.summary]);
  });
}

describe.skipIf(!HAS_CHROMIUM)('browser view (feed.xsl in headless Chromium)', () => {
  const scratch = mkdtempSync(path.join(tmpdir(), 'feedwright-browser-'));
  const outDir = path.join(scratch, 'site');
  let server: { url: string; close: () => Promise<void> };

  beforeAll(async () => {
    mkdirSync(outDir);
    server = await serveDir(outDir);
    // The site's own URL is the local server, so its images (copied beside the feeds) load in the screenshot.
    await publish({ contentDir: path.join(ROOT, 'content'), now: NOW, outDir, overrides: { url: server.url } });
    cpSync(path.join(ROOT, 'content', 'assets'), path.join(outDir, 'assets'), { recursive: true });
  });
  afterAll(async () => {
    killRunningChromium();
    await server?.close();
    rmSync(scratch, { recursive: true, force: true });
  });

  it.each(['rss.xml', 'atom.xml', 'categories/news/rss.xml', 'categories/news/atom.xml'])('renders %s with every item', async (file) => {
    const feed = readFeed(path.join(outDir, file));
    expect(feed.self).toBe(`${server.url}/${file}`);
    expectPageShowsFeed(await dumpDom(`${server.url}/${file}`), feed);
  }, 45_000);

  it('shows markup in titles, categories and summaries as text, never as elements', async () => {
    const site = makeSite({
      '_config.yml': `title: "Hostile <script>alert('t')</script> & Co"\nurl: https://hostile.example\ntimezone: UTC\nlang: fr\nauthor: Desk\nfeed:\n  categories: true\n`,
      '_posts/2026-03-01-x.md': `---\ntitle: 'A <b>bold</b> & <img src=x onerror=alert(1)> title'\ndate: 2026-03-01 10:00:00\ncategories: ['R&D <i>x</i>']\nexcerpt: '3 &lt; 4 &amp;&amp; 5 &gt; 2 &quot;q&quot; &amp;lt;em&amp;gt; <img src=x onerror=alert(1)>'\n---\n\nBody.\n`,
    });
    const hostileOut = path.join(scratch, 'hostile');
    await publish({ contentDir: site, now: NOW, outDir: hostileOut });
    const hostile = await serveDir(hostileOut);
    try {
      for (const file of ['rss.xml', 'atom.xml']) {
        const feed = readFeed(path.join(hostileOut, file));
        expect(feed.items[0]?.summary).toBe('3 < 4 && 5 > 2 "q" &lt;em&gt;');
        const page = await dumpDom(`${hostile.url}/${file}`);
        expectPageShowsFeed(page, feed);
        expect(textOf(elements(page, 'h1')[0] as Element)).toBe("Hostile <script>alert('t')</script> & Co");
        for (const tag of ['b', 'i', 'em']) expect(elements(page, tag), tag).toEqual([]);
        expect(elements(page, 'img')).toEqual([]);
      }
    } finally {
      await hostile.close();
      rmSync(site, { recursive: true, force: true });
    }
  }, 90_000);

  it('takes a screenshot of rss.xml (test/artifacts/browser-rss.png)', async () => {
    mkdirSync(ARTIFACTS, { recursive: true });
    const png = path.join(ARTIFACTS, 'browser-rss.png');
    rmSync(png, { force: true });
    const run = await runChromium([`--screenshot=${png}`, '--window-size=1200,1600', `${server.url}/rss.xml`]);
    expect(run.code, run.stderr.slice(-2000)).toBe(0);
    const bytes = readFileSync(png);
    expect(bytes.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
    expect(bytes.length).toBeGreaterThan(20 * 1024);
  }, 45_000);

  it.skipIf(!HAS_XMLLINT)('every feed stays well-formed XML with the stylesheet PI, and so does feed.xsl', () => {
    const files: string[] = [];
    const walk = (dir: string): void => {
      for (const entry of readdirSync(dir, { withFileTypes: true })) {
        const full = path.join(dir, entry.name);
        if (entry.isDirectory()) walk(full);
        else if (/\.(xml|xsl)$/.test(entry.name)) files.push(full);
      }
    };
    walk(outDir);
    expect(files.length).toBeGreaterThan(10);
    for (const file of files.filter((f) => f.endsWith('.xml'))) {
      const depth = path.relative(outDir, path.dirname(file)).split(path.sep).filter(Boolean).length;
      expect(readFileSync(file, 'utf8').split('\n')[1]).toBe(`<?xml-stylesheet type="text/xsl" href="${'../'.repeat(depth)}feed.xsl"?>`);
    }
    const lint = spawnSync('xmllint', ['--noout', ...files], { encoding: 'utf8', timeout: 60_000, killSignal: 'SIGKILL' });
    expect(lint.stderr).toBe('');
    expect(lint.status).toBe(0);
  });
});
