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
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkAtom, checkAtomSchema, checkJsonFeed, checkJsonFeedSchema, checkRss, checkWellFormed, crossCheck, findFeedDirs, readTrio } from './support/conformance.js';
import { ARTICLE_SHARE, buildSiteWithFeedwright, buildSiteWithJekyll, compareSite, FEEDWRIGHT_BIN, mainFeedPath, summary, type SiteReport } from './support/site-parity.js';
import { requireTool } from './support/tools.js';

const SITES_DIR = fileURLToPath(new URL('./jekyll-sites/', import.meta.url));
const ARTIFACTS_DIR = fileURLToPath(new URL('./artifacts/', import.meta.url));
/** feedwright's build clock; every post in the sites is older, and Jekyll (which has no such flag) builds with real time. */
const NOW = '2026-06-01T00:00:00Z';

const siteNames = existsSync(SITES_DIR)
  ? readdirSync(SITES_DIR, { withFileTypes: true })
      .filter((d) => d.isDirectory() && existsSync(join(SITES_DIR, d.name, '_config.yml')))
      .map((d) => d.name)
      .sort()
  : [];

describe.skipIf(!requireTool('jekyll'))('real-site parity with Jekyll 4.3 + jekyll-feed 0.17 (test/jekyll-sites/)', () => {
  let workDir = '';
  const reports = new Map<string, SiteReport>();
  /** Where feedwright wrote each site's feeds, for the conformance checks. */
  const outputs = new Map<string, string>();
  /** jekyll-feed's output compared with itself (also as `atom.xml`): proves the comparison reports no false difference. */
  const selfReports = new Map<string, SiteReport>();

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
      outputs.set(name, ours.outDir);
      const main = jekyll.feeds.get(await mainFeedPath(siteDir));
      const asOurs = new Map(jekyll.feeds);
      if (main !== undefined) asOurs.set('atom.xml', { path: 'atom.xml', xml: main.xml });
      selfReports.set(name, await compareSite(name, siteDir, jekyll, { ...jekyll, feeds: asOurs }));
    }
    const text = summary([...reports.values()]);
    process.stdout.write(text);
    // Every difference, one line each, beside vitest's JSON report: the list to work through, feature by feature.
    const details = [...reports.values()].flatMap((r) => [`== ${r.name}`, ...r.buildProblems, ...r.identityProblems, ...r.liquidProblems, ...r.articleProblems]);
    await mkdir(ARTIFACTS_DIR, { recursive: true });
    await writeFile(join(ARTIFACTS_DIR, 'jekyll-sites.txt'), `${text}\n${details.join('\n')}\n`);
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
    it(`${name}: the comparison finds jekyll-feed's feeds identical to themselves (no false differences)`, () => {
      const self = selfReports.get(name);
      expect(self === undefined ? ['not compared'] : [...self.buildProblems, ...self.identityProblems, ...self.liquidProblems, ...self.articleProblems]).toEqual([]);
      expect(self?.articleFigures.every((f) => f.total > 0 && f.same === f.total)).toBe(true);
    });

    it(`${name}: Jekyll and feedwright both build the site folder unchanged`, () => {
      expect(reportFor(name).buildProblems).toEqual([]);
    });

    it(`${name}: every jekyll-feed entry, in every jekyll-feed feed, has a feedwright entry at the same path and in atom.xml with the same link, id, published instant and title`, () => {
      expect(reportFor(name).identityProblems, `${name}: one line per difference`).toEqual([]);
    });

    it(`${name}: no feedwright entry carries raw Liquid outside code`, () => {
      const report = reportFor(name);
      expect(report.liquidChecked, `${name}: feedwright published no entries, so there was nothing to check`).toBeGreaterThan(0);
      expect(report.liquidProblems).toEqual([]);
    });

    // Issue 11: the W3C validator's rules (as test/support/conformance.ts encodes them), xmllint, jing with
    // RFC 4287's schema, the JSON Feed schema and cross-format agreement hold on real sites' feeds too.
    it(`${name}: every feed trio feedwright wrote passes the conformance checks`, () => {
      const outDir = outputs.get(name);
      expect(outDir, `${name}: not built`).toBeDefined();
      const problems: string[] = [];
      const dirs = findFeedDirs(outDir ?? '');
      expect(dirs.length).toBeGreaterThan(0);
      for (const dir of dirs) {
        const trio = readTrio(dir);
        const at = (list: string[]): string[] => list.map((p) => `${dir.slice((outDir ?? '').length) || '/'}: ${p}`);
        problems.push(
          ...at(checkWellFormed(trio.rss, 'rss.xml')),
          ...at(checkWellFormed(trio.atom, 'atom.xml')),
          ...at(checkAtomSchema(trio.atom)),
          ...at(checkJsonFeedSchema(trio.json)),
          ...at(checkRss(trio.rss, { tools: false })),
          ...at(checkAtom(trio.atom, { tools: false })),
          ...at(checkJsonFeed(trio.json)),
          ...at(crossCheck(trio)),
        );
      }
      expect(problems, `${name}: conformance problems`).toEqual([]);
    }, 120_000);

    it(`${name}: at least ${ARTICLE_SHARE * 100}% of entries carry the same article (text, link/image/media URLs)`, () => {
      const report = reportFor(name);
      const short = report.articleFigures.filter((f) => f.total === 0 || f.same / f.total < ARTICLE_SHARE);
      expect(short.length === 0 ? [] : [...short.map((f) => `${f.file}: ${f.same}/${f.total}`), ...report.articleProblems], `${name}: articles below ${ARTICLE_SHARE * 100}%`).toEqual([]);
    });
  }
});
