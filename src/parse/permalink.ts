/** Jekyll's permalinks and post ids (Jekyll 4.3 `URL`, `Drops::UrlDrop`, `Document#id`), as pure functions. */
import { format } from 'date-fns';
import { TZDate } from '@date-fns/tz';
import { escapePath } from '../render/urls.js';
import { toZonedFields } from './dates.js';

const SLUGIFY_DEFAULT = /[^\p{M}\p{L}\p{Nd}]+/gu;
const SLUGIFY_PRETTY = /[^\p{M}\p{L}\p{Nd}._~!$&'()+,;=@]+/gu;

/** Jekyll's `Utils.slugify` in `default` or `pretty` mode. */
export function slugify(text: string, mode: 'default' | 'pretty' = 'default', cased = false): string {
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

/** Jekyll's `URL#to_s` for a post: placeholders filled and escaped, then `sanitize_url`. */
export function toPermalinkPath(input: PermalinkInput): PermalinkResult {
  const z = toZonedFields(input.date.getTime(), input.timeZone);
  const pad = (n: number, width = 2): string => String(n).padStart(width, '0');
  // Names and ISO weeks are rare in permalinks: date-fns formats them (in the site's zone) when asked.
  const f = (pattern: string): string => format(new TZDate(input.date.getTime(), input.timeZone), pattern);
  const categorySet = [...new Set(input.categories.map((c) => c.toLowerCase()))];
  const placeholders: Readonly<Record<string, () => string>> = {
    collection: () => 'posts',
    path: () => input.cleanedPath,
    name: () => slugify(input.basename),
    title: () => slugify(input.slug, 'pretty', true),
    slug: () => slugify(input.slug),
    categories: () => categorySet.join('/'),
    slugified_categories: () => [...new Set(input.categories.map((c) => slugify(c)))].join('/'),
    output_ext: () => input.outputExt ?? '.html',
    year: () => pad(z.year, 4),
    month: () => pad(z.month),
    day: () => pad(z.day),
    hour: () => pad(z.hour),
    minute: () => pad(z.minute),
    second: () => pad(z.second),
    i_day: () => String(z.day),
    i_month: () => String(z.month),
    short_month: () => f('MMM'),
    long_month: () => f('MMMM'),
    short_year: () => pad(z.year % 100),
    w_year: () => f('RRRR'),
    week: () => f('II'),
    w_day: () => f('i'),
    short_day: () => f('EEE'),
    long_day: () => f('EEEE'),
    y_day: () => pad(z.yearDay, 3),
  };
  let unknown: string | undefined;
  const filled = input.template.replace(/:([a-z_]+)/g, (match, name: string) => {
    // Jekyll: a name ending in `_` may stand for the name without it (`:title_` before text).
    const pool = name.endsWith('_') ? [name, name.slice(0, -1)] : [name];
    const winner = pool.find((key) => key in placeholders);
    if (winner === undefined) {
      unknown ??= match;
      return match;
    }
    const value = placeholders[winner]?.() ?? '';
    return match.replace(`:${winner}`, jekyllEscapePath(value));
  });
  if (unknown !== undefined) return { unknownPlaceholder: unknown };
  return { path: sanitizeUrl(filled) };
}

// Jekyll's URL.escape_path: values that are plain path text are kept, others percent-encoded.
function jekyllEscapePath(value: string): string {
  return value === '' || /^[a-zA-Z0-9./-]+$/.test(value) ? value : escapePath(value).replace(/#/g, '%23');
}

// Jekyll's URL#sanitize_url: "/#{str}".gsub("..", "/"), remove "./", squeeze "/".
function sanitizeUrl(text: string): string {
  return `/${text}`.replaceAll('..', '/').replaceAll('./', '').replace(/\/{2,}/g, '/');
}

/** Jekyll's `Document#id`: `File.join(File.dirname(url), slug)`. */
export function toPostIdPath(urlPath: string, slug: string): string {
  const trimmed = urlPath.length > 1 ? urlPath.replace(/\/+$/, '') : urlPath;
  const dir = trimmed.slice(0, trimmed.lastIndexOf('/')) || '/';
  return `${dir === '/' ? '' : dir}/${slug}`;
}
