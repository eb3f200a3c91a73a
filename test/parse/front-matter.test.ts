/** Front matter split by Jekyll's rule and read as Psych reads it. */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { decodeBody, parseFrontMatter, readHead, splitFrontMatter } from '../../src/parse/front-matter.js';
import { YamlTimestamp } from '../../src/parse/dates.js';

describe('yaml front matter: parseFrontMatter', () => {
  it('keeps y/n/Y/N as strings but reads yes/no/on/off/true/false as booleans, as Psych does', () => {
    const r = parseFrontMatter('---\ncategories: [X, Y, n, N]\npublished: no\nfeatured: On\n---\nbody\n');
    expect(r.kind).toBe('ok');
    if (r.kind !== 'ok') return;
    expect(r.data['categories']).toEqual(['X', 'Y', 'n', 'N']);
    expect(r.data['published']).toBe(false);
    expect(r.data['featured']).toBe(true);
  });

  it('keeps plain timestamps as YamlTimestamp and quoted dates as strings', () => {
    const r = parseFrontMatter('---\ndate: 2026-02-01T00:57:25\nother: "2026-02-01 10:00"\n---\n');
    if (r.kind !== 'ok') throw new Error(r.kind);
    expect(r.data['date']).toEqual(new YamlTimestamp('2026-02-01T00:57:25'));
    expect(r.data['other']).toBe('2026-02-01 10:00');
  });

  it('tells a scalar block from a mapping, and no front matter from an empty one', () => {
    expect(parseFrontMatter('---\njust text\n---\n')).toEqual({ kind: 'not-mapping', position: { line: 2, column: 1 } });
    expect(parseFrontMatter('no front matter\n').kind).toBe('none');
    expect(parseFrontMatter('---\n---\nbody').kind).toBe('ok');
    expect(parseFrontMatter('---\nfalse\n---\nbody').kind).toBe('ok');
  });

  it('closes at `...` and at `---` with trailing spaces, and swallows the blank lines after, as Jekyll does', () => {
    const dots = parseFrontMatter('---\ntitle: x\n...\nbody\n');
    const spaces = parseFrontMatter('---\ntitle: x\n---   \n\n\nbody\n');
    if (dots.kind !== 'ok' || spaces.kind !== 'ok') throw new Error('not ok');
    expect([dots.body, dots.bodyLine]).toEqual(['body\n', 4]);
    expect([spaces.body, spaces.bodyLine]).toEqual(['body\n', 6]);
  });

  it('reports an opening line without a closing one', () => {
    expect(parseFrontMatter('---\ntitle: x\nbody\n')).toEqual({ kind: 'syntax', problems: [{ message: 'front matter is not closed by a `---` line', position: { line: 1, column: 1 } }] });
  });
});

describe('yaml front matter: readHead', () => {
  it('decodes only the head for the canonical shape, with the split the whole file gives', () => {
    const piece = fc.constantFrom('---', '\n', 'title: x', '\n---\nbody', '\n---\n', '----', '---x', ' ', '\t', '\r\n', 'body', '# h', '...', '... ', 'é', '\uFEFF');
    let fast = 0;
    fc.assert(
      fc.property(fc.constantFrom('', '\uFEFF'), fc.array(piece, { maxLength: 14 }), (bom, pieces) => {
        const file = `${bom}---\n${pieces.join('')}`;
        const bytes = new TextEncoder().encode(file);
        const head = readHead(bytes);
        const whole = splitFrontMatter(file.replace(/^\uFEFF/, ''));
        expect(head.bomLength).toBe(bom === '' ? 0 : 3);
        if (head.bodyOffset === undefined) {
          expect(head.text).toBe(file.replace(/^\uFEFF/, ''));
          return;
        }
        fast++;
        const split = splitFrontMatter(head.text);
        expect(split?.body).toBe('');
        expect(split?.matter).toBe(whole?.matter);
        expect(decodeBody(bytes, head.bodyOffset)).toBe(whole?.body);
        expect(head.text.slice(0, head.matterLength)).toBe(whole?.matter);
        // The same data, positions and body line; the body itself is read from `bodyOffset`.
        const withoutBody = (r: ReturnType<typeof parseFrontMatter>): unknown => (r.kind === 'ok' ? { ...r, body: undefined } : r);
        expect(withoutBody(parseFrontMatter(head.text, head))).toEqual(withoutBody(parseFrontMatter(file.replace(/^\uFEFF/, ''))));
      }),
      { numRuns: Number(process.env['PROPERTY_RUNS'] ?? 5_000), seed: 20261123 },
    );
    expect(fast).toBeGreaterThan(100);
  });
});
