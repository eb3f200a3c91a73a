/** Fresh sites for tests: each test writes its own small content folder into a new temp directory. */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

/** Writes `files` (POSIX path → contents) under a new temp folder and returns its path. */
export function makeSite(files: Readonly<Record<string, string | Uint8Array>>): string {
  const root = mkdtempSync(path.join(tmpdir(), 'feedwright-site-'));
  for (const [rel, contents] of Object.entries(files)) {
    const full = path.join(root, ...rel.split('/'));
    mkdirSync(path.dirname(full), { recursive: true });
    writeFileSync(full, contents);
  }
  return root;
}

/** A minimal valid `_config.yml`. */
export const CONFIG = 'title: Test Site\nurl: https://test.example\ntimezone: UTC\nauthor: Desk\n';

/** A valid post file with the given extra front matter lines. */
export function post(title: string, date: string, extra = '', body = 'Body text.\n'): string {
  return `---\ntitle: "${title}"\ndate: ${date}\n${extra}---\n\n${body}`;
}
