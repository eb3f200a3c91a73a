/** The page `serve` shows at `/` when the folder has no index.html: links to every feed, nothing else. */
import path from 'node:path';
import { escapeXml } from '../serialize/xml.js';
import { FEED_FILE_NAMES, findFeedFiles, type FoundFeedFile } from '../write/feed-files.js';

/** At most this many feeds are listed: the page stays small on a site with thousands of tags. */
const MAX_LISTED = 600;

const LABELS: Readonly<Record<FoundFeedFile['format'], string>> = { rss: 'RSS', atom: 'Atom', json: 'JSON Feed' };

/** The home page's HTML for the output folder `root`. */
export async function renderHome(root: string): Promise<Buffer> {
  const feeds = (await findFeedFiles(root, { limit: MAX_LISTED })).filter((f) => f.kind !== 'jekyll-feed');
  const byDir = new Map<string, FoundFeedFile[]>();
  for (const f of feeds) {
    const dir = path.posix.dirname(f.path);
    byDir.set(dir, [...(byDir.get(dir) ?? []), f]);
  }
  const order = (f: FoundFeedFile): number => (FEED_FILE_NAMES as readonly string[]).indexOf(path.posix.basename(f.path));
  // The site's feeds first, then folders by name; feeds in RSS, Atom, JSON Feed order.
  const dirs = [...byDir.keys()].sort((a, b) => (a === '.' ? -1 : b === '.' ? 1 : a < b ? -1 : a > b ? 1 : 0));
  const items = dirs.map((dir) => {
    const files = [...(byDir.get(dir) ?? [])].sort((a, b) => order(a) - order(b));
    const links = files.map((f) => `<a href="${escapeXml(f.path.split('/').map(encodeURIComponent).join('/'), 'attribute')}">${LABELS[f.format]}</a>`).join(' · ');
    return `<li>${dir === '.' ? 'Site' : `<code>${escapeXml(dir)}/</code>`}: ${links}</li>`;
  });
  const list = items.length === 0 ? '<p>No feeds here yet.</p>' : `<ul>\n${items.join('\n')}\n</ul>`;
  return Buffer.from(`<!doctype html>\n<html lang="en">\n<meta charset="utf-8">\n<title>Feeds</title>\n<h1>Feeds</h1>\n${list}\n`);
}
