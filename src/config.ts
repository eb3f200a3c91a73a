/** Site configuration: `_config.yml` (Jekyll + jekyll-feed keys) and CLI overrides → a validated `SiteConfig`. */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { errorAt, warningAt, type Diagnostic } from './errors.js';
import { isKnownTimeZone } from './parse/dates.js';
import { stripXmlForbidden } from './serialize/xml.js';
import { isYamlMapping, readYaml } from './parse/yaml.js';
import { toAbsoluteUrl, toHttpUrl } from './render/urls.js';
import type { AbsoluteUrl, Person } from './types.js';

/** Which tag feeds to write: none, all, or jekyll-feed's `only`/`except` lists. */
export type TagFeeds = false | true | { readonly only?: readonly string[]; readonly except?: readonly string[] };

/** jekyll-feed's keys, validated. */
export interface FeedConfig {
  /** Items per feed; 0 means every post. jekyll-feed's default is 10. */
  readonly postsLimit: number;
  readonly excerptOnly: boolean;
  /** `true` for every category, or the list of category names that get a feed. */
  readonly categories: boolean | readonly string[];
  readonly tags: TagFeeds;
  /** WebSub hubs (`feed.hub`: a URL or a list), advertised in every feed. */
  readonly hubs: readonly AbsoluteUrl[];
  /** RFC 5005 archives (`feed.archive: true`): monthly archive documents hold every post not in the site feed. */
  readonly archive: boolean;
  /** jekyll-feed's `feed.path`: where jekyll-feed wrote the site's Atom feed (default `/feed.xml`). */
  readonly jekyllPath: string;
  /** jekyll-feed's `feed.tags.path`: the folder of its tag feeds (default `/feed/by_tag/`). */
  readonly jekyllTagsPath: string;
  /** Hosts whose `<iframe>` players are kept (`feed.iframe_hosts`, default none). */
  readonly iframeHosts: readonly string[];
}

/** One entry of Jekyll's front matter `defaults:`: values for the documents its scope matches. */
export interface FrontMatterDefault {
  /** Site-relative path prefix or glob (`''` matches everything). */
  readonly path: string;
  /** Collection label (`posts`, `drafts`, `pages`), or any when absent. */
  readonly type?: string;
  readonly values: Readonly<Record<string, unknown>>;
}

/** The validated site configuration every later stage trusts. */
export interface SiteConfig {
  readonly title: string;
  readonly description?: string;
  /** Scheme + host (+ port), no trailing slash, e.g. `https://news.example.org`. */
  readonly url: string;
  /** `''` or a path starting with `/` and not ending with one, e.g. `/blog`. */
  readonly baseurl: string;
  /** The site's home page, `url` + `baseurl` + `/`: what feeds link to and resolve their own URLs against. */
  readonly home: AbsoluteUrl;
  readonly lang?: string;
  /** IANA zone; Jekyll's `timezone`, UTC when absent (never the host's zone). */
  readonly timezone: string;
  readonly author?: Person;
  /** A permalink template (named styles already expanded). */
  readonly permalink: string;
  /** Jekyll's `future`: publish posts dated after the build clock. */
  readonly future: boolean;
  /** Jekyll's `unpublished`: publish posts with `published: false`. */
  readonly unpublished: boolean;
  readonly feed: FeedConfig;
  /** `_config.yml` as read (Liquid's `site`), with `url` and `baseurl` as used. */
  readonly raw: Readonly<Record<string, unknown>>;
  /** Jekyll's `exclude` (with its default excludes) and `include`: paths the reader skips or keeps. */
  readonly exclude: readonly string[];
  readonly include: readonly string[];
  /** Jekyll's `show_drafts` (`--drafts`): posts in `_drafts/` are published too. */
  readonly showDrafts: boolean;
  /** Jekyll's `collections_dir`: where `_posts/` folders live ('' for the site root). */
  readonly collectionsDir: string;
  /** `collections.posts.permalink`, which wins over `permalink` for posts, as in Jekyll. */
  readonly postsPermalink?: string;
  /** Front matter defaults, in the order written. */
  readonly defaults: readonly FrontMatterDefault[];
  /** Jekyll's `excerpt_separator` (default a blank line; '' turns excerpts off). */
  readonly excerptSeparator: string;
  /** File extensions (without the dot) Jekyll renders as Markdown (`markdown_ext`). */
  readonly markdownExt: readonly string[];
}

/** Jekyll 4.3's `Configuration::DEFAULT_EXCLUDES`, always added to `exclude`. */
const DEFAULT_EXCLUDES = ['.sass-cache', '.jekyll-cache', 'gemfiles', 'Gemfile', 'Gemfile.lock', 'node_modules', 'vendor/bundle/', 'vendor/cache/', 'vendor/gems/', 'vendor/ruby/'];

/** What the CLI (or a caller) may override. */
export interface ConfigOverrides {
  readonly url?: string;
  readonly baseurl?: string;
  readonly timezone?: string;
  readonly postsLimit?: number;
  readonly future?: boolean;
  readonly unpublished?: boolean;
  /** Jekyll's `--drafts`. */
  readonly drafts?: boolean;
}

/** Jekyll's named permalink styles (Jekyll::Utils#style_to_permalink... in Configuration). */
const PERMALINK_STYLES: Readonly<Record<string, string>> = {
  date: '/:categories/:year/:month/:day/:title:output_ext',
  pretty: '/:categories/:year/:month/:day/:title/',
  ordinal: '/:categories/:year/:y_day/:title:output_ext',
  weekdate: '/:categories/:year/W:week/:short_day/:title:output_ext',
  none: '/:categories/:title:output_ext',
};

/** Expands a named permalink style; other values are templates already. */
export function expandPermalinkStyle(permalink: string): string {
  return PERMALINK_STYLES[permalink] ?? permalink;
}

/** Reads `content/_config.yml` (absent = all defaults) and applies overrides. */
export async function loadConfig(contentDir: string, displayDir: string, overrides: ConfigOverrides = {}): Promise<{ config?: SiteConfig; diagnostics: Diagnostic[] }> {
  const file = path.join(contentDir, '_config.yml');
  const display = path.posix.join(displayDir, '_config.yml');
  let text = '';
  try {
    text = await readFile(file, 'utf8');
  } catch (cause) {
    if ((cause as NodeJS.ErrnoException).code !== 'ENOENT') {
      return { diagnostics: [errorAt('READ_FAILED', display, `cannot read: ${(cause as Error).message}`, 'check the file permissions')] };
    }
  }
  let cname: string | undefined;
  try {
    cname = (await readFile(path.join(contentDir, 'CNAME'), 'utf8')).split(/\r?\n/)[0]?.trim();
  } catch {
    cname = undefined;
  }
  return parseConfig(text, display, overrides, cname === '' ? undefined : cname);
}

/** Validates config text; pure. Every problem is reported with its line. */
export function parseConfig(text: string, display: string, overrides: ConfigOverrides = {}, cname?: string): { config?: SiteConfig; diagnostics: Diagnostic[] } {
  const read = readYaml(text);
  const diagnostics: Diagnostic[] = [];
  if (read.kind === 'syntax') {
    for (const e of read.problems) diagnostics.push(errorAt('CONFIG_SYNTAX', display, e.message, 'fix the YAML syntax of _config.yml', e.position?.line, e.position?.column));
    return { diagnostics };
  }
  const lines = new Map<string, number>([...read.keyPositions].map(([k, p]) => [k, p.line]));
  if (read.value !== null && read.value !== false && !isYamlMapping(read.value)) {
    return { diagnostics: [errorAt('CONFIG_INVALID', display, '_config.yml is not a mapping of keys to values', 'write `key: value` lines, as in Jekyll', 1, 1)] };
  }
  // Psych keeps the last of a repeated key; Jekyll publishes so, and so do we, with a warning.
  for (const w of read.warnings) diagnostics.push(warningAt(w.kind === 'tag-ignored' ? 'YAML_TAG_IGNORED' : 'YAML_DUPLICATE_KEY', display, w.message, w.kind === 'tag-ignored' ? 'remove the tag' : 'remove the repeated key: only its last value counts', w.position?.line, w.position?.column));
  const raw = isYamlMapping(read.value) ? read.value : {};
  const bad = (key: string, message: string, hint: string): void => {
    diagnostics.push(errorAt('CONFIG_INVALID', display, `${key}: ${message}`, hint, lines.get(key.split('.')[0] ?? key)));
  };

  const title = optionalString(raw['title'] ?? raw['name']) ?? '';
  const description = optionalString(raw['description']);
  let urlText = overrides.url ?? optionalString(raw['url']) ?? '';
  if (urlText === '' && cname !== undefined) {
    // GitHub Pages supplies `url` from the repository's CNAME file (github-pages gem); https is what it serves.
    urlText = `https://${cname}`;
    diagnostics.push(warningAt('CONFIG_INVALID', display, `url: not set; using https://${cname} from the CNAME file, as GitHub Pages does`, 'set `url:` in _config.yml (or pass --url) if the site is served elsewhere', lines.get('url')));
  }
  let url = '';
  try {
    const parsed = new URL(urlText);
    if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') throw new Error('not http(s)');
    url = parsed.origin + parsed.pathname.replace(/\/+$/, '');
  } catch {
    bad('url', urlText === '' ? 'is missing' : `'${urlText}' is not an absolute http(s) URL`, 'set `url: https://your.site` in _config.yml (or pass --url): feeds need absolute URLs');
  }
  const baseurlText = overrides.baseurl ?? optionalString(raw['baseurl']) ?? '';
  const baseurl = baseurlText === '' || baseurlText === '/' ? '' : `/${baseurlText.replace(/^\/+|\/+$/g, '')}`;
  const timezone = overrides.timezone ?? optionalString(raw['timezone']) ?? 'UTC';
  if (!isKnownTimeZone(timezone)) bad('timezone', `'${timezone}' is not an IANA time zone`, 'use a name such as Europe/London or America/New_York');
  const permalinkRaw = raw['permalink'];
  const permalink = expandPermalinkStyle(typeof permalinkRaw === 'string' ? permalinkRaw : 'date');
  const author = toPerson(raw['author']);
  const feedRaw = raw['feed'] === undefined || raw['feed'] === null ? {} : raw['feed'];
  let feed: FeedConfig = { postsLimit: 10, excerptOnly: false, categories: false, tags: false, hubs: [], archive: false, jekyllPath: '/feed.xml', jekyllTagsPath: '/feed/by_tag/', iframeHosts: [] };
  if (typeof feedRaw !== 'object' || Array.isArray(feedRaw)) {
    bad('feed', 'must be a mapping', 'write `feed:` followed by indented keys such as `posts_limit: 20`');
  } else {
    feed = parseFeedConfig(feedRaw as Record<string, unknown>, (k, m, h) => bad(`feed.${k}`, m, h));
  }
  if (overrides.postsLimit !== undefined) feed = { ...feed, postsLimit: overrides.postsLimit };
  const lang = optionalString(raw['lang']);
  const stringList = (value: unknown): string[] => (Array.isArray(value) ? value.filter((v) => v !== null && v !== undefined).map(String) : typeof value === 'string' ? [value] : []);
  const collections = raw['collections'];
  const postsCollection = collections !== null && typeof collections === 'object' && !Array.isArray(collections) ? (collections as Record<string, unknown>)['posts'] : undefined;
  const postsPermalinkRaw = postsCollection !== null && typeof postsCollection === 'object' ? (postsCollection as Record<string, unknown>)['permalink'] : undefined;
  const defaults = parseDefaults(raw['defaults'], (m, h) => bad('defaults', m, h));
  const separatorRaw = raw['excerpt_separator'];
  const markdownExtRaw = optionalString(raw['markdown_ext']) ?? 'markdown,mkdown,mkdn,mkd,md';
  const home = toHttpUrl(`${url}${baseurl}/`);
  if (home === undefined && url !== '') bad('baseurl', `'${baseurlText}' does not make a URL with url '${url}'`, 'write baseurl as a path such as /blog');
  if (diagnostics.some((d) => d.severity === 'error') || home === undefined) return { diagnostics };
  return {
    config: {
      title,
      ...(description === undefined ? {} : { description }),
      url,
      baseurl,
      home,
      ...(lang === undefined ? {} : { lang }),
      timezone,
      ...(author === undefined ? {} : { author }),
      permalink,
      future: overrides.future ?? raw['future'] === true,
      unpublished: overrides.unpublished ?? raw['unpublished'] === true,
      feed,
      raw: { ...raw, url, baseurl },
      exclude: [...stringList(raw['exclude']), ...DEFAULT_EXCLUDES],
      include: stringList(raw['include']),
      showDrafts: overrides.drafts ?? raw['show_drafts'] === true,
      collectionsDir: (optionalString(raw['collections_dir']) ?? '').replace(/^\/+|\/+$/g, ''),
      ...(typeof postsPermalinkRaw === 'string' && postsPermalinkRaw !== '' ? { postsPermalink: postsPermalinkRaw } : {}),
      defaults,
      excerptSeparator: separatorRaw === undefined || separatorRaw === null ? '\n\n' : String(separatorRaw),
      markdownExt: markdownExtRaw.split(',').map((e) => e.trim().toLowerCase()).filter((e) => e !== ''),
    },
    diagnostics,
  };
}

/** Jekyll's `defaults:` list: `{ scope: { path, type }, values }` entries; malformed ones are reported. */
function parseDefaults(raw: unknown, bad: (message: string, hint: string) => void): FrontMatterDefault[] {
  if (raw === undefined || raw === null) return [];
  if (!Array.isArray(raw)) {
    bad('must be a list of { scope, values } entries', 'write `defaults:` then `- scope: { path: "" }` and `values:` lines');
    return [];
  }
  const out: FrontMatterDefault[] = [];
  for (const entry of raw) {
    if (entry === null || typeof entry !== 'object' || Array.isArray(entry)) continue;
    const { scope, values } = entry as Record<string, unknown>;
    if (values === null || typeof values !== 'object' || Array.isArray(values)) continue;
    const s = scope !== null && typeof scope === 'object' && !Array.isArray(scope) ? (scope as Record<string, unknown>) : {};
    const type = typeof s['type'] === 'string' ? s['type'] : undefined;
    out.push({ path: typeof s['path'] === 'string' ? s['path'] : '', ...(type === undefined ? {} : { type }), values: values as Record<string, unknown> });
  }
  return out;
}

function parseFeedConfig(raw: Record<string, unknown>, bad: (key: string, message: string, hint: string) => void): FeedConfig {
  let postsLimit = 10;
  const limit = raw['posts_limit'];
  if (limit !== undefined && limit !== null) {
    if (typeof limit === 'number' && Number.isInteger(limit) && limit >= 0) postsLimit = limit;
    else bad('posts_limit', `'${String(limit)}' is not a whole number`, 'use a number of posts, or 0 for every post');
  }
  const categoriesRaw = raw['categories'];
  let categories: boolean | readonly string[] = false;
  if (categoriesRaw === true) categories = true;
  else if (Array.isArray(categoriesRaw)) categories = categoriesRaw.map(String);
  else if (categoriesRaw !== undefined && categoriesRaw !== null && categoriesRaw !== false) {
    bad('categories', 'must be true or a list of category names', 'write `categories: true` or `categories: [News, Sport]`');
  }
  const tagsRaw = raw['tags'];
  let tags: TagFeeds = false;
  if (tagsRaw === true) tags = true;
  else if (tagsRaw !== null && typeof tagsRaw === 'object' && !Array.isArray(tagsRaw)) {
    const t = tagsRaw as Record<string, unknown>;
    const only = Array.isArray(t['only']) ? t['only'].map(String) : undefined;
    const except = Array.isArray(t['except']) ? t['except'].map(String) : undefined;
    tags = { ...(only === undefined ? {} : { only }), ...(except === undefined ? {} : { except }) };
  } else if (tagsRaw !== undefined && tagsRaw !== null && tagsRaw !== false) {
    bad('tags', 'must be true or a mapping with `only` or `except`', 'write `tags: true` or `tags: { only: [a, b] }`');
  }
  const hubRaw = raw['hub'];
  const hubs: AbsoluteUrl[] = [];
  for (const hub of hubRaw === undefined || hubRaw === null ? [] : Array.isArray(hubRaw) ? hubRaw : [hubRaw]) {
    const url = typeof hub === 'string' ? toHttpUrl(hub) : undefined;
    if (url === undefined) bad('hub', `'${String(hub)}' is not an http(s) URL`, 'write the WebSub hub URL, e.g. hub: https://pubsubhubbub.appspot.com/');
    else hubs.push(url);
  }
  const jekyllPath = typeof raw['path'] === 'string' && raw['path'].trim() !== '' ? `/${raw['path'].trim().replace(/^\/+/, '')}` : '/feed.xml';
  const tagsPathRaw = tagsRaw !== null && typeof tagsRaw === 'object' && !Array.isArray(tagsRaw) ? (tagsRaw as Record<string, unknown>)['path'] : undefined;
  const jekyllTagsPath = typeof tagsPathRaw === 'string' && tagsPathRaw.trim() !== '' ? `/${tagsPathRaw.trim().replace(/^\/+/, '')}` : '/feed/by_tag/';
  const iframeHosts = Array.isArray(raw['iframe_hosts']) ? raw['iframe_hosts'].map((h) => String(h).trim().toLowerCase()).filter((h) => h !== '') : [];
  return { postsLimit, excerptOnly: raw['excerpt_only'] === true, categories, tags, hubs, archive: raw['archive'] === true, jekyllPath, jekyllTagsPath, iframeHosts };
}

// Characters XML forbids are dropped when the model is built, so all three formats carry the same text.
function optionalString(value: unknown): string | undefined {
  if (typeof value === 'string') {
    const text = stripXmlForbidden(value).replace(/\s+/g, ' ').trim();
    return text === '' ? undefined : text;
  }
  if (typeof value === 'number') return String(value);
  return undefined;
}

/** A person from a string (`name`) or a mapping (`name`, `email`, `uri`); URIs are checked later. */
export function toPerson(value: unknown): Person | undefined {
  if (typeof value === 'string') {
    const name = optionalString(value);
    return name === undefined ? undefined : { name };
  }
  if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
    const v = value as Record<string, unknown>;
    const name = optionalString(v['name']);
    if (name === undefined) return undefined;
    // RFC 4287 §3.2.3 / RFC 2822 addr-spec: something@somewhere; anything else is dropped, not published.
    const emailText = optionalString(v['email']);
    const email = emailText !== undefined && /^[^\s@<>()[\]\\,;:"]+@[^\s@<>()[\]\\,;:"]+$/.test(emailText) ? emailText : undefined;
    const uriText = optionalString(v['uri'] ?? v['url']);
    const uri = uriText === undefined ? undefined : toAbsoluteUrl(uriText);
    return { name, ...(email === undefined ? {} : { email }), ...(uri === undefined ? {} : { uri }) };
  }
  return undefined;
}
