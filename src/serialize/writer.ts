/** A feed format written in three parts, so a feed of any size can be streamed item by item. */
import type { Feed, FeedEntry } from '../types.js';

/** A feed without its entries: what the head and tail of a document depend on. */
export type FeedHead = Omit<Feed, 'entries'>;

/** One format: the text before the items, one item, the text after. `head + items + tail` is the file. */
export interface FormatWriter {
  readonly fileName: 'rss.xml' | 'atom.xml' | 'feed.json';
  head(feed: FeedHead): string;
  /** What goes before the item at `index` (0 first), for formats that separate items. */
  separator(index: number): string;
  /** One item. It depends on the feed only through its time zone, so it can be reused across feeds. */
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
