/**
 * The shape of src/ (issue 8): no import cycles anywhere (type-only imports count: they couple modules just
 * the same), found with dpdm over the TypeScript sources; and the libraries behind the commands (serve, ping,
 * check) never reach into the CLI, so each command module is the only place its flags are read.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parseCircular, parseDependencyTree, type DependencyTree } from 'dpdm';
import { beforeAll, describe, expect, it } from 'vitest';

const ROOT = path.resolve(import.meta.dirname, '..');
let tree: DependencyTree;

beforeAll(async () => {
  // transform: false keeps `import type` edges in the graph.
  tree = await parseDependencyTree('./src/**/*.ts', { context: ROOT, cwd: ROOT, tsconfig: path.join(ROOT, 'tsconfig.json'), transform: false, skipDynamicImports: false });
});

const sourceFiles = (): string[] => Object.keys(tree).filter((f) => f.startsWith('src/'));

describe('architecture', () => {
  it('resolves every relative import of src/ (so the graph below is complete)', () => {
    expect(sourceFiles().length).toBeGreaterThan(40);
    const unresolved = sourceFiles().flatMap((file) => (tree[file] ?? []).filter((d) => d.request.startsWith('.') && d.id === null).map((d) => `${file} -> ${d.request}`));
    expect(unresolved).toEqual([]);
  });

  it('has no import cycles under src/', () => {
    const cycles = parseCircular(tree).filter((cycle) => cycle.every((f) => f.startsWith('src/')));
    expect(cycles.map((cycle) => [...cycle, cycle[0]].join(' -> '))).toEqual([]);
  });

  it('keeps command-line parsing in src/cli/: the serve, ping and check libraries never import it', () => {
    const libraries = sourceFiles().filter((f) => /^src\/(serve|ping|check)\//.test(f));
    expect(libraries.length).toBeGreaterThanOrEqual(10);
    for (const file of libraries) {
      const reaches = (tree[file] ?? []).filter((d) => d.id?.startsWith('src/cli/') === true).map((d) => d.request);
      expect(reaches, file).toEqual([]);
      expect(readFileSync(path.join(ROOT, file), 'utf8'), file).not.toMatch(/\bparseArgs\b|process\.argv/);
    }
  });

  it('names feed files in one module: no other module spells the three names as a list', () => {
    const lists = sourceFiles().filter((f) => f !== 'src/write/feed-files.ts' && /\[\s*'(?:rss\.xml|atom\.xml|feed\.json)',\s*'(?:rss\.xml|atom\.xml|feed\.json)'/.test(readFileSync(path.join(ROOT, f), 'utf8')));
    expect(lists).toEqual([]);
  });
});
