/**
 * Files for hosts and pages beside the feeds: `_headers` (the Netlify / Cloudflare Pages convention) so
 * a static host serves each feed with its media type and caching without configuration, and
 * `feeds.html`, the `<link rel="alternate">` tags a site's pages put in their `<head>` for discovery.
 */
import { escapeXml } from './xml.js';
import type { FeedHead } from './writer.js';
import { FEED_FILE_NAMES } from '../write/feed-files.js';

/** Media types of the files feedwright writes (RFC 4287 §7, RSS Advisory Board, JSON Feed 1.1). */
export const MEDIA_TYPES: Readonly<Record<string, string>> = {
  'rss.xml': 'application/rss+xml; charset=utf-8',
  'atom.xml': 'application/atom+xml; charset=utf-8',
  'feed.json': 'application/feed+json; charset=utf-8',
  'feed.xsl': 'text/xsl; charset=utf-8',
  'feeds.html': 'text/html; charset=utf-8',
};

/** `_headers` for every feed file (paths from the output folder's root, which the host serves as `/`). */
export function serializeHeaders(feeds: readonly FeedHead[], atomAliases: readonly string[] = []): string {
  const block = (file: string, type: string, cache: string): string => `${file}\n  Content-Type: ${type}\n  Cache-Control: ${cache}\n  X-Content-Type-Options: nosniff\n`;
  let out = '# Written by feedwright: media types and caching for the feeds (Netlify / Cloudflare Pages _headers).\n';
  out += block('/feed.xsl', MEDIA_TYPES['feed.xsl'] ?? '', 'public, max-age=86400');
  const newestArchive = feeds.filter((f) => f.kind === 'archive').at(-1);
  for (const feed of feeds) {
    // Older archive documents do not change as posts come in: let caches keep them longer.
    const cache = feed.kind === 'archive' && feed !== newestArchive ? 'public, max-age=86400' : 'public, max-age=300';
    for (const file of FEED_FILE_NAMES) out += block(`/${feed.dir === '' ? '' : `${feed.dir}/`}${file}`, MEDIA_TYPES[file] ?? '', cache);
  }
  // jekyll-feed's paths (feed.xml, feed/<category>.xml, feed/by_tag/<tag>.xml) are Atom documents too.
  for (const alias of atomAliases) out += block(`/${alias.split('/').map(encodeURIComponent).join('/')}`, MEDIA_TYPES['atom.xml'] ?? '', 'public, max-age=300');
  return out;
}

/** `feeds.html`: alternate links for the site feed and every category and tag feed, for pages' `<head>`. */
export function serializeDiscoveryLinks(feeds: readonly FeedHead[]): string {
  const types = { rss: 'application/rss+xml', atom: 'application/atom+xml', json: 'application/feed+json' } as const;
  const formatName = { rss: 'RSS', atom: 'Atom', json: 'JSON Feed' } as const;
  let out = '<!-- Written by feedwright: feed discovery links. Put the first three in every page\'s <head>, and a category\'s or tag\'s on its pages. -->\n';
  for (const feed of feeds) {
    if (feed.kind === 'archive') continue;
    for (const format of ['rss', 'atom', 'json'] as const) {
      out += `<link rel="alternate" type="${types[format]}" title="${escapeXml(`${feed.title} (${formatName[format]})`, 'attribute')}" href="${escapeXml(feed.selfUrls[format], 'attribute')}">\n`;
    }
  }
  return out;
}
