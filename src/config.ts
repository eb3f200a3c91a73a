/** Site configuration: `_config.yml` (Jekyll + jekyll-feed keys) and CLI overrides → a validated `SiteConfig`. */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { errorAt, type Diagnostic } from './errors.js';
import { isKnownTimeZone } from './posts/dates.js';
import { stripXmlForbidden } from './formats/xml.js';
import { isYamlMapping, readYaml } from './parse/yaml.js';
import { toAbsoluteUrl, toHttpUrl } from './html/urls.js';
import type { Person } from './types.js';

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
  readonly hubs: readonly string[];
  /** RFC 5005 archives (`feed.archive: true`): monthly archive documents hold every post not in the site feed. */
  readonly archive: boolean;
}

/** The validated site configuration every later stage trusts. */
export interface SiteConfig {
  readonly title: string;
  readonly description?: string;
  /** Scheme + host (+ port), no trailing slash, e.g. `https://news.example.org`. */
  readonly url: string;
  /** `''` or a path starting with `/` and not ending with one, e.g. `/blog`. */
  readonly baseurl: string;
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
}

/** What the CLI (or a caller) may override. */
export interface ConfigOverrides {
  readonly url?: string;
  readonly baseurl?: string;
  readonly timezone?: string;
  readonly postsLimit?: number;
  readonly future?: boolean;
  readonly unpublished?: boolean;
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
  return parseConfig(text, display, overrides);
}

/** Validates config text; pure. Every problem is reported with its line. */
export function parseConfig(text: string, display: string, overrides: ConfigOverrides = {}): { config?: SiteConfig; diagnostics: Diagnostic[] } {
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
  const raw = isYamlMapping(read.value) ? read.value : {};
  const bad = (key: string, message: string, hint: string): void => {
    diagnostics.push(errorAt('CONFIG_INVALID', display, `${key}: ${message}`, hint, lines.get(key.split('.')[0] ?? key)));
  };

  const title = optionalString(raw['title'] ?? raw['name']) ?? '';
  const description = optionalString(raw['description']);
  const urlText = overrides.url ?? optionalString(raw['url']) ?? '';
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
  let feed: FeedConfig = { postsLimit: 10, excerptOnly: false, categories: false, tags: false, hubs: [], archive: false };
  if (typeof feedRaw !== 'object' || Array.isArray(feedRaw)) {
    bad('feed', 'must be a mapping', 'write `feed:` followed by indented keys such as `posts_limit: 20`');
  } else {
    feed = parseFeedConfig(feedRaw as Record<string, unknown>, (k, m, h) => bad(`feed.${k}`, m, h));
  }
  if (overrides.postsLimit !== undefined) feed = { ...feed, postsLimit: overrides.postsLimit };
  const lang = optionalString(raw['lang']);
  if (diagnostics.length > 0) return { diagnostics };
  return {
    config: {
      title,
      ...(description === undefined ? {} : { description }),
      url,
      baseurl,
      ...(lang === undefined ? {} : { lang }),
      timezone,
      ...(author === undefined ? {} : { author }),
      permalink,
      future: overrides.future ?? raw['future'] === true,
      unpublished: overrides.unpublished ?? raw['unpublished'] === true,
      feed,
    },
    diagnostics,
  };
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
  const hubs: string[] = [];
  for (const hub of hubRaw === undefined || hubRaw === null ? [] : Array.isArray(hubRaw) ? hubRaw : [hubRaw]) {
    const url = typeof hub === 'string' ? toHttpUrl(hub) : undefined;
    if (url === undefined) bad('hub', `'${String(hub)}' is not an http(s) URL`, 'write the WebSub hub URL, e.g. hub: https://pubsubhubbub.appspot.com/');
    else hubs.push(url);
  }
  return { postsLimit, excerptOnly: raw['excerpt_only'] === true, categories, tags, hubs, archive: raw['archive'] === true };
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
