/** The fast front matter path must agree with the full YAML parser on everything it accepts. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseYamlBlock } from '../../src/parse/front-matter.js';
import { parseSimpleYaml } from '../../src/parse/simple-yaml.js';

const runs = Number(process.env['PROPERTY_RUNS'] ?? (process.env['CI'] === 'true' ? 10_000 : 2_000));
const seed = Number(process.env['PROPERTY_SEED'] ?? 20261123);

const word = fc.oneof(
  fc.constantFrom('News', 'World News', 'y', 'n', 'Y', 'N', 'yes', 'No', 'on', 'OFF', 'true', 'null', '~', 'Null', '0', '7', '010', '1.5', '.inf', '-1', '+3', '1_000', '0x1F', '12:30', '2026-02-01', '2026-02-01T00:57:25', '2026-2-1 9:05:00 +05:00', 'a: b', 'a #b', 'a#b', 'http://x.example/a?b=1', 'café', '😀', '-x', '*ref', '&anchor', '!tag', '@at', '`tick`', '%pct', 'it\'s', 'say "hi"', 'x:', 'x ', ' x', ''),
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
const key = fc.oneof(fc.constantFrom('title', 'date', 'tags', 'categories', 'yes', 'on', 'null', 'x-y', 'a_b', '1', 'title'), fc.string({ maxLength: 6 }));
const line = fc.oneof({ weight: 8, arbitrary: fc.tuple(key, value).map(([k, v]) => `${k}: ${v}`) }, fc.constantFrom('', '# c', '  indented: x', '- item', 'key:', 'k:  "two spaces"', 'tab:\tx', 'cr: x\r'));
const block = fc.array(line, { maxLength: 8 }).map((ls) => `\n${ls.join('\n')}\n`);

describe('parseSimpleYaml', () => {
  it('returns exactly what the full parser returns, whenever it answers', () => {
    let answered = 0;
    fc.assert(
      fc.property(block, (source) => {
        const simple = parseSimpleYaml(source);
        if (simple === undefined) return;
        answered++;
        const full = parseYamlBlock(source);
        expect(full.kind).toBe('ok');
        if (full.kind !== 'ok') return;
        expect(simple.data).toEqual(full.data);
        for (const [k, p] of simple.positions) expect(p, k).toEqual(full.positions.get(k));
      }),
      { numRuns: runs, seed },
    );
    // The fast path must actually cover a good share of realistic front matter.
    expect(answered).toBeGreaterThan(runs / 20);
  }, 300_000);

  it('answers for a typical post', () => {
    const r = parseSimpleYaml('\nlayout: post\ntitle: "Breaking: a headline"\ndate: 2026-02-01T00:57:25\nauthor: "desk"\ncategories: [News]\ntags: []\nexcerpt: "It says 15 people, and more."\nimage: assets/images/7e50.jpg\n');
    expect(r?.data).toMatchObject({ layout: 'post', title: 'Breaking: a headline', categories: ['News'], tags: [], image: 'assets/images/7e50.jpg' });
  });
});
