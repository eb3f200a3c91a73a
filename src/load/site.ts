/** Load stage: the site as Jekyll lays it out (config, authors, post files, images). The only code that reads the content folder. */
import { lstatSync, realpathSync, statSync } from 'node:fs';
import { lstat, readdir, readFile, realpath, statfs } from 'node:fs/promises';
import path from 'node:path';
import { errorAt, FeedwrightError, warningAt, type Diagnostic } from '../errors.js';
import { loadConfig, toPerson, type ConfigOverrides, type SiteConfig } from '../config.js';
import { readYaml } from '../parse/yaml.js';
import { listFolder } from './prefetch.js';
import { isInside, readPostFile, type Listed } from './read.js';
import type { ImageInfo, Person } from '../types.js';

// Jekyll's EntryFilter: names starting with `.`, `_`, `#` or `~` are special, and `~` ends editor backups.
function isSpecial(name: string): boolean {
  const first = name.charCodeAt(0);
  return first === 0x2e || first === 0x5f || first === 0x23 || first === 0x7e || name.endsWith('~');
}

function isLink(file: string): boolean {
  try {
    return lstatSync(file).isSymbolicLink();
  } catch {
    return false;
  }
}

/** Jekyll's `File.fnmatch?` without flags (as EntryFilter#glob_include? uses it), compiled: `*` crosses `/`. */
function compileFnmatch(pattern: string): RegExp {
  let source = '';
  for (let i = 0; i < pattern.length; i++) {
    const ch = pattern.charAt(i);
    if (ch === '*') source += '.*';
    else if (ch === '?') source += '.';
    else if (ch === '[') {
      const end = pattern.indexOf(']', i + 1);
      if (end === -1) source += '\\[';
      else {
        source += `[${pattern.slice(i + 1, end).replace(/^!/, '^').replace(/\\/g, '\\\\')}]`;
        i = end;
      }
    } else source += ch.replace(/[.+^${}()|\\]/g, '\\$&');
  }
  return new RegExp(`^${source}$`, 's');
}

/** One `exclude`/`include` entry, its glob compiled once per walk (the walk tests every entry of every folder). */
interface PathMatcher {
  /** The pattern, without leading `/`. */
  readonly pattern: string;
  readonly glob: boolean;
  readonly test: (rel: string) => boolean;
}

function toPathMatcher(pattern: string): PathMatcher | undefined {
  const p = pattern.replace(/^\/+/, '');
  if (p === '') return undefined;
  const folder = (rel: string): boolean => p.length === rel.length + 1 && p.endsWith('/') && p.startsWith(rel);
  // A pattern without `*`, `?` or `[` globs to itself alone, which `startsWith` already matches: Jekyll's
  // default excludes are such, and the walk tests each of them against every post file.
  if (!/[*?[]/.test(p)) return { pattern: p, glob: false, test: (rel) => rel.startsWith(p) || folder(rel) };
  const glob = compileFnmatch(p);
  return { pattern: p, glob: true, test: (rel) => rel.startsWith(p) || glob.test(rel) || folder(rel) };
}

/**
 * Whether a plain pattern `p` can match an entry `prefix + name` of a folder (`name` not empty, without `/`):
 * `startsWith(p)` needs `p` to be a prefix of `prefix` (then it matches every entry) or to start with
 * `prefix`; so does `p === entry + '/'` (the folder form).
 */
function canMatchIn(p: string, prefix: string): boolean {
  return p.length <= prefix.length ? prefix.startsWith(p) : p.startsWith(prefix);
}

/** Jekyll's `exclude` test for a site-relative path (a glob, or a plain prefix: Jekyll uses `start_with?`). */
export function toExcludeTest(config: SiteConfig): (rel: string) => boolean {
  return toExcludeTests(config).test;
}

/**
 * `toExcludeTest`, and for a folder (its entries' paths start with `prefix`: `rel/`, or `''` at the root) the
 * same test, or `undefined` when no `exclude` pattern can match any of its entries: the walk then tests none
 * of them (Jekyll's defaults over 20,000 post files took the listing ~10 ms).
 */
export function toExcludeTests(config: SiteConfig): { test: (rel: string) => boolean; inFolder: (prefix: string) => ((rel: string) => boolean) | undefined } {
  const compile = (patterns: readonly string[]): PathMatcher[] => patterns.flatMap((p) => toPathMatcher(p) ?? []);
  const exclude = compile(config.exclude);
  const include = compile(config.include);
  const test = (rel: string): boolean => exclude.some((m) => m.test(rel)) && !include.some((m) => m.test(rel));
  const inFolder = (prefix: string): ((rel: string) => boolean) | undefined => (exclude.some((m) => m.glob || canMatchIn(m.pattern, prefix)) ? test : undefined);
  return { test, inFolder };
}

/**
 * Lists what Jekyll reads as posts: every file below each `_posts/` (and `_drafts/` with drafts on) folder
 * of the site, the site root's and every `<dir>/_posts/` (Jekyll's Reader#read_directories), in path order.
 * Folders are walked as Jekyll does: special names and `exclude`d paths skipped, symlinked folders not
 * followed. Whether a listed file is a post (its name) is decided by the parse stage, which reports it.
 * Every folder the walk looks into (found or not) is pushed to `folders`: a file added to or removed from the
 * listing changes one of their stats.
 */
export async function listPosts(root: string, config: SiteConfig, folders?: string[]): Promise<Listed[]> {
  const out: Listed[] = [];
  const special = config.showDrafts ? ['_posts', '_drafts'] : ['_posts'];
  const excludes = toExcludeTests(config);
  const isExcluded = excludes.test;
  // A `_posts/` (or `_drafts/`) that is itself a symbolic link is listed, and its files (and those of its
  // subfolders) are read as linked ones: resolved, and refused when they lead outside the content folder.
  // Only the special folder itself can be a link here: linked subfolders are not walked.
  const walkPosts = async (dir: string, rel: string, kind: Listed['kind'], linked: boolean = isLink(dir)): Promise<void> => {
    folders?.push(dir);
    let entries;
    try {
      entries = await listFolder(dir);
    } catch (cause) {
      if ((cause as NodeJS.ErrnoException).code === 'ENOENT' || (cause as NodeJS.ErrnoException).code === 'ENOTDIR') return;
      throw cause;
    }
    const excluded = excludes.inFolder(`${rel}/`);
    for (const entry of entries) {
      const child = `${rel}/${entry.name}`;
      if (isSpecial(entry.name) || (excluded !== undefined && excluded(child))) continue;
      // Symlinked folders are not followed (as in Jekyll's safe mode); symlinked files are checked on read.
      if (entry.isDirectory()) await walkPosts(path.join(dir, entry.name), child, kind, linked);
      // FIFOs, sockets and devices are listed too, so the read reports them instead of skipping them silently.
      else out.push({ rel: child, symlink: linked || entry.isSymbolicLink(), kind });
    }
  };
  const countsSubfolders = new Map<number, Promise<boolean>>();
  const walkSite = async (dir: string, rel: string): Promise<void> => {
    const inCollections = config.collectionsDir === '' || rel === config.collectionsDir || rel.startsWith(`${config.collectionsDir}/`);
    if (inCollections) {
      for (const name of special) await walkPosts(path.join(dir, name), rel === '' ? name : `${rel}/${name}`, name === '_posts' ? 'post' : 'draft');
    }
    folders?.push(dir);
    let entries;
    try {
      if (!(await mayHaveSubfolders(dir, countsSubfolders))) return;
      entries = await readdir(dir, { withFileTypes: true });
    } catch {
      return;
    }
    for (const entry of entries) {
      const child = rel === '' ? entry.name : `${rel}/${entry.name}`;
      if (entry.isDirectory() && !isSpecial(entry.name) && !isExcluded(child)) await walkSite(path.join(dir, entry.name), child);
    }
  };
  await walkSite(root, '');
  return out.sort((a, b) => (a.rel < b.rel ? -1 : a.rel > b.rel ? 1 : 0));
}

/**
 * File systems on which a folder's link count is 2 plus its number of subfolders (each subfolder's `..`):
 * ext2/3/4, XFS and tmpfs (statfs magic numbers). Others (btrfs, overlayfs, network and foreign file systems)
 * may count otherwise, and their folders are always read.
 */
const SUBFOLDERS_COUNTED = new Set([0xef53, 0x58465342, 0x01021994]);

/**
 * Whether a folder may have subfolders: `false` only for a link count of 2 on a file system that counts them
 * (GNU find's leaf optimization). The site walk looks only for folders outside `_posts/`, and a site's
 * `assets/images` of 20,000 files took it 25-35 ms to read for none.
 */
export async function mayHaveSubfolders(dir: string, countsSubfolders = new Map<number, Promise<boolean>>()): Promise<boolean> {
  const info = await lstat(dir);
  if (!info.isDirectory() || info.nlink !== 2) return true;
  // Per file system (device) of the walk: one statfs each.
  let counted = countsSubfolders.get(info.dev);
  if (counted === undefined) {
    counted = statfs(dir).then(
      (fs) => SUBFOLDERS_COUNTED.has(fs.type),
      () => false,
    );
    countsSubfolders.set(info.dev, counted);
  }
  return !(await counted);
}

/** Reads `_data/authors.yml` (Jekyll's `site.data.authors`): handle → person. Absent file = no entries. */
export async function loadAuthors(contentDir: string, displayDir: string): Promise<{ authors: ReadonlyMap<string, Person>; diagnostics: Diagnostic[] }> {
  const display = path.posix.join(displayDir, '_data/authors.yml');
  let text: string;
  try {
    text = await readFile(path.join(contentDir, '_data', 'authors.yml'), 'utf8');
  } catch {
    return { authors: new Map(), diagnostics: [] };
  }
  const read = readYaml(text);
  if (read.kind === 'syntax') {
    return { authors: new Map(), diagnostics: read.problems.map((p) => errorAt('CONFIG_SYNTAX', display, p.message, 'fix the YAML syntax of _data/authors.yml', p.position?.line, p.position?.column)) };
  }
  const raw = read.value;
  const authors = new Map<string, Person>();
  if (raw !== null && typeof raw === 'object' && !Array.isArray(raw)) {
    for (const [key, value] of Object.entries(raw as Record<string, unknown>)) {
      const person = toPerson(value);
      if (person !== undefined) authors.set(key, person);
    }
  } else if (raw !== null && raw !== undefined) {
    return { authors, diagnostics: [warningAt('CONFIG_INVALID', display, 'is not a mapping of author handles', 'write `handle: { name: ..., email: ..., uri: ... }` entries')] };
  }
  return { authors, diagnostics: [] };
}

/** Looks up local images (paths relative to the content folder, whose real path is `root`): byte length, missing, or outside the folder. */
export function statImages(root: string, imagePaths: Iterable<string>): Map<string, ImageInfo> {
  // Synchronous stats: for thousands of images they cost a fraction of the same calls through libuv's pool.
  const infos = new Map<string, ImageInfo>();
  // Whether each image folder's real path is inside the site, found once a folder: a folder on the way that is
  // a link out of the site leads outside it as surely as a linked image does.
  const folders = new Map<string, boolean>();
  for (const rel of imagePaths) {
    if (infos.has(rel)) continue;
    infos.set(rel, statImage(root, rel, folders));
  }
  return infos;
}

function statImage(root: string, rel: string, folders: Map<string, boolean>): ImageInfo {
  // A path of plain names joins the root (a real path) as it is (path.resolve and path.relative took most of
  // the selection's 17 ms for a one-edit rebuild's 751 images).
  const plain = isPlainRelative(rel);
  const full = plain ? `${root}${root.endsWith(path.sep) ? '' : path.sep}${rel}` : path.resolve(root, rel);
  if (!plain && !isInside(root, full)) return { kind: 'escape' };
  try {
    const folder = path.dirname(full);
    let inside = folders.get(folder);
    if (inside === undefined) {
      inside = isInside(root, realpathSync.native(folder));
      folders.set(folder, inside);
    }
    if (!inside) return { kind: 'escape' };
    const link = lstatSync(full);
    const resolved = link.isSymbolicLink() ? realpathSync(full) : full;
    if (resolved !== full && !isInside(root, resolved)) return { kind: 'escape' };
    const info = link.isSymbolicLink() ? statSync(resolved) : link;
    return info.isFile() ? { kind: 'file', length: info.size } : { kind: 'missing' };
  } catch {
    return { kind: 'missing' };
  }
}

/** Whether `rel` is names joined by `/`: no empty, `.` or `..` segment, not absolute (and POSIX paths only). */
export function isPlainRelative(rel: string): boolean {
  if (path.sep !== '/' || rel === '') return false;
  for (const segment of rel.split('/')) if (segment === '' || segment === '.' || segment === '..') return false;
  return true;
}

/** The site as the load stage found it: what every later stage reads instead of the disk. */
export interface LoadedSite {
  /** Real path of the content folder. */
  readonly root: string;
  /** How the content folder is named in diagnostics. */
  readonly displayDir: string;
  readonly config: SiteConfig;
  /** `_data/authors.yml`, handle → person. */
  readonly authors: ReadonlyMap<string, Person>;
  /** Post files, in path order. */
  readonly files: readonly Listed[];
  /** Every folder the listing of post files looked into, found or not (absolute). */
  readonly folders: readonly string[];
  readonly diagnostics: readonly Diagnostic[];
}

/** What `loadSite` knows of the site before its post files are listed. */
export type SiteSettings = Pick<LoadedSite, 'config' | 'authors' | 'displayDir'>;

/**
 * Loads the site: config, authors and the list of post files. Throws `FeedwrightError` when it cannot go on.
 * `whileListing` is called once the listing is under way in libuv's thread pool (reading a `_posts/` of 20,000
 * names took 22–33 ms, this thread idle meanwhile), with what it may already use.
 */
export async function loadSite(contentDir: string, displayDir: string, overrides?: ConfigOverrides, whileListing?: (settings: SiteSettings) => void): Promise<LoadedSite> {
  const contentInfo = statSync(contentDir, { throwIfNoEntry: false });
  if (contentInfo === undefined || !contentInfo.isDirectory()) {
    throw new FeedwrightError([errorAt('CONTENT_MISSING', displayDir, 'is not a folder', "pass --content DIR naming your site's folder (the one with _config.yml and _posts/)")]);
  }
  const { config, diagnostics: configDiagnostics } = await loadConfig(contentDir, displayDir, overrides);
  if (config === undefined) throw new FeedwrightError(configDiagnostics);
  const { authors, diagnostics: authorDiagnostics } = await loadAuthors(contentDir, displayDir);
  const root = realpathSync(contentDir);
  const folders: string[] = [];
  const listing = listPosts(root, config, folders);
  try {
    whileListing?.({ config, authors, displayDir });
  } catch (cause) {
    listing.catch(() => undefined);
    throw cause;
  }
  const files = await listing;
  const diagnostics = [...configDiagnostics, ...authorDiagnostics];
  if (!files.some((f) => f.kind === 'post') && statSync(path.join(root, '_posts'), { throwIfNoEntry: false })?.isDirectory() !== true) {
    diagnostics.unshift(warningAt('CONTENT_MISSING', path.posix.join(displayDir, '_posts'), 'does not exist (nor does any <folder>/_posts/), so the feeds have no items', 'put posts in _posts/YYYY-MM-DD-slug.md'));
  }
  return { root, displayDir, config, authors, files, folders, diagnostics };
}
