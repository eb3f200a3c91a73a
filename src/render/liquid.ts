/**
 * Liquid in post bodies, rendered as Jekyll 4.3 renders it: liquidjs with Jekyll's tags and filters, `site`
 * and `page` as Jekyll builds them, includes read only from inside the content folder, and parse, time and
 * memory limits so a hostile post cannot run away. Whether a post is rendered at all
 * (`render_with_liquid: false`, Jekyll 4.1+) is the caller's decision.
 */
import { Drop, Liquid, type FS, type TagToken, type Template } from 'liquidjs';
import { errorAt, warningAt, type Diagnostic, type DiagnosticCode } from '../errors.js';
import { createSiteFileReader, type SiteFileReader } from '../load/site-files.js';
import { YamlTimestamp, toZonedFields } from '../parse/dates.js';
import { createJekyllFilters, toRelativeUrl, type FilterSite } from './liquid/filters.js';
import { bareMessage, codeOf, createJekyllTags, createUnknownTag, LiquidTagError, type PostName, type TagSite } from './liquid/tags.js';
import { fromYamlTimestamp, JekyllTime } from './liquid/time.js';

/** A post (or page) as Liquid sees it, from values the parse stage already has. */
export interface LiquidPage {
  /** The page's URL path, without `baseurl` (Jekyll's `page.url`), e.g. `/2026/01/02/x.html`. */
  readonly url: string;
  readonly date: Date;
  /** Jekyll's `page.id`, e.g. `/2026/01/02/x`. */
  readonly id: string;
  /** The source file relative to the content root (`page.path`, `page.relative_path`), e.g. `_posts/2026-01-02-x.md`. */
  readonly path: string;
  readonly slug: string;
  readonly title: string;
  readonly categories: readonly string[];
  readonly tags: readonly string[];
  /** Default `posts`. */
  readonly collection?: string;
  /** The rendered excerpt HTML, when the caller has it. */
  readonly excerpt?: string;
  /** `post.content` for templates that loop over `site.posts`, when the caller has it. */
  readonly content?: string;
  /** Front matter; the fields above override keys of the same name. */
  readonly data?: Readonly<Record<string, unknown>>;
}

/** Jekyll's `liquid:` config keys. */
export interface LiquidConfig {
  /** `strict` makes an unknown tag an error; `warn` (Jekyll's default) and `lax` make it a warning. */
  readonly error_mode?: 'warn' | 'strict' | 'lax';
  readonly strict_filters?: boolean;
  readonly strict_variables?: boolean;
}

/** Limits on one post's rendering (liquidjs `parseLimit`, `renderLimit`, `memoryLimit`). */
export interface LiquidLimits {
  /** Characters parsed per template (the post body, each include). Default 10,000,000. */
  readonly parseChars?: number;
  /** Milliseconds per post render. Default 5,000. */
  readonly renderMs?: number;
  /** liquidjs memory units (array elements, string characters, range sizes) per post render. Default 50,000,000. */
  readonly memory?: number;
}

/** What `createLiquidSite` needs: plain values the load and parse stages already have. */
export interface LiquidSiteInput {
  /** The content folder; nothing outside it is read. */
  readonly contentDir: string;
  /** How the content folder is named in diagnostics (e.g. `content`). Default `contentDir`. */
  readonly displayDir?: string;
  /** The raw `_config.yml` mapping: every key is visible as `site.<key>`. */
  readonly config: Readonly<Record<string, unknown>>;
  /** `site.data` (see `loadSiteData`). */
  readonly data: Readonly<Record<string, unknown>>;
  readonly url: string;
  readonly baseurl: string;
  /** IANA zone: every date Liquid prints is in it (Jekyll sets `TZ` from `timezone`). */
  readonly timezone: string;
  /** `site.time`. */
  readonly now: Date;
  /** `site.posts`, newest first; called only when a template uses `site.posts`/`categories`/`tags`, `link` or `post_url`. */
  readonly posts: () => readonly LiquidPage[];
  /** Default: `config.liquid`. */
  readonly liquid?: LiquidConfig;
  /** The `markdownify` filter: the site's Markdown converter. */
  readonly markdownify: (text: string) => string;
  /** The `smartify` filter (SmartyPants). Default: the text unchanged. */
  readonly smartify?: (text: string) => string;
  /** `jekyll.environment` (Jekyll's `JEKYLL_ENV`, default `development`). */
  readonly environment?: string;
  readonly limits?: LiquidLimits;
}

/** Where the body being rendered comes from, for diagnostics. */
export interface LiquidFile {
  /** The post file as the user names it (e.g. `content/_posts/2026-01-02-x.md`). */
  readonly displayPath: string;
  /** The 1-based line of the file on which the body starts (after the front matter). */
  readonly bodyLine: number;
}

/** The rendered body and what went wrong. On an error `html` is empty: the post must not go out half-rendered. */
export interface LiquidRenderResult {
  readonly html: string;
  readonly diagnostics: Diagnostic[];
}

/** A site ready to render post bodies; create one per site (and per worker). */
export interface LiquidSite {
  /** Renders one post body's Liquid as Jekyll would. */
  renderPost(body: string, page: LiquidPage, file: LiquidFile): LiquidRenderResult;
  /** Files the rendering looked up so far (`include`, `include_relative`, `link`), absolute: found or not, output depends on them. */
  filesLookedUp(): readonly string[];
  /** Whether any rendering so far may have read the build time (`site.time`, a date filter). */
  usedNow(): boolean;
}

const DEFAULT_LIMITS = { parseChars: 10_000_000, renderMs: 5_000, memory: 50_000_000 } as const;

// liquidjs's own `include`, `render` and `layout` read through `fs`; feedwright's tags read through the
// sandboxed reader instead, so this one refuses everything.
const REFUSING_FS: FS = {
  exists: () => Promise.resolve(false),
  existsSync: () => false,
  readFile: () => Promise.reject(new Error('feedwright reads includes only through its sandboxed reader')),
  readFileSync: () => {
    throw new Error('feedwright reads includes only through its sandboxed reader');
  },
  resolve: (_dir, file) => file,
  contains: () => Promise.resolve(false),
  containsSync: () => false,
};

/** Reads Jekyll's `liquid:` mapping; keys of the wrong type are ignored (config validation reports them). */
export function readLiquidConfig(value: unknown): LiquidConfig {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return {};
  const get = (key: string): unknown => (Object.hasOwn(value, key) ? (value as Record<string, unknown>)[key] : undefined);
  const mode = get('error_mode');
  const filters = get('strict_filters');
  const variables = get('strict_variables');
  return {
    ...(mode === 'warn' || mode === 'strict' || mode === 'lax' ? { error_mode: mode } : {}),
    ...(typeof filters === 'boolean' ? { strict_filters: filters } : {}),
    ...(typeof variables === 'boolean' ? { strict_variables: variables } : {}),
  };
}

/** Turns front matter and data values into what Liquid should see: dates become site-zone Ruby Times. */
function toLiquidValue(value: unknown, timeZone: string): unknown {
  if (value instanceof Date) return new JekyllTime(value.getTime(), timeZone);
  if (value instanceof YamlTimestamp) return fromYamlTimestamp(value, timeZone) ?? value.text;
  if (Array.isArray(value)) return value.map((v) => toLiquidValue(v, timeZone));
  if (value !== null && typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = toLiquidValue(v, timeZone);
    return out;
  }
  return value;
}

/** `page` as Jekyll's `DocumentDrop` shows a post: front matter, then the computed fields. */
function toPageObject(page: LiquidPage, timeZone: string): Record<string, unknown> {
  const data = toLiquidValue(page.data ?? {}, timeZone) as Record<string, unknown>;
  const slash = page.path.lastIndexOf('/');
  const name = page.path.slice(slash + 1);
  const dot = name.lastIndexOf('.');
  return {
    ...data,
    title: page.title,
    url: page.url,
    date: new JekyllTime(page.date.getTime(), timeZone),
    id: page.id,
    path: page.path,
    relative_path: page.path,
    slug: page.slug,
    categories: [...page.categories],
    tags: [...page.tags],
    collection: page.collection ?? 'posts',
    ext: dot === -1 ? '' : name.slice(dot),
    excerpt: page.excerpt ?? data['excerpt'],
    ...(page.content === undefined ? {} : { content: page.content }),
  };
}

/**
 * The page being rendered, as a Drop whose `next` and `previous` are looked up only when a template asks
 * for them (liquidjs reads every value's `next` to detect iterators, which would load every post for every
 * page). Behind a Proxy, only the page's own fields are visible; any other name (`constructor`, `valueOf`,
 * `next`…) reads as missing, so liquidjs asks `liquidMethodMissing`, as `ownPropertyOnly` does for objects.
 */
function toPageDrop(fields: Record<string, unknown>, neighbour: (step: -1 | 1) => Record<string, unknown> | undefined): Drop {
  class PageDrop extends Drop {
    override liquidMethodMissing(key: string | number): unknown {
      if (key === 'next') return neighbour(-1);
      if (key === 'previous') return neighbour(1);
      return undefined;
    }
  }
  const drop = Object.assign(new PageDrop(), fields);
  return new Proxy(drop, {
    get(target, key, receiver) {
      if (Object.hasOwn(target, key) || key === 'liquidMethodMissing' || key === 'toString' || typeof key === 'symbol') return Reflect.get(target, key, receiver);
      return undefined;
    },
  });
}

/** A Jekyll page's default URL (`/:path/:basename:output_ext`, Markdown → `.html`, `index` → its folder). */
function defaultPageUrl(relativePath: string): string {
  const withHtml = relativePath.replace(/\.(?:md|markdown|mkdown|mkdn|mkd)$/i, '.html');
  return `/${withHtml.replace(/(^|\/)index\.html$/, '$1')}`;
}

interface RenderState {
  readonly page: LiquidPage;
  readonly file: LiquidFile;
  readonly diagnostics: Diagnostic[];
  readonly reported: Set<string>;
}

/** Makes a Liquid renderer for one site. */
export function createLiquidSite(input: LiquidSiteInput): LiquidSite {
  const timeZone = input.timezone;
  const displayDir = (input.displayDir ?? input.contentDir).replace(/\/+$/, '');
  const liquidConfig: LiquidConfig = input.liquid ?? readLiquidConfig(input.config['liquid']);
  const limits = { ...DEFAULT_LIMITS, ...input.limits };
  let reader: SiteFileReader | undefined;
  const files = (): SiteFileReader => (reader ??= createSiteFileReader(input.contentDir));
  // Whether the output may depend on the build time: `site.time` read, or a date filter run (it may read
  // `now`, `today` or a date missing parts, which Ruby's Time.parse takes from the clock).
  let usedNow = false;
  const nowMs = input.now.getTime();
  const filterSite: FilterSite = {
    url: input.url,
    baseurl: input.baseurl,
    timeZone,
    get now() {
      usedNow = true;
      return nowMs;
    },
    markdownify: input.markdownify,
    smartify: input.smartify ?? ((text) => text),
  };

  // Everything derived from the posts is built on first use only.
  let pages: readonly LiquidPage[] | undefined;
  const allPages = (): readonly LiquidPage[] => (pages ??= input.posts());
  let posts: Record<string, unknown>[] | undefined;
  let byPath: Map<string, LiquidPage> | undefined;
  let byName: Map<string, LiquidPage[]> | undefined;
  const postObjects = (): Record<string, unknown>[] => (posts ??= allPages().map((p) => toPageObject(p, timeZone)));
  const postsByPath = (): Map<string, LiquidPage> => (byPath ??= new Map(allPages().map((p) => [p.path, p])));
  let indexByPath: Map<string, number> | undefined;
  // Jekyll's `page.next` (the next newer post) and `page.previous` (the next older), looked up only when used.
  const neighbour = (page: LiquidPage, step: -1 | 1): Record<string, unknown> | undefined => {
    indexByPath ??= new Map(allPages().map((p, i) => [p.path, i]));
    const i = indexByPath.get(page.path);
    return i === undefined ? undefined : postObjects()[i + step];
  };
  const currentPageObject = (page: LiquidPage): Drop => toPageDrop(toPageObject(page, timeZone), (step) => neighbour(page, step));
  const postsByName = (): Map<string, LiquidPage[]> => {
    if (byName !== undefined) return byName;
    const map = new Map<string, LiquidPage[]>();
    for (const p of allPages()) {
      const base = (p.path.split('/').pop() ?? '').replace(/\.[^.]+$/, '');
      map.set(base, [...(map.get(base) ?? []), p]);
    }
    return (byName = map);
  };
  // Jekyll's `Site#post_attr_hash`: names in the order the oldest post first uses them, each list newest first.
  const groupBy = (key: 'categories' | 'tags'): Record<string, unknown[]> => {
    const out: Record<string, unknown[]> = {};
    const list = allPages();
    const objects = postObjects();
    for (let i = list.length - 1; i >= 0; i--) for (const name of list[i]?.[key] ?? []) (out[name] ??= []).push(objects[i]);
    for (const list of Object.values(out)) list.reverse();
    return out;
  };

  const site: Record<string, unknown> = {
    ...(toLiquidValue(input.config, timeZone) as Record<string, unknown>),
    url: input.url,
    baseurl: input.baseurl,
    get time() {
      usedNow = true;
      return new JekyllTime(nowMs, timeZone);
    },
    data: toLiquidValue(input.data, timeZone),
    pages: [],
    static_files: [],
    html_pages: [],
    collections: [],
    related_posts: [],
  };
  let categories: Record<string, unknown[]> | undefined;
  let tags: Record<string, unknown[]> | undefined;
  Object.defineProperties(site, {
    posts: { enumerable: true, get: postObjects },
    documents: { enumerable: true, get: postObjects },
    categories: { enumerable: true, get: () => (categories ??= groupBy('categories')) },
    tags: { enumerable: true, get: () => (tags ??= groupBy('tags')) },
  });
  const jekyll = { version: '4.3.1', environment: input.environment ?? 'development' };

  let current: RenderState | undefined;
  const partials = new Map<string, Template[]>();
  const includesDir = typeof input.config['includes_dir'] === 'string' ? input.config['includes_dir'].replace(/^\/+|\/+$/g, '') : '_includes';

  const liquid = new Liquid({
    fs: REFUSING_FS,
    root: [],
    partials: [],
    layouts: [],
    relativeReference: false,
    ownPropertyOnly: true,
    strictFilters: liquidConfig.strict_filters === true,
    strictVariables: liquidConfig.strict_variables === true,
    parseLimit: limits.parseChars,
    renderLimit: limits.renderMs,
    memoryLimit: limits.memory,
    timezoneOffset: timeZone,
    cache: false,
  });

  const tagSite: TagSite = {
    includesDir,
    strictUnknownTags: liquidConfig.error_mode === 'strict',
    currentPagePath: () => current?.page.path ?? '',
    loadPartial(relativePath) {
      const cached = partials.get(relativePath);
      if (cached !== undefined) return cached;
      const found = files().read(relativePath);
      if (found.kind === 'escape') throw new LiquidTagError(`included file '${relativePath}' leads outside the content folder`, 'PATH_ESCAPE');
      if (found.kind === 'too-large') throw new LiquidTagError(`included file '${relativePath}' is ${found.bytes} bytes, over the limit`, 'LIQUID_LIMIT');
      if (found.kind === 'missing') throw new LiquidTagError(`Could not locate the included file '${relativePath}'. Ensure it exists and, if it is a symlink, does not point outside your site source.`);
      let templates: Template[];
      try {
        templates = liquid.parse(found.text, relativePath);
      } catch (error) {
        const line = (error as { token?: { getPosition(): number[] } }).token?.getPosition()[0];
        throw new LiquidTagError(`in ${relativePath}${line === undefined ? '' : ` line ${line}`}: ${bareMessage(error)}`, codeOf(error) ?? 'LIQUID_ERROR', { cause: error });
      }
      partials.set(relativePath, templates);
      return templates;
    },
    linkUrl(relativePath) {
      const post = postsByPath().get(relativePath);
      if (post !== undefined) return post.url;
      const found = files().read(relativePath);
      if (found.kind !== 'file') return undefined;
      if (!/^---\s*\r?\n/.test(found.text)) return `/${found.relativePath}`;
      const url = defaultPageUrl(found.relativePath);
      if (current !== undefined) {
        current.diagnostics.push(
          warningAt('LIQUID_LINK_UNRESOLVED', current.file.displayPath, `{% link ${relativePath} %} names a page, not a post; feedwright does not build pages and used Jekyll's default page URL ${url}`, 'link to the page by its URL if it sets a permalink', current.file.bodyLine),
        );
      }
      return url;
    },
    postUrl(name: PostName) {
      const candidates = postsByName().get(`${name.date}-${name.slug}`) ?? [];
      const escape = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
      const path = escape(name.path);
      const basename = `${escape(name.date)}-${escape(name.slug)}\\.[^.]+`;
      const pattern = new RegExp(`^_posts/${path}${basename}|^${path}_posts/?${basename}`);
      const exact = candidates.find((p) => pattern.test(p.path));
      if (exact !== undefined) return exact.url;
      // Jekyll's deprecated fallback: same slug and the same calendar day.
      const [y, m, d] = name.date.split('-').map(Number);
      const fallback = allPages().find((p) => {
        const f = toZonedFields(p.date.getTime(), timeZone);
        return p.slug === name.slug && f.year === y && f.month === m && f.day === d;
      });
      return fallback?.url;
    },
    relativeUrl: (url) => toRelativeUrl(filterSite, url) ?? '',
    reportUnknownTag(token: TagToken) {
      if (current === undefined) return;
      const [line = 1, column = 1] = token.getPosition();
      const where = token.file === undefined ? { file: current.file.displayPath, line: current.file.bodyLine + line - 1 } : { file: `${displayDir}/${token.file}`, line };
      const key = `${where.file}:${where.line}:${column}:${token.name}`;
      if (current.reported.has(key)) return;
      current.reported.add(key);
      current.diagnostics.push(
        warningAt('LIQUID_TAG_UNKNOWN', where.file, `unknown Liquid tag '${token.name}' (from a Jekyll plugin feedwright does not have) left out of the output`, "remove the tag from the post, or set `liquid.error_mode: strict` to make this an error", where.line, column),
      );
    },
  };

  for (const [name, impl] of Object.entries(createJekyllFilters(filterSite))) liquid.registerFilter(name, impl);
  for (const [name, tag] of Object.entries(createJekyllTags(tagSite))) liquid.registerTag(name, tag);
  const registry = liquid.tags;
  // Not in Jekyll's Liquid (or they read files past the sandbox): treated as unknown tags.
  for (const name of ['layout', 'render', 'block']) delete registry[name];
  // Any other name resolves to the unknown-tag stand-in: liquidjs looks tags up by property on this object.
  const unknownTag = createUnknownTag(tagSite);
  Object.setPrototypeOf(registry, new Proxy(Object.create(null) as object, { get: (_target, key) => (typeof key === 'string' ? unknownTag : undefined) }));

  const toDiagnostic = (error: unknown, file: LiquidFile): Diagnostic => {
    const code: DiagnosticCode = codeOf(error) ?? 'LIQUID_ERROR';
    const token = (error as { token?: { getPosition(): number[]; file?: string } }).token;
    const [line, column] = token?.getPosition() ?? [];
    const inPost = token !== undefined && token.file === undefined;
    const fileLine = inPost && line !== undefined ? file.bodyLine + line - 1 : undefined;
    const hints: Partial<Record<DiagnosticCode, string>> = {
      LIQUID_LIMIT: 'the post asks Liquid for too much work or memory; simplify the loop or the data it walks',
      PATH_ESCAPE: 'include only files inside the content folder (no `..`, no symlinks that lead out)',
      LIQUID_TAG_UNKNOWN: 'remove the tag, or set `liquid.error_mode` to `warn` to leave unknown tags out with a warning',
    };
    return errorAt(code, file.displayPath, `Liquid: ${bareMessage(error)}`, hints[code] ?? 'fix the Liquid in the post; Jekyll fails on it too (wrap literal braces in {% raw %}...{% endraw %})', fileLine, inPost ? column : undefined);
  };

  return {
    filesLookedUp: () => (reader === undefined ? [] : [...reader.lookedUp]),
    usedNow: () => usedNow,
    renderPost(body, page, file) {
      // Jekyll's `Utils.has_liquid_construct?`: a body without `{{` or `{%` is not run through Liquid.
      if (!body.includes('{{') && !body.includes('{%')) return { html: body, diagnostics: [] };
      const state: RenderState = { page, file, diagnostics: [], reported: new Set() };
      current = state;
      try {
        const templates = liquid.parse(body);
        const html = String(liquid.renderSync(templates, { site, page: currentPageObject(page), jekyll, paginator: null }));
        return { html, diagnostics: state.diagnostics };
      } catch (error) {
        return { html: '', diagnostics: [...state.diagnostics, toDiagnostic(error, file)] };
      } finally {
        current = undefined;
      }
    },
  };
}
