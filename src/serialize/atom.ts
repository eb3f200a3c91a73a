/** Atom 1.0 (RFC 4287). */
import { plainTextToHtml } from '../render/text.js';
import type { Feed, FeedEntry, Person } from '../types.js';
import { toRfc3339 } from './dates.js';
import { FEED_HISTORY_NS } from './rss.js';
import { el, renderXml, renderXmlShell, textEl, type XmlElement } from './xml.js';
import { serializeWith, type FeedHead, type FormatWriter } from './writer.js';

const EPOCH = new Date(0);

function person(tag: 'author', p: Person): XmlElement {
  // RFC 4287 §3.2: name is required; email and uri optional.
  return el(tag, {}, textEl('name', p.name), textEl('email', p.email), textEl('uri', p.uri));
}

function entry(e: FeedEntry, feed: FeedHead): XmlElement {
  const enclosure = e.enclosure;
  return el(
    'entry',
    {},
    // RFC 4287 §4.2.14: plain-text title, so a `<b>` in a title is shown, not obeyed.
    el('title', { type: 'text' }, e.title),
    el('link', { rel: 'alternate', type: 'text/html', href: e.url }),
    enclosure && el('link', { rel: 'enclosure', type: enclosure.type, length: enclosure.length, href: enclosure.url }),
    textEl('id', e.id),
    textEl('published', toRfc3339(e.published, feed.timeZone)),
    textEl('updated', toRfc3339(e.updated, feed.timeZone)),
    e.authors.map((a) => person('author', a)),
    e.categories.map((c) => el('category', { term: c })),
    e.summary === undefined ? undefined : el('summary', { type: 'html' }, plainTextToHtml(e.summary)),
    e.contentHtml === undefined ? undefined : el('content', { type: 'html' }, e.contentHtml),
  );
}

function shell(feed: FeedHead): { head: string; tail: string } {
  const history = feed.history;
  const root = el(
    'feed',
    { xmlns: 'http://www.w3.org/2005/Atom', ...(history === undefined ? {} : { 'xmlns:fh': FEED_HISTORY_NS }), 'xml:lang': feed.language },
    el('title', { type: 'text' }, feed.title),
    textEl('subtitle', feed.description, { type: 'text' }),
    el('link', { rel: 'alternate', type: 'text/html', href: feed.homePageUrl }),
    // RFC 4287 §4.2.7.2: a feed SHOULD contain a rel="self" link.
    el('link', { rel: 'self', type: 'application/atom+xml', href: feed.selfUrls.atom }),
    // W3C WebSub §4: the hub link goes with the self link.
    feed.hubs.map((hub) => el('link', { rel: 'hub', href: hub })),
    // RFC 5005 §4: archive documents are marked fh:archive and linked to their neighbours and the current feed.
    history?.archive === true && el('fh:archive'),
    history?.current && el('link', { rel: 'current', type: 'application/atom+xml', href: history.current.atom }),
    history?.prev && el('link', { rel: 'prev-archive', type: 'application/atom+xml', href: history.prev.atom }),
    history?.next && el('link', { rel: 'next-archive', type: 'application/atom+xml', href: history.next.atom }),
    textEl('id', feed.id),
    // RFC 4287 §4.1.1: atom:feed MUST contain exactly one atom:updated; ours is the newest item's.
    textEl('updated', toRfc3339(feed.updated ?? EPOCH, feed.timeZone)),
    feed.author && person('author', feed.author),
    el('generator', { uri: feed.generator.uri }, feed.generator.name),
  );
  return renderXmlShell(root, 0, feed.stylesheet);
}

/** Atom 1.0, written head, entries, tail. */
export const atomWriter: FormatWriter = {
  fileName: 'atom.xml',
  head: (feed) => shell(feed).head,
  separator: () => '',
  item: (e, feed) => renderXml(entry(e, feed), 1),
  tail: (feed) => shell(feed).tail,
};

/** Serializes a feed as Atom 1.0. */
export function serializeAtom(feed: Feed): string {
  return serializeWith(atomWriter, feed);
}
