/** `site.data` as Jekyll's DataReader builds it; CSV checked against Ruby's own CSV library. */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { loadSiteData, toDataKey } from '../../src/load/data.js';
import { YamlTimestamp } from '../../src/parse/dates.js';
import { requireTool } from '../support/tools.js';

let root: string;
let content: string;

beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'feedwright-data-'));
  content = join(root, 'content');
  mkdirSync(join(content, '_data', 'people', 'staff'), { recursive: true });
});

afterEach(() => {
  rmSync(root, { recursive: true, force: true });
});

const write = (path: string, text: string): void => writeFileSync(join(content, '_data', path), text);

test('YAML, JSON, CSV and TSV files and nested folders become nested keys', () => {
  write('site.yml', 'name: Example\nlaunched: 2026-01-02\nflags: [yes, off, Y]\n');
  write('links.json', '{"home": "/", "count": 3}');
  write('speakers.csv', 'name,city\nAda,London\n');
  write('langs.tsv', 'code\tname\nde\tGerman\n');
  write('people/staff/editors.yaml', '- Brian\n- Chen\n');
  write('people/my list!.yml', 'ok: true\n');
  const { data, diagnostics } = loadSiteData(content, { displayDir: 'content' });
  expect(diagnostics).toEqual([]);
  expect(data).toEqual({
    site: { name: 'Example', launched: new YamlTimestamp('2026-01-02'), flags: [true, false, 'Y'] },
    links: { home: '/', count: 3 },
    speakers: [{ name: 'Ada', city: 'London' }],
    langs: [{ code: 'de', name: 'German' }],
    people: { staff: { editors: ['Brian', 'Chen'] }, my_list: { ok: true } },
  });
});

test("Jekyll's order decides clashes: .yaml, .yml, .json, .csv, .tsv, then folders", () => {
  write('a.json', '{"from": "json"}');
  write('a.yml', 'from: yml');
  write('a.yaml', 'from: yaml');
  write('b.yml', 'from: file');
  mkdirSync(join(content, '_data', 'b'));
  write('b/c.yml', 'from: folder');
  expect(loadSiteData(content).data).toEqual({ a: { from: 'json' }, b: { c: { from: 'folder' } }, people: { staff: {} } });
});

describe.skipIf(!requireTool('ruby'))("file names become keys as Jekyll's DataReader#sanitize_filename makes them", () => {
  test('the same keys as Ruby gives', () => {
    const names = ['web site', 'a.b', 'über-cool', ' x  y ', 'q&a', 'tab\there', 'snake_case-1', 'nb\u00a0sp'];
    const script = 'print JSON.generate(JSON.parse($stdin.read).map { |n| n.gsub(%r![^\\w\\s-]+|(?<=^|\\b\\s)\\s+(?=$|\\s?\\b)!, "").gsub(%r!\\s+!, "_") })';
    const ruby = execFileSync('ruby', ['-rjson', '-e', script], { input: JSON.stringify(names), encoding: 'utf8' });
    expect(names.map(toDataKey)).toEqual(JSON.parse(ruby));
  });
});

test('a data file that does not parse is an error with its line', () => {
  write('bad.yml', 'ok: 1\nlist: [a, b\nnext: 2\n');
  const { data, diagnostics } = loadSiteData(content, { displayDir: 'content' });
  expect(data['bad']).toBeUndefined();
  expect(diagnostics).toEqual([expect.objectContaining({ severity: 'error', code: 'DATA_SYNTAX', file: 'content/_data/bad.yml', line: expect.any(Number) })]);
});

test('a symlink leading outside the content folder is skipped with a warning; one inside is followed', () => {
  writeFileSync(join(root, 'secret.yml'), 'token: TOP SECRET\n');
  symlinkSync(join(root, 'secret.yml'), join(content, '_data', 'leak.yml'));
  symlinkSync(root, join(content, '_data', 'outside'));
  writeFileSync(join(content, 'shared.yml'), 'shared: yes\n');
  symlinkSync(join(content, 'shared.yml'), join(content, '_data', 'inside.yml'));
  const { data, diagnostics } = loadSiteData(content, { displayDir: 'content' });
  expect(data).toEqual({ inside: { shared: true }, people: { staff: {} } });
  expect(diagnostics.map((d) => [d.severity, d.code, d.file])).toEqual([
    ['warning', 'PATH_ESCAPE', 'content/_data/leak.yml'],
    ['warning', 'PATH_ESCAPE', 'content/_data/outside'],
  ]);
  expect(JSON.stringify(diagnostics)).not.toContain('TOP SECRET');
});

test('no _data folder: empty data, no diagnostics', () => {
  rmSync(join(content, '_data'), { recursive: true });
  expect(loadSiteData(content)).toEqual({ data: {}, diagnostics: [] });
});

describe.skipIf(!requireTool('ruby'))("CSV and TSV read as Ruby's CSV.read(headers: true).map(&:to_hash)", () => {
  const cases: Record<string, string> = {
    'quotes.csv': 'name,quote,n\n"Smith, Jo","He said ""hi""",1\nAda,,\n"","x",3\n',
    'ragged.csv': 'a,b,a\n1,,""\n2\n3,4,5,6\n',
    'crlf-bom.csv': '\uFEFFid,title\r\n1,First\r\n2,"Multi\r\nline"\r\n',
    'unicode.csv': 'wort,bedeutung\nÄrger,trouble\n日本,Japan\n',
    'tabs.tsv': 'k\tv\nx\t"quoted"\ny\t\n',
  };
  test.each(Object.keys(cases))('%s', (name) => {
    const text = cases[name] ?? '';
    write(name, text);
    const ours = loadSiteData(content).data[name.replace(/\.\w+$/, '')];
    const sep = name.endsWith('.tsv') ? '\\t' : ',';
    const ruby = execFileSync('ruby', ['-rcsv', '-rjson', '-e', `print JSON.generate(CSV.read(ARGV[0], headers: true, col_sep: "${sep}", encoding: "bom|utf-8").map { |r| r.to_hash.reject { |k, _| k.nil? } })`, join(content, '_data', name)], { encoding: 'utf8' });
    expect(ours).toEqual(JSON.parse(ruby));
  });
});
