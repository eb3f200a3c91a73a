/**
 * One WebSub publish notification over HTTP, retried with `p-retry` (exponential backoff) after transient
 * failures. Everything a hostile or broken hub can do ends in one short report line: a URL that is not
 * http(s) is never requested, a hub that never answers times out, redirects are capped, error bodies are
 * read no further than their first 4 KiB, and a `Retry-After` beyond the cap is left for the next ping.
 */
import pRetry from 'p-retry';
import { toHttpUrl } from '../render/urls.js';
import { GENERATOR } from '../version.js';

/** One publish notification: this hub, this feed URL. */
export interface PingTask {
  readonly hub: string;
  readonly feedUrl: string;
}

/** The outcome of one notification. */
export interface PingResult extends PingTask {
  readonly ok: boolean;
  /** The hub's last HTTP status; absent when no answer came (network error, timeout, no request made). */
  readonly status?: number;
  /** Requests made (0 when the hub URL was refused before any). */
  readonly attempts: number;
  /** Why it failed; absent when it succeeded. */
  readonly reason?: string;
}

/** How `notifyHub` talks to hubs. */
export interface NotifyOptions {
  /** Retries after a network error, timeout, 408, 429 or 5xx (default 2, so 3 attempts). */
  readonly retries?: number;
  /** Delay before the first retry, doubled for each further one (default 200 ms). */
  readonly retryDelayMs?: number;
  /** The longest `Retry-After` honoured; a hub asking for more is left for the next ping (default 30 s). */
  readonly maxRetryAfterMs?: number;
  /** Per-request time limit, body included (default 10 s). */
  readonly timeoutMs?: number;
  /** Defaults to the global `fetch`. */
  readonly fetch?: typeof fetch;
  /** Waits what a hub's `Retry-After` asks (before the backoff delay); tests pass their own. */
  readonly sleep?: (ms: number) => Promise<void>;
}

/** Redirects (307/308) followed before giving up: a loop ends here. */
export const MAX_REDIRECTS = 5;
/** The most of an error body read: enough for a hub's explanation, never a whole hostile download. */
export const MAX_EXPLANATION_BYTES = 4096;

/** One attempt's outcome. */
interface Attempt {
  readonly ok: boolean;
  readonly status?: number;
  readonly retryable: boolean;
  readonly reason?: string;
  readonly retryAfterMs?: number;
}

/** A failed attempt, thrown so p-retry decides on another. */
class AttemptFailed extends Error {
  constructor(readonly outcome: Attempt) {
    super(outcome.reason ?? 'no reason given');
  }
}

const sleepFor = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Sends one publish notification, retrying transient failures with exponential backoff. */
export async function notifyHub(task: PingTask, options: NotifyOptions): Promise<PingResult> {
  const hub = toHttpUrl(task.hub);
  if (hub === undefined) return { ...task, ok: false, attempts: 0, reason: `'${clean(task.hub)}' is not an http(s) URL; nothing sent` };
  const maxRetryAfter = options.maxRetryAfterMs ?? 30_000;
  const sleep = options.sleep ?? sleepFor;
  const tooLong = (a: Attempt): boolean => a.retryAfterMs !== undefined && a.retryAfterMs > maxRetryAfter;
  // PubSubHubbub 0.4 §7.1 (which W3C WebSub §6 leaves the publish step to): a form-encoded POST of
  // hub.mode=publish and hub.url. Some hubs take several hub.url values in one request, others only the
  // first; one request per feed URL works with every hub.
  const body = new URLSearchParams({ 'hub.mode': 'publish', 'hub.url': task.feedUrl }).toString();
  let attempts = 0;
  try {
    const outcome = await pRetry(
      async (attempt) => {
        attempts = attempt;
        let result: Attempt;
        try {
          result = await postOnce(hub, body, options);
        } catch (cause) {
          result = { ok: false, retryable: false, reason: `unexpected error: ${(cause as Error).message}` };
        }
        if (!result.ok) throw new AttemptFailed(result);
        return result;
      },
      {
        retries: options.retries ?? 2,
        minTimeout: options.retryDelayMs ?? 200,
        factor: 2,
        shouldRetry: ({ error }) => error instanceof AttemptFailed && error.outcome.retryable && !tooLong(error.outcome),
        // RFC 9110 §10.2.3: Retry-After is the least time to wait; the backoff delay comes on top.
        onFailedAttempt: async ({ error, retriesLeft }) => {
          if (!(error instanceof AttemptFailed) || !error.outcome.retryable || retriesLeft === 0 || tooLong(error.outcome)) return;
          if (error.outcome.retryAfterMs !== undefined && error.outcome.retryAfterMs > 0) await sleep(error.outcome.retryAfterMs);
        },
      },
    );
    return { ...task, ok: true, ...(outcome.status === undefined ? {} : { status: outcome.status }), attempts };
  } catch (cause) {
    if (!(cause instanceof AttemptFailed)) return { ...task, ok: false, attempts, reason: `unexpected error: ${clean((cause as Error).message)}` };
    const { outcome } = cause;
    const status = outcome.status === undefined ? {} : { status: outcome.status };
    const wait = tooLong(outcome) ? ` (the hub asked to wait ${Math.ceil((outcome.retryAfterMs ?? 0) / 1000)} s; left for the next ping)` : '';
    return { ...task, ok: false, ...status, attempts, reason: `${outcome.reason ?? 'no reason given'}${wait}` };
  }
}

async function postOnce(hub: string, body: string, options: NotifyOptions): Promise<Attempt> {
  const fetchFn = options.fetch ?? fetch;
  const timeoutMs = options.timeoutMs ?? 10_000;
  // One deadline for the whole exchange, redirects and body included: a hub that trickles bytes still ends.
  const signal = AbortSignal.timeout(timeoutMs);
  let target = hub;
  for (let hops = 0; ; hops++) {
    let response: Response;
    try {
      response = await fetchFn(target, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', 'user-agent': `${GENERATOR.name}/${GENERATOR.version} (+${GENERATOR.uri})` },
        body,
        // Followed by hand below: fetch would turn a POST into a GET on 301/302/303, losing the notification.
        redirect: 'manual',
        signal,
      });
    } catch (cause) {
      return { ok: false, retryable: true, reason: describeNetworkError(cause, timeoutMs) };
    }
    const { status } = response;
    // W3C WebSub §6 has hubs answer 202 or 204; any 2xx is an acceptance. The body is not read.
    if (status >= 200 && status < 300) {
      await response.body?.cancel().catch(() => undefined);
      return { ok: true, status, retryable: false };
    }
    if (status >= 300 && status < 400) {
      const location = response.headers.get('location');
      await response.body?.cancel().catch(() => undefined);
      const next = location === null ? undefined : toHttpUrl(location, target);
      if (next === undefined) return { ok: false, status, retryable: false, reason: `redirected to ${location === null ? 'nowhere' : `'${clean(location)}'`}, which is not an http(s) URL; not followed` };
      // RFC 9110 §15.4.8/§15.4.9: 307 and 308 repeat the request as it was; the others may become a GET.
      if (status !== 307 && status !== 308) return { ok: false, status, retryable: false, reason: `the hub moved (${status} to ${next}); set feed.hub to the new URL` };
      if (hops >= MAX_REDIRECTS) return { ok: false, status, retryable: false, reason: `more than ${MAX_REDIRECTS} redirects; not followed further` };
      target = next;
      continue;
    }
    const said = await readExplanation(response);
    const reason = said === '' ? response.statusText || `HTTP ${status}` : said;
    const retryAfterMs = parseRetryAfter(response.headers.get('retry-after'));
    // Transient: the hub is down or busy (5xx), throttling (429) or timed out reading us (408). Any other
    // 4xx is the hub refusing this request; sending it again would be refused again.
    const retryable = status >= 500 || status === 429 || status === 408;
    return { ok: false, status, retryable, reason, ...(retryAfterMs === undefined ? {} : { retryAfterMs }) };
  }
}

function describeNetworkError(cause: unknown, timeoutMs: number): string {
  if (cause instanceof Error && (cause.name === 'TimeoutError' || cause.name === 'AbortError')) return `no answer within ${timeoutMs} ms`;
  const inner = (cause as { cause?: { code?: unknown; message?: unknown } } | undefined)?.cause;
  if (inner !== undefined && inner !== null) {
    const code = typeof inner.code === 'string' ? `${inner.code} ` : '';
    const message = typeof inner.message === 'string' ? inner.message : '';
    if (code !== '' || message !== '') return clean(`${code}${message}`);
  }
  return clean(cause instanceof Error ? cause.message : String(cause));
}

// The first bytes of an error body: hubs often say there why they refused. The rest is never read.
async function readExplanation(response: Response): Promise<string> {
  if (response.body === null) return '';
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  try {
    while (size < MAX_EXPLANATION_BYTES) {
      const { done, value } = await reader.read();
      if (done) break;
      chunks.push(value);
      size += value.byteLength;
    }
  } catch {
    // A body cut short (or timed out) still explains as much as it got to say.
  } finally {
    await reader.cancel().catch(() => undefined);
  }
  const text = Buffer.concat(chunks).subarray(0, MAX_EXPLANATION_BYTES).toString('utf8');
  return clean(text.replace(/<[^>]*>/g, ' '));
}

/** One short line, with no control characters a hostile hub could use to rewrite the terminal. */
export function clean(text: string): string {
  const line = text
    .replace(/\u001b\[[0-?]*[ -/]*[@-~]/g, '')
    .replace(/[\u0000-\u001f\u007f-\u009f]+/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  return line.length > 200 ? `${line.slice(0, 199)}…` : line;
}

// RFC 9110 §10.2.3: Retry-After is delay-seconds or an HTTP-date.
function parseRetryAfter(value: string | null): number | undefined {
  if (value === null) return undefined;
  const text = value.trim();
  if (/^\d+$/.test(text)) return Number(text) * 1000;
  const at = Date.parse(text);
  return Number.isNaN(at) ? undefined : Math.max(0, at - Date.now());
}
