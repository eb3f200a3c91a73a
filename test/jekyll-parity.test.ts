/**
 * Parity with the reference: every golden site is built by Jekyll 4.3 + jekyll-feed 0.17 and by feedwright, and
 * each jekyll-feed Atom entry must have a feedwright entry with the same id, link, published instant, category
 * terms and author name (DESIGN.md "Input" and "Identity": a site moving from jekyll-feed shows no item twice).
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseAtomFeed } from 'feedsmith';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { build } from '../src/index.js';
import { buildWithJekyll, copySiteForParity, readFrontMatterId, type JekyllBuild, type JekyllPost } from './support/jekyll.js';
import { requireTool } from './support/tools.js';

const GOLDEN_DIR = fileURLToPath(new URL('./golden', import.meta.url));

interface GoldenCase {
  readonly name: string;
  readonly contentDir: string;
  readonly now: Date;
}

/** Golden cases Jekyll can build: every `test/golden/<case>/` with `content/`, unless `case.json` says `"jekyll": false`. */
function listJekyllCases(): GoldenCase[] {
  if (!existsSync(GOLDEN_DIR)) return [];
  return readdirSync(GOLDEN_DIR, { withFileTypes: true })
    .filter((d) => d.isDirectory() && existsSync(join(GOLDEN_DIR, d.name, 'case.json')))
    .map((d) => ({ name: d.name, meta: JSON.parse(readFileSync(join(GOLDEN_DIR, d.name, 'case.json'), 'utf8')) as { now: string; jekyll?: boolean } }))
    .filter(({ meta }) => meta.jekyll !== false)
    .map(({ name, meta }) => ({ name, contentDir: join(GOLDEN_DIR, name, 'content'), now: new Date(meta.now) }))
    .sort((a, b) => a.name.localeCompare(b.name));
}

/** The fields this test compares, read from one Atom entry. */
interface EntryFacts {
  readonly id: string | undefined;
  readonly link: string | undefined;
  readonly published: string | undefined;
  readonly terms: readonly string[];
  readonly author: string | undefined;
}

/** The part of feedsmith's parsed Atom entry this test reads. */
interface ParsedEntry {
  readonly id?: string;
  readonly links?: ReadonlyArray<{ readonly href?: string; readonly rel?: string }>;
  readonly published?: unknown;
  readonly categories?: ReadonlyArray<{ readonly term?: string }>;
  readonly authors?: ReadonlyArray<{ readonly name?: string }>;
}

/** Reads the compared fields; the alternate link is the one with `rel="alternate"` or no rel (RFC 4287 §4.2.7.2). */
function toFacts(entry: ParsedEntry): EntryFacts {
  return {
    id: entry.id?.trim(),
    link: entry.links?.find((l) => (l.rel ?? 'alternate') === 'alternate')?.href?.trim(),
    published: typeof entry.published === 'string' ? entry.published.trim() : undefined,
    terms: (entry.categories ?? []).map((c) => c.term ?? ''),
    author: entry.authors?.[0]?.name?.trim(),
  };
}

function readEntries(xml: string, who: string): EntryFacts[] {
  const feed = parseAtomFeed(xml);
  if (feed === undefined) throw new Error(`${who}: not an Atom feed`);
  return (feed.entries ?? []).map((entry) => toFacts(entry));
}

/** An RFC 3339 timestamp as epoch ms, so `+05:00` (jekyll-feed writes the site zone) and `Z` compare equal. */
function toEpochMs(value: string | undefined): number {
  return value === undefined ? Number.NaN : Date.parse(value);
}

/** Order- and duplicate-insensitive, so a term jekyll-feed writes twice (as category and tag) counts once. */
function toSortedSet(terms: readonly string[]): string[] {
  return [...new Set(terms)].sort();
}

function sameSet(a: readonly string[], b: readonly string[]): boolean {
  return JSON.stringify(toSortedSet(a)) === JSON.stringify(toSortedSet(b));
}

const show = (value: unknown): string => JSON.stringify(value);

/** Every difference between jekyll-feed's entries and feedwright's, one readable line each. */
async function compareFeeds(caseName: string, siteDir: string, jekyll: JekyllBuild, ours: readonly EntryFacts[]): Promise<string[]> {
  const problems: string[] = [];
  const expected = readEntries(jekyll.feedXml, `${caseName}: jekyll-feed`);
  const postByUrl = new Map<string, JekyllPost>(jekyll.posts.map((p) => [p.url, p]));
  const oursByLink = new Map(ours.map((e) => [e.link, e]));
  const oursById = new Map(ours.map((e) => [e.id, e]));
  const matched = new Set<EntryFacts>();

  if (expected.length === 0) problems.push(`${caseName}: jekyll-feed wrote no entries, so nothing was compared`);
  if (expected.length !== ours.length) {
    problems.push(`${caseName}: entry count: jekyll-feed ${expected.length}, feedwright ${ours.length}`);
  }

  for (const want of expected) {
    const post = want.link === undefined ? undefined : postByUrl.get(want.link);
    const label = `${caseName}/${post?.path ?? want.link ?? want.id}`;
    // DESIGN.md "Identity": a front matter `id` overrides the derived id; jekyll-feed ignores it.
    const frontMatterId = post === undefined ? undefined : await readFrontMatterId(siteDir, post.path);
    const wantId = frontMatterId ?? want.id;
    const got = oursByLink.get(want.link) ?? oursById.get(wantId);
    if (got === undefined) {
      problems.push(`${label}: missing from feedwright (jekyll-feed id ${show(want.id)}, link ${show(want.link)})`);
      continue;
    }
    matched.add(got);
    if (got.id !== wantId) {
      const why = frontMatterId === undefined ? 'jekyll-feed' : 'front matter id (jekyll-feed would write ' + show(want.id) + ')';
      problems.push(`${label}: id: ${why} ${show(wantId)}, feedwright ${show(got.id)}`);
    }
    if (got.link !== want.link) {
      problems.push(`${label}: link: jekyll-feed ${show(want.link)}, feedwright ${show(got.link)}`);
    }
    const wantMs = toEpochMs(want.published);
    const gotMs = toEpochMs(got.published);
    if (!(wantMs === gotMs)) {
      problems.push(`${label}: published: jekyll-feed ${show(want.published)} (${new Date(wantMs).toISOString()}), feedwright ${show(got.published)}${Number.isNaN(gotMs) ? '' : ` (${new Date(gotMs).toISOString()})`}`);
    }
    // jekyll-feed writes `post.category` alone when front matter has `category` (dropping `categories`, and
    // writing a list as its Ruby inspect string), else `post.categories`; then `post.tags`. Jekyll's own
    // merged categories + tags is the meaning a site author intended, so either set is accepted.
    const modelTerms = post === undefined ? want.terms : [...post.categories, ...post.tags];
    if (!sameSet(got.terms, want.terms) && !sameSet(got.terms, modelTerms)) {
      const model = sameSet(want.terms, modelTerms) ? '' : ` (Jekyll's categories+tags ${show(toSortedSet(modelTerms))})`;
      problems.push(`${label}: category terms: jekyll-feed ${show(toSortedSet(want.terms))}${model}, feedwright ${show(toSortedSet(got.terms))}`);
    }
    if (got.author !== want.author) {
      problems.push(`${label}: author name: jekyll-feed ${show(want.author)}, feedwright ${show(got.author)}`);
    }
  }

  for (const extra of ours.filter((e) => !matched.has(e))) {
    problems.push(`${caseName}: feedwright entry not in jekyll-feed: id ${show(extra.id)}, link ${show(extra.link)}`);
  }
  return problems;
}

const cases = listJekyllCases();

describe.skipIf(!requireTool('jekyll'))('parity with Jekyll 4.3 + jekyll-feed 0.17 (site Atom feed)', () => {
  let workDir = '';
  const sites = new Map<string, { readonly siteDir: string; readonly jekyll: Promise<JekyllBuild> }>();

  beforeAll(async () => {
    workDir = await mkdtemp(join(tmpdir(), 'feedwright-jekyll-parity-'));
    await Promise.all(
      cases.map(async (c) => {
        const siteDir = join(workDir, c.name, 'content');
        await copySiteForParity(c.contentDir, siteDir);
        const jekyll = buildWithJekyll(siteDir, join(workDir, c.name));
        // A failed Jekyll build fails only its own case, with Jekyll's message.
        await jekyll.catch(() => undefined);
        sites.set(c.name, { siteDir, jekyll });
      }),
    );
  }, 120_000);

  afterAll(async () => {
    if (workDir !== '') await rm(workDir, { recursive: true, force: true });
  });

  it('has golden cases to compare', () => {
    expect(cases.length, `no test/golden/<case>/case.json under ${GOLDEN_DIR}`).toBeGreaterThan(0);
  });

  for (const c of cases) {
    it(`${c.name}: every jekyll-feed entry has a feedwright entry with the same id, link, published, categories and author`, async () => {
      const site = sites.get(c.name);
      if (site === undefined) throw new Error(`${c.name}: site was not prepared`);
      const jekyll = await site.jekyll;
      const result = await build({ contentDir: site.siteDir, now: c.now });
      const atom = result.files.find((f) => f.path === 'atom.xml');
      if (atom === undefined) {
        throw new Error(`${c.name}: feedwright wrote no atom.xml; files ${show(result.files.map((f) => f.path))}; diagnostics ${show(result.diagnostics)}`);
      }
      const problems = await compareFeeds(c.name, site.siteDir, jekyll, readEntries(atom.contents, `${c.name}: feedwright atom.xml`));
      expect(problems, `${c.name}: feedwright differs from jekyll-feed (one line per difference)`).toEqual([]);
    }, 120_000);
  }
});
