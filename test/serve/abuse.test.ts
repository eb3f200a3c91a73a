/**
 * `serve` under abuse (issue 11): slow clients, many clients, an exhausted connection cap, Range, binding
 * and a taken port. Timeouts are set short through `limits`, and every wait is for an event (a socket
 * closing, a response arriving), never for a stretch of wall-clock time. All sockets stay on 127.0.0.1.
 */
import { readFileSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runServe } from '../../src/cli/serve.js';
import { publish } from '../../src/index.js';
import { startServer, type RunningServer, type ServeLimits } from '../../src/serve/index.js';
import { rawRequest, type RawResponse } from '../support/http.js';
import { CONFIG, makeSite, post } from '../support/site.js';

const NOW = new Date('2026-11-01T00:00:00Z');
const SHORT: ServeLimits = { headersTimeoutMs: 300, requestTimeoutMs: 600, keepAliveTimeoutMs: 300, checkIntervalMs: 50 };

const running: RunningServer[] = [];
const sockets: net.Socket[] = [];
afterEach(async () => {
  for (const s of sockets.splice(0)) s.destroy();
  for (const server of running.splice(0)) await server.close();
});

async function builtSite(): Promise<{ site: string; out: string }> {
  const site = makeSite({ 'content/_config.yml': CONFIG, 'content/_posts/2026-01-02-a.md': post('Under load', '2026-01-02T10:00:00') });
  const out = path.join(site, 'output');
  await publish({ contentDir: path.join(site, 'content'), outDir: out, now: NOW });
  return { site, out };
}

async function serve(out: string, limits: ServeLimits): Promise<RunningServer> {
  const server = await startServer({ dir: out, port: 0, limits });
  running.push(server);
  return server;
}

const get = (base: string, target: string, headers: Record<string, string> = {}): Promise<RawResponse> => rawRequest(base, target, { headers });

/** A raw connection; `closed` resolves with what the server sent before closing it. */
function connect(base: string, host = '127.0.0.1'): { socket: net.Socket; connected: Promise<void>; closed: Promise<string> } {
  const socket = net.connect(Number(new URL(base).port), host);
  sockets.push(socket);
  let received = '';
  socket.on('data', (d: Buffer) => (received += d.toString('latin1')));
  socket.on('error', () => undefined);
  const connected = new Promise<void>((resolve) => socket.once('connect', () => resolve()));
  const closed = new Promise<string>((resolve) => socket.once('close', () => resolve(received)));
  return { socket, connected, closed };
}

/** A slowloris client: a request line, then one header byte every 100 ms, never finishing the headers. */
function slowClient(base: string): Promise<string> {
  const { socket, connected, closed } = connect(base);
  void connected.then(() => {
    socket.write('GET /rss.xml HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ');
    const drip = setInterval(() => socket.write('a'), 100);
    socket.once('close', () => clearInterval(drip));
  });
  return closed;
}

describe('serve under abuse', () => {
  it('serves many concurrent clients while slow clients drip headers, and cuts the slow ones off with 408', async () => {
    const { out } = await builtSite();
    const server = await serve(out, { ...SHORT, maxConnections: 64 });
    const rss = readFileSync(path.join(out, 'rss.xml'));
    const slow = Array.from({ length: 16 }, () => slowClient(server.url));
    const normal = await Promise.all(Array.from({ length: 40 }, () => get(server.url, '/rss.xml')));
    for (const res of normal) {
      expect(res.status).toBe(200);
      expect(res.body.equals(rss)).toBe(true);
    }
    // The slow clients end because the server's header timeout ends them, not because we stop.
    for (const sent of await Promise.all(slow)) expect(sent).toMatch(/^(HTTP\/1\.1 408 |$)/);
    expect((await get(server.url, '/rss.xml')).status).toBe(200);
  });

  it('closes connections beyond the cap at once, reclaims idle ones, then serves a normal client', async () => {
    const { out } = await builtSite();
    const server = await serve(out, { ...SHORT, maxConnections: 4 });
    const idle = Array.from({ length: 4 }, () => connect(server.url));
    await Promise.all(idle.map((c) => c.connected));
    const order: string[] = [];
    const extra = connect(server.url);
    const idleClosed = idle.map((c, i) => c.closed.then((sent) => (order.push(`idle${i}`), sent)));
    expect(await extra.closed.then((sent) => (order.push('extra'), sent))).toBe('');
    // Idle connections that never send a request are answered 408 and closed by the header timeout.
    for (const sent of await Promise.all(idleClosed)) expect(sent).toMatch(/^(HTTP\/1\.1 408 |$)/);
    expect(order[0]).toBe('extra');
    expect((await get(server.url, '/feed.json')).status).toBe(200);
  });

  it('ignores Range (RFC 9110 §14.2): a full 200 with Accept-Ranges: none', async () => {
    const { out } = await builtSite();
    const server = await serve(out, SHORT);
    const atom = readFileSync(path.join(out, 'atom.xml'));
    for (const range of ['bytes=0-9', 'bytes=-5', 'bytes=999999-', 'bytes=0-1,5-9', 'lines=1-2']) {
      const res = await get(server.url, '/atom.xml', { range });
      expect(res.status, range).toBe(200);
      expect(res.headers['accept-ranges']).toBe('none');
      expect(res.headers['content-range']).toBeUndefined();
      expect(res.body.equals(atom)).toBe(true);
    }
  });

  it('listens on 127.0.0.1 only by default (not even 127.0.0.2 reaches it) and says so', async () => {
    const { site } = await builtSite();
    let stdout = '';
    let announced: () => void = () => undefined;
    const listening = new Promise<void>((resolve) => (announced = resolve));
    const controller = new AbortController();
    const write = (t: string): void => {
      stdout += t;
      if (stdout.includes('Listening on')) announced();
    };
    const done = runServe(['--port', '0'], { stdout: write, stderr: () => undefined, cwd: site, now: () => NOW }, { signal: controller.signal, limits: SHORT });
    // Either the server announces itself or runServe ends (and the assertions below fail with its output).
    await Promise.race([listening, done]);
    const url = /^Serving output at (\S+)$/m.exec(stdout)?.[1] ?? '';
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
    expect(stdout).toContain('Listening on 127.0.0.1 only: other machines cannot connect (use --host 0.0.0.0 to share)');
    expect((await get(url, '/rss.xml')).status).toBe(200);
    const other = connect(url, '127.0.0.2');
    const refused = await new Promise<string>((resolve) => {
      other.socket.once('error', (e: NodeJS.ErrnoException) => resolve(e.code ?? ''));
      other.socket.once('connect', () => resolve('connected'));
    });
    expect(refused).toBe('ECONNREFUSED');
    controller.abort();
    expect(await done).toBe(0);
  });

  it('a taken port is a usage error (exit 2) that names the port', async () => {
    const { site } = await builtSite();
    const holder = net.createServer();
    await new Promise<void>((resolve) => holder.listen(0, '127.0.0.1', resolve));
    const port = (holder.address() as net.AddressInfo).port;
    try {
      let stderr = '';
      const code = await runServe(['--port', String(port)], { stdout: () => undefined, stderr: (t) => (stderr += t), cwd: site, now: () => NOW });
      expect(code).toBe(2);
      expect(stderr).toContain(`feedwright serve: port ${port} on 127.0.0.1 is already in use; choose another with --port`);
    } finally {
      await new Promise((resolve) => holder.close(resolve));
    }
  });
});
