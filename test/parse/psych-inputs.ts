/**
 * The YAML we ask Psych about (test/parse/psych-oracle.test.ts turns these into psych.cases.json). All
 * written for these tests: the constructs Jekyll sites use, the YAML 1.1 corners where Psych and the
 * `yaml` package part ways, and input Psych rejects.
 */

/** One oracle input: a front matter block, a whole post file, or a `_config.yml`/`_data` file. */
export interface PsychInput {
  readonly name: string;
  readonly kind: 'block' | 'file' | 'config';
  readonly source: string;
}

/** mulberry32: a small seeded generator, so generated cases are the same on every run. */
function seededRandom(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

// Psych's ScalarScanner decides every plain scalar: each of these is asked as `v: <scalar>`.
const SCALARS = [
  'E0', 'e5', '1e3', '1e+3', '1.0e+3', '6.8523015e+5', '685.230_15e+03', '1_000', '1__0', '_1', '0_1', '1,000',
  '0o17', '012', '09', '00', '-0', '+12', '0x1F', '0x_1F', '0b101', '123456789012345678901', '1:20', '1:2',
  '1:20:30', '-1:20', '1:60', '190:20:30.15', '.inf', '-.Inf', '+.inf', '.NaN', '0.', '.5', '1.', '.', '-.',
  '1.5.3', '12e', '0.5e', '~', 'null', 'Null', 'NULL', 'nULL', 'y', 'Y', 'n', 'N', 'yes', 'Yes', 'no', 'NO', 'on',
  'Off', 'true', 'True', 'tRue', 'FALSE', '=', '<<', 'E', 'nope', 'yesterday', 'onward', 'n/a', 'true-ish',
  '2026-02-01', '2026-1-5', '2026-02-30', '2026-13-01', '2026-02-01T00:57:25', '2026-02-01 00:57:25',
  '2026-02-01t10:00:00Z', '2026-02-01T10:00:00+5', '2026-02-01 10:00:00 +05:30', '2026-02-01 10:00:00 -0800',
  '2026-02-01T10:00:00.123456Z', '2026-02-30 10:00:00', '2026-02-01 25:00:00', '2026-02-01T10:00', '2026-2-1 9:05:00',
  '20260201', '2026-02-01\t10:00:00', '2026-02-01\t 10:00:00', 'http://example.org/a?b=1#c', 'a#b', 'a # comment', 'café', '😀', '-x', '+x', '@x', '`x', '%x', '!x',
  ':sym', 'a:b', 'a :b', 'x:', '$1.00', '10%', '1/2', '3.14', '-2.5', '1e-3', '1.0e-3', '0xG', '0b2', '08', '0.1.2',
];

const scalarCases: PsychInput[] = SCALARS.map((s) => ({ name: `scalar ${s}`, kind: 'block', source: `v: ${s}\n` }));

const blocks: Array<[string, string]> = [
  // Real-site shapes.
  ['typical post', 'layout: post\ntitle: "Breaking: a headline"\ndate: 2026-02-01T00:57:25\nauthor: desk\ncategories: [News]\ntags: []\nexcerpt: "It says 15 people, and more."\nimage: assets/images/7e50.jpg\n'],
  ['multi-line double-quoted excerpt, unindented continuation', 'title: A post\nexcerpt: "The first line of an excerpt\nthat goes on here\nand ends here."\ntags: [a]\n'],
  ['multi-line double-quoted excerpt with a blank line', 'excerpt: "one\n\ntwo"\n'],
  ['multi-line double-quoted, indented continuation', 'excerpt: "one\n  two"\n'],
  ['multi-line double-quoted with escaped line break', 'excerpt: "one \\\ntwo"\n'],
  ['multi-line single-quoted, unindented continuation', "excerpt: 'one\ntwo'\n"],
  ['multi-line plain, indented continuation', 'excerpt: one\n  two\n'],
  ['multi-line plain, unindented continuation', 'excerpt: one\ntwo\n'],
  ['double-quoted continuation that looks like a key', 'excerpt: "Note\ntitle: not a key"\n'],
  ['double-quoted continuation starting with ---', 'excerpt: "x\n--- y"\n'],
  ['flow list of quoted strings, CRLF', 'title: x\r\ntags: ["a", "b"]\r\ncategories: [c]\r\n'],
  ['double-quoted string, CRLF, multi-line', 'excerpt: "x\r\ny"\r\n'],
  ['CRLF block', 'title: x\r\ndate: 2026-02-01\r\n'],
  ['repeated key', 'title: first\ndate: 2026-02-01\ntitle: second\n'],
  ['repeated key, quoted and plain', '"title": first\ntitle: second\n'],
  ['repeated key in a nested mapping', 'author:\n  name: A\n  name: B\n'],
  ['repeated key in a flow mapping', 'a: {b: 1, b: 2}\n'],
  ['repeated key three times', 'k: 1\nk: 2\nk: 3\n'],
  ['anchors and aliases', 'a: &x [1, 2]\nb: *x\nc: &s text\nd: *s\n'],
  ['merge key from alias', 'base: &b {x: 1, y: 1}\nm:\n  <<: *b\n  y: 2\n'],
  ['merge key after explicit key', 'base: &b {x: 1}\nm:\n  x: 0\n  <<: *b\n'],
  ['merge key from a list', 'p: &p {x: 1}\nq: &q {x: 2, y: 2}\nm:\n  <<: [*p, *q]\n'],
  ['merge key with a scalar', 'm:\n  <<: 1\n'],
  ['merge key quoted', 'base: &b {x: 1}\nm:\n  "<<": *b\n'],
  ['merge key with inline mapping', 'm:\n  <<: {a: 1}\n  b: 2\n'],
  ['unknown alias', 'a: *nope\n'],
  ['tab after colon', 'a:\tb\n'],
  ['tab after value', 'a: b\t\n'],
  ['tab indentation', 'title: Tabs\nauthor:\n\tname: Tab Person\n'],
  ['tab inside a double-quoted string', 'a: "x\ty"\n'],
  ['tab in a plain scalar', 'a: x\ty\n'],
  ['comment lines', '# a comment\ntitle: x # trailing\n# another\n'],
  ['only a comment', '# nothing here\n'],
  ['empty block', ''],
  ['blank lines', '\n\n'],
  ['document end marker', 'a: b\n...\n'],
  ['BOM inside the block', '\uFEFFa: 1\n'],
  ['not a mapping: text', 'just text\n'],
  ['not a mapping: list', '- a\n- b\n'],
  ['nested mapping', 'author:\n  name: Jane Doe\n  email: jane@example.org\n  uri: https://example.org\n'],
  ['flow mapping', 'author: { name: Jane Doe, email: jane@example.org }\n'],
  ['block list', 'tags:\n- a\n- b\n'],
  ['indented block list', 'tags:\n  - a\n  - b\n'],
  ['list of mappings', 'links:\n  - title: x\n    url: /x\n  - title: y\n'],
  ['literal block', 'excerpt: |\n  line one\n  line two\n'],
  ['folded block', 'excerpt: >\n  folded\n  text\n\n  para\n'],
  ['folded block strip', 'excerpt: >-\n  text\n'],
  ['literal block keep', 'excerpt: |+\n  text\n\n'],
  ['empty value', 'image:\ntitle: x\n'],
  ['explicit key', '? a\n: b\n'],
  ['non-string keys', '1: x\n1.0: y\nyes: z\n~: w\n2026-02-01: d\n'],
  ['single-quoted escapes', "a: 'it''s'\n"],
  ['double-quoted escapes', 'a: "\\u00e9\\x41\\N\\_\\/\\t|"\n'],
  ['double-quoted unknown escape', 'a: "\\q"\n'],
  ['backslash in plain', 'a: \\u00e9\n'],
  ['unterminated double quote', 'title: ok\nexcerpt: "unterminated\n'],
  ['unclosed flow list', 'title: "Broken YAML"\ndate: 2026-01-02T09:00:00\ntags: [one, two\nexcerpt: never closed\n'],
  ['text after a quoted value', 'a: "x"y\n'],
  ['text after a flow list', 'a: [a,b]c\n'],
  ['bad indentation of a list', 'x:\n  - a\n   - b\n'],
  ['block entry after a key on one line', 'a: - b\n'],
  ['at sign', 'a: @x\n'],
  ['backtick', 'a: `x\n'],
  ['percent', 'a: %x\n'],
  ['key without space', 'a:b\n'],
  ['space before colon', 'a : b\n'],
  ['key starting with dash', '-a: 1\n'],
  ['colon in a plain value', 'title: Breaking: news\n'],
  ['colon without space in a value', 'url: http://x.example:8080/a\n'],
  ['hash without space in a value', 'title: C#-and-F#\n'],
  ['quoted value then comment', "a: 'x' # c\n"],
  ['trailing spaces', 'a:  b   \n'],
  ['str tag', 'a: !!str 1\n'],
  ['int tag on quoted', "a: !!int '12'\n"],
  ['float tag', 'a: !!float 1\n'],
  ['binary tag', 'a: !!binary aGVsbG8=\n'],
  ['timestamp tag', 'a: !!timestamp 2026-01-01\n'],
  ['set tag', 'a: !!set {x}\n'],
  ['omap tag', 'a: !!omap [a: 1]\n'],
  ['local tag', 'a: !foo x\n'],
  ['ruby object tag', 'a: !ruby/object:Object {}\n'],
  ['symbol value', 'a: :sym\n'],
  ['symbol key', ':a: 1\n'],
  ['quoted symbol-looking value', 'a: ":sym"\n'],
  ['flow list with nested list', 'a: [[1, 2], [3]]\n'],
  ['flow list with trailing comma', 'a: [1, 2, ]\n'],
  ['flow list over lines', 'a: [one,\n  two]\n'],
  ['flow list over unindented lines', 'a: [one,\ntwo]\n'],
  ['flow mapping over lines', 'a: {b: 1,\n  c: 2}\n'],
  ['empty flow collections', 'a: []\nb: {}\n'],
  ['flow list with empty entry', 'a: [1, , 2]\n'],
  ['flow list of timestamps', 'a: [2026-02-01, 2026-02-01 10:00:00]\n'],
  ['long key', `${'k'.repeat(1100)}: v\n`],
  ['deeply indented', 'a:\n    b:\n        c: 1\n'],
  ['sequence of sequences', 'a:\n  - - 1\n    - 2\n'],
  ['unicode key and value', 'tïtle: Ünïcode ✓\n'],
  ['NEL line break', 'a: x\u0085y\n'],
  ['line separator', 'a: x\u2028y\n'],
  ['line separator in double quotes', 'a: "x\u2028y"\n'],
  ['paragraph separators in single quotes', "a: 'x\u2029\u2029y'\n"],
  ['NEL in double quotes', 'a: "x\u0085y"\n'],
  ['escaped lone surrogate', 'a: "x\\ud800y"\n'],
  ['escaped surrogate pair', 'a: "x\\ud83d\\ude00y"\n'],
  ['escaped astral character', 'a: "x\\U0001F600y"\n'],
  ['escaped code point beyond Unicode', 'a: "x\\U00110000y"\n'],
  ['escaped backslash then u', 'a: "x\\\\ud800y"\n'],
  ['raw astral character', 'a: "x😀y"\n'],
  ['raw noncharacters', 'a: "x\ufdd0\u{2fffe}y"\n'],
  ['raw U+FFFE', 'a: "x\ufffey"\n'],
  ['raw DEL', 'a: "x\u007fy"\n'],
  ['two NELs in double quotes', 'a: "x\u0085\u0085y"\n'],
  ['NEL then indented plain continuation', 'a: x\u0085 y\n'],
  ['lone CR line breaks', 'a: 1\rb: 2\r'],
  ['control character', 'a: x\u0001y\n'],
  ['directive after the marker', '%YAML 1.1\n---\na: 1\n'],
  ['second document', 'a: 1\n---\nb: 2\n'],
  ['anchor on a mapping', 'a: &m\n  x: 1\nb: *m\n'],
  ['alias as a key', 'a: &k key\n*k : v\n'],
  ['recursive alias', 'a: &x [1, *x]\n'],
  ['many aliases', 'a: &a [x, x]\nb: &b [*a, *a]\nc: &c [*b, *b]\nd: [*c, *c]\n'],
  ['null key in flow', 'a: {: 1}\n'],
  ['explicit null key in flow', 'a: {? : 1}\n'],
  ['null key in a flow list', 'a: [x, : 1]\n'],
  ['null key in block', ': 1\n'],
  ['explicit null key in block', '? \n: 1\n'],
  ['null key in a block list', '- : 1\n'],
  ['null key in a nested mapping', 'a:\n  : 1\n'],
  ['question mark plain', 'a: ?x\n'],
  ['quoted keys', '"a b": 1\n\'c\': 2\n'],
  ['keys with dots and dashes', 'feed.path: x\nx-y: 1\n'],
  ['value with leading quote char later', 'a: it\'s "fine"\n'],
  ['date with offset', 'date: 2026-02-01 10:00:00 +01:00\n'],
  ['date quoted', 'date: "2026-02-01 10:00:00"\n'],
  ['last_modified_at timestamp', 'last_modified_at: 2026-02-02T08:00:00Z\n'],
  ['published no', 'published: no\n'],
  ['categories string', 'categories: news world\n'],
  ['permalink', 'permalink: /:categories/:year/:title/\n'],
  ['categories with Y and N', 'categories: [X, Y, n, N]\n'],
];

// Generated blocks (a fixed seed): keys, values and line shapes of real front matter, recombined.
function generatedBlocks(count: number): Array<[string, string]> {
  const next = seededRandom(7);
  const keys = ['title', 'tags', 'date', 'author', 'excerpt', 'yes', '"q k"', '<<', 'a b', 'x'];
  const values = ['plain text', '"double quoted"', "'single'", '[a, "b", 1]', '{k: v}', '2026-02-01', '2026-02-01 10:00:00 +01:00', 'E0', '1_000', '0x1F', '1:20', 'y', 'No', '~', '&anc value', '*anc', '|', '>-', '"wrapped\nline"', '[one,\ntwo]', 'a: b', 'a #c', '"x"#c', '!!str 12', ':sym', '', '- item', '"\\u00e9"', 'x\ty'];
  const shapes = ['{k}: {v}', '{k}: {v}', '{k}: {v}', '  {k}: {v}', '- {v}', '  - {v}', '# comment', '', '{k}:', '  text line', '\t{k}: {v}', '{k}:\t{v}', '{k}: {v}\r'];
  const out: Array<[string, string]> = [];
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(next() * xs.length)] as T;
  for (let i = 0; i < count; i++) {
    const n = 1 + Math.floor(next() * 5);
    const lines: string[] = [];
    for (let j = 0; j < n; j++) lines.push(pick(shapes).replace('{k}', pick(keys)).replace('{v}', pick(values)));
    out.push([`generated block ${i + 1}`, `${lines.join('\n')}\n`]);
  }
  return out;
}

const blockCases: PsychInput[] = [...blocks, ...generatedBlocks(400)].map(([name, source]) => ({ name, kind: 'block', source }));

const files: Array<[string, string]> = [
  ['canonical file', '---\ntitle: x\n---\nbody\n'],
  ['CRLF file', '---\r\ntitle: x\r\n---\r\nbody\r\n'],
  ['BOM file', '\uFEFF---\ntitle: x\n---\nbody\n'],
  ['opening marker with spaces', '---   \ntitle: x\n---\nbody\n'],
  ['closing marker with spaces', '---\ntitle: x\n---   \nbody\n'],
  ['closing with document end', '---\ntitle: x\n...\nbody\n'],
  ['closing with document end and spaces', '---\ntitle: x\n... \nbody\n'],
  ['empty front matter', '---\n---\nbody\n'],
  ['no closing newline', '---\ntitle: x\n---'],
  ['blank lines after closing', '---\ntitle: x\n---\n\n\nbody\n'],
  ['closing followed by text on the line', '---\ntitle: x\n--- not a marker\nmore: y\n---\nbody\n'],
  ['four dashes do not close', '---\ntitle: x\n----\n---\nbody\n'],
  ['never closed', '---\ntitle: x\nbody\n'],
  ['no front matter', 'title: x\n---\nbody\n'],
  ['opening marker with text', '--- title: x\n---\nbody\n'],
  ['blank line before the block', '---\n\ntitle: x\n---\nbody\n'],
  ['body with a later marker', '---\ntitle: x\n---\nbody\n---\nmore\n'],
  ['dashes inside a quoted value', '---\nexcerpt: "a\n---\nb"\n---\nbody\n'],
  ['closing with tab', '---\ntitle: x\n---\t\nbody\n'],
  ['CRLF closing document end', '---\r\ntitle: x\r\n...\r\nbody\r\n'],
  ['CR only', '---\rtitle: x\r---\rbody\r'],
  ['mixed line endings', '---\ntitle: x\r\n---\nbody\n'],
];

// Generated shapes (a fixed seed, so the table is stable) that put Jekyll's regex through its corners:
// markers with trailing white space, `...`, CR, blank lines, markers that are not markers.
function generatedFiles(count: number): Array<[string, string]> {
  const next = seededRandom(20261123);
  const pieces = ['---', '...', '\n', '\r\n', '\r', ' ', '\t', 'title: x', 'a: 1', 'body', '----', '---x', '# c', '\n---\n', '\n...\n', '"q\nr"'];
  const out: Array<[string, string]> = [];
  for (let i = 0; i < count; i++) {
    const n = 2 + Math.floor(next() * 10);
    let text = next() < 0.8 ? '---\n' : '---';
    for (let k = 0; k < n; k++) text += pieces[Math.floor(next() * pieces.length)];
    out.push([`generated ${i + 1}`, text]);
  }
  return out;
}

const fileCases: PsychInput[] = [...files, ...generatedFiles(60)].map(([name, source]) => ({ name: `file: ${name}`, kind: 'file', source }));

const configs: Array<[string, string]> = [
  ['site config', 'title: My site\nurl: https://example.org\nbaseurl: ""\ntimezone: Europe/London\nfeed:\n  posts_limit: 20\n  categories: [news]\n'],
  ['config with leading marker', '---\ntitle: x\n'],
  ['config with defaults', 'defaults:\n  - scope:\n      path: ""\n      type: posts\n    values:\n      layout: post\n'],
  ['authors data', 'jane:\n  name: Jane Doe\n  email: jane@example.org\njoe:\n  name: Joe\n'],
  ['empty config', ''],
  ['config repeated key', 'url: https://a.example\nurl: https://b.example\n'],
  ['config CRLF', 'title: x\r\nurl: https://example.org\r\n'],
  ['config with BOM', '\uFEFFtitle: x\n'],
  ['config syntax error', 'title: [x\n'],
];

const configCases: PsychInput[] = configs.map(([name, source]) => ({ name: `config: ${name}`, kind: 'config', source }));

/** Every oracle input, in the order of the committed table. */
export const PSYCH_INPUTS: readonly PsychInput[] = [...scalarCases, ...blockCases, ...fileCases, ...configCases];
