/** `feedwright serve` over real HTTP: media types, validators, conditional GET, compression, HEAD, path safety, watch. */
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rawRequest } from '../support/http.js';
import { runServe } from '../../src/cli/serve.js';
import { publish } from '../../src/index.js';
import { chooseEncoding, startServer, startWatch, type RunningServer } from '../../src/serve/index.js';
import { CONFIG, makeSite, post } from '../support/site.js';

const NOW = new Date('2026-11-01T00:00:00Z');
const SECRET = 'TOP-SECRET-BYTES-7f3a';
const LONG_BODY = `${'A paragraph long enough that the feeds are worth compressing. '.repeat(30)}\n`;

/** A strong entity-tag as the `etag` package forms it: the length in hex and the bytes' SHA-1, computed here independently. */
function strongTag(bytes: Buffer): string {
  return `"${bytes.length.toString(16)}-${createHash('sha1').update(bytes).digest('base64').slice(0, 27)}"`;
}

async function makePublishedSite(): Promise<{ site: string; out: string }> {
  const site = makeSite({
    'content/_config.yml': `${CONFIG}feed:\n  categories: true\n`,
    'content/_posts/2026-01-02-first.md': post('First post', '2026-01-02T10:00:00', 'categories: news\n', LONG_BODY),
    'content/_posts/2026-01-03-second.md': post('Second post', '2026-01-03T10:00:00', '', LONG_BODY),
  });
  const out = path.join(site, 'output');
  await publish({ contentDir: path.join(site, 'content'), outDir: out, now: NOW });
  return { site, out };
}

describe('startServer', () => {
  let site: string;
  let out: string;
  let server: RunningServer;
  const file = (rel: string): Buffer => readFileSync(path.join(out, rel));

  beforeAll(async () => {
    ({ site, out } = await makePublishedSite());
    writeFileSync(path.join(site, 'secret.txt'), SECRET);
    writeFileSync(path.join(out, '.feedwright-rss.xml.1.tmp'), SECRET);
    mkdirSync(path.join(out, '.git'));
    writeFileSync(path.join(out, '.git', 'config'), SECRET);
    symlinkSync(path.join(site, 'secret.txt'), path.join(out, 'link.txt'));
    symlinkSync(site, path.join(out, 'up'));
    writeFileSync(path.join(out, 'image.png'), Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47]), Buffer.alloc(4000, 7)]));
    writeFileSync(path.join(out, 'small.json'), '{"a":1}\n');
    mkdirSync(path.join(out, 'about'));
    writeFileSync(path.join(out, 'about', 'index.html'), '<!doctype html><title>About</title>\n');
    server = await startServer({ dir: out, port: 0, host: '127.0.0.1' });
  });
  afterAll(async () => {
    await server.close();
  });

  it('listens on 127.0.0.1 at an ephemeral port', () => {
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
  });

  it('serves each format with its media type and charset, nosniff and a feed cache policy', async () => {
    const expected: [string, string, string][] = [
      ['rss.xml', 'application/rss+xml; charset=utf-8', 'public, max-age=300'],
      ['atom.xml', 'application/atom+xml; charset=utf-8', 'public, max-age=300'],
      ['feed.json', 'application/feed+json; charset=utf-8', 'public, max-age=300'],
      ['categories/news/rss.xml', 'application/rss+xml; charset=utf-8', 'public, max-age=300'],
      ['feed.xsl', 'text/xsl; charset=utf-8', 'public, max-age=86400'],
      ['feeds.html', 'text/html; charset=utf-8', 'public, max-age=300'],
      ['small.json', 'application/json; charset=utf-8', 'public, max-age=300'],
      ['image.png', 'image/png', 'public, max-age=300'],
    ];
    for (const [rel, type, cache] of expected) {
      const res = await fetch(new URL(rel, server.url));
      expect(res.status, rel).toBe(200);
      expect(res.headers.get('content-type'), rel).toBe(type);
      expect(res.headers.get('cache-control'), rel).toBe(cache);
      expect(res.headers.get('x-content-type-options'), rel).toBe('nosniff');
      expect(Buffer.from(await res.arrayBuffer()).equals(file(rel)), rel).toBe(true);
    }
  });

  it('gives a browser navigation the same feed bytes as application/xml, so its stylesheet applies', async () => {
    const reader = await rawRequest(server.url, '/atom.xml');
    const browser = await rawRequest(server.url, '/atom.xml', { headers: { 'sec-fetch-dest': 'document' } });
    expect(browser.headers['content-type']).toBe('application/xml; charset=utf-8');
    expect(browser.body.equals(reader.body)).toBe(true);
    expect(browser.headers.etag).not.toBe(reader.headers.etag);
    expect(reader.headers.vary).toBe('Accept-Encoding, Sec-Fetch-Dest');
    expect(browser.headers.vary).toBe('Accept-Encoding, Sec-Fetch-Dest');
    const json = await rawRequest(server.url, '/feed.json', { headers: { 'sec-fetch-dest': 'document' } });
    expect(json.headers['content-type']).toBe('application/feed+json; charset=utf-8');
  });

  it('sends a strong ETag (length and SHA-1 of the bytes) and Last-Modified from the file time', async () => {
    const res = await rawRequest(server.url, '/rss.xml');
    expect(res.headers.etag).toBe(strongTag(file('rss.xml')));
    expect(res.headers.etag).not.toMatch(/^W\//);
    expect(res.headers['last-modified']).toBe(statSync(path.join(out, 'rss.xml')).mtime.toUTCString());
    expect(res.headers['content-length']).toBe(String(file('rss.xml').length));
  });

  it('answers 304 on a matching If-None-Match: exact, in a list, weak form, and *', async () => {
    const first = await rawRequest(server.url, '/feed.json');
    const etag = String(first.headers.etag);
    for (const inm of [etag, `"nope", ${etag}`, `W/${etag}`, '*']) {
      const res = await rawRequest(server.url, '/feed.json', { headers: { 'if-none-match': inm } });
      expect(res.status, inm).toBe(304);
      expect(res.body.length).toBe(0);
      expect(res.headers.etag).toBe(etag);
      expect(res.headers['last-modified']).toBe(first.headers['last-modified']);
      expect(res.headers['cache-control']).toBe('public, max-age=300');
      expect(res.headers.vary).toBe('Accept-Encoding');
    }
  });

  it('answers 200 when the ETag differs, even with a matching If-Modified-Since (If-None-Match wins)', async () => {
    const first = await rawRequest(server.url, '/rss.xml');
    const res = await rawRequest(server.url, '/rss.xml', { headers: { 'if-none-match': '"stale"', 'if-modified-since': String(first.headers['last-modified']) } });
    expect(res.status).toBe(200);
    expect(res.body.equals(file('rss.xml'))).toBe(true);
  });

  it('answers 304 on If-Modified-Since at or after Last-Modified, 200 before it', async () => {
    const lastModified = String((await rawRequest(server.url, '/atom.xml')).headers['last-modified']);
    expect((await rawRequest(server.url, '/atom.xml', { headers: { 'if-modified-since': lastModified } })).status).toBe(304);
    const later = new Date(Date.parse(lastModified) + 60_000).toUTCString();
    expect((await rawRequest(server.url, '/atom.xml', { headers: { 'if-modified-since': later } })).status).toBe(304);
    const earlier = new Date(Date.parse(lastModified) - 1000).toUTCString();
    expect((await rawRequest(server.url, '/atom.xml', { headers: { 'if-modified-since': earlier } })).status).toBe(200);
    expect((await rawRequest(server.url, '/atom.xml', { headers: { 'if-modified-since': 'yesterday' } })).status).toBe(200);
  });

  it('compresses with brotli or gzip as asked; the bodies decompress to the exact file bytes', async () => {
    const bytes = file('rss.xml');
    const identityTag = strongTag(bytes);
    const br = await rawRequest(server.url, '/rss.xml', { headers: { 'accept-encoding': 'gzip, deflate, br' } });
    expect(br.headers['content-encoding']).toBe('br');
    expect(br.headers.vary).toContain('Accept-Encoding');
    expect(br.headers['content-length']).toBe(String(br.body.length));
    expect(br.body.length).toBeLessThan(bytes.length);
    expect(brotliDecompressSync(br.body).equals(bytes)).toBe(true);
    const gz = await rawRequest(server.url, '/rss.xml', { headers: { 'accept-encoding': 'gzip' } });
    expect(gz.headers['content-encoding']).toBe('gzip');
    expect(gz.headers['content-length']).toBe(String(gz.body.length));
    expect(gunzipSync(gz.body).equals(bytes)).toBe(true);
    // Different bytes, different strong validators: each names its own bytes.
    expect(br.headers.etag).toBe(strongTag(br.body));
    expect(gz.headers.etag).toBe(strongTag(gz.body));
    expect(new Set([identityTag, br.headers.etag, gz.headers.etag]).size).toBe(3);
    expect((await rawRequest(server.url, '/rss.xml', { headers: { 'accept-encoding': 'gzip', 'if-none-match': String(gz.headers.etag) } })).status).toBe(304);
    expect((await rawRequest(server.url, '/rss.xml', { headers: { 'accept-encoding': 'br', 'if-none-match': String(gz.headers.etag) } })).status).toBe(200);
  });

  it('follows q-values, and leaves small files and images uncompressed', async () => {
    const coding = async (target: string, ae: string): Promise<string | undefined> => (await rawRequest(server.url, target, { headers: { 'accept-encoding': ae } })).headers['content-encoding'] as string | undefined;
    expect(await coding('/atom.xml', 'br;q=0.5, gzip')).toBe('gzip');
    expect(await coding('/atom.xml', 'br;q=0, gzip;q=0.2')).toBe('gzip');
    expect(await coding('/atom.xml', '*')).toBe('br');
    expect(await coding('/atom.xml', 'identity')).toBeUndefined();
    expect(await coding('/small.json', 'br, gzip')).toBeUndefined();
    const png = await rawRequest(server.url, '/image.png', { headers: { 'accept-encoding': 'br, gzip' } });
    expect(png.headers['content-encoding']).toBeUndefined();
    expect(png.headers.vary).toBeUndefined();
    expect(png.body.equals(file('image.png'))).toBe(true);
  });

  it('answers HEAD with the GET headers and no body', async () => {
    for (const ae of ['', 'br']) {
      const headers = ae === '' ? {} : { 'accept-encoding': ae };
      const get = await rawRequest(server.url, '/feed.json', { headers });
      const head = await rawRequest(server.url, '/feed.json', { method: 'HEAD', headers });
      expect(head.status).toBe(200);
      expect(head.body.length).toBe(0);
      for (const name of ['content-type', 'content-length', 'content-encoding', 'etag', 'last-modified', 'cache-control', 'vary']) {
        expect(head.headers[name], `${ae} ${name}`).toBe(get.headers[name]);
      }
      expect(Number(head.headers['content-length'])).toBe(get.body.length);
    }
  });

  it('refuses other methods with 405 and Allow', async () => {
    for (const method of ['POST', 'PUT', 'DELETE', 'OPTIONS']) {
      const res = await rawRequest(server.url, '/rss.xml', { method });
      expect(res.status).toBe(405);
      expect(res.headers.allow).toBe('GET, HEAD');
    }
  });

  it('answers 404 to every path out of the folder, into a dotfile, or through a symlink that leaves it', async () => {
    const attempts: [string, number][] = [
      ['/../secret.txt', 404],
      ['/%2e%2e/secret.txt', 404],
      ['/..%2fsecret.txt', 404],
      ['/..%5csecret.txt', 404],
      ['/categories/../../secret.txt', 404],
      ['/%00', 404],
      ['/rss.xml%00.png', 404],
      ['/%E0%A4%A', 404],
      ['/link.txt', 404],
      ['/up/secret.txt', 404],
      ['/.feedwright-rss.xml.1.tmp', 404],
      ['/.git/config', 404],
      ['/%2egit/config', 404],
      ['/_headers', 404],
      ['/missing.xml', 404],
      ['/categories/', 404],
      ['/rss.xml/', 404],
      ['/%252e%252e/secret.txt', 404],
      ['/%2e%2e%2fsecret.txt', 404],
      ['/%2E%2E%2F%2E%2E%2Fsecret.txt', 404],
      ['/categories%2f..%2f..%2fsecret.txt', 404],
      ['/..\\secret.txt', 404],
      ['/categories\\..\\..\\secret.txt', 404],
      ['//../secret.txt', 404],
      ['/./../secret.txt', 404],
      ['/%2e%2e%5c%2e%2e%5csecret.txt', 404],
      ['/%c0%ae%c0%ae/secret.txt', 404],
      [`/${'a/'.repeat(2000)}rss.xml`, 404],
      [`/${'../'.repeat(400)}secret.txt`, 404],
    ];
    for (const [target, status] of attempts) {
      for (const method of ['GET', 'HEAD']) {
        const res = await rawRequest(server.url, target, { method });
        expect(res.status, `${method} ${target}`).toBe(status);
        expect(res.body.toString('latin1')).not.toContain(SECRET);
      }
    }
  });

  it('serves a folder\'s index.html (redirecting to the slash form), and a page of feed links at /', async () => {
    const redirect = await rawRequest(server.url, '/about');
    expect(redirect.status).toBe(301);
    expect(redirect.headers.location).toBe('/about/');
    const about = await rawRequest(server.url, '/about/');
    expect(about.status).toBe(200);
    expect(about.headers['content-type']).toBe('text/html; charset=utf-8');
    const home = await fetch(server.url);
    expect(home.headers.get('content-type')).toBe('text/html; charset=utf-8');
    const html = await home.text();
    for (const href of ['rss.xml', 'atom.xml', 'feed.json', 'categories/news/rss.xml']) expect(html).toContain(`href="${href}"`);
  });
});

describe('Accept-Encoding', () => {
  it('chooses by q-value, brotli first on a tie', () => {
    expect(chooseEncoding(undefined)).toBe('identity');
    expect(chooseEncoding('gzip, br')).toBe('br');
    expect(chooseEncoding('gzip;q=1.0, br;q=0.9')).toBe('gzip');
    expect(chooseEncoding('x-gzip')).toBe('gzip');
    expect(chooseEncoding('*;q=0.5, br;q=0')).toBe('gzip');
    expect(chooseEncoding('deflate')).toBe('identity');
    expect(chooseEncoding('identity;q=1, br;q=0.5')).toBe('identity');
  });
});

/** runServe with its output captured, stopped through the signal. */
function serveCli(argv: string[], cwd: string): { done: Promise<number>; output: () => string; errors: () => string; stop: () => void } {
  let stdout = '';
  let stderr = '';
  const controller = new AbortController();
  const done = runServe(argv, { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t), cwd, now: () => NOW }, { signal: controller.signal });
  return { done, output: () => stdout, errors: () => stderr, stop: () => controller.abort() };
}

async function waitFor<T>(probe: () => Promise<T | undefined> | T | undefined, what: string, ms = 10_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('feedwright serve (CLI)', () => {
  it('exits 2 with the usage on an unknown flag or a bad value, 0 on --help', async () => {
    const { site } = await makePublishedSite();
    for (const argv of [['--colour'], ['--port', 'http'], ['--port', '70000'], ['extra'], ['--content', 'content']]) {
      const cli = serveCli(argv, site);
      expect(await cli.done, argv.join(' ')).toBe(2);
      expect(cli.errors()).toContain('Usage: feedwright serve');
    }
    const help = serveCli(['--help'], site);
    expect(await help.done).toBe(0);
    expect(help.output()).toContain('--watch');
  });

  it('exits 1 when the output folder does not exist', async () => {
    const site = makeSite({ 'content/_config.yml': CONFIG });
    const cli = serveCli(['--port', '0'], site);
    expect(await cli.done).toBe(1);
    expect(cli.errors()).toContain("output folder 'output' does not exist");
  });

  it('says where it serves, serves until stopped, then exits 0', async () => {
    const { site } = await makePublishedSite();
    const cli = serveCli(['--out', 'output', '--port', '0'], site);
    const url = await waitFor(() => /^Serving output at (http:\/\/127\.0\.0\.1:\d+\/)$/m.exec(cli.output())?.[1], 'the Serving line');
    const res = await fetch(new URL('rss.xml', url));
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('First post');
    cli.stop();
    expect(await cli.done).toBe(0);
    await expect(fetch(url)).rejects.toThrow();
  });

  it('with --watch builds first, then serves with revalidation', async () => {
    const site = makeSite({ 'content/_config.yml': CONFIG, 'content/_posts/2026-01-02-a.md': post('Watched', '2026-01-02T10:00:00') });
    const cli = serveCli(['--watch', '--port', '0'], site);
    const url = await waitFor(() => /^Serving output at (\S+)$/m.exec(cli.output())?.[1], 'the Serving line');
    expect(cli.output()).toMatch(/^built in \d+ ms: 1 posts published in 1 feeds; \d+ files changed$/m);
    const res = await fetch(new URL('feed.json', url));
    expect(res.headers.get('cache-control')).toBe('no-cache');
    expect(await res.text()).toContain('Watched');
    cli.stop();
    expect(await cli.done).toBe(0);
  });
});

describe('startWatch', () => {
  it('rebuilds when a post changes, and keeps the previous output when a build fails', async () => {
    const site = makeSite({ 'content/_config.yml': CONFIG, 'content/_posts/2026-01-02-a.md': post('Before edit', '2026-01-02T10:00:00') });
    const out = path.join(site, 'output');
    let stdout = '';
    let stderr = '';
    const watcher = await startWatch({
      contentDir: path.join(site, 'content'),
      displayDir: 'content',
      outDir: out,
      cacheDir: path.join(site, '.feedwright-cache'),
      now: () => NOW,
      io: { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t) },
    });
    const server = await startServer({ dir: out, port: 0, revalidate: true });
    try {
      const feedTitle = async (): Promise<string | undefined> => {
        const res = await fetch(new URL('feed.json', server.url));
        return res.status === 200 ? ((await res.json()) as { items: { title: string }[] }).items[0]?.title : undefined;
      };
      expect(await feedTitle()).toBe('Before edit');
      writeFileSync(path.join(site, 'content/_posts/2026-01-02-a.md'), post('After edit', '2026-01-02T10:00:00'));
      await waitFor(async () => ((await feedTitle()) === 'After edit' ? true : undefined), 'the rebuilt feed');
      expect(stdout.match(/^built in/gm)?.length).toBeGreaterThanOrEqual(2);

      mkdirSync(path.join(site, 'content/_posts/2027'));
      writeFileSync(path.join(site, 'content/_posts/2027/2026-01-03-bad.md'), '---\ntitle: "x"\ndate: [unclosed\n---\nbody\n');
      await waitFor(() => (stderr.includes('build failed') ? true : undefined), 'the failed build');
      expect(stderr).toMatch(/^content\/_posts\/2027\/2026-01-03-bad\.md:3:\d+ FRONT_MATTER_SYNTAX /m);
      expect(stderr).toContain('still serving the previous output');
      expect(await feedTitle()).toBe('After edit');
    } finally {
      await watcher.close();
      await server.close();
    }
  });
});
