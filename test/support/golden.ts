/** Golden sites: test/golden/<case>/{case.json, content/, expected/, diagnostics.txt}. */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The folder holding every golden case. */
export const GOLDEN_DIR = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'golden');

/** A golden case's settings. */
export interface GoldenCase {
  readonly name: string;
  readonly dir: string;
  readonly contentDir: string;
  readonly expectedDir: string;
  readonly now: Date;
  /** False when real Jekyll cannot build the site (so the parity test leaves it out). */
  readonly jekyll: boolean;
}

/** Every golden case, sorted by name. */
export function listGoldenCases(): GoldenCase[] {
  return readdirSync(GOLDEN_DIR)
    .filter((name) => statSync(path.join(GOLDEN_DIR, name)).isDirectory())
    .sort()
    .map((name) => {
      const dir = path.join(GOLDEN_DIR, name);
      const meta = JSON.parse(readFileSync(path.join(dir, 'case.json'), 'utf8')) as { now: string; jekyll?: boolean };
      return { name, dir, contentDir: path.join(dir, 'content'), expectedDir: path.join(dir, 'expected'), now: new Date(meta.now), jekyll: meta.jekyll !== false };
    });
}

/** Every file below `dir`, as POSIX paths relative to it, sorted. */
export function listFiles(dir: string, prefix = ''): string[] {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return [];
  }
  return names
    .flatMap((name) => {
      const full = path.join(dir, name);
      return statSync(full).isDirectory() ? listFiles(full, `${prefix}${name}/`) : [`${prefix}${name}`];
    })
    .sort();
}
