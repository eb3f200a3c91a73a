/** Same input, same bytes: under any TZ, build after build, and the committed output/ is what `npm start` makes. */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { build } from '../src/index.js';
import { GOLDEN_DIR, listFiles } from './support/golden.js';

const ROOT = path.join(path.dirname(fileURLToPath(import.meta.url)), '..');
const BIN = path.join(ROOT, 'dist', 'bin.js');
const scratch = mkdtempSync(path.join(tmpdir(), 'feedwright-tz-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

function buildWithTz(contentDir: string, tz: string): Map<string, string> {
  const out = path.join(scratch, `${path.basename(path.dirname(contentDir))}-${tz.replace('/', '_')}`);
  const result = spawnSync(process.execPath, [BIN, 'build', '--content', contentDir, '--out', out, '--now', '2026-11-01T00:00:00Z', '--quiet'], { env: { ...process.env, TZ: tz }, encoding: 'utf8' });
  expect(result.status, result.stderr).toBe(0);
  return new Map(listFiles(out).map((f) => [f, readFileSync(path.join(out, f), 'utf8')]));
}

/** No post of content/ may be dated after this: see the output/ test. */
const CONTENT_CUTOFF = new Date('2026-12-01T00:00:00Z');

describe('reproducible output', () => {
  it.each([path.join(ROOT, 'content'), path.join(GOLDEN_DIR, 'dates-zones', 'content'), path.join(GOLDEN_DIR, 'dates-dst', 'content')])('gives identical bytes under TZ=UTC, America/New_York and Asia/Tokyo (%s)', (contentDir) => {
    const utc = buildWithTz(contentDir, 'UTC');
    expect(utc.size).toBeGreaterThan(0);
    for (const tz of ['America/New_York', 'Asia/Tokyo']) {
      expect(buildWithTz(contentDir, tz)).toEqual(utc);
    }
  });

  it('gives identical bytes on two builds of the same input', async () => {
    const options = { contentDir: path.join(ROOT, 'content'), now: new Date('2026-11-01T00:00:00Z') };
    const first = await build(options);
    const second = await build(options);
    expect(second.files).toEqual(first.files);
  });

  it('output/ in the repository equals a fresh build of content/ (run `npm start` after changing content)', async () => {
    // `npm start` reads the clock; no post of content/ is dated after CONTENT_CUTOFF, so any build from then
    // on publishes the same posts, and a fixed clock far after it gives exactly what `npm start` gives.
    const result = await build({ contentDir: path.join(ROOT, 'content'), now: new Date('2100-01-01T00:00:00Z') });
    const dates = result.files.filter((f) => f.path.endsWith('feed.json')).flatMap((f) => (JSON.parse(f.contents) as { items: { date_published: string }[] }).items.map((i) => Date.parse(i.date_published)));
    expect(Math.max(...dates)).toBeLessThanOrEqual(CONTENT_CUTOFF.getTime());
    const committed = path.join(ROOT, 'output');
    expect(listFiles(committed).filter((f) => !f.startsWith('.'))).toEqual(result.files.map((f) => f.path));
    for (const file of result.files) {
      expect(readFileSync(path.join(committed, file.path), 'utf8'), file.path).toBe(file.contents);
    }
  });
});
