/** Jekyll's permalinks and post ids (Jekyll 4.3 `URL`, `Drops::UrlDrop`, `Document#id`), as pure functions. */
import { createRequire } from 'node:module';
import { TZDate } from '@date-fns/tz';
import { escapePath } from '../render/urls.js';
import { toZonedFields } from './dates.js';
import type { ZonedFields } from './zones.js';

const SLUGIFY_DEFAULT = /[^\p{M}\p{L}\p{Nd}]+/gu;
const SLUGIFY_PRETTY = /[^\p{M}\p{L}\p{Nd}._~!$&'()+,;=@]+/gu;
const PLAIN_SLUG = /^[A-Za-z0-9]+(?:-[A-Za-z0-9]+)*$/;

/** Jekyll's `Utils.slugify` in `default` or `pretty` mode. */
export function slugify(text: string, mode: 'default' | 'pretty' = 'default', cased = false): string {
  // ASCII words joined by single hyphens hold nothing either mode replaces.
  if (PLAIN_SLUG.test(text)) return cased ? text : text.toLowerCase();
  const slug = text.replace(mode === 'pretty' ? SLUGIFY_PRETTY : SLUGIFY_DEFAULT, '-').replace(/^-|-$/g, '');
  return cased ? slug : slug.toLowerCase();
}

/** Jekyll's `Utils.titleize_slug`: `my-first-post` → `My First Post`. */
export function titleizeSlug(slug: string): string {
  return slug
    .split('-')
    .map((w) => (w === '' ? w : w.charAt(0).toUpperCase() + w.slice(1).toLowerCase()))
    .join(' ');
}

/** What a permalink template can refer to. */
export interface PermalinkInput {
  readonly template: string;
  readonly date: Date;
  readonly timeZone: string;
  readonly categories: readonly string[];
  /** `data["slug"]`: front matter `slug`, else the file name's slug. */
  readonly slug: string;
  /** The file name without extension (with its date prefix). */
  readonly basename: string;
  /** Path below `_posts/` without extension, e.g. `2026/2026-02-02-nested`. */
  readonly cleanedPath: string;
  /** The output file's extension (`.html` for Markdown; default `.html`). */
  readonly outputExt?: string;
}

/** Outcome: the site-relative URL path, or the placeholder Jekyll would refuse. */
export type PermalinkResult = { readonly path: string } | { readonly unknownPlaceholder: string };

/** What a placeholder reads: the post, and its date's calendar fields in the site's zone (made once, when asked). */
interface PlaceholderScope {
  readonly input: PermalinkInput;
  readonly zoned: () => ZonedFields;
}

const pad = (n: number, width = 2): string => String(n).padStart(width, '0');
// Names and ISO weeks are rare in permalinks: date-fns formats them (in the site's zone) when asked.
// `date-fns/format` (the one function, not the package index of ~250 modules) is loaded the first time a
// template asks for one of them: a build whose templates do not spends no start-up on it (imported alone
// here, it took 68 ms).
let format: typeof import('date-fns/format').format | undefined;
const formatIn = (scope: PlaceholderScope, pattern: string): string => {
  format ??= (createRequire(import.meta.url)('date-fns/format') as typeof import('date-fns/format')).format;
  return format(new TZDate(scope.input.date.getTime(), scope.input.timeZone), pattern);
};

/** Jekyll's `Drops::UrlDrop` placeholders. */
const PLACEHOLDERS: Readonly<Record<string, (scope: PlaceholderScope) => string>> = {
  collection: () => 'posts',
  path: ({ input }) => input.cleanedPath,
  name: ({ input }) => slugify(input.basename),
  title: ({ input }) => slugify(input.slug, 'pretty', true),
  slug: ({ input }) => slugify(input.slug),
  categories: ({ input }) => (input.categories.length === 1 ? (input.categories[0] as string).toLowerCase() : [...new Set(input.categories.map((c) => c.toLowerCase()))].join('/')),
  slugified_categories: ({ input }) => [...new Set(input.categories.map((c) => slugify(c)))].join('/'),
  output_ext: ({ input }) => input.outputExt ?? '.html',
  year: ({ zoned }) => pad(zoned().year, 4),
  month: ({ zoned }) => pad(zoned().month),
  day: ({ zoned }) => pad(zoned().day),
  hour: ({ zoned }) => pad(zoned().hour),
  minute: ({ zoned }) => pad(zoned().minute),
  second: ({ zoned }) => pad(zoned().second),
  i_day: ({ zoned }) => String(zoned().day),
  i_month: ({ zoned }) => String(zoned().month),
  short_month: (scope) => formatIn(scope, 'MMM'),
  long_month: (scope) => formatIn(scope, 'MMMM'),
  short_year: ({ zoned }) => pad(zoned().year % 100),
  w_year: (scope) => formatIn(scope, 'RRRR'),
  week: (scope) => formatIn(scope, 'II'),
  w_day: (scope) => formatIn(scope, 'i'),
  short_day: (scope) => formatIn(scope, 'EEE'),
  long_day: (scope) => formatIn(scope, 'EEEE'),
  y_day: ({ zoned }) => pad(zoned().yearDay, 3),
};

/** A template split once into literal text and placeholders (a site has one or two templates for thousands of posts). */
type CompiledTemplate = { readonly parts: ReadonlyArray<string | { readonly fill: (scope: PlaceholderScope) => string; readonly after: string }> } | { readonly unknownPlaceholder: string };

const compiledTemplates = new Map<string, CompiledTemplate>();

function compileTemplate(template: string): CompiledTemplate {
  let compiled = compiledTemplates.get(template);
  if (compiled !== undefined) return compiled;
  const parts: Array<string | { fill: (scope: PlaceholderScope) => string; after: string }> = [];
  let unknown: string | undefined;
  let last = 0;
  for (const match of template.matchAll(/:([a-z_]+)/g)) {
    const name = match[1] ?? '';
    // Jekyll: a name ending in `_` may stand for the name without it (`:title_` before text).
    const pool = name.endsWith('_') ? [name, name.slice(0, -1)] : [name];
    const winner = pool.find((key) => Object.hasOwn(PLACEHOLDERS, key));
    const fill = winner === undefined ? undefined : PLACEHOLDERS[winner];
    if (fill === undefined || winner === undefined) {
      unknown ??= match[0];
      continue;
    }
    parts.push(template.slice(last, match.index));
    parts.push({ fill, after: name.slice(winner.length) });
    last = match.index + match[0].length;
  }
  parts.push(template.slice(last));
  compiled = unknown === undefined ? { parts } : { unknownPlaceholder: unknown };
  if (compiledTemplates.size > 1_000) compiledTemplates.clear();
  compiledTemplates.set(template, compiled);
  return compiled;
}

/** Jekyll's `URL#to_s` for a post: placeholders filled and escaped, then `sanitize_url`. */
export function toPermalinkPath(input: PermalinkInput): PermalinkResult {
  const compiled = compileTemplate(input.template);
  if ('unknownPlaceholder' in compiled) return { unknownPlaceholder: compiled.unknownPlaceholder };
  let zoned: ZonedFields | undefined;
  const scope: PlaceholderScope = { input, zoned: () => (zoned ??= toZonedFields(input.date.getTime(), input.timeZone)) };
  let filled = '';
  for (const part of compiled.parts) filled += typeof part === 'string' ? part : jekyllEscapePath(part.fill(scope)) + part.after;
  return { path: sanitizeUrl(filled) };
}

// Jekyll's URL.escape_path: values that are plain path text are kept, others percent-encoded.
function jekyllEscapePath(value: string): string {
  return value === '' || /^[a-zA-Z0-9./-]+$/.test(value) ? value : escapePath(value).replace(/#/g, '%23');
}

// Jekyll's URL#sanitize_url: "/#{str}".gsub("..", "/"), remove "./", squeeze "/".
function sanitizeUrl(text: string): string {
  const url = `/${text}`;
  if (!url.includes('..') && !url.includes('./') && !url.includes('//')) return url;
  return url.replaceAll('..', '/').replaceAll('./', '').replace(/\/{2,}/g, '/');
}

/** Jekyll's `Document#id`: `File.join(File.dirname(url), slug)`. */
export function toPostIdPath(urlPath: string, slug: string): string {
  const trimmed = urlPath.length > 1 ? urlPath.replace(/\/+$/, '') : urlPath;
  const dir = trimmed.slice(0, trimmed.lastIndexOf('/')) || '/';
  return `${dir === '/' ? '' : dir}/${slug}`;
}
