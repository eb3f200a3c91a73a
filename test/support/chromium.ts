/**
 * Headless Chromium for browser tests. Runs asynchronously (never spawnSync: the HTTP server the browser
 * fetches from lives in the test's own event loop) in its own process group, killed whole on timeout.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

export interface ChromiumRun {
  readonly stdout: string;
  readonly stderr: string;
  readonly code: number | null;
  readonly ms: number;
}

/** Flags for a quiet, reproducible headless run (no network besides the page, no first-run UI). */
const BASE_FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--hide-scrollbars',
  // Chromium 156+ overlays a red "XSLT is being removed" banner on transformed pages; keep it out of the DOM
  // and screenshots (the page is what we test; the deprecation is a product decision noted in the docs).
  '--disable-features=GenerateXSLTWarningBanner',
];

/** Process groups of the runs still going, so a test that times out first can still end them. */
const running = new Set<number>();

function killGroup(pid: number): void {
  try {
    process.kill(-pid, 'SIGKILL');
  } catch {
    // already gone
  }
}

/** Ends every Chromium this module started that is still running (for `afterAll`). */
export function killRunningChromium(): void {
  for (const pid of running) killGroup(pid);
  running.clear();
}

/**
 * Runs `chromium <flags> <args>` with a fresh profile; rejects on timeout, after killing its process group.
 * Keep the calling test's timeout above `timeoutMs` (a page that opens a dialog hangs until killed).
 */
export function runChromium(args: readonly string[], timeoutMs = 30_000): Promise<ChromiumRun> {
  const profile = mkdtempSync(path.join(tmpdir(), 'feedwright-chromium-'));
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const child = spawn('chromium', [...BASE_FLAGS, `--user-data-dir=${profile}`, ...args], { detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    const pid = child.pid;
    if (pid !== undefined) running.add(pid);
    child.stdout.on('data', (chunk: Buffer) => out.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => err.push(chunk));
    const timer = setTimeout(() => {
      if (pid !== undefined) killGroup(pid);
      reject(new Error(`chromium timed out after ${timeoutMs} ms: ${args.join(' ')}\n${Buffer.concat(err).toString('utf8').slice(-2000)}`));
    }, timeoutMs);
    child.on('error', (cause) => {
      clearTimeout(timer);
      reject(cause);
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      if (pid !== undefined) running.delete(pid);
      rmSync(profile, { recursive: true, force: true });
      resolve({ stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8'), code, ms: Date.now() - started });
    });
  });
}
