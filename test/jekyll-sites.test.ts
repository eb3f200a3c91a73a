/**
 * Real-site parity (issue 9): each site under `test/jekyll-sites/` is a small Jekyll site written the way real ones
 * are. The real Jekyll 4.3 + jekyll-feed 0.17 and feedwright's CLI (`build --content SITE`) build it unchanged,
 * and every entry jekyll-feed publishes, in every feed it writes (`feed.xml`, `feed/<category>.xml`,
 * `feed/by_tag/<tag>.xml`), must come out of feedwright at the same path, and in its own `atom.xml`, with the same
 * link, id, published instant and title; no entry may carry raw Liquid outside code; and at least 95% of entries
 * per site must carry the same article (text without tags, entities decoded, whitespace folded; same set of
 * absolute link, image and media URLs), apart from the differences in `ACCEPTED_DIFFERENCES`, each with its reason.
 */
import { existsSync, readdirSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import {
  ACCEPTED_DIFFERENCES,
  buildSiteWithFeedwright,
  buildSiteWithJekyll,
  FEEDWRIGHT_BIN,
  findRawLiquid,
  firstDifference,
  readArticle,
  readAtomEntries,
  type EntryFacts,
  type SiteBuild,
} from './support/site-parity.js';
import { requireTool } from './support/tools.js';

const SITES_DIR = fileURLToPath(new URL('./jekyll-sites/', import.meta.url));
/** feedwright's build clock; every post in the sites is older, and Jekyll (which has no such flag) builds with real time. */
const NOW = '2026-06-01T00:00:00Z';
/** The bar for articles: at least this share of a site's entries carry the same article. */
const ARTICLE_SHARE = 0.95;

const siteNames = existsSync(SITES_DIR)
  ? readdirSync(SITES_DIR, { withFileTypes: true })
      .filter((d) => d.isDirectory() && existsSync(join(SITES_DIR, d.name, '_config.yml')))
      .map((d) => d.name)
      .sort()
  : [];

/** Where jekyll-feed writes the site feed: `feed.path`, default `feed.xml` (jekyll-feed generator.rb `feed_path`). */
async function mainFeedPath(siteDir: string): Promise<string> {
  const config: unknown = parseYaml((await readFile(join(siteDir, '_config.yml'), 'utf8')).replace(/^\uFEFF/, ''));
  const feed = (config as { feed?: { path?: unknown } } | null)?.feed;
  return (typeof feed?.path === 'string' ? feed.path : 'feed.xml').replace(/^\/+/, '');
}

/** Everything the comparison found for one site. */
interface SiteReport {
  readonly name: string;
  readonly buildProblems: string[];
  readonly identityProblems: string[];
  readonly liquidProblems: string[];
  readonly articleProblems: string[];
  /** Per feedwright file compared with jekyll-feed's site feed: matched articles out of jekyll-feed's entries. */
  readonly articleFigures: { file: string; same: number; total: number }[];
  /** Over the site feed compared with atom.xml: entries whose link, id, instant and title are all the same. */
  identity: { same: number; total: number; link: number; id: number; instant: number; title: number };
  readonly feedsCompared: string[];
  readonly feedsMissing: string[];
}

const show = (value: unknown): string => JSON.stringify(value);

/** Finds feedwright's entry for a jekyll-feed entry: same link, else same id. */
function findEntry(ours: readonly EntryFacts[], want: EntryFacts): EntryFacts | undefined {
  return ours.find((e) => e.link === want.link) ?? ours.find((e) => e.id === want.id);
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
    if (theirs.text !== mine.text) problems.push(`text differs ${firstDifference(theirs.text, mine.text)}`);
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
    const raw = findRawLiquid(entry.html);
    if (raw !== undefined) report.liquidProblems.push(`${label}: ${entry.link}: raw Liquid outside code: ${raw}`);
    if (/\{[{%]/.test(entry.title)) report.liquidProblems.push(`${label}: ${entry.link}: raw Liquid in title ${show(entry.title)}`);
  }
}

async function compareSite(name: string, siteDir: string, jekyll: SiteBuild, ours: SiteBuild): Promise<SiteReport> {
  const report: SiteReport = {
    name,
    buildProblems: [],
    identityProblems: [],
    liquidProblems: [],
    articleProblems: [],
    articleFigures: [],
    identity: { same: 0, total: 0, link: 0, id: 0, instant: 0, title: 0 },
    feedsCompared: [],
    feedsMissing: [],
  };
  if (jekyll.failure !== undefined) report.buildProblems.push(`${jekyll.failure}\n${jekyll.log}`);
  if (ours.failure !== undefined) report.buildProblems.push(`${ours.failure}\n${ours.log}`);
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

function summary(reports: readonly SiteReport[]): string {
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

describe.skipIf(!requireTool('jekyll'))('real-site parity with Jekyll 4.3 + jekyll-feed 0.17 (test/jekyll-sites/)', () => {
  let workDir = '';
  const reports = new Map<string, SiteReport>();

  beforeAll(async () => {
    if (!existsSync(FEEDWRIGHT_BIN)) throw new Error(`${FEEDWRIGHT_BIN} is missing: run \`npm run build\` first`);
    workDir = await mkdtemp(join(tmpdir(), 'feedwright-jekyll-sites-'));
    // One site at a time: the machine has two cores, and each site runs two tools.
    for (const name of siteNames) {
      const siteDir = join(SITES_DIR, name);
      const [jekyll, ours] = await Promise.all([
        buildSiteWithJekyll(siteDir, join(workDir, name, 'jekyll')),
        buildSiteWithFeedwright(siteDir, join(workDir, name, 'feedwright'), NOW),
      ]);
      reports.set(name, await compareSite(name, siteDir, jekyll, ours));
    }
    process.stdout.write(summary([...reports.values()]));
  }, 600_000);

  afterAll(async () => {
    if (workDir !== '') await rm(workDir, { recursive: true, force: true });
  });

  const reportFor = (name: string): SiteReport => {
    const report = reports.get(name);
    if (report === undefined) throw new Error(`${name}: site was not compared`);
    return report;
  };

  it('has sites to compare', () => {
    expect(siteNames.length, `no site folders with _config.yml under ${SITES_DIR}`).toBeGreaterThanOrEqual(4);
  });

  for (const name of siteNames) {
    it(`${name}: Jekyll and feedwright both build the site folder unchanged`, () => {
      expect(reportFor(name).buildProblems).toEqual([]);
    });

    it(`${name}: every jekyll-feed entry, in every jekyll-feed feed, has a feedwright entry at the same path and in atom.xml with the same link, id, published instant and title`, () => {
      expect(reportFor(name).identityProblems, `${name}: one line per difference`).toEqual([]);
    });

    it(`${name}: no feedwright entry carries raw Liquid outside code`, () => {
      expect(reportFor(name).liquidProblems).toEqual([]);
    });

    it(`${name}: at least ${ARTICLE_SHARE * 100}% of entries carry the same article (text, link/image/media URLs)`, () => {
      const report = reportFor(name);
      const short = report.articleFigures.filter((f) => f.total === 0 || f.same / f.total < ARTICLE_SHARE);
      expect(short.length === 0 ? [] : [...short.map((f) => `${f.file}: ${f.same}/${f.total}`), ...report.articleProblems], `${name}: articles below ${ARTICLE_SHARE * 100}%`).toEqual([]);
    });
  }
});
