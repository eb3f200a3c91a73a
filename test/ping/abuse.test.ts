/**
 * `ping` against hostile or broken hubs (issue 11): URLs that are not http(s), hubs that never answer or
 * trickle, redirect loops, huge bodies, a Retry-After far in the future. Each ends with one clear report
 * line and exit 1, and nothing waits longer than the limits set. Hubs are node:http servers on 127.0.0.1.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { run } from '../../src/cli/index.js';
import { publish } from '../../src/index.js';
import { MAX_EXPLANATION_BYTES, MAX_REDIRECTS, pingHubs } from '../../src/ping/index.js';
import { CONFIG, makeSite, post } from '../support/site.js';
import { closeHubs, startHub } from './hub.js';

afterEach(closeHubs);

const SITE = 'https://test.example';
const NOW = new Date('2026-11-01T00:00:00Z');

/** A one-post site (three site feeds), built into `<root>/output`. */
async function builtSite(): Promise<{ root: string; outDir: string; stateFile: string }> {
  const root = makeSite({ 'content/_config.yml': CONFIG, 'content/_posts/2026-01-02-a.md': post('A', '2026-01-02T10:00:00') });
  const outDir = path.join(root, 'output');
  await publish({ contentDir: path.join(root, 'content'), outDir, now: NOW });
  return { root, outDir, stateFile: path.join(root, 'state', 'ping.json') };
}

async function cli(argv: string[], cwd: string): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const code = await run(['ping', '--retry-delay', '1', ...argv], { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t), cwd, now: () => NOW });
  return { code, stdout, stderr };
}

describe('ping under abuse', () => {
  it('never requests a hub URL that is not http(s): one failed line each, no request made', async () => {
    const { outDir, stateFile } = await builtSite();
    let requests = 0;
    const counting: typeof fetch = (input, init) => {
      requests++;
      return fetch(input, init);
    };
    const hubs = ['ftp://hub.example/', 'file:///etc/passwd', 'javascript:alert(1)', 'gopher://hub.example/\u001b[2J'];
    const report = await pingHubs({ outDir, stateFile, siteUrl: SITE, hubs, fetch: counting });
    expect(requests).toBe(0);
    expect(report.results).toHaveLength(12);
    for (const r of report.results) {
      expect(r.ok).toBe(false);
      expect(r.attempts).toBe(0);
      expect(r.reason).toMatch(/^'[^\u001b]*' is not an http\(s\) URL; nothing sent$/);
    }
    expect(existsSync(stateFile)).toBe(false);
  });

  it('refuses a non-http(s) hub from --hub (exit 2) and from feed.hub (exit 1, the config diagnostic)', async () => {
    const { root } = await builtSite();
    writeFileSync(path.join(root, 'content', '_config.yml'), `${CONFIG}feed:\n  hub: ftp://hub.example/\n`);
    const flag = await cli(['--hub', 'file:///etc/passwd'], root);
    expect(flag.code).toBe(2);
    expect(flag.stderr).toContain("--hub takes an http(s) URL, got 'file:///etc/passwd'");
    const config = await cli([], root);
    expect(config.code).toBe(1);
    expect(config.stderr).toContain("'ftp://hub.example/' is not an http(s) URL");
    expect(config.stderr).toContain('nothing was sent');
  });

  it('gives up on a redirect loop after the cap, with one line per feed and exit 1', async () => {
    let hubUrl = '';
    const looping = await startHub(() => ({ status: 307, headers: { location: hubUrl } }));
    hubUrl = looping.url;
    const { root } = await builtSite();
    const { code, stderr } = await cli(['--hub', looping.url, '--retries', '0'], root);
    expect(code).toBe(1);
    expect(looping.received).toHaveLength(3 * (MAX_REDIRECTS + 1));
    expect(stderr).toContain(`${looping.url} ${SITE}/rss.xml: failed 307: more than ${MAX_REDIRECTS} redirects; not followed further\n`);
    expect(stderr).toContain('pinged 3 feeds to 1 hub: 0 ok, 3 failed');
  });

  it('reads no more of a huge error body than the explanation needs, and none of a huge 2xx body', async () => {
    const HUGE = 256 * 1024 * 1024;
    const chunk = Buffer.alloc(64 * 1024, 'x');
    const written: number[] = [];
    const flood = (status: number) =>
      startHub((_req, _before, res) => {
        res.writeHead(status, { 'content-type': 'text/plain', 'content-length': String(HUGE) });
        let sent = 0;
        // Writes as fast as the client reads; stops when the client goes away (or at HUGE, which it never reaches).
        const pump = (): void => {
          while (sent < HUGE && !res.destroyed) {
            sent += chunk.length;
            if (!res.write(chunk)) return void res.once('drain', pump);
          }
        };
        res.once('close', () => written.push(sent));
        pump();
        return 'handled';
      });
    const refusing = await flood(500);
    const accepting = await flood(202);
    const { outDir, stateFile } = await builtSite();
    const report = await pingHubs({ outDir, stateFile, siteUrl: SITE, hubs: [refusing.url, accepting.url], retries: 0, timeoutMs: 20_000 });
    const refused = report.results.filter((r) => r.hub === refusing.url);
    expect(refused).toHaveLength(3);
    for (const r of refused) {
      expect(r).toMatchObject({ ok: false, status: 500, attempts: 1 });
      expect(r.reason).toMatch(/^x{199}…$/);
    }
    expect(report.results.filter((r) => r.hub === accepting.url).every((r) => r.ok && r.status === 202)).toBe(true);
    await closeHubs();
    expect(written).toHaveLength(6);
    // The client stopped reading after MAX_EXPLANATION_BYTES; what was sent is bounded by socket buffers.
    for (const sent of written) expect(sent).toBeLessThan(HUGE / 8);
    expect(MAX_EXPLANATION_BYTES).toBe(4096);
  });

  it('ends a hub that answers headers and then trickles its body, within the time limit', async () => {
    const trickling = await startHub((_req, _before, res) => {
      res.writeHead(503, { 'content-type': 'text/plain' });
      res.write('busy');
      // Never ends: only the client's deadline can.
      return 'handled';
    });
    const { outDir, stateFile } = await builtSite();
    const report = await pingHubs({ outDir, stateFile, siteUrl: SITE, hubs: [trickling.url], retries: 0, timeoutMs: 200 });
    for (const r of report.results) expect(r).toMatchObject({ ok: false, status: 503, attempts: 1, reason: 'busy' });
  });

  it('does not wait for a Retry-After beyond the cap (seconds or a far HTTP-date): reported, left for the next ping', async () => {
    const seconds = await startHub(() => ({ status: 503, headers: { 'retry-after': '999999999' } }));
    const date = await startHub(() => ({ status: 429, headers: { 'retry-after': 'Fri, 31 Dec 2100 23:59:59 GMT' } }));
    const { root } = await builtSite();
    const { code, stderr } = await cli(['--hub', seconds.url, '--hub', date.url], root);
    expect(code).toBe(1);
    expect(seconds.received).toHaveLength(3);
    expect(date.received).toHaveLength(3);
    expect(stderr).toContain(`${seconds.url} ${SITE}/atom.xml: failed 503: Service Unavailable (the hub asked to wait 999999999 s; left for the next ping)\n`);
    expect(stderr).toMatch(new RegExp(`${date.url.replace(/[.:/]/g, '\\$&')} ${SITE.replace(/[.:/]/g, '\\$&')}/feed\\.json: failed 429: Too Many Requests \\(the hub asked to wait \\d+ s; left for the next ping\\)\n`));
    expect(stderr).toContain('the failed notifications are sent again on the next ping');
  });

  it('reports a state file it cannot replace, and leaves no temp file beside it', async () => {
    const hub = await startHub(() => ({ status: 202 }));
    const { root, outDir } = await builtSite();
    // A non-empty folder where the state file should be: the temp file is written, the rename fails.
    const blocked = path.join(root, 'blocked');
    mkdirSync(path.join(blocked, 'ping.json', 'inside'), { recursive: true });
    const failed = await pingHubs({ outDir, stateFile: path.join(blocked, 'ping.json'), siteUrl: SITE, hubs: [hub.url] });
    expect(failed.results.every((r) => r.ok)).toBe(true);
    expect(failed.stateWritten).toBe(false);
    expect(failed.stateError).toMatch(/^cannot write .*ping\.json: /);
    expect(readdirSync(blocked)).toEqual(['ping.json']);
  });
});
