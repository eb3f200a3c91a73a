/** The load and parse stages on the repository's own content: every post file listed in path order, each parses. */
import { mkdirSync, realpathSync, statfsSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { dropEarly, listEarly, listFolder } from '../../src/load/prefetch.js';
import { isPlainRelative, listPosts, loadSite, mayHaveSubfolders, toExcludeTest, toExcludeTests } from '../../src/load/site.js';
import { CONFIG, makeSite } from '../support/site.js';
import { parsePosts } from '../../src/parse/posts.js';

const CONTENT = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', '..', 'content');

describe('loadSite', () => {
  it('lists every post under _posts/ in path order, and each parses without a diagnostic', async () => {
    const site = await loadSite(CONTENT, 'content');
    expect(site.diagnostics).toEqual([]);
    expect(site.files.length).toBeGreaterThanOrEqual(8);
    expect(site.files.map((f) => f.rel)).toEqual([...site.files.map((f) => f.rel)].sort());
    expect(site.config.home).toBe('https://news.example.org/');
    const parsed = await parsePosts(site, { maxFileBytes: 1 << 20, skipInvalid: false });
    expect(parsed.diagnostics).toEqual([]);
    expect(parsed.posts.map((p) => p.sourcePath)).toEqual(site.files.map((f) => f.rel));
    for (const post of parsed.posts) expect(post.displayPath).toBe(`content/${post.sourcePath}`);
  });
});

describe('toExcludeTest', () => {
  it('matches a pattern without glob characters as Jekyll does: a path starting with it, or the folder it names', async () => {
    const { config } = await loadConfig(makeSite({ '_config.yml': CONFIG }), 'content');
    if (config === undefined) throw new Error('config');
    const alphabet = fc.constantFrom('a', 'b', '/', '.', '\\', ']', '{', '+', '^', '$', '(', '|');
    const text = fc.array(alphabet, { minLength: 1, maxLength: 6 }).map((cs) => cs.join(''));
    fc.assert(
      fc.property(text, text, (pattern, rel) => {
        const p = pattern.replace(/^\/+/, '');
        const excluded = toExcludeTest({ ...config, exclude: [pattern], include: [] });
        // File.fnmatch? of a pattern with no `*`, `?` or `[` is equality here, which start_with? covers.
        expect(excluded(rel)).toBe(p !== '' && (rel.startsWith(p) || p === `${rel}/`));
        expect(excluded(p)).toBe(p !== '');
      }),
      { numRuns: 500, seed: 11 },
    );
    // Globs still glob.
    const globbed = toExcludeTest({ ...config, exclude: ['_posts/*-draft.md', 'x?z'], include: [] });
    expect(['_posts/2026-01-01-draft.md', 'xyz'].map(globbed)).toEqual([true, true]);
    expect(['_posts/2026-01-01-final.md', 'xz', 'xyzz'].map(globbed)).toEqual([false, false, false]);
  });

  it('is skipped for a folder only when no pattern can match any of its entries', async () => {
    const { config } = await loadConfig(makeSite({ '_config.yml': CONFIG }), 'content');
    if (config === undefined) throw new Error('config');
    const segment = fc.array(fc.constantFrom('a', 'b', '_', '.', '*', '?', '['), { minLength: 1, maxLength: 3 }).map((cs) => cs.join(''));
    const folder = fc.array(fc.constantFrom('a', 'b', '_posts'), { maxLength: 2 }).map((parts) => (parts.length === 0 ? '' : `${parts.join('/')}/`));
    const pattern = fc.tuple(fc.constantFrom('', '/'), fc.array(segment, { minLength: 1, maxLength: 3 }), fc.boolean()).map(([lead, parts, slash]) => `${lead}${parts.join('/')}${slash ? '/' : ''}`);
    fc.assert(
      fc.property(fc.array(pattern, { maxLength: 3 }), fc.array(pattern, { maxLength: 1 }), folder, segment, (exclude, include, prefix, name) => {
        const tests = toExcludeTests({ ...config, exclude, include });
        const inFolder = tests.inFolder(prefix);
        // Skipping the test is right only when it says no for every entry; otherwise it is the same test.
        if (inFolder === undefined) expect(tests.test(`${prefix}${name}`)).toBe(false);
        else expect(inFolder(`${prefix}${name}`)).toBe(tests.test(`${prefix}${name}`));
      }),
      { numRuns: 2_000, seed: 12 },
    );
    // Jekyll's default excludes name nothing in `_posts/`; an exclude of a post there does.
    expect(toExcludeTests(config).inFolder('_posts/')).toBeUndefined();
    expect(toExcludeTests({ ...config, exclude: ['_posts/2026-01-01-a.md'] }).inFolder('_posts/')).toBeDefined();
    expect(toExcludeTests({ ...config, exclude: ['_po'] }).inFolder('_posts/')?.('_posts/x.md')).toBe(true);
  });
});

describe('the site walk', () => {
  it('reads a folder only when it may have subfolders, and finds every <dir>/_posts/ below folders of files', async () => {
    const files: Record<string, string> = { '_config.yml': CONFIG, '_posts/2026-01-01-root.md': '---\n---\n' };
    // A folder of files only (a leaf); one of files and a subfolder with its own _posts/; a deep chain.
    for (let i = 0; i < 50; i++) files[`assets/images/photo-${i}.jpg`] = 'x';
    for (let i = 0; i < 20; i++) files[`assets/media/clip-${i}.mp4`] = 'x';
    files['assets/media/news/_posts/2026-01-02-nested.md'] = '---\n---\n';
    files['a/b/c/d/_posts/2026-01-03-deep.md'] = '---\n---\n';
    files['a/b/c/d/e.txt'] = 'x';
    const root = realpathSync(makeSite(files));
    mkdirSync(path.join(root, 'empty'));
    const leaf = path.join(root, 'assets', 'images');
    // On a file system whose folders count their subfolders (ext4, XFS, tmpfs), a leaf is known as one; elsewhere
    // every folder is read.
    const counts = [0xef53, 0x58465342, 0x01021994].includes(statfsSync(leaf).type);
    expect(await mayHaveSubfolders(leaf)).toBe(!counts);
    expect(await mayHaveSubfolders(path.join(root, 'empty'))).toBe(!counts);
    for (const dir of ['assets', 'assets/media', 'a', 'a/b/c', '']) expect(await mayHaveSubfolders(path.join(root, dir))).toBe(true);
    // A leaf that gets a subfolder is read again.
    mkdirSync(path.join(leaf, 'late'));
    writeFileSync(path.join(leaf, 'late', 'x.jpg'), 'x');
    expect(await mayHaveSubfolders(leaf)).toBe(true);
    mkdirSync(path.join(leaf, 'late', '_posts'));
    writeFileSync(path.join(leaf, 'late', '_posts', '2026-01-04-late.md'), '---\n---\n');
    const { config } = await loadConfig(root, 'content');
    if (config === undefined) throw new Error('config');
    const folders: string[] = [];
    const listed = await listPosts(root, config, folders);
    expect(listed.map((f) => f.rel)).toEqual(['_posts/2026-01-01-root.md', 'a/b/c/d/_posts/2026-01-03-deep.md', 'assets/images/late/_posts/2026-01-04-late.md', 'assets/media/news/_posts/2026-01-02-nested.md']);
    // Every folder walked is still noted (the manifest records their stats), read or not.
    expect(folders).toEqual(expect.arrayContaining([leaf, path.join(root, 'empty'), path.join(leaf, 'late'), path.join(root, 'a', 'b', 'c', 'd')]));
  });
});

describe('isPlainRelative', () => {
  it('holds only for paths that join a folder as they are, inside it', () => {
    const segment = fc.constantFrom('a', 'b.jpg', '.', '..', '', '.x', 'x..', ' ', '\\');
    fc.assert(
      fc.property(fc.array(segment, { minLength: 1, maxLength: 5 }), fc.boolean(), (parts, absolute) => {
        const rel = `${absolute ? '/' : ''}${parts.join('/')}`;
        if (!isPlainRelative(rel)) return;
        for (const root of ['/site', '/']) {
          const joined = `${root}${root.endsWith('/') ? '' : '/'}${rel}`;
          expect(path.resolve(root, rel)).toBe(joined);
          expect(path.relative(root, joined).startsWith('..')).toBe(false);
        }
      }),
      { numRuns: 2_000, seed: 13 },
    );
    expect(['assets/images/a.jpg', 'a', '.well-known/x', 'x..y/z'].map(isPlainRelative)).toEqual([true, true, true, true]);
    expect(['', '/a', 'a//b', './a', 'a/./b', 'a/..', '../a', 'a/'].map(isPlainRelative)).toEqual([false, false, false, false, false, false, false, false]);
  });
});

describe('listings started early', () => {
  it('are taken once by the walk, and a failed one is the walk\'s to report', async () => {
    const root = realpathSync(makeSite({ '_config.yml': CONFIG, '_posts/2026-01-01-a.md': '---\n---\n', '_posts/2026-01-02-b.md': '---\n---\n' }));
    const posts = path.join(root, '_posts');
    await listEarly(posts);
    // A post added after the early listing: that listing (taken by the walk) misses it, the next one has it.
    writeFileSync(path.join(posts, '2026-01-03-c.md'), '---\n---\n');
    const { config } = await loadConfig(root, 'content');
    if (config === undefined) throw new Error('config');
    expect((await listPosts(root, config)).map((f) => f.rel)).toEqual(['_posts/2026-01-01-a.md', '_posts/2026-01-02-b.md']);
    expect((await listPosts(root, config)).map((f) => f.rel)).toEqual(['_posts/2026-01-01-a.md', '_posts/2026-01-02-b.md', '_posts/2026-01-03-c.md']);
    expect((await listFolder(posts)).map((d) => d.name).sort()).toEqual(['2026-01-01-a.md', '2026-01-02-b.md', '2026-01-03-c.md']);
    // An early listing dropped (its build failed before the walk) is not taken by a later walk.
    await listEarly(posts);
    writeFileSync(path.join(posts, '2026-01-04-d.md'), '---\n---\n');
    dropEarly(posts);
    expect((await listPosts(root, config)).map((f) => f.rel)).toContain('_posts/2026-01-04-d.md');
    // A site without _posts/: the early listing fails, and the walk finds no posts, as without it.
    const bare = realpathSync(makeSite({ '_config.yml': CONFIG }));
    await listEarly(path.join(bare, '_posts'));
    expect(await listPosts(bare, config)).toEqual([]);
    const site = await loadSite(bare, 'content');
    expect(site.diagnostics.map((d) => d.code)).toEqual(['CONTENT_MISSING']);
  });
});

describe('a _posts/ folder that is a symbolic link', () => {
  it.runIf(process.platform !== 'win32')('is read when it stays inside the site, its posts resolved as linked files are', async () => {
    const root = realpathSync(makeSite({ '_config.yml': CONFIG, 'articles/2026-01-01-a.md': '---\ntitle: A\n---\nBody.\n' }));
    symlinkSync('articles', path.join(root, '_posts'));
    const site = await loadSite(root, 'content');
    expect(site.files).toEqual([{ rel: '_posts/2026-01-01-a.md', symlink: true, kind: 'post' }]);
    const parsed = await parsePosts(site, { maxFileBytes: 1 << 20, skipInvalid: false });
    expect(parsed.diagnostics).toEqual([]);
    expect(parsed.posts.map((p) => p.sourcePath)).toEqual(['_posts/2026-01-01-a.md']);
  });
});
