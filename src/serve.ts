/**
 * `feedwright serve`: the output folder served the way a static host should serve feeds, for previewing
 * and as a reference for host configuration. Each file goes out with its media type, a strong ETag and
 * Last-Modified, 304 on conditional GET (RFC 9110 §13), gzip or brotli when asked, and HEAD; nothing
 * outside the folder, no dotfiles, no listings. `--watch` rebuilds with `publish`, whose atomic renames
 * mean a request sees a file's previous bytes or its new ones, never a mix. node:http only.
 */
import { createHash } from 'node:crypto';
import { watch, type FSWatcher } from 'node:fs';
import * as fsp from 'node:fs/promises';
import { createServer, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { parseArgs, promisify } from 'node:util';
import zlib from 'node:zlib';
import { publish } from './build.js';
import type { CliIo } from './cli.js';
import type { ConfigOverrides } from './config.js';
import { FeedwrightError, formatDiagnostic } from './errors.js';
import { MEDIA_TYPES } from './serialize/host-files.js';
import { escapeXml } from './serialize/xml.js';

const USAGE = `Usage: feedwright serve [options]

Serves the output folder as a static host should: each feed with its media type, a strong ETag and
Last-Modified, 304 on conditional requests, gzip and brotli, HEAD; no directory listings, no dotfiles,
nothing outside the folder. Stop with Ctrl-C.

Options:
  --out DIR        folder to serve (with --watch, also to build into) [default: output]
  --port N         TCP port, 0 for any free one [default: 4000]
  --host ADDR      address to listen on [default: 127.0.0.1]
  --watch          build on start, then again whenever the content folder changes
  --content DIR    content folder to build and watch (with --watch) [default: content]
  --skip-invalid   with --watch: publish the valid posts, report invalid ones as warnings
  --future         with --watch: publish posts dated in the future
  --unpublished    with --watch: publish posts with published: false
  -h, --help       show this help
`;

const OPTIONS = {
  out: { type: 'string' },
  port: { type: 'string' },
  host: { type: 'string' },
  watch: { type: 'boolean' },
  content: { type: 'string' },
  'skip-invalid': { type: 'boolean' },
  future: { type: 'boolean' },
  unpublished: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

const DEFAULT_PORT = 4000;
const DEFAULT_HOST = '127.0.0.1';
/** Below this, compression saves less than the headers it costs (and most CDNs skip it too). */
const MIN_COMPRESS_BYTES = 1024;
/** Memory for file bytes and compressed variants, each; least recently used entries go first. */
const CACHE_BYTES = 64 * 1024 * 1024;
const WATCH_DEBOUNCE_MS = 200;

/** Where `startServer` listens and what it serves. */
export interface ServeOptions {
  /** The folder served as `/`. */
  readonly dir: string;
  /** TCP port; 0 picks a free one [default: 4000]. */
  readonly port?: number;
  /** Address to listen on [default: 127.0.0.1]. */
  readonly host?: string;
  /** Send `Cache-Control: no-cache` (always revalidate), for a preview whose files change under it. */
  readonly revalidate?: boolean;
}

/** A listening server. */
export interface RunningServer {
  /** The server's root URL, e.g. `http://127.0.0.1:4000/`. */
  readonly url: string;
  /** Stops listening, drops open connections, and resolves once the server is closed. */
  close(): Promise<void>;
}

/** What `startWatch` builds, where, and where it reports. */
export interface WatchOptions {
  readonly contentDir: string;
  readonly outDir: string;
  /** How the content folder is named in diagnostics (default: `contentDir`). */
  readonly displayDir?: string;
  readonly cacheDir?: string;
  readonly overrides?: ConfigOverrides;
  readonly skipInvalid?: boolean;
  /** The clock, read once per build [default: the current time]. */
  readonly now?: () => Date;
  readonly debounceMs?: number;
  readonly io: Pick<CliIo, 'stdout' | 'stderr'>;
}

/** A running watcher. */
export interface RunningWatch {
  /** Stops watching; resolves once a build in progress has finished (so no temp file is left behind). */
  close(): Promise<void>;
}

// ---------------------------------------------------------------------------------------------------
// Media types and caching policy

/** By extension, for files other than the ones feedwright names (MEDIA_TYPES). */
const TYPES_BY_EXTENSION = new Map<string, string>([
  ['.xml', 'application/xml; charset=utf-8'],
  // As `_headers` says; Chromium applies the stylesheet served as text/xsl (and as application/xslt+xml).
  ['.xsl', 'text/xsl; charset=utf-8'],
  ['.xslt', 'text/xsl; charset=utf-8'],
  ['.html', 'text/html; charset=utf-8'],
  ['.htm', 'text/html; charset=utf-8'],
  ['.json', 'application/json; charset=utf-8'],
  ['.txt', 'text/plain; charset=utf-8'],
  ['.css', 'text/css; charset=utf-8'],
  ['.js', 'text/javascript; charset=utf-8'],
  ['.mjs', 'text/javascript; charset=utf-8'],
  ['.webmanifest', 'application/manifest+json; charset=utf-8'],
  ['.svg', 'image/svg+xml'],
  ['.jpg', 'image/jpeg'],
  ['.jpeg', 'image/jpeg'],
  ['.png', 'image/png'],
  ['.gif', 'image/gif'],
  ['.webp', 'image/webp'],
  ['.avif', 'image/avif'],
  ['.ico', 'image/vnd.microsoft.icon'],
  ['.mp3', 'audio/mpeg'],
  ['.m4a', 'audio/mp4'],
  ['.mp4', 'video/mp4'],
  ['.pdf', 'application/pdf'],
  ['.woff2', 'font/woff2'],
]);

/** Files a host reads as configuration and never serves. */
const HOST_CONFIG_FILES = new Set(['_headers', '_redirects']);

function contentTypeOf(file: string): string {
  const name = path.basename(file);
  const named = Object.hasOwn(MEDIA_TYPES, name) ? MEDIA_TYPES[name] : undefined;
  return named ?? TYPES_BY_EXTENSION.get(path.extname(name).toLowerCase()) ?? 'application/octet-stream';
}

/** Text formats gain from compression; images and media are compressed already. */
function isCompressible(type: string): boolean {
  return /^text\/|^application\/[\w.+-]*(?:xml|json)\b|^image\/svg\+xml/.test(type);
}

/**
 * RSS and Atom carry an `<?xml-stylesheet?>` so a person who opens one sees a readable page, but Chromium
 * and Firefox show `application/rss+xml` and `application/atom+xml` as plain text (or offer a download)
 * and apply XSLT only to documents served with an XML type (checked with Chromium: text/xsl and
 * application/xslt+xml both work for the stylesheet itself; the feed's own type decides). So a top-level
 * browser navigation (`Sec-Fetch-Dest: document`, a header only browsers send, never readers' fetches)
 * gets the same bytes as `application/xml`; every other client gets the registered feed type.
 */
function isStyledFeed(type: string): boolean {
  return /^application\/(?:rss|atom)\+xml/.test(type);
}

/** The `_headers` policy: feeds may be cached 5 minutes, the stylesheet a day. */
function cacheControlOf(file: string, revalidate: boolean): string {
  if (revalidate) return 'no-cache';
  return /\.xslt?$/i.test(file) ? 'public, max-age=86400' : 'public, max-age=300';
}

// ---------------------------------------------------------------------------------------------------
// Request parsing (pure)

type Coding = 'br' | 'gzip' | 'identity';

/**
 * RFC 9110 §12.5.3: the acceptable coding with the highest q-value, brotli before gzip on a tie;
 * `identity` wins only when the client ranks it above both. No header means identity.
 */
export function chooseEncoding(header: string | undefined): Coding {
  if (header === undefined || header.trim() === '') return 'identity';
  const q = new Map<string, number>();
  for (const member of header.split(',')) {
    const [name = '', ...params] = member.split(';');
    const coding = name.trim().toLowerCase();
    if (coding === '') continue;
    let quality = 1;
    for (const param of params) {
      const m = /^\s*q\s*=\s*(\d+(?:\.\d*)?)\s*$/i.exec(param);
      if (m !== null) quality = Math.min(1, Number(m[1]));
    }
    q.set(coding === 'x-gzip' ? 'gzip' : coding, quality);
  }
  const star = q.get('*');
  const br = q.get('br') ?? star ?? 0;
  const gzip = q.get('gzip') ?? star ?? 0;
  const identity = q.get('identity');
  if (identity !== undefined && identity > Math.max(br, gzip)) return 'identity';
  if (br > 0 && br >= gzip) return 'br';
  return gzip > 0 ? 'gzip' : 'identity';
}

/** RFC 9110 §13.1.2: `*`, or any listed entity-tag equal to `etag` under weak comparison (W/ ignored). */
export function matchesEtag(header: string, etag: string): boolean {
  if (header.trim() === '*') return true;
  const opaque = (tag: string): string => (tag.startsWith('W/') ? tag.slice(2) : tag);
  return (header.match(/(?:W\/)?"[^"]*"/g) ?? []).some((tag) => opaque(tag) === opaque(etag));
}

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];

/** RFC 9110 §5.6.7: IMF-fixdate, or the obsolete RFC 850 and asctime forms; milliseconds, or undefined. */
export function parseHttpDate(text: string): number | undefined {
  const s = text.trim();
  const fix = /^[A-Za-z]{3}, (\d{2}) ([A-Za-z]{3}) (\d{4}) (\d{2}):(\d{2}):(\d{2}) GMT$/.exec(s);
  const rfc850 = /^[A-Za-z]+, (\d{2})-([A-Za-z]{3})-(\d{2}) (\d{2}):(\d{2}):(\d{2}) GMT$/.exec(s);
  const asctime = /^[A-Za-z]{3} ([A-Za-z]{3}) ([ \d]\d) (\d{2}):(\d{2}):(\d{2}) (\d{4})$/.exec(s);
  let parts: [string, string, string, string, string, string] | undefined;
  if (fix !== null) parts = [fix[3] ?? '', fix[2] ?? '', fix[1] ?? '', fix[4] ?? '', fix[5] ?? '', fix[6] ?? ''];
  else if (rfc850 !== null) {
    // RFC 9110: a two-digit year more than 50 years in the future means the past century.
    const yy = Number(rfc850[3]);
    const year = 2000 + yy > new Date().getUTCFullYear() + 50 ? 1900 + yy : 2000 + yy;
    parts = [String(year), rfc850[2] ?? '', rfc850[1] ?? '', rfc850[4] ?? '', rfc850[5] ?? '', rfc850[6] ?? ''];
  } else if (asctime !== null) parts = [asctime[6] ?? '', asctime[1] ?? '', (asctime[2] ?? '').trim(), asctime[3] ?? '', asctime[4] ?? '', asctime[5] ?? ''];
  if (parts === undefined) return undefined;
  const month = MONTHS.indexOf(parts[1].toLowerCase());
  if (month < 0) return undefined;
  const [year, , day, hour, minute, second] = parts.map(Number) as [number, number, number, number, number, number];
  const ms = Date.UTC(year, month, day, hour, minute, second);
  return Number.isNaN(ms) || new Date(ms).getUTCDate() !== day ? undefined : ms;
}

/**
 * RFC 9110 §13.2.2: If-None-Match is evaluated first and, when present, If-Modified-Since is ignored.
 * Last-Modified has one-second resolution, so the file time is compared truncated to the second.
 */
function isNotModified(headers: IncomingHttpHeaders, etag: string, modified: Date | undefined): boolean {
  const inm = headers['if-none-match'];
  if (inm !== undefined) return matchesEtag(inm, etag);
  const ims = headers['if-modified-since'];
  if (ims === undefined || modified === undefined) return false;
  const since = parseHttpDate(ims);
  return since !== undefined && Math.floor(modified.getTime() / 1000) * 1000 <= since;
}

type Target =
  | { readonly kind: 'file'; readonly file: string }
  | { readonly kind: 'redirect'; readonly location: string }
  | { readonly kind: 'home' }
  | { readonly kind: 'error'; readonly status: 400 | 403 | 404 };

function isInside(root: string, p: string): boolean {
  return p === root || p.startsWith(root.endsWith(path.sep) ? root : root + path.sep);
}

// A rebuild may remove a stale feed between any two calls: a file that vanishes is simply not found.
async function realpathOrUndefined(p: string): Promise<string | undefined> {
  return fsp.realpath(p).catch(() => undefined);
}

async function statOrUndefined(p: string): Promise<{ isFile(): boolean; isDirectory(): boolean } | undefined> {
  return fsp.stat(p).catch(() => undefined);
}

/**
 * Maps a request target to a file under `root` (a realpath). Percent-encoding is decoded once; NUL,
 * `..` segments and malformed encoding are refused before the file system is touched, and the resolved
 * path, symlinks followed, must still lie inside `root` and contain no dot-named part.
 */
async function resolveTarget(rawTarget: string, root: string): Promise<Target> {
  const rawPath = rawTarget.split('?', 1)[0] ?? '';
  if (!rawPath.startsWith('/')) return { kind: 'error', status: 400 };
  let decoded: string;
  try {
    decoded = decodeURIComponent(rawPath);
  } catch {
    return { kind: 'error', status: 400 };
  }
  if (decoded.includes('\0')) return { kind: 'error', status: 400 };
  // Backslashes count as separators too, so a Windows host cannot be walked out of either.
  const segments = decoded.split(/[/\\]/).filter((s) => s !== '' && s !== '.');
  if (segments.includes('..')) return { kind: 'error', status: 403 };
  if (segments.some((s) => s.startsWith('.'))) return { kind: 'error', status: 404 };
  if (segments.length === 1 && HOST_CONFIG_FILES.has(segments[0] ?? '')) return { kind: 'error', status: 404 };
  const joined = path.resolve(root, ...segments);
  if (!isInside(root, joined)) return { kind: 'error', status: 403 };
  const real = await realpathOrUndefined(joined);
  if (real === undefined) return { kind: 'error', status: 404 };
  const check = (p: string): Target | undefined => {
    if (!isInside(root, p)) return { kind: 'error', status: 403 };
    if (path.relative(root, p).split(path.sep).some((s) => s.startsWith('.'))) return { kind: 'error', status: 404 };
    return undefined;
  };
  const refused = check(real);
  if (refused !== undefined) return refused;
  const stat = await statOrUndefined(real);
  if (stat === undefined) return { kind: 'error', status: 404 };
  if (stat.isDirectory()) {
    const index = await realpathOrUndefined(path.join(real, 'index.html'));
    const hasIndex = index !== undefined && check(index) === undefined && (await statOrUndefined(index))?.isFile() === true;
    if (!hasIndex) return segments.length === 0 ? { kind: 'home' } : { kind: 'error', status: 404 };
    // Relative links in an index page resolve against its URL, so a folder is always addressed with a slash.
    // The location is rebuilt from the decoded segments: never `//host`, never anything outside the folder.
    if (!rawPath.endsWith('/')) return { kind: 'redirect', location: `/${segments.map(encodeURIComponent).join('/')}/` };
    return { kind: 'file', file: index };
  }
  if (!stat.isFile() || rawPath.endsWith('/')) return { kind: 'error', status: 404 };
  return { kind: 'file', file: real };
}

// ---------------------------------------------------------------------------------------------------
// Bytes, hashes and compressed variants, cached

/** A size-bounded map that drops its least recently used entries. */
class LruCache<V> {
  readonly #entries = new Map<string, { value: V; size: number }>();
  #total = 0;
  constructor(private readonly maxBytes: number) {}
  get(key: string): V | undefined {
    const entry = this.#entries.get(key);
    if (entry === undefined) return undefined;
    this.#entries.delete(key);
    this.#entries.set(key, entry);
    return entry.value;
  }
  set(key: string, value: V, size: number): void {
    if (size > this.maxBytes / 4) return;
    const old = this.#entries.get(key);
    if (old !== undefined) this.#total -= old.size;
    this.#entries.delete(key);
    this.#entries.set(key, { value, size });
    this.#total += size;
    for (const [k, e] of this.#entries) {
      if (this.#total <= this.maxBytes) break;
      this.#entries.delete(k);
      this.#total -= e.size;
    }
  }
}

interface Representation {
  readonly bytes: Buffer;
  /** sha256 of the identity bytes, base64url. */
  readonly hash: string;
  readonly modified?: Date;
}

interface LoadedFile extends Representation {
  readonly modified: Date;
  readonly stamp: string;
}

const brotliCompress = promisify(zlib.brotliCompress);
const gzipCompress = promisify(zlib.gzip);

class ServeCache {
  readonly #files = new LruCache<LoadedFile>(CACHE_BYTES);
  readonly #variants = new LruCache<Buffer | null>(CACHE_BYTES);
  readonly #pending = new Map<string, Promise<Buffer | null>>();

  /** The file's bytes and hash, read and hashed again only when its inode, size or times changed. */
  async load(file: string): Promise<LoadedFile> {
    // One descriptor for stat and read: publish renames new files in, so both see the same inode.
    const handle = await fsp.open(file, 'r');
    try {
      const stat = await handle.stat({ bigint: true });
      const stamp = `${stat.dev}:${stat.ino}:${stat.size}:${stat.mtimeNs}:${stat.ctimeNs}`;
      const cached = this.#files.get(file);
      if (cached?.stamp === stamp) return cached;
      const bytes = await handle.readFile();
      const loaded: LoadedFile = { bytes, hash: hashOf(bytes), modified: new Date(Number(stat.mtimeMs)), stamp };
      this.#files.set(file, loaded, bytes.length);
      return loaded;
    } finally {
      await handle.close();
    }
  }

  /** The compressed bytes (null when compression does not make them smaller), compressed once per hash. */
  async variant(rep: Representation, coding: 'br' | 'gzip'): Promise<Buffer | null> {
    const key = `${rep.hash}:${coding}`;
    const cached = this.#variants.get(key);
    if (cached !== undefined) return cached;
    let pending = this.#pending.get(key);
    if (pending === undefined) {
      pending = compress(rep.bytes, coding).then((out) => {
        const result = out.length < rep.bytes.length ? out : null;
        this.#variants.set(key, result, result?.length ?? 64);
        return result;
      });
      pending.finally(() => this.#pending.delete(key)).catch(() => undefined);
      this.#pending.set(key, pending);
    }
    return pending;
  }
}

function hashOf(bytes: Buffer): string {
  return createHash('sha256').update(bytes).digest('base64url');
}

function compress(bytes: Buffer, coding: 'br' | 'gzip'): Promise<Buffer> {
  if (coding === 'gzip') return gzipCompress(bytes, { level: 9 });
  return brotliCompress(bytes, {
    params: {
      [zlib.constants.BROTLI_PARAM_MODE]: zlib.constants.BROTLI_MODE_TEXT,
      [zlib.constants.BROTLI_PARAM_QUALITY]: 11,
      [zlib.constants.BROTLI_PARAM_SIZE_HINT]: bytes.length,
    },
  });
}

// ---------------------------------------------------------------------------------------------------
// Responses

const STATUS_TEXT: Readonly<Record<number, string>> = { 400: 'Bad Request', 403: 'Forbidden', 404: 'Not Found', 405: 'Method Not Allowed', 500: 'Internal Server Error' };

function sendError(req: IncomingMessage, res: ServerResponse, status: number, extra: Readonly<Record<string, string>> = {}): void {
  const body = Buffer.from(`${status} ${STATUS_TEXT[status] ?? ''}\n`);
  res.writeHead(status, {
    'Content-Type': 'text/plain; charset=utf-8',
    'Content-Length': body.length,
    'Cache-Control': 'no-store',
    'X-Content-Type-Options': 'nosniff',
    ...extra,
  });
  res.end(req.method === 'HEAD' ? undefined : body);
}

/** How one response differs from the file's default representation. */
interface Variation {
  /** Request fields (besides Accept-Encoding) that select the representation. */
  readonly vary?: string;
  /** ETag suffix for a representation whose metadata differs (same bytes, other Content-Type). */
  readonly tag?: string;
}

async function sendRepresentation(req: IncomingMessage, res: ServerResponse, cache: ServeCache, rep: Representation, type: string, cacheControl: string, variation: Variation = {}): Promise<void> {
  const compressible = isCompressible(type);
  const wanted = compressible && rep.bytes.length >= MIN_COMPRESS_BYTES ? chooseEncoding(req.headers['accept-encoding']) : 'identity';
  const compressed = wanted === 'identity' ? null : await cache.variant(rep, wanted);
  const coding: Coding = compressed === null ? 'identity' : wanted;
  const body = compressed ?? rep.bytes;
  // Each encoding is a different representation with different bytes, so it gets its own strong ETag.
  const etag = `"${rep.hash}${variation.tag === undefined ? '' : `-${variation.tag}`}${coding === 'br' ? '-br' : coding === 'gzip' ? '-gz' : ''}"`;
  const vary = [...(compressible ? ['Accept-Encoding'] : []), ...(variation.vary === undefined ? [] : [variation.vary])].join(', ');
  const validators: Record<string, string> = {
    ETag: etag,
    ...(rep.modified === undefined ? {} : { 'Last-Modified': rep.modified.toUTCString() }),
    'Cache-Control': cacheControl,
    ...(vary === '' ? {} : { Vary: vary }),
    'X-Content-Type-Options': 'nosniff',
  };
  // RFC 9110 §15.4.5: a 304 carries the validators and caching fields a 200 would, and no content.
  if (isNotModified(req.headers, etag, rep.modified)) {
    res.writeHead(304, validators);
    res.end();
    return;
  }
  res.writeHead(200, {
    'Content-Type': type,
    'Content-Length': body.length,
    ...(coding === 'identity' ? {} : { 'Content-Encoding': coding }),
    ...validators,
    'Accept-Ranges': 'none',
  });
  res.end(req.method === 'HEAD' ? undefined : body);
}

const FEED_FILES: readonly string[] = ['rss.xml', 'atom.xml', 'feed.json'];

/** Site, category, tag and archive feeds under `root`, as POSIX paths, for the generated home page. */
async function listFeeds(root: string): Promise<string[]> {
  const found: string[] = [];
  const walk = async (dir: string, rel: string, depth: number): Promise<void> => {
    if (depth > 4 || found.length >= 600) return;
    const entries = await fsp.readdir(dir, { withFileTypes: true }).catch(() => []);
    // Feeds in RSS, Atom, JSON Feed order; folders by name.
    const rank = (name: string): number => (FEED_FILES.includes(name) ? FEED_FILES.indexOf(name) : FEED_FILES.length);
    entries.sort((a, b) => rank(a.name) - rank(b.name) || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const e of entries) {
      if (e.name.startsWith('.')) continue;
      const childRel = rel === '' ? e.name : `${rel}/${e.name}`;
      if (e.isFile() && FEED_FILES.includes(e.name)) found.push(childRel);
    }
    for (const e of entries) if (e.isDirectory() && !e.name.startsWith('.')) await walk(path.join(dir, e.name), rel === '' ? e.name : `${rel}/${e.name}`, depth + 1);
  };
  await walk(root, '', 0);
  return found;
}

/** The page `/` shows when the folder has no index.html: links to every feed, nothing else. */
async function renderHome(root: string): Promise<Buffer> {
  const feeds = await listFeeds(root);
  const byDir = new Map<string, string[]>();
  for (const f of feeds) {
    const dir = path.posix.dirname(f);
    byDir.set(dir, [...(byDir.get(dir) ?? []), f]);
  }
  const label: Readonly<Record<string, string>> = { 'rss.xml': 'RSS', 'atom.xml': 'Atom', 'feed.json': 'JSON Feed' };
  const items = [...byDir].map(([dir, files]) => {
    const links = files.map((f) => `<a href="${escapeXml(f.split('/').map(encodeURIComponent).join('/'), 'attribute')}">${label[path.posix.basename(f)] ?? ''}</a>`).join(' · ');
    return `<li>${dir === '.' ? 'Site' : `<code>${escapeXml(dir)}/</code>`}: ${links}</li>`;
  });
  const list = items.length === 0 ? '<p>No feeds here yet.</p>' : `<ul>\n${items.join('\n')}\n</ul>`;
  return Buffer.from(`<!doctype html>\n<html lang="en">\n<meta charset="utf-8">\n<title>Feeds</title>\n<h1>Feeds</h1>\n${list}\n`);
}

async function handle(req: IncomingMessage, res: ServerResponse, root: string, cache: ServeCache, revalidate: boolean): Promise<void> {
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    sendError(req, res, 405, { Allow: 'GET, HEAD' });
    return;
  }
  const target = await resolveTarget(req.url ?? '', root);
  switch (target.kind) {
    case 'error':
      sendError(req, res, target.status);
      return;
    case 'redirect': {
      res.writeHead(301, { Location: target.location, 'Content-Length': 0, 'Cache-Control': 'no-store' });
      res.end();
      return;
    }
    case 'home': {
      const bytes = await renderHome(root);
      await sendRepresentation(req, res, cache, { bytes, hash: hashOf(bytes) }, 'text/html; charset=utf-8', 'no-cache');
      return;
    }
    case 'file': {
      let file: LoadedFile;
      try {
        file = await cache.load(target.file);
      } catch (cause) {
        // Gone between resolving and opening (a rebuild removed a stale feed).
        if ((cause as NodeJS.ErrnoException).code === 'ENOENT') return sendError(req, res, 404);
        throw cause;
      }
      const type = contentTypeOf(target.file);
      const cacheControl = cacheControlOf(target.file, revalidate);
      if (!isStyledFeed(type)) return sendRepresentation(req, res, cache, file, type, cacheControl);
      const browser = req.headers['sec-fetch-dest'] === 'document';
      await sendRepresentation(req, res, cache, file, browser ? 'application/xml; charset=utf-8' : type, cacheControl, { vary: 'Sec-Fetch-Dest', ...(browser ? { tag: 'xml' } : {}) });
    }
  }
}

/** Serves `dir` over HTTP until `close()`; rejects if the folder is missing or the port is taken. */
export async function startServer(options: ServeOptions): Promise<RunningServer> {
  const root = await fsp.realpath(options.dir);
  if (!(await fsp.stat(root)).isDirectory()) throw new Error(`${options.dir} is not a folder`);
  const cache = new ServeCache();
  const server = createServer((req, res) => {
    handle(req, res, root, cache, options.revalidate === true).catch(() => {
      if (!res.headersSent) sendError(req, res, 500);
      else res.destroy();
    });
  });
  const host = options.host ?? DEFAULT_HOST;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? DEFAULT_PORT, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://${host.includes(':') ? `[${host}]` : host}:${port}/`,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((err) => (err === undefined ? resolve() : reject(err)));
        server.closeAllConnections();
      }),
  };
}

// ---------------------------------------------------------------------------------------------------
// Watch

/**
 * Builds `contentDir` into `outDir` now, then again ~200 ms after the last change under `contentDir`.
 * Builds never overlap: a change during a build schedules one more. A failed build prints its diagnostics
 * and leaves the previous output in place (publish writes all or nothing). Resolves after the first build.
 */
export async function startWatch(options: WatchOptions): Promise<RunningWatch> {
  const { io } = options;
  const debounceMs = options.debounceMs ?? WATCH_DEBOUNCE_MS;
  const outDir = path.resolve(options.outDir);
  const contentDir = path.resolve(options.contentDir);
  const cacheDir = options.cacheDir === undefined ? undefined : path.resolve(options.cacheDir);
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> | undefined;
  let dirty = false;
  let closed = false;

  const buildOnce = async (): Promise<void> => {
    const started = performance.now();
    try {
      const result = await publish({
        contentDir,
        displayDir: options.displayDir ?? options.contentDir,
        outDir,
        now: options.now?.() ?? new Date(),
        ...(cacheDir === undefined ? {} : { cacheDir }),
        ...(options.overrides === undefined ? {} : { overrides: options.overrides }),
        ...(options.skipInvalid === true ? { skipInvalid: true } : {}),
      });
      for (const d of result.diagnostics) io.stderr(`${formatDiagnostic(d)}\n`);
      const ms = Math.round(performance.now() - started);
      const changed = result.report.written.length;
      io.stdout(`built in ${ms} ms: ${result.stats.published} posts published in ${result.feeds.length} feeds; ${changed} file${changed === 1 ? '' : 's'} changed\n`);
    } catch (cause) {
      if (!(cause instanceof FeedwrightError)) {
        io.stderr(`build failed: ${(cause as Error).message}; still serving the previous output\n`);
        return;
      }
      for (const d of cause.diagnostics) io.stderr(`${formatDiagnostic(d)}\n`);
      const errors = cause.diagnostics.filter((d) => d.severity === 'error').length;
      io.stderr(`build failed with ${errors} error${errors === 1 ? '' : 's'}; still serving the previous output\n`);
    }
  };
  const kick = (): Promise<void> => {
    if (running !== undefined) {
      dirty = true;
      return running;
    }
    running = (async () => {
      do {
        dirty = false;
        await buildOnce();
      } while (dirty && !closed);
    })().finally(() => {
      running = undefined;
    });
    return running;
  };
  // The build's own writes must not trigger builds when the output or cache folder sits inside the content.
  const isOwnWrite = (filename: string | null): boolean => {
    if (filename === null) return false;
    const full = path.resolve(contentDir, filename);
    return isInside(outDir, full) || (cacheDir !== undefined && isInside(cacheDir, full));
  };
  const watcher: FSWatcher = watch(contentDir, { recursive: true }, (_event, filename) => {
    if (closed || isOwnWrite(filename)) return;
    clearTimeout(timer);
    timer = setTimeout(() => void kick(), debounceMs);
  });
  watcher.on('error', (cause) => io.stderr(`watch: ${cause.message}\n`));
  await kick();
  return {
    close: async () => {
      closed = true;
      clearTimeout(timer);
      watcher.close();
      await running;
    },
  };
}

// ---------------------------------------------------------------------------------------------------
// CLI

/** Runs `feedwright serve` with its own arguments until SIGINT, SIGTERM or `signal`; returns the exit code. */
export async function runServe(argv: readonly string[], io: CliIo, options: { readonly signal?: AbortSignal } = {}): Promise<number> {
  let values;
  try {
    ({ values } = parseArgs({ args: [...argv], options: OPTIONS, allowPositionals: false, strict: true }));
  } catch (cause) {
    io.stderr(`feedwright serve: ${(cause as Error).message}\n\n${USAGE}`);
    return 2;
  }
  if (values.help === true) {
    io.stdout(USAGE);
    return 0;
  }
  const usage = (message: string): number => {
    io.stderr(`feedwright serve: ${message}\n\n${USAGE}`);
    return 2;
  };
  const port = values.port === undefined ? DEFAULT_PORT : /^\d{1,5}$/.test(values.port) ? Number(values.port) : Number.NaN;
  if (!(port >= 0 && port <= 65535)) return usage(`--port takes a whole number from 0 to 65535, got '${values.port ?? ''}'`);
  if (values.host === '') return usage('--host takes an address');
  const watchOnly = (['content', 'skip-invalid', 'future', 'unpublished'] as const).find((k) => values[k] !== undefined);
  if (values.watch !== true && watchOnly !== undefined) return usage(`--${watchOnly} applies only with --watch`);

  const outArg = values.out ?? 'output';
  const contentArg = values.content ?? 'content';
  const outDir = path.resolve(io.cwd, outArg);
  let watcher: RunningWatch | undefined;
  let server: RunningServer;
  try {
    if (values.watch === true) {
      const contentDir = path.resolve(io.cwd, contentArg);
      if (!(await fsp.stat(contentDir).catch(() => undefined))?.isDirectory()) {
        io.stderr(`feedwright serve: content folder '${contentArg}' does not exist\n`);
        return 1;
      }
      watcher = await startWatch({
        contentDir,
        displayDir: contentArg,
        outDir,
        cacheDir: path.resolve(io.cwd, '.feedwright-cache'),
        now: io.now,
        io,
        ...(values['skip-invalid'] === true ? { skipInvalid: true } : {}),
        overrides: { ...(values.future === true ? { future: true } : {}), ...(values.unpublished === true ? { unpublished: true } : {}) },
      });
      // A failed first build leaves no output yet: serve the empty folder until a build succeeds.
      await fsp.mkdir(outDir, { recursive: true });
    }
    server = await startServer({ dir: outDir, port, host: values.host ?? DEFAULT_HOST, revalidate: values.watch === true });
  } catch (cause) {
    await watcher?.close();
    const code = (cause as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') io.stderr(`feedwright serve: output folder '${outArg}' does not exist; run feedwright build first, or add --watch\n`);
    else if (code === 'EADDRINUSE') io.stderr(`feedwright serve: port ${port} is already in use; choose another with --port\n`);
    else if (code === 'EADDRNOTAVAIL') io.stderr(`feedwright serve: cannot listen on '${values.host ?? DEFAULT_HOST}'\n`);
    else throw cause;
    return 1;
  }
  io.stdout(`Serving ${outArg} at ${server.url}\n`);
  if (watcher !== undefined) io.stdout(`Watching ${contentArg} for changes\n`);

  await new Promise<void>((resolve) => {
    const stop = (): void => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      options.signal?.removeEventListener('abort', stop);
      resolve();
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
    if (options.signal?.aborted === true) stop();
    else options.signal?.addEventListener('abort', stop);
  });
  await watcher?.close();
  await server.close();
  return 0;
}
