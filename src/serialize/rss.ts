/** RSS 2.0 (RSS Advisory Board spec 2.0.11) with content:encoded, dc:creator, atom:link and Media RSS. */
import { plainTextToHtml } from '../render/text.js';
import type { Feed, FeedEntry, Person } from '../types.js';
import { toRfc822 } from './dates.js';
import { el, renderXml, renderXmlShell, textEl, type XmlElement } from './xml.js';
import { serializeWith, type FeedHead, type FormatWriter } from './writer.js';

const NAMESPACES = {
  'xmlns:atom': 'http://www.w3.org/2005/Atom',
  'xmlns:content': 'http://purl.org/rss/1.0/modules/content/',
  'xmlns:dc': 'http://purl.org/dc/elements/1.1/',
  'xmlns:media': 'http://search.yahoo.com/mrss/',
};

/** RFC 5005 §6: the Feed History namespace. */
export const FEED_HISTORY_NS = 'http://purl.org/syndication/history/1.0';

// No clock: an empty feed is dated at the epoch, so unchanged input keeps unchanged bytes.
const EPOCH = new Date(0);

function creators(authors: readonly Person[]): XmlElement[] {
  // RSS <author> must be an e-mail address; the W3C validator flags a bare name. dc:creator takes a name.
  return authors.map((a) => el('dc:creator', {}, a.name));
}

function item(entry: FeedEntry, feed: FeedHead): XmlElement {
  const enclosure = entry.enclosure;
  return el(
    'item',
    {},
    // RSS 2.0 element order: title, link, description, author, category, comments, enclosure, guid, pubDate, source.
    textEl('title', entry.title),
    textEl('link', entry.url),
    textEl('description', entry.summary === undefined ? undefined : plainTextToHtml(entry.summary)),
    entry.categories.map((c) => el('category', {}, c)),
    // RSS 2.0: length is required; 0 when unknown (remote images), per the RSS Best Practices Profile.
    enclosure && el('enclosure', { url: enclosure.url, length: enclosure.length ?? 0, type: enclosure.type }),
    el('guid', { isPermaLink: 'false' }, entry.id),
    textEl('pubDate', toRfc822(entry.published, feed.timeZone)),
    textEl('content:encoded', entry.contentHtml),
    creators(entry.authors),
    enclosure && el('media:content', { url: enclosure.url, type: enclosure.type, medium: 'image', fileSize: enclosure.length }),
  );
}

function shell(feed: FeedHead): { head: string; tail: string } {
  const history = feed.history;
  const root = el(
    'rss',
    { version: '2.0', ...NAMESPACES, ...(history === undefined ? {} : { 'xmlns:fh': FEED_HISTORY_NS }) },
    el(
      'channel',
      {},
      textEl('title', feed.title),
      textEl('link', feed.homePageUrl),
      // RSS 2.0: description is required; the site title stands in when there is none.
      textEl('description', feed.description ?? feed.title),
      textEl('language', feed.language),
      textEl('lastBuildDate', toRfc822(feed.updated ?? EPOCH, feed.timeZone)),
      textEl('generator', feed.generator.name),
      textEl('docs', 'https://www.rssboard.org/rss-specification'),
      el('atom:link', { href: feed.selfUrls.rss, rel: 'self', type: 'application/rss+xml' }),
      // W3C WebSub §4: the hub link goes with the self link.
      feed.hubs.map((hub) => el('atom:link', { href: hub, rel: 'hub' })),
      // RFC 5005 §4 and Appendix B: archive links in RSS use atom:link; archive documents carry fh:archive.
      history?.archive === true && el('fh:archive'),
      history?.current && el('atom:link', { href: history.current.rss, rel: 'current', type: 'application/rss+xml' }),
      history?.prev && el('atom:link', { href: history.prev.rss, rel: 'prev-archive', type: 'application/rss+xml' }),
      history?.next && el('atom:link', { href: history.next.rss, rel: 'next-archive', type: 'application/rss+xml' }),
    ),
  );
  return renderXmlShell(root, 1, feed.stylesheet);
}

/** RSS 2.0, written head, items, tail. */
export const rssWriter: FormatWriter = {
  fileName: 'rss.xml',
  head: (feed) => shell(feed).head,
  separator: () => '',
  item: (entry, feed) => renderXml(item(entry, feed), 2),
  tail: (feed) => shell(feed).tail,
};

/** Serializes a feed as RSS 2.0. */
export function serializeRss(feed: Feed): string {
  return serializeWith(rssWriter, feed);
}
