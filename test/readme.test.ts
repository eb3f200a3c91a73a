/**
 * The README cannot drift: every TypeScript example in it is extracted, type-checked against the built
 * package (imported by its name, `feedwright`, as a user would), compiled and run. And what `npm pack`
 * would publish is the compiled library with its types, and nothing of the tests or sources.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = path.join(path.dirname(fileURLToPath(import.meta.url)), '..');
// Inside the package, so `import ... from 'feedwright'` resolves to it through package.json `exports`.
const WORK = path.join(ROOT, 'test', 'artifacts', 'readme');

function examples(): string[] {
  const readme = readFileSync(path.join(ROOT, 'README.md'), 'utf8');
  return [...readme.matchAll(/^```ts\n([\s\S]*?)^```$/gm)].map((m) => m[1] ?? '');
}

describe('README', () => {
  const blocks = examples();

  it('has TypeScript examples for the library', () => {
    expect(blocks.length).toBeGreaterThanOrEqual(2);
    for (const block of blocks) expect(block).toMatch(/from 'feedwright'/);
  });

  it('every example type-checks against the built package, compiles and runs', () => {
    expect(existsSync(path.join(ROOT, 'dist', 'index.d.ts')), 'run `npm run build` first').toBe(true);
    rmSync(WORK, { recursive: true, force: true });
    mkdirSync(WORK, { recursive: true });
    const names = blocks.map((block, i) => {
      const name = `example-${i + 1}.ts`;
      writeFileSync(path.join(WORK, name), block);
      return name;
    });
    writeFileSync(
      path.join(WORK, 'tsconfig.json'),
      JSON.stringify({ compilerOptions: { target: 'ES2022', module: 'NodeNext', moduleResolution: 'NodeNext', strict: true, types: ['node'], skipLibCheck: false, outDir: '.', rootDir: '.' }, files: names }),
    );
    const tsc = spawnSync(process.execPath, [path.join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', path.join(WORK, 'tsconfig.json')], { encoding: 'utf8' });
    expect(tsc.stdout + tsc.stderr, 'tsc on the README examples').toBe('');
    expect(tsc.status).toBe(0);

    // Run each in a fresh folder holding a copy of the sample site, as a user's project would.
    for (const name of names) {
      const cwd = mkdtempSync(path.join(tmpdir(), 'feedwright-readme-'));
      cpSync(path.join(ROOT, 'content'), path.join(cwd, 'content'), { recursive: true });
      const run = spawnSync(process.execPath, [path.join(WORK, name.replace(/\.ts$/, '.js'))], { cwd, encoding: 'utf8', timeout: 60_000 });
      expect(run.status, `${name}: ${run.stderr}`).toBe(0);
      if (name === 'example-1.ts') {
        expect(readFileSync(path.join(cwd, 'public', 'feeds', 'rss.xml'), 'utf8')).toContain('<rss');
        expect(run.stdout).toMatch(/files changed/);
      } else {
        expect(run.stdout.trim()).toBe('true true 2');
      }
      rmSync(cwd, { recursive: true, force: true });
    }
  }, 120_000);

  it('npm pack publishes the compiled library with its types, and no tests or sources', () => {
    const pack = spawnSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { cwd: ROOT, encoding: 'utf8' });
    expect(pack.status, pack.stderr).toBe(0);
    const [info] = JSON.parse(pack.stdout) as { files: { path: string }[] }[];
    const files = (info?.files ?? []).map((f) => f.path);
    for (const needed of ['package.json', 'README.md', 'dist/index.js', 'dist/index.d.ts', 'dist/bin.js']) expect(files).toContain(needed);
    expect(files.filter((f) => /^(test|src|bench|content|output)\//.test(f) || /\.test\.|\.spec\./.test(f))).toEqual([]);
    // The CLI bundle's chunks (scripts/bundle.mjs; only its two entries replace files of tsc's) are code of those entries, not modules of the library.
    const meta = JSON.parse(readFileSync(path.join(ROOT, 'dist', 'bundle-meta.json'), 'utf8')) as { outputs: Record<string, { entryPoint?: string }> };
    const chunks = Object.entries(meta.outputs).flatMap(([file, output]) => (output.entryPoint !== file && file.endsWith('.js') ? [file] : []));
    expect(chunks.length).toBeGreaterThan(0);
    for (const chunk of chunks) expect(files, `${chunk} is published`).toContain(chunk);
    for (const js of files.filter((f) => f.startsWith('dist/') && f.endsWith('.js') && !chunks.includes(f))) expect(files, `${js} has its declaration file`).toContain(js.replace(/\.js$/, '.d.ts'));
  });
});
