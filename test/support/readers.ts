/**
 * Feed parsers that real readers are built on, each wrapped to say what it understood of a feed file in one
 * shape (`ReadItem`), so test/interop.test.ts can compare them with our model. In-process: rss-parser,
 * @rowanmanning/feed-parser, @extractus/feed-extractor, htmlparser2 and feedsmith. Out of process, through
 * the scripts in readers/: Python feedparser, SimplePie, gofeed and ruby-feedparser (Debian packages).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { extractFromJson, extractFromXml } from '@extractus/feed-extractor';
import { parseFeed as parseRowanmanning } from '@rowanmanning/feed-parser';
import { parseAtomFeed, parseJsonFeed, parseRssFeed } from 'feedsmith';
import { parseFeed as parseHtmlparser2 } from 'htmlparser2';
import RssParser from 'rss-parser';

const READERS_DIR = path.join(path.dirname(fileURLToPath(import.meta.url)), 'readers');

/** The three formats feedwright writes. */
export type FeedFormat = 'rss' | 'atom' | 'json';

/** An enclosure as a parser read it; `length` as a decimal string ('' when it read none). */
export interface ReadEnclosure {
  readonly url: string;
  readonly type: string;
  readonly length: string;
}

/**
 * One item as a parser read it. A field left `undefined` is one the parser does not read at all; dates are
 * `YYYY-MM-DDTHH:MM:SSZ`, '' when the parser read none, `null` when it failed to read one.
 */
export interface ReadItem {
  readonly id?: string;
  readonly link?: string;
  readonly title?: string;
  readonly published?: string | null;
  readonly updated?: string | null;
  readonly authors?: readonly string[];
  readonly categories?: readonly string[];
  /** The first enclosure, or `null` when the parser found none. */
  readonly enclosure?: ReadEnclosure | null;
}

/** What a parser made of one file: its items, or why it could not read the file. */
export type ReadResult = { readonly items: readonly ReadItem[] } | { readonly error: string };

/** A parser: which formats it reads, what system tool it needs (if any), and how to read files. */
export interface FeedReader {
  readonly name: string;
  readonly formats: readonly FeedFormat[];
  /** The Debian packages that provide the tool (and library) an out-of-process reader runs. */
  readonly tool?: { readonly debian: string; readonly probe: readonly string[] };
  /** Reads files of one format, one result per file in order (out-of-process readers run once for all). */
  readMany(files: readonly string[], format: FeedFormat): Promise<readonly ReadResult[]>;
}

/** Runs an in-process reader file by file, turning a thrown error into that file's result. */
async function eachFile(files: readonly string[], read: (text: string) => Promise<readonly ReadItem[]> | readonly ReadItem[]): Promise<ReadResult[]> {
  const results: ReadResult[] = [];
  for (const file of files) {
    try {
      results.push({ items: await read(readFileSync(file, 'utf8')) });
    } catch (error) {
      results.push({ error: (error as Error).message });
    }
  }
  return results;
}

/** An instant as `YYYY-MM-DDTHH:MM:SSZ`, '' for no value, `null` for an unparseable one. */
function toStamp(value: Date | string | null | undefined): string | null {
  if (value === undefined || value === null || value === '') return '';
  const date = value instanceof Date ? value : new Date(value);
  const ms = date.getTime();
  return Number.isNaN(ms) ? null : date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

function toText(value: unknown): string {
  if (value === undefined || value === null) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'number') return String(value);
  if (typeof value === 'object' && '#text' in value) return toText((value as Record<string, unknown>)['#text']);
  if (typeof value === 'object' && '_' in value) return toText((value as Record<string, unknown>)['_']);
  return JSON.stringify(value);
}

function asArray(value: unknown): unknown[] {
  if (value === undefined || value === null) return [];
  return Array.isArray(value) ? value : [value];
}

function field(object: unknown, key: string): unknown {
  return typeof object === 'object' && object !== null ? (object as Record<string, unknown>)[key] : undefined;
}

const rssParser: FeedReader = {
  name: 'rss-parser',
  formats: ['rss', 'atom'],
  readMany(files, format) {
    return eachFile(files, async (text) => (await new RssParser().parseString(text)).items.map((item) => {
      const raw = item as Record<string, unknown>;
      const enclosure = item.enclosure;
      return {
        id: format === 'rss' ? toText(raw['guid']) : toText(raw['id']),
        link: item.link ?? '',
        title: item.title ?? '',
        published: toStamp(item.isoDate),
        authors: [toText(format === 'rss' ? raw['creator'] : raw['author'])].filter((a) => a !== ''),
        // rss-parser reads RSS categories only; it has no Atom category and no Atom enclosure.
        ...(format === 'rss'
          ? { categories: asArray(item.categories).map(toText), enclosure: enclosure ? { url: enclosure.url, type: enclosure.type ?? '', length: String(enclosure.length ?? '') } : null }
          : {}),
      };
    }));
  },
};

const rowanmanning: FeedReader = {
  name: '@rowanmanning/feed-parser',
  formats: ['rss', 'atom'],
  readMany(files) {
    return eachFile(files, (text) =>
      parseRowanmanning(text).items.map((item) => {
        const media = item.media[0];
        return {
          id: item.id ?? '',
          link: item.url ?? '',
          title: item.title ?? '',
          published: toStamp(item.published),
          updated: toStamp(item.updated),
          authors: item.authors.map((a) => a.name ?? ''),
          categories: item.categories.map((c) => c.label ?? c.term),
          enclosure: media ? { url: media.url, type: media.mimeType ?? '', length: media.length === null ? '' : String(media.length) } : null,
        };
      }),
    );
  },
};

/** feed-extractor's normalized entries carry id, link, title and date; the rest is read from its raw mode. */
const feedExtractor: FeedReader = {
  name: '@extractus/feed-extractor',
  formats: ['rss', 'atom', 'json'],
  readMany(files, format) {
    return eachFile(files, (text) => {
    const normal = format === 'json' ? extractFromJson(text, { descriptionMaxLen: 0 }) : extractFromXml(text, { descriptionMaxLen: 0 });
    const raw = format === 'json' ? extractFromJson(text, { normalization: false }) : extractFromXml(text, { normalization: false });
    const rawItems = asArray(format === 'rss' ? raw['item'] : format === 'atom' ? raw['entry'] : raw['items']);
    return (normal.entries ?? []).map((entry, index) => {
        const r = rawItems[index];
        const base = { id: entry.id, link: entry.link ?? '', title: entry.title ?? '', published: toStamp(entry.published) };
        if (format === 'rss') {
          const enclosure = field(r, 'enclosure');
          return {
            ...base,
            authors: asArray(field(r, 'dc:creator')).map(toText),
            categories: asArray(field(r, 'category')).map(toText),
            // feed-extractor turns <enclosure> attributes into plain url/type/length members.
            enclosure: enclosure ? { url: toText(field(enclosure, 'url')), type: toText(field(enclosure, 'type')), length: toText(field(enclosure, 'length')) } : null,
          };
        }
        if (format === 'atom') {
          // Its raw Atom entry keeps only the alternate link's href, so it has no enclosure.
          return {
            ...base,
            updated: toStamp(toText(field(r, 'updated'))),
            authors: asArray(field(r, 'author')).map((a) => toText(field(a, 'name'))),
            categories: asArray(field(r, 'category')).map((c) => toText(field(c, '@_term'))),
          };
        }
        const attachment = asArray(field(r, 'attachments'))[0];
        return {
          ...base,
          updated: toStamp(toText(field(r, 'date_modified'))),
          authors: asArray(field(r, 'authors')).map((a) => toText(field(a, 'name'))),
          categories: asArray(field(r, 'tags')).map(toText),
          enclosure: attachment ? { url: toText(field(attachment, 'url')), type: toText(field(attachment, 'mime_type')), length: toText(field(attachment, 'size_in_bytes')) } : null,
        };
      });
    });
  },
};

/** htmlparser2's `parseFeed` (domutils `getFeed`): id, title, link, one date and Media RSS only. */
const htmlparser2: FeedReader = {
  name: 'htmlparser2',
  formats: ['rss', 'atom'],
  readMany(files, format) {
    return eachFile(files, (text) => {
      const feed = parseHtmlparser2(text, { xmlMode: true });
      if (feed === null) throw new Error('htmlparser2 found no feed');
      return feed.items.map((item) => {
        const media = item.media[0];
        return {
          id: item.id ?? '',
          link: item.link ?? '',
          title: item.title ?? '',
          // domutils reads an Atom entry's <updated> as its pubDate.
          ...(format === 'rss' ? { published: toStamp(item.pubDate) } : { updated: toStamp(item.pubDate) }),
          ...(format === 'rss' ? { enclosure: media ? { url: media.url ?? '', type: media.type ?? '', length: media.fileSize === undefined ? '' : String(media.fileSize) } : null } : {}),
        };
      });
    });
  },
};

const feedsmith: FeedReader = {
  name: 'feedsmith',
  formats: ['rss', 'atom', 'json'],
  readMany(files, format) {
    return eachFile(files, (text) => {
    if (format === 'rss') {
      return (parseRssFeed(text).items ?? []).map((item) => {
          const enclosure = item.enclosures?.[0];
          return {
            id: item.guid?.value ?? '',
            link: item.link ?? '',
            title: item.title ?? '',
            published: toStamp(item.pubDate),
            authors: item.dc?.creators ?? [],
            categories: (item.categories ?? []).map((c) => c.name ?? ''),
            enclosure: enclosure ? { url: enclosure.url ?? '', type: enclosure.type ?? '', length: String(enclosure.length ?? '') } : null,
          };
        });
    }
    if (format === 'atom') {
      return (parseAtomFeed(text).entries ?? []).map((entry) => {
          const links = entry.links ?? [];
          const enclosure = links.find((l) => l.rel === 'enclosure');
          return {
            id: entry.id ?? '',
            link: links.find((l) => l.rel === undefined || l.rel === 'alternate')?.href ?? '',
            title: toText(entry.title?.value ?? entry.title),
            published: toStamp(entry.published),
            updated: toStamp(entry.updated),
            authors: (entry.authors ?? []).map((a) => a.name ?? ''),
            categories: (entry.categories ?? []).map((c) => c.term ?? ''),
            enclosure: enclosure ? { url: enclosure.href ?? '', type: enclosure.type ?? '', length: String(enclosure.length ?? '') } : null,
          };
        });
    }
    return (parseJsonFeed(JSON.parse(text)).items ?? []).map((item) => {
        const attachment = item.attachments?.[0];
        return {
          id: item.id ?? '',
          link: item.url ?? '',
          title: item.title ?? '',
          published: toStamp(item.date_published),
          updated: toStamp(item.date_modified),
          authors: (item.authors ?? []).map((a) => a.name ?? ''),
          categories: item.tags ?? [],
          enclosure: attachment ? { url: attachment.url ?? '', type: attachment.mime_type ?? '', length: String(attachment.size_in_bytes ?? '') } : null,
        };
      });
    });
  },
};

/** What the scripts in readers/ print for each file. */
type ScriptFeed =
  | { readonly error: string }
  | {
      readonly items: ReadonlyArray<{
        readonly id?: string;
        readonly link: string;
        readonly title: string;
        readonly published: string | null;
        readonly updated?: string | null;
        readonly authors: ReadonlyArray<{ readonly name: string; readonly email: string }>;
        readonly categories: readonly string[] | null;
        /** `null` when the parser reads no enclosure in this format. */
        readonly enclosures: readonly ReadEnclosure[] | null;
      }>;
    };

/** Runs a reader script over all files at once; it prints one JSON array, a feed or an error per file. */
function runScript(command: string, args: readonly string[], files: readonly string[], fields: { readonly id: boolean; readonly updated: boolean }): ReadResult[] {
  const result = spawnSync(command, [...args, ...files], { encoding: 'utf8', timeout: 120_000, maxBuffer: 256 * 1024 * 1024 });
  if (result.status !== 0) throw new Error(`${command} ${args.join(' ')} failed (${String(result.status)}): ${result.error?.message ?? ''}${result.stderr.slice(-2000)}`);
  const feeds = JSON.parse(result.stdout) as ScriptFeed[];
  return feeds.map((feed) =>
    'error' in feed
      ? { error: feed.error }
      : {
          items: feed.items.map((item) => ({
            ...(fields.id ? { id: item.id ?? '' } : {}),
            link: item.link,
            title: item.title,
            published: item.published,
            ...(fields.updated ? { updated: item.updated ?? '' } : {}),
            authors: item.authors.map((a) => a.name),
            categories: item.categories ?? [],
            ...(item.enclosures === null ? {} : { enclosure: item.enclosures[0] ?? null }),
          })),
        },
  );
}

// Debian's python3-feedparser lives in the system Python's dist-packages, not in a pyenv/venv Python on PATH.
const SYSTEM_PYTHON = existsSync('/usr/bin/python3') ? '/usr/bin/python3' : 'python3';

const pythonFeedparser: FeedReader = {
  name: 'feedparser (Python)',
  // feedparser 6.0 (Debian bookworm) has no JSON Feed parser.
  formats: ['rss', 'atom'],
  tool: { debian: 'python3-feedparser', probe: [SYSTEM_PYTHON, '-c', 'import feedparser'] },
  readMany(files) {
    return Promise.resolve(runScript(SYSTEM_PYTHON, [path.join(READERS_DIR, 'read-feedparser.py')], files, { id: true, updated: true }));
  },
};

const simplePie: FeedReader = {
  name: 'SimplePie',
  formats: ['rss', 'atom'],
  tool: { debian: 'php-cli php-xml php-mbstring libphp-simplepie', probe: ['php', '-r', 'require "/usr/share/php/simplepie/autoloader.php"; exit(extension_loaded("xml") && extension_loaded("mbstring") ? 0 : 1);'] },
  readMany(files) {
    return Promise.resolve(runScript('php', [path.join(READERS_DIR, 'read-simplepie.php')], files, { id: true, updated: true }));
  },
};

const rubyFeedparser: FeedReader = {
  name: 'ruby-feedparser',
  formats: ['rss', 'atom'],
  tool: { debian: 'ruby-feedparser', probe: ['ruby', '-rfeedparser', '-e', ''] },
  readMany(files) {
    return Promise.resolve(runScript('ruby', [path.join(READERS_DIR, 'read-ruby-feedparser.rb')], files, { id: false, updated: false }));
  },
};

let gofeedBinary: string | undefined;

/** Removes what the readers built (the gofeed binary); call once when done. */
export function disposeReaders(): void {
  if (gofeedBinary !== undefined) rmSync(path.dirname(gofeedBinary), { recursive: true, force: true });
  gofeedBinary = undefined;
}

/** Builds readers/read-gofeed.go once per process against Debian's Go sources (GOPATH mode, offline). */
function buildGofeed(): string {
  if (gofeedBinary !== undefined) return gofeedBinary;
  const work = mkdtempSync(path.join(tmpdir(), 'feedwright-gofeed-'));
  const env = { ...process.env, GO111MODULE: 'off', GOPATH: '/usr/share/gocode', GOFLAGS: '', GOCACHE: path.join(tmpdir(), 'feedwright-gocache'), GOPROXY: 'off' };
  const binary = path.join(work, 'read-gofeed');
  const result = spawnSync('go', ['build', '-o', binary, path.join(READERS_DIR, 'read-gofeed.go')], { encoding: 'utf8', env, timeout: 120_000 });
  if (result.status !== 0) {
    rmSync(work, { recursive: true, force: true });
    throw new Error(`go build of read-gofeed.go failed: ${result.error?.message ?? ''}${result.stderr}`);
  }
  gofeedBinary = binary;
  return binary;
}

const gofeed: FeedReader = {
  name: 'gofeed',
  formats: ['rss', 'atom', 'json'],
  tool: { debian: 'golang-go golang-github-mmcdole-gofeed-dev', probe: ['sh', '-c', 'command -v go >/dev/null && test -d /usr/share/gocode/src/github.com/mmcdole/gofeed'] },
  readMany(files) {
    return Promise.resolve(runScript(buildGofeed(), [], files, { id: true, updated: true }));
  },
};

/** Every reader, in-process ones first. */
export const READERS: readonly FeedReader[] = [rssParser, rowanmanning, feedExtractor, htmlparser2, feedsmith, pythonFeedparser, simplePie, gofeed, rubyFeedparser];

/** True when a reader's system tool is installed (always true for in-process readers). */
export function readerAvailable(reader: FeedReader): boolean {
  if (reader.tool === undefined) return true;
  const [command, ...args] = reader.tool.probe;
  if (command === undefined) return false;
  return spawnSync(command, args, { stdio: 'ignore' }).status === 0;
}
