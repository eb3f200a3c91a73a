/** Jekyll's string filters against Jekyll's own `Jekyll::Filters` module, on tricky and random strings. */
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { createJekyllFilters } from '../../src/render/liquid/filters.js';
import { requireTool } from '../support/tools.js';

const ORACLE = join(import.meta.dirname, 'liquid', 'jekyll-filters.rb');

const TRICKY = [
  'Hello, World!', '  a\t b\n', 'Ærø café Łódź ß œ', '日本語のテキスト and English 한국어', 'a--b__c..d', '-lead and trail-',
  '<script>"x" & \'y\'</script>', '100% sure #{not} $x @y', 'ümlaut/ä?x=1&y=2#frag', 'a%20b%41%zz%', '42 apples', '-7.9',
  '1_000 things', '', ' ', 'tab\tand\u00a0nbsp', 'emoji 😀 ok', 'line\r\nbreak', 'control\u0001\u007f', 'Ünïcödé NFD: e\u0301',
];

function ours(input: string): Record<string, unknown> {
  const f = createJekyllFilters({ url: '', baseurl: '', timeZone: 'UTC', now: 0, markdownify: (t) => t, smartify: (t) => t });
  const call = (name: string, ...args: unknown[]): unknown => (f[name] as (...a: unknown[]) => unknown)(input, ...args);
  const r: Record<string, unknown> = {};
  for (const m of ['default', 'raw', 'pretty', 'ascii', 'latin', 'none']) r[`slugify_${m}`] = call('slugify', m);
  r['xml_escape'] = call('xml_escape');
  r['cgi_escape'] = call('cgi_escape');
  r['uri_escape'] = call('uri_escape');
  r['normalize_whitespace'] = call('normalize_whitespace');
  r['words'] = [call('number_of_words'), call('number_of_words', 'cjk'), call('number_of_words', 'auto')];
  r['inspect'] = call('inspect');
  r['to_integer'] = call('to_integer');
  return r;
}

function jekyll(inputs: readonly string[]): Record<string, unknown>[] {
  return JSON.parse(execFileSync('ruby', [ORACLE], { input: JSON.stringify(inputs), encoding: 'utf8' })) as Record<string, unknown>[];
}

describe.skipIf(!requireTool('jekyll'))("string filters give what Jekyll's own filters give", () => {
  test('tricky strings', () => {
    expect(TRICKY.map(ours)).toEqual(jekyll(TRICKY));
  });

  test('random strings (seeded)', () => {
    const samples = fc.sample(fc.string({ unit: fc.constantFrom('a', 'Z', '9', ' ', '\t', '\n', '-', '_', '.', '/', '%', '"', "'", '<', '&', '#', '{', 'é', 'Ø', 'ß', '日', 'ア', '한', '😀', 'e\u0301'), maxLength: 24 }), { seed: 4242, numRuns: 300 });
    expect(samples.map(ours)).toEqual(jekyll(samples));
  });
});

describe.skipIf(!requireTool('jekyll'))("relative_url and absolute_url give what Jekyll's give", () => {
  const URL_ORACLE = join(import.meta.dirname, 'liquid', 'jekyll-url-filters.rb');
  const INPUTS = ['/a b', 'x/../y', '/ü?q=ä b#frag ö', '', 'mailto:x@y', '//cdn.example/x', 'a/./b/', '/%41%2f', '?only=query', '/2026/01/02/post.html', 'feed.xml', '/trailing/', '/a/b/../../..', '/tab\there', '/日本/'];
  test.each([
    ['https://Ex.ORG', '/blog/'],
    ['https://example.org:443', '/b'],
    ['https://example.org', ''],
    ['http://example.org:8080/', '/sub/dir'],
    ['', '/base'],
    ['https://example.org', 'nobase'],
  ])('url %j, baseurl %j', (url, baseurl) => {
    const f = createJekyllFilters({ url, baseurl, timeZone: 'UTC', now: 0, markdownify: (t) => t, smartify: (t) => t });
    const rel = f['relative_url'] as (i: unknown) => unknown;
    const abs = f['absolute_url'] as (i: unknown) => unknown;
    const expected = JSON.parse(execFileSync('ruby', [URL_ORACLE], { input: JSON.stringify([url, baseurl, INPUTS]), encoding: 'utf8', cwd: import.meta.dirname })) as unknown[];
    expect(INPUTS.map((i) => [rel(i), abs(i)])).toEqual(expected);
  });
});
