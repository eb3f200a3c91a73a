/**
 * Posts handed in by another program (Eleventy, Astro, any Node script) as plain objects with Markdown or
 * HTML: validated once here, then the same model, sanitizer and serializers as a Jekyll site's posts.
 */
import { FeedwrightError, errorAt, type Diagnostic } from '../errors.js';
import { toPerson } from '../config.js';
import { extractExcerpt } from '../render/parts.js';
import { renderMarkdown } from '../render/markdown.js';
import { renderContent } from '../render/sanitize.js';
import { htmlToText, normalizeText } from '../render/text.js';
import { resolveUnder, toHttpUrl } from '../render/urls.js';
import type { Enclosure, Feed, FeedEntry, Person } from '../types.js';
import { GENERATOR } from '../version.js';
import { imageMimeType } from './enclosure.js';

/** A person as a name, or with an e-mail address and a web page. */
export type PlainPerson = string | { readonly name: string; readonly email?: string; readonly url?: string };

/** One post as a site generator knows it. `markdown` is rendered as CommonMark; `html` wins when both are given. */
export interface PlainPost {
  /** The post's page: absolute, or relative to the site's `url`. */
  readonly url: string;
  /** A stable id (default: the absolute `url`). Never change it once published: readers dedupe by it. */
  readonly id?: string;
  readonly title: string;
  readonly date: Date;
  readonly updated?: Date;
  readonly authors?: readonly PlainPerson[];
  readonly categories?: readonly string[];
  readonly tags?: readonly string[];
  /** Plain text or HTML; default: the first paragraph of the article. */
  readonly summary?: string;
  readonly markdown?: string;
  readonly html?: string;
  /** The item's image: absolute or relative to `url` of the site; type from the name unless given. */
  readonly image?: { readonly url: string; readonly type?: string; readonly length?: number };
}

/** The site a feed belongs to. */
export interface PlainSite {
  readonly title: string;
  /** The site's home page, an absolute http(s) URL. */
  readonly url: string;
  /** Where `rss.xml`, `atom.xml` and `feed.json` are published (default: the home page's folder). */
  readonly feedUrl?: string;
  readonly description?: string;
  readonly language?: string;
  readonly author?: PlainPerson;
  /** IANA zone for dates in RSS (default UTC). */
  readonly timeZone?: string;
}

function toPlainPerson(value: PlainPerson): Person | undefined {
  return toPerson(typeof value === 'string' ? value : { name: value.name, ...(value.email === undefined ? {} : { email: value.email }), ...(value.url === undefined ? {} : { uri: value.url }) });
}

/**
 * Makes the format-neutral `Feed` of a site from plain posts (newest first, ties by id), every article
 * sanitized with its URLs made absolute. Throws `FeedwrightError` listing every invalid field.
 */
export function toFeed(site: PlainSite, posts: readonly PlainPost[]): Feed {
  const problems: Diagnostic[] = [];
  const home = toHttpUrl(site.url);
  if (home === undefined) throw new FeedwrightError([errorAt('CONFIG_INVALID', undefined, `site url '${site.url}' is not an absolute http(s) URL`, 'pass the home page, e.g. https://news.example.org/')]);
  const feedBase = site.feedUrl === undefined ? home : toHttpUrl(site.feedUrl, home);
  if (feedBase === undefined) throw new FeedwrightError([errorAt('CONFIG_INVALID', undefined, `feedUrl '${site.feedUrl ?? ''}' is not an http(s) URL`, 'pass the folder the feeds are published in')]);
  const siteAuthor = site.author === undefined ? undefined : toPlainPerson(site.author);
  const fallbackAuthor = siteAuthor ?? { name: normalizeText(site.title) || new URL(home).host };
  const entries: FeedEntry[] = [];
  posts.forEach((post, index) => {
    const where = `posts[${index}]`;
    const url = toHttpUrl(post.url, home);
    if (url === undefined) {
      problems.push(errorAt('FRONT_MATTER_INVALID', where, `url '${post.url}' is not an http(s) URL`, 'give the post page as an absolute URL or a path under the site url'));
      return;
    }
    if (!(post.date instanceof Date) || Number.isNaN(post.date.getTime())) {
      problems.push(errorAt('DATE_INVALID', where, 'date is not a valid Date', 'pass a Date object'));
      return;
    }
    const html = post.html ?? (post.markdown === undefined ? undefined : renderMarkdown(post.markdown));
    const contentHtml = html === undefined ? undefined : renderContent(html, url);
    const excerpt = post.summary === undefined && post.markdown !== undefined ? extractExcerpt(post.markdown.trimStart(), '\n\n') : undefined;
    const summary = post.summary === undefined ? (excerpt === undefined ? undefined : htmlToText(renderMarkdown(excerpt))) : htmlToText(post.summary);
    const authors = (post.authors ?? []).flatMap((a) => toPlainPerson(a) ?? []);
    let enclosure: Enclosure | undefined;
    if (post.image !== undefined) {
      const imageUrl = toHttpUrl(post.image.url, home);
      const type = post.image.type ?? imageMimeType(post.image.url);
      if (imageUrl === undefined || type === undefined) problems.push(errorAt('FRONT_MATTER_INVALID', where, `image '${post.image.url}' is not an http(s) URL of a known image type`, 'give an absolute URL ending in .jpg, .png, .gif, .webp or .avif, or pass its type'));
      else enclosure = { url: imageUrl, type, ...(post.image.length === undefined ? {} : { length: post.image.length }) };
    }
    entries.push({
      id: post.id ?? url,
      url,
      title: htmlToText(post.title),
      published: post.date,
      updated: post.updated ?? post.date,
      ...(summary === undefined || summary === '' ? {} : { summary }),
      ...(contentHtml === undefined ? {} : { contentHtml }),
      authors: authors.length > 0 ? authors : [fallbackAuthor],
      categories: [...new Set([...(post.categories ?? []), ...(post.tags ?? [])].map(normalizeText).filter((c) => c !== ''))],
      ...(enclosure === undefined ? {} : { enclosure }),
      sourcePath: where,
    });
  });
  if (problems.length > 0) throw new FeedwrightError(problems);
  entries.sort((a, b) => b.published.getTime() - a.published.getTime() || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const updated = entries.reduce<Date | undefined>((max, e) => (max === undefined || e.updated > max ? e.updated : max), undefined);
  const selfUrls = { rss: resolveUnder(feedBase, 'rss.xml'), atom: resolveUnder(feedBase, 'atom.xml'), json: resolveUnder(feedBase, 'feed.json') };
  return {
    kind: 'site',
    dir: '',
    title: normalizeText(site.title),
    ...(site.description === undefined ? {} : { description: normalizeText(site.description) }),
    ...(site.language === undefined ? {} : { language: site.language }),
    homePageUrl: home,
    selfUrls,
    id: selfUrls.atom,
    ...(siteAuthor === undefined ? {} : { author: siteAuthor }),
    ...(updated === undefined ? {} : { updated }),
    timeZone: site.timeZone ?? 'UTC',
    generator: GENERATOR,
    hubs: [],
    entries,
  };
}
