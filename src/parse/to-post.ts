/** Parse stage: a post file's bytes → a validated `Post`, or diagnostics. Pure: no I/O, no clock. */
import { isUtf8 } from 'node:buffer';
import path from 'node:path';
import { errorAt, warningAt, type Diagnostic } from '../errors.js';
import { toPerson, type SiteConfig } from '../config.js';
import { kramdownOptionsFromSiteConfig } from '../render/markdown.js';
import { markdownRendererFor } from '../render/parts.js';
import { htmlToText, normalizeText } from '../render/text.js';
import { escapePath, toAbsoluteUrl, toHttpUrl } from '../render/urls.js';
import type { ImageRef, Person, Post, PostRef } from '../types.js';
import { readDateValue, readFileNameDate, YamlTimestamp, type DateResult } from './dates.js';
import { decodeBody, parseFrontMatter, readHead, type Position } from './front-matter.js';
import { MAX_HTML_DEPTH, measureHtmlDepth } from './html-depth.js';
import { titleizeSlug, toPermalinkPath, toPostIdPath } from './permalink.js';

/** Jekyll's `DATE_FILENAME_MATCHER` on a file name: `YYYY-MM-DD-slug.ext`. */
const DATE_FILENAME = /^(\d{2,4})-(\d{1,2})-(\d{1,2})-([^/]*)(\.[^./]+)$/;
/** Jekyll's `DATELESS_FILENAME_MATCHER` (drafts): `slug.ext`. */
const DATELESS_FILENAME = /^()()()(.*)(\.[^./]+)$/;

/** A post file's bytes, read once: the parse stage's input. */
export interface SourceFile {
  /** POSIX path relative to the content folder. */
  readonly relPath: string;
  /** The path for diagnostics, under the folder name the user gave. */
  readonly displayPath: string;
  readonly bytes: Uint8Array;
  /** A draft (`_drafts/`) rather than a post (`_posts/`); default post. */
  readonly draft?: boolean;
  /** The file's modification time: a draft without `date` is dated by it, as in Jekyll. */
  readonly mtimeMs?: number;
}

/** What the parse stage needs besides the file. */
export interface ParseContext {
  readonly config: SiteConfig;
  /** `_data/authors.yml`, handle → person. */
  readonly authors: ReadonlyMap<string, Person>;
  /** The build time: Jekyll fills what a date string leaves out (`June 3`, `10:00`) from it. */
  readonly now?: Date;
}

/** A parsed post, or why not. Warnings may come with a post. */
export interface ParseResult {
  readonly post?: Post;
  readonly diagnostics: readonly Diagnostic[];
  /** True when a date took parts from `ParseContext.now`: the same bytes may parse differently in another build. */
  readonly usesBuildTime?: true;
}

/** Returns the byte offset of the first invalid UTF-8 sequence, or -1 (WHATWG UTF-8 decode, fatal). */
export function firstInvalidUtf8(bytes: Uint8Array): number {
  let i = 0;
  while (i < bytes.length) {
    const b = bytes[i] as number;
    if (b < 0x80) { i++; continue; }
    let need: number;
    let lower = 0x80;
    let upper = 0xbf;
    if (b >= 0xc2 && b <= 0xdf) need = 1;
    else if (b >= 0xe0 && b <= 0xef) { need = 2; if (b === 0xe0) lower = 0xa0; if (b === 0xed) upper = 0x9f; }
    else if (b >= 0xf0 && b <= 0xf4) { need = 3; if (b === 0xf0) lower = 0x90; if (b === 0xf4) upper = 0x8f; }
    else return i;
    for (let k = 1; k <= need; k++) {
      const c = bytes[i + k];
      if (c === undefined || c < (k === 1 ? lower : 0x80) || c > (k === 1 ? upper : 0xbf)) return i;
    }
    i += need + 1;
  }
  return -1;
}

function lineAndColumnOfByte(bytes: Uint8Array, offset: number): Position {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < offset; i++) if (bytes[i] === 0x0a) { line++; lineStart = i + 1; }
  return { line, column: offset - lineStart + 1 };
}

/** Splits Jekyll's list-or-string fields: a string is split on whitespace (`categories`, `tags`). */
function pluralList(value: unknown): string[] {
  if (typeof value === 'string') return value.split(/\s+/).filter((s) => s !== '');
  if (Array.isArray(value)) {
    // Nulls dropped from the outer list, inner lists spliced in one level, every item as text.
    const out: string[] = [];
    for (const v of value as unknown[]) {
      if (v === null || v === undefined) continue;
      if (Array.isArray(v)) for (const inner of v as unknown[]) out.push(String(inner));
      else out.push(String(v));
    }
    return out;
  }
  if (typeof value === 'number' || typeof value === 'boolean') return [String(value)];
  return [];
}

/** Jekyll's `pluralized_array_from_hash`: the singular key wins, kept whole; else the plural list. */
function pluralized(data: Readonly<Record<string, unknown>>, singular: string, plural: string): string[] {
  const one = data[singular];
  if (one !== undefined && one !== null) return Array.isArray(one) ? one.map(String) : [String(one)];
  return pluralList(data[plural]);
}

// Printable ASCII words with single spaces between: text `normalizeText` leaves as it is.
const PLAIN_NAME = /^[!-~]+(?: [!-~]+)*$/;

function unique(values: readonly string[]): string[] {
  const seen = new Set<string>();
  const out: string[] = [];
  for (const value of values) {
    const v = PLAIN_NAME.test(value) ? value : normalizeText(value);
    if (v !== '' && !seen.has(v)) { seen.add(v); out.push(v); }
  }
  return out;
}

/** Jekyll's `Utils.deep_merge_hashes`: mappings merge key by key, anything else is replaced. */
function deepMerge(base: Readonly<Record<string, unknown>>, over: Readonly<Record<string, unknown>>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...base };
  for (const [key, value] of Object.entries(over)) {
    const old = out[key];
    out[key] = isMapping(old) && isMapping(value) ? deepMerge(old, value) : value;
  }
  return out;
}

function isMapping(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value) && !(value instanceof Date) && !(value instanceof YamlTimestamp);
}

function scopePathApplies(scopePath: string, relPath: string): boolean {
  const scope = scopePath.replace(/^\/+/, '');
  if (scope === '') return true;
  if (!scope.includes('*')) return relPath.startsWith(scope);
  const pattern = scope.split('*').map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*');
  return new RegExp(`^${pattern}`, 's').test(relPath);
}

/** Jekyll's `FrontmatterDefaults#all`: the values of every matching scope, the more specific winning. */
export function defaultsFor(defaults: SiteConfig['defaults'], relPath: string, type: string): Record<string, unknown> {
  let merged: Record<string, unknown> = {};
  let old: SiteConfig['defaults'][number] | undefined;
  for (const set of defaults) {
    const typeOk = set.type === undefined || set.type === type || (set.type === 'post' && type === 'posts');
    if (!typeOk || !scopePathApplies(set.path, relPath)) continue;
    const oldPath = (old?.path ?? '').replace(/^\/+/, '');
    const newPath = set.path.replace(/^\/+/, '');
    const precedes = old === undefined || (newPath.length !== oldPath.length ? newPath.length >= oldPath.length : set.type !== undefined || old.type === undefined);
    if (precedes) {
      merged = deepMerge(merged, set.values);
      old = set;
    } else {
      merged = deepMerge(set.values, merged);
    }
  }
  return merged;
}

/** Jekyll's categories from a post's path: the folders before `_posts` (`en/news/_posts/x.md` → en, news). */
function categoriesFromPath(relPath: string, special: string): string[] {
  if (relPath.startsWith(special)) return [];
  const at = relPath.indexOf(special);
  return (at === -1 ? relPath : relPath.slice(0, at)).split('/').filter((c) => c !== '' && c !== special);
}

const smartifiers = new WeakMap<SiteConfig, (text: string) => string>();

/** Jekyll's `smartify` with the site's `kramdown:` options, made once per configuration. */
function smartifyFor(config: SiteConfig): (text: string) => string {
  let smart = smartifiers.get(config);
  if (smart === undefined) {
    const renderer = markdownRendererFor(kramdownOptionsFromSiteConfig(config.raw));
    // Most titles hold nothing SmartyPants changes: no quote, dash, dot run or angle quote.
    smart = (text) => (/['"`.\-<>&]/.test(text) ? renderer.smartify(text) : text);
    smartifiers.set(config, smart);
  }
  return smart;
}

/** What to keep of a post. */
export interface ToPostOptions {
  /**
   * Keep the Markdown body in the `Post` (default true). A large build drops it and re-reads the body
   * of the few posts it renders, so it never holds a whole archive's text in memory.
   */
  readonly keepBody?: boolean;
}

/** The outcome of the scan of one post file: what selection needs, or why not. */
export interface ScanResult {
  readonly ref?: PostRef;
  readonly diagnostics: readonly Diagnostic[];
  /** As in `ParseResult`. */
  readonly usesBuildTime?: true;
}

/**
 * What `readPost` learns of a valid post: the fields selection and the duplicate-id check need, and the raw
 * front matter values that only a post some feed carries is finished from (title, summary, authors).
 */
interface PostCore {
  readonly ref: PostRef;
  readonly data: Readonly<Record<string, unknown>>;
  readonly slug: string;
  readonly isMarkdown: boolean;
  readonly language?: string;
  readonly excerptSeparator: string;
  readonly body: () => string;
  readonly bodyLine: number;
}

/**
 * Parses one post file for the scan: every check `toPost` makes (the same diagnostics), but the title,
 * summary text and authors, which only the posts that go out need, are left to `toPost`.
 */
export function scanPost(file: SourceFile, ctx: ParseContext): ScanResult {
  const read = readPost(file, ctx);
  return { diagnostics: read.diagnostics, ...(read.core === undefined ? {} : { ref: read.core.ref }), ...(read.usesBuildTime ? { usesBuildTime: true as const } : {}) };
}

/** Parses one post file. Every problem in it is reported, not just the first. */
export function toPost(file: SourceFile, ctx: ParseContext, options: ToPostOptions = {}): ParseResult {
  const read = readPost(file, ctx);
  const { core, diagnostics } = read;
  if (core === undefined) return { diagnostics };
  const { config } = ctx;
  const { ref, data } = core;
  // A checked URL (see siteUrl) reads back as itself: this only types it.
  const url = toHttpUrl(ref.url);
  if (url === undefined) return { diagnostics: [...diagnostics, errorAt('FRONT_MATTER_INVALID', ref.displayPath, `cannot make a URL of '${ref.url}'`, 'use a simpler permalink or slug')] };

  const titleRaw = data['title'];
  // jekyll-feed's title: `post.title | smartify | strip_html | normalize_whitespace` (kramdown's typography).
  const title = typeof titleRaw === 'string' || typeof titleRaw === 'number' ? htmlToText(smartifyFor(config)(String(titleRaw))) : titleizeSlug(core.slug);

  // Authors: every name of `author` (a name, a handle of _data/authors.yml, a mapping, or a list of them),
  // else of `authors`, else the site's. jekyll-feed shows only the first; every format here carries them all.
  const authors: Person[] = [];
  for (const one of authorList(data)) {
    const person = toAuthor(one, ctx);
    if (person !== undefined) authors.push(person);
  }
  if (authors.length === 0 && config.author !== undefined) authors.push(config.author);

  // jekyll-feed's summary: `post.description | default: post.excerpt`; a generated excerpt is made when rendering.
  const excerptRaw = data['description'] ?? data['excerpt'];
  const summary = typeof excerptRaw === 'string' || typeof excerptRaw === 'number' ? htmlToText(String(excerptRaw)) : undefined;
  const post: Post = {
    sourcePath: ref.sourcePath,
    displayPath: ref.displayPath,
    id: ref.id,
    url,
    title,
    date: ref.date,
    updated: ref.updated,
    published: ref.published,
    authors,
    categories: ref.categories,
    tags: ref.tags,
    ...(summary === undefined || summary === '' ? {} : { summary }),
    ...(ref.image === undefined ? {} : { image: ref.image }),
    ...(core.language === undefined ? {} : { language: core.language }),
    markdown: core.isMarkdown,
    renderWithLiquid: data['render_with_liquid'] !== false,
    excerptSeparator: core.excerptSeparator,
    draft: ref.draft,
    bodyOffset: ref.bodyOffset,
    ...(options.keepBody === false ? {} : { body: core.body(), data, bodyLine: core.bodyLine }),
  };
  return { post, diagnostics, ...(read.usesBuildTime ? { usesBuildTime: true as const } : {}) };
}

/** The values of `author`, else of `authors`, as a list. */
function authorList(data: Readonly<Record<string, unknown>>): readonly unknown[] {
  const authorsRaw = data['author'] ?? data['authors'];
  return Array.isArray(authorsRaw) ? authorsRaw : authorsRaw === undefined || authorsRaw === null ? [] : [authorsRaw];
}

function toAuthor(one: unknown, ctx: ParseContext): Person | undefined {
  return typeof one === 'string' ? (ctx.authors.get(one) ?? toPerson(one)) : typeof one === 'number' ? toPerson(String(one)) : toPerson(one);
}

/** Whether a `/`-separated path has a `..` segment. */
function hasDotDotSegment(text: string): boolean {
  return text === '..' || text.startsWith('../') || text.endsWith('/..') || text.includes('/../');
}

/** Whether `htmlToText(html)` is not empty, without making the text when a letter or digit proves it. */
function hasText(html: string): boolean {
  return (!html.includes('<') && !html.includes('&') && /[A-Za-z0-9]/.test(html)) || htmlToText(html) !== '';
}

// A path that WHATWG URL parsing keeps as it is: RFC 3986 path characters and `%` only (what escapePath
// makes), and no dot segment (`.`, `..`, or their `%2e` spellings, which the parser resolves).
const PLAIN_PATH = /^\/[A-Za-z0-9\-._~!$&'()*+,;=:@/%]*$/;
const DOT_SEGMENT = /(?:^|\/)(?:\.|%2e){1,2}(?=\/|$)/i;
const plainPrefixes = new WeakMap<SiteConfig, boolean>();

/**
 * `toHttpUrl(url + baseurl + sitePath)` as text. When the site's prefix and the path read back as
 * themselves (nearly always), so does their join, and no URL is parsed for it.
 */
function siteUrl(config: SiteConfig, sitePath: string): string | undefined {
  const prefix = `${config.url}${config.baseurl}`;
  let plain = plainPrefixes.get(config);
  if (plain === undefined) {
    plain = !/[?#]/.test(prefix) && toHttpUrl(`${prefix}/x`) === `${prefix}/x`;
    plainPrefixes.set(config, plain);
  }
  return plain && PLAIN_PATH.test(sitePath) && !DOT_SEGMENT.test(sitePath) ? `${prefix}${sitePath}` : toHttpUrl(`${prefix}${sitePath}`);
}

/** Reads and checks one post file: the diagnostics every post gets, and the core of a valid post. */
function readPost(file: SourceFile, ctx: ParseContext): { core?: PostCore; diagnostics: Diagnostic[]; usesBuildTime?: boolean } {
  const { config } = ctx;
  const display = file.displayPath;
  const diagnostics: Diagnostic[] = [];
  // Node's native check first; the byte-by-byte scan only runs to locate the problem.
  const invalid = isUtf8(file.bytes) ? -1 : firstInvalidUtf8(file.bytes);
  if (invalid >= 0) {
    const p = lineAndColumnOfByte(file.bytes, invalid);
    return { diagnostics: [errorAt('ENCODING_INVALID', display, `byte 0x${(file.bytes[invalid] ?? 0).toString(16).toUpperCase().padStart(2, '0')} (offset ${invalid}) is not valid UTF-8`, 'save the file as UTF-8 (most editors: "Save with encoding")', p.line, p.column)] };
  }
  const head = readHead(file.bytes);
  const text = head.text;
  // A NUL in the body is published as U+FFFD (WHATWG HTML §13.2.5: NUL in text is a parse error the parser
  // replaces); Jekyll copies it through. Worth a word: no editor puts one there on purpose.
  const nul = Buffer.from(file.bytes.buffer, file.bytes.byteOffset, file.bytes.byteLength).indexOf(0, head.bodyOffset ?? 0);
  if (nul !== -1) {
    const p = lineAndColumnOfByte(file.bytes, nul);
    diagnostics.push(warningAt('ENCODING_INVALID', display, 'contains a NUL byte (U+0000), published as U+FFFD', 'remove the NUL bytes (the file may be partly binary)', p.line, p.column));
  }

  const fileName = path.posix.basename(file.relPath);
  const draft = file.draft === true;
  const nameMatch = (draft ? DATELESS_FILENAME : DATE_FILENAME).exec(fileName);
  if (nameMatch === null) {
    return { diagnostics: [warningAt('FILENAME_INVALID', display, `is not named ${draft ? 'slug.ext' : 'YYYY-MM-DD-slug.ext'}, so Jekyll does not read it as a post; skipped`, draft ? 'give it an extension, e.g. my-draft.md' : 'rename it, e.g. 2026-02-01-my-post.md')] };
  }
  const extension = (nameMatch[5] ?? '').toLowerCase();
  const isMarkdown = config.markdownExt.includes(extension.slice(1));
  const parsedFm = parseFrontMatter(text, head);
  // Jekyll reads a matching file without front matter as a post too: its content is the whole file.
  const fm = parsedFm.kind === 'none' ? { kind: 'ok' as const, data: {} as Readonly<Record<string, unknown>>, positions: new Map<string, Position>(), body: text, bodyLine: 1, warnings: [] } : parsedFm;
  if (parsedFm.kind === 'none') diagnostics.push(warningAt('POST_SKIPPED', display, 'has no front matter; Jekyll publishes it anyway, titled after its file name, and so does feedwright', 'start the file with a `---` line, the YAML keys, and another `---` line if this is not meant'));
  if (fm.kind === 'syntax') {
    return {
      diagnostics: fm.problems.map((p) => errorAt('FRONT_MATTER_SYNTAX', display, p.message, 'fix the YAML between the `---` lines (quote values that contain `: `, `#` or start with `[`, `{`, `*`, `&`)', p.position?.line, p.position?.column)),
    };
  }
  if (fm.kind === 'not-mapping') {
    return { diagnostics: [errorAt('FRONT_MATTER_NOT_MAPPING', display, 'front matter is not a mapping of keys to values', 'write one `key: value` per line between the `---` lines', fm.position.line, fm.position.column)] };
  }
  // Front matter defaults first, then the file's own front matter over them (Jekyll's merge_defaults, read_content).
  const type = 'posts';
  const data = config.defaults.length === 0 ? fm.data : deepMerge(defaultsFor(config.defaults, file.relPath, type), fm.data);
  for (const w of fm.warnings) diagnostics.push(warningAt(w.kind === 'tag-ignored' ? 'YAML_TAG_IGNORED' : 'YAML_DUPLICATE_KEY', display, w.message, w.kind === 'tag-ignored' ? 'remove the tag' : 'remove the line Jekyll ignores', w.position?.line, w.position?.column));
  const at = (key: string): Position | undefined => fm.positions.get(key);
  const invalidField = (key: string, message: string, hint: string): void => {
    diagnostics.push(errorAt('FRONT_MATTER_INVALID', display, `${key}: ${message}`, hint, at(key)?.line, at(key)?.column));
  };

  // Date: front matter, else the file name (DESIGN.md, Input).
  const zone = config.timezone;
  const dateHint = 'write a date such as 2026-02-01T09:30:00 (UTC) or 2026-02-01 09:30:00 +01:00';
  // Jekyll's rule (Document#merge_date!): Psych's typing, `to_s`, then Ruby's Time.parse in the site's zone.
  let usesBuildTime = false;
  const report = (result: DateResult, label: string, hint: string, position?: Position): Date | undefined => {
    if ('problem' in result) {
      diagnostics.push(errorAt('DATE_INVALID', display, `${label}: ${result.problem}`, hint, position?.line, position?.column));
      return undefined;
    }
    const year = result.instant.getUTCFullYear();
    // RFC 3339 §5.6 (`date-fullyear = 4DIGIT`) and RFC 822's pubDate hold years 0001-9999 only; Ruby's
    // Time.parse takes `-0044-03-15` and `99999-01-01`, but no feed date can say them.
    if (year < 1 || year > 9999) {
      diagnostics.push(errorAt('DATE_INVALID', display, `${label}: year ${year} is outside 0001-9999, the years a feed date (RFC 3339, RFC 822) can hold`, hint, position?.line, position?.column));
      return undefined;
    }
    if (result.usesNow === true) usesBuildTime = true;
    if (result.warning !== undefined) diagnostics.push(warningAt('DATE_INVALID', display, `${label}: ${result.warning}`, 'Jekyll publishes it so; write the date you mean to be sure', position?.line, position?.column));
    return result.instant;
  };
  const readDate = (value: unknown, key: string): Date | undefined => report(readDateValue(value, zone, ctx.now), key, dateHint, at(key));
  let date: Date | undefined;
  // A `date:` left empty is nil in Ruby, and Time.parse(nil.to_s) fails the Jekyll build.
  if (data['date'] !== undefined) {
    date = readDate(data['date'], 'date');
  } else if (draft) {
    // Jekyll's Document#date: a draft without `date` is dated by its file's modification time.
    date = new Date(Math.floor(file.mtimeMs ?? 0));
  } else {
    date = report(readFileNameDate(`${nameMatch[1] ?? ''}-${nameMatch[2] ?? ''}-${nameMatch[3] ?? ''}`, zone, ctx.now), 'file name date', 'rename the file with a real date, or add a `date:` key');
  }
  const lastModified = data['last_modified_at'] === undefined || data['last_modified_at'] === null ? undefined : readDate(data['last_modified_at'], 'last_modified_at');

  // Slug: front matter `slug`, else the file name's (trailing periods removed, as Jekyll does).
  const fileSlug = (nameMatch[4] ?? '').replace(/\.+$/, '');
  const slugRaw = data['slug'];
  const slug = typeof slugRaw === 'string' || typeof slugRaw === 'number' ? String(slugRaw) : fileSlug;

  const titleRaw = data['title'];
  if (titleRaw !== undefined && titleRaw !== null && typeof titleRaw !== 'string' && typeof titleRaw !== 'number') invalidField('title', 'must be text', 'quote the title: title: "..."');

  // Categories and tags: Jekyll's Document#populate_categories / populate_tags.
  // The folders before `_posts` come first (Document#categories_from_path runs before the front matter merges).
  const fromPath = categoriesFromPath(file.relPath, draft ? '_drafts' : '_posts');
  const listed = [...fromPath, ...pluralList(data['categories'])];
  const categories = unique([...listed, ...(data['category'] !== undefined && data['category'] !== null ? pluralized(data, 'category', 'categories') : listed)]);
  const tags = unique(pluralized(data, 'tag', 'tags'));

  // Authors are made for the posts that go out (toPost); every post's are checked here.
  for (const one of authorList(data)) {
    if (toAuthor(one, ctx) === undefined && one !== null && one !== undefined && one !== '') invalidField(data['author'] === undefined ? 'authors' : 'author', 'must be a name, a handle of _data/authors.yml, or a mapping with `name`', 'write author: "Jane Doe" or author: { name: Jane Doe, email: jane@example.org }');
  }

  // jekyll-feed's summary: `post.description | default: post.excerpt` (made into text in toPost).
  const excerptRaw = data['description'] ?? data['excerpt'];
  const hasSummary = (typeof excerptRaw === 'string' || typeof excerptRaw === 'number') && hasText(String(excerptRaw));
  const langRaw = data['lang'];
  const language = typeof langRaw === 'string' && /^[A-Za-z]{1,8}(?:-[A-Za-z0-9]{1,8})*$/.test(langRaw.trim()) ? langRaw.trim() : undefined;
  const separatorRaw = data['excerpt_separator'];
  const excerptSeparator = separatorRaw === undefined || separatorRaw === null ? config.excerptSeparator : String(separatorRaw);

  // Image: relative to the site root (leading `/` optional), or an absolute http(s) URL.
  const imageRaw = data['image'];
  const imageText = typeof imageRaw === 'string' ? imageRaw.trim() : imageRaw !== null && typeof imageRaw === 'object' && typeof (imageRaw as Record<string, unknown>)['path'] === 'string' ? String((imageRaw as Record<string, unknown>)['path']).trim() : undefined;
  let image: ImageRef | undefined;
  if (imageText !== undefined && imageText !== '') {
    if (/^[a-zA-Z][a-zA-Z0-9+.-]*:/.test(imageText) || imageText.startsWith('//')) {
      const url = toHttpUrl(imageText, `${config.url}/`);
      if (url === undefined) invalidField('image', `'${imageText}' is not an http(s) URL`, 'use a path under the site root (assets/images/x.jpg) or an https:// URL');
      else image = { kind: 'remote', url };
    } else {
      let decoded = imageText;
      // Without a `%` there is nothing to decode.
      if (imageText.includes('%')) try { decoded = decodeURIComponent(imageText); } catch { /* keep as written */ }
      const local = path.posix.normalize(decoded.replace(/^\/+/, ''));
      if (local.startsWith('..') || hasDotDotSegment(decoded) || local.includes('\0')) {
        diagnostics.push(errorAt('PATH_ESCAPE', display, `image: '${imageText}' points outside the content folder`, 'put the image under content/ (e.g. content/assets/images/) and name it relative to the site root', at('image')?.line, at('image')?.column));
      } else {
        image = { kind: 'local', path: local };
      }
    }
  } else if (imageRaw !== undefined && imageRaw !== null && imageText === undefined) {
    invalidField('image', 'must be a path or URL', 'write image: assets/images/photo.jpg');
  }

  const publishedRaw = data['published'];
  const published = publishedRaw !== false;

  // Permalink and id (Jekyll Document#url, Document#id).
  const permalinkRaw = data['permalink'];
  if (permalinkRaw !== undefined && permalinkRaw !== null && typeof permalinkRaw !== 'string') invalidField('permalink', 'must be text', 'write permalink: /path/to/page/');
  // Jekyll: a post's own `permalink` (front matter or defaults), else collections.posts.permalink, else the site's.
  const template = typeof permalinkRaw === 'string' ? permalinkRaw : config.postsPermalink ?? config.permalink;
  let url: string | undefined;
  let id: string | undefined;
  if (date !== undefined) {
    const basename = fileName.slice(0, fileName.length - (nameMatch[5] ?? '').length);
    // Document#cleaned_relative_path: the relative path without extension, `_posts` cut out, trailing dots gone.
    // Only `:path` reads it.
    const cleanedPath = template.includes(':path') ? file.relPath.replace(/\.[^./]+$/, '').replace(draft ? '_drafts' : '_posts', '').replace(/\.+$/, '').replace(/^\/+/, '') : '';
    // Jekyll's output extension: Markdown becomes .html; any other file keeps its own.
    const outputExt = isMarkdown ? '.html' : extension;
    const permalink = toPermalinkPath({ template, date, timeZone: zone, categories, slug, basename, cleanedPath, outputExt });
    if ('unknownPlaceholder' in permalink) {
      const key = typeof permalinkRaw === 'string' ? 'permalink' : undefined;
      diagnostics.push(errorAt(key === undefined ? 'CONFIG_INVALID' : 'FRONT_MATTER_INVALID', display, `permalink '${template}' uses ${permalink.unknownPlaceholder}, which Jekyll does not know`, 'use :year, :month, :day, :title, :slug, :categories, :output_ext and the like', key === undefined ? undefined : at(key)?.line));
    } else {
      url = siteUrl(config, escapePath(permalink.path));
      id = siteUrl(config, escapePath(toPostIdPath(permalink.path, slug)));
      if (url === undefined || id === undefined) diagnostics.push(errorAt('FRONT_MATTER_INVALID', display, `cannot make a URL from permalink '${permalink.path}'`, 'use a simpler permalink or slug'));
    }
  }
  const idRaw = data['id'];
  if (idRaw !== undefined && idRaw !== null) {
    const idText = String(idRaw).trim();
    // RFC 4287 §4.2.6: atom:id is an IRI; we require an absolute URI so all three formats agree.
    if (/^[a-zA-Z][a-zA-Z0-9+.-]*:\S+$/.test(idText) && toAbsoluteUrl(idText) !== undefined || /^(urn|tag):\S+$/i.test(idText)) id = idText;
    // Jekyll and jekyll-feed ignore a front matter `id` (a post's id is its URL's): publish as they do.
    else diagnostics.push(warningAt('FRONT_MATTER_INVALID', display, `id: '${idText}' is not an absolute URI, so it is ignored (as Jekyll ignores it) and the post's URL-based id is used`, 'use a URL or a URN such as urn:uuid:..., or remove `id`', at('id')?.line, at('id')?.column));
  }

  const bodyBytes = head.bodyOffset === undefined ? fm.body.length : file.bytes.byteLength - head.bodyOffset;
  if (bodyBytes >= MAX_HTML_DEPTH * 3 && measureHtmlDepth(head.bodyOffset === undefined ? fm.body : decodeBody(file.bytes, head.bodyOffset)) > MAX_HTML_DEPTH) {
    diagnostics.push(errorAt('HTML_TOO_DEEP', display, `its HTML nests more than ${MAX_HTML_DEPTH} elements deep`, 'close the elements the body opens; no article needs that depth', fm.bodyLine));
  }
  if (diagnostics.some((d) => d.severity === 'error') || date === undefined || url === undefined || id === undefined) {
    return { diagnostics };
  }
  const ref: PostRef = {
    sourcePath: file.relPath,
    displayPath: display,
    id,
    url,
    date,
    updated: lastModified ?? date,
    published,
    categories,
    tags,
    ...(image === undefined ? {} : { image }),
    draft,
    bodyOffset: head.bodyOffset ?? head.bomLength + Buffer.byteLength(text.slice(0, text.length - fm.body.length)),
    hasSummary,
  };
  const body = (): string => (head.bodyOffset === undefined ? fm.body : decodeBody(file.bytes, head.bodyOffset));
  return { core: { ref, data, slug, isMarkdown, ...(language === undefined ? {} : { language }), excerptSeparator, body, bodyLine: fm.bodyLine }, diagnostics, usesBuildTime };
}
