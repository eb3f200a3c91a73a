/**
 * What the build cache and the build manifest trust besides the input: the code that made what they hold,
 * and how recent a file's timestamp may be before its stat stops proving it unchanged.
 */
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * Files modified this close to when their stat was recorded may have changed again within the same timestamp
 * tick (file systems stamp with a coarse clock: a jiffy on Linux, 2 s on FAT), so their stat proves nothing.
 */
export const RACY_MS = 3_000;

/** The hash of a file's bytes that the cache and the manifest record (one function: the manifest compares the parse stage's). */
export function hashBytes(bytes: Uint8Array): string {
  return createHash('sha1').update(bytes).digest('hex');
}

let fingerprint: string | undefined;

/**
 * A hash of feedwright's own code (every module of every room, so a changed build of the same version never
 * reuses what older code made) and of the installed version of every package it depends on.
 */
export function codeFingerprint(): string {
  if (fingerprint !== undefined) return fingerprint;
  const hash = createHash('sha1');
  const root = path.join(path.dirname(fileURLToPath(import.meta.url)), '..');
  const names = readdirSync(root, { recursive: true, encoding: 'utf8' }).filter((name) => /\.[cm]?[jt]s$/.test(name) && !name.endsWith('.d.ts')).sort();
  for (const name of names) hash.update(name).update('\0').update(readFileSync(path.join(root, name))).update('\0');
  const require = createRequire(import.meta.url);
  let packages: string[] = [];
  try {
    const manifest = JSON.parse(readFileSync(path.join(root, '..', 'package.json'), 'utf8')) as { dependencies?: Record<string, unknown> };
    packages = Object.keys(manifest.dependencies ?? {}).sort();
  } catch {
    packages = ['markdown-it', 'sanitize-html', 'parse5', 'liquidjs'];
  }
  for (const pkg of packages) {
    try {
      hash.update(`${pkg}@${String((require(`${pkg}/package.json`) as { version?: unknown }).version)}`);
    } catch {
      hash.update(`${pkg}@none`);
    }
  }
  fingerprint = hash.digest('hex');
  return fingerprint;
}
