/**
 * Property tests: the sanitizer against generated hostile HTML and Markdown (checked with parse5, a parser
 * independent of sanitize-html's htmlparser2), and the three serializers against posts with hostile text
 * (checked for well-formedness, forbidden characters, the JSON Feed schema and agreement between formats).
 *
 * Runs: 1,000 per property locally; 10,000 under CI=true; PROPERTY_RUNS=n for n. The seed is fixed
 * (PROPERTY_SEED to change it), so a failure reproduces with the command printed in its message.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { parseFragment, serialize, type DefaultTreeAdapterTypes } from 'parse5';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { stringify } from 'yaml';
import { parseConfig, type SiteConfig } from '../src/config.js';
import { serializeAtom, serializeJsonFeed, serializeRss } from '../src/index.js';
import type { SourceFile } from '../src/parse/to-post.js';
import { toPost } from '../src/parse/to-post.js';
import { renderMarkdown } from '../src/render/markdown.js';
import { renderParts } from '../src/render/parts.js';
import { ALLOWED_ATTRIBUTES, ALLOWED_CLASSES, ALLOWED_RELS, ALLOWED_ROLES, ALLOWED_TAGS, ID_PATTERN, IFRAME_SANDBOX, renderContent } from '../src/render/sanitize.js';
import { toFeedEntry } from '../src/select/entries.js';
import type { AbsoluteUrl, Feed, FeedEntry } from '../src/types.js';
import { GENERATOR } from '../src/version.js';
import { checkJsonFeedSchema, decodeXmlText, XML_DECLARATION } from './support/conformance.js';
import { DANGEROUS_TAGS, hostileLiteralText, hostileText, markdownDocument, pageUrl } from './support/arbitraries.js';
import { requireTool } from './support/tools.js';

const RUNS = process.env['PROPERTY_RUNS'] !== undefined ? Number(process.env['PROPERTY_RUNS']) : process.env['CI'] === 'true' ? 10_000 : 1_000;
const SEED = process.env['PROPERTY_SEED'] !== undefined ? Number(process.env['PROPERTY_SEED']) : 20_260_102;
const TIMEOUT = 300_000;

/** JSON with every code unit outside printable ASCII escaped, so invisible characters show in messages. */
function show(value: unknown): string {
  return (JSON.stringify(value) ?? 'undefined').replace(/[^\x20-\x7e]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** Declares a test that runs `property` with the fixed seed and, on failure, says how to reproduce it. */
function itHolds<Ts extends [unknown, ...unknown[]]>(name: string, property: () => fc.IProperty<Ts>): void {
  it(
    name,
    () => {
      const path = process.env['PROPERTY_PATH'];
      try {
        fc.assert(property(), { numRuns: RUNS, seed: SEED, ...(path === undefined ? {} : { path }) });
      } catch (error) {
        const pattern = name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
        (error as Error).message += `\n\nReproduce with: PROPERTY_SEED=${SEED} PROPERTY_RUNS=${RUNS} npx vitest run test/property.test.ts -t '${pattern}'\n(prefix PROPERTY_PATH=<path above> to replay only the shrunk counterexample)`;
        throw error;
      }
    },
    TIMEOUT,
  );
}

// ---------------------------------------------------------------------------------------------------------
// 1. Sanitizer

type Element = DefaultTreeAdapterTypes.Element;
type ParentNode = DefaultTreeAdapterTypes.ParentNode;

const ALLOWED = new Set(ALLOWED_TAGS);
const URL_SCHEMES = new Set(['http', 'https', 'mailto', 'tel', 'ftp']);
const IMAGE_SCHEMES = new Set(['http', 'https']);

/** The scheme a browser reads: WHATWG URL strips leading/trailing C0 controls and spaces, then tab/LF/CR. */
function schemeOf(value: string): string | undefined {
  const cleaned = value.replace(/^[\u0000-\u0020]+|[\u0000-\u0020]+$/g, '').replace(/[\t\n\r]/g, '');
  return /^([A-Za-z][A-Za-z0-9+.-]*):/.exec(cleaned)?.[1]?.toLowerCase();
}

/** The candidate URLs of a `srcset`, by the HTML Standard's parsing algorithm (§4.8.4.3.10). */
function srcsetUrls(srcset: string): string[] {
  const urls: string[] = [];
  const space = /[\t\n\f\r ]/;
  let i = 0;
  for (;;) {
    while (i < srcset.length && (space.test(srcset.charAt(i)) || srcset.charAt(i) === ',')) i++;
    if (i >= srcset.length) return urls;
    let j = i;
    while (j < srcset.length && !space.test(srcset.charAt(j))) j++;
    let url = srcset.slice(i, j);
    i = j;
    if (/,$/.test(url)) url = url.replace(/,+$/, '');
    else {
      let inParens = false;
      while (i < srcset.length) {
        const c = srcset.charAt(i++);
        if (c === '(') inParens = true;
        else if (c === ')') inParens = false;
        else if (c === ',' && !inParens) break;
      }
    }
    urls.push(url);
  }
}

function urlProblem(value: string, schemes: ReadonlySet<string>, where: string): string | undefined {
  const scheme = schemeOf(value);
  if (scheme === undefined || !schemes.has(scheme)) return `${where}: scheme ${String(scheme)} not allowed: ${show(value)}`;
  if (!URL.canParse(value)) return `${where}: not an absolute URL: ${show(value)}`;
  return undefined;
}

/** True when `token` is one of `allowed` (where `language-*` stands for any token starting with `language-`). */
function classAllowed(token: string, allowed: readonly string[]): boolean {
  return allowed.some((a) => (a.endsWith('*') ? token.startsWith(a.slice(0, -1)) : token === a));
}

/**
 * Every problem a reader would have with sanitized HTML, as parse5 (not htmlparser2) reads it; `iframeHosts`
 * are the hosts the sanitizer was told to keep iframes of.
 */
function sanitizedHtmlProblems(html: string, iframeHosts: readonly string[] = []): string[] {
  const problems: string[] = [];
  const context = parseFragment('<div></div>').childNodes[0] as Element;
  const walk = (parent: ParentNode): void => {
    for (const node of parent.childNodes) {
      if (!('tagName' in node)) continue;
      const tag = node.tagName;
      // An iframe is dangerous unless the sanitizer was given its host (checked below).
      if (DANGEROUS_TAGS.includes(tag) && !(tag === 'iframe' && iframeHosts.length > 0)) problems.push(`dangerous element <${tag}>`);
      else if (!ALLOWED.has(tag)) problems.push(`element <${tag}> not in ALLOWED_TAGS`);
      const allowedAttributes = new Set([...(ALLOWED_ATTRIBUTES['*'] ?? []), ...(ALLOWED_ATTRIBUTES[tag] ?? [])]);
      for (const { name, value } of node.attrs) {
        const where = `<${tag} ${name}>`;
        if (/^on/i.test(name)) problems.push(`${where}: event handler attribute`);
        if (name === 'style') problems.push(`${where}: style attribute`);
        if (!allowedAttributes.has(name)) problems.push(`${where}: attribute not allowed on <${tag}>`);
        if (name === 'class' && !value.split(/\s+/).every((c) => c === '' || classAllowed(c, ALLOWED_CLASSES[tag] ?? []))) problems.push(`${where}: class not allowed: ${show(value)}`);
        if (name === 'id' && !ID_PATTERN.test(value)) problems.push(`${where}: id not of the safe pattern: ${show(value)}`);
        if (name === 'role' && !value.split(/\s+/).every((r) => ALLOWED_ROLES.includes(r))) problems.push(`${where}: role not allowed: ${show(value)}`);
        if (name === 'rel' && !value.split(/\s+/).every((r) => ALLOWED_RELS.includes(r))) problems.push(`${where}: rel not allowed: ${show(value)}`);
        if (name === 'sandbox' && value !== IFRAME_SANDBOX) problems.push(`${where}: not our sandbox: ${show(value)}`);
        if (name === 'href' || name === 'cite') {
          const p = urlProblem(value, URL_SCHEMES, where);
          if (p !== undefined) problems.push(p);
        } else if (name === 'src' || name === 'poster') {
          // Everything with a src (images, media, frames) is fetched by the reader: http(s) only.
          const p = urlProblem(value, IMAGE_SCHEMES, where);
          if (p !== undefined) problems.push(p);
        } else if (name === 'srcset') {
          for (const url of srcsetUrls(value)) {
            const p = urlProblem(url, IMAGE_SCHEMES, `${where} candidate`);
            if (p !== undefined) problems.push(p);
          }
        }
      }
      if (tag === 'iframe') {
        const src = node.attrs.find((a) => a.name === 'src')?.value;
        if (src === undefined || !URL.canParse(src) || !iframeHosts.includes(new URL(src).host)) problems.push(`<iframe> of a host not listed: ${show(src)}`);
        if (!node.attrs.some((a) => a.name === 'sandbox')) problems.push('<iframe> without a sandbox');
      }
      walk(node);
      if ('content' in node) walk((node as DefaultTreeAdapterTypes.Template).content);
    }
  };
  walk(parseFragment(context, html, {}));
  return problems;
}

describe('property: sanitizer', () => {
  // sanitize-html's srcset parser (parse-srcset) console.logs every invalid descriptor; keep the report readable.
  beforeAll(() => {
    vi.spyOn(console, 'log').mockImplementation(() => undefined);
  });
  afterAll(() => {
    vi.restoreAllMocks();
  });

  it('the checks flag what a sanitizer must not let through (so the property is not vacuous)', () => {
    const bad = [
      '<script>alert(1)</script>', '<svg></svg>', '<font>x</font>', '<p onclick="x()">x</p>', '<p style="color:red">x</p>',
      '<p id="x">x</p>', '<code class="evil">x</code>', '<a href="java&#x09;script:alert(1)">x</a>', '<a href=" JAVASCRIPT:alert(1)">x</a>',
      '<a href="/relative">x</a>', '<a href="https://exa mple.org/">x</a>', '<img src="data:image/png;base64,AAAA">',
      '<img src="mailto:a@b.example">', '<img srcset="https://a.example/x.png 1x, javascript:alert(1) 2x">',
      '<img srcset="x.png">', '<blockquote cite="vbscript:x">x</blockquote>', '<template><p onclick="x()"></p></template>',
      '<a class="footnote evil" href="https://a.example/">x</a>', '<h2 id="a b">x</h2>', '<sup role="button">1</sup>', '<a rel="opener" href="https://a.example/">x</a>',
      '<video poster="javascript:alert(1)"></video>', '<iframe src="https://a.example/" sandbox="allow-scripts allow-same-origin allow-popups allow-popups-to-escape-sandbox"></iframe>',
      `<iframe src="https://v.example/"></iframe>`, `<iframe src="https://v.example/" sandbox="allow-scripts allow-top-navigation"></iframe>`,
    ];
    for (const html of bad) expect(sanitizedHtmlProblems(html, ['v.example']), html).not.toEqual([]);
    const good = '<p><a href="https://a.example/x?y#z">a</a> <a href="mailto:a@b.example">m</a><img src="https://a.example/i.png" srcset="https://a.example/i.png 1x, https://a.example/j.png (a, b) 2x" alt=""></p><pre><code class="language-js">x</code></pre>';
    expect(sanitizedHtmlProblems(good)).toEqual([]);
    const media = `<h2 id="fn:1">x</h2><a class="footnote" rel="footnote" href="https://a.example/#fn:1">1</a><video src="https://a.example/v.mp4" poster="https://a.example/p.jpg" controls=""><track src="https://a.example/s.vtt"></video><iframe src="https://v.example/e" sandbox="${IFRAME_SANDBOX}"></iframe>`;
    expect(sanitizedHtmlProblems(media, ['v.example'])).toEqual([]);
  });

  itHolds('sanitized hostile Markdown, HTML and XSS vectors keep only allowed elements, attributes and URL schemes', () =>
    fc.property(markdownDocument(6), pageUrl, (source, page) => {
      const html = renderContent(renderMarkdown(source), page as AbsoluteUrl);
      const problems = sanitizedHtmlProblems(html);
      if (problems.length > 0) throw new Error(`${problems.join('\n')}\n--- output: ${show(html)}`);
    }),
  );

  // The hosts the generated URLs use, so that kept iframes occur; their URLs and sandbox are checked as above.
  const IFRAME_HOSTS = ['xss.example', 'example.org', 'cdn.example.net', 'h.example'];
  itHolds('with iframe hosts listed, only their iframes are kept, each in our sandbox', () =>
    fc.property(markdownDocument(6), pageUrl, (source, page) => {
      const html = renderContent(renderMarkdown(source), page as AbsoluteUrl, { iframeHosts: IFRAME_HOSTS });
      const problems = sanitizedHtmlProblems(html, IFRAME_HOSTS);
      if (problems.length > 0) throw new Error(`${problems.join('\n')}\n--- output: ${show(html)}`);
    }),
  );

  // HTML §13.3: a parser reading the output builds the tree it was serialized from. The Standard's serializer
  // does not write back the newline a parser drops after <pre>, so the sanitizer doubles it; allow for that.
  itHolds('sanitized output is what parse5 writes after re-parsing it (voids without end tags, nesting as parsed)', () =>
    fc.property(markdownDocument(6), pageUrl, (source, page) => {
      const html: string = renderContent(renderMarkdown(source), page as AbsoluteUrl, { iframeHosts: IFRAME_HOSTS });
      const again = serialize(parseFragment(html));
      const expected = html.replace(/(<(?:pre|listing|textarea)\b[^>]*>)\n/g, '$1');
      if (again !== expected) throw new Error(`re-parsed output differs\n--- output:   ${show(html)}\n--- re-parsed: ${show(again)}`);
    }),
  );
});

// ---------------------------------------------------------------------------------------------------------
// 2. Serializers

const CONFIG: SiteConfig = (() => {
  const { config } = parseConfig('title: T\nurl: https://site.example\n', '_config.yml');
  if (config === undefined) throw new Error('test config does not parse');
  return config;
})();
const FALLBACK_AUTHOR = { name: 'Desk' } as const;

// XML 1.0 §2.2 Char, written independently of src/serialize/xml.ts.
const XML_NOT_CHAR = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/u;
const isXmlChar = (cp: number): boolean => cp === 0x9 || cp === 0xa || cp === 0xd || (cp >= 0x20 && cp <= 0xd7ff) || (cp >= 0xe000 && cp <= 0xfffd) || (cp >= 0x10000 && cp <= 0x10ffff);

/** What a reader should show for plain text: XML-forbidden characters dropped, whitespace runs collapsed. */
function expectedText(text: string): string {
  return text.replace(new RegExp(XML_NOT_CHAR.source, 'gu'), '').replace(/\s+/g, ' ').trim();
}

/**
 * Titles are smartified as jekyll-feed does (kramdown's SmartyPants: quotes, dashes, ellipses, guillemets;
 * checked against real kramdown in test/render/markdown.test.ts). To check that no text is lost or garbled,
 * both sides are folded back to ASCII typography before comparing.
 */
function foldTypography(text: string): string {
  return text.replace(/[\u201C\u201D\u201E]/g, '"').replace(/[\u2018\u2019\u201A]/g, "'").replace(/\u2014/g, '---').replace(/\u2013/g, '--').replace(/\u2026/g, '...').replace(/\u00AB\u00A0?/g, '<<').replace(/\u00A0?\u00BB/g, '>>').replace(/\s+/g, ' ').trim();
}

/** One generated post: its front matter values (as the YAML will carry them) and body. */
interface PostInput {
  readonly title: string;
  /** Titles made by `hostileLiteralText` must come back verbatim (modulo expectedText). */
  readonly literalTitle: boolean;
  readonly excerpt?: string;
  readonly categories: readonly string[];
  readonly tags: readonly string[];
  readonly author: string | { readonly name: string; readonly email?: string; readonly uri?: string } | undefined;
  readonly body: string;
  /** Append bytes that are not UTF-8 (the post must be reported, not crash). */
  readonly badBytes: boolean;
}

const titleArb: fc.Arbitrary<{ title: string; literalTitle: boolean }> = fc.oneof(
  { weight: 3, arbitrary: hostileLiteralText.map((title) => ({ title, literalTitle: true })) },
  { weight: 1, arbitrary: hostileText.map((title) => ({ title, literalTitle: false })) },
);

function postArb(authorArb: fc.Arbitrary<PostInput['author']>, bodyArb: fc.Arbitrary<string>): fc.Arbitrary<PostInput> {
  return fc.record({
    t: titleArb,
    excerpt: fc.option(fc.oneof(hostileLiteralText, hostileText), { nil: undefined }),
    categories: fc.array(hostileText, { maxLength: 3 }),
    tags: fc.array(hostileText, { maxLength: 3 }),
    author: authorArb,
    body: bodyArb,
    badBytes: fc.boolean().chain((b) => (b ? fc.boolean() : fc.constant(false))).chain((b) => (b ? fc.boolean() : fc.constant(false))),
  }).map(({ t, excerpt, ...rest }) => ({ ...t, ...(excerpt === undefined ? {} : { excerpt }), ...rest }));
}

const authorNameArb: fc.Arbitrary<PostInput['author']> = fc.option(hostileText, { nil: undefined });
const authorMappingArb: fc.Arbitrary<PostInput['author']> = fc.record(
  {
    name: hostileText,
    email: fc.oneof(fc.constantFrom('jane@example.org', 'a+b@example.org', 'jane doe@example.org', 'x@y?subject=hi', '<jane@example.org>', '%', 'j\u00e9@ex.example'), hostileText),
    uri: fc.oneof(fc.constantFrom('https://jane.example/', 'https://jane.example/a b', 'javascript:alert(1)', 'mailto:j@x.example', '/relative', 'https://ex.example/\u00e9'), hostileText),
  },
  { requiredKeys: ['name'] },
);

/** The post file: YAML front matter written by the `yaml` package in double-quoted (JSON-escaped) style. */
function toSourceFile(input: PostInput, index: number): SourceFile {
  const data: Record<string, unknown> = { title: input.title, categories: input.categories, tags: input.tags };
  if (input.excerpt !== undefined) data['excerpt'] = input.excerpt;
  if (input.author !== undefined) data['author'] = input.author;
  // doubleQuotedAsJSON: yaml 2.x folds other double-quoted output lossily ("a\n \nb" comes back changed).
  const yaml = stringify(data, { version: '1.1', defaultStringType: 'QUOTE_DOUBLE', defaultKeyType: 'PLAIN', doubleQuotedAsJSON: true, lineWidth: 0 });
  // libyaml (so Jekyll) reads a raw NEL (U+0085) as a line break even inside quotes and refuses raw DEL,
  // C1 controls, U+FFFE and U+FFFF; written as escapes they are the characters the model holds. Every
  // string here is double-quoted, so the escapes are valid.
  const escaped = yaml.replace(/[\u007f-\u009f\ufffe\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
  const text = new TextEncoder().encode(`---\n${escaped}---\n${input.body}\n`);
  const bytes = input.badBytes ? new Uint8Array([...text, 0xc3, 0x28, 0xff]) : text;
  const day = String(index + 1).padStart(2, '0');
  return { relPath: `_posts/2026-01-${day}-x.md`, displayPath: `content/_posts/2026-01-${day}-x.md`, bytes };
}

/** A feed of the generated posts that parse, assembled as build.ts does. */
function toFeed(entries: readonly FeedEntry[], categoryFeed: boolean): Feed {
  const sorted = [...entries].sort((a, b) => b.published.getTime() - a.published.getTime() || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const newest = sorted.reduce<Date | undefined>((max, e) => (max === undefined || e.updated > max ? e.updated : max), undefined);
  const category = categoryFeed ? sorted[0]?.categories[0] : undefined;
  const dir = category === undefined ? '' : `categories/${encodeURIComponent(category.replace(/[\uD800-\uDFFF]/g, ''))}`;
  const base = `${CONFIG.url}${CONFIG.baseurl}/${dir === '' ? '' : `${dir}/`}`;
  const self = (file: string): AbsoluteUrl => new URL(file, base).href as AbsoluteUrl;
  return {
    kind: category === undefined ? 'site' : 'category',
    dir,
    title: category === undefined ? CONFIG.title : `${CONFIG.title} | ${category}`,
    homePageUrl: `${CONFIG.url}${CONFIG.baseurl}/` as AbsoluteUrl,
    selfUrls: { rss: self('rss.xml'), atom: self('atom.xml'), json: self('feed.json') },
    id: self('atom.xml'),
    ...(newest === undefined ? {} : { updated: newest }),
    generator: GENERATOR,
    // A hub and a stylesheet, so their markup is checked too.
    hubs: ['https://hub.example/' as AbsoluteUrl],
    stylesheet: dir === '' ? 'feed.xsl' : '../../feed.xsl',
    entries: sorted,
  };
}

interface Built {
  readonly feed: Feed;
  readonly inputs: ReadonlyMap<string, PostInput>;
  readonly rss: string;
  readonly atom: string;
  readonly json: string;
}

/** The pure pipeline: bytes → toPost → toFeedEntry → Feed → the three serializations. */
function buildFeed(inputs: readonly PostInput[], categoryFeed: boolean): Built {
  const entries: FeedEntry[] = [];
  const byId = new Map<string, PostInput>();
  inputs.forEach((input, index) => {
    const { post, diagnostics } = toPost(toSourceFile(input, index), { config: CONFIG, authors: new Map() });
    if (post === undefined) {
      // A post may be legitimately invalid; then it must say why.
      if (!diagnostics.some((d) => d.severity === 'error' || d.code === 'POST_SKIPPED')) throw new Error(`toPost returned no post and no error: ${show(diagnostics)}`);
      return;
    }
    if (input.badBytes) throw new Error('a file with invalid UTF-8 was accepted');
    entries.push(toFeedEntry(post, undefined, { excerptOnly: false, fallbackAuthor: FALLBACK_AUTHOR }, renderParts({ url: post.url, ...(post.summary === undefined ? {} : { summary: post.summary }), body: post.body ?? '', markdown: post.markdown }, { excerptOnly: false })));
    byId.set(post.id, input);
  });
  const feed = toFeed(entries, categoryFeed);
  return { feed, inputs: byId, rss: serializeRss(feed), atom: serializeAtom(feed), json: serializeJsonFeed(feed) };
}

const xmlParser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@_',
  processEntities: false,
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: false,
  isArray: (name) => ['item', 'entry', 'category', 'dc:creator', 'author'].includes(name),
});

/** Text content as an XML processor reports it (fast-xml-parser keeps references raw; we decode them). */
function xmlText(node: unknown): string {
  if (node === undefined) return '';
  if (typeof node === 'string') return decodeXmlText(node);
  const text = (node as Record<string, unknown>)['#text'];
  return typeof text === 'string' ? decodeXmlText(text) : '';
}

/** Attribute value as an XML processor reports it: XML 1.0 §3.3.3 normalizes literal tab/LF/CR to spaces. */
function xmlAttribute(node: unknown, name: string): string {
  const raw = (node as Record<string, unknown>)[`@_${name}`];
  return typeof raw === 'string' ? decodeXmlText(raw.replace(/\r\n|[\t\n\r]/g, ' ')) : '';
}

/** Plain text an RSS/Atom reader shows for an HTML summary written by plainTextToHtml. */
function htmlEscapedText(html: string): string {
  return html.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
}

function xmlProblems(xml: string, label: string): string[] {
  const problems: string[] = [];
  if (!xml.startsWith(`${XML_DECLARATION}\n`)) problems.push(`${label}: does not start with the XML declaration`);
  const valid = XMLValidator.validate(xml);
  if (valid !== true) problems.push(`${label}: not well-formed: ${show(valid.err)}`);
  const bad = XML_NOT_CHAR.exec(xml);
  if (bad !== null) problems.push(`${label}: contains U+${(bad[0].codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, '0')}, which XML 1.0 forbids, at ${bad.index}`);
  for (const m of xml.matchAll(/&#(x[0-9A-Fa-f]+|[0-9]+);/g)) {
    const ref = m[1] ?? '';
    const cp = ref.startsWith('x') ? parseInt(ref.slice(1), 16) : parseInt(ref, 10);
    if (!isXmlChar(cp)) problems.push(`${label}: character reference ${m[0]} to a character XML 1.0 forbids`);
  }
  return problems;
}

interface View {
  readonly title: string;
  readonly items: ReadonlyArray<{ readonly title: string; readonly categories: readonly string[]; readonly authors: readonly string[]; readonly description: string | undefined; readonly content: string | undefined }>;
}

function rssView(xml: string): View {
  const channel = (xmlParser.parse(xml) as { rss: { channel: Record<string, unknown> } }).rss.channel;
  const items = (channel['item'] as Array<Record<string, unknown>> | undefined) ?? [];
  return {
    title: xmlText(channel['title']),
    items: items.map((item) => ({
      title: xmlText(item['title']),
      categories: ((item['category'] as unknown[] | undefined) ?? []).map(xmlText),
      authors: ((item['dc:creator'] as unknown[] | undefined) ?? []).map(xmlText),
      description: item['description'] === undefined ? undefined : htmlEscapedText(xmlText(item['description'])),
      content: item['content:encoded'] === undefined ? undefined : xmlText(item['content:encoded']),
    })),
  };
}

function atomView(xml: string): View {
  const feed = (xmlParser.parse(xml) as { feed: Record<string, unknown> }).feed;
  const entries = (feed['entry'] as Array<Record<string, unknown>> | undefined) ?? [];
  return {
    title: xmlText(feed['title']),
    items: entries.map((entry) => ({
      title: xmlText(entry['title']),
      categories: ((entry['category'] as unknown[] | undefined) ?? []).map((c) => xmlAttribute(c, 'term')),
      authors: ((entry['author'] as Array<Record<string, unknown>> | undefined) ?? []).map((a) => xmlText(a['name'])),
      // An entry with content and no summary has no <summary>; its description is its title, as in the others.
      description: entry['summary'] === undefined ? xmlText(entry['title']) : htmlEscapedText(xmlText(entry['summary'])),
      content: entry['content'] === undefined ? undefined : xmlText(entry['content']),
    })),
  };
}

function jsonView(json: Record<string, unknown>): View {
  const items = (json['items'] as Array<Record<string, unknown>> | undefined) ?? [];
  return {
    title: String(json['title']),
    items: items.map((item) => ({
      title: String(item['title']),
      categories: (item['tags'] as string[] | undefined) ?? [],
      authors: ((item['authors'] as Array<{ name: string }> | undefined) ?? []).map((a) => a.name),
      description: (item['summary'] as string | undefined) ?? String(item['title']),
      content: item['content_html'] as string | undefined,
    })),
  };
}

/** Everything wrong with one built trio. */
function trioProblems(built: Built): string[] {
  const problems = [...xmlProblems(built.rss, 'rss.xml'), ...xmlProblems(built.atom, 'atom.xml')];
  let parsed: Record<string, unknown>;
  try {
    parsed = JSON.parse(built.json) as Record<string, unknown>;
  } catch (error) {
    return [...problems, `feed.json: not JSON: ${(error as Error).message}`];
  }
  problems.push(...checkJsonFeedSchema(parsed));
  if (problems.length > 0) return problems;

  const json = jsonView(parsed);
  const views = { rss: rssView(built.rss), atom: atomView(built.atom), json };
  const same = (what: string, pick: (v: View) => unknown): void => {
    const shown = Object.entries(views).map(([format, v]) => [format, show(pick(v))] as const);
    if (new Set(shown.map(([, s]) => s)).size > 1) problems.push(`${what} differs: ${shown.map(([f, s]) => `${f} ${s}`).join(', ')}`);
  };
  same('feed title', (v) => v.title);
  same('item count', (v) => v.items.length);
  same('item titles', (v) => v.items.map((i) => i.title));
  same('item categories', (v) => v.items.map((i) => i.categories));
  same('item authors', (v) => v.items.map((i) => i.authors));
  // Every item's description is its summary, else its title (src/serialize/writer.ts describeEntry).
  same('item descriptions', (v) => v.items.map((i) => i.description));
  same('item content HTML', (v) => v.items.map((i) => i.content));

  // Every text field of the JSON carries no character XML forbids (the model dropped them for all formats).
  const strings: string[] = [];
  JSON.parse(built.json, (_key, value: unknown) => {
    if (typeof value === 'string') strings.push(value);
    return value;
  });
  for (const text of strings.filter((t) => XML_NOT_CHAR.test(t))) {
    problems.push(`feed.json carries a character XML 1.0 forbids (so it cannot agree with the XML formats): ${show(text)}`);
  }

  const items = (parsed['items'] as Array<Record<string, unknown>> | undefined) ?? [];
  for (const item of items) {
    const input = built.inputs.get(String(item['id']));
    if (input === undefined) {
      problems.push(`item ${String(item['id'])} is not one of the generated posts`);
      continue;
    }
    if (input.literalTitle && expectedText(input.title) !== '' && foldTypography(String(item['title'])) !== foldTypography(expectedText(input.title))) {
      problems.push(`title not recovered: wrote ${show(input.title)}, expected ${show(expectedText(input.title))}, got ${show(item['title'])}`);
    }
    const expectedCategories = [...new Set([...input.categories, ...input.tags].map(expectedText).filter((c) => c !== ''))];
    if (JSON.stringify(item['tags'] ?? []) !== JSON.stringify(expectedCategories)) {
      problems.push(`categories not recovered: wrote ${show([...input.categories, ...input.tags])}, expected ${show(expectedCategories)}, got ${show(item['tags'])}`);
    }
  }
  return problems;
}

const feedArb = (authorArb: fc.Arbitrary<PostInput['author']>, bodyArb: fc.Arbitrary<string>): fc.Arbitrary<{ posts: PostInput[]; categoryFeed: boolean }> =>
  fc.record({ posts: fc.array(postArb(authorArb, bodyArb), { minLength: 1, maxLength: 2 }), categoryFeed: fc.boolean() });

// Bodies stay small here (the sanitizer property covers them at length) so 10,000 runs fit in the budget.
const bodyArb = fc.oneof(markdownDocument(1), hostileText);

function showInput(posts: readonly PostInput[]): string {
  return posts.map((p, k) => `--- post ${k + 1} source (as a JSON string):\n${show(new TextDecoder().decode(toSourceFile(p, k).bytes))}`).join('\n');
}

describe('property: serializers', () => {
  const holds = ({ posts, categoryFeed }: { posts: PostInput[]; categoryFeed: boolean }): void => {
    const problems = trioProblems(buildFeed(posts, categoryFeed));
    if (problems.length > 0) throw new Error(`${problems.join('\n')}\n${showInput(posts)}`);
  };

  itHolds('hostile titles, excerpts, categories, tags and author names give well-formed, agreeing RSS, Atom and JSON Feed', () =>
    fc.property(feedArb(authorNameArb, bodyArb), holds),
  );

  itHolds('hostile author mappings (name, email, uri) give well-formed, agreeing RSS, Atom and JSON Feed', () =>
    fc.property(feedArb(authorMappingArb, hostileText), holds),
  );
});

// ---------------------------------------------------------------------------------------------------------
// 3. An independent XML parser over a sample

describe.skipIf(!requireTool('xmllint'))('property: xmllint', () => {
  it(
    'xmllint finds every sampled RSS and Atom file well-formed',
    () => {
      const samples = fc.sample(feedArb(fc.oneof(authorNameArb, authorMappingArb), bodyArb), { numRuns: 200, seed: SEED });
      const dir = mkdtempSync(join(tmpdir(), 'feedwright-property-'));
      try {
        const files: string[] = [];
        samples.forEach(({ posts, categoryFeed }, k) => {
          const built = buildFeed(posts, categoryFeed);
          for (const [name, text] of [['rss', built.rss], ['atom', built.atom]] as const) {
            const file = join(dir, `${String(k).padStart(3, '0')}-${name}.xml`);
            writeFileSync(file, text);
            files.push(file);
          }
        });
        const run = spawnSync('xmllint', ['--noout', '--nonet', ...files], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
        expect(run.error).toBeUndefined();
        expect({ status: run.status, output: `${run.stdout}${run.stderr}`.trim() }, `reproduce: PROPERTY_SEED=${SEED} npx vitest run test/property.test.ts -t xmllint`).toEqual({ status: 0, output: '' });
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
    TIMEOUT,
  );
});
