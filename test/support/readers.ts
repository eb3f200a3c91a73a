/**
 * Feed parsers that real readers are built on, each wrapped to say what it understood of a feed file in one
 * shape (`ReadItem`), so test/interop.test.ts can compare them with our model. In-process: rss-parser,
 * @rowanmanning/feed-parser, @extractus/feed-extractor, htmlparser2 and feedsmith. Out of process, through
 * the scripts in readers/: Python feedparser, SimplePie, gofeed and ruby-feedparser (Debian packages).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
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

/** A parser: which formats it reads, what system tool it needs (if any), and how to read a file. */
export interface FeedReader {
  readonly name: string;
  readonly formats: readonly FeedFormat[];
  /** A command the reader runs, and the Debian packages that provide it (and its library). */
  readonly tool?: { readonly command: string; readonly debian: string; readonly probe: readonly string[] };
  read(file: string, format: FeedFormat): Promise<readonly ReadItem[]>;
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
  async read(file, format) {
    const feed = await new RssParser().parseString(readFileSync(file, 'utf8'));
    return feed.items.map((item) => {
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
    });
  },
};

const rowanmanning: FeedReader = {
  name: '@rowanmanning/feed-parser',
  formats: ['rss', 'atom'],
  read(file) {
    const feed = parseRowanmanning(readFileSync(file, 'utf8'));
    return Promise.resolve(
      feed.items.map((item) => {
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
  read(file, format) {
    const text = readFileSync(file, 'utf8');
    const normal = format === 'json' ? extractFromJson(text, { descriptionMaxLen: 0 }) : extractFromXml(text, { descriptionMaxLen: 0 });
    const raw = format === 'json' ? extractFromJson(text, { normalization: false }) : extractFromXml(text, { normalization: false });
    const rawItems = asArray(format === 'rss' ? raw['item'] : format === 'atom' ? raw['entry'] : raw['items']);
    return Promise.resolve(
      (normal.entries ?? []).map((entry, index) => {
        const r = rawItems[index];
        const base = { id: entry.id, link: entry.link ?? '', title: entry.title ?? '', published: toStamp(entry.published) };
        if (format === 'rss') {
          const enclosure = field(r, 'enclosure');
          return {
            ...base,
            authors: asArray(field(r, 'dc:creator')).map(toText),
            categories: asArray(field(r, 'category')).map(toText),
            enclosure: enclosure ? { url: toText(field(enclosure, '@_url')), type: toText(field(enclosure, '@_type')), length: toText(field(enclosure, '@_length')) } : null,
          };
        }
        if (format === 'atom') {
          const enclosure = asArray(field(r, 'link')).find((l) => field(l, '@_rel') === 'enclosure');
          return {
            ...base,
            updated: toStamp(toText(field(r, 'updated'))),
            authors: asArray(field(r, 'author')).map((a) => toText(field(a, 'name'))),
            categories: asArray(field(r, 'category')).map((c) => toText(field(c, '@_term'))),
            enclosure: enclosure ? { url: toText(field(enclosure, '@_href')), type: toText(field(enclosure, '@_type')), length: toText(field(enclosure, '@_length')) } : null,
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
      }),
    );
  },
};

/** htmlparser2's `parseFeed` (domutils `getFeed`): id, title, link, one date and Media RSS only. */
const htmlparser2: FeedReader = {
  name: 'htmlparser2',
  formats: ['rss', 'atom'],
  read(file, format) {
    const feed = parseHtmlparser2(readFileSync(file, 'utf8'), { xmlMode: true });
    if (feed === null) throw new Error('htmlparser2 found no feed');
    return Promise.resolve(
      feed.items.map((item) => {
        const media = item.media[0];
        return {
          id: item.id ?? '',
          link: item.link ?? '',
          title: item.title ?? '',
          // domutils reads an Atom entry's <updated> as its pubDate.
          ...(format === 'rss' ? { published: toStamp(item.pubDate) } : { updated: toStamp(item.pubDate) }),
          ...(format === 'rss' ? { enclosure: media ? { url: media.url ?? '', type: media.type ?? '', length: media.fileSize === undefined ? '' : String(media.fileSize) } : null } : {}),
        };
      }),
    );
  },
};

const feedsmith: FeedReader = {
  name: 'feedsmith',
  formats: ['rss', 'atom', 'json'],
  read(file, format) {
    const text = readFileSync(file, 'utf8');
    if (format === 'rss') {
      return Promise.resolve(
        (parseRssFeed(text).items ?? []).map((item) => {
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
        }),
      );
    }
    if (format === 'atom') {
      return Promise.resolve(
        (parseAtomFeed(text).entries ?? []).map((entry) => {
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
        }),
      );
    }
    return Promise.resolve(
      (parseJsonFeed(text).items ?? []).map((item) => {
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
      }),
    );
  },
};

/** What the scripts in readers/ print. */
interface ScriptFeed {
  readonly items: ReadonlyArray<{
    readonly id?: string;
    readonly link: string;
    readonly title: string;
    readonly published: string | null;
    readonly updated?: string | null;
    readonly authors: ReadonlyArray<{ readonly name: string; readonly email: string }>;
    readonly categories: readonly string[] | null;
    readonly enclosures: readonly ReadEnclosure[];
  }>;
}

function runScript(command: string, args: readonly string[], env: NodeJS.ProcessEnv = process.env): ScriptFeed {
  const result = spawnSync(command, args, { encoding: 'utf8', env, timeout: 60_000, maxBuffer: 64 * 1024 * 1024 });
  if (result.status !== 0) throw new Error(`${command} ${args.join(' ')} failed (${String(result.status)}): ${result.error?.message ?? ''}${result.stderr.slice(-2000)}`);
  return JSON.parse(result.stdout) as ScriptFeed;
}

function fromScript(feed: ScriptFeed, fields: { readonly id: boolean; readonly updated: boolean }): ReadItem[] {
  return feed.items.map((item) => ({
    ...(fields.id ? { id: item.id ?? '' } : {}),
    link: item.link,
    title: item.title,
    published: item.published,
    ...(fields.updated ? { updated: item.updated ?? '' } : {}),
    authors: item.authors.map((a) => a.name),
    categories: item.categories ?? [],
    enclosure: item.enclosures[0] ?? null,
  }));
}

// Debian's python3-feedparser lives in the system Python's dist-packages, not in a pyenv/venv Python on PATH.
const SYSTEM_PYTHON = existsSync('/usr/bin/python3') ? '/usr/bin/python3' : 'python3';

const pythonFeedparser: FeedReader = {
  name: 'feedparser (Python)',
  formats: ['rss', 'atom', 'json'],
  tool: { command: SYSTEM_PYTHON, debian: 'python3-feedparser', probe: [SYSTEM_PYTHON, '-c', 'import feedparser'] },
  read(file) {
    return Promise.resolve(fromScript(runScript(SYSTEM_PYTHON, [path.join(READERS_DIR, 'read-feedparser.py'), file]), { id: true, updated: true }));
  },
};

const simplePie: FeedReader = {
  name: 'SimplePie',
  formats: ['rss', 'atom'],
  tool: { command: 'php', debian: 'php-cli php-xml php-mbstring libphp-simplepie', probe: ['php', '-r', 'require "/usr/share/php/simplepie/autoloader.php"; exit(extension_loaded("xml") && extension_loaded("mbstring") ? 0 : 1);'] },
  read(file) {
    return Promise.resolve(fromScript(runScript('php', [path.join(READERS_DIR, 'read-simplepie.php'), file]), { id: true, updated: true }));
  },
};

const rubyFeedparser: FeedReader = {
  name: 'ruby-feedparser',
  formats: ['rss', 'atom'],
  tool: { command: 'ruby', debian: 'ruby-feedparser', probe: ['ruby', '-rfeedparser', '-e', ''] },
  read(file) {
    return Promise.resolve(fromScript(runScript('ruby', [path.join(READERS_DIR, 'read-ruby-feedparser.rb'), file]), { id: false, updated: false }));
  },
};

let gofeedBinary: string | undefined;

/** Builds readers/read-gofeed.go once per process against Debian's Go sources (GOPATH mode, offline). */
function buildGofeed(): string {
  if (gofeedBinary !== undefined) return gofeedBinary;
  const work = mkdtempSync(path.join(tmpdir(), 'feedwright-gofeed-'));
  const src = path.join(work, 'src', 'reader');
  mkdirSync(src, { recursive: true });
  const env = { ...process.env, GO111MODULE: 'off', GOPATH: `${work}:/usr/share/gocode`, GOFLAGS: '', GOCACHE: path.join(tmpdir(), 'feedwright-gocache'), GOPROXY: 'off' };
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
  tool: { command: 'go', debian: 'golang-go golang-github-mmcdole-gofeed-dev', probe: ['sh', '-c', 'command -v go && test -d /usr/share/gocode/src/github.com/mmcdole/gofeed'] },
  read(file) {
    return Promise.resolve(fromScript(runScript(buildGofeed(), [file]), { id: true, updated: true }));
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
