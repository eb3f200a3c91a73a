/**
 * The one place that knows what a feed file in the output folder is called and where it sits: the three
 * files every feed writes (`rss.xml`, `atom.xml`, `feed.json`) in its folder (`''`, `categories/<slug>`,
 * `tags/<slug>`, `archive/YYYY[/MM]`), plus the Atom copies at jekyll-feed's paths (`feed.xml`,
 * `feed/<category>.xml`, `feed/by_tag/<tag>.xml`; jekyll-feed 0.17 `lib/jekyll-feed/generator.rb`), so a site
 * moving from jekyll-feed keeps its subscribers. `serve`, `ping` and `check` find feeds with `findFeedFiles`.
 */
import type { Dirent } from 'node:fs';
import { readdir } from 'node:fs/promises';
import path from 'node:path';

/** The three formats feedwright writes. */
export type FeedFormat = 'rss' | 'atom' | 'json';

/** The file each format is written to in a feed's folder, in RSS, Atom, JSON Feed order. */
export const FEED_FILE_NAMES = ['rss.xml', 'atom.xml', 'feed.json'] as const;

/** One of `FEED_FILE_NAMES`. */
export type FeedFileName = (typeof FEED_FILE_NAMES)[number];

/** The format of each feed file name. */
export const FEED_FILE_FORMATS: Readonly<Record<FeedFileName, FeedFormat>> = { 'rss.xml': 'rss', 'atom.xml': 'atom', 'feed.json': 'json' };

/** jekyll-feed's default site feed path (`feed.path`), an Atom document. */
export const JEKYLL_FEED_SITE_PATH = 'feed.xml';

/** jekyll-feed's folder for category feeds (`feed/<category>.xml`) and, below it, tag feeds (`feed/by_tag/<tag>.xml`). */
export const JEKYLL_FEED_DIR = 'feed';

/** What a feed file is for: which feed, and whether it is a jekyll-feed alias of an Atom feed. */
export type FeedFileKind = 'site' | 'category' | 'tag' | 'archive' | 'jekyll-feed' | 'other';

/** A feed file found in the output folder. */
export interface FoundFeedFile {
  /** POSIX path relative to the output folder, e.g. `categories/news/atom.xml`. */
  readonly path: string;
  readonly format: FeedFormat;
  readonly kind: FeedFileKind;
}

/** Whether `name` is one of the three file names every feed writes. */
export function isFeedFileName(name: string): name is FeedFileName {
  return (FEED_FILE_NAMES as readonly string[]).includes(name);
}

/** The kind of feed the folder `dir` (POSIX, relative to the output folder) holds. */
function kindOfDir(dir: string): FeedFileKind {
  if (dir === '') return 'site';
  const [top, slug, ...rest] = dir.split('/');
  if (top === 'categories' && slug !== undefined && rest.length === 0) return 'category';
  if (top === 'tags' && slug !== undefined && rest.length === 0) return 'tag';
  if (top === 'archive') return 'archive';
  return 'other';
}

/** How deep `findFeedFiles` looks: `archive/YYYY/MM/` is the deepest folder feedwright writes. */
const MAX_DEPTH = 4;

/**
 * Every feed file under `outDir`, sorted by path: the three names in any folder, and jekyll-feed's Atom
 * paths. Dot-named entries and symlinks are skipped (nothing outside the folder is ever read), folders
 * deeper than feedwright writes are not entered, and at most `limit` files are returned.
 */
export async function findFeedFiles(outDir: string, options: { readonly limit?: number } = {}): Promise<FoundFeedFile[]> {
  const limit = options.limit ?? Number.POSITIVE_INFINITY;
  const found: FoundFeedFile[] = [];
  const walk = async (rel: string, depth: number): Promise<void> => {
    // By name, so a limited walk (serve's home page on a site with many tags) always keeps the same feeds.
    const entries = (await readDirOrEmpty(path.join(outDir, ...rel.split('/').filter((s) => s !== '')))).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    const folders: string[] = [];
    for (const entry of entries) {
      if (entry.name.startsWith('.')) continue;
      const child = rel === '' ? entry.name : `${rel}/${entry.name}`;
      if (entry.isDirectory()) folders.push(child);
      else if (entry.isFile()) {
        if (isFeedFileName(entry.name)) found.push({ path: child, format: FEED_FILE_FORMATS[entry.name], kind: kindOfDir(rel) });
        else if (isJekyllFeedPath(child)) found.push({ path: child, format: 'atom', kind: 'jekyll-feed' });
      }
    }
    if (depth >= MAX_DEPTH) return;
    for (const folder of folders) {
      if (found.length >= limit) return;
      await walk(folder, depth + 1);
    }
  };
  await walk('', 0);
  found.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  return found.slice(0, limit);
}

/** Whether `rel` (POSIX, from the output folder) is one of jekyll-feed's default Atom paths: `feed.xml`, `feed/<category>.xml`, `feed/by_tag/<tag>.xml`. */
export function isJekyllFeedPath(rel: string): boolean {
  if (rel === JEKYLL_FEED_SITE_PATH) return true;
  const parts = rel.split('/');
  if (!rel.endsWith('.xml') || parts[0] !== JEKYLL_FEED_DIR) return false;
  return parts.length === 2 || (parts.length === 3 && parts[1] === 'by_tag');
}

async function readDirOrEmpty(dir: string): Promise<Dirent[]> {
  try {
    return await readdir(dir, { withFileTypes: true });
  } catch (cause) {
    const code = (cause as NodeJS.ErrnoException).code;
    // A missing output folder has no feeds; a rebuild may remove a stale folder while we walk.
    if (code === 'ENOENT' || code === 'ENOTDIR') return [];
    throw cause;
  }
}
