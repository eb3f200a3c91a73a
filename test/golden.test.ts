/**
 * Golden sites, one per concern: each content/ is built with its case's clock and must give exactly the
 * files in expected/, byte for byte, and exactly the warnings in diagnostics.txt. The expected files are
 * reviewed by hand and independently checked by conformance.test.ts (xmllint, jing, ajv, feedsmith) and
 * jekyll-parity.test.ts (real Jekyll + jekyll-feed). Regenerate after a deliberate change with
 * `UPDATE_GOLDEN=1 npx vitest run test/golden.test.ts` and review the diff.
 */
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { build, formatDiagnostic } from '../src/index.js';
import { listFiles, listGoldenCases } from './support/golden.js';

const update = process.env['UPDATE_GOLDEN'] === '1';
const cases = listGoldenCases();

describe('golden sites', () => {
  it('has a case for every concern', () => {
    expect(cases.map((c) => c.name)).toEqual(expect.arrayContaining(['dates-zones', 'permalinks-ids', 'enclosures', 'relative-urls', 'sanitization', 'xml-hostile', 'drafts-future-limit', 'category-tag-feeds']));
  });

  it.each(cases.map((c) => [c.name, c] as const))('%s builds to expected/ byte for byte', async (_name, golden) => {
    const result = await build({ contentDir: golden.contentDir, displayDir: 'content', now: golden.now });
    const diagnostics = result.diagnostics.map(formatDiagnostic).join('\n') + (result.diagnostics.length > 0 ? '\n' : '');
    const diagnosticsFile = path.join(golden.dir, 'diagnostics.txt');
    if (update) {
      rmSync(golden.expectedDir, { recursive: true, force: true });
      for (const file of result.files) {
        const target = path.join(golden.expectedDir, file.path);
        mkdirSync(path.dirname(target), { recursive: true });
        writeFileSync(target, file.contents);
      }
      writeFileSync(diagnosticsFile, diagnostics);
    }
    expect(result.files.map((f) => f.path)).toEqual(listFiles(golden.expectedDir));
    for (const file of result.files) {
      expect(file.contents, file.path).toBe(readFileSync(path.join(golden.expectedDir, file.path), 'utf8'));
    }
    expect(diagnostics).toBe(readFileSync(diagnosticsFile, 'utf8'));
  });
});
