/**
 * The fast path (worker threads, build cache) must not change a byte: a few hundred generated posts are
 * built with and without them, cold and warm, before and after editing one post, in default and
 * full-archive mode, and every output must be identical to the plain single-threaded, uncached build.
 */
import { spawnSync } from 'node:child_process';
import { appendFileSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listFiles } from './support/golden.js';

const ROOT = path.join(path.dirname(fileURLToPath(import.meta.url)), '..');
const BIN = path.join(ROOT, 'dist', 'bin.js');
const work = mkdtempSync(path.join(tmpdir(), 'feedwright-fast-'));
const site = path.join(work, 'site');
afterAll(() => rmSync(work, { recursive: true, force: true }));

beforeAll(async () => {
  // The benchmark's generator: deterministic posts with links, images and raw HTML.
  const { generate } = (await import(path.join(ROOT, 'bench', 'generate.mjs'))) as { generate: (dir: string, count: number) => void };
  generate(site, 300);
}, 120_000);

function buildInto(out: string, args: string[]): Map<string, string> {
  const result = spawnSync(process.execPath, [BIN, 'build', '--content', site, '--out', out, '--now', '2026-11-01T00:00:00Z', '--quiet', ...args], { cwd: work, encoding: 'utf8' });
  expect(result.status, result.stderr).toBe(0);
  return new Map(listFiles(out).map((f) => [f, readFileSync(path.join(out, f), 'utf8')]));
}

const plain = (name: string, extra: string[] = []): Map<string, string> => buildInto(path.join(work, name), ['--no-cache', '--workers', '0', ...extra]);
const fast = (name: string, extra: string[] = []): Map<string, string> => buildInto(path.join(work, name), ['--cache-dir', path.join(work, 'cache'), '--workers', '2', '--worker-threshold', '1', ...extra]);

describe('fast path', () => {
  it('gives the same bytes with workers and cache, cold, warm and after editing one post', () => {
    const reference = plain('plain');
    expect(reference.size).toBeGreaterThan(30);
    expect(fast('cold')).toEqual(reference);
    // One namespace folder (beside it, the build manifest).
    expect(readdirSync(path.join(work, 'cache'), { withFileTypes: true }).filter((e) => e.isDirectory())).toHaveLength(1);
    expect(fast('warm')).toEqual(reference);

    const newest = readdirSync(path.join(site, '_posts')).sort().at(-1) ?? '';
    appendFileSync(path.join(site, '_posts', newest), '\nA correction was added to this story.\n');
    const edited = plain('plain-edited');
    expect(edited).not.toEqual(reference);
    expect(fast('warm-edited')).toEqual(edited);
  }, 300_000);

  it('gives the same bytes in full-archive mode (every post, every feed)', () => {
    const reference = plain('plain-all', ['--limit', '0']);
    expect(JSON.parse(reference.get('feed.json') ?? '{}').items).toHaveLength(300);
    expect(fast('fast-all', ['--limit', '0'])).toEqual(reference);
    expect(fast('fast-all-warm', ['--limit', '0'])).toEqual(reference);
  }, 300_000);
});
