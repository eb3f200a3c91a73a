/**
 * vitest's global setup: every temporary folder the tests make (with `os.tmpdir()`, in vitest's workers and
 * in the programs the tests start: the CLI, Jekyll, Ruby) goes into one folder of this run, removed when the
 * run ends. Tests make their sites and output folders with `mkdtemp`; a run left 212 of them behind in the
 * system's temp folder before this (counted once, without this setup).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

export default function setup(): () => void {
  const root = mkdtempSync(path.join(tmpdir(), 'feedwright-tests-'));
  const before = process.env['TMPDIR'];
  // Read by os.tmpdir() at every call, and inherited by the workers vitest starts after this.
  process.env['TMPDIR'] = root;
  return () => {
    if (before === undefined) delete process.env['TMPDIR'];
    else process.env['TMPDIR'] = before;
    rmSync(root, { recursive: true, force: true, maxRetries: 3 });
  };
}
