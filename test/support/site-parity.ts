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

/** The bar for articles: at least this share of a site's entries carry the same article. */
export const ARTICLE_SHARE = 0.95;

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
    const e = error as { stdout?: string; stderr?: string; code?: unknown };
    log = (e.stdout ?? '') + (e.stderr ?? '');
    // jekyll-feed is a separate Debian package from jekyll; say so when it is the missing piece.
    const hint = /jekyll-feed/.test(log) && /could not be found|cannot load/i.test(log) ? ' (install: apt-get install -y ruby-jekyll-feed)' : '';
    failure = `jekyll build failed for ${siteDir} (exit ${String(e.code)})${hint}:\n${log}`;
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
    const e = error as { stdout?: string; stderr?: string; code?: unknown };
    log = (e.stdout ?? '') + (e.stderr ?? '');
    failure = `feedwright build failed for ${siteDir} (exit ${String(e.code)}):\n${log}`;
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

/**
 * Every place two texts differ, word by word (longest common subsequence), as `-jekyll-feed +feedwright` pairs,
 * so one failure line shows every feature that is off in an article, not only the first.
 */
export function wordDifferences(a: string, b: string, limit = 8): string {
  const x = a.split(' ');
  const y = b.split(' ');
  const n = x.length;
  const m = y.length;
  // lcs[i][j]: length of the longest common subsequence of x[i..] and y[j..].
  const lcs: number[][] = Array.from({ length: n + 1 }, () => new Array<number>(m + 1).fill(0));
  for (let i = n - 1; i >= 0; i--) {
    const row = lcs[i] ?? [];
    const next = lcs[i + 1] ?? [];
    for (let j = m - 1; j >= 0; j--) row[j] = x[i] === y[j] ? (next[j + 1] ?? 0) + 1 : Math.max(next[j] ?? 0, row[j + 1] ?? 0);
  }
  const hunks: string[] = [];
  let i = 0;
  let j = 0;
  let del: string[] = [];
  let ins: string[] = [];
  const flush = (): void => {
    if (del.length > 0 || ins.length > 0) hunks.push(`-${JSON.stringify(del.join(' '))} +${JSON.stringify(ins.join(' '))}`);
    del = [];
    ins = [];
  };
  while (i < n || j < m) {
    if (i < n && j < m && x[i] === y[j]) {
      flush();
      i++;
      j++;
    } else if (j < m && (i >= n || (lcs[i]?.[j + 1] ?? 0) >= (lcs[i + 1]?.[j] ?? 0))) {
      ins.push(y[j] ?? '');
      j++;
    } else {
      del.push(x[i] ?? '');
      i++;
    }
  }
  flush();
  const shown = hunks.slice(0, limit).join(', ');
  return hunks.length > limit ? `${shown}, … ${hunks.length - limit} more` : shown;
}

/** Where jekyll-feed writes the site feed: `feed.path`, default `feed.xml` (jekyll-feed generator.rb `feed_path`). */
export async function mainFeedPath(siteDir: string): Promise<string> {
  const config: unknown = parseYaml((await readFile(join(siteDir, '_config.yml'), 'utf8')).replace(/^\uFEFF/, ''));
  const feed = (config as { feed?: { path?: unknown } } | null)?.feed;
  return (typeof feed?.path === 'string' ? feed.path : 'feed.xml').replace(/^\/+/, '');
}

/** Everything the comparison found for one site. */
export interface SiteReport {
  readonly name: string;
  readonly buildProblems: string[];
  readonly identityProblems: string[];
  readonly liquidProblems: string[];
  /** How many feedwright entries the Liquid check read (0 means it proved nothing). */
  liquidChecked: number;
  readonly articleProblems: string[];
  /** Per feedwright file compared with jekyll-feed's site feed: matched articles out of jekyll-feed's entries. */
  readonly articleFigures: { file: string; same: number; total: number }[];
  /** Over the site feed compared with atom.xml: entries whose link, id, instant and title are all the same. */
  identity: { same: number; total: number; link: number; id: number; instant: number; title: number };
  readonly feedsCompared: string[];
  readonly feedsMissing: string[];
}

const show = (value: unknown): string => JSON.stringify(value);

/**
 * Finds feedwright's entry for a jekyll-feed entry: same link, else same id, else the one entry with the same
 * title (so a wrong permalink shows as a wrong link, and the article is still compared).
 */
function findEntry(ours: readonly EntryFacts[], want: EntryFacts): EntryFacts | undefined {
  const byTitle = ours.filter((e) => e.title === want.title);
  return ours.find((e) => e.link === want.link) ?? ours.find((e) => e.id === want.id) ?? (byTitle.length === 1 ? byTitle[0] : undefined);
}

/** Compares the entries of one jekyll-feed feed with one feedwright feed: link, id, instant, title. */
function compareIdentity(label: string, expected: readonly EntryFacts[], ours: readonly EntryFacts[], report: SiteReport, count: boolean): void {
  const matched = new Set<EntryFacts>();
  for (const want of expected) {
    const got = findEntry(ours, want);
    if (count) report.identity.total++;
    if (got === undefined) {
      report.identityProblems.push(`${label}: entry ${show(want.link)} missing from feedwright (jekyll-feed id ${show(want.id)}, title ${show(want.title)})`);
      continue;
    }
    matched.add(got);
    const sameLink = got.link === want.link;
    const sameId = got.id === want.id;
    const sameInstant = Date.parse(got.published) === Date.parse(want.published) && !Number.isNaN(Date.parse(want.published));
    const sameTitle = got.title === want.title;
    if (!sameLink) report.identityProblems.push(`${label}: ${want.link}: link: feedwright ${show(got.link)}`);
    if (!sameId) report.identityProblems.push(`${label}: ${want.link}: id: jekyll-feed ${show(want.id)}, feedwright ${show(got.id)}`);
    if (!sameInstant) report.identityProblems.push(`${label}: ${want.link}: published: jekyll-feed ${show(want.published)}, feedwright ${show(got.published)}`);
    if (!sameTitle) report.identityProblems.push(`${label}: ${want.link}: title: jekyll-feed ${show(want.title)}, feedwright ${show(got.title)}`);
    if (count) {
      if (sameLink) report.identity.link++;
      if (sameId) report.identity.id++;
      if (sameInstant) report.identity.instant++;
      if (sameTitle) report.identity.title++;
      if (sameLink && sameId && sameInstant && sameTitle) report.identity.same++;
    }
  }
  for (const extra of ours.filter((e) => !matched.has(e))) {
    report.identityProblems.push(`${label}: feedwright entry not in jekyll-feed's feed: ${show(extra.link)} (id ${show(extra.id)})`);
  }
}

/** Compares the articles of jekyll-feed's site feed with one feedwright feed and records the share that match. */
function compareArticles(label: string, file: string, expected: readonly EntryFacts[], ours: readonly EntryFacts[], report: SiteReport): void {
  let same = 0;
  for (const want of expected) {
    const got = findEntry(ours, want);
    if (got === undefined) continue;
    const theirs = readArticle(want.html, want.base, 'jekyll');
    const mine = readArticle(got.html, got.base, 'feedwright', theirs.embeds);
    const problems: string[] = [];
    if (theirs.text !== mine.text) problems.push(`text: ${wordDifferences(theirs.text, mine.text)}`);
    const onlyTheirs = theirs.urls.filter((u) => !mine.urls.includes(u));
    const onlyMine = mine.urls.filter((u) => !theirs.urls.includes(u));
    if (onlyTheirs.length > 0) problems.push(`URLs only in jekyll-feed ${show(onlyTheirs)}`);
    if (onlyMine.length > 0) problems.push(`URLs only in feedwright ${show(onlyMine)}`);
    if (problems.length === 0) same++;
    else report.articleProblems.push(`${label}: ${want.link}: ${problems.join('; ')}`);
  }
  report.articleFigures.push({ file, same, total: expected.length });
}

function checkLiquid(label: string, entries: readonly EntryFacts[], report: SiteReport): void {
  for (const entry of entries) {
    report.liquidChecked++;
    const raw = findRawLiquid(entry.html);
    if (raw !== undefined) report.liquidProblems.push(`${label}: ${entry.link}: raw Liquid outside code: ${raw}`);
    if (/\{[{%]/.test(entry.title)) report.liquidProblems.push(`${label}: ${entry.link}: raw Liquid in title ${show(entry.title)}`);
  }
}

/** Compares everything jekyll-feed wrote for one site with what feedwright wrote: identity, Liquid, articles. */
export async function compareSite(name: string, siteDir: string, jekyll: SiteBuild, ours: SiteBuild): Promise<SiteReport> {
  const report: SiteReport = {
    name,
    buildProblems: [],
    identityProblems: [],
    liquidProblems: [],
    liquidChecked: 0,
    articleProblems: [],
    articleFigures: [],
    identity: { same: 0, total: 0, link: 0, id: 0, instant: 0, title: 0 },
    feedsCompared: [],
    feedsMissing: [],
  };
  if (jekyll.failure !== undefined) report.buildProblems.push(jekyll.failure);
  if (ours.failure !== undefined) report.buildProblems.push(ours.failure);
  const mainPath = await mainFeedPath(siteDir);
  const main = jekyll.feeds.get(mainPath);
  if (main === undefined) {
    report.buildProblems.push(`${name}: jekyll-feed wrote no ${mainPath}; its feeds: ${show([...jekyll.feeds.keys()])}`);
    return report;
  }
  const mainEntries = readAtomEntries(main.xml);
  if (mainEntries.length === 0) report.buildProblems.push(`${name}: jekyll-feed's ${mainPath} has no entries, so nothing was compared`);

  // jekyll-feed's site feed against feedwright's own atom.xml: the figures the summary prints come from this pair.
  const atom = ours.feeds.get('atom.xml');
  if (atom === undefined) {
    report.feedsMissing.push('atom.xml');
    report.identityProblems.push(`${name}: feedwright wrote no atom.xml; its Atom files: ${show([...ours.feeds.keys()])}`);
    report.identity.total += mainEntries.length;
    report.articleFigures.push({ file: 'atom.xml', same: 0, total: mainEntries.length });
  } else {
    const entries = readAtomEntries(atom.xml);
    compareIdentity(`${name} ${mainPath} vs atom.xml`, mainEntries, entries, report, true);
    compareArticles(`${name} atom.xml`, 'atom.xml', mainEntries, entries, report);
    checkLiquid(`${name} atom.xml`, entries, report);
  }

  // Every feed jekyll-feed wrote, against feedwright's file at the same path (subscribers keep their URLs).
  for (const [path, feed] of jekyll.feeds) {
    report.feedsCompared.push(path);
    const expected = path === mainPath ? mainEntries : readAtomEntries(feed.xml);
    const theirs = ours.feeds.get(path);
    if (theirs === undefined) {
      report.feedsMissing.push(path);
      report.identityProblems.push(`${name}: feedwright wrote no ${path} (jekyll-feed's path, ${expected.length} entries)`);
      if (path === mainPath) report.articleFigures.push({ file: path, same: 0, total: expected.length });
      continue;
    }
    const entries = readAtomEntries(theirs.xml);
    compareIdentity(`${name} ${path}`, expected, entries, report, false);
    if (path === mainPath) {
      compareArticles(`${name} ${path}`, path, mainEntries, entries, report);
      checkLiquid(`${name} ${path}`, entries, report);
    }
  }
  return report;
}

/** One line of figures per site, then the accepted differences, for the test log. */
export function summary(reports: readonly SiteReport[]): string {
  const lines = ['', 'Real-site parity with Jekyll 4.3 + jekyll-feed 0.17 (test/jekyll-sites/):'];
  for (const r of reports) {
    const id = r.identity;
    const pct = (n: number, d: number): string => (d === 0 ? 'n/a' : `${((100 * n) / d).toFixed(0)}%`);
    const articles = r.articleFigures.map((f) => `${f.file} ${f.same}/${f.total} (${pct(f.same, f.total)})`).join(', ');
    lines.push(
      `  ${r.name}: ${id.total} entries; link ${id.link}, id ${id.id}, instant ${id.instant}, title ${id.title}, all four ${id.same}/${id.total} (${pct(id.same, id.total)});` +
        ` same article: ${articles || 'n/a'}; raw Liquid in ${r.liquidProblems.length} entries;` +
        ` feeds missing ${r.feedsMissing.length}/${r.feedsCompared.length + (r.feedsMissing.includes('atom.xml') ? 1 : 0)}${r.buildProblems.length > 0 ? '; BUILD FAILED' : ''}`,
    );
  }
  lines.push('  Accepted differences (only these may differ in articles):');
  for (const d of ACCEPTED_DIFFERENCES) lines.push(`    - ${d.rule}: ${d.reason}`);
  return `${lines.join('\n')}\n`;
}

