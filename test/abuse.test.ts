/**
 * `feedwright build` under abuse (issue 11): hostile category and tag names, bad `--out` folders, a full
 * disk, two builds into one folder at once, and hostile post files. Each case ends in a written set that
 * stays inside `--out` or a diagnostic that names the file; never a crash, a hang or a mixed set.
 */
import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { run } from '../src/cli/index.js';
import { LOCK_FILE, lockOutput, nodeWriteIo, type WriteIo } from '../src/write/output.js';
import { CONFIG, makeSite, post } from './support/site.js';

const BIN = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'dist', 'bin.js');
const NOW = '2026-11-01T00:00:00Z';

async function cli(argv: readonly string[], cwd: string, writeIo?: WriteIo): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const code = await run([...argv], { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t), cwd, now: () => new Date(NOW), ...(writeIo === undefined ? {} : { writeIo }) });
  return { code, stdout, stderr };
}

/** Every file below `dir` (dot files too; symlinks not followed), POSIX paths, sorted. */
function treeOf(dir: string, prefix = ''): string[] {
  let entries;
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch {
    return [];
  }
  return entries.flatMap((e) => (e.isDirectory() ? treeOf(path.join(dir, e.name), `${prefix}${e.name}/`) : [`${prefix}${e.name}`])).sort();
}

/** Path → bytes (as text) of every file below `dir`. */
function snapshot(dir: string): Record<string, string> {
  return Object.fromEntries(treeOf(dir).map((f) => [f, readFileSync(path.join(dir, ...f.split('/')), 'utf8')]));
}

const NFC = '\u00e9';
const NFD = 'e\u0301';
const HOSTILE_NAMES = ['..', '.', '/', 'a/b', '', '!!!', '\u{1F600}\u{1F389}', 'News', 'news', NFC, NFD, '../../x', 'by_tag/news'];

describe('build under abuse: category and tag names', () => {
  const hostileSite = (): string => {
    const files: Record<string, string> = {
      // jekyll-feed writes feed/<category>.xml for the listed categories: list them all.
      'content/_config.yml': `${CONFIG}feed:\n  categories: ${JSON.stringify(HOSTILE_NAMES)}\n  tags: true\n`,
      'out/mine.txt': 'mine',
      'out/feed/notes.txt': 'mine',
      'out/categories/keep/notes.txt': 'mine',
      'outside/rss.xml': 'not feedwright',
      'outside/x/atom.xml': 'not feedwright',
    };
    HOSTILE_NAMES.forEach((name, i) => {
      const day = String(i + 1).padStart(2, '0');
      files[`content/_posts/2026-01-${day}-p${i}.md`] = post(`P${i}`, `2026-01-${day}T00:00:00`, `categories: [${JSON.stringify(name)}]\ntags: [${JSON.stringify(name)}]\n`);
    });
    return makeSite(files);
  };

  it('writes every feed inside --out, in distinct folders, warns about names that share one, and keeps files it did not write', async () => {
    const root = hostileSite();
    const content = snapshot(path.join(root, 'content'));
    const { code, stderr } = await cli(['build', '--out', 'out', '--no-cache'], root);
    expect(code).toBe(0);
    expect(readdirSync(root).sort()).toEqual(['content', 'out', 'outside']);
    expect(snapshot(path.join(root, 'outside'))).toEqual({ 'rss.xml': 'not feedwright', 'x/atom.xml': 'not feedwright' });
    expect(snapshot(path.join(root, 'content'))).toEqual(content);
    const out = path.join(root, 'out');
    // `..`, `.`, `/`, `!!!` and emoji have no slug: their folders are named by code point, inside categories/.
    const folders = ['a-b', 'by-tag-news', 'keep', 'news', 'x', 'x1f600-1f389', 'x21-21-21', 'x2e', 'x2e-2e', 'x2f', NFC];
    expect(readdirSync(path.join(out, 'categories')).sort()).toEqual([...folders].sort());
    expect(readdirSync(path.join(out, 'tags')).sort()).toEqual(folders.filter((f) => f !== 'keep').sort());
    for (const folder of folders.filter((f) => f !== 'keep')) expect(readdirSync(path.join(out, 'categories', folder)).sort()).toEqual(['atom.xml', 'feed.json', 'rss.xml']);
    // Case and normalization variants share one folder on purpose, and each merge is reported with the file.
    expect(stderr).toMatch(/_posts\/2026-01-08-p7\.md warning FEED_NAMES_MERGED category 'News' shares the feed categories\/news with 'news' \(they differ only in case\)/);
    expect(stderr).toContain(`FEED_NAMES_MERGED category '${NFC}' shares the feed categories/${NFC} with '${NFD}' (the same text in another Unicode normalization form)`);
    expect(stderr).toMatch(/FEED_NAMES_MERGED tag 'News' shares the feed tags\/news/);
    const news = JSON.parse(readFileSync(path.join(out, 'categories', 'news', 'feed.json'), 'utf8')) as { items: { title: string }[] };
    expect(news.items.map((i) => i.title)).toEqual(['P8', 'P7']);
    // jekyll-feed's aliases: one level below feed/ (by_tag/ for tags), no dot files, no name with a slash; a
    // merged feed's alias is named as the feed is titled (the newest post's spelling, here the NFD one).
    const aliases = treeOf(path.join(out, 'feed'));
    expect(aliases).toEqual(['by_tag/news.xml', 'news.xml', 'notes.txt', '!!!.xml', '\u{1F600}\u{1F389}.xml', `${NFD}.xml`].sort());
    expect(readFileSync(path.join(out, 'feed', 'by_tag', 'news.xml'), 'utf8')).toContain('<title type="text">Test Site | news</title>');
    expect(snapshot(out)).toMatchObject({ 'mine.txt': 'mine', 'feed/notes.txt': 'mine', 'categories/keep/notes.txt': 'mine' });
  });

  it('on a rebuild without those names, removes only the feed files it wrote', async () => {
    const root = hostileSite();
    expect((await cli(['build', '--out', 'out', '--no-cache'], root)).code).toBe(0);
    writeFileSync(path.join(root, 'content', '_config.yml'), `${CONFIG}feed:\n  categories: true\n  tags: true\n`);
    for (const name of readdirSync(path.join(root, 'content', '_posts'))) {
      writeFileSync(path.join(root, 'content', '_posts', name), post('Plain', '2026-01-01T00:00:00', 'categories: [plain]\n'));
    }
    const { code, stdout } = await cli(['build', '--out', 'out', '--no-cache'], root);
    expect(code).toBe(0);
    expect(stdout).toContain('stale removed');
    expect(treeOf(path.join(root, 'out')).filter((f) => !/^(atom\.xml|rss\.xml|feed\.json|feed\.xml|feed\.xsl|feeds\.html|_headers)$/.test(f))).toEqual([
      'categories/keep/notes.txt',
      'categories/plain/atom.xml',
      'categories/plain/feed.json',
      'categories/plain/rss.xml',
      'feed/notes.txt',
      'mine.txt',
    ]);
    expect(snapshot(path.join(root, 'outside'))).toEqual({ 'rss.xml': 'not feedwright', 'x/atom.xml': 'not feedwright' });
  });

  it('warns about merged names only for feeds that are written', async () => {
    const root = makeSite({
      'content/_config.yml': `${CONFIG}feed:\n  categories: [rust]\n  tags:\n    except: [news]\n`,
      'content/_posts/2026-01-02-a.md': post('A', '2026-01-02T00:00:00', 'categories: [News, Rust]\ntags: [News]\n'),
      'content/_posts/2026-01-03-b.md': post('B', '2026-01-03T00:00:00', 'categories: [news, rust]\ntags: [news]\n'),
    });
    const { code, stderr } = await cli(['build', '--no-cache'], root);
    expect(code).toBe(0);
    expect(stderr.match(/FEED_NAMES_MERGED/g)).toHaveLength(1);
    expect(stderr).toContain("FEED_NAMES_MERGED category 'Rust' shares the feed categories/rust with 'rust' (they differ only in case)");
  });

  it('never writes a jekyll-feed alias outside --out, whatever feed.path and feed.tags.path say', async () => {
    const root = makeSite({
      'content/_config.yml': `${CONFIG}feed:\n  path: ../../escape.xml\n  tags:\n    path: ../../tags/\n  categories: ["..", "news"]\n`,
      'content/_posts/2026-01-02-a.md': post('A', '2026-01-02T00:00:00', 'categories: ["..", news]\ntags: [rust]\n'),
    });
    const { code } = await cli(['build', '--out', 'site/out', '--no-cache'], root);
    expect(code).toBe(0);
    expect(readdirSync(root).sort()).toEqual(['content', 'site']);
    expect(readdirSync(path.join(root, 'site'))).toEqual(['out']);
    expect(treeOf(path.join(root, 'site', 'out', 'feed'))).toEqual(['news.xml']);
  });
});

describe('build under abuse: links inside --out', () => {
  it('refuses a folder in --out that is a symbolic link out of it, writing and removing nothing there', async () => {
    const root = makeSite({
      'content/_config.yml': `${CONFIG}feed:\n  tags: true\n`,
      'content/_posts/2026-01-02-a.md': post('A', '2026-01-02T00:00:00', 'tags: [rust]\n'),
      'elsewhere/old/rss.xml': 'not feedwright',
    });
    expect((await cli(['build', '--no-cache'], root)).code).toBe(0);
    const before = snapshot(path.join(root, 'output'));
    rmSync(path.join(root, 'output', 'tags'), { recursive: true });
    symlinkSync(path.join(root, 'elsewhere'), path.join(root, 'output', 'tags'));
    const { code, stderr } = await cli(['build', '--no-cache'], root);
    expect(code).toBe(1);
    expect(stderr).toMatch(/WRITE_FAILED could not write the feeds: tags in the output folder is a symbolic link; feedwright writes nothing outside the output folder/);
    expect(snapshot(path.join(root, 'elsewhere'))).toEqual({ 'old/rss.xml': 'not feedwright' });
    const kept = Object.keys(before).filter((f) => !f.startsWith('tags/'));
    expect(treeOf(path.join(root, 'output'))).toEqual([...kept, 'tags'].sort());
    for (const f of kept) expect(readFileSync(path.join(root, 'output', ...f.split('/')), 'utf8')).toBe(before[f]);
  });
});

describe('build under abuse: --out', () => {
  const site = (extraConfig = ''): string => makeSite({ 'content/_config.yml': `${CONFIG}${extraConfig}`, 'content/_posts/2026-01-02-a.md': post('A', '2026-01-02T00:00:00'), 'notes.txt': 'a file' });

  it.each([
    ['/', /--out \/ is the file system root/],
    ['content', /--out content is the content folder or holds it/],
    ['.', /--out \. is the content folder or holds it/],
    ['content/..', /is the content folder or holds it/],
    ['content/_posts/feeds', /--out content\/_posts\/feeds is inside a folder feedwright reads as input \(_posts\)/],
    ['content/news/_posts', /--out content\/news\/_posts is inside a folder feedwright reads as input \(_posts\)/],
    ['content/_data/feeds', /--out content\/_data\/feeds is inside a folder feedwright reads as input \(_data\)/],
    ['notes.txt', /--out notes\.txt names a file, not a folder/],
    ['notes.txt/feeds', /--out notes\.txt\/feeds is below .*notes\.txt, which is a file/],
  ])('refuses --out %s with exit 2 before anything is written', async (out, message) => {
    const root = site();
    const before = snapshot(root);
    const { code, stderr, stdout } = await cli(['build', '--out', out, '--no-cache'], root);
    expect(stderr).toMatch(message);
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(snapshot(root)).toEqual(before);
    expect(treeOf(root).some((f) => f.endsWith('.xml'))).toBe(false);
  });

  it('refuses a symlink that resolves to the content folder', async () => {
    const root = site();
    symlinkSync(path.join(root, 'content'), path.join(root, 'alias'));
    const { code, stderr } = await cli(['build', '--out', 'alias', '--no-cache'], root);
    expect(code).toBe(2);
    expect(stderr).toMatch(/--out alias is the content folder or holds it/);
  });

  it.each([
    ['content/_feeds', ''],
    ['content/.feeds', ''],
    ['content/feeds', 'exclude: [feeds]\n'],
  ])('accepts --out %s inside the content folder, which Jekyll does not read', async (out, extra) => {
    const root = site(extra);
    const { code, stderr } = await cli(['build', '--out', out, '--no-cache'], root);
    expect(stderr).toBe('');
    expect(code).toBe(0);
    expect(existsSync(path.join(root, ...out.split('/'), 'atom.xml'))).toBe(true);
  });

  it('builds a site from its own folder with the default --out output (issue 9: --content . just works), warning that Jekyll would copy it', async () => {
    const root = site();
    const { code, stderr } = await cli(['build', '--content', '.', '--no-cache'], path.join(root, 'content'));
    expect(code).toBe(0);
    expect(stderr).toContain('feedwright: warning: --out output is inside the site folder and not excluded, so Jekyll would also copy the feeds into _site/; add `output` to exclude');
    expect(existsSync(path.join(root, 'content', 'output', 'atom.xml'))).toBe(true);
    // The next build does not read its own output as posts.
    const again = await cli(['build', '--content', '.', '--no-cache'], path.join(root, 'content'));
    expect(again.code).toBe(0);
    expect(again.stdout).toContain('1 posts read');
  });

  it('refuses a folder it cannot write, with exit 2', async () => {
    const root = site();
    // As root, permission bits do not stop a write; /proc/sys refuses new files even to root.
    const readOnly = process.getuid?.() === 0 ? '/proc/sys' : path.join(root, 'locked');
    if (readOnly !== '/proc/sys') {
      mkdirSync(readOnly);
      chmodSync(readOnly, 0o555);
    }
    const { code, stderr } = await cli(['build', '--out', path.join(readOnly, 'feeds'), '--no-cache'], root);
    expect(stderr).toMatch(/cannot be written \(E(ACCES|ROFS|PERM) on /);
    expect(code).toBe(2);
    expect(existsSync(path.join(readOnly, 'feeds'))).toBe(false);
  });
});

describe('build under abuse: a full disk', () => {
  it.each(['append', 'close'] as const)('ENOSPC on %s leaves the previous feeds intact, no temp file and no lock', async (call) => {
    const root = makeSite({ 'content/_config.yml': `${CONFIG}feed:\n  categories: true\n`, 'content/_posts/2026-01-02-a.md': post('A', '2026-01-02T00:00:00', 'categories: [news]\n') });
    expect((await cli(['build', '--no-cache'], root)).code).toBe(0);
    writeFileSync(path.join(root, 'content', '_posts', '2026-01-03-b.md'), post('B', '2026-01-03T00:00:00', 'categories: [sport]\n', 'x'.repeat(200_000)));
    const before = snapshot(path.join(root, 'output'));
    let calls = 0;
    const noSpace = (): Error => Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });
    const full: WriteIo =
      call === 'append'
        ? { ...nodeWriteIo, append: async (temp, data) => (++calls === 3 ? Promise.reject(noSpace()) : nodeWriteIo.append(temp, data)) }
        : { ...nodeWriteIo, close: async (temp) => (++calls === 3 ? Promise.reject(noSpace()) : nodeWriteIo.close(temp)) };
    const { code, stderr } = await cli(['build', '--no-cache'], root, full);
    expect(code).toBe(1);
    expect(stderr).toMatch(/WRITE_FAILED could not write the feeds: ENOSPC/);
    expect(stderr).toContain('the previous feeds are intact');
    expect(snapshot(path.join(root, 'output'))).toEqual(before);
    expect(treeOf(path.join(root, 'output')).filter((f) => /(^|\/)\.feedwright-/.test(f))).toEqual([]);
  });
});

describe('build under abuse: two builds into one --out', () => {
  // Two sites of one shape (so their commits overlap in time), each with hundreds of feed files to replace.
  const siteOf = (letter: string): string => {
    const files: Record<string, string> = { '_config.yml': `title: Site ${letter}\nurl: https://${letter}.example\ntimezone: UTC\nfeed:\n  categories: true\n  tags: true\n  posts_limit: 5\n` };
    for (let i = 1; i <= 120; i++) {
      const day = String((i % 28) + 1).padStart(2, '0');
      files[`_posts/2026-01-${day}-${letter}${i}.md`] = post(`${letter} ${i}`, `2026-01-${day}T${String(i % 24).padStart(2, '0')}:00:00`, `categories: [${letter}${i % 7}]\ntags: [${letter}t${i}, ${letter}u${i % 13}]\n`, `Post ${i} of site ${letter}.\n`);
    }
    return makeSite(files);
  };
  const siteA = (): string => siteOf('a');
  const siteB = (): string => siteOf('b');
  const buildProcess = (content: string, out: string): Promise<{ code: number | null; stderr: string }> =>
    new Promise((resolve, reject) => {
      const child = spawn(process.execPath, [BIN, 'build', '--content', content, '--out', out, '--now', NOW, '--no-cache', '--quiet'], { cwd: path.dirname(out), stdio: ['ignore', 'ignore', 'pipe'] });
      let stderr = '';
      child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
      child.on('error', reject);
      child.on('close', (code) => resolve({ code, stderr }));
    });

  it('leaves entirely one site\'s set, never a mix, when two CLI processes build at once', async () => {
    const a = siteA();
    const b = siteB();
    const work = mkdtempSync(path.join(tmpdir(), 'feedwright-race-'));
    const reference = async (content: string, name: string): Promise<Record<string, string>> => {
      const out = path.join(work, name);
      expect((await buildProcess(content, out)).code).toBe(0);
      return snapshot(out);
    };
    const onlyA = await reference(a, 'ref-a');
    const onlyB = await reference(b, 'ref-b');
    expect(Object.keys(onlyA).some((f) => f.startsWith('categories/a'))).toBe(true);
    const out = path.join(work, 'out');
    const seen = new Set<string>();
    for (let round = 0; round < 6; round++) {
      // Alternate who starts first; the folder already holds a set from the round before.
      const [first, second] = round % 2 === 0 ? [a, b] : [b, a];
      const results = await Promise.all([buildProcess(first, out), buildProcess(second, out)]);
      for (const r of results) expect(r.stderr).toBe('');
      expect(results.map((r) => r.code)).toEqual([0, 0]);
      const now = snapshot(out);
      const which = JSON.stringify(now) === JSON.stringify(onlyA) ? 'A' : JSON.stringify(now) === JSON.stringify(onlyB) ? 'B' : 'mixed';
      if (which === 'mixed') {
        const extra = Object.keys(now).filter((f) => !(f in onlyA) && !(f in onlyB));
        expect({ round, files: Object.keys(now).length, extra }).toEqual({ round, files: -1, extra: [] });
      }
      seen.add(which);
    }
    expect([...seen].every((w) => w === 'A' || w === 'B')).toBe(true);
    expect(existsSync(path.join(out, LOCK_FILE))).toBe(false);
  }, 240_000);

  it('takes over the lock of a build that died, and names a live one after waiting a bounded time', async () => {
    const out = mkdtempSync(path.join(tmpdir(), 'feedwright-lock-'));
    const dead = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
    writeFileSync(path.join(out, LOCK_FILE), `${dead.stdout} stale-token\n`);
    const release = await lockOutput(out, { waitMs: 1_000 });
    expect(readFileSync(path.join(out, LOCK_FILE), 'utf8')).toMatch(new RegExp(`^${process.pid} `));
    // Held by a live process (this one): a second taker waits, then fails naming the holder.
    await expect(lockOutput(out, { waitMs: 300 })).rejects.toThrow(new RegExp(`WRITE_FAILED another feedwright build \\(pid ${process.pid}\\) is writing to this folder`));
    await release();
    expect(existsSync(path.join(out, LOCK_FILE))).toBe(false);
    expect(readdirSync(out)).toEqual([]);
    const again = await lockOutput(out, { waitMs: 300 });
    await again();
  });

  it('a CLI build into a folder with a stale lock succeeds and removes it', async () => {
    const root = makeSite({ 'content/_config.yml': CONFIG, 'content/_posts/2026-01-02-a.md': post('A', '2026-01-02T00:00:00') });
    const dead = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
    mkdirSync(path.join(root, 'output'));
    writeFileSync(path.join(root, 'output', LOCK_FILE), `${dead.stdout} stale-token\n`);
    writeFileSync(path.join(root, 'output', `.feedwright-${dead.stdout}-1-rss.xml.tmp`), 'left by the dead build');
    const { code } = await cli(['build', '--no-cache'], root);
    expect(code).toBe(0);
    expect(readdirSync(path.join(root, 'output')).filter((n) => n.startsWith('.'))).toEqual([]);
  });
});

describe('build under abuse: hostile posts', () => {
  const buildSite = async (files: Readonly<Record<string, string | Uint8Array>>, ...flags: string[]): Promise<{ code: number; stdout: string; stderr: string; root: string }> => {
    const root = makeSite({ 'content/_config.yml': CONFIG, ...Object.fromEntries(Object.entries(files).map(([k, v]) => [`content/${k}`, v])) });
    return { ...(await cli(['build', '--no-cache', ...flags], root)), root };
  };
  const feedItems = (root: string): { title: string; url: string; date_published: string; content_html?: string }[] =>
    (JSON.parse(readFileSync(path.join(root, 'output', 'feed.json'), 'utf8')) as { items: { title: string; url: string; date_published: string; content_html?: string }[] }).items;
  const fiftyMegabytes = (): string => `---\ntitle: Big\n---\n${`${'lorem ipsum dolor sit amet '.repeat(40)}\n\n`.repeat(Math.ceil((50 * 1024 * 1024) / 1082))}`;

  it('reports a 50 MB post as FILE_TOO_LARGE with its file', async () => {
    const { code, stderr } = await buildSite({ '_posts/2026-01-02-big.md': fiftyMegabytes() });
    expect(code).toBe(1);
    expect(stderr).toMatch(/^content\/_posts\/2026-01-02-big\.md FILE_TOO_LARGE is 5\d{7} bytes, over the 10485760-byte limit/m);
  });

  it('builds a 50 MB post when --max-post-bytes allows it', async () => {
    const { code, stderr, root } = await buildSite({ '_posts/2026-01-02-big.md': fiftyMegabytes() }, '--max-post-bytes', '60000000');
    expect(code).toBe(0);
    expect(stderr).toMatch(/rss\.xml warning FEED_LARGE/);
    expect(statSync(path.join(root, 'output', 'atom.xml')).size).toBeGreaterThan(50 * 1024 * 1024);
  }, 300_000);

  it('reports a million nested elements as HTML_TOO_DEEP with its file, quickly', async () => {
    const { code, stderr } = await buildSite({ '_posts/2026-01-02-deep.md': `---\ntitle: Deep\n---\n${'<b>'.repeat(1_000_000)}x${'</b>'.repeat(1_000_000)}\n` });
    expect(code).toBe(1);
    expect(stderr).toMatch(/^content\/_posts\/2026-01-02-deep\.md:4 HTML_TOO_DEEP its HTML nests more than 25000 elements deep/m);
  }, 120_000);

  it('builds a post with a 1 MB title, with the title whole', async () => {
    const title = 'T'.repeat(1 << 20);
    const { code, root } = await buildSite({ '_posts/2026-01-02-t.md': post(title, '2026-01-02T00:00:00') });
    expect(code).toBe(0);
    expect(feedItems(root)[0]?.title).toBe(title);
  });

  it('reports NUL bytes and lone surrogates in front matter with file and line; in the body they become U+FFFD', async () => {
    const surrogateBytes = Buffer.concat([Buffer.from('---\ntitle: "x'), Buffer.from([0xed, 0xa0, 0x80]), Buffer.from('"\n---\nbody\n')]);
    const { code, stderr } = await buildSite({
      '_posts/2026-01-02-nul.md': '---\ntitle: a\0b\n---\nbody\n',
      '_posts/2026-01-03-escaped.md': '---\ntitle: "x\\ud800y"\n---\nbody\n',
      '_posts/2026-01-04-bytes.md': surrogateBytes,
    });
    expect(code).toBe(1);
    expect(stderr).toMatch(/^content\/_posts\/2026-01-02-nul\.md:2:\d+ FRONT_MATTER_SYNTAX control character U\+0000/m);
    expect(stderr).toMatch(/^content\/_posts\/2026-01-03-escaped\.md:2:\d+ FRONT_MATTER_SYNTAX .*\\ud800/m);
    expect(stderr).toMatch(/^content\/_posts\/2026-01-04-bytes\.md:2:\d+ ENCODING_INVALID byte 0xED/m);
    const body = await buildSite({ '_posts/2026-01-02-b.md': post('B', '2026-01-02T00:00:00', '', 'one \0 two &#xD800; three\n') });
    expect(body.code).toBe(0);
    expect(body.stderr).toMatch(/^content\/_posts\/2026-01-02-b\.md:6:5 warning ENCODING_INVALID contains a NUL byte \(U\+0000\), published as U\+FFFD/m);
    expect(feedItems(body.root)[0]?.content_html).toBe('<p>one \uFFFD two \uFFFD three</p>');
    expect(readFileSync(path.join(body.root, 'output', 'rss.xml'), 'utf8')).not.toMatch(/\0|&#xD800;|&#0;/i);
  });

  it('refuses YAML tags that would make objects; reads !!js and !!python tags as Psych does (plain values), with a warning', async () => {
    const ruby = await buildSite({ '_posts/2026-01-02-r.md': '---\ntitle: !ruby/object:Foo\n  a: 1\n---\nbody\n' });
    expect(ruby.code).toBe(1);
    expect(ruby.stderr).toMatch(/^content\/_posts\/2026-01-02-r\.md:\d+:\d+ FRONT_MATTER_SYNTAX Tried to load unspecified class \(!ruby\/object:Foo\)/m);
    const other = await buildSite({ '_posts/2026-01-02-j.md': '---\ntitle: !!js/function "function () { return 1 }"\nx: !!python/object:os.system [ls]\n---\nbody\n' });
    expect(other.code).toBe(0);
    expect(feedItems(other.root)[0]?.title).toBe('function () { return 1 }');
    expect(other.stderr).toMatch(/^content\/_posts\/2026-01-02-j\.md:2:\d+ warning YAML_TAG_IGNORED tag !!js\/function is ignored/m);
    expect(other.stderr).toMatch(/^content\/_posts\/2026-01-02-j\.md:3:\d+ warning YAML_TAG_IGNORED tag !!python\/object:os\.system is ignored/m);
  });

  it('reports years a feed date cannot hold (99999, negative) with file and line, and publishes year 0001', async () => {
    const { code, stderr } = await buildSite({
      '_posts/2026-01-02-far.md': '---\ntitle: Far\ndate: 99999-01-01\n---\nbody\n',
      '_posts/2026-01-03-bc.md': '---\ntitle: BC\ndate: "-0044-03-15"\n---\nbody\n',
      '_posts/2026-01-04-neg.md': '---\ntitle: Neg\ndate: -0001-01-01\n---\nbody\n',
    });
    expect(code).toBe(1);
    expect(stderr).toMatch(/^content\/_posts\/2026-01-02-far\.md:3:7 DATE_INVALID date: year 99999 is outside 0001-9999/m);
    expect(stderr).toMatch(/^content\/_posts\/2026-01-03-bc\.md:3:7 DATE_INVALID date: year -44 is outside 0001-9999/m);
    expect(stderr).toMatch(/^content\/_posts\/2026-01-04-neg\.md:3:7 DATE_INVALID date: year -1 is outside 0001-9999/m);
    const old = await buildSite({ '_posts/2026-01-02-old.md': '---\ntitle: Old\ndate: 0001-01-01\n---\nbody\n' });
    expect(old.code).toBe(0);
    expect(readFileSync(path.join(old.root, 'output', 'rss.xml'), 'utf8')).toContain('<pubDate>Mon, 01 Jan 0001 00:00:00 +0000</pubDate>');
    expect(feedItems(old.root)[0]?.date_published).toMatch(/^0001-01-01T00:00:00/);
  });

  it('publishes posts with spaces, unicode, %, # and very long names, at valid URLs', async () => {
    const long = 'l'.repeat(230);
    const { code, stderr, root } = await buildSite({
      '_posts/2026-01-02-a b.md': post('Space', '2026-01-02T00:00:00'),
      '_posts/2026-01-03-caf\u00e9 100% #1.md': post('Odd', '2026-01-03T00:00:00'),
      [`_posts/2026-01-04-${long}.md`]: post('Long', '2026-01-04T00:00:00'),
    });
    expect(stderr).toBe('');
    expect(code).toBe(0);
    const items = feedItems(root);
    expect(items.map((i) => i.title)).toEqual(['Long', 'Odd', 'Space']);
    for (const item of items) {
      expect(item.url).toMatch(/^https:\/\/test\.example\/[A-Za-z0-9\-._~%/]+$/);
      expect(new URL(item.url).href).toBe(item.url);
    }
    // Jekyll's :title is the file name slugified in `pretty` mode: space, `%` and `#` become `-`.
    expect(items[1]?.url).toBe('https://test.example/2026/01/03/caf%C3%A9-100-1.html');
  });

  it('reports a symlink loop in _posts/ with each file, without hanging', async () => {
    const root = makeSite({ 'content/_config.yml': CONFIG, 'content/_posts/2026-01-02-ok.md': post('OK', '2026-01-02T00:00:00') });
    const posts = path.join(root, 'content', '_posts');
    symlinkSync('.', path.join(posts, 'loop'));
    symlinkSync('2026-01-04-b.md', path.join(posts, '2026-01-03-a.md'));
    symlinkSync('2026-01-03-a.md', path.join(posts, '2026-01-04-b.md'));
    const { code, stderr } = await cli(['build', '--no-cache'], root);
    expect(code).toBe(1);
    expect(stderr).toMatch(/^content\/_posts\/2026-01-03-a\.md READ_FAILED cannot be read: ELOOP/m);
    expect(stderr).toMatch(/^content\/_posts\/2026-01-04-b\.md READ_FAILED cannot be read: ELOOP/m);
    expect(stderr).toMatch(/^content\/_posts\/loop READ_FAILED is not a regular file/m);
  });

  it('reports a FIFO named like a post instead of waiting on it, and reads a folder named like a post as Jekyll does', async () => {
    const root = makeSite({
      'content/_config.yml': CONFIG,
      'content/_posts/2026-01-02-ok.md': post('OK', '2026-01-02T00:00:00'),
      'content/_posts/2026-01-03-folder.md/x': 'x',
      'content/_posts/2026-01-04-tiny.md': '-',
    });
    const mkfifo = spawnSync('mkfifo', [path.join(root, 'content', '_posts', '2026-01-05-pipe.md')]);
    expect(mkfifo.status, 'mkfifo (Debian package coreutils) must be installed').toBe(0);
    const { code, stderr } = await cli(['build', '--no-cache'], root);
    expect(code).toBe(1);
    expect(stderr).toMatch(/^content\/_posts\/2026-01-05-pipe\.md READ_FAILED is not a regular file/m);
    // The folder is a subfolder of _posts/ (Jekyll reads posts below it); its file is not named like a post.
    expect(stderr).toMatch(/^content\/_posts\/2026-01-03-folder\.md\/x warning FILENAME_INVALID/m);
    const withSkip = await cli(['build', '--no-cache', '--skip-invalid'], root);
    expect(withSkip.code).toBe(0);
    expect(feedItems(root).map((i) => i.title)).toEqual(['Tiny', 'OK']);
  });
});
