/**
 * Serialize stage, streamed: every feed of the site written through the three format writers at once,
 * item by item, into a sink (memory for `build`, staged temp files for `publish`), so a feed of any size
 * is never one string in memory. An item's text is made once per format and reused in every feed that
 * holds it (it depends on the feed only through the time zone, the same for every feed of a site).
 */
import { warningAt, type Diagnostic } from '../errors.js';
import type { FeedEntry } from '../types.js';
import { atomWriter } from './atom.js';
import { FEED_XSL } from './feed-xsl.js';
import { escapeXml } from './xml.js';
import { serializeDiscoveryLinks, serializeHeaders } from './host-files.js';
import { jsonFeedWriter } from './json-feed.js';
import { rssWriter } from './rss.js';
import type { FeedHead, FormatWriter } from './writer.js';

/** Where generated files go. */
export interface FeedSink {
  open(path: string): Promise<void>;
  write(path: string, text: string): Promise<void>;
  /** Leaves `path` as the last build wrote it (a feed whose every input is unchanged); sinks without it get no kept feeds. */
  keep?(path: string): Promise<void>;
}

/** The three formats, in the order their files are written. */
export const FORMAT_WRITERS: readonly FormatWriter[] = [rssWriter, atomWriter, jsonFeedWriter];

const FEED_SIZE_WARNING = 1024 * 1024;

/** An extra Atom document of feed `feed` at `path`, with its own head (jekyll-feed's paths). */
export interface AtomAlias {
  readonly feed: number;
  readonly path: string;
  readonly head: FeedHead;
}

interface Output {
  readonly feed: number;
  readonly writer: FormatWriter;
  readonly file: string;
  readonly head: FeedHead;
}

/** The path of feed `head`'s file in `writer`'s format. */
export function feedFileOf(head: FeedHead, writer: FormatWriter): string {
  return head.dir === '' ? writer.fileName : `${head.dir}/${writer.fileName}`;
}

/** Where one item's text sits in a written file: its post's print (see build.ts), and its byte offset and length. */
export type ItemPlace = readonly [print: string, start: number, length: number];

/** A written file's items (the first place of each print in each format), for the next build to take them from (see `isItemText`). */
export type ItemTable = readonly (readonly [file: string, format: FormatWriter['fileName'], items: readonly ItemPlace[]])[];

/** How each format's item text begins and ends, and the line that names its entry's id. */
const ITEM_SHAPES: Readonly<Record<FormatWriter['fileName'], { readonly open: string; readonly close: string; readonly id: (id: string) => string }>> = {
  'rss.xml': { open: '    <item>\n', close: '\n    </item>\n', id: (id) => `<guid isPermaLink="false">${escapeXml(id)}</guid>` },
  'atom.xml': { open: '  <entry>\n', close: '\n  </entry>\n', id: (id) => `<id>${escapeXml(id)}</id>` },
  'feed.json': { open: '    {\n', close: '\n    }', id: (id) => `"id": ${JSON.stringify(id)}` },
};

/**
 * Whether `text` is one whole item of format `format` for the entry `id`: it opens and closes as the writer's
 * items do, holds no other item's start or end (markup in content is escaped, and a JSON item's own braces
 * are the only ones at its indentation), and names the id. What a build takes from the last build's file is
 * checked so, whatever the manifest that placed it says.
 */
export function isItemText(format: FormatWriter['fileName'], text: string, id: string): boolean {
  const { open, close, id: idLine } = ITEM_SHAPES[format];
  const opener = `\n${open.slice(0, -1)}`;
  return text.startsWith(open) && text.endsWith(close) && text.indexOf(close) === text.length - close.length && !text.includes(opener) && text.includes(idLine(id));
}

/** The site's feeds being written: `start`, then `add` each entry newest first, then `finish`. */
export class FeedStreams {
  private readonly counts: number[];
  private readonly items = new Map<string, ItemPlace[]>();
  /** Prints placed so far, per format: an item's text is the same in every file of its format, one place will do. */
  private readonly placed = new Map<FormatWriter['fileName'], Set<string>>(FORMAT_WRITERS.map((writer) => [writer.fileName, new Set()]));
  private readonly sizes = new Map<string, number>();
  private readonly outputs: readonly Output[];
  private readonly byFeed: readonly (readonly Output[])[];

  /**
   * `kept` maps the feeds (indexes into `heads`) that the sink keeps as they are to their files' byte
   * lengths: they are neither opened nor written, but still listed in the host files and size warnings.
   */
  constructor(
    private readonly heads: readonly FeedHead[],
    private readonly sink: FeedSink,
    private readonly stylesheet: string,
    private readonly aliases: readonly AtomAlias[] = [],
    private readonly kept: ReadonlyMap<number, ReadonlyMap<string, number>> = new Map(),
  ) {
    this.counts = heads.map(() => 0);
    const own = heads.flatMap((head, feed) => FORMAT_WRITERS.map((writer) => ({ feed, writer, file: feedFileOf(head, writer), head })));
    this.outputs = [...own, ...aliases.map((a) => ({ feed: a.feed, writer: atomWriter, file: a.path, head: a.head }))];
    this.byFeed = heads.map((_, feed) => (kept.has(feed) ? [] : this.outputs.filter((o) => o.feed === feed)));
    for (const sizes of kept.values()) for (const [file, bytes] of sizes) this.sizes.set(file, bytes);
  }

  /** The files of feed `feed` (its three formats, then its Atom aliases). */
  static filesOf(heads: readonly FeedHead[], aliases: readonly AtomAlias[], feed: number): string[] {
    const head = heads[feed];
    return [...(head === undefined ? [] : FORMAT_WRITERS.map((writer) => feedFileOf(head, writer))), ...aliases.filter((a) => a.feed === feed).map((a) => a.path)];
  }

  private async emit(file: string, text: string, bytes: number = Buffer.byteLength(text)): Promise<void> {
    this.sizes.set(file, (this.sizes.get(file) ?? 0) + bytes);
    await this.sink.write(file, text);
  }

  /** Opens every file and writes the stylesheet and each feed's head. */
  async start(): Promise<void> {
    await this.sink.open(this.stylesheet);
    await this.sink.write(this.stylesheet, FEED_XSL);
    for (const output of this.outputs) {
      if (this.kept.has(output.feed)) {
        await this.sink.keep?.(output.file);
        continue;
      }
      await this.sink.open(output.file);
      await this.emit(output.file, output.writer.head(output.head));
    }
  }

  /**
   * Appends `entry` to each feed in `feeds` (indexes into the heads) but the kept ones. With `print`, where
   * its items go is recorded (`itemTable`): the first place of each format.
   */
  async add(entry: FeedEntry, all: readonly number[], print?: string): Promise<void> {
    const first = this.heads[all.find((feed) => !this.kept.has(feed)) ?? -1];
    if (first === undefined) return;
    await this.addTexts(new Map(FORMAT_WRITERS.map((writer) => [writer.fileName, writer.item(entry, first)])), all, print);
  }

  /** Appends an entry's item texts, one per format (made by the writers, in this build or the last), as `add` does. */
  async addTexts(texts: ReadonlyMap<FormatWriter['fileName'], string>, all: readonly number[], print?: string): Promise<void> {
    const feeds = all.filter((feed) => !this.kept.has(feed));
    // Each item's UTF-8 size is taken once, however many feeds carry it.
    const sized = new Map([...texts].map(([format, text]) => [format, { text, bytes: Buffer.byteLength(text) }]));
    for (const feed of feeds) {
      const index = this.counts[feed] ?? 0;
      for (const output of this.byFeed[feed] ?? []) {
        const separator = output.writer.separator(index);
        const item = sized.get(output.writer.fileName) ?? { text: '', bytes: 0 };
        const separatorBytes = Buffer.byteLength(separator);
        const placed = this.placed.get(output.writer.fileName);
        if (print !== undefined && placed !== undefined && !placed.has(print)) {
          placed.add(print);
          let places = this.items.get(output.file);
          if (places === undefined) this.items.set(output.file, (places = []));
          places.push([print, (this.sizes.get(output.file) ?? 0) + separatorBytes, item.bytes]);
        }
        await this.emit(output.file, separator + item.text, separatorBytes + item.bytes);
      }
      this.counts[feed] = index + 1;
    }
  }

  /** Where the items added with a print went, for every file written (kept files are not in it). */
  itemTable(): ItemTable {
    return this.outputs.flatMap((output) => (this.kept.has(output.feed) ? [] : [[output.file, output.writer.fileName, this.items.get(output.file) ?? []] as const]));
  }

  /** Writes each feed's tail and the host files; warns about feeds too large for some readers. */
  async finish(): Promise<Diagnostic[]> {
    for (const output of this.outputs) if (!this.kept.has(output.feed)) await this.emit(output.file, output.writer.tail(output.head, this.counts[output.feed] ?? 0));
    for (const [file, text] of [
      ['_headers', serializeHeaders(this.heads, this.aliases.map((a) => a.path))],
      ['feeds.html', serializeDiscoveryLinks(this.heads)],
    ] as const) {
      await this.sink.open(file);
      await this.sink.write(file, text);
    }
    const diagnostics: Diagnostic[] = [];
    for (const { file } of this.outputs) {
      const bytes = this.sizes.get(file) ?? 0;
      if (bytes > FEED_SIZE_WARNING) diagnostics.push(warningAt('FEED_LARGE', file, `is ${bytes} bytes; some readers refuse feeds over 1 MiB`, 'lower feed.posts_limit or turn on feed.excerpt_only'));
    }
    return diagnostics;
  }
}
