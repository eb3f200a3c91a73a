/** Finds the system tools some tests need (xmllint, jing, jekyll, chromium), and says plainly when one is missing. */
import { spawnSync } from 'node:child_process';

/** How to install each tool on Debian/Ubuntu. */
const INSTALL: Record<string, string> = {
  xmllint: 'apt-get install -y libxml2-utils',
  jing: 'apt-get install -y jing',
  jekyll: 'apt-get install -y jekyll ruby-jekyll-feed',
  ruby: 'apt-get install -y ruby',
  chromium: 'apt-get install -y chromium',
};

/** True when `tool` runs on this machine. */
export function hasTool(tool: string): boolean {
  const probe = spawnSync('sh', ['-c', `command -v ${tool}`], { encoding: 'utf8' });
  return probe.status === 0;
}

/**
 * Returns true when the tool is available. When it is not: under `CI=true` this throws (a missing tool is a
 * failure in CI); elsewhere it prints that the tests using it are skipped and how to install it, and
 * returns false so the caller can `describe.skipIf(!available)`.
 */
export function requireTool(tool: string): boolean {
  if (hasTool(tool)) return true;
  const how = INSTALL[tool] ?? `install ${tool}`;
  if (process.env['CI'] === 'true') {
    throw new Error(`${tool} is required under CI=true but was not found on PATH (install: ${how})`);
  }
  process.stderr.write(`\n[feedwright tests] SKIPPED: tests needing ${tool}, which is not installed. Install it with: ${how}\n`);
  return false;
}
