/**
 * ownString (parse/posts.ts): what the scan keeps of a post (ids, URLs, paths, names) must not keep the
 * post's text alive. Checked with V8's own collector, in a child process run with --expose-gc: 64 pieces of
 * 80 characters cut from 64 texts of 1 MiB each, kept as they are (each holds its whole text) and owned.
 */
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const MODULE = pathToFileURL(path.join(ROOT, 'dist', 'parse', 'posts.js')).href;

function heldMiB(mode: 'own' | 'slice'): { heapMiB: number; same: boolean } {
  const script = `
    const { ownString } = await import(${JSON.stringify(MODULE)});
    const kept = [], expected = [];
    for (let i = 0; i < 64; i++) {
      const text = i + ':' + 'ab'.repeat(1 << 19);
      const piece = text.slice(100, 180);
      expected.push(text.slice(100, 180));
      kept.push(${JSON.stringify(mode)} === 'own' ? ownString(piece) : piece);
    }
    expected.length = 0;
    globalThis.gc();
    globalThis.gc();
    const same = kept.every((k, i) => k === (i + ':' + 'ab'.repeat(1 << 19)).slice(100, 180));
    globalThis.gc();
    console.log(JSON.stringify({ heapMiB: process.memoryUsage().heapUsed / 2 ** 20, same }));
  `;
  const out = execFileSync(process.execPath, ['--expose-gc', '--input-type=module', '-e', script], { encoding: 'utf8' });
  return JSON.parse(out) as { heapMiB: number; same: boolean };
}

describe('ownString', () => {
  it('keeps the characters and lets the text they were cut from go', () => {
    const sliced = heldMiB('slice');
    const owned = heldMiB('own');
    expect(sliced.same && owned.same).toBe(true);
    // Kept slices hold 64 MiB of text (the test's own control); owned copies hold a few kilobytes.
    expect(sliced.heapMiB).toBeGreaterThan(60);
    expect(owned.heapMiB).toBeLessThan(sliced.heapMiB - 50);
  });
});
