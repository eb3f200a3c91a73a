/**
 * Conformance checks for feed files: RSS 2.0, Atom 1.0 (RFC 4287) and JSON Feed 1.1, alone and as a trio.
 * Every check returns the list of problems it found (empty when the input conforms), so a test can show all
 * of them at once with `expect(problems).toEqual([])`.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Ajv, type ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';
import { parseAtomFeed, parseJsonFeed, parseRssFeed, type AtomFeed, type JsonFeed, type RssFeed } from 'feedsmith';
import { hasTool } from './tools.js';

/** Bytes or text of one feed file; pass bytes to also check the encoding. */
export type FeedSource = string | Uint8Array;

/** The three files of one feed. */
export interface Trio {
  readonly rss: FeedSource;
  readonly atom: FeedSource;
  readonly json: FeedSource;
}

/** The file names of a trio, as the writer publishes them. */
export const FEED_FILES = { rss: 'rss.xml', atom: 'atom.xml', json: 'feed.json' } as const;

/** The exact first bytes of every XML file we write (DESIGN.md, Output). */
export const XML_DECLARATION = '<?xml version="1.0" encoding="UTF-8"?>';

/** The RFC 4287 Appendix B RELAX NG schema. */
export const ATOM_RNC = fileURLToPath(new URL('../schemas/atom.rnc', import.meta.url));

/** Options shared by the whole-file checks. */
export interface CheckOptions {
  /** Also run xmllint (and jing for Atom) when installed; default true. */
  readonly tools?: boolean;
}

const JSON_FEED_VERSION = 'https://jsonfeed.org/version/1.1';

// ---------------------------------------------------------------------------------------------------------
// Encoding, declaration, external validators

function toText(source: FeedSource): string {
  return typeof source === 'string' ? source : new TextDecoder('utf-8').decode(source);
}

function toBytes(source: FeedSource): Uint8Array {
  return typeof source === 'string' ? new TextEncoder().encode(source) : source;
}

/** Bytes must be UTF-8 without a BOM: the declaration says UTF-8 and must be the very first thing. */
export function checkEncoding(source: FeedSource, label = 'file'): string[] {
  const bytes = toBytes(source);
  const problems: string[] = [];
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) problems.push(`${label}: starts with a UTF-8 BOM`);
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    problems.push(`${label}: is not valid UTF-8`);
  }
  return problems;
}

/** XML files start exactly with `<?xml version="1.0" encoding="UTF-8"?>` (DESIGN.md, Output). */
export function checkXmlDeclaration(source: FeedSource, label = 'xml'): string[] {
  const text = toText(source);
  if (text.startsWith(XML_DECLARATION)) return [];
  return [`${label}: must start with ${XML_DECLARATION}, starts with ${JSON.stringify(text.slice(0, 60))}`];
}

/** Well-formedness by libxml2 (`xmllint --noout`); exit 0 and no output, or the problems. Needs xmllint. */
export function checkWellFormed(source: FeedSource, label = 'xml'): string[] {
  const run = spawnSync('xmllint', ['--noout', '--nonet', '-'], { input: toBytes(source), encoding: 'utf8' });
  if (run.error) return [`${label}: xmllint could not run: ${run.error.message}`];
  const output = `${run.stdout}${run.stderr}`.trim();
  if (run.status === 0 && output === '') return [];
  return [`${label}: xmllint exit ${String(run.status)}: ${output.replace(/^-:/gm, 'line ')}`];
}

/** Lines the Debian jing wrapper prints about optional jars; they say nothing about the document. */
const JING_WRAPPER_NOISE = /^\[warning\] \S*jing: Unable to locate \S+ in \S+$/;

/** RFC 4287 validity by the Appendix B RELAX NG schema (`jing -c`); exit 0 and no output. Needs jing. */
export function checkAtomSchema(source: FeedSource, label = 'atom.xml'): string[] {
  const dir = mkdtempSync(join(tmpdir(), 'feedwright-jing-'));
  try {
    const file = join(dir, 'atom.xml');
    writeFileSync(file, toBytes(source));
    const run = spawnSync('jing', ['-c', ATOM_RNC, file], { encoding: 'utf8' });
    if (run.error) return [`${label}: jing could not run: ${run.error.message}`];
    const output = `${run.stdout}\n${run.stderr}`
      .split('\n')
      .filter((line) => line.trim() !== '' && !JING_WRAPPER_NOISE.test(line))
      .map((line) => line.replace(file, label));
    if (run.status === 0 && output.length === 0) return [];
    return [`${label}: jing exit ${String(run.status)}: ${output.join(' | ')}`];
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

let jsonFeedValidator: ValidateFunction | undefined;

/** The JSON Feed 1.1 schema from npm `jsonfeed-schema`; it declares draft-07, which is Ajv's default class. */
function getJsonFeedValidator(): ValidateFunction {
  if (jsonFeedValidator) return jsonFeedValidator;
  const schemaPath = createRequire(import.meta.url).resolve('jsonfeed-schema/schema-v1.1.json');
  const schema = JSON.parse(readFileSync(schemaPath, 'utf8')) as { $schema?: string };
  if (schema.$schema !== 'http://json-schema.org/draft-07/schema#') {
    throw new Error(`jsonfeed-schema now declares ${String(schema.$schema)}: pick the matching Ajv class`);
  }
  // strictRequired would reject the schema's own `anyOf: [{required: [content_html]}, ...]` idiom.
  const ajv = new Ajv({ allErrors: true, strict: true, strictRequired: false });
  // ajv-formats is CommonJS; its module object is the plugin and also carries it as `default`.
  addFormatsModule.default(ajv);
  jsonFeedValidator = ajv.compile(schema);
  return jsonFeedValidator;
}

/** Validity against the JSON Feed 1.1 JSON Schema (npm `jsonfeed-schema`) with Ajv. */
export function checkJsonFeedSchema(source: FeedSource | object, label = 'feed.json'): string[] {
  let data: unknown = source;
  if (typeof source === 'string' || source instanceof Uint8Array) {
    try {
      data = JSON.parse(toText(source));
    } catch (error) {
      return [`${label}: not JSON: ${(error as Error).message}`];
    }
  }
  const validate = getJsonFeedValidator();
  if (validate(data)) return [];
  return (validate.errors ?? []).map((e) => `${label}: schema: ${e.instancePath || '/'} ${e.message ?? ''} ${JSON.stringify(e.params)}`);
}

// ---------------------------------------------------------------------------------------------------------
// Dates

/** A parsed date: its instant in milliseconds, or why it is not in the required format. */
export type DateResult = { readonly ok: true; readonly ms: number } | { readonly ok: false; readonly why: string };

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const NAMED_ZONES: Record<string, number> = { GMT: 0, UT: 0, Z: 0, EST: -300, EDT: -240, CST: -360, CDT: -300, MST: -420, MDT: -360, PST: -480, PDT: -420 };
const RFC822 = /^(?:([A-Z][a-z]{2}), )?(\d{1,2}) ([A-Z][a-z]{2}) (\d{4}) (\d{2}):(\d{2})(?::(\d{2}))? ([+-]\d{4}|[A-Z]{1,3})$/;
const RFC3339 = /^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$/;

function civil(year: number, month: number, day: number, hour: number, minute: number, second: number): number | undefined {
  const ms = Date.UTC(year, month, day, hour, minute, second);
  const d = new Date(ms);
  const same = d.getUTCFullYear() === year && d.getUTCMonth() === month && d.getUTCDate() === day && d.getUTCHours() === hour && d.getUTCMinutes() === minute && d.getUTCSeconds() === second;
  return same ? ms : undefined;
}

/** RFC 822 as RSS 2.0 wants it, with a 4-digit year (RSS Best Practices) and, when given, the right weekday. */
export function parseRfc822(value: string): DateResult {
  const m = RFC822.exec(value);
  if (!m) return { ok: false, why: `not an RFC 822 date with a 4-digit year: ${JSON.stringify(value)}` };
  const [, weekday, day, monthName, year, hour, minute, second, zone] = m;
  const month = MONTHS.indexOf(monthName ?? '');
  if (month < 0) return { ok: false, why: `unknown month in ${JSON.stringify(value)}` };
  const local = civil(Number(year), month, Number(day), Number(hour), Number(minute), Number(second ?? '0'));
  if (local === undefined) return { ok: false, why: `no such date or time: ${JSON.stringify(value)}` };
  if (weekday !== undefined && DAYS[new Date(local).getUTCDay()] !== weekday) {
    return { ok: false, why: `wrong weekday in ${JSON.stringify(value)} (that date is a ${DAYS[new Date(local).getUTCDay()] ?? '?'})` };
  }
  let offsetMinutes: number | undefined;
  if (zone !== undefined && /^[+-]\d{4}$/.test(zone)) {
    const sign = zone.startsWith('-') ? -1 : 1;
    offsetMinutes = sign * (Number(zone.slice(1, 3)) * 60 + Number(zone.slice(3, 5)));
  } else if (zone !== undefined) {
    offsetMinutes = NAMED_ZONES[zone];
  }
  if (offsetMinutes === undefined) return { ok: false, why: `unknown zone in ${JSON.stringify(value)}` };
  return { ok: true, ms: local - offsetMinutes * 60_000 };
}

/** RFC 3339 date-time, as Atom (RFC 4287 §3.3) and JSON Feed 1.1 require. */
export function parseRfc3339(value: string): DateResult {
  const m = RFC3339.exec(value);
  if (!m) return { ok: false, why: `not an RFC 3339 date-time: ${JSON.stringify(value)}` };
  const [, year, month, day, hour, minute, second, fraction, zone] = m;
  const local = civil(Number(year), Number(month) - 1, Number(day), Number(hour), Number(minute), Number(second));
  if (local === undefined) return { ok: false, why: `no such date or time: ${JSON.stringify(value)}` };
  const z = zone ?? 'Z';
  const offsetMinutes = /^[Zz]$/.test(z) ? 0 : (z.startsWith('-') ? -1 : 1) * (Number(z.slice(1, 3)) * 60 + Number(z.slice(4, 6)));
  return { ok: true, ms: local - offsetMinutes * 60_000 + Math.floor(Number(fraction ?? '0') * 1000) };
}

// ---------------------------------------------------------------------------------------------------------
// URLs and ids

const URI_CHARS = /^[A-Za-z0-9\-._~:/?#[\]@!$&'()*+,;=%]+$/;
const HAS_SCHEME = /^[A-Za-z][A-Za-z0-9+.-]*:/;

/** An absolute http(s) URL that is also a plain RFC 3986 URI (non-ASCII percent-encoded); undefined when fine. */
export function urlProblem(url: string | undefined, where: string): string | undefined {
  if (url === undefined || url === '') return `${where}: missing URL`;
  if (!/^https?:\/\/[^/?#\s]+/i.test(url) || !URL.canParse(url)) return `${where}: not an absolute http(s) URL: ${JSON.stringify(url)}`;
  if (!URI_CHARS.test(url) || /%(?![0-9A-Fa-f]{2})/.test(url)) return `${where}: not an RFC 3986 URI (unencoded characters): ${JSON.stringify(url)}`;
  return undefined;
}

/** A mailto: URI (RFC 6068) with an address, written with URI characters only; undefined when fine. */
function mailtoProblem(url: string, where: string): string | undefined {
  if (!/^mailto:[^@]+@[^@]+$/.test(url) || !URI_CHARS.test(url) || /%(?![0-9A-Fa-f]{2})/.test(url)) return `${where}: not a mailto: URI: ${JSON.stringify(url)}`;
  return undefined;
}

/** An item id: never empty; when it is a URL it must be an absolute http(s) one; Atom also needs an IRI. */
function idProblem(id: string | undefined, where: string, mustBeIri: boolean): string | undefined {
  if (id === undefined || id.trim() === '') return `${where}: missing id`;
  if (/^https?:/i.test(id) || id.startsWith('/') || id.startsWith('./')) return urlProblem(id, where);
  // RFC 4287 §4.2.6: atom:id content MUST be an IRI, and §4.2.6 forbids relative references.
  if (mustBeIri && !HAS_SCHEME.test(id)) return `${where}: not an absolute IRI: ${JSON.stringify(id)}`;
  return undefined;
}

function pushIf(problems: string[], problem: string | undefined): void {
  if (problem !== undefined) problems.push(problem);
}

// ---------------------------------------------------------------------------------------------------------
// Raw XML access (for checks that must see the bytes as written, not as a parser normalizes them)

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** The raw contents of every `<name ...>...</name>` (empty string for `<name/>`), in document order. */
export function rawElements(xml: string, qname: string): string[] {
  const n = escapeRegExp(qname);
  const re = new RegExp(`<${n}(?:\\s[^>]*)?(?:/>|>([\\s\\S]*?)</${n}\\s*>)`, 'g');
  return [...xml.matchAll(re)].map((m) => m[1] ?? '');
}

/** XML 1.0 character data decoding: CDATA sections verbatim, the five predefined entities and char refs. */
export function decodeXmlText(raw: string): string {
  return raw
    .split(/(<!\[CDATA\[[\s\S]*?\]\]>)/)
    .map((part) =>
      part.startsWith('<![CDATA[')
        ? part.slice(9, -3)
        : part.replace(/&(#x[0-9A-Fa-f]+|#[0-9]+|amp|lt|gt|quot|apos);/g, (_, ref: string) => {
            if (ref.startsWith('#x')) return String.fromCodePoint(parseInt(ref.slice(2), 16));
            if (ref.startsWith('#')) return String.fromCodePoint(parseInt(ref.slice(1), 10));
            return ({ amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" } as Record<string, string>)[ref] ?? '';
          }),
    )
    .join('');
}

// ---------------------------------------------------------------------------------------------------------
// HTML fragments (decoded description / summary / content)

/** One start or end tag found in an HTML fragment. */
export interface HtmlTag {
  readonly name: string;
  readonly closing: boolean;
  readonly attributes: ReadonlyArray<readonly [string, string]>;
}

const ENTITY = /^&(?:#[0-9]+|#[xX][0-9A-Fa-f]+|[A-Za-z][A-Za-z0-9]*);/;

function around(html: string, at: number): string {
  return JSON.stringify(html.slice(Math.max(0, at - 20), at + 20));
}

/**
 * A small HTML tokenizer that is strict where the W3C validator is: every `&` starts an entity, every `<`
 * starts a tag, comment or end tag, and every tag and quoted attribute value is closed.
 */
export function scanHtml(html: string): { readonly problems: string[]; readonly tags: HtmlTag[] } {
  const problems: string[] = [];
  const tags: HtmlTag[] = [];
  const checkAmpersands = (text: string, offset: number): void => {
    for (let k = text.indexOf('&'); k !== -1; k = text.indexOf('&', k + 1)) {
      if (!ENTITY.test(text.slice(k, k + 40))) problems.push(`bare "&" not part of an entity near ${around(html, offset + k)}`);
    }
  };
  let i = 0;
  while (i < html.length) {
    const c = html[i];
    if (c === '&') {
      if (!ENTITY.test(html.slice(i, i + 40))) problems.push(`bare "&" not part of an entity near ${around(html, i)}`);
      i += 1;
      continue;
    }
    if (c !== '<') {
      i += 1;
      continue;
    }
    if (html.startsWith('<!--', i)) {
      const end = html.indexOf('-->', i + 4);
      if (end === -1) {
        problems.push(`unterminated comment near ${around(html, i)}`);
        break;
      }
      i = end + 3;
      continue;
    }
    const head = /^<(\/?)([A-Za-z][A-Za-z0-9:-]*)/.exec(html.slice(i, i + 80));
    if (!head) {
      problems.push(`bare "<" not starting a tag near ${around(html, i)}`);
      i += 1;
      continue;
    }
    const closing = head[1] === '/';
    const name = (head[2] ?? '').toLowerCase();
    const attributes: Array<readonly [string, string]> = [];
    let j = i + head[0].length;
    let closed = false;
    while (j < html.length) {
      while (j < html.length && /\s/.test(html[j] ?? '')) j += 1;
      if (html[j] === '>') {
        closed = true;
        j += 1;
        break;
      }
      if (html.startsWith('/>', j)) {
        closed = true;
        j += 2;
        break;
      }
      const attr = /^[^\s"'>/=]+/.exec(html.slice(j));
      if (!attr) {
        problems.push(`unexpected ${JSON.stringify(html[j])} inside <${name}> near ${around(html, j)}`);
        j += 1;
        continue;
      }
      j += attr[0].length;
      while (j < html.length && /\s/.test(html[j] ?? '')) j += 1;
      let value = '';
      if (html[j] === '=') {
        j += 1;
        while (j < html.length && /\s/.test(html[j] ?? '')) j += 1;
        const quote = html[j];
        if (quote === '"' || quote === "'") {
          const end = html.indexOf(quote, j + 1);
          if (end === -1) {
            problems.push(`unterminated attribute value in <${name}> near ${around(html, j)}`);
            j = html.length;
            break;
          }
          value = html.slice(j + 1, end);
          checkAmpersands(value, j + 1);
          j = end + 1;
        } else {
          const bare = /^[^\s>]*/.exec(html.slice(j))?.[0] ?? '';
          value = bare;
          checkAmpersands(value, j);
          j += bare.length;
        }
      }
      attributes.push([attr[0].toLowerCase(), value]);
    }
    if (!closed) problems.push(`unterminated tag <${name} near ${around(html, i)}`);
    tags.push({ name, closing, attributes });
    i = j;
  }
  return { problems, tags };
}

/** HTML void elements (WHATWG HTML §13.1.2): an end tag for one is a parse error the W3C validator reports. */
const VOID_ELEMENTS = new Set(['area', 'base', 'br', 'col', 'embed', 'hr', 'img', 'input', 'link', 'meta', 'source', 'track', 'wbr']);

/** Elements the sanitizer must have removed (DESIGN.md: scripts, styles, frames, forms) and the W3C flags. */
const BANNED_ELEMENTS = new Set(['script', 'style', 'iframe', 'frame', 'frameset', 'object', 'embed', 'applet', 'form', 'base', 'meta', 'link']);
const URL_ATTRIBUTES = new Set(['href', 'src', 'srcset', 'poster', 'cite', 'action', 'formaction', 'background', 'longdesc', 'usemap', 'xlink:href']);
const ALLOWED_LINK_SCHEMES = /^(?:https?|mailto|tel):/i;

/**
 * The decoded HTML of a description/summary/content: well-formed HTML-ish (W3C "not valid HTML"), no script,
 * iframe or other banned element, no `on*=` handler, no `javascript:`/`data:` URL, and only absolute URLs.
 */
export function checkHtmlFragment(html: string, where: string): string[] {
  const { problems, tags } = scanHtml(html);
  const out = problems.map((p) => `${where}: ${p}`);
  for (const tag of tags) {
    if (BANNED_ELEMENTS.has(tag.name) && !tag.closing) out.push(`${where}: contains <${tag.name}>`);
    if (VOID_ELEMENTS.has(tag.name) && tag.closing) out.push(`${where}: end tag </${tag.name}> on a void element (not valid HTML)`);
    for (const [name, rawValue] of tag.attributes) {
      if (name.startsWith('on')) out.push(`${where}: event handler attribute ${name}= on <${tag.name}>`);
      if (!URL_ATTRIBUTES.has(name)) continue;
      const value = decodeXmlText(rawValue);
      const urls = name === 'srcset' ? value.split(',').map((c) => c.trim().split(/\s+/)[0] ?? '') : [value];
      for (const url of urls) {
        // Browsers ignore whitespace and control characters inside a scheme: "java\tscript:" still runs.
        const compact = url.replace(/[\u0000-\u0020]/g, '');
        if (/^(?:javascript|vbscript|data):/i.test(compact)) out.push(`${where}: ${name}= with a ${compact.split(':')[0] ?? ''}: URL on <${tag.name}>`);
        else if (!ALLOWED_LINK_SCHEMES.test(compact)) out.push(`${where}: relative or unsupported URL ${name}=${JSON.stringify(url)} on <${tag.name}>`);
        else if (/^https?:/i.test(compact)) pushIf(out, urlProblem(url, `${where}: ${name}= on <${tag.name}>`));
      }
    }
  }
  return out;
}

// ---------------------------------------------------------------------------------------------------------
// RSS 2.0

/** HTML element names, for the W3C validator's "should not contain HTML" test on plain text. */
const HTML_TAG_NAMES = new Set(['a', 'abbr', 'b', 'blockquote', 'br', 'code', 'div', 'em', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'hr', 'i', 'img', 'li', 'ol', 'p', 'pre', 's', 'small', 'span', 'strong', 'sub', 'sup', 'table', 'td', 'th', 'tr', 'u', 'ul']);

/** HTML 4 named entities the validator knows (Python's name2codepoint), the ones our tests can meet. */
const HTML_ENTITY_NAMES = new Set(['amp', 'lt', 'gt', 'quot', 'apos', 'nbsp', 'copy', 'reg', 'mdash', 'ndash', 'hellip', 'laquo', 'raquo', 'eacute', 'uuml']);

/**
 * The W3C Feed Validation Service's rule for RSS elements it reads as plain text (its `nonhtml` class: item
 * and channel title, channel description), from its validators.py: a decoded text with an HTML end tag
 * "should not contain HTML"; one with an entity (`&amp;`) or, in RSS 2.0, with `&#…` or `<` + letter gets the
 * same warning or "Encode & and < in plain text using hexadecimal character references" (CharacterData),
 * unless the element's line holds a hexadecimal reference (`&#x`), the RSS Best Practices Profile's form.
 */
function plainTextProblem(raw: string, name: string): string | undefined {
  const text = decodeXmlText(raw);
  const shown = `rss <${name}> ${JSON.stringify(raw.slice(0, 60))}`;
  const endTag = [...text.matchAll(/<\/(\w+)>/g)].find((m) => HTML_TAG_NAMES.has((m[1] ?? '').toLowerCase()));
  if (endTag) return `${shown}: plain text with the HTML end tag ${endTag[0]} (W3C: should not contain HTML)`;
  if (raw.includes('&#x')) return undefined;
  const entity = [...text.matchAll(/&(#?\w+)/g)].find((m) => HTML_ENTITY_NAMES.has(m[1] ?? '') || !/^[A-Za-z]+$/.test(m[1] ?? ''));
  if (entity) return `${shown}: plain text holding the entity ${entity[0]} without &#x references (W3C: should not contain HTML)`;
  if (/&#[x0-9]|<[/a-zA-Z]/.test(text)) return `${shown}: write "&" and "<" in plain text as &#x26; and &#x3C; (RSS Best Practices Profile; W3C CharacterData)`;
  return undefined;
}

/**
 * Hexadecimal or decimal references to `&`, `<` or `"` outside the plain-text titles: several parsers leave
 * them undecoded there (src/serialize/xml.ts EscapeMode), while every parser decodes `&amp;` `&lt;` `&quot;`.
 */
function numericReferenceProblems(xml: string, label: string, titleElements: readonly string[]): string[] {
  let rest = xml;
  for (const name of titleElements) rest = rest.replace(new RegExp(`<${escapeRegExp(name)}(?:\\s[^>]*)?>[^<]*</${escapeRegExp(name)}>`, 'g'), '');
  return [...rest.matchAll(/&#(?:x0*(?:26|3[Cc]|22)|0*(?:38|60|34));/g)].slice(0, 5).map((m) => `${label}: ${m[0]} near ${JSON.stringify(rest.slice(Math.max(0, (m.index ?? 0) - 40), (m.index ?? 0) + 20))} outside a title: feed-extractor, @rowanmanning/feed-parser, Miniflux and KDE leave it undecoded; write &amp; &lt; &quot;`);
}

/**
 * W3C Feed Validation Service style lint of raw RSS (DESIGN.md list): no `<author>` in items, its plain-text
 * rule for titles, named entities elsewhere, a non-blank title and description in every item, the
 * description before content:encoded ("Ensure description precedes content:encoded"), no blank content, and
 * every HTML field valid, safe and absolute.
 */
export function lintRss(xml: string): string[] {
  const problems: string[] = [];
  const channelHead = xml.split(/<item[\s>]/)[0] ?? '';
  for (const raw of rawElements(xml, 'title')) pushIf(problems, plainTextProblem(raw, 'title'));
  // The W3C validator reads the channel's <description> as plain text (its item <description> as HTML).
  for (const raw of rawElements(channelHead, 'description')) pushIf(problems, plainTextProblem(raw, 'channel description'));
  // RSS <category> is plain text too, but written with named entities: feed-extractor and Miniflux misread
  // &#x26; there, and the validator's warning comes only for a category whose text looks like markup.
  problems.push(...numericReferenceProblems(channelHead.replace(/<description>[^<]*<\/description>/, ''), 'rss channel', ['title']));
  rawElements(xml, 'item').forEach((item, index) => {
    const where = `rss item ${index + 1}`;
    if (/<author[\s>/]/.test(item)) problems.push(`${where}: has <author>; an RSS <author> must be an e-mail address, use <dc:creator>`);
    problems.push(...numericReferenceProblems(item, where, ['title']));
    for (const name of ['title', 'description', 'content:encoded']) {
      for (const raw of rawElements(item, name)) if (decodeXmlText(raw).trim() === '') problems.push(`${where}: blank <${name}> (W3C: should not be blank)`);
    }
    const description = item.search(/<description[\s>]/);
    const content = item.search(/<content:encoded[\s>]/);
    if (description === -1) problems.push(`${where}: no <description> (every item has one; W3C: "Ensure description precedes content:encoded")`);
    else if (content !== -1 && content < description) problems.push(`${where}: <content:encoded> before <description> (W3C: "Ensure description precedes content:encoded")`);
    for (const name of ['description', 'content:encoded']) {
      for (const raw of rawElements(item, name)) problems.push(...checkHtmlFragment(decodeXmlText(raw), `${where} <${name}>`));
    }
  });
  return problems;
}

/**
 * W3C Feed Validation Service style lint of raw Atom: named entities outside titles, no blank content or
 * summary, a summary where there is no content (MissingTextualContent), and no two alternate links with the
 * same type and hreflang (RFC 4287 §4.1.1; DuplicateAtomLink).
 */
export function lintAtom(xml: string): string[] {
  const problems = numericReferenceProblems(xml, 'atom.xml', ['title', 'subtitle']);
  rawElements(xml, 'entry').forEach((entry, index) => {
    const where = `atom entry ${index + 1}`;
    for (const name of ['title', 'summary', 'content']) {
      for (const raw of rawElements(entry, name)) if (decodeXmlText(raw).trim() === '') problems.push(`${where}: blank <${name}> (W3C: should not be blank)`);
    }
    if (rawElements(entry, 'content').length === 0 && rawElements(entry, 'summary').length === 0) problems.push(`${where}: neither <content> nor <summary> (W3C: MissingTextualContent)`);
    const alternates = [...entry.matchAll(/<link\s[^>]*>/g)].map((m) => m[0]).filter((l) => !/\srel="/.test(l) || /\srel="alternate"/.test(l));
    const keys = alternates.map((l) => `${/\stype="([^"]*)"/.exec(l)?.[1] ?? ''} ${/\shreflang="([^"]*)"/.exec(l)?.[1] ?? ''}`);
    const twice = keys.find((k, i) => keys.indexOf(k) !== i);
    if (twice !== undefined) problems.push(`${where}: two rel="alternate" links with the same type and hreflang (RFC 4287 §4.1.1)`);
  });
  return problems;
}

function parseRss(xml: string): RssFeed.Feed<string> | string {
  try {
    return parseRssFeed(xml);
  } catch (error) {
    return `rss.xml: feedsmith cannot parse it as RSS: ${(error as Error).message}`;
  }
}

/** Everything about one rss.xml on its own: declaration, encoding, well-formedness, structure and lint. */
export function checkRss(source: FeedSource, options: CheckOptions = {}): string[] {
  const problems = [...checkEncoding(source, 'rss.xml'), ...checkXmlDeclaration(source, 'rss.xml')];
  if (options.tools !== false && hasTool('xmllint')) problems.push(...checkWellFormed(source, 'rss.xml'));
  const xml = toText(source);
  if (!/<rss\s[^>]*version="2\.0"/.test(xml)) problems.push('rss.xml: root is not <rss version="2.0">');
  const feed = parseRss(xml);
  if (typeof feed === 'string') return [...problems, feed];
  pushIf(problems, urlProblem(feed.link, 'rss channel <link>'));
  if (!feed.title) problems.push('rss channel: missing <title>');
  if (feed.description === undefined) problems.push('rss channel: missing <description>');
  const self = feed.atom?.links?.find((l) => l.rel === 'self');
  if (!self) problems.push('rss channel: missing <atom:link rel="self"> (W3C validator warns)');
  else pushIf(problems, urlProblem(self.href, 'rss <atom:link rel="self">'));
  if (feed.lastBuildDate === undefined) problems.push('rss channel: missing <lastBuildDate>');
  else {
    const date = parseRfc822(feed.lastBuildDate);
    if (!date.ok) problems.push(`rss <lastBuildDate>: ${date.why}`);
  }
  (feed.items ?? []).forEach((item, index) => {
    const where = `rss item ${index + 1}`;
    if (!item.title) problems.push(`${where}: missing <title>`);
    pushIf(problems, urlProblem(item.link, `${where} <link>`));
    if (!item.guid) problems.push(`${where}: missing <guid>`);
    else {
      pushIf(problems, idProblem(item.guid.value, `${where} <guid>`, false));
      if (item.guid.isPermaLink !== false) problems.push(`${where}: <guid> must say isPermaLink="false" (DESIGN.md, Identity)`);
    }
    if (item.pubDate === undefined) problems.push(`${where}: missing <pubDate>`);
    else {
      const date = parseRfc822(item.pubDate);
      if (!date.ok) problems.push(`${where} <pubDate>: ${date.why}`);
    }
    if (!item.dc?.creators?.length) problems.push(`${where}: missing <dc:creator> (every item has an author)`);
    const enclosures = item.enclosures ?? [];
    if (enclosures.length > 1) problems.push(`${where}: ${enclosures.length} <enclosure>s; RSS readers support one`);
    for (const enclosure of enclosures) {
      pushIf(problems, urlProblem(enclosure.url, `${where} <enclosure url>`));
      if (!enclosure.type) problems.push(`${where}: <enclosure> without type`);
      if (enclosure.length === undefined || !Number.isInteger(enclosure.length) || enclosure.length < 0) problems.push(`${where}: <enclosure> length must be a non-negative integer`);
    }
    const media = item.media?.contents ?? [];
    const enclosure = enclosures[0];
    if (enclosure && media.length === 0) problems.push(`${where}: has <enclosure> but no <media:content> (DESIGN.md, Output)`);
    if (!enclosure && media.length > 0) problems.push(`${where}: has <media:content> but no <enclosure>`);
    for (const m of media) {
      pushIf(problems, urlProblem(m.url, `${where} <media:content url>`));
      if (enclosure && (m.url !== enclosure.url || (m.type !== undefined && m.type !== enclosure.type))) {
        problems.push(`${where}: <media:content> ${m.url ?? ''} ${m.type ?? ''} differs from <enclosure> ${enclosure.url} ${enclosure.type}`);
      }
    }
  });
  return [...problems, ...lintRss(xml)];
}

// ---------------------------------------------------------------------------------------------------------
// Atom 1.0

function parseAtom(xml: string): AtomFeed.Feed<string> | string {
  try {
    return parseAtomFeed(xml);
  } catch (error) {
    return `atom.xml: feedsmith cannot parse it as Atom: ${(error as Error).message}`;
  }
}

function alternateLink(links: ReadonlyArray<AtomFeed.Link<string>> | undefined): string | undefined {
  // RFC 4287 §4.2.7.2: a link without rel is rel="alternate".
  return links?.find((l) => l.rel === undefined || l.rel === 'alternate')?.href;
}

/** Everything about one atom.xml on its own: declaration, encoding, well-formedness, RFC 4287 schema, structure. */
export function checkAtom(source: FeedSource, options: CheckOptions = {}): string[] {
  const problems = [...checkEncoding(source, 'atom.xml'), ...checkXmlDeclaration(source, 'atom.xml')];
  if (options.tools !== false && hasTool('xmllint')) problems.push(...checkWellFormed(source, 'atom.xml'));
  if (options.tools !== false && hasTool('jing')) problems.push(...checkAtomSchema(source, 'atom.xml'));
  const xml = toText(source);
  const feed = parseAtom(xml);
  if (typeof feed === 'string') return [...problems, feed];
  pushIf(problems, idProblem(feed.id, 'atom feed <id>', true));
  const self = feed.links?.find((l) => l.rel === 'self');
  if (!self) problems.push('atom feed: missing <link rel="self"> (RFC 4287 §4.1.1 SHOULD; W3C validator warns)');
  for (const link of feed.links ?? []) pushIf(problems, urlProblem(link.href, `atom feed <link rel="${link.rel ?? 'alternate'}">`));
  if (feed.updated === undefined) problems.push('atom feed: missing <updated>');
  else {
    const date = parseRfc3339(feed.updated);
    if (!date.ok) problems.push(`atom feed <updated>: ${date.why}`);
  }
  (feed.entries ?? []).forEach((entry, index) => {
    const where = `atom entry ${index + 1}`;
    pushIf(problems, idProblem(entry.id, `${where} <id>`, true));
    if (entry.title?.type !== 'text') problems.push(`${where}: <title> must be type="text" (titles are plain text), is ${JSON.stringify(entry.title?.type)}`);
    if (alternateLink(entry.links) === undefined) problems.push(`${where}: missing <link rel="alternate">`);
    for (const link of entry.links ?? []) pushIf(problems, urlProblem(link.href, `${where} <link rel="${link.rel ?? 'alternate'}">`));
    for (const link of (entry.links ?? []).filter((l) => l.rel === 'enclosure')) {
      if (!link.type) problems.push(`${where}: <link rel="enclosure"> without type`);
    }
    for (const [name, value] of [['published', entry.published], ['updated', entry.updated]] as const) {
      if (value === undefined) problems.push(`${where}: missing <${name}>`);
      else {
        const date = parseRfc3339(value);
        if (!date.ok) problems.push(`${where} <${name}>: ${date.why}`);
      }
    }
    if (!entry.authors?.some((a) => a.name)) problems.push(`${where}: missing <author><name> (every item has an author)`);
    if (entry.summary && entry.summary.type !== 'html') problems.push(`${where}: <summary> must be type="html"`);
    if (entry.summary?.type === 'html') problems.push(...checkHtmlFragment(entry.summary.value, `${where} <summary>`));
    // An empty article has no <content> (lintAtom: then a summary); one that has content carries it as HTML.
    if (entry.content && entry.content.type !== 'html') problems.push(`${where}: <content> must be type="html"`);
    else if (entry.content) problems.push(...checkHtmlFragment(entry.content.value ?? '', `${where} <content>`));
  });
  return [...problems, ...lintAtom(xml)];
}

// ---------------------------------------------------------------------------------------------------------
// JSON Feed 1.1

type JsonObject = Record<string, unknown>;

function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Everything about one feed.json on its own: JSON, schema, version 1.1, URLs, authors (not `author`), dates. */
export function checkJsonFeed(source: FeedSource): string[] {
  const problems = checkEncoding(source, 'feed.json');
  let data: unknown;
  try {
    data = JSON.parse(toText(source));
  } catch (error) {
    return [...problems, `feed.json: not JSON: ${(error as Error).message}`];
  }
  problems.push(...checkJsonFeedSchema(data as object));
  if (!isObject(data)) return [...problems, 'feed.json: top level is not an object'];
  if (data['version'] !== JSON_FEED_VERSION) problems.push(`feed.json: version must be "${JSON_FEED_VERSION}", is ${JSON.stringify(data['version'])}`);
  pushIf(problems, urlProblem(data['feed_url'] as string | undefined, 'feed.json feed_url'));
  pushIf(problems, urlProblem(data['home_page_url'] as string | undefined, 'feed.json home_page_url'));
  if ('author' in data) problems.push('feed.json: deprecated top-level "author" (JSON Feed 1.1 uses "authors")');
  const checkAuthors = (authors: unknown, where: string): void => {
    if (!Array.isArray(authors)) return;
    authors.forEach((a, k) => {
      if (!isObject(a)) return;
      // JSON Feed 1.1 has no author e-mail field, so a mailto: URL is how the address travels.
      if (typeof a['url'] === 'string') pushIf(problems, a['url'].startsWith('mailto:') ? mailtoProblem(a['url'], `${where} authors[${k}].url`) : urlProblem(a['url'], `${where} authors[${k}].url`));
      if (typeof a['avatar'] === 'string') pushIf(problems, urlProblem(a['avatar'], `${where} authors[${k}].avatar`));
    });
  };
  checkAuthors(data['authors'], 'feed.json');
  const items = Array.isArray(data['items']) ? data['items'] : [];
  items.forEach((item: unknown, index) => {
    const where = `json item ${index + 1}`;
    if (!isObject(item)) {
      problems.push(`${where}: not an object`);
      return;
    }
    pushIf(problems, idProblem(typeof item['id'] === 'string' ? item['id'] : undefined, `${where} id`, false));
    pushIf(problems, urlProblem(item['url'] as string | undefined, `${where} url`));
    if ('author' in item) problems.push(`${where}: deprecated "author" (JSON Feed 1.1 uses "authors")`);
    const authors = item['authors'];
    if (!Array.isArray(authors) || authors.length === 0 || !authors.every((a) => isObject(a) && typeof a['name'] === 'string' && a['name'] !== '')) {
      problems.push(`${where}: "authors" must be a non-empty array of {name} (every item has an author)`);
    }
    checkAuthors(authors, where);
    if (typeof item['title'] !== 'string') problems.push(`${where}: missing title`);
    // JSON Feed 1.1: content_html or content_text; an empty article has only the text (its description).
    if (typeof item['content_html'] === 'string') {
      if (item['content_html'].trim() === '') problems.push(`${where}: blank content_html`);
      problems.push(...checkHtmlFragment(item['content_html'], `${where} content_html`));
    } else if (typeof item['content_text'] !== 'string' || item['content_text'].trim() === '') problems.push(`${where}: neither content_html nor a non-blank content_text`);
    if (typeof item['image'] === 'string') pushIf(problems, urlProblem(item['image'], `${where} image`));
    for (const name of ['date_published', 'date_modified']) {
      const value = item[name];
      if (typeof value !== 'string') problems.push(`${where}: missing ${name}`);
      else {
        const date = parseRfc3339(value);
        if (!date.ok) problems.push(`${where} ${name}: ${date.why}`);
      }
    }
    const attachments = Array.isArray(item['attachments']) ? item['attachments'] : [];
    attachments.forEach((a: unknown, k) => {
      if (isObject(a)) pushIf(problems, urlProblem(a['url'] as string | undefined, `${where} attachments[${k}].url`));
    });
  });
  return problems;
}

// ---------------------------------------------------------------------------------------------------------
// The three formats agree

/** One item as each format states it, reduced to the fields that must agree (DESIGN.md, Output table). */
interface ItemView {
  readonly id: string | undefined;
  readonly link: string | undefined;
  readonly title: string | undefined;
  /** Seconds since the epoch, or the raw text when it does not parse. */
  readonly published: number | string | undefined;
  readonly updated: number | string | undefined;
  readonly authors: readonly string[];
  readonly categories: readonly string[];
  readonly summaryHtml: string | undefined;
  readonly contentHtml: string | undefined;
  readonly enclosure: { readonly url: string; readonly type: string | undefined; readonly length: number | undefined } | undefined;
}

function seconds(value: string | undefined, parse: (v: string) => DateResult): number | string | undefined {
  if (value === undefined) return undefined;
  const date = parse(value);
  return date.ok ? Math.floor(date.ms / 1000) : value;
}

function rssItems(feed: RssFeed.Feed<string>): ItemView[] {
  return (feed.items ?? []).map((item) => {
    const enclosure = item.enclosures?.[0];
    return {
      id: item.guid?.value,
      link: item.link,
      title: item.title,
      published: seconds(item.pubDate, parseRfc822),
      updated: undefined,
      authors: item.dc?.creators ?? [],
      categories: (item.categories ?? []).map((c) => c.name ?? ''),
      summaryHtml: item.description,
      contentHtml: item.content?.encoded,
      // RSS 2.0 requires a length; a remote image of unknown size is written as 0 (types.ts, Enclosure).
      enclosure: enclosure ? { url: enclosure.url ?? '', type: enclosure.type, length: enclosure.length === 0 ? undefined : enclosure.length } : undefined,
    };
  });
}

function atomItems(feed: AtomFeed.Feed<string>): ItemView[] {
  return (feed.entries ?? []).map((entry) => {
    const enclosure = entry.links?.find((l) => l.rel === 'enclosure');
    return {
      id: entry.id,
      link: alternateLink(entry.links),
      title: entry.title?.value,
      published: seconds(entry.published, parseRfc3339),
      updated: seconds(entry.updated, parseRfc3339),
      authors: (entry.authors ?? []).map((a) => a.name ?? ''),
      categories: (entry.categories ?? []).map((c) => c.term ?? ''),
      summaryHtml: entry.summary?.value,
      contentHtml: entry.content?.value,
      enclosure: enclosure ? { url: enclosure.href ?? '', type: enclosure.type, length: enclosure.length } : undefined,
    };
  });
}

function jsonItems(feed: JsonFeed.Feed<string>): ItemView[] {
  return (feed.items ?? []).map((item) => {
    const attachment = item.attachments?.[0];
    return {
      id: item.id,
      link: item.url,
      title: item.title,
      published: seconds(item.date_published, parseRfc3339),
      updated: seconds(item.date_modified, parseRfc3339),
      authors: (item.authors ?? []).map((a) => a.name ?? ''),
      categories: item.tags ?? [],
      summaryHtml: undefined,
      contentHtml: item.content_html,
      enclosure: attachment ? { url: attachment.url ?? '', type: attachment.mime_type, length: attachment.size_in_bytes } : undefined,
    };
  });
}

/** Plain text as the HTML that shows it, written here independently of src/html/text.ts. */
function textAsHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

function show(value: unknown): string {
  if (typeof value === 'number' && value > 1e8) return `${new Date(value * 1000).toISOString()}`;
  return JSON.stringify(value) ?? 'undefined';
}

function parseJson(text: string): JsonFeed.Feed<string> | string {
  try {
    return parseJsonFeed(JSON.parse(text));
  } catch (error) {
    return `feed.json: feedsmith cannot parse it as JSON Feed: ${(error as Error).message}`;
  }
}

/** Where the trio sits relative to the published root, for checking the self URLs ('' for the site feed). */
export interface CrossCheckOptions {
  /**
   * Two posts with one id are published as Jekyll publishes them (with a DUPLICATE_ID warning): only the
   * golden case that shows it may carry two items with one id.
   */
  readonly duplicateIdsAllowed?: boolean;
  readonly dir?: string;
}

/**
 * Parses all three files with feedsmith (independently of our code) and checks they carry the same items in
 * the same order, with the same ids, links, titles, dates (to the second), authors, categories, content and
 * enclosure, and that the feed-level fields agree (DESIGN.md, "Output: three formats that agree").
 */
export function crossCheck(trio: Trio, options: CrossCheckOptions = {}): string[] {
  const rssText = toText(trio.rss);
  const atomText = toText(trio.atom);
  const jsonText = toText(trio.json);
  const rss = parseRss(rssText);
  const atom = parseAtom(atomText);
  const json = parseJson(jsonText);
  const failed = [rss, atom, json].filter((f): f is string => typeof f === 'string');
  if (failed.length > 0) return failed;
  const r = rss as RssFeed.Feed<string>;
  const a = atom as AtomFeed.Feed<string>;
  const j = json as JsonFeed.Feed<string>;
  const problems: string[] = [];
  const raw = JSON.parse(jsonText) as JsonObject;

  // Feed level.
  const agree = (what: string, values: Record<string, unknown>): void => {
    const shown = Object.values(values).map((v) => JSON.stringify(v));
    if (new Set(shown).size > 1) problems.push(`feed ${what} differs: ${Object.entries(values).map(([k, v]) => `${k} ${show(v)}`).join(', ')}`);
  };
  agree('title', { rss: r.title, atom: a.title?.value, json: j.title });
  agree('home page', { rss: r.link, atom: alternateLink(a.links), json: j.home_page_url });
  const selfUrls = { rss: r.atom?.links?.find((l) => l.rel === 'self')?.href, atom: a.links?.find((l) => l.rel === 'self')?.href, json: j.feed_url };
  for (const [format, file] of Object.entries(FEED_FILES) as Array<[keyof typeof FEED_FILES, string]>) {
    const url = selfUrls[format];
    const suffix = `/${options.dir ? `${options.dir}/` : ''}${file}`;
    if (url !== undefined && !url.endsWith(suffix)) problems.push(`${format} self URL ${url} does not end with ${suffix}, where the file is published`);
  }
  agree('self URL folder', Object.fromEntries(Object.entries(selfUrls).map(([format, url]) => [format, url?.replace(/[^/]*$/, '')])));
  const lastBuild = seconds(r.lastBuildDate, parseRfc822);
  const atomUpdated = seconds(a.updated, parseRfc3339);
  if (lastBuild !== atomUpdated) problems.push(`feed date differs: rss lastBuildDate ${show(lastBuild)}, atom updated ${show(atomUpdated)}`);

  // Items.
  const views = { rss: rssItems(r), atom: atomItems(a), json: jsonItems(j) };
  const counts = { rss: views.rss.length, atom: views.atom.length, json: views.json.length };
  if (counts.rss !== counts.atom || counts.rss !== counts.json) problems.push(`item counts differ: rss ${counts.rss}, atom ${counts.atom}, json ${counts.json}`);
  const n = Math.min(counts.rss, counts.atom, counts.json);
  for (let k = 0; k < n; k += 1) {
    const rv = views.rss[k] as ItemView;
    const av = views.atom[k] as ItemView;
    const jv = views.json[k] as ItemView;
    const where = `item ${k + 1} (${rv.id ?? av.id ?? jv.id ?? '?'})`;
    const same = (what: string, values: Record<string, unknown>): void => {
      const shown = Object.values(values).map((v) => JSON.stringify(v));
      if (new Set(shown).size > 1) problems.push(`${where}: ${what} differs: ${Object.entries(values).map(([f, v]) => `${f} ${show(v)}`).join(', ')}`);
    };
    same('id', { rss: rv.id, atom: av.id, json: jv.id });
    same('link', { rss: rv.link, atom: av.link, json: jv.link });
    same('title', { rss: rv.title, atom: av.title, json: jv.title });
    same('published', { rss: rv.published, atom: av.published, json: jv.published });
    same('updated', { atom: av.updated, json: jv.updated });
    same('authors', { rss: rv.authors, atom: av.authors, json: jv.authors });
    same('categories', { rss: rv.categories, atom: av.categories, json: jv.categories });
    // Every item's description is its summary, else its title: RSS always writes it, Atom when it has a
    // summary or no content, JSON Feed as summary (when there is one) or content_text (when no content).
    const jsonItem = (raw['items'] as JsonObject[] | undefined)?.[k];
    const jsonDescription = typeof jsonItem?.['summary'] === 'string' ? jsonItem['summary'] : jv.title;
    same('description (HTML)', { rss: rv.summaryHtml, atom: av.summaryHtml ?? (av.contentHtml === undefined ? undefined : textAsHtml(av.title ?? '')), json: textAsHtml(jsonDescription ?? '') });
    if (jv.contentHtml === undefined && jsonItem?.['content_text'] !== jsonDescription) problems.push(`${where}: json content_text ${show(jsonItem?.['content_text'])} is not the description ${show(jsonDescription)}`);
    same('content HTML', { rss: rv.contentHtml, atom: av.contentHtml, json: jv.contentHtml });
    same('enclosure', { rss: rv.enclosure, atom: av.enclosure, json: jv.enclosure });
    const image = (raw['items'] as JsonObject[] | undefined)?.[k]?.['image'];
    if (image !== jv.enclosure?.url) problems.push(`${where}: json image ${show(image)} is not the enclosure url ${show(jv.enclosure?.url)}`);
  }

  // Identity and order: ids unique, newest first, ties broken by id (DESIGN.md, Output).
  const ids = views.json.map((v) => v.id);
  const duplicate = ids.find((id, k) => ids.indexOf(id) !== k);
  if (duplicate !== undefined && options.duplicateIdsAllowed !== true) problems.push(`two items share the id ${duplicate}`);
  for (let k = 1; k < views.json.length; k += 1) {
    const prev = views.json[k - 1] as ItemView;
    const cur = views.json[k] as ItemView;
    if (typeof prev.published !== 'number' || typeof cur.published !== 'number') continue;
    if (cur.published > prev.published) problems.push(`items ${k} and ${k + 1} are not newest first (${show(prev.published)} then ${show(cur.published)})`);
    else if (cur.published === prev.published && (cur.id ?? '') < (prev.id ?? '')) problems.push(`items ${k} and ${k + 1} share a date but are not ordered by id (${prev.id ?? ''} then ${cur.id ?? ''})`);
  }
  // A feed's own date is its newest item's (DESIGN.md, Output).
  const newest = (field: 'published' | 'updated'): number | undefined => {
    const values = views.atom.map((v) => v[field]).filter((v): v is number => typeof v === 'number');
    return values.length > 0 ? Math.max(...values) : undefined;
  };
  if (views.atom.length > 0 && atomUpdated !== newest('published') && atomUpdated !== newest('updated')) {
    problems.push(`atom feed updated ${show(atomUpdated)} is not the newest item's date (${show(newest('published'))} published, ${show(newest('updated'))} updated)`);
  }
  return problems;
}

// ---------------------------------------------------------------------------------------------------------
// Finding and reading trios on disk

/** Every folder under `root` (itself included) holding any of rss.xml, atom.xml, feed.json; sorted. */
export function findFeedDirs(root: string): string[] {
  if (!existsSync(root)) return [];
  const found: string[] = [];
  const walk = (dir: string): void => {
    const entries = readdirSync(dir, { withFileTypes: true });
    if (entries.some((e) => e.isFile() && Object.values<string>(FEED_FILES).includes(e.name))) found.push(dir);
    for (const e of entries) if (e.isDirectory()) walk(join(dir, e.name));
  };
  walk(root);
  return found.sort();
}

/** The three files of the trio in `dir`, as bytes; throws naming any file that is missing. */
export function readTrio(dir: string): Trio {
  const missing = Object.values(FEED_FILES).filter((f) => !existsSync(join(dir, f)));
  if (missing.length > 0) throw new Error(`${dir}: incomplete feed trio, missing ${missing.join(', ')}`);
  return {
    rss: new Uint8Array(readFileSync(join(dir, FEED_FILES.rss))),
    atom: new Uint8Array(readFileSync(join(dir, FEED_FILES.atom))),
    json: new Uint8Array(readFileSync(join(dir, FEED_FILES.json))),
  };
}
