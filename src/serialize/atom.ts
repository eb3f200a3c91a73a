/** Atom 1.0 (RFC 4287). */
import { plainTextToHtml } from '../render/text.js';
import type { Feed, FeedEntry, Person } from '../types.js';
import { toRfc3339 } from './dates.js';
import { FEED_HISTORY_NS } from './rss.js';
import { el, renderXml, renderXmlShell, textEl, titleEl, type XmlElement } from './xml.js';
import { articleHtml, describeEntry, serializeWith, type FeedHead, type FormatWriter } from './writer.js';

const EPOCH = new Date(0);

function person(tag: 'author', p: Person): XmlElement {
  // RFC 4287 §3.2: name is required; email and uri optional.
  return el(tag, {}, textEl('name', p.name), textEl('email', p.email), textEl('uri', p.uri));
}

function entry(e: FeedEntry): XmlElement {
  const enclosure = e.enclosure;
  const content = articleHtml(e);
  return el(
    'entry',
    // RFC 4287 §2: xml:lang on any element; jekyll-feed writes the post's `lang` on its entry.
    { 'xml:lang': e.language },
    // RFC 4287 §4.2.14: plain-text title, so a `<b>` in a title is shown, not obeyed.
    titleEl('title', e.title, { type: 'text' }),
    el('link', { rel: 'alternate', type: 'text/html', href: e.url }),
    enclosure && el('link', { rel: 'enclosure', type: enclosure.type, length: enclosure.length, href: enclosure.url }),
    // htmlparser2 (domutils getFeed) takes an entry's first <link>, ruby-feedparser its last, whatever the rel:
    // with an enclosure, the alternate link is written again last, without type. RFC 4287 §4.1.1 allows two
    // alternates whose type differs; the W3C validator's DuplicateAtomLink check agrees.
    enclosure && el('link', { rel: 'alternate', href: e.url }),
    textEl('id', e.id),
    textEl('published', toRfc3339(e.published)),
    textEl('updated', toRfc3339(e.updated)),
    e.authors.map((a) => person('author', a)),
    e.categories.map((c) => el('category', { term: c })),
    // W3C validator MissingTextualContent: an entry without content carries a summary (the title at least).
    e.summary !== undefined || content === undefined ? el('summary', { type: 'html' }, plainTextToHtml(describeEntry(e))) : undefined,
    content && el('content', { type: 'html' }, content),
  );
}

function shell(feed: FeedHead): { head: string; tail: string } {
  const history = feed.history;
  const root = el(
    'feed',
    { xmlns: 'http://www.w3.org/2005/Atom', ...(history === undefined ? {} : { 'xmlns:fh': FEED_HISTORY_NS }), 'xml:lang': feed.language },
    titleEl('title', feed.title, { type: 'text' }),
    titleEl('subtitle', feed.description, { type: 'text' }),
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
    textEl('updated', toRfc3339(feed.updated ?? EPOCH)),
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
  item: (e) => renderXml(entry(e), 1),
  tail: (feed) => shell(feed).tail,
};

/** Serializes a feed as Atom 1.0. */
export function serializeAtom(feed: Feed): string {
  return serializeWith(atomWriter, feed);
}
