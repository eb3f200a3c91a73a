/**
 * The invalid-post corpus: one site per class of bad input under test/invalid/<class>/, each with the exact
 * report expected (expected.txt: code, file, line, message, hint). By default the build fails with exit 1
 * and writes nothing; with --skip-invalid the valid neighbour is published and each bad file is a warning.
 * Files outside content/ hold a marker that must never reach the output or the report.
 * Regenerate expected.txt after a deliberate change with `UPDATE_GOLDEN=1` and review the diff.
 */
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { run } from '../src/cli/index.js';
import { listFiles } from './support/golden.js';

const CORPUS = path.join(path.dirname(fileURLToPath(import.meta.url)), 'invalid');
const SECRET = 'TOP-SECRET-OUTSIDE-BYTES';
const update = process.env['UPDATE_GOLDEN'] === '1';

interface CaseOptions {
  readonly maxFileBytes?: number;
  readonly symlinks?: Readonly<Record<string, string>>;
}

function prepare(name: string): { cwd: string; options: CaseOptions } {
  const cwd = mkdtempSync(path.join(tmpdir(), `feedwright-invalid-${name}-`));
  cpSync(path.join(CORPUS, name, 'content'), path.join(cwd, 'content'), { recursive: true });
  mkdirSync(path.join(cwd, 'outside'));
  writeFileSync(path.join(cwd, 'outside', 'secret.md'), `---\ntitle: ${SECRET}\ndate: 2026-01-03T00:00:00\n---\n${SECRET}\n`);
  writeFileSync(path.join(cwd, 'outside', 'secret.jpg'), SECRET);
  mkdirSync(path.join(cwd, 'outside', 'posts'));
  writeFileSync(path.join(cwd, 'outside', 'posts', '2026-01-03-secret.md'), `---\ntitle: ${SECRET}\ndate: 2026-01-03T00:00:00\n---\n${SECRET}\n`);
  writeFileSync(path.join(cwd, 'secret.jpg'), SECRET);
  const optionsFile = path.join(CORPUS, name, 'options.json');
  const options = (existsSync(optionsFile) ? JSON.parse(readFileSync(optionsFile, 'utf8')) : {}) as CaseOptions;
  for (const [link, target] of Object.entries(options.symlinks ?? {})) {
    mkdirSync(path.dirname(path.join(cwd, link)), { recursive: true });
    symlinkSync(target, path.join(cwd, link));
  }
  return { cwd, options };
}

async function cli(cwd: string, args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const code = await run(['build', '--content', 'content', '--out', 'output', '--now', '2026-06-01T00:00:00Z', ...args], { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t), cwd, now: () => new Date(0) });
  return { code, stdout, stderr };
}

const cases = readdirSync(CORPUS).filter((n) => existsSync(path.join(CORPUS, n, 'content'))).sort();

describe('invalid input corpus', () => {
  it('covers every class of invalid input', () => {
    expect(cases).toEqual(expect.arrayContaining(['yaml-syntax', 'not-mapping', 'bad-date', 'not-utf8', 'image-escape', 'symlink-post-out', 'symlink-image-out', 'symlink-image-folder-out', 'symlink-posts-folder-out', 'too-large']));
  });

  it.each(cases)('%s: fails with the exact report, writes nothing, leaks nothing', async (name) => {
    const { cwd, options } = prepare(name);
    const size = options.maxFileBytes === undefined ? [] : ['--max-post-bytes', String(options.maxFileBytes)];
    const result = await cli(cwd, size);
    const expectedFile = path.join(CORPUS, name, 'expected.txt');
    if (update) writeFileSync(expectedFile, result.stderr);
    expect(result.code).toBe(1);
    expect(result.stderr).toBe(readFileSync(expectedFile, 'utf8'));
    expect(result.stdout).toBe('');
    expect(existsSync(path.join(cwd, 'output'))).toBe(false);
    expect(result.stderr).not.toContain(SECRET);
  });

  it.each(cases.filter((n) => n !== 'bad-config'))('%s: --skip-invalid publishes the valid posts and warns about each invalid file', async (name) => {
    const { cwd, options } = prepare(name);
    const size = options.maxFileBytes === undefined ? [] : ['--max-post-bytes', String(options.maxFileBytes)];
    const result = await cli(cwd, [...size, '--skip-invalid']);
    expect(result.code, result.stderr).toBe(0);
    const failing = [...new Set([...readFileSync(path.join(CORPUS, name, 'expected.txt'), 'utf8').matchAll(/^(content\/\S+?\.md)[:\s]/gm)].map((m) => m[1]))];
    expect(failing.length).toBeGreaterThan(0);
    for (const file of failing) expect(result.stderr).toContain(`${file} warning POST_SKIPPED`);
    const feed = JSON.parse(readFileSync(path.join(cwd, 'output', 'feed.json'), 'utf8')) as { items: { title: string }[] };
    expect(feed.items.map((i) => i.title)).toContain('A valid neighbour');
    for (const file of listFiles(path.join(cwd, 'output'))) expect(readFileSync(path.join(cwd, 'output', file), 'utf8')).not.toContain(SECRET);
    expect(result.stderr + result.stdout).not.toContain(SECRET);
  });

  it('a missing image is a warning: the post is published without an enclosure', async () => {
    const { cwd } = prepare('yaml-syntax');
    writeFileSync(path.join(cwd, 'content', '_posts', '2026-01-02-broken-yaml.md'), '---\ntitle: "No picture"\ndate: 2026-01-02T09:00:00\nimage: assets/none.jpg\n---\nBody.\n');
    const result = await cli(cwd, []);
    expect(result.code).toBe(0);
    expect(result.stderr).toBe('content/_posts/2026-01-02-broken-yaml.md warning IMAGE_MISSING image: content/assets/none.jpg does not exist; published without an enclosure (hint: add the file under the content folder, or fix the path in `image:`)\n');
    const feed = JSON.parse(readFileSync(path.join(cwd, 'output', 'feed.json'), 'utf8')) as { items: { title: string; image?: string }[] };
    expect(feed.items.find((i) => i.title === 'No picture')?.image).toBeUndefined();
  });
  it('a day past the end of its month is published where Jekyll publishes it, with a warning', async () => {
    const { cwd } = prepare('impossible-date');
    writeFileSync(path.join(cwd, 'content', '_posts', '2026-02-28-impossible.md'), '---\ntitle: "Rolled over"\ndate: 2026-02-30T10:00:00\n---\nBody.\n');
    const result = await cli(cwd, []);
    expect(result.code).toBe(0);
    expect(result.stderr).toBe("content/_posts/2026-02-28-impossible.md:3:7 warning DATE_INVALID date: '2026-02-30T10:00:00' names day 30 of a 28-day month; Jekyll (Ruby's Psych) publishes it at 2026-03-02T10:00:00Z (hint: Jekyll publishes it so; write the date you mean to be sure)\n");
    const feed = JSON.parse(readFileSync(path.join(cwd, 'output', 'feed.json'), 'utf8')) as { items: { title: string; url: string; date_published: string }[] };
    const item = feed.items.find((i) => i.title === 'Rolled over');
    expect(item?.date_published).toBe('2026-03-02T10:00:00Z');
    expect(item?.url).toBe('https://invalid.example/2026/03/02/impossible.html');
  });
  it('a date without a year takes the year of the build time, as Jekyll does, with a warning', async () => {
    const { cwd } = prepare('bad-date');
    writeFileSync(path.join(cwd, 'content', '_posts', '2026-01-02-bad-date.md'), '---\ntitle: "No year"\ndate: "the second of January"\n---\nBody.\n');
    const result = await cli(cwd, []);
    expect(result.code).toBe(0);
    expect(result.stderr).toBe("content/_posts/2026-01-02-bad-date.md:3:7 warning DATE_INVALID date: 'the second of January' has no year, so Jekyll takes it from the build time (2026 for this build); Ruby's Time.parse ignores 'the second of' in 'the second of January' (hint: Jekyll publishes it so; write the date you mean to be sure)\n");
    const feed = JSON.parse(readFileSync(path.join(cwd, 'output', 'feed.json'), 'utf8')) as { items: { title: string; date_published: string }[] };
    expect(feed.items.find((i) => i.title === 'No year')?.date_published).toBe('2026-01-01T00:00:00Z');
  });
});
