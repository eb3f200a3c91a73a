/**
 * `feedwright ping` against real local hubs: node:http servers on 127.0.0.1 that record what they receive
 * and answer as told (accepting, failing then recovering, always failing, refusing, throttling, hanging,
 * redirecting). Every request stays on 127.0.0.1; retry delays are a few milliseconds.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { run } from '../../src/cli/index.js';
import { publish } from '../../src/index.js';
import { pingHubs, type PingState } from '../../src/ping/index.js';
import { CONFIG, makeSite, post } from '../support/site.js';
import { closeHubs, servers, startHub, type Answer } from './hub.js';

afterEach(closeHubs);

const accepting = (): Answer => ({ status: 202 });

const SITE = 'https://test.example/blog';
const feedsIn = (dir: string): string[] => ['atom.xml', 'feed.json', 'rss.xml'].map((f) => `${SITE}/${dir === '' ? '' : `${dir}/`}${f}`);
const ALL_FEEDS = [...feedsIn(''), ...feedsIn('categories/news'), ...feedsIn('categories/sport')].sort();

function config(hubs: readonly string[]): string {
  return `${CONFIG}baseurl: /blog\nfeed:\n  categories: true\n  hub:\n${hubs.map((h) => `    - ${h}\n`).join('')}`;
}

/** A site with one news post and one sport post, built into `<root>/output`. */
async function builtSite(hubs: readonly string[]): Promise<string> {
  const root = makeSite({
    'content/_config.yml': config(hubs),
    'content/_posts/2026-01-02-budget.md': post('Budget', '2026-01-02T10:00:00', 'categories: news\n'),
    'content/_posts/2026-01-03-final.md': post('Final', '2026-01-03T10:00:00', 'categories: sport\n'),
  });
  await rebuild(root);
  return root;
}

async function rebuild(root: string): Promise<void> {
  await publish({ contentDir: path.join(root, 'content'), displayDir: 'content', now: new Date('2026-11-01T00:00:00Z'), outDir: path.join(root, 'output') });
}

async function ping(argv: string[], cwd: string): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const code = await run(['ping', '--retry-delay', '2', ...argv], { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t), cwd, now: () => new Date('2026-11-01T00:00:00Z') });
  return { code, stdout, stderr };
}

const stateOf = (root: string): PingState => JSON.parse(readFileSync(path.join(root, '.feedwright-cache', 'ping-state.json'), 'utf8')) as PingState;

describe('feedwright ping', () => {
  it('sends every feed to every hub once, retries a hub that recovers, and then only what changed', async () => {
    const good = await startHub(accepting);
    // 500 twice per feed URL, then 204.
    const flaky = await startHub((_, before) => (before < 2 ? { status: 500, body: 'try again' } : { status: 204 }));
    const root = await builtSite([good.url, flaky.url]);

    const first = await ping([], root);
    expect(first.stderr).toBe('');
    expect(first.code).toBe(0);
    expect(good.received).toHaveLength(9);
    for (const r of [...good.received, ...flaky.received]) {
      expect(r).toMatchObject({ method: 'POST', path: '/hub', contentType: 'application/x-www-form-urlencoded', mode: 'publish' });
      expect(r.topics).toHaveLength(1);
    }
    expect(good.topics().sort()).toEqual(ALL_FEEDS);
    expect(flaky.received).toHaveLength(27);
    expect([...new Set(flaky.topics())].sort()).toEqual(ALL_FEEDS);
    expect(first.stdout).toContain(`${good.url} ${SITE}/categories/news/atom.xml: ok 202\n`);
    expect(first.stdout).toContain(`${flaky.url} ${SITE}/feed.json: ok 204 after 3 attempts\n`);
    expect(first.stdout).toMatch(/pinged 9 feeds to 2 hubs: 18 ok, 0 failed\n$/);
    // The state lives beside the build cache, never in the served folder.
    expect(existsSync(path.join(root, 'output', 'ping-state.json'))).toBe(false);
    expect(Object.keys(stateOf(root).feeds)).toEqual(ALL_FEEDS);

    const second = await ping([], root);
    expect(second.code).toBe(0);
    expect(second.stdout).toContain('no feed changed since the last ping');
    expect(good.received).toHaveLength(9);
    expect(flaky.received).toHaveLength(27);

    // Edit the news post: the site feeds and the news feeds change, the sport feeds do not.
    writeFileSync(path.join(root, 'content/_posts/2026-01-02-budget.md'), post('Budget, revised', '2026-01-02T10:00:00', 'categories: news\n'));
    await rebuild(root);
    const third = await ping([], root);
    expect(third.code).toBe(0);
    const changed = [...feedsIn(''), ...feedsIn('categories/news')].sort();
    expect(good.topics().slice(9).sort()).toEqual(changed);
    expect(flaky.topics().slice(27).sort()).toEqual(changed);
    expect(third.stdout).toMatch(/pinged 6 feeds to 2 hubs: 12 ok, 0 failed\n$/);
  });

  it('reports a hub that keeps failing, exits 1, and sends those feeds to it again next time', async () => {
    const good = await startHub(accepting);
    let down = true;
    const failing = await startHub(() => (down ? { status: 503, body: '<h1>Service Unavailable</h1>\u001b[31m' } : { status: 204 }));
    const root = await builtSite([good.url, failing.url]);

    const first = await ping([], root);
    expect(first.code).toBe(1);
    expect(failing.received).toHaveLength(27);
    expect(first.stderr).toContain(`${failing.url} ${SITE}/rss.xml: failed 503 after 3 attempts: Service Unavailable\n`);
    expect(first.stderr).not.toContain('\u001b');
    expect(first.stderr).toContain('pinged 9 feeds to 2 hubs: 9 ok, 9 failed');
    expect(first.stdout).toContain(`${good.url} ${SITE}/rss.xml: ok 202`);
    // Recorded for the hub that accepted, not for the one that failed.
    for (const entry of Object.values(stateOf(root).feeds)) expect(entry.hubs).toEqual([good.url]);

    const retried = await ping(['--retries', '0'], root);
    expect(retried.code).toBe(1);
    expect(good.received).toHaveLength(9);
    expect(failing.received).toHaveLength(36);
    expect(retried.stderr).toContain(`${failing.url} ${SITE}/rss.xml: failed 503: Service Unavailable\n`);

    down = false;
    const recovered = await ping([], root);
    expect(recovered.code).toBe(0);
    expect(good.received).toHaveLength(9);
    expect(failing.topics().slice(36).sort()).toEqual(ALL_FEEDS);
    expect((await ping([], root)).stdout).toContain('no feed changed since the last ping');
  });

  it('does not retry a hub that refuses with 400, and reports why', async () => {
    const refusing = await startHub(() => ({ status: 400, body: 'hub.url is not a topic I know' }));
    const root = await builtSite([refusing.url]);
    const { code, stderr } = await ping([], root);
    expect(code).toBe(1);
    expect(refusing.received).toHaveLength(9);
    expect(stderr).toContain(`${refusing.url} ${SITE}/atom.xml: failed 400: hub.url is not a topic I know\n`);
    expect(stderr).toContain('pinged 9 feeds to 1 hub: 0 ok, 9 failed');
    expect(existsSync(path.join(root, '.feedwright-cache', 'ping-state.json'))).toBe(false);
  });

  it('--hub replaces feed.hub, --dry-run sends and records nothing, and removed feeds leave the state', async () => {
    const configured = await startHub(accepting);
    const other = await startHub(accepting);
    const root = await builtSite([configured.url]);

    const dry = await ping(['--dry-run'], root);
    expect(dry.code).toBe(0);
    expect(dry.stdout).toContain(`would ping ${configured.url} ${SITE}/rss.xml\n`);
    expect(dry.stdout).toContain('would ping 9 feeds to 1 hub (dry run: nothing sent)');
    expect(configured.received).toHaveLength(0);
    expect(existsSync(path.join(root, '.feedwright-cache'))).toBe(false);

    expect((await ping(['--hub', other.url, '--quiet'], root)).stdout).toBe('');
    expect(other.received).toHaveLength(9);
    expect(configured.received).toHaveLength(0);
    // The configured hub has still heard nothing, so it gets everything.
    expect((await ping([], root)).code).toBe(0);
    expect(configured.topics().sort()).toEqual(ALL_FEEDS);
    expect(other.received).toHaveLength(9);

    // The sport post moves to news: the sport feeds are gone from the output and from the state.
    writeFileSync(path.join(root, 'content/_posts/2026-01-03-final.md'), post('Final', '2026-01-03T10:00:00', 'categories: news\n'));
    await rebuild(root);
    expect((await ping([], root)).code).toBe(0);
    expect(configured.topics().slice(9).sort()).toEqual([...feedsIn(''), ...feedsIn('categories/news')].sort());
    expect(Object.keys(stateOf(root).feeds)).toEqual([...feedsIn(''), ...feedsIn('categories/news')].sort());
  });

  it('exits 2 on usage errors and 1 without a hub or without feeds, with a hint', async () => {
    const root = makeSite({ 'content/_config.yml': CONFIG, 'content/_posts/2026-01-02-a.md': post('A', '2026-01-02T10:00:00') });
    const unknown = await ping(['--colour'], root);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain("Unknown option '--colour'");
    expect(unknown.stderr).toContain('Usage: feedwright ping');
    expect((await ping(['--hub', 'ftp://hub.example/'], root)).code).toBe(2);
    expect((await ping(['--retries', 'many'], root)).code).toBe(2);
    expect((await ping(['--timeout', '0'], root)).code).toBe(2);
    expect((await ping(['stray'], root)).code).toBe(2);
    const help = await ping(['--help'], root);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('Exit status:');

    const noHub = await ping([], root);
    expect(noHub.code).toBe(1);
    expect(noHub.stderr).toContain('no WebSub hub configured (hint: set feed.hub in content/_config.yml');
    const noFeeds = await ping(['--hub', 'http://127.0.0.1:9/'], root);
    expect(noFeeds.code).toBe(1);
    expect(noFeeds.stderr).toContain('no feeds in output/ (hint: run feedwright build first');
  });
});

describe('pingHubs', () => {
  async function site(): Promise<{ outDir: string; stateFile: string }> {
    const root = await builtSite([]);
    return { outDir: path.join(root, 'output'), stateFile: path.join(root, 'state', 'ping.json') };
  }

  it('honours a short Retry-After and leaves a long one for the next ping', async () => {
    const throttling = await startHub((_, before) => (before === 0 ? { status: 429, headers: { 'retry-after': '1' } } : { status: 204 }));
    const slow = await startHub(() => ({ status: 503, headers: { 'retry-after': '3600' } }));
    const delays: number[] = [];
    const report = await pingHubs({ ...(await site()), siteUrl: SITE, hubs: [throttling.url, slow.url], retryDelayMs: 5, sleep: async (ms) => void delays.push(ms) });
    const byHub = (hub: string) => report.results.filter((r) => r.hub === hub);
    expect(byHub(throttling.url).every((r) => r.ok && r.status === 204 && r.attempts === 2)).toBe(true);
    expect(delays).toEqual(Array.from({ length: 9 }, () => 1000));
    expect(slow.received).toHaveLength(9);
    expect(byHub(slow.url)[0]).toMatchObject({ ok: false, status: 503, attempts: 1 });
    expect(byHub(slow.url)[0]?.reason).toContain('the hub asked to wait 3600 s; left for the next ping');
  });

  it('times out a hub that never answers, retrying it (p-retry backs off; no Retry-After, so no extra wait)', async () => {
    const hanging = await startHub(() => 'hang');
    const delays: number[] = [];
    const { outDir, stateFile } = await site();
    const report = await pingHubs({ outDir, stateFile, siteUrl: SITE, hubs: [hanging.url], timeoutMs: 100, retries: 2, retryDelayMs: 7, concurrency: 9, sleep: async (ms) => void delays.push(ms) });
    expect(report.results).toHaveLength(9);
    for (const r of report.results) expect(r).toMatchObject({ ok: false, attempts: 3, reason: 'no answer within 100 ms' });
    expect(hanging.received).toHaveLength(27);
    expect(delays).toEqual([]);
    expect(existsSync(stateFile)).toBe(false);
  });

  it('follows 307 and 308 with the same POST, but no redirect to another scheme or as a GET', async () => {
    const target = await startHub(accepting);
    const temporary = await startHub(() => ({ status: 307, headers: { location: target.url } }));
    const moved = await startHub(() => ({ status: 301, headers: { location: 'https://new-hub.example/' } }));
    const sneaky = await startHub(() => ({ status: 308, headers: { location: 'file:///etc/passwd' } }));
    const report = await pingHubs({ ...(await site()), siteUrl: SITE, hubs: [temporary.url, moved.url, sneaky.url], retryDelayMs: 1 });
    const first = (hub: string) => report.results.find((r) => r.hub === hub);
    expect(first(temporary.url)).toMatchObject({ ok: true, status: 202, attempts: 1 });
    expect(target.received).toHaveLength(9);
    expect(target.received.every((r) => r.method === 'POST' && r.mode === 'publish')).toBe(true);
    expect(first(moved.url)).toMatchObject({ ok: false, status: 301, attempts: 1, reason: 'the hub moved (301 to https://new-hub.example/); set feed.hub to the new URL' });
    expect(first(sneaky.url)).toMatchObject({ ok: false, status: 308, attempts: 1 });
    expect(first(sneaky.url)?.reason).toContain('not an http(s) URL; not followed');
  });

  it('reports a hub that refuses connections as a network error', async () => {
    const closed = await startHub(accepting);
    const server = servers.pop();
    server?.closeAllConnections();
    await new Promise((resolve) => server?.close(resolve));
    const report = await pingHubs({ ...(await site()), siteUrl: SITE, hubs: [closed.url], retries: 1, retryDelayMs: 1 });
    expect(report.results[0]).toMatchObject({ ok: false, attempts: 2 });
    expect(report.results[0]?.status).toBeUndefined();
    expect(report.results[0]?.reason).toMatch(/ECONNREFUSED/);
  });

  it('keeps other sites in a shared state file and ignores a corrupt one', async () => {
    const hub = await startHub(accepting);
    const { outDir, stateFile } = await site();
    const other = { 'https://elsewhere.example/rss.xml': { sha256: 'ab', hubs: [hub.url] } };
    const stale = { [`${SITE}/tags/gone/rss.xml`]: { sha256: 'cd', hubs: [hub.url] } };
    mkdirSync(path.dirname(stateFile), { recursive: true });
    writeFileSync(stateFile, JSON.stringify({ version: 1, feeds: { ...other, ...stale } }));
    await pingHubs({ outDir, stateFile, siteUrl: SITE, hubs: [hub.url] });
    const state = JSON.parse(readFileSync(stateFile, 'utf8')) as PingState;
    expect(Object.keys(state.feeds).sort()).toEqual([...ALL_FEEDS, 'https://elsewhere.example/rss.xml'].sort());

    writeFileSync(stateFile, '{ not json');
    const report = await pingHubs({ outDir, stateFile, siteUrl: SITE, hubs: [hub.url] });
    expect(report.stateWarnings[0]).toMatch(/^ignoring .*ping\.json .*every feed is pinged$/);
    expect(report.results).toHaveLength(9);
    expect(report.stateWritten).toBe(true);
  });
});
