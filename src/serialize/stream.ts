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

/** The site's feeds being written: `start`, then `add` each entry newest first, then `finish`. */
export class FeedStreams {
  private readonly counts: number[];
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

  /** Appends `entry` to each feed in `feeds` (indexes into the heads) but the kept ones. */
  async add(entry: FeedEntry, all: readonly number[]): Promise<void> {
    const feeds = all.filter((feed) => !this.kept.has(feed));
    const first = this.heads[feeds[0] ?? -1];
    if (first === undefined) return;
    // Each item's text and its UTF-8 size are made once, however many feeds carry it.
    const texts = new Map(FORMAT_WRITERS.map((writer) => {
      const text = writer.item(entry, first);
      return [writer, { text, bytes: Buffer.byteLength(text) }];
    }));
    for (const feed of feeds) {
      const index = this.counts[feed] ?? 0;
      for (const output of this.byFeed[feed] ?? []) {
        const separator = output.writer.separator(index);
        const item = texts.get(output.writer) ?? { text: '', bytes: 0 };
        await this.emit(output.file, separator + item.text, Buffer.byteLength(separator) + item.bytes);
      }
      this.counts[feed] = index + 1;
    }
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
