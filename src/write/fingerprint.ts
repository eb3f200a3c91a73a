/**
 * What the build cache and the build manifest trust besides the input: the code that made what they hold,
 * and how recent a file's timestamp may be before its stat stops proving it unchanged.
 */
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
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

/** Where `npm run build` leaves the code's fingerprint, beside the files it hashed (see `stampCodeFingerprint`). */
const STAMP_FILE = 'code-fingerprint.json';

/** A fingerprint as the build stamped it: the hash, and the stat (size, mtime) of every file it was made from. */
interface Stamp {
  readonly hash: string;
  /** Every hashed module of the code folder (relative) and every package's package.json (absolute). */
  readonly files: readonly (readonly [string, number, number])[];
}

/**
 * A hash of feedwright's own code (every module of every room, so a changed build of the same version never
 * reuses what older code made) and of the installed version of every package it depends on. Hashing takes
 * ~25 ms (3.4 MB of modules), a tenth of a no-change rebuild of 20,000 posts: the hash that `npm run build`
 * stamped is taken instead while every file it was made from has the size and mtime it had then.
 */
export function codeFingerprint(): string {
  fingerprint ??= readStamp() ?? hashCode().hash;
  return fingerprint;
}

/** Writes the fingerprint of the code as it is now into the code folder (run by `npm run build`, after bundling). */
export function stampCodeFingerprint(): string {
  const made = hashCode();
  const stampFile = path.join(CODE_ROOT, STAMP_FILE);
  // A package missing now could be installed later without a file here changing: no stamp, always hash.
  if (!made.complete) {
    rmSync(stampFile, { force: true });
    return made.hash;
  }
  const files = made.files.map((file) => {
    const info = statSync(path.isAbsolute(file) ? file : path.join(CODE_ROOT, file));
    return [file, info.size, info.mtimeMs] as const;
  });
  const stamp: Stamp = { hash: made.hash, files };
  writeFileSync(stampFile, `${JSON.stringify(stamp)}\n`);
  return made.hash;
}

/** The folder of feedwright's modules (`dist/`, or `src/` under the tests). */
const CODE_ROOT = path.join(path.dirname(fileURLToPath(import.meta.url)), '..');

function codeModules(): string[] {
  return readdirSync(CODE_ROOT, { recursive: true, encoding: 'utf8' })
    .filter((name) => /\.[cm]?[jt]s$/.test(name) && !name.endsWith('.d.ts'))
    .sort();
}

/**
 * The stamped hash, if every file it was made from has the size and mtime it had then. A module added since
 * counts only once a module that was hashed imports it, and that one has changed.
 */
function readStamp(): string | undefined {
  try {
    const stamp = JSON.parse(readFileSync(path.join(CODE_ROOT, STAMP_FILE), 'utf8')) as Stamp;
    if (typeof stamp.hash !== 'string' || !Array.isArray(stamp.files) || stamp.files.length === 0) return undefined;
    for (const [file, size, mtimeMs] of stamp.files) {
      const info = statSync(path.isAbsolute(file) ? file : path.join(CODE_ROOT, file), { throwIfNoEntry: false });
      if (info === undefined || info.size !== size || info.mtimeMs !== mtimeMs) return undefined;
    }
    return stamp.hash;
  } catch {
    return undefined;
  }
}

/** Hashes the code folder's modules and the installed packages' versions; with the files read (packages' by absolute path). */
function hashCode(): { hash: string; files: string[]; complete: boolean } {
  const hash = createHash('sha1');
  const names = codeModules();
  for (const name of names) hash.update(name).update('\0').update(readFileSync(path.join(CODE_ROOT, name))).update('\0');
  const require = createRequire(import.meta.url);
  let packages: string[] = [];
  try {
    const manifest = JSON.parse(readFileSync(path.join(CODE_ROOT, '..', 'package.json'), 'utf8')) as { dependencies?: Record<string, unknown> };
    packages = Object.keys(manifest.dependencies ?? {}).sort();
  } catch {
    packages = ['markdown-it', 'sanitize-html', 'parse5', 'liquidjs'];
  }
  const files = [...names];
  let complete = packages.length > 0;
  for (const pkg of packages) {
    // Found where Node's resolution looks (`require.resolve('pkg/package.json')` fails for a package whose
    // `exports` leave it out: parse5, csv-parse and others, whose versions were missing from the hash).
    const file = (require.resolve.paths(pkg) ?? []).map((dir) => path.join(dir, pkg, 'package.json')).find((candidate) => existsSync(candidate));
    try {
      if (file === undefined) throw new Error(`${pkg} is not installed`);
      hash.update(`${pkg}@${String((JSON.parse(readFileSync(file, 'utf8')) as { version?: unknown }).version)}`);
      files.push(file);
    } catch {
      hash.update(`${pkg}@none`);
      complete = false;
    }
  }
  return { hash: hash.digest('hex'), files, complete };
}
