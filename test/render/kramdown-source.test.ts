/**
 * kramdown's source rewrites skip the lines that `isPlainLine` says none of them can touch: documents made of
 * the lines every rewrite looks for (fences, extensions, ALDs and IALs, `markdown="1"`, HTML blocks, tables,
 * `1)` and mixed list markers), with and without up to four leading spaces, come out the same as when every
 * line goes through the rewrites.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isPlainLine, preprocessKramdown, type RenderEnv } from '../../src/render/kramdown-source.js';

// As test/property.test.ts: 1,000 runs locally, 10,000 under CI=true, PROPERTY_RUNS=n for n.
const RUNS = Number(process.env['PROPERTY_RUNS'] ?? (process.env['CI'] === 'true' ? 10_000 : 1_000));

const LINES = [
  '',
  'Plain prose with *emphasis* and a [link](/x/).',
  'Text with a | pipe',
  'a | b',
  '---|---',
  '| `x|y` | z |',
  '```',
  '~~~ruby',
  '````',
  '{: .lead #top}',
  '{:warn: .alert .alert-warning}',
  'Para {: warn}',
  '{::options auto_ids="false" /}',
  '{::options auto_id_prefix="p-" /}',
  '{::comment}',
  '{::comment}hidden{:/comment}',
  'Inline {::nomarkdown}<b>raw</b>{:/} here',
  '{::nomarkdown}',
  '{:/}',
  '<div markdown="1">',
  '</div>',
  '<div>',
  '<span>inline</span> start',
  '<!-- a comment',
  '-->',
  '<br>',
  '1) first',
  '2. second',
  '- dash item',
  '+ plus item',
  '* star item',
  '- - -',
  '***',
  '# Heading',
  '> quote',
  'Term',
  ': Definition',
  '12 apples',
  '\tTabbed text',
];

const line = fc.tuple(fc.constantFrom('', ' ', '  ', '   ', '    '), fc.constantFrom(...LINES)).map(([indent, text]) => `${indent}${text}`);
const document = fc.tuple(fc.array(line, { maxLength: 14 }), fc.constantFrom('\n', '\r\n')).map(([lines, eol]) => lines.join(eol));

function env(): RenderEnv {
  return { autoIds: true, autoIdPrefix: '', idCounter: new Map(), placeholders: [], placeholderName: '' };
}

describe('kramdown source rewrites', () => {
  it('give the same source and placeholders whether plain lines skip them or not', () => {
    fc.assert(
      fc.property(document, (doc) => {
        const fast = env();
        const full = env();
        expect(preprocessKramdown(doc, fast)).toBe(preprocessKramdown(doc, full, { plainLines: false }));
        expect(fast).toEqual(full);
      }),
      { numRuns: RUNS, seed: 20261203 },
    );
  });

  it('take prose for plain, and every line a rewrite starts from for not', () => {
    expect(isPlainLine('Plain prose with *emphasis*.')).toBe(true);
    expect(isPlainLine('    ```')).toBe(true);
    for (const l of ['```', '   ~~~', '{: .x}', '<div>', '+ a', '- a', '1) a', 'a | b', 'x {::comment}y{:/}']) expect(isPlainLine(l), l).toBe(false);
  });
});
