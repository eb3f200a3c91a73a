/**
 * Removing the build cache (`feedwright cache clean`) without ever removing anything else: the folder must
 * look exactly like what `BuildCache` (src/write/cache.ts) writes: namespace folders of 20 hex digits holding
 * `scan.idx` and `scan-delta.idx` (`scan.json` and `scan-delta.json` in cache format 6, `scan.v8` before), and
 * `rendered/<2 hex>/<64 hex>.v8`, temp files of an interrupted write, and the ping state
 * (`ping-state.json`, kept: it records what hubs were told, not a cache). Anything else, a symlink, or a
 * folder that holds the working directory makes it refuse and say why, removing nothing.
 */
import type { Dirent } from 'node:fs';
import * as fsp from 'node:fs/promises';
import path from 'node:path';
import { MANIFEST_FILE } from './manifest.js';

/** What `cleanCache` did, or why it did nothing. */
export type CleanResult =
  | { readonly kind: 'missing' }
  | { readonly kind: 'cleaned'; readonly removed: number; readonly kept: readonly string[] }
  | { readonly kind: 'refused'; readonly reason: string };

/** Kept by `cache clean`: the ping state is a record of what hubs accepted, not derived data. */
const KEPT = new Set(['ping-state.json']);
const NAMESPACE = /^[0-9a-f]{20}$/;
const TEMP = /^(?:\.feedwright-.*|.*\.\d+)\.tmp$/;
/** Bounds the check of a hostile or mistaken folder: a real cache has one file per rendered post. */
const MAX_ENTRIES = 2_000_000;

/** Removes the build cache folder `dir` (absolute), after checking that it holds only cache files. */
export async function cleanCache(dir: string, cwd: string): Promise<CleanResult> {
  let stat;
  try {
    stat = await fsp.lstat(dir);
  } catch (cause) {
    if ((cause as NodeJS.ErrnoException).code === 'ENOENT') return { kind: 'missing' };
    throw cause;
  }
  if (stat.isSymbolicLink()) return { kind: 'refused', reason: 'is a symbolic link' };
  if (!stat.isDirectory()) return { kind: 'refused', reason: 'is not a folder' };
  const rel = path.relative(dir, cwd);
  if (rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel))) return { kind: 'refused', reason: 'holds the working folder' };
  const entries = await readSorted(dir);
  const namespaces: string[] = [];
  const temps: string[] = [];
  const kept: string[] = [];
  let seen = 0;
  for (const entry of entries) {
    if (entry.isFile() && KEPT.has(entry.name)) kept.push(entry.name);
    else if (entry.isFile() && (TEMP.test(entry.name) || entry.name === MANIFEST_FILE)) temps.push(entry.name);
    else if (entry.isDirectory() && NAMESPACE.test(entry.name)) {
      const problem = await checkNamespace(path.join(dir, entry.name), () => ++seen > MAX_ENTRIES);
      if (problem !== undefined) return { kind: 'refused', reason: `holds ${path.posix.join(entry.name, problem)}, which feedwright does not write there` };
      namespaces.push(entry.name);
    } else return { kind: 'refused', reason: `holds ${entry.name}, which feedwright does not write there` };
  }
  for (const name of namespaces) await fsp.rm(path.join(dir, name), { recursive: true, force: true });
  for (const name of temps) await fsp.rm(path.join(dir, name), { force: true });
  if (kept.length === 0) await fsp.rmdir(dir);
  return { kind: 'cleaned', removed: namespaces.length + temps.length, kept };
}

/** The first entry of a namespace folder that the build cache does not write, as a POSIX path, if any. */
async function checkNamespace(dir: string, tooMany: () => boolean): Promise<string | undefined> {
  const isOurs = (entry: Dirent, pattern: RegExp, folder: boolean): boolean => (folder ? entry.isDirectory() : entry.isFile()) && (pattern.test(entry.name) || (!folder && TEMP.test(entry.name)));
  for (const entry of await readSorted(dir)) {
    if (tooMany()) return entry.name;
    if (isOurs(entry, /^scan(?:\.idx|\.json|\.v8|-delta\.idx|-delta\.json)$/, false)) continue;
    if (!(entry.name === 'rendered' && entry.isDirectory())) return entry.name;
    for (const shard of await readSorted(path.join(dir, 'rendered'))) {
      if (!isOurs(shard, /^[0-9a-f]{2}$/, true)) return `rendered/${shard.name}`;
      for (const file of await readSorted(path.join(dir, 'rendered', shard.name))) {
        if (tooMany()) return `rendered/${shard.name}/${file.name}`;
        if (!isOurs(file, /^[0-9a-f]{64}\.v8$/, false)) return `rendered/${shard.name}/${file.name}`;
      }
    }
  }
  return undefined;
}

/** A folder's entries by name, so a refusal names the same entry on every file system. */
async function readSorted(dir: string): Promise<Dirent[]> {
  return (await fsp.readdir(dir, { withFileTypes: true })).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}
