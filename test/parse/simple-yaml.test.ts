/** readYaml's fast path must agree with the full reader on everything it accepts. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { readSimpleYaml, readYamlFully } from '../../src/parse/yaml.js';

const runs = Number(process.env['PROPERTY_RUNS'] ?? (process.env['CI'] === 'true' ? 10_000 : 2_000));
const seed = Number(process.env['PROPERTY_SEED'] ?? 20261123);

const word = fc.oneof(
  fc.constantFrom('News', 'World News', 'y', 'n', 'Y', 'N', 'yes', 'No', 'on', 'OFF', 'true', 'null', 'nULL', '~', 'Null', '0', '7', '010', '09', '-0', '1.5', '1.', '.5', '.inf', '-1', '+3', '1_000', '1,000', '0x1F', '0o17', '0b11', '12:30', '1:2:3', 'E0', '1e3', '1.0e+3', '2026-02-01', '2026-02-30', '2026-13-01', '2026-02-01T00:57:25', '2026-2-1 9:05:00 +05:00', '2026-02-01 25:00:00', 'a: b', 'a #b', 'a#b', 'http://x.example/a?b=1', 'café', '😀', '-x', '*ref', '&anchor', '!tag', '@at', '`tick`', '%pct', 'it\'s', 'say "hi"', 'x:', 'x ', ' x', '', ':sym', '<<', '=', 'n/a', '$1', 'yesterday'),
  fc.string({ maxLength: 12 }),
);
const value = fc.oneof(
  word,
  word.map((w) => `"${w}"`),
  word.map((w) => `'${w}'`),
  fc.array(word, { maxLength: 4 }).map((ws) => `[${ws.join(', ')}]`),
  fc.array(word, { maxLength: 4 }).map((ws) => `[${ws.join(',')}]`),
  word.map((w) => `${w} # comment`),
);
const key = fc.oneof(fc.constantFrom('title', 'date', 'tags', 'categories', 'yes', 'on', 'null', 'x-y', 'a_b', '1', 'title', 'E0', '<<', 'k'.repeat(1025)), fc.string({ maxLength: 6 }));
const line = fc.oneof({ weight: 8, arbitrary: fc.tuple(key, value).map(([k, v]) => `${k}: ${v}`) }, fc.constantFrom('', '# c', '  indented: x', '- item', 'key:', 'k:  "two spaces"', 'tab:\tx', 'cr: x\r', '\uFEFFbom: x', 'nel: a\u0085b'));
// Jekyll hands Psych the block with its opening `---` line; a `_config.yml` has none.
const block = fc.tuple(fc.constantFrom('---\n', '---  \n', ''), fc.array(line, { maxLength: 8 })).map(([open, ls]) => `${open}${ls.join('\n')}\n`);

describe('yaml fast path: readSimpleYaml', () => {
  it('returns exactly what the full reader returns, whenever it answers', () => {
    let answered = 0;
    fc.assert(
      fc.property(block, (source) => {
        const simple = readSimpleYaml(source);
        if (simple === undefined) return;
        answered++;
        const full = readYamlFully(source);
        expect(full.kind).toBe('ok');
        if (full.kind !== 'ok' || simple.kind !== 'ok') return;
        expect(simple.value).toEqual(full.value);
        expect(full.warnings).toEqual([]);
        for (const [k, p] of simple.positions) expect(p, k).toEqual(full.positions.get(k));
        for (const [k, p] of simple.keyPositions) expect(p, k).toEqual(full.keyPositions.get(k));
      }),
      { numRuns: runs, seed },
    );
    // The fast path must actually cover a good share of realistic front matter.
    expect(answered).toBeGreaterThan(runs / 20);
  }, 300_000);

  it('answers for a typical post', () => {
    const r = readSimpleYaml('---\nlayout: post\ntitle: "Breaking: a headline"\ndate: 2026-02-01T00:57:25\nauthor: "desk"\ncategories: [News]\ntags: []\nexcerpt: "It says 15 people, and more."\nimage: assets/images/7e50.jpg\n');
    expect(r?.kind === 'ok' ? r.value : undefined).toMatchObject({ layout: 'post', title: 'Breaking: a headline', categories: ['News'], tags: [], image: 'assets/images/7e50.jpg' });
  });
});
