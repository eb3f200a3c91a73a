/** Liquid's failure modes: unknown plugin tags, syntax and render errors with the post's line, the sandbox and the limits. */
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { createLiquidSite, type LiquidPage, type LiquidSiteInput } from '../../src/render/liquid.js';

let root: string;
let content: string;

beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'feedwright-liquid-diag-'));
  content = join(root, 'content');
  mkdirSync(join(content, '_includes'), { recursive: true });
  mkdirSync(join(content, '_posts', 'notes'), { recursive: true });
  writeFileSync(join(root, 'secret.txt'), 'TOP SECRET outside the content folder\n');
  writeFileSync(join(content, '_includes', 'hello.html'), 'Hello {{ include.name }}!');
  writeFileSync(join(content, '_includes', 'broken.html'), 'line one\n{% if %}\n');
  writeFileSync(join(content, '_includes', 'plugin.html'), 'before\n{% twitter 123 %}after');
  writeFileSync(join(content, '_posts', 'notes', 'part.md'), 'relative part');
});

afterEach(() => {
  rmSync(root, { recursive: true, force: true });
});

const post: LiquidPage = {
  url: '/2026/02/03/post.html',
  date: new Date('2026-02-03T10:00:00Z'),
  id: '/2026/02/03/post',
  path: '_posts/notes/2026-02-03-post.md',
  slug: 'post',
  title: 'Post',
  categories: [],
  tags: [],
};
const FILE = { displayPath: 'content/_posts/notes/2026-02-03-post.md', bodyLine: 5 };

function makeSite(overrides: Partial<LiquidSiteInput> = {}) {
  return createLiquidSite({
    contentDir: content,
    displayDir: 'content',
    config: {},
    data: {},
    url: 'https://example.org',
    baseurl: '',
    timezone: 'UTC',
    now: new Date('2026-06-01T00:00:00Z'),
    posts: () => [post],
    markdownify: (text) => text,
    ...overrides,
  });
}

describe('unknown tags from plugins', () => {
  test('a simple tag is left out with a warning naming it, the file and the line', () => {
    const r = makeSite().renderPost('Intro\n\nWatch: {% youtube dQw4w9WgXcQ %} now.\n', post, FILE);
    expect(r.html).toBe('Intro\n\nWatch:  now.\n');
    expect(r.diagnostics).toEqual([
      expect.objectContaining({ severity: 'warning', code: 'LIQUID_TAG_UNKNOWN', file: FILE.displayPath, line: 7, column: 8, message: expect.stringContaining("'youtube'") }),
    ]);
  });

  test('a block tag (one with a matching end tag) is left out with its body, nested same-name blocks included', () => {
    const r = makeSite().renderPost('a{% callout warn %}x{% callout %}y{% endcallout %}z{% endcallout %}b {{ 1 | plus: 1 }}', post, FILE);
    expect(r.html).toBe('ab 2');
    expect(r.diagnostics.map((d) => [d.code, d.line])).toEqual([['LIQUID_TAG_UNKNOWN', 5]]);
  });

  test('an unknown tag inside an include is reported at the include file', () => {
    const r = makeSite().renderPost('{% include plugin.html %}', post, FILE);
    expect(r.html).toBe('before\nafter');
    expect(r.diagnostics).toEqual([expect.objectContaining({ severity: 'warning', code: 'LIQUID_TAG_UNKNOWN', file: 'content/_includes/plugin.html', line: 2 })]);
  });

  test('a tag in a loop is reported once', () => {
    const r = makeSite().renderPost('{% for i in (1..3) %}{% avatar x %}{% endfor %}', post, FILE);
    expect(r.diagnostics).toHaveLength(1);
  });

  test('under liquid.error_mode: strict it is an error and nothing is rendered', () => {
    const r = makeSite({ config: { liquid: { error_mode: 'strict' } } }).renderPost('ok\n{% youtube id %}', post, FILE);
    expect(r.html).toBe('');
    expect(r.diagnostics).toEqual([expect.objectContaining({ severity: 'error', code: 'LIQUID_TAG_UNKNOWN', file: FILE.displayPath, line: 6 })]);
  });
});

describe('syntax and render errors', () => {
  test('a syntax error points at the line in the post file', () => {
    const r = makeSite().renderPost('one\ntwo\n{% if page.title %}unclosed', post, FILE);
    expect(r.html).toBe('');
    expect(r.diagnostics).toEqual([expect.objectContaining({ severity: 'error', code: 'LIQUID_ERROR', file: FILE.displayPath, line: 7, column: 1 })]);
  });

  test('post_url to a post that does not exist is an error, as Jekyll raises', () => {
    const r = makeSite().renderPost('\n[x]({% post_url 2020-01-01-nothing %})', post, FILE);
    expect(r.diagnostics).toEqual([expect.objectContaining({ severity: 'error', code: 'LIQUID_ERROR', line: 6, message: expect.stringContaining('Could not find post "2020-01-01-nothing"') })]);
  });

  test('link to a file that does not exist is an error', () => {
    const r = makeSite().renderPost('{% link _posts/2020-01-01-gone.md %}', post, FILE);
    expect(r.diagnostics).toEqual([expect.objectContaining({ severity: 'error', code: 'LIQUID_ERROR', line: 5, message: expect.stringContaining("Could not find document '_posts/2020-01-01-gone.md'") })]);
  });

  test('an error inside an include names the include file and its line, at the include tag in the post', () => {
    const r = makeSite().renderPost('x\n{% include broken.html %}', post, FILE);
    expect(r.diagnostics).toEqual([expect.objectContaining({ severity: 'error', code: 'LIQUID_ERROR', file: FILE.displayPath, line: 6, message: expect.stringContaining('_includes/broken.html line 2') })]);
  });

  test('a missing include is an error', () => {
    const r = makeSite().renderPost('{% include nope.html %}', post, FILE);
    expect(r.diagnostics).toEqual([expect.objectContaining({ severity: 'error', code: 'LIQUID_ERROR', message: expect.stringContaining("Could not locate the included file '_includes/nope.html'") })]);
  });

  test('strict_variables and strict_filters make unknown names errors', () => {
    const strict = makeSite({ liquid: { strict_variables: true, strict_filters: true } });
    expect(strict.renderPost('{{ page.nope }}', post, FILE).diagnostics).toEqual([expect.objectContaining({ code: 'LIQUID_ERROR', severity: 'error' })]);
    expect(strict.renderPost('{{ "a" | nope }}', post, FILE).diagnostics).toEqual([expect.objectContaining({ code: 'LIQUID_ERROR', severity: 'error' })]);
    const lax = makeSite();
    expect(lax.renderPost('[{{ page.nope }}][{{ "a" | nope }}]', post, FILE)).toEqual({ html: '[][a]', diagnostics: [] });
  });
});

describe('sandbox: nothing outside the content folder is read', () => {
  test('include with .. is refused', () => {
    const r = makeSite().renderPost('{% include ../../secret.txt %}', post, FILE);
    expect(r.html).toBe('');
    expect(r.diagnostics).toEqual([expect.objectContaining({ severity: 'error', code: 'PATH_ESCAPE' })]);
  });

  test('include_relative with .. is refused', () => {
    const r = makeSite().renderPost('{% include_relative ../../../secret.txt %}', post, FILE);
    expect(r.diagnostics).toEqual([expect.objectContaining({ severity: 'error', code: 'PATH_ESCAPE' })]);
    expect(JSON.stringify(r)).not.toContain('TOP SECRET');
  });

  test('an include that is a symlink leading outside is refused', () => {
    symlinkSync(join(root, 'secret.txt'), join(content, '_includes', 'leak.html'));
    const r = makeSite().renderPost('{% include leak.html %}', post, FILE);
    expect(r.diagnostics).toEqual([expect.objectContaining({ severity: 'error', code: 'PATH_ESCAPE' })]);
    expect(JSON.stringify(r)).not.toContain('TOP SECRET');
  });

  test('an includes_dir that leads outside is refused', () => {
    const r = makeSite({ config: { includes_dir: '../' } }).renderPost('{% include secret.txt %}', post, FILE);
    expect(r.diagnostics).toEqual([expect.objectContaining({ severity: 'error', code: 'PATH_ESCAPE' })]);
  });

  test('an absolute include path is refused', () => {
    const r = makeSite().renderPost(`{% include ${join(root, 'secret.txt')} %}`, post, FILE);
    expect(r.diagnostics.map((d) => d.severity)).toEqual(['error']);
    expect(JSON.stringify(r)).not.toContain('TOP SECRET');
  });

  test("liquidjs's own file tags (render, layout) are not available", () => {
    const r = makeSite().renderPost(`{% render '${join(root, 'secret.txt')}' %}{% layout 'x' %}`, post, FILE);
    expect(r.html).toBe('');
    expect(r.diagnostics.map((d) => d.code)).toEqual(['LIQUID_TAG_UNKNOWN', 'LIQUID_TAG_UNKNOWN']);
  });

  test('includes inside the folder work: include with parameters and include_relative from the post folder', () => {
    const r = makeSite().renderPost('{% include hello.html name=page.title %} / {% include_relative part.md %}', post, FILE);
    expect(r).toEqual({ html: 'Hello Post! / relative part', diagnostics: [] });
  });

  test('prototype properties are not reachable from templates', () => {
    const r = makeSite().renderPost('[{{ page.constructor }}][{{ site.__proto__ }}][{{ page.tags.constructor.name }}]', post, FILE);
    expect(r).toEqual({ html: '[][][]', diagnostics: [] });
  });
});

describe('limits: a hostile post is stopped quickly with a diagnostic', () => {
  test('a huge for loop', () => {
    const start = performance.now();
    const r = makeSite().renderPost('{% for i in (1..1000000000) %}x{% endfor %}', post, FILE);
    expect(r.diagnostics).toEqual([expect.objectContaining({ severity: 'error', code: 'LIQUID_LIMIT', file: FILE.displayPath, line: 5 })]);
    expect(performance.now() - start).toBeLessThan(10_000);
  });

  test('nested loops that multiply up', () => {
    const r = makeSite({ limits: { renderMs: 300 } }).renderPost('{% for a in (1..100000) %}{% for b in (1..100000) %}{{ a }}{% endfor %}{% endfor %}', post, FILE);
    expect(r.diagnostics).toEqual([expect.objectContaining({ code: 'LIQUID_LIMIT' })]);
  });

  test('a runaway loop over a small array is stopped by the time limit', () => {
    const start = performance.now();
    const body = '{% assign a = "1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20" | split: "," %}{% for p in a %}{% for q in a %}{% for r in a %}{% for s in a %}{% for t in a %}{% for u in a %}{% for v in a %}{% endfor %}{% endfor %}{% endfor %}{% endfor %}{% endfor %}{% endfor %}{% endfor %}';
    const r = makeSite({ limits: { renderMs: 300 } }).renderPost(body, post, FILE);
    expect(r.diagnostics).toEqual([expect.objectContaining({ severity: 'error', code: 'LIQUID_LIMIT' })]);
    expect(performance.now() - start).toBeLessThan(10_000);
  });

  test('a string doubled until it exhausts memory', () => {
    const r = makeSite().renderPost('{% assign s = "xxxxxxxxxx" %}{% for i in (1..40) %}{% assign s = s | append: s %}{% endfor %}{{ s | size }}', post, FILE);
    expect(r.diagnostics).toEqual([expect.objectContaining({ code: 'LIQUID_LIMIT' })]);
  });

  test('a body over the parse limit', () => {
    const r = makeSite({ limits: { parseChars: 1000 } }).renderPost(`{{ page.title }}${'x'.repeat(1001)}`, post, FILE);
    expect(r.diagnostics).toEqual([expect.objectContaining({ code: 'LIQUID_LIMIT' })]);
  });
});

describe('laziness', () => {
  test('site.posts is not built unless a template asks for it', () => {
    let calls = 0;
    const site = makeSite({
      posts: () => {
        calls++;
        return [post];
      },
    });
    site.renderPost('{{ page.title }} {{ site.time | date: "%Y" }}', post, FILE);
    expect(calls).toBe(0);
    expect(site.renderPost('{{ site.posts.size }} {{ site.tags.size }}', post, FILE).html).toBe('1 0');
    expect(calls).toBe(1);
  });
});

test('a body without {{ or {% is returned as it is, as Jekyll skips Liquid for it', () => {
  const body = 'Plain {# not liquid #} text with { braces } and %} and }}\n';
  expect(makeSite().renderPost(body, post, FILE)).toEqual({ html: body, diagnostics: [] });
});

test('{% link %} to a page (not a post or static file) warns and gives Jekyll\'s default page URL', () => {
  mkdirSync(join(content, 'docs'), { recursive: true });
  writeFileSync(join(content, 'docs', 'guide.md'), '---\ntitle: Guide\n---\nText\n');
  writeFileSync(join(content, 'docs', 'index.html'), '---\n---\nHome\n');
  const r = makeSite({ baseurl: '/b' }).renderPost('{% link docs/guide.md %} {% link docs/index.html %}', post, FILE);
  expect(r.html).toBe('/b/docs/guide.html /b/docs/');
  expect(r.diagnostics.map((d) => [d.severity, d.code, d.file])).toEqual([
    ['warning', 'LIQUID_LINK_UNRESOLVED', FILE.displayPath],
    ['warning', 'LIQUID_LINK_UNRESOLVED', FILE.displayPath],
  ]);
});

test('an include that includes itself is stopped with a diagnostic', () => {
  writeFileSync(join(content, '_includes', 'loop.html'), 'x{% include loop.html %}');
  const start = performance.now();
  const r = makeSite().renderPost('{% include loop.html %}', post, FILE);
  expect(r.html).toBe('');
  expect(r.diagnostics).toEqual([expect.objectContaining({ severity: 'error', code: 'LIQUID_LIMIT', file: FILE.displayPath, line: 5, message: expect.stringContaining('Nesting too deep') })]);
  expect(r.diagnostics[0]?.message.length).toBeLessThan(200);
  expect(performance.now() - start).toBeLessThan(10_000);
});

test('page.next / page.previous: the newer and older post, nothing past the ends; page still prints as JSON', () => {
  const older: LiquidPage = { ...post, url: '/old.html', id: '/old', path: '_posts/2026-01-01-old.md', slug: 'old', title: 'Old', date: new Date('2026-01-01T00:00:00Z') };
  const site = makeSite({ posts: () => [post, older] });
  const body = '[{% if page.next %}has next{% else %}newest{% endif %}][{{ page.previous.title }}][{{ page.previous.url }}]';
  expect(site.renderPost(body, post, FILE).html).toBe('[newest][Old][/old.html]');
  expect(site.renderPost('[{{ page.next.title }}][{{ page.previous.title }}]', older, FILE).html).toBe('[Post][]');
  expect(JSON.parse(site.renderPost('{{ page | jsonify }}', post, FILE).html)).toMatchObject({ title: 'Post', url: post.url, slug: 'post' });
});
