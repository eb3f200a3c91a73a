/**
 * The output folder served the way a static host should serve feeds, for previewing and as a reference for
 * host configuration. Each file goes out with its media type, a strong ETag and Last-Modified, 304 on
 * conditional GET (RFC 9110 §13, evaluated by `fresh`), gzip or brotli when asked, and HEAD; nothing outside
 * the folder, no dotfiles, no listings. `Range` is ignored (RFC 9110 §14.2 lets a server ignore it: every
 * answer is a full 200, and `Accept-Ranges: none` says so); feeds are small and read whole. Slow and idle
 * clients are cut off by header, request and keep-alive timeouts, and connections are capped, so a few
 * misbehaving clients cannot hold the server. node:http only.
 */
import * as fsp from 'node:fs/promises';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import fresh from 'fresh';
import { entityTag, ServeCache, type LoadedFile, type Representation } from './cache.js';
import { chooseEncoding, isCompressible, type Coding } from './encoding.js';
import { renderHome } from './home.js';
import { cacheControlOf, contentTypeOf, isStyledFeed } from './media-types.js';
import { resolveTarget } from './resolve.js';

/** The address `serve` listens on unless told otherwise: this machine only. */
export const DEFAULT_HOST = '127.0.0.1';
/** The port `serve` listens on unless told otherwise (Jekyll's). */
export const DEFAULT_PORT = 4000;
/** Below this, compression saves less than the headers it costs (and most CDNs skip it too). */
const MIN_COMPRESS_BYTES = 1024;

/** Limits that keep slow, idle and numerous clients from holding the server (node:http options). */
export interface ServeLimits {
  /** Time for a client to send a request's headers, from its first byte or from connecting [default: 10 s]. */
  readonly headersTimeoutMs?: number;
  /** Time for a client to send a whole request [default: 30 s]. */
  readonly requestTimeoutMs?: number;
  /** Time an idle keep-alive connection stays open, and a stalled response waits for its reader [default: 5 s]. */
  readonly keepAliveTimeoutMs?: number;
  /** How often the timeouts above are checked (node:http's `connectionsCheckingInterval`) [default: 1 s]. */
  readonly checkIntervalMs?: number;
  /** Connections open at once; further ones are closed at once rather than queued [default: 256]. */
  readonly maxConnections?: number;
}

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
  readonly limits?: ServeLimits;
}

/** A listening server. */
export interface RunningServer {
  /** The server's root URL, e.g. `http://127.0.0.1:4000/`. */
  readonly url: string;
  /** The address it listens on, as given (e.g. `127.0.0.1`). */
  readonly host: string;
  /** Stops listening, drops open connections, and resolves once the server is closed. */
  close(): Promise<void>;
}

const STATUS_TEXT: Readonly<Record<number, string>> = { 404: 'Not Found', 405: 'Method Not Allowed', 500: 'Internal Server Error' };

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
  /** Entity-tag suffix for a representation whose metadata differs (same bytes, other Content-Type). */
  readonly tag?: string;
}

/** `"abc"` with `-xml` → `"abc-xml"`: another strong tag for the same bytes under another type. */
function withSuffix(etag: string, suffix: string | undefined): string {
  return suffix === undefined ? etag : `${etag.slice(0, -1)}-${suffix}"`;
}

async function sendRepresentation(req: IncomingMessage, res: ServerResponse, cache: ServeCache, rep: Representation, type: string, cacheControl: string, variation: Variation = {}): Promise<void> {
  const compressible = isCompressible(type);
  const wanted = compressible && rep.bytes.length >= MIN_COMPRESS_BYTES ? chooseEncoding(req.headers['accept-encoding']) : 'identity';
  const variant = wanted === 'identity' ? undefined : await cache.variant(rep, wanted);
  const compressed = variant?.bytes ?? null;
  const coding: Coding = compressed === null ? 'identity' : wanted;
  const body = compressed ?? rep.bytes;
  // Each encoding is a different representation with different bytes, so it gets its own strong ETag.
  const etag = withSuffix(compressed === null || variant === undefined ? rep.etag : variant.etag, variation.tag);
  const vary = [...(compressible ? ['Accept-Encoding'] : []), ...(variation.vary === undefined ? [] : [variation.vary])].join(', ');
  const validators: Record<string, string> = {
    ETag: etag,
    ...(rep.modified === undefined ? {} : { 'Last-Modified': rep.modified.toUTCString() }),
    'Cache-Control': cacheControl,
    ...(vary === '' ? {} : { Vary: vary }),
    'X-Content-Type-Options': 'nosniff',
  };
  // RFC 9110 §13.2.2 (If-None-Match first, then If-Modified-Since) and §15.4.5: a 304 carries the
  // validators and caching fields a 200 would, and no content.
  if (fresh(req.headers, { etag, 'last-modified': validators['Last-Modified'] })) {
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

async function handle(req: IncomingMessage, res: ServerResponse, root: string, cache: ServeCache, revalidate: boolean): Promise<void> {
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    sendError(req, res, 405, { Allow: 'GET, HEAD' });
    return;
  }
  const target = await resolveTarget(req.url ?? '', root);
  switch (target.kind) {
    case 'not-found':
      sendError(req, res, 404);
      return;
    case 'redirect': {
      res.writeHead(301, { Location: target.location, 'Content-Length': 0, 'Cache-Control': 'no-store' });
      res.end();
      return;
    }
    case 'home': {
      const bytes = await renderHome(root);
      await sendRepresentation(req, res, cache, { bytes, etag: entityTag(bytes) }, 'text/html; charset=utf-8', 'no-cache');
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
      const type = contentTypeOf(target.file, root);
      const cacheControl = cacheControlOf(target.file, revalidate);
      if (!isStyledFeed(type)) return sendRepresentation(req, res, cache, file, type, cacheControl);
      const browser = req.headers['sec-fetch-dest'] === 'document';
      await sendRepresentation(req, res, cache, file, browser ? 'application/xml; charset=utf-8' : type, cacheControl, { vary: 'Sec-Fetch-Dest', ...(browser ? { tag: 'xml' } : {}) });
    }
  }
}

/** Serves `dir` over HTTP until `close()`; rejects if the folder is missing or the port is taken (EADDRINUSE). */
export async function startServer(options: ServeOptions): Promise<RunningServer> {
  const root = await fsp.realpath(options.dir);
  if (!(await fsp.stat(root)).isDirectory()) throw new Error(`${options.dir} is not a folder`);
  const limits = options.limits ?? {};
  const keepAliveTimeout = limits.keepAliveTimeoutMs ?? 5_000;
  const cache = new ServeCache();
  const server = createServer(
    {
      headersTimeout: limits.headersTimeoutMs ?? 10_000,
      requestTimeout: limits.requestTimeoutMs ?? 30_000,
      keepAliveTimeout,
      connectionsCheckingInterval: limits.checkIntervalMs ?? 1_000,
    },
    (req, res) => {
      handle(req, res, root, cache, options.revalidate === true).catch(() => {
        if (!res.headersSent) sendError(req, res, 500);
        else res.destroy();
      });
    },
  );
  server.maxConnections = limits.maxConnections ?? 256;
  // A client that stops reading a response holds its socket until this much time passes without progress.
  server.setTimeout(Math.max(keepAliveTimeout, limits.requestTimeoutMs ?? 30_000), (socket) => socket.destroy());
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
    host,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((err) => (err === undefined ? resolve() : reject(err)));
        server.closeAllConnections();
      }),
  };
}
