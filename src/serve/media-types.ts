/** What `serve` says a file is (Content-Type) and how long it may be cached (the `_headers` policy). */
import path from 'node:path';
import mime from 'mime-types';
import { MEDIA_TYPES } from '../serialize/host-files.js';
import { isJekyllFeedPath } from '../write/feed-files.js';

/**
 * The files feedwright writes have the types `_headers` gives them (RFC 4287 §7, RSS Advisory Board,
 * JSON Feed 1.1); everything else gets mime-db's type by extension (with mime-types' charset rule),
 * or `application/octet-stream`.
 */
export function contentTypeOf(file: string, root?: string): string {
  const name = path.basename(file);
  // jekyll-feed's paths (feed.xml, feed/<category>.xml, feed/by_tag/<tag>.xml) hold Atom documents too.
  if (root !== undefined && isJekyllFeedPath(path.relative(root, file).split(path.sep).join('/'))) return MEDIA_TYPES['atom.xml'] ?? 'application/atom+xml';
  const named = Object.hasOwn(MEDIA_TYPES, name) ? MEDIA_TYPES[name] : undefined;
  if (named !== undefined) return named;
  const ext = path.extname(name);
  return (ext === '' ? false : mime.contentType(ext)) || 'application/octet-stream';
}

/**
 * RSS and Atom carry an `<?xml-stylesheet?>` so a person who opens one sees a readable page, but Chromium
 * and Firefox show `application/rss+xml` and `application/atom+xml` as plain text (or offer a download)
 * and apply XSLT only to documents served with an XML type (checked with Chromium: text/xsl and
 * application/xslt+xml both work for the stylesheet itself; the feed's own type decides). So a top-level
 * browser navigation (`Sec-Fetch-Dest: document`, a header only browsers send, never readers' fetches)
 * gets the same bytes as `application/xml`; every other client gets the registered feed type.
 */
export function isStyledFeed(type: string): boolean {
  return /^application\/(?:rss|atom)\+xml/.test(type);
}

/** The `_headers` policy: feeds may be cached 5 minutes, the stylesheet a day; a preview always revalidates. */
export function cacheControlOf(file: string, revalidate: boolean): string {
  if (revalidate) return 'no-cache';
  return /\.xslt?$/i.test(file) ? 'public, max-age=86400' : 'public, max-age=300';
}
