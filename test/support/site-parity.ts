/**
 * Real-site parity (issue 9): builds a Jekyll site folder, unchanged, with the real Jekyll 4.3 + jekyll-feed 0.17
 * and with feedwright's CLI, and reads both sets of Atom feeds into comparable facts per entry.
 */
import { execFile } from 'node:child_process';
import { cp, mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { parseAtomFeed } from 'feedsmith';
import { parseFragment, type DefaultTreeAdapterMap } from 'parse5';
import { parse as parseYaml } from 'yaml';

const execFileAsync = promisify(execFile);

/** The CLI under test, as `npm run build` writes it. */
export const FEEDWRIGHT_BIN = fileURLToPath(new URL('../../dist/bin.js', import.meta.url));

/** One Atom feed file, by its path relative to the output folder (POSIX separators). */
export interface FeedFile {
  readonly path: string;
  readonly xml: string;
}

/** What one tool wrote: every Atom feed file found in its output folder, and what it printed. */
export interface SiteBuild {
  readonly outDir: string;
  readonly feeds: ReadonlyMap<string, FeedFile>;
  readonly log: string;
  /** Why the build failed (non-zero exit), or undefined when it succeeded. */
  readonly failure: string | undefined;
}

async function listFiles(dir: string): Promise<string[]> {
  if (!existsSync(dir)) return [];
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries.filter((e) => e.isFile()).map((e) => relative(dir, join(e.parentPath, e.name)).split(sep).join('/'));
}

/** Every `.xml` file under `outDir` whose root element is an Atom `<feed>`. */
async function readAtomFiles(outDir: string): Promise<Map<string, FeedFile>> {
  const feeds = new Map<string, FeedFile>();
  for (const path of (await listFiles(outDir)).filter((p) => p.endsWith('.xml')).sort()) {
    const xml = await readFile(join(outDir, path), 'utf8');
    if (/<feed\b[^>]*xmlns="http:\/\/www\.w3\.org\/2005\/Atom"/.test(xml)) feeds.set(path, { path, xml });
  }
  return feeds;
}

/**
 * Extra Jekyll configuration the reference build needs that the site itself does not carry. GitHub Pages runs
 * jekyll-github-metadata, which sets `site.url` from the `CNAME` file when `_config.yml` has no `url`; Debian's
 * Jekyll has no such plugin, so the test supplies the same `url` (feedwright reads `CNAME` itself).
 */
export async function githubPagesConfig(siteDir: string): Promise<Record<string, string>> {
  const config: unknown = parseYaml((await readFile(join(siteDir, '_config.yml'), 'utf8')).replace(/^\uFEFF/, ''));
  const url = config !== null && typeof config === 'object' && 'url' in config ? (config as { url: unknown }).url : undefined;
  const cnamePath = join(siteDir, 'CNAME');
  if ((typeof url === 'string' && url !== '') || !existsSync(cnamePath)) return {};
  const host = (await readFile(cnamePath, 'utf8')).trim().split(/\s+/)[0] ?? '';
  return host === '' ? {} : { url: `https://${host}` };
}

/** Runs `jekyll build` on a copy of `siteDir` (so the fixture stays untouched) and reads every Atom feed it wrote. */
export async function buildSiteWithJekyll(siteDir: string, workDir: string): Promise<SiteBuild> {
  const source = join(workDir, 'jekyll-source');
  const outDir = join(workDir, 'jekyll-site');
  await mkdir(workDir, { recursive: true });
  await cp(siteDir, source, { recursive: true });
  const configs = [join(source, '_config.yml')];
  const extra = await githubPagesConfig(siteDir);
  if (Object.keys(extra).length > 0) {
    const extraPath = join(workDir, 'github-pages.yml');
    await writeFile(extraPath, Object.entries(extra).map(([k, v]) => `${k}: ${JSON.stringify(v)}\n`).join(''));
    configs.push(extraPath);
  }
  let log = '';
  let failure: string | undefined;
  try {
    // Not --safe: the sites' own `_plugins/` run, as they do for the site's author.
    const result = await execFileAsync(
      'jekyll',
      ['build', '--source', source, '--destination', outDir, '--config', configs.join(','), '--disable-disk-cache'],
      { env: { ...process.env, LC_ALL: 'C.UTF-8', LANG: 'C.UTF-8', JEKYLL_ENV: 'production' }, timeout: 120_000, maxBuffer: 16 * 1024 * 1024 },
    );
    log = result.stdout + result.stderr;
  } catch (error) {
    const e = error as { stdout?: string; stderr?: string; message: string };
    log = (e.stdout ?? '') + (e.stderr ?? '');
    failure = `jekyll build failed for ${siteDir}: ${e.message}`;
  }
  return { outDir, feeds: await readAtomFiles(outDir), log, failure };
}

/** Runs `node dist/bin.js build --content COPY --out OUT --now NOW` on a copy of `siteDir` and reads its Atom feeds. */
export async function buildSiteWithFeedwright(siteDir: string, workDir: string, now: string): Promise<SiteBuild> {
  const content = join(workDir, 'feedwright-source');
  const outDir = join(workDir, 'feedwright-out');
  await mkdir(workDir, { recursive: true });
  await cp(siteDir, content, { recursive: true });
  let log = '';
  let failure: string | undefined;
  try {
    const result = await execFileAsync(process.execPath, [FEEDWRIGHT_BIN, 'build', '--content', content, '--out', outDir, '--now', now], {
      env: { ...process.env, LC_ALL: 'C.UTF-8', LANG: 'C.UTF-8' },
      timeout: 120_000,
      maxBuffer: 16 * 1024 * 1024,
    });
    log = result.stdout + result.stderr;
  } catch (error) {
    const e = error as { stdout?: string; stderr?: string; message: string };
    log = (e.stdout ?? '') + (e.stderr ?? '');
    failure = `feedwright build failed for ${siteDir}: ${e.message}`;
  }
  return { outDir, feeds: await readAtomFiles(outDir), log, failure };
}

/** The facts compared for one Atom entry; `html` is the entry's content with URLs not yet resolved. */
export interface EntryFacts {
  readonly id: string;
  readonly link: string;
  readonly published: string;
  readonly title: string;
  /** The base relative URLs in `html` resolve against: the content's `xml:base`, else the entry's link. */
  readonly base: string;
  readonly html: string;
}

interface ParsedText {
  readonly value?: string;
  readonly type?: string;
}

/** The displayed text of an Atom text construct (RFC 4287 §3.1): `type="html"` is HTML to be parsed once more. */
function textOf(construct: ParsedText | string | undefined): string {
  if (construct === undefined) return '';
  if (typeof construct === 'string') return construct.trim();
  const value = construct.value ?? '';
  return (construct.type === 'html' || construct.type === 'xhtml' ? htmlText(value) : value).replace(/\s+/g, ' ').trim();
}

/** Reads every entry of an Atom document. */
export function readAtomEntries(xml: string): EntryFacts[] {
  const feed = parseAtomFeed(xml);
  return (feed.entries ?? []).map((entry) => {
    const link = entry.links?.find((l) => (l.rel ?? 'alternate') === 'alternate')?.href?.trim() ?? '';
    const content = entry.content as (ParsedText & { xml?: { base?: string } }) | undefined;
    return {
      id: entry.id?.trim() ?? '',
      link,
      published: typeof entry.published === 'string' ? entry.published.trim() : '',
      title: textOf(entry.title as ParsedText | string | undefined),
      base: content?.xml?.base ?? link,
      html: content?.value ?? '',
    };
  });
}

type Node = DefaultTreeAdapterMap['childNode'];
type Element = DefaultTreeAdapterMap['element'];

function isElement(node: Node): node is Element {
  return 'tagName' in node;
}

function attr(el: Element, name: string): string | undefined {
  return el.attrs.find((a) => a.name === name)?.value;
}

/** Elements that break the text flow, so `<p>a</p><p>b</p>` reads "a b" whatever whitespace sits between them. */
const BLOCK = new Set([
  'address', 'article', 'aside', 'audio', 'blockquote', 'br', 'caption', 'dd', 'details', 'div', 'dl', 'dt', 'figcaption',
  'figure', 'footer', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'header', 'hr', 'iframe', 'img', 'li', 'nav', 'ol', 'p', 'pre',
  'section', 'source', 'summary', 'table', 'tbody', 'td', 'tfoot', 'th', 'thead', 'tr', 'ul', 'video',
]);

/**
 * The only differences between jekyll-feed's article and feedwright's that the suite accepts, each with its reason.
 * Each rule removes, before comparing, what one side may lawfully have and the other not.
 */
export const ACCEPTED_DIFFERENCES: readonly { readonly rule: string; readonly reason: string }[] = [
  {
    rule: 'jekyll-feed side: <script>, <style>, <noscript>, <template>, <object>, <embed>, <form>, <button>, <select>, <textarea> removed with their content',
    reason: 'feedwright sanitizes articles for feed readers (DESIGN.md "Content"): active content is dropped, and readers would not run it anyway',
  },
  {
    rule: 'jekyll-feed side: <iframe> removed; feedwright side: an <a> whose href is that iframe\'s src (or the YouTube watch page of a youtube(-nocookie).com/embed/ID src) removed with its text',
    reason: 'readers do not load iframes; feedwright drops them or offers a plain link to what they embedded (YouTube iframes on jekyll-feed\'s side come from raw HTML and from the _plugins/youtube.rb tag of field-notes)',
  },
  {
    rule: 'site plugin tags from the site\'s own _plugins/ (field-notes: {% youtube ID %}): their output is not expected from feedwright',
    reason: 'feedwright runs no Ruby; it leaves an unknown tag out with a warning. The youtube tag renders an iframe, so the iframe rule above covers its output',
  },
];

const DROPPED_ON_JEKYLL_SIDE = new Set(['script', 'style', 'noscript', 'template', 'object', 'embed', 'form', 'button', 'select', 'textarea', 'iframe']);

function parseHtml(html: string): Node[] {
  return parseFragment(html).childNodes;
}

function htmlText(html: string): string {
  const parts: string[] = [];
  walkText(parseHtml(html), parts, () => false);
  return parts.join('');
}

function walkText(nodes: readonly Node[], out: string[], skip: (el: Element) => boolean): void {
  for (const node of nodes) {
    if (node.nodeName === '#text' && 'value' in node) out.push(node.value);
    else if (isElement(node)) {
      if (skip(node)) continue;
      const block = BLOCK.has(node.tagName);
      if (block) out.push(' ');
      walkText(node.tagName === 'template' ? [] : node.childNodes, out, skip);
      if (block) out.push(' ');
    }
  }
}

/** The address of the thing an embed URL shows, for the YouTube forms a sanitizer may turn an iframe into. */
function embedAliases(src: string): string[] {
  const out = [src];
  const m = /^https?:\/\/(?:www\.)?youtube(?:-nocookie)?\.com\/embed\/([\w-]+)/.exec(src);
  if (m?.[1] !== undefined) {
    out.push(`https://www.youtube.com/watch?v=${m[1]}`, `https://youtu.be/${m[1]}`, `https://www.youtube.com/embed/${m[1]}`, `https://www.youtube-nocookie.com/embed/${m[1]}`);
  }
  return out;
}

function resolve(url: string, base: string): string | undefined {
  try {
    return new URL(url.trim(), base).href;
  } catch {
    return undefined;
  }
}

/** The compared view of one article: its text and its absolute link, image and media URLs. */
export interface Article {
  readonly text: string;
  readonly urls: readonly string[];
  /** iframe sources (absolute), so the other side's link to one is accepted. */
  readonly embeds: readonly string[];
}

/**
 * Reads an article for comparison. `side` selects which accepted differences apply; `acceptedLinks` (from the
 * jekyll-feed side's `embeds`) are links feedwright may add in place of an iframe.
 */
export function readArticle(html: string, base: string, side: 'jekyll' | 'feedwright', acceptedLinks: readonly string[] = []): Article {
  const nodes = parseHtml(html);
  const urls = new Set<string>();
  const embeds: string[] = [];
  const accepted = new Set(acceptedLinks.flatMap(embedAliases));
  const skip = (el: Element): boolean => {
    if (side === 'jekyll' && DROPPED_ON_JEKYLL_SIDE.has(el.tagName)) return true;
    if (side === 'feedwright' && el.tagName === 'a') {
      const href = attr(el, 'href');
      const abs = href === undefined ? undefined : resolve(href, base);
      if (abs !== undefined && accepted.has(abs)) return true;
    }
    return false;
  };
  const collect = (list: readonly Node[]): void => {
    for (const node of list) {
      if (!isElement(node)) continue;
      if (node.tagName === 'iframe') {
        const src = attr(node, 'src');
        const abs = src === undefined ? undefined : resolve(src, base);
        if (abs !== undefined) embeds.push(abs);
      }
      if (skip(node)) continue;
      const names = node.tagName === 'a' ? ['href'] : node.tagName === 'img' ? ['src'] : node.tagName === 'video' ? ['src', 'poster'] : node.tagName === 'audio' || node.tagName === 'source' ? ['src'] : [];
      for (const name of names) {
        const value = attr(node, name);
        const abs = value === undefined || value === '' ? undefined : resolve(value, base);
        if (abs !== undefined) urls.add(abs);
      }
      collect(node.tagName === 'template' ? [] : node.childNodes);
    }
  };
  collect(nodes);
  const parts: string[] = [];
  walkText(nodes, parts, skip);
  return { text: parts.join('').replace(/\s+/g, ' ').trim(), urls: [...urls].sort(), embeds };
}

/** Liquid markup left in an article outside `<pre>`/`<code>` (text or attribute values), or undefined when none. */
export function findRawLiquid(html: string): string | undefined {
  const found: string[] = [];
  const visit = (list: readonly Node[]): void => {
    for (const node of list) {
      if (node.nodeName === '#text' && 'value' in node) {
        const m = /\{[{%][^]{0,60}/.exec(node.value);
        if (m !== null) found.push(m[0]);
      } else if (isElement(node)) {
        if (node.tagName === 'pre' || node.tagName === 'code') continue;
        for (const a of node.attrs) if (/\{[{%]/.test(a.value)) found.push(`${node.tagName} ${a.name}="${a.value}"`);
        visit(node.childNodes);
      }
    }
  };
  visit(parseHtml(html));
  return found.length === 0 ? undefined : found.join(' | ');
}

/** The first place two strings differ, with a little context on each side, for a readable failure line. */
export function firstDifference(a: string, b: string): string {
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  const from = Math.max(0, i - 30);
  return `at ${i}: jekyll-feed …${JSON.stringify(a.slice(from, i + 50))}… feedwright …${JSON.stringify(b.slice(from, i + 50))}…`;
}
