/**
 * loadWithCodeCache: a CommonJS file runs as `require` would run it, from V8's code cache only when the cache
 * was made for exactly its bytes; and the CLI's render core (dist/render/core.cjs, made by `npm run build`)
 * loads from the cache the build made for it, in a fresh Node process.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { codeCacheFile, loadWithCodeCache } from '../../src/render/code-cache.js';

const ROOT = path.resolve(import.meta.dirname, '..', '..');
const made: string[] = [];
afterEach(() => {
  for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function bundle(source: string): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'feedwright-code-cache-'));
  made.push(dir);
  const file = path.join(dir, 'bundle.cjs');
  writeFileSync(file, source);
  return file;
}

/**
 * Loads `file` in a fresh Node process (V8 keeps what it compiled for a process: there a cache is never
 * consulted twice) with the built loader; whether the cache was taken, and `join('a', 'b')` of its exports.
 */
function loadFresh(file: string): { cached: boolean; joined: string } {
  const script = [
    `const { loadWithCodeCache } = await import(${JSON.stringify(path.join(ROOT, 'dist', 'render', 'code-cache.js'))});`,
    `const loaded = loadWithCodeCache(${JSON.stringify(file)});`,
    "console.log(JSON.stringify({ cached: loaded.cached, joined: loaded.exports.join('a', 'b') }));",
  ].join('\n');
  const run = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' });
  expect(run.status, run.stderr).toBe(0);
  return JSON.parse(run.stdout) as { cached: boolean; joined: string };
}

const SOURCE = "'use strict';\nconst path = require('node:path');\nexports.join = (a, b) => path.posix.join(a, b);\nexports.where = [__filename, __dirname];\nexports.self = module.exports === exports;\n";

describe('loadWithCodeCache', () => {
  it('runs a CommonJS file as require does, and from its code cache once one is saved', () => {
    const file = bundle(SOURCE);
    const first = loadWithCodeCache(file);
    expect(first.cached).toBe(false);
    const api = first.exports as { join: (a: string, b: string) => string; where: string[]; self: boolean };
    expect(api.join('a', '../b')).toBe('b');
    expect(api.where).toEqual([file, path.dirname(file)]);
    expect(api.self).toBe(true);
    // Registered as a required module: require gives the same exports, a second load too.
    expect(createRequire(file)(file)).toBe(first.exports);
    expect(loadWithCodeCache(file).exports).toBe(first.exports);
    first.saveCache();
    expect(existsSync(codeCacheFile(file))).toBe(true);
    expect(loadFresh(file)).toEqual({ cached: true, joined: 'a/b' });
  });

  it('compiles from source when the file is not the one the cache was made for, even at the same length', () => {
    const file = bundle(SOURCE);
    loadWithCodeCache(file).saveCache();
    const other = SOURCE.replace('posix.join(a, b)', 'posix.join(b, a)');
    expect(other.length).toBe(SOURCE.length);
    writeFileSync(file, other);
    expect(loadFresh(file)).toEqual({ cached: false, joined: 'b/a' });
  });

  it('compiles from source when V8 refuses the cached data', () => {
    const file = bundle(SOURCE);
    loadWithCodeCache(file).saveCache();
    const cache = readFileSync(codeCacheFile(file));
    // The source hash kept, V8's part damaged.
    writeFileSync(codeCacheFile(file), Buffer.concat([cache.subarray(0, 20), Buffer.alloc(cache.length - 20, 7)]));
    expect(loadFresh(file)).toEqual({ cached: false, joined: 'a/b' });
    // And taken again once saved anew (by a load of its own: a second load in a process is require's).
    delete createRequire(file).cache[file];
    loadWithCodeCache(file).saveCache();
    expect(loadFresh(file)).toEqual({ cached: true, joined: 'a/b' });
  });

  it('leaves a file that throws out of the require cache', () => {
    const file = bundle("throw new Error('broken bundle');\n");
    expect(() => loadWithCodeCache(file)).toThrow('broken bundle');
    expect(createRequire(file).cache[file]).toBeUndefined();
  });

  it("loads the CLI's render core from the cache the build made, in a fresh process", () => {
    const core = path.join(ROOT, 'dist', 'render', 'core.cjs');
    const script = [
      `const { loadWithCodeCache } = await import(${JSON.stringify(path.join(ROOT, 'dist', 'render', 'code-cache.js'))});`,
      `const loaded = loadWithCodeCache(${JSON.stringify(core)});`,
      "const parts = loaded.exports.renderParts({ url: 'https://example.org/p/', body: 'Some *text*.', markdown: true }, { excerptOnly: false, iframeHosts: [], markdown: {} });",
      'console.log(JSON.stringify({ cached: loaded.cached, html: parts.contentHtml }));',
    ].join('\n');
    const run = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' });
    expect(run.status, run.stderr).toBe(0);
    expect(JSON.parse(run.stdout)).toEqual({ cached: true, html: '<p>Some <em>text</em>.</p>' });
  });
});
