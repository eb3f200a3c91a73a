/**
 * kramdown's span scan (where typography may start) found by one native regex search: the same stops as
 * the character-by-character scan it replaced, which spells kramdown's rules out one by one.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DEFAULT_SMART_QUOTES, DEFAULT_TYPOGRAPHIC_SYMBOLS, nextSpanStart, typographize } from '../../src/render/typography.js';

/** The scan as kramdown's parse_spans reads SMART_QUOTES_RE (/[^\\]?["']/) and TYPOGRAPHIC_SYMS_RE. */
function referenceStop(text: string, from: number): number {
  const isQuote = (c: string | undefined): boolean => c === '"' || c === "'";
  let at = from;
  for (; at < text.length; at++) {
    const c = text[at];
    if (isQuote(c) || (c !== '\\' && isQuote(text[at + 1]))) break;
    if (c === '-' && text[at + 1] === '-') break;
    if (c === '.' && text.startsWith('...', at)) break;
    if (c === '<' && text[at + 1] === '<') break;
    if (c === '>' && text[at + 1] === '>') break;
    if (c === ' ' && (text.startsWith('<<', at + 1) || text.startsWith('>>', at + 1))) break;
  }
  return at;
}

// As test/property.test.ts: 1,000 runs locally, 10,000 under CI=true, PROPERTY_RUNS=n for n.
const RUNS = Number(process.env['PROPERTY_RUNS'] ?? (process.env['CI'] === 'true' ? 10_000 : 1_000));
// Text made of the characters the rules look at, and a few that they do not.
const text = fc.array(fc.constantFrom('"', "'", '-', '.', '<', '>', ' ', '\\', 'a', '1', 's', '\n'), { maxLength: 24 }).map((cs) => cs.join(''));

describe('typography span scan', () => {
  it('stops where the character-by-character scan stops, from every position', () => {
    fc.assert(
      fc.property(text, (t) => {
        for (let from = 0; from <= t.length; from++) expect(nextSpanStart(t, from)).toBe(referenceStop(t, from));
      }),
      { numRuns: RUNS, seed: 20261202 },
    );
  });

  it('typesets every mark it finds (kramdown: `<< ` and ` >>` take a no-break space)', () => {
    const settings = { quotes: DEFAULT_SMART_QUOTES, symbols: DEFAULT_TYPOGRAPHIC_SYMBOLS };
    expect(typographize(`"Quoted" -- it's 'single' ... << a >> b`, '', settings)).toBe('“Quoted” – it’s ‘single’ … «\u00A0a\u00A0» b');
  });
});
