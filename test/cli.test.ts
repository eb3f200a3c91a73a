/** The CLI in-process: exit codes (0 ok, 1 build failed, 2 usage), messages, and what lands on disk. */
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { run } from '../src/cli/index.js';
import { CONFIG, makeSite, post } from './support/site.js';

async function cli(argv: string[], cwd: string): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const code = await run(argv, { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t), cwd, now: () => new Date('2026-11-01T00:00:00Z') });
  return { code, stdout, stderr };
}

describe('feedwright CLI', () => {
  it('builds the three site feeds and says where each went and how many items it holds', async () => {
    const site = makeSite({ 'content/_config.yml': CONFIG, 'content/_posts/2026-01-02-hello.md': post('Hello', '2026-01-02T10:00:00') });
    const { code, stdout, stderr } = await cli(['build'], site);
    expect(stderr).toBe('');
    expect(code).toBe(0);
    expect(stdout).toContain('output/{rss.xml,atom.xml,feed.json}  1 item  Test Site');
    expect(stdout).toMatch(/1 posts read, 1 published, 0 skipped; 7 files/);
    for (const f of ['rss.xml', 'atom.xml', 'feed.json']) expect(existsSync(path.join(site, 'output', f))).toBe(true);
    expect(JSON.parse(readFileSync(path.join(site, 'output', 'feed.json'), 'utf8')).items[0].title).toBe('Hello');
  });

  it('honours --content and --out', async () => {
    const site = makeSite({ 'src-site/_config.yml': CONFIG, 'src-site/_posts/2026-01-02-a.md': post('A', '2026-01-02T10:00:00') });
    const { code } = await cli(['build', '--content', 'src-site', '--out', 'public/feeds'], site);
    expect(code).toBe(0);
    expect(existsSync(path.join(site, 'public', 'feeds', 'atom.xml'))).toBe(true);
  });

  it('exits 1 on an invalid post, names file, line and code, and writes nothing', async () => {
    const site = makeSite({ 'content/_config.yml': CONFIG, 'content/_posts/2026-01-02-bad.md': '---\ntitle: "ok"\ndate: [unclosed\n---\nbody\n' });
    const { code, stderr } = await cli(['build'], site);
    expect(code).toBe(1);
    expect(stderr).toMatch(/^content\/_posts\/2026-01-02-bad\.md:3:\d+ FRONT_MATTER_SYNTAX .*\(hint: /m);
    expect(stderr).toContain('nothing was written');
    expect(existsSync(path.join(site, 'output'))).toBe(false);
  });

  it('exits 2 on an unknown flag or command, with the usage', async () => {
    const cwd = mkdtempSync(path.join(tmpdir(), 'feedwright-cli-'));
    const flag = await cli(['build', '--colour'], cwd);
    expect(flag.code).toBe(2);
    expect(flag.stderr).toContain("Unknown option '--colour'");
    expect(flag.stderr).toContain('Usage: feedwright');
    expect((await cli(['publish'], cwd)).code).toBe(2);
    expect((await cli([], cwd)).code).toBe(2);
    expect((await cli(['build', '--limit', 'ten'], cwd)).code).toBe(2);
    expect((await cli(['build', '--now', 'yesterday'], cwd)).code).toBe(2);
  });

  it('prints help and version with exit 0', async () => {
    const cwd = mkdtempSync(path.join(tmpdir(), 'feedwright-cli-'));
    expect((await cli(['--help'], cwd)).stdout).toContain('Commands:');
    expect((await cli(['--version'], cwd)).stdout).toMatch(/^feedwright \d+\.\d+\.\d+\n$/);
  });

  it('leaves future posts out unless --future, and --limit caps every feed', async () => {
    const site = makeSite({
      'content/_config.yml': CONFIG,
      'content/_posts/2026-01-02-a.md': post('A', '2026-01-02T10:00:00'),
      'content/_posts/2026-01-03-b.md': post('B', '2026-01-03T10:00:00'),
      'content/_posts/2027-01-01-later.md': post('Later', '2027-01-01T10:00:00'),
    });
    await cli(['build'], site);
    const titles = (): string[] => (JSON.parse(readFileSync(path.join(site, 'output', 'feed.json'), 'utf8')) as { items: { title: string }[] }).items.map((i) => i.title);
    expect(titles()).toEqual(['B', 'A']);
    await cli(['build', '--future'], site);
    expect(titles()).toEqual(['Later', 'B', 'A']);
    await cli(['build', '--limit', '1'], site);
    expect(titles()).toEqual(['B']);
  });

  it('check validates without writing', async () => {
    const site = makeSite({ 'content/_config.yml': CONFIG, 'content/_posts/2026-01-02-a.md': post('A', '2026-01-02T10:00:00') });
    const { code, stdout } = await cli(['check'], site);
    expect(code).toBe(0);
    expect(stdout).toContain('1 posts read, 1 publishable');
    expect(existsSync(path.join(site, 'output'))).toBe(false);
  });

  it('check --output re-reads published feeds: exit 0 when they parse, 1 naming each broken file', async () => {
    const site = makeSite({ 'content/_config.yml': CONFIG, 'content/_posts/2026-01-02-a.md': post('A', '2026-01-02T10:00:00') });
    expect((await cli(['build'], site)).code).toBe(0);
    const ok = await cli(['check', '--output', 'output'], site);
    expect(ok.code).toBe(0);
    expect(ok.stdout).toContain('output: 4 feed files parse'); // rss.xml, atom.xml, feed.json and jekyll-feed's feed.xml
    const atom = path.join(site, 'output', 'atom.xml');
    writeFileSync(atom, readFileSync(atom, 'utf8').slice(0, 300));
    const rss = path.join(site, 'output', 'rss.xml');
    writeFileSync(rss, readFileSync(rss, 'utf8').replace('<title>', '<title>\u0001&nbsp;'));
    writeFileSync(path.join(site, 'output', 'feed.json'), '{"version":');
    const bad = await cli(['check', '--output', 'output'], site);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/^output\/atom\.xml:\d+:\d+ OUTPUT_INVALID is not well-formed XML/m);
    expect(bad.stderr).toMatch(/^output\/rss\.xml:\d+:\d+ OUTPUT_INVALID contains U\+0001, which XML 1\.0 forbids/m);
    expect(bad.stderr).toMatch(/^output\/feed\.json OUTPUT_INVALID is not JSON/m);
  });

  it('names a missing content folder, and warns about a site without _posts/', async () => {
    const cwd = mkdtempSync(path.join(tmpdir(), 'feedwright-cli-'));
    const missing = await cli(['build', '--content', 'nowhere'], cwd);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain("nowhere CONTENT_MISSING is not a folder (hint: pass --content DIR naming your site's folder");
    const site = makeSite({ 'content/_config.yml': CONFIG });
    const empty = await cli(['build'], site);
    expect(empty.code).toBe(0);
    expect(empty.stderr).toContain('content/_posts warning CONTENT_MISSING does not exist (nor does any <folder>/_posts/), so the feeds have no items');
    expect(JSON.parse(readFileSync(path.join(site, 'output', 'feed.json'), 'utf8')).items).toEqual([]);
  });

  it('shows a progress line for large builds on a terminal only, and never with --quiet', async () => {
    const root = mkdtempSync(path.join(tmpdir(), 'feedwright-progress-'));
    const { generate } = (await import(path.join(process.cwd(), 'bench', 'generate.mjs'))) as { generate: (dir: string, count: number) => void };
    generate(path.join(root, 'content'), 2_000);
    const withIo = async (progress: boolean, args: string[]): Promise<string> => {
      let stderr = '';
      // In-process under vitest the sources are .ts, so worker threads (which load dist/ .js) are off here.
      const code = await run(['build', '--no-cache', '--workers', '0', ...args], { stdout: () => undefined, stderr: (t) => (stderr += t), cwd: root, now: () => new Date('2026-11-01T00:00:00Z'), progress });
      expect(code).toBe(0);
      return stderr;
    };
    const tty = await withIo(true, []);
    expect(tty).toContain('scanned 2000 posts');
    expect(tty).toMatch(/rendered \d+\/\d+ items/);
    expect(tty.endsWith('\r\x1b[K')).toBe(true);
    expect(await withIo(false, [])).not.toContain('scanned');
    expect(await withIo(true, ['--quiet'])).toBe('');
  }, 120_000);

  it('check --output catches an empty file, a truncated feed and a control character, naming each file (exit 1)', async () => {
    const site = makeSite({ 'content/_config.yml': `${CONFIG}feed:\n  categories: true\n`, 'content/_posts/2026-01-02-a.md': post('A', '2026-01-02T10:00:00', 'categories: news\n') });
    expect((await cli(['build'], site)).code).toBe(0);
    const out = (rel: string): string => path.join(site, 'output', ...rel.split('/'));
    writeFileSync(out('rss.xml'), '');
    writeFileSync(out('feed.json'), '');
    const atom = readFileSync(out('atom.xml'), 'utf8');
    // Cut inside an entry, as a full disk or an interrupted copy would leave it.
    writeFileSync(out('atom.xml'), atom.slice(0, atom.indexOf('</entry>')));
    const news = readFileSync(out('categories/news/rss.xml'), 'utf8');
    writeFileSync(out('categories/news/rss.xml'), news.replace('<title>A</title>', '<title>A\u001b[31m</title>'));
    const json = readFileSync(out('categories/news/feed.json'), 'utf8');
    writeFileSync(out('categories/news/feed.json'), json.slice(0, json.length - 20));
    const bad = await cli(['check', '--output', 'output'], site);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/^output\/rss\.xml OUTPUT_INVALID is empty/m);
    expect(bad.stderr).toMatch(/^output\/feed\.json OUTPUT_INVALID is empty/m);
    expect(bad.stderr).toMatch(/^output\/atom\.xml:\d+:\d+ OUTPUT_INVALID is not well-formed XML/m);
    expect(bad.stderr).toMatch(/^output\/categories\/news\/rss\.xml:\d+:\d+ OUTPUT_INVALID contains U\+001B, which XML 1\.0 forbids/m);
    expect(bad.stderr).toMatch(/^output\/categories\/news\/feed\.json OUTPUT_INVALID is not JSON/m);
    expect(bad.stderr).not.toContain('categories/news/atom.xml');
  });

  it('still takes flags before the command, as before', async () => {
    const site = makeSite({ 'content/_config.yml': CONFIG, 'content/_posts/2026-01-02-a.md': post('A', '2026-01-02T10:00:00') });
    const { code, stdout } = await cli(['--quiet', '--out', 'public', 'build'], site);
    expect(code).toBe(0);
    expect(stdout).toBe('');
    expect(existsSync(path.join(site, 'public', 'rss.xml'))).toBe(true);
    expect((await cli(['--colour', 'build'], site)).code).toBe(2);
  });

  it('cache clean removes a build cache (keeping the ping state), and nothing that is not one', async () => {
    const site = makeSite({ 'content/_config.yml': CONFIG, 'content/_posts/2026-01-02-a.md': post('A', '2026-01-02T10:00:00') });
    expect((await cli(['build'], site)).code).toBe(0);
    const cache = path.join(site, '.feedwright-cache');
    expect(readdirSync(cache).some((n) => /^[0-9a-f]{20}$/.test(n))).toBe(true);
    writeFileSync(path.join(cache, 'ping-state.json'), '{"version":1,"feeds":{}}\n');
    const cleaned = await cli(['cache', 'clean'], site);
    expect(cleaned.code).toBe(0);
    expect(cleaned.stdout).toBe('.feedwright-cache: build cache removed (kept ping-state.json)\n');
    expect(readdirSync(cache)).toEqual(['ping-state.json']);
    expect((await cli(['cache', 'clean'], site)).code).toBe(0);
    const missing = await cli(['cache', 'clean', '--cache-dir', 'nowhere'], site);
    expect(missing).toMatchObject({ code: 0, stdout: 'nowhere: no cache to remove\n' });

    // A build with --cache-dir, then clean it away entirely (with a scan index delta, as a rebuild leaves one).
    expect((await cli(['build', '--cache-dir', 'tmp/cache'], site)).code).toBe(0);
    const [built] = readdirSync(path.join(site, 'tmp', 'cache')).filter((n) => /^[0-9a-f]{20}$/.test(n));
    writeFileSync(path.join(site, 'tmp', 'cache', built ?? 'none', 'scan-delta.idx'), 'delta');
    expect((await cli(['cache', 'clean', '--cache-dir', 'tmp/cache'], site)).code).toBe(0);
    expect(existsSync(path.join(site, 'tmp', 'cache'))).toBe(false);

    // The cache of an older feedwright (its scan index in scan.v8 up to cache format 5, scan.json in 6) is still a cache.
    mkdirSync(path.join(site, 'old-cache', '00112233445566778899', 'rendered', 'cd'), { recursive: true });
    writeFileSync(path.join(site, 'old-cache', '00112233445566778899', 'scan.v8'), 'old index');
    writeFileSync(path.join(site, 'old-cache', '00112233445566778899', 'scan.json'), 'index of format 6');
    writeFileSync(path.join(site, 'old-cache', '00112233445566778899', 'scan-delta.json'), 'delta of format 6');
    writeFileSync(path.join(site, 'old-cache', '00112233445566778899', 'rendered', 'cd', `${'c'.repeat(64)}.v8`), 'old entry');
    expect(await cli(['cache', 'clean', '--cache-dir', 'old-cache'], site)).toMatchObject({ code: 0, stdout: 'old-cache: build cache removed\n' });
    expect(existsSync(path.join(site, 'old-cache'))).toBe(false);

    // Folders that are not a feedwright cache are refused, and left exactly as they were.
    const refusals: [string, string][] = [
      ['content', 'holds _config.yml, which feedwright does not write there'],
      ['.', 'holds the working folder'],
      ['..', 'holds the working folder'],
      ['content/_config.yml', 'is not a folder'],
    ];
    mkdirSync(path.join(site, 'looks-alike', '0123456789abcdef0123', 'rendered', 'ab'), { recursive: true });
    writeFileSync(path.join(site, 'looks-alike', '0123456789abcdef0123', 'rendered', 'ab', 'thesis.docx'), 'mine');
    refusals.push(['looks-alike', 'holds 0123456789abcdef0123/rendered/ab/thesis.docx, which feedwright does not write there']);
    symlinkSync(path.join(site, 'content'), path.join(site, 'linked'));
    refusals.push(['linked', 'is a symbolic link']);
    for (const [dir, reason] of refusals) {
      const refused = await cli(['cache', 'clean', '--cache-dir', dir], site);
      expect(refused.code, dir).toBe(1);
      expect(refused.stderr, dir).toBe(`feedwright cache: not removing ${dir}: it ${reason} (hint: --cache-dir must name a feedwright build cache folder)\n`);
    }
    expect(readFileSync(path.join(site, 'looks-alike', '0123456789abcdef0123', 'rendered', 'ab', 'thesis.docx'), 'utf8')).toBe('mine');
    expect(existsSync(path.join(site, 'content', '_posts', '2026-01-02-a.md'))).toBe(true);
    expect((await cli(['cache'], site)).code).toBe(2);
    expect((await cli(['cache', 'purge'], site)).code).toBe(2);
  });
});
