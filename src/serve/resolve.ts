/**
 * Request target → file under the served folder, refusing everything that could leave it. Every refusal is
 * a 404, whatever the reason (`..`, encoded separators, NUL, a symlink out, a dotfile): a probe learns
 * nothing about what lies outside, and nothing outside is opened, only `realpath`'d and compared.
 */
import * as fsp from 'node:fs/promises';
import path from 'node:path';
import { isInside } from '../load/read.js';

/** What a request target maps to. */
export type Target =
  | { readonly kind: 'file'; readonly file: string }
  | { readonly kind: 'redirect'; readonly location: string }
  | { readonly kind: 'home' }
  | { readonly kind: 'not-found' };

/** Files a host reads as configuration and never serves. */
const HOST_CONFIG_FILES = new Set(['_headers', '_redirects']);

/** Longer request paths are refused before any file system call (Linux PATH_MAX is 4096 bytes). */
export const MAX_PATH_LENGTH = 1024;

const NOT_FOUND: Target = { kind: 'not-found' };


// A rebuild may remove a stale feed between any two calls: a file that vanishes is simply not found.
async function realpathOrUndefined(p: string): Promise<string | undefined> {
  return fsp.realpath(p).catch(() => undefined);
}

async function statOrUndefined(p: string): Promise<{ isFile(): boolean; isDirectory(): boolean } | undefined> {
  return fsp.stat(p).catch(() => undefined);
}

/**
 * Maps a request target to a file under `root` (a realpath). Percent-encoding is decoded exactly once (so
 * `%252e` stays the literal name `%2e`); NUL, `..` segments, backslashes used as separators and malformed
 * encoding are refused before the file system is touched, and the resolved path, symlinks followed, must
 * still lie inside `root` and contain no dot-named part.
 */
export async function resolveTarget(rawTarget: string, root: string): Promise<Target> {
  const rawPath = rawTarget.split('?', 1)[0] ?? '';
  if (!rawPath.startsWith('/') || rawPath.length > MAX_PATH_LENGTH) return NOT_FOUND;
  let decoded: string;
  try {
    decoded = decodeURIComponent(rawPath);
  } catch {
    return NOT_FOUND;
  }
  if (decoded.includes('\0')) return NOT_FOUND;
  // Backslashes count as separators too, so a Windows host cannot be walked out of either.
  const segments = decoded.split(/[/\\]/).filter((s) => s !== '' && s !== '.');
  if (segments.some((s) => s.startsWith('.'))) return NOT_FOUND;
  if (segments.length === 1 && HOST_CONFIG_FILES.has(segments[0] ?? '')) return NOT_FOUND;
  const joined = path.resolve(root, ...segments);
  if (!isInside(root, joined)) return NOT_FOUND;
  const real = await realpathOrUndefined(joined);
  const acceptable = (p: string | undefined): p is string => p !== undefined && isInside(root, p) && !path.relative(root, p).split(path.sep).some((s) => s.startsWith('.'));
  if (!acceptable(real)) return NOT_FOUND;
  const stat = await statOrUndefined(real);
  if (stat === undefined) return NOT_FOUND;
  if (stat.isDirectory()) {
    const index = await realpathOrUndefined(path.join(real, 'index.html'));
    const hasIndex = acceptable(index) && (await statOrUndefined(index))?.isFile() === true;
    if (!hasIndex) return segments.length === 0 ? { kind: 'home' } : NOT_FOUND;
    // Relative links in an index page resolve against its URL, so a folder is always addressed with a slash.
    // The location is rebuilt from the decoded segments: never `//host`, never anything outside the folder.
    if (!rawPath.endsWith('/')) return { kind: 'redirect', location: `/${segments.map(encodeURIComponent).join('/')}/` };
    return { kind: 'file', file: index };
  }
  if (!stat.isFile() || rawPath.endsWith('/')) return NOT_FOUND;
  return { kind: 'file', file: real };
}
