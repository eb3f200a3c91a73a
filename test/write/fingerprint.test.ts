/**
 * The code fingerprint (write/fingerprint.ts) that namespaces the build cache and keys the manifest: the hash
 * `npm run build` stamps is the hash of the code as built, it is taken only while every file it was made from
 * is as it was, and a changed module or package version changes it. Runs a copy of the built module in a
 * folder laid out like an install (code folder, package.json, node_modules), each reading in a fresh process.
 */
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const ROOT = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const BUILT = path.join(ROOT, 'dist', 'write', 'fingerprint.js');

const made: string[] = [];
afterAll(() => {
  for (const dir of made) rmSync(dir, { recursive: true, force: true });
});

/** An install: code/ with the module and two others, package.json with one dependency, its node_modules copy. */
function install(): { root: string; code: string; module: string } {
  const root = mkdtempSync(path.join(os.tmpdir(), 'feedwright-fingerprint-'));
  made.push(root);
  const code = path.join(root, 'code');
  mkdirSync(path.join(code, 'write'), { recursive: true });
  const module = path.join(code, 'write', 'fingerprint.js');
  copyFileSync(BUILT, module);
  writeFileSync(path.join(code, 'a.js'), 'export const a = 1;\n');
  writeFileSync(path.join(code, 'b.js'), 'export const b = 2;\n');
  writeFileSync(path.join(root, 'package.json'), JSON.stringify({ name: 'x', type: 'module', dependencies: { 'only-import': '1.0.0' } }));
  mkdirSync(path.join(root, 'node_modules', 'only-import'), { recursive: true });
  // A package whose `exports` leave out package.json, as parse5's and csv-parse's do.
  writeFileSync(path.join(root, 'node_modules', 'only-import', 'package.json'), JSON.stringify({ name: 'only-import', version: '1.0.0', exports: { '.': { import: './index.js' } } }));
  return { root, code, module };
}

/** Runs `call` of the module in a new process (the fingerprint is kept for the life of one). */
function run(module: string, call: 'codeFingerprint' | 'stampCodeFingerprint'): string {
  const script = `import { ${call} } from ${JSON.stringify(pathToFileURL(module).href)}; process.stdout.write(${call}());`;
  return execFileSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' });
}

/** Rewrites a file with new bytes of the same length, and an mtime a minute later (as an editor or a build would). */
function rewrite(file: string, text: string): void {
  expect(Buffer.byteLength(text)).toBe(readFileSync(file).length);
  writeFileSync(file, text);
  const later = new Date(Date.now() + 60_000);
  utimesSync(file, later, later);
}

describe('codeFingerprint', () => {
  it('takes the stamped hash, which is the hash of the code as it was built', () => {
    const { code, module } = install();
    const unstamped = run(module, 'codeFingerprint');
    expect(unstamped).toMatch(/^[0-9a-f]{40}$/);
    expect(run(module, 'stampCodeFingerprint')).toBe(unstamped);
    const stamp = JSON.parse(readFileSync(path.join(code, 'code-fingerprint.json'), 'utf8')) as { hash: string; files: [string, number, number][] };
    expect(stamp.hash).toBe(unstamped);
    // Every module, and the dependency's package.json although its `exports` hide it.
    expect(stamp.files.map(([file]) => (path.isAbsolute(file) ? path.basename(path.dirname(file)) : file))).toEqual(['a.js', 'b.js', 'write/fingerprint.js', 'only-import']);
    // Taken from the stamp: a stamp naming another hash over unchanged files is believed (it is the build's own record).
    writeFileSync(path.join(code, 'code-fingerprint.json'), JSON.stringify({ ...stamp, hash: 'f'.repeat(40) }));
    expect(run(module, 'codeFingerprint')).toBe('f'.repeat(40));
  });

  it('hashes the code again when a module changed since the stamp, even to the same size', () => {
    const { code, module } = install();
    const before = run(module, 'stampCodeFingerprint');
    rewrite(path.join(code, 'a.js'), 'export const a = 9;\n');
    const after = run(module, 'codeFingerprint');
    expect(after).not.toBe(before);
    rmSync(path.join(code, 'code-fingerprint.json'));
    expect(run(module, 'codeFingerprint')).toBe(after);
  });

  it('changes with the installed version of a dependency, even one whose package.json is not exported', () => {
    const { root, module } = install();
    const before = run(module, 'stampCodeFingerprint');
    const manifest = path.join(root, 'node_modules', 'only-import', 'package.json');
    rewrite(manifest, readFileSync(manifest, 'utf8').replace('1.0.0', '1.0.1'));
    expect(run(module, 'codeFingerprint')).not.toBe(before);
  });

  it('stamps nothing while a dependency is missing (installing it later would change no stamped file)', () => {
    const { root, code, module } = install();
    rmSync(path.join(root, 'node_modules'), { recursive: true });
    const unstamped = run(module, 'stampCodeFingerprint');
    expect(() => readFileSync(path.join(code, 'code-fingerprint.json'))).toThrow();
    expect(run(module, 'codeFingerprint')).toBe(unstamped);
  });

  it('is stamped by npm run build after the last file of dist/ is written, so builds take it', () => {
    const stamp = JSON.parse(readFileSync(path.join(ROOT, 'dist', 'code-fingerprint.json'), 'utf8')) as { hash: string; files: [string, number, number][] };
    const modules = stamp.files.filter(([file]) => !path.isAbsolute(file)).map(([file]) => file);
    expect(modules).toContain('bin.js');
    expect(modules).toContain('write/fingerprint.js');
    for (const [file, size, mtimeMs] of stamp.files) {
      const info = statSync(path.isAbsolute(file) ? file : path.join(ROOT, 'dist', file));
      expect([file, info.size, info.mtimeMs]).toEqual([file, size, mtimeMs]);
    }
    expect(run(BUILT, 'codeFingerprint')).toBe(stamp.hash);
  });
});
