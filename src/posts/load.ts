/** The input end of the pipeline: the only code that reads the content folder. */
import { lstatSync, realpathSync, statSync } from 'node:fs';
import { readdir, readFile, realpath } from 'node:fs/promises';
import path from 'node:path';
import { errorAt, warningAt, type Diagnostic } from '../errors.js';
import { toPerson } from '../config.js';
import { readYaml } from '../parse/yaml.js';
import { readPostFile } from './scan.js';
import type { ImageInfo, Person } from '../types.js';

/** A post file's bytes, read once. */
export interface SourceFile {
  /** POSIX path relative to the content folder. */
  readonly relPath: string;
  /** The path for diagnostics, under the folder name the user gave. */
  readonly displayPath: string;
  readonly bytes: Uint8Array;
}

/** Limits for reading. */
export interface LoadOptions {
  /** Post files larger than this are reported, not read (default 10 MiB). */
  readonly maxFileBytes?: number;
}

const POST_EXTENSIONS = new Set(['.md', '.markdown', '.mkd', '.mkdn', '.mdown']);

/** Runs `task` over `items` with at most `limit` in flight; results keep the input order. */
export async function mapConcurrent<T, R>(items: readonly T[], limit: number, task: (item: T) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const index = next++;
      results[index] = await task(items[index] as T);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

/** True when `child` is `root` or inside it (both already resolved). */
export function isInside(root: string, child: string): boolean {
  const rel = path.relative(root, child);
  return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
}

/** A post file found under `_posts/`. */
export interface Listed {
  readonly rel: string;
  readonly symlink: boolean;
}

/** Lists post files below `dir` (Jekyll's ignore rules; symlinked folders not followed). */
export async function listPostFiles(dir: string, relDir: string, out: Listed[]): Promise<void> {
  let entries;
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch (cause) {
    if ((cause as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw cause;
  }
  for (const entry of entries) {
    // Jekyll ignores names starting with `.`, `_` or `#`, and editor backups ending in `~`.
    if (/^[._#]/.test(entry.name) || entry.name.endsWith('~')) continue;
    const rel = `${relDir}/${entry.name}`;
    // Symlinked folders are not followed (as in Jekyll's safe mode); symlinked files are checked on read.
    if (entry.isDirectory()) await listPostFiles(path.join(dir, entry.name), rel, out);
    else if ((entry.isFile() || entry.isSymbolicLink()) && POST_EXTENSIONS.has(path.extname(entry.name).toLowerCase())) out.push({ rel, symlink: entry.isSymbolicLink() });
  }
}

/**
 * Reads every post file under `_posts/`, sorted by path; never reads outside the content folder. (The
 * build itself scans file by file and keeps no bytes; this is for callers that want the files.)
 */
export async function loadPostFiles(contentDir: string, displayDir: string, options: LoadOptions = {}): Promise<{ files: SourceFile[]; diagnostics: Diagnostic[] }> {
  const root = await realpath(contentDir);
  const listed: Listed[] = [];
  await listPostFiles(path.join(root, '_posts'), '_posts', listed);
  listed.sort((a, b) => (a.rel < b.rel ? -1 : a.rel > b.rel ? 1 : 0));
  const files: SourceFile[] = [];
  const diagnostics: Diagnostic[] = [];
  for (const file of listed) {
    const displayPath = path.posix.join(displayDir, file.rel);
    const read = readPostFile(root, file, displayPath, options.maxFileBytes ?? 10 * 1024 * 1024);
    if ('bytes' in read) files.push({ relPath: file.rel, displayPath, bytes: read.bytes });
    else diagnostics.push(read);
  }
  return { files, diagnostics };
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

/** Looks up local images (paths relative to the content folder): byte length, missing, or outside the folder. */
export async function statImages(contentDir: string, imagePaths: Iterable<string>): Promise<Map<string, ImageInfo>> {
  // Synchronous stats: for thousands of images they cost a fraction of the same calls through libuv's pool.
  const root = realpathSync(contentDir);
  const infos = new Map<string, ImageInfo>();
  for (const rel of imagePaths) {
    if (infos.has(rel)) continue;
    infos.set(rel, statImage(root, rel));
  }
  return infos;
}

function statImage(root: string, rel: string): ImageInfo {
  const full = path.resolve(root, rel);
  if (!isInside(root, full)) return { kind: 'escape' };
  try {
    const link = lstatSync(full);
    const resolved = link.isSymbolicLink() ? realpathSync(full) : full;
    if (!isInside(root, resolved)) return { kind: 'escape' };
    const info = link.isSymbolicLink() ? statSync(resolved) : link;
    return info.isFile() ? { kind: 'file', length: info.size } : { kind: 'missing' };
  } catch {
    return { kind: 'missing' };
  }
}
