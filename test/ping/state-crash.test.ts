/**
 * The ping state file survives a write that fails mid-way: the compiled CLI (dist/, built by `npm test`)
 * runs under `ulimit -f 1`, so the kernel refuses the new state after its first KiB (EFBIG) while the old
 * state (written without the limit) stays in place. Deterministic: no kill timing, no clock.
 */
import { spawn } from 'node:child_process';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { run } from '../../src/cli/index.js';
import { publish } from '../../src/index.js';
import { CONFIG, makeSite, post } from '../support/site.js';
import { closeHubs, startHub } from './hub.js';

afterEach(closeHubs);

const BIN = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', '..', 'dist', 'bin.js');
const NOW = new Date('2026-11-01T00:00:00Z');

function runLimited(args: readonly string[], cwd: string): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve, reject) => {
    // 1 block of 1024 bytes: no regular file may grow past 1 KiB.
    const child = spawn('bash', ['-c', 'ulimit -f 1 && exec "$0" "$@"', process.execPath, BIN, ...args], { cwd, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString('utf8')));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stderr }));
  });
}

describe('ping state under a failing write', () => {
  it('keeps the old state byte for byte when the new one cannot be written, and reports it (exit 1)', async () => {
    const hub = await startHub(() => ({ status: 202 }));
    const root = makeSite({
      'content/_config.yml': `${CONFIG}feed:\n  categories: true\n`,
      'content/_posts/2026-01-02-a.md': post('A', '2026-01-02T10:00:00', 'categories: news\n'),
      'content/_posts/2026-01-03-b.md': post('B', '2026-01-03T10:00:00', 'categories: sport\n'),
    });
    const build = (): Promise<unknown> => publish({ contentDir: path.join(root, 'content'), outDir: path.join(root, 'output'), now: NOW });
    await build();
    const io = { stdout: () => undefined, stderr: () => undefined, cwd: root, now: () => NOW };
    expect(await run(['ping', '--hub', hub.url], io)).toBe(0);
    const stateDir = path.join(root, '.feedwright-cache');
    const stateFile = path.join(stateDir, 'ping-state.json');
    const before = readFileSync(stateFile);
    expect(before.length).toBeGreaterThan(1024);

    writeFileSync(path.join(root, 'content/_posts/2026-01-02-a.md'), post('A, revised', '2026-01-02T10:00:00', 'categories: news\n'));
    await build();
    const limited = await runLimited(['ping', '--hub', hub.url], root);
    expect(limited.stderr).toMatch(/feedwright ping: cannot write .*ping-state\.json: .*(EFBIG|too large).*; the next ping sends these notifications again/);
    expect(limited.code).toBe(1);
    expect(readFileSync(stateFile).equals(before)).toBe(true);
    expect(readdirSync(stateDir)).toEqual(['ping-state.json']);

    // Unlimited again: the same notifications go out and the new state lands whole.
    expect(await run(['ping', '--hub', hub.url], io)).toBe(0);
    const after = JSON.parse(readFileSync(stateFile, 'utf8')) as { feeds: Record<string, unknown> };
    expect(Object.keys(after.feeds)).toHaveLength(9);
    expect(readFileSync(stateFile).equals(before)).toBe(false);
  });
});
