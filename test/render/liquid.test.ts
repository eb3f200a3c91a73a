/**
 * Liquid parity with the real Jekyll 4.3: every post of test/render/liquid-site is rendered by `jekyll build`
 * (posts are `.html` with `layout: null`, so Jekyll writes the Liquid output alone, no Markdown, no layout) and
 * by `createLiquidSite`, and the two must be equal. The only normalization: Rouge's token `<span>`s inside
 * `{% highlight %}` are removed from Jekyll's output, since feedwright does not tokenize code.
 */
import { execFile, execFileSync } from 'node:child_process';
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { loadSiteData } from '../../src/load/data.js';
import { createLiquidSite, type LiquidPage } from '../../src/render/liquid.js';
import { readYaml } from '../../src/parse/yaml.js';

function parse(text: string): unknown {
  const read = readYaml(text);
  if (read.kind !== 'ok') throw new Error(read.problems.map((p) => p.message).join('; '));
  return read.value;
}
import { requireTool } from '../support/tools.js';

const execFileAsync = promisify(execFile);
const SITE = join(import.meta.dirname, 'liquid-site');
const hasJekyll = requireTool('jekyll');

/** A page that dumps Jekyll's own model of each post, so the test gives feedwright exactly Jekyll's page values. */
const DUMP = `---
layout: null
permalink: /posts.json
---
[{% for p in site.posts %}{"path":{{ p.relative_path | jsonify }},"url":{{ p.url | jsonify }},"id":{{ p.id | jsonify }},"date":{{ p.date | date: "%s" | jsonify }},"title":{{ p.title | jsonify }},"slug":{{ p.slug | jsonify }},"categories":{{ p.categories | jsonify }},"tags":{{ p.tags | jsonify }}}{% unless forloop.last %},{% endunless %}{% endfor %}]
`;

interface DumpedPost {
  readonly path: string;
  readonly url: string;
  readonly id: string;
  readonly date: string;
  readonly title: string;
  readonly slug: string;
  readonly categories: string[];
  readonly tags: string[];
}

/** Jekyll's front matter split (`Document::YAML_FRONT_MATTER_REGEXP`): the data, the body and its first line. */
function splitFrontMatter(text: string): { data: Record<string, unknown>; body: string; bodyLine: number } {
  const m = /^(---\s*\n[\s\S]*?\n?)^((---|\.\.\.)\s*$\n?)/m.exec(text);
  if (m === null || m.index !== 0) return { data: {}, body: text, bodyLine: 1 };
  const head = m[0];
  return { data: (parse(m[1]?.replace(/^---\s*\n/, '') ?? '') ?? {}) as Record<string, unknown>, body: text.slice(head.length), bodyLine: head.split('\n').length };
}

/** The `markdownify` the site is given in this test: Jekyll's own Markdown converter (kramdown, Jekyll's defaults). */
function jekyllMarkdown(text: string): string {
  const script = 'print Jekyll::Converters::Markdown.new(Jekyll::Utils.deep_merge_hashes(Jekyll::Configuration::DEFAULTS, {})).convert($stdin.read)';
  return execFileSync('ruby', ['-rjekyll', '-e', script], { input: text, encoding: 'utf8' });
}

/** Removes Rouge's token spans inside highlight figures (feedwright writes the code as escaped plain text). */
function withoutRougeSpans(html: string): string {
  return html.replace(/<figure class="highlight">[\s\S]*?<\/figure>/g, (figure) => figure.replace(/<span class="[^"]*">|<\/span>/g, ''));
}

describe.skipIf(!hasJekyll)('Liquid rendered as Jekyll 4.3 renders it', () => {
  let work: string;
  let posts: DumpedPost[];

  beforeAll(async () => {
    work = await mkdtemp(join(tmpdir(), 'feedwright-liquid-'));
    await cp(SITE, join(work, 'src'), { recursive: true });
    await writeFile(join(work, 'src', 'posts.json'), DUMP);
    await execFileAsync('jekyll', ['build', '--source', join(work, 'src'), '--destination', join(work, 'site'), '--disable-disk-cache', '--quiet'], {
      env: { ...process.env, LC_ALL: 'C.UTF-8', LANG: 'C.UTF-8' },
      timeout: 120_000,
    });
    posts = JSON.parse(await readFile(join(work, 'site', 'posts.json'), 'utf8')) as DumpedPost[];
  }, 180_000);

  afterAll(async () => {
    if (work !== undefined) await rm(work, { recursive: true, force: true });
  });

  test('every post renders byte for byte as Jekyll wrote it', async () => {
    const config = parse(await readFile(join(SITE, '_config.yml'), 'utf8')) as Record<string, unknown>;
    const { data, diagnostics: dataDiagnostics } = loadSiteData(SITE, { displayDir: 'liquid-site' });
    expect(dataDiagnostics).toEqual([]);
    const sources = new Map<string, { data: Record<string, unknown>; body: string; bodyLine: number }>();
    for (const p of posts) sources.set(p.path, splitFrontMatter(await readFile(join(SITE, p.path), 'utf8')));
    const pages: LiquidPage[] = posts.map((p) => ({
      url: p.url,
      date: new Date(Number(p.date) * 1000),
      id: p.id,
      path: p.path,
      slug: p.slug,
      title: p.title,
      categories: p.categories,
      tags: p.tags,
      data: sources.get(p.path)?.data ?? {},
    }));
    const site = createLiquidSite({
      contentDir: SITE,
      displayDir: 'liquid-site',
      config,
      data,
      url: String(config['url']),
      baseurl: String(config['baseurl']),
      timezone: String(config['timezone']),
      now: new Date('2026-06-01T12:00:00Z'),
      posts: () => pages,
      markdownify: jekyllMarkdown,
    });
    expect(pages.length).toBe(8);
    for (const page of pages) {
      const source = sources.get(page.path);
      if (source === undefined) throw new Error(`no source for ${page.path}`);
      const result = site.renderPost(source.body, page, { displayPath: `liquid-site/${page.path}`, bodyLine: source.bodyLine });
      expect(result.diagnostics, page.path).toEqual([]);
      const jekyllHtml = await readFile(join(work, 'site', page.url.endsWith('/') ? `${page.url}index.html` : page.url), 'utf8');
      expect(result.html, page.path).toBe(withoutRougeSpans(jekyllHtml));
    }
  });
});
