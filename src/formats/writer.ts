/** A feed format written in three parts, so a feed of any size can be streamed item by item. */
import type { Feed, FeedEntry } from '../types.js';

/** A feed without its entries: what the head and tail of a document depend on. */
export type FeedHead = Omit<Feed, 'entries'>;

/** One format: the text before the items, one item, the text after. `head + items + tail` is the file. */
export interface FormatWriter {
  readonly fileName: 'rss.xml' | 'atom.xml' | 'feed.json';
  head(feed: FeedHead): string;
  /** `index` is the item's position (0 first), for formats that separate items. */
  item(entry: FeedEntry, feed: FeedHead, index: number): string;
  tail(feed: FeedHead, count: number): string;
}

/** Serializes a whole feed in memory with a writer. */
export function serializeWith(writer: FormatWriter, feed: Feed): string {
  let out = writer.head(feed);
  feed.entries.forEach((entry, index) => {
    out += writer.item(entry, feed, index);
  });
  return out + writer.tail(feed, feed.entries.length);
}
