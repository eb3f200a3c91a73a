/** A feed format written in three parts, so a feed of any size can be streamed item by item. */
import type { Feed, FeedEntry, SafeHtml } from '../types.js';

/** A feed without its entries: what the head and tail of a document depend on. */
export type FeedHead = Omit<Feed, 'entries'>;

/** One format: the text before the items, one item, the text after. `head + items + tail` is the file. */
export interface FormatWriter {
  readonly fileName: 'rss.xml' | 'atom.xml' | 'feed.json';
  head(feed: FeedHead): string;
  /** What goes before the item at `index` (0 first), for formats that separate items. */
  separator(index: number): string;
  /** One item. It depends on the entry alone (dates are UTC), so it is written once and reused across feeds. */
  item(entry: FeedEntry, feed: FeedHead): string;
  tail(feed: FeedHead, count: number): string;
}

/** Serializes a whole feed in memory with a writer. */
export function serializeWith(writer: FormatWriter, feed: Feed): string {
  let out = writer.head(feed);
  feed.entries.forEach((entry, index) => {
    out += writer.separator(index) + writer.item(entry, feed);
  });
  return out + writer.tail(feed, feed.entries.length);
}

/**
 * The entry's article HTML, or `undefined` when there is none or it is blank: an empty post leaves the
 * content element out (W3C validator: "content should not be blank").
 */
export function articleHtml(entry: FeedEntry): SafeHtml | undefined {
  return entry.contentHtml === undefined || entry.contentHtml.trim() === '' ? undefined : entry.contentHtml;
}

/**
 * The plain text every item carries as its description: the summary (front matter `excerpt`/`description`,
 * else the first paragraph with text, as jekyll-feed's `post.excerpt`), else the title, for a post with no
 * text at all. The title rather than nothing: an RSS description always comes before content:encoded (W3C
 * validator: "Ensure description precedes content:encoded") and an Atom entry without content needs a
 * summary (MissingTextualContent); readers that list descriptions as teasers show something short and true.
 */
export function describeEntry(entry: FeedEntry): string {
  return entry.summary ?? entry.title;
}
