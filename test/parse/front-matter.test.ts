/** Front matter read as Jekyll (Psych) reads it. */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { parseFrontMatter, splitCanonical, splitWithGrayMatter } from '../../src/parse/front-matter.js';
import { YamlTimestamp } from '../../src/parse/dates.js';

describe('parseFrontMatter', () => {
  it('keeps y/n/Y/N as strings but reads yes/no/on/off/true/false as booleans, as Psych does', () => {
    const r = parseFrontMatter('---\ncategories: [X, Y, n, N]\npublished: no\nfeatured: On\n---\nbody\n');
    expect(r.kind).toBe('ok');
    if (r.kind !== 'ok') return;
    expect(r.data['categories']).toEqual(['X', 'Y', 'n', 'N']);
    expect(r.data['published']).toBe(false);
    expect(r.data['featured']).toBe(true);
  });

  it('keeps plain timestamps as text and quoted dates as strings', () => {
    const r = parseFrontMatter('---\ndate: 2026-02-01T00:57:25\nother: "2026-02-01 10:00"\n---\n');
    if (r.kind !== 'ok') throw new Error(r.kind);
    expect(r.data['date']).toEqual(new YamlTimestamp('2026-02-01T00:57:25'));
    expect(r.data['other']).toBe('2026-02-01 10:00');
  });

  it('positions syntax errors at the line of the post file, not of the front matter block', () => {
    const r = parseFrontMatter('---\ntitle: ok\nexcerpt: "unterminated\n---\nbody\n');
    expect(r.kind).toBe('syntax');
    if (r.kind !== 'syntax') return;
    expect(r.problems[0]?.position?.line).toBe(3);
  });

  it('tells a scalar block from a mapping, and no front matter from an empty one', () => {
    expect(parseFrontMatter('---\njust text\n---\n').kind).toBe('not-mapping');
    expect(parseFrontMatter('no front matter\n').kind).toBe('none');
    expect(parseFrontMatter('---\n---\nbody').kind).toBe('ok');
  });
});

describe('splitCanonical', () => {
  it('splits exactly as gray-matter does whenever it answers', () => {
    const piece = fc.constantFrom('---', '\n', 'title: x', '----', '---x', ' ', '\r\n', 'body', '# h', '...');
    let answered = 0;
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 12 }), (pieces) => {
        const text = `---\n${pieces.join('')}`;
        const fast = splitCanonical(text);
        if (fast === undefined) return;
        answered++;
        expect(fast).toEqual(splitWithGrayMatter(text));
      }),
      { numRuns: Number(process.env['PROPERTY_RUNS'] ?? 5_000), seed: 20261123 },
    );
    expect(answered).toBeGreaterThan(100);
  });
});
