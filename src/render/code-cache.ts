/**
 * Loading a CommonJS bundle with V8's code cache. Node 20 has no compile cache for modules (22 has), and every
 * run of the CLI compiled its render code anew: 1 MB of markdown-it, sanitize-html, parse5 and the kramdown
 * dialect, ~25 ms of the main thread before the first post, and as much again in each render worker. The CLI's
 * bundle (scripts/bundle.mjs) makes that code one CommonJS file, runs it once over a sample post and keeps V8's
 * code for it beside it (`<file>.v8cache`); this module runs the file as `require` would, compiled from that
 * code when the cache was made for these very bytes and this V8 (V8 refuses it otherwise, and it is compiled
 * from source as before).
 */
import { createHash } from 'node:crypto';
import { isAscii } from 'node:buffer';
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire, Module } from 'node:module';
import path from 'node:path';
import vm from 'node:vm';

/** The file beside a bundle that holds its code cache. */
export function codeCacheFile(file: string): string {
  return `${file}.v8cache`;
}

/** A loaded bundle: its exports, and whether V8 took the code cache. */
export interface LoadedBundle {
  readonly exports: unknown;
  readonly cached: boolean;
  /** Writes the code V8 holds for the bundle now (with whatever its use so far compiled) as its code cache. */
  saveCache(): void;
}

// The cache file: the SHA-1 of the source's bytes it was made from, then V8's data. V8 itself checks its
// version and flags, and the source's length only: a source of the same length would run another's code.
const HASH_BYTES = 20;

/**
 * Runs the CommonJS file `file` (absolute) once, as `require` would, and registers it in `require.cache`
 * (so that a later `require` of it gets the same module). Compiled from its code cache when there is one for
 * exactly these bytes.
 */
export function loadWithCodeCache(file: string): LoadedBundle {
  const require = createRequire(file);
  const known = require.cache[file];
  if (known !== undefined) return { exports: known.exports, cached: false, saveCache: () => undefined };
  const bytes = readFileSync(file);
  const hash = createHash('sha1').update(bytes).digest();
  // esbuild writes ASCII only (non-ASCII characters escaped): read as Latin-1, the same text without UTF-8
  // decoding (1.5 ms against 3.7 ms for the megabyte of the render core).
  const source = bytes.toString(isAscii(bytes) ? 'latin1' : 'utf8');
  let cachedData: Buffer | undefined;
  try {
    const stored = readFileSync(codeCacheFile(file));
    if (stored.length > HASH_BYTES && stored.subarray(0, HASH_BYTES).equals(hash)) cachedData = stored.subarray(HASH_BYTES);
  } catch {
    // No cache: compiled from source.
  }
  // Node's own CommonJS wrapper, so that the bundle sees what a required file sees.
  const script = new vm.Script(`(function (exports, require, module, __filename, __dirname) { ${source}\n})`, { filename: file, ...(cachedData === undefined ? {} : { cachedData }) });
  const module = new Module(file);
  module.filename = file;
  require.cache[file] = module;
  try {
    // `runInThisContext` is typed `any`: the script is the wrapper function written just above.
    const run = script.runInThisContext() as (exports: unknown, require: NodeJS.Require, module: Module, filename: string, dirname: string) => void;
    run.call(module.exports, module.exports, require, module, file, path.dirname(file));
  } catch (cause) {
    delete require.cache[file];
    throw cause;
  }
  module.loaded = true;
  return {
    exports: module.exports,
    cached: cachedData !== undefined && !script.cachedDataRejected,
    saveCache: () => writeFileSync(codeCacheFile(file), Buffer.concat([hash, script.createCachedData()])),
  };
}
