/** JSON Feed 1.1 (https://www.jsonfeed.org/version/1.1/), written as JSON.stringify(feed, null, 2) would, in head/item/tail parts. */
import type { Feed, FeedEntry, Person } from '../types.js';
import { toAbsoluteUrl } from '../render/urls.js';
import { toRfc3339 } from './dates.js';
import { articleHtml, describeEntry, serializeWith, type FeedHead, type FormatWriter } from './writer.js';

/** JSON Feed 1.1 author object. */
interface JsonAuthor {
  readonly name: string;
  readonly url?: string;
}

function author(p: Person): JsonAuthor {
  // JSON Feed authors have name, url and avatar; a mailto: URL carries the e-mail when there is no uri.
  const url = p.uri ?? (p.email === undefined ? undefined : toAbsoluteUrl(`mailto:${p.email}`));
  return { name: p.name, ...(url === undefined ? {} : { url }) };
}

/** Drops `undefined` members so absent fields vanish in one place. */
function compact<T extends Record<string, unknown>>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}

function item(e: FeedEntry): Record<string, unknown> {
  const enclosure = e.enclosure;
  const content = articleHtml(e);
  return compact({
    id: e.id,
    url: e.url,
    title: e.title,
    // JSON Feed 1.1: an item's `language` (RFC 5646) when it differs from, or refines, the feed's.
    language: e.language,
    // JSON Feed 1.1: an item has content_html or content_text; without an article, the description is the text.
    content_html: content,
    content_text: content === undefined ? describeEntry(e) : undefined,
    // JSON Feed 1.1: summary is plain text.
    summary: e.summary,
    image: enclosure?.url,
    date_published: toRfc3339(e.published),
    date_modified: toRfc3339(e.updated),
    authors: e.authors.length === 0 ? undefined : e.authors.map(author),
    tags: e.categories.length === 0 ? undefined : e.categories,
    attachments: enclosure && [compact({ url: enclosure.url, mime_type: enclosure.type, size_in_bytes: enclosure.length })],
  });
}

function headObject(feed: FeedHead): Record<string, unknown> {
  return compact({
    version: 'https://jsonfeed.org/version/1.1',
    title: feed.title,
    home_page_url: feed.homePageUrl,
    feed_url: feed.selfUrls.json,
    description: feed.description,
    language: feed.language,
    authors: feed.author && [author(feed.author)],
    // JSON Feed 1.1: hubs for real-time notification.
    hubs: feed.hubs.length === 0 ? undefined : feed.hubs.map((url) => ({ type: 'WebSub', url })),
    // JSON Feed 1.1 paging: next_url leads to older items (the next older archive document).
    next_url: feed.history?.prev?.json,
  });
}

/**
 * JSON Feed 1.1 as `JSON.stringify(object, null, 2)` writes it, in three parts: the members before
 * `items`, each item (indented to its depth), and the close. The same bytes as stringifying the whole.
 */
export const jsonFeedWriter: FormatWriter = {
  fileName: 'feed.json',
  head: (feed) => {
    const text = JSON.stringify({ ...headObject(feed), items: [] }, null, 2);
    return text.slice(0, text.lastIndexOf('[]') + 1);
  },
  // Indent after real line feeds only: a `^`/m regex would also match after U+2028/U+2029 inside strings.
  separator: (index) => (index === 0 ? '\n' : ',\n'),
  item: (entry) => `    ${JSON.stringify(item(entry), null, 2).replace(/\n/g, '\n    ')}`,
  tail: (_feed, count) => `${count === 0 ? ']' : '\n  ]'}\n}\n`,
};

/** Serializes a feed as JSON Feed 1.1 (two-space indented, trailing newline). */
export function serializeJsonFeed(feed: Feed): string {
  return serializeWith(jsonFeedWriter, feed);
}
