/** JSON Feed 1.1 (https://www.jsonfeed.org/version/1.1/): one object, stringified once. */
import type { Feed, FeedEntry, Person } from '../types.js';
import { toRfc3339 } from './dates.js';

/** JSON Feed 1.1 author object. */
interface JsonAuthor {
  readonly name: string;
  readonly url?: string;
}

function author(p: Person): JsonAuthor {
  // JSON Feed authors have name, url and avatar; a mailto: URL carries the e-mail when there is no uri.
  const url = p.uri ?? (p.email === undefined ? undefined : `mailto:${p.email}`);
  return { name: p.name, ...(url === undefined ? {} : { url }) };
}

/** Drops `undefined` members so absent fields vanish in one place. */
function compact<T extends Record<string, unknown>>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}

function item(e: FeedEntry, feed: Feed): Record<string, unknown> {
  const enclosure = e.enclosure;
  return compact({
    id: e.id,
    url: e.url,
    title: e.title,
    // JSON Feed 1.1: an item has content_html or content_text; with excerpts only, the summary is the text.
    content_html: e.contentHtml,
    content_text: e.contentHtml === undefined ? (e.summary ?? e.title) : undefined,
    // JSON Feed 1.1: summary is plain text.
    summary: e.summary,
    image: enclosure?.url,
    date_published: toRfc3339(e.published, feed.timeZone),
    date_modified: toRfc3339(e.updated, feed.timeZone),
    authors: e.authors.length === 0 ? undefined : e.authors.map(author),
    tags: e.categories.length === 0 ? undefined : e.categories,
    attachments: enclosure && [compact({ url: enclosure.url, mime_type: enclosure.type, size_in_bytes: enclosure.length })],
  });
}

/** The JSON Feed object. */
export function toJsonFeedObject(feed: Feed): Record<string, unknown> {
  return compact({
    version: 'https://jsonfeed.org/version/1.1',
    title: feed.title,
    home_page_url: feed.homePageUrl,
    feed_url: feed.selfUrls.json,
    description: feed.description,
    language: feed.language,
    authors: feed.author && [author(feed.author)],
    items: feed.entries.map((e) => item(e, feed)),
  });
}

/** Serializes a feed as JSON Feed 1.1 (two-space indented, trailing newline). */
export function serializeJsonFeed(feed: Feed): string {
  return `${JSON.stringify(toJsonFeedObject(feed), null, 2)}\n`;
}
