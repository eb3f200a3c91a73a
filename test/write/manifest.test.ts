/**
 * The build manifest: a rebuild whose every input and output is unchanged replays the last result and
 * writes nothing; each kind of change (to a post, the post listing, the configuration, `_data`, an include,
 * an image, the output folder, the options, the build time or the code) forces a real build whose output is
 * byte for byte that of a build without the cache; a failed build leaves no manifest behind.
 */
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { deserialize, serialize } from 'node:v8';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { publish, type PublishOptions } from '../../src/build.js';
import { RACY_MS } from '../../src/write/fingerprint.js';
import { MANIFEST_FILE, replayPublish } from '../../src/write/manifest.js';
import { listFiles } from '../support/golden.js';
import { CONFIG, makeSite, post } from '../support/site.js';

const NOW = new Date('2026-05-01T00:00:00Z');
const LATER = new Date('2026-06-02T00:00:00Z');

const PLAIN: Readonly<Record<string, string | Uint8Array>> = {
  '_config.yml': `${CONFIG}feed:\n  categories: true\n  tags: true\n`,
  '_data/authors.yml': 'ann:\n  name: Ann Writer\n',
  'assets/pic.png': new Uint8Array(100).fill(7),
  '_posts/2026-01-01-one.md': post('One', '2026-01-01T10:00:00', 'categories: [news]\ntags: [alpha]\nauthor: ann\nimage: /assets/pic.png\n'),
  '_posts/2026-01-02-two.md': post('Two', '2026-01-02T10:00:00', 'categories: [sport]\ntags: [beta]\n'),
  // A missing image: a warning that a replay must report again.
  '_posts/2026-01-03-three.md': post('Three', '2026-01-03T10:00:00', 'tags: [alpha]\nimage: /assets/missing.png\n'),
  '_posts/2026-06-01-later.md': post('Later', '2026-06-01T10:00:00', 'tags: [gamma]\n'),
  '_drafts/a-draft.md': '---\ntitle: Draft\ndate: 2026-01-10\n---\n\nDraft body.\n',
};
const LIQUID: Readonly<Record<string, string | Uint8Array>> = {
  ...PLAIN,
  '_includes/note.html': '<p>Included note.</p>\n',
  '_posts/2026-01-02-two.md': post('Two', '2026-01-02T10:00:00', 'categories: [sport]\n', 'Two says: {% include note.html %}\n'),
};

const work = mkdtempSync(path.join(tmpdir(), 'feedwright-manifest-'));
const sites = new Map<string, string>();
const SCENARIOS: Readonly<Record<string, Readonly<Record<string, string | Uint8Array>>>> = {
  unchanged: PLAIN,
  unchangedLiquid: LIQUID,
  timeLiquid: { ...LIQUID, '_includes/note.html': '<p>Built in {{ site.time | date: "%Y" }}.</p>\n' },
  outInside: PLAIN,
  edited: PLAIN,
  added: PLAIN,
  removed: PLAIN,
  renamed: PLAIN,
  newFolder: PLAIN,
  drafts: PLAIN,
  config: PLAIN,
  cname: PLAIN,
  data: PLAIN,
  include: LIQUID,
  image: PLAIN,
  outputDeleted: PLAIN,
  outputEdited: PLAIN,
  stray: PLAIN,
  flags: PLAIN,
  future: PLAIN,
  code: PLAIN,
  failed: PLAIN,
  racy: PLAIN,
  oneEdit: PLAIN,
  moveEdit: PLAIN,
  splice: PLAIN,
  splicePoisoned: PLAIN,
  liquidEdit: LIQUID,
};

beforeAll(async () => {
  for (const [name, files] of Object.entries(SCENARIOS)) sites.set(name, makeSite(files));
  // Made before the wait, as a site's own `output/` folder would be: its creation changes the site folder.
  mkdirSync(path.join(sites.get('outInside') ?? '', 'output'));
  // A file changed within RACY_MS of a build is never trusted by its stat: let every site's files age first.
  await sleep(RACY_MS + 200);
}, 30_000);
afterAll(() => {
  rmSync(work, { recursive: true, force: true });
  for (const site of sites.values()) rmSync(site, { recursive: true, force: true });
});

interface Case {
  readonly site: string;
  readonly options: PublishOptions;
}

function setUp(name: string, extra: Partial<PublishOptions> = {}): Case {
  const site = sites.get(name) ?? '';
  return { site, options: { contentDir: site, outDir: path.join(work, name, 'out'), cacheDir: path.join(work, name, 'cache'), now: NOW, workers: 0, ...extra } };
}

function contents(dir: string): Map<string, string> {
  return new Map(listFiles(dir).map((f) => [f, readFileSync(path.join(dir, f), 'utf8')]));
}

function stats(dir: string): Map<string, readonly [number, number]> {
  return new Map(listFiles(dir).map((f) => [f, [statSync(path.join(dir, f)).ino, statSync(path.join(dir, f)).mtimeMs] as const]));
}

/** What a build without the cache writes for the same site and options, into a folder of its own. */
async function reference(options: PublishOptions): Promise<Map<string, string>> {
  const { cacheDir: _cacheDir, ...rest } = options;
  const outDir = mkdtempSync(path.join(work, 'reference-'));
  await publish({ ...rest, outDir });
  return contents(outDir);
}

/**
 * Builds, checks that an unchanged rebuild would replay, applies `change`, then expects a real build equal to
 * `reference` (one that writes or removes something, unless `sameOutput`).
 */
async function expectRealBuild(name: string, change: (c: Case) => void, extra: Partial<PublishOptions> = {}, sameOutput = false): Promise<void> {
  const c = setUp(name);
  await publish(c.options);
  expect(replayPublish(c.options)).toBeDefined();
  change(c);
  const options = { ...c.options, ...extra };
  expect(replayPublish(options)).toBeUndefined();
  const result = await publish(options);
  expect(result.report.written.length + result.report.removed.length > 0).toBe(!sameOutput);
  expect(contents(options.outDir)).toEqual(await reference(options));
}

describe('build manifest', () => {
  it('replays an unchanged rebuild: nothing written, the same summary and warnings', async () => {
    const { options } = setUp('unchanged');
    const first = await publish(options);
    expect(first.diagnostics.some((d) => d.severity === 'warning' && d.file?.endsWith('2026-01-03-three.md') === true)).toBe(true);
    const before = stats(options.outDir);
    expect(replayPublish(options)).toBeDefined();
    const again = await publish(options);
    expect(again.report).toEqual({ written: [], unchanged: [...first.report.written, ...first.report.unchanged].sort(), removed: [] });
    expect({ feeds: again.feeds, diagnostics: again.diagnostics, stats: again.stats, config: again.config }).toEqual({ feeds: first.feeds, diagnostics: first.diagnostics, stats: first.stats, config: first.config });
    expect(stats(options.outDir)).toEqual(before);
    expect(contents(options.outDir)).toEqual(await reference(options));
  });

  it('replays a Liquid site at another build time, unless its Liquid read the time (site.time, a date filter)', async () => {
    for (const [name, replaysLater] of [['unchangedLiquid', true], ['timeLiquid', false]] as const) {
      const { options } = setUp(name);
      await publish(options);
      expect(replayPublish(options)).toBeDefined();
      expect(replayPublish({ ...options, now: new Date(NOW.getTime() + 1000) }) !== undefined).toBe(replaysLater);
    }
  });

  it('replays with the output folder inside the site, whose folders every build writes into', async () => {
    const c = setUp('outInside');
    const options = { ...c.options, outDir: path.join(c.site, 'output') };
    await publish(options);
    expect(replayPublish(options)).toBeDefined();
    writeFileSync(path.join(options.outDir, 'categories/news/feed.json'), '{}');
    expect(replayPublish(options)).toBeUndefined();
  });

  it('rebuilds a post edited to the same size with its mtime set back (its ctime changed)', async () => {
    await expectRealBuild('edited', ({ site }) => {
      const file = path.join(site, '_posts/2026-01-02-two.md');
      const { atime, mtime, size } = statSync(file);
      writeFileSync(file, readFileSync(file, 'utf8').replace('Body text.', 'Body test.'));
      utimesSync(file, atime, mtime);
      expect(statSync(file).size).toBe(size);
    });
  });

  it('rebuilds when a post is added, removed or renamed, or a new <dir>/_posts/ folder appears', async () => {
    await expectRealBuild('added', ({ site }) => writeFileSync(path.join(site, '_posts/2026-01-04-four.md'), post('Four', '2026-01-04T10:00:00')));
    await expectRealBuild('removed', ({ site }) => rmSync(path.join(site, '_posts/2026-01-02-two.md')));
    await expectRealBuild('renamed', ({ site }) => renameSync(path.join(site, '_posts/2026-01-02-two.md'), path.join(site, '_posts/2026-01-02-deux.md')));
    await expectRealBuild('newFolder', ({ site }) => {
      mkdirSync(path.join(site, 'world/_posts'), { recursive: true });
      writeFileSync(path.join(site, 'world/_posts/2026-01-05-abroad.md'), post('Abroad', '2026-01-05T10:00:00'));
    });
  });

  it('rebuilds for drafts, other flags and overrides, and once the build time passes a future post', async () => {
    await expectRealBuild('drafts', () => undefined, { overrides: { drafts: true } });
    await expectRealBuild('flags', () => undefined, { overrides: { postsLimit: 1 } });
    await expectRealBuild('future', () => undefined, { now: LATER });
  });

  it('rebuilds when _config.yml, a _data file, an included file or an image changes, or CNAME appears', async () => {
    await expectRealBuild('config', ({ site }) => writeFileSync(path.join(site, '_config.yml'), `${readFileSync(path.join(site, '_config.yml'), 'utf8')}description: Now described\n`));
    // An input that was absent (recorded so) and now exists.
    await expectRealBuild('cname', ({ site }) => writeFileSync(path.join(site, 'CNAME'), 'news.example.net\n'), {}, true);
    await expectRealBuild('data', ({ site }) => writeFileSync(path.join(site, '_data/authors.yml'), 'ann:\n  name: Ann Renamed\n'));
    await expectRealBuild('include', ({ site }) => writeFileSync(path.join(site, '_includes/note.html'), '<p>Another note.</p>\n'));
    await expectRealBuild('image', ({ site }) => writeFileSync(path.join(site, 'assets/pic.png'), new Uint8Array(250).fill(9)));
  });

  it('rebuilds when an output file is deleted or edited by hand, or a stray feed sits in an owned folder', async () => {
    await expectRealBuild('outputDeleted', ({ options }) => rmSync(path.join(options.outDir, 'feed.json')));
    await expectRealBuild('outputEdited', ({ options }) => {
      const file = path.join(options.outDir, 'rss.xml');
      const { atime, mtime } = statSync(file);
      writeFileSync(file, readFileSync(file, 'utf8').replace('Test Site', 'Test Sits'));
      utimesSync(file, atime, mtime);
    });
    await expectRealBuild('stray', ({ options }) => {
      mkdirSync(path.join(options.outDir, 'tags/stray'), { recursive: true });
      writeFileSync(path.join(options.outDir, 'tags/stray/feed.json'), '{}');
    });
  });

  it('rebuilds when the code (or anything in the manifest key) differs', async () => {
    await expectRealBuild('code', ({ options }) => {
      const file = path.join(options.cacheDir ?? '', MANIFEST_FILE);
      const manifest = deserialize(readFileSync(file)) as Record<string, unknown>;
      writeFileSync(file, serialize({ ...manifest, key: `${String(manifest['key'])}-older-code` }));
    }, {}, true);
  });

  it('replays right after a build that read a post edited just before it: the hash of the bytes it read proves them', async () => {
    const c = setUp('racy');
    await publish(c.options);
    const file = path.join(c.site, '_posts/2026-01-02-two.md');
    writeFileSync(file, readFileSync(file, 'utf8').replace('Body text.', 'Body text, fixed.'));
    await publish(c.options);
    expect(replayPublish(c.options)).toBeDefined();
    writeFileSync(file, readFileSync(file, 'utf8').replace('fixed', 'fixes'));
    expect(replayPublish(c.options)).toBeUndefined();
    await publish(c.options);
    expect(contents(c.options.outDir)).toEqual(await reference(c.options));
  });

  it('leaves no manifest behind a failed build', async () => {
    const c = setUp('failed');
    await publish(c.options);
    const manifest = path.join(c.options.cacheDir ?? '', MANIFEST_FILE);
    expect(existsSync(manifest)).toBe(true);
    const bad = path.join(c.site, '_posts/2026-01-06-bad.md');
    writeFileSync(bad, '---\ntitle: [unclosed\n---\nBody.\n');
    await expect(publish(c.options)).rejects.toThrow();
    expect(existsSync(manifest)).toBe(false);
    rmSync(bad);
    expect(replayPublish(c.options)).toBeUndefined();
    await publish(c.options);
    expect(contents(c.options.outDir)).toEqual(await reference(c.options));
  });
});

/** Every folder of the output (its mtime moves when a build stages a file in it, even one left unchanged). */
function folderTimes(dir: string): Map<string, number> {
  const folders = new Set(listFiles(dir).map((f) => path.posix.dirname(f)));
  return new Map([...folders].map((f) => [f, statSync(path.join(dir, f)).mtimeMs]));
}

describe('build manifest: one edit', () => {
  /** Builds, edits, builds again; returns the output's file and folder stats before and after, and the second report. */
  async function editAndBuild(name: string, edit: (site: string) => void) {
    const c = setUp(name);
    await publish(c.options);
    const files = stats(c.options.outDir);
    const folders = folderTimes(c.options.outDir);
    edit(c.site);
    const result = await publish(c.options);
    expect(contents(c.options.outDir)).toEqual(await reference(c.options));
    return { files, folders, after: stats(c.options.outDir), foldersAfter: folderTimes(c.options.outDir), result, out: c.options.outDir };
  }

  it('rewrites only the feeds that carry the edited post; the others are not even staged', async () => {
    const { files, folders, after, foldersAfter, result, out } = await editAndBuild('oneEdit', (site) => {
      const file = path.join(site, '_posts/2026-01-02-two.md');
      writeFileSync(file, readFileSync(file, 'utf8').replace('Body text.', 'Body text, corrected.'));
    });
    const carrying = [...contents(out)].filter(([, text]) => text.includes('corrected')).map(([f]) => f).sort();
    // The site feed (with its jekyll-feed copy), its category's and its tag's: 3 × 3 formats + 3 Atom copies.
    expect(carrying).toEqual(['atom.xml', 'categories/sport/atom.xml', 'categories/sport/feed.json', 'categories/sport/rss.xml', 'feed.json', 'feed.xml', 'feed/by_tag/beta.xml', 'rss.xml', 'tags/beta/atom.xml', 'tags/beta/feed.json', 'tags/beta/rss.xml']);
    expect([...result.report.written].sort()).toEqual(carrying);
    for (const [file, stat] of files) if (!carrying.includes(file)) expect(after.get(file), file).toEqual(stat);
    for (const folder of ['categories/news', 'tags/alpha']) expect(foldersAfter.get(folder), folder).toBe(folders.get(folder));
  });

  it('moves a post whose edit changes its categories: both feeds are written, the rest kept', async () => {
    const { folders, foldersAfter } = await editAndBuild('moveEdit', (site) => {
      const file = path.join(site, '_posts/2026-01-01-one.md');
      writeFileSync(file, readFileSync(file, 'utf8').replace('categories: [news]', 'categories: [sport]'));
    });
    expect(foldersAfter.has('categories/news')).toBe(false);
    expect(foldersAfter.get('categories/sport')).not.toBe(folders.get('categories/sport'));
    expect(foldersAfter.get('tags/beta')).toBe(folders.get('tags/beta'));
  });

  /** The post files whose parts were rendered (and stored in the render cache) since `rendered/` was emptied. */
  function renderedEntries(cacheDir: string): number {
    return listFiles(cacheDir).filter((f) => f.includes('/rendered/')).length;
  }

  /** Edits post one (in the site feed with posts two and three, in news and alpha with no other post). */
  function editOne(site: string): void {
    const file = path.join(site, '_posts/2026-01-01-one.md');
    writeFileSync(file, readFileSync(file, 'utf8').replace('Body text.', 'Body text, corrected.'));
  }

  it('takes the items of unchanged posts from the files the last build left: only the edited post is rendered', async () => {
    const c = setUp('splice');
    await publish(c.options);
    for (const dir of listFiles(c.options.cacheDir ?? '').filter((f) => f.includes('/rendered/'))) rmSync(path.join(c.options.cacheDir ?? '', dir));
    editOne(c.site);
    const result = await publish(c.options);
    expect(result.report.written).toContain('rss.xml');
    expect(contents(c.options.outDir)).toEqual(await reference(c.options));
    // Posts two and three (in the rewritten site feed) were neither rendered nor looked up: one entry, post one's.
    expect(renderedEntries(c.options.cacheDir ?? '')).toBe(1);
    // And the next edit takes them from the files this build wrote.
    for (const dir of listFiles(c.options.cacheDir ?? '').filter((f) => f.includes('/rendered/'))) rmSync(path.join(c.options.cacheDir ?? '', dir));
    const file = path.join(c.site, '_posts/2026-01-01-one.md');
    writeFileSync(file, readFileSync(file, 'utf8').replace('corrected.', 'corrected twice.'));
    await publish(c.options);
    expect(contents(c.options.outDir)).toEqual(await reference(c.options));
    expect(renderedEntries(c.options.cacheDir ?? '')).toBe(1);
  });

  it("renders a post again when the manifest places its item wrongly (another post's, or a shifted range)", async () => {
    const c = setUp('splicePoisoned');
    await publish(c.options);
    // Every file's places: the first two swapped, the others moved by a byte.
    const manifestFile = path.join(c.options.cacheDir ?? '', MANIFEST_FILE);
    const manifest = deserialize(readFileSync(manifestFile)) as { items: [string, string, string, Float64Array][] };
    expect(manifest.items.length).toBeGreaterThan(0);
    for (const [, , , ranges] of manifest.items) {
      const swapped = ranges.length >= 4 ? [ranges[2] ?? 0, ranges[3] ?? 0, ranges[0] ?? 0, ranges[1] ?? 0] : [];
      for (let i = 0; i < ranges.length; i += 2) ranges[i] = (ranges[i] ?? 0) + 1;
      ranges.set(swapped, 0);
    }
    writeFileSync(manifestFile, serialize(manifest));
    for (const dir of listFiles(c.options.cacheDir ?? '').filter((f) => f.includes('/rendered/'))) rmSync(path.join(c.options.cacheDir ?? '', dir));
    editOne(c.site);
    await publish(c.options);
    expect(contents(c.options.outDir)).toEqual(await reference(c.options));
    // Posts one, two and three of the rewritten site feed were all rendered.
    expect(renderedEntries(c.options.cacheDir ?? '')).toBe(3);
  });

  it('writes every feed holding a post with Liquid again whenever anything changed', async () => {
    const { folders, foldersAfter } = await editAndBuild('liquidEdit', (site) => {
      const file = path.join(site, '_posts/2026-01-03-three.md');
      writeFileSync(file, readFileSync(file, 'utf8').replace('Body text.', 'Body text, corrected.'));
    });
    // Post two (Liquid, in sport) did not change, but what it includes might have: its feed is staged again.
    expect(foldersAfter.get('categories/sport')).not.toBe(folders.get('categories/sport'));
    expect(foldersAfter.get('categories/news')).toBe(folders.get('categories/news'));
  });
});
