/** Local WebSub hubs for the ping tests: node:http servers on 127.0.0.1 that record what they receive. */
import http from 'node:http';
import type { AddressInfo } from 'node:net';

/** One request a hub received. */
export interface Received {
  readonly method: string;
  readonly path: string;
  readonly contentType: string | undefined;
  readonly mode: string | null;
  /** Every hub.url of the request (one is expected). */
  readonly topics: readonly string[];
}

/** How a hub answers one request. */
export interface Answer {
  readonly status: number;
  readonly headers?: Readonly<Record<string, string>>;
  readonly body?: string;
}

/** A running hub and what it has received. */
export interface Hub {
  readonly url: string;
  readonly received: Received[];
  /** hub.url values received, in order. */
  topics(): string[];
}

/** Every hub started and not yet closed. */
export const servers: http.Server[] = [];

/** Closes every hub (call after each test). */
export async function closeHubs(): Promise<void> {
  for (const server of servers.splice(0)) {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
}

/** Starts a hub on 127.0.0.1; `answer` sees each request and how many times its hub.url came before. */
export async function startHub(answer: (request: Received, seenBefore: number, res: http.ServerResponse) => Answer | 'hang' | 'handled'): Promise<Hub> {
  const received: Received[] = [];
  const seen = new Map<string, number>();
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const params = new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
      const request: Received = { method: req.method ?? '', path: req.url ?? '', contentType: req.headers['content-type'], mode: params.get('hub.mode'), topics: params.getAll('hub.url') };
      received.push(request);
      const topic = request.topics.join(' ');
      const before = seen.get(topic) ?? 0;
      seen.set(topic, before + 1);
      const a = answer(request, before, res);
      if (a === 'hang' || a === 'handled') return;
      res.writeHead(a.status, a.headers);
      res.end(a.body ?? '');
    });
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}/hub`, received, topics: () => received.flatMap((r) => r.topics) };
}
