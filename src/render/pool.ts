/**
 * Rendering many posts (markdown-it + sanitizer) on every core. A round is queued in small batches
 * (`submit`) and worker threads take them at once; the main thread takes batches only while it waits for a
 * round (`collect`), so its own work (Liquid, writing the feeds) comes first and rendering fills its gaps.
 * Workers are started before the posts are parsed, so loading markdown-it, parse5 and sanitize-html
 * overlaps the parse. Results come back in input order.
 */
import { availableParallelism } from 'node:os';
import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import { Worker, type ResourceLimits } from 'node:worker_threads';
import { renderParts, type PartsOptions, type RenderedParts, type RenderItem } from './parts.js';

/** A batch for a worker (the site's options go once, as the worker's `workerData`). */
export interface RenderJob {
  readonly id: number;
  readonly items: readonly RenderItem[];
}

/** A worker's answer to a `RenderJob`: its results in order, or why it failed. */
export type RenderReply = { readonly id: number; readonly results: RenderedParts[] } | { readonly id: number; readonly error: string };

// Posts per batch: small enough that the last batches of a round end together on every thread, large
// enough that a message costs little next to rendering them (~1 ms a post).
const BATCH = 8;
// Batches a worker holds at once: it starts the next while its finished one waits for the main thread
// (which reads worker messages and hands out batches only between its own batches and writes). Eight
// (~30 ms of rendering) carry a worker through the main thread's longer stretches (a flush of every feed,
// a full GC): against three, paired medians of 0.93x the wall time for `--limit 0` over 20,000 posts, and
// 0.93x for a cold news build (its posts rendered ahead while the main thread scans).
const IN_FLIGHT = 8;

// A worker holds one batch of posts at a time: a small young generation (V8's default is 3 × 16 MiB) and
// an old generation under 1 GiB (which also keeps V8's heap growing factor at 2 rather than 4) bound what
// it adds to the build's memory. A post that needs more is rendered on the main thread (see `retire`).
const WORKER_LIMITS: ResourceLimits = { maxYoungGenerationSizeMb: 8, maxOldGenerationSizeMb: 512 };

/** A round being rendered: its results fill in as batches complete. */
export interface Round {
  readonly items: readonly RenderItem[];
  readonly results: (RenderedParts | undefined)[];
  remaining: number;
  readonly done: Promise<void>;
  settle(cause?: unknown): void;
}

/** A round given to `submit`, to be handed to `collect`. */
export interface RenderTicket {
  readonly items: readonly RenderItem[];
  /** Absent when the round is rendered inline, on `collect`. */
  readonly round?: Round;
}

interface Batch {
  readonly round: Round;
  readonly start: number;
  readonly end: number;
}

interface PoolWorker {
  readonly worker: Worker;
  readonly busy: Map<number, Batch>;
}

/** The worker threads a build starts for rendering: `(cores - 1)`, the main thread being the last. */
export function defaultRenderThreads(): number {
  return Math.max(0, availableParallelism() - 1);
}

/** Renders rounds of posts, inline or shared between the main thread and a pool of worker threads. */
export class RenderPool {
  private readonly workers: PoolWorker[] = [];
  private readonly queue: Batch[] = [];
  private nextId = 0;
  private failure: unknown;
  private lost = 0;
  private waiting: Promise<void> | undefined;
  private wake: (() => void) | undefined;

  /**
   * @param threads worker threads to use (0: render on the main thread only)
   * @param threshold rounds smaller than this are rendered inline, unless the workers are already started
   * @param limits each worker's heap limits
   */
  constructor(
    private readonly options: PartsOptions,
    private readonly threads: number = defaultRenderThreads(),
    private readonly threshold: number = 400,
    private readonly limits: ResourceLimits = WORKER_LIMITS,
  ) {}

  /** Starts the worker threads now, so their start-up overlaps the caller's work (parsing the posts). */
  start(): void {
    while (this.workers.length + this.lost < this.threads) {
      const worker = new Worker(new URL('./pool-worker.js', import.meta.url), { workerData: this.options, resourceLimits: this.limits });
      const entry: PoolWorker = { worker, busy: new Map() };
      worker.on('message', (reply: RenderReply) => this.receive(entry, reply));
      worker.on('error', () => this.retire(entry));
      // A worker is only waited on while a batch of it is busy: an idle one never keeps the process alive.
      worker.unref();
      this.workers.push(entry);
    }
  }

  /** Whether worker threads are running (started, and not all of them lost). */
  get running(): boolean {
    return this.workers.length > 0 && this.failure === undefined;
  }

  /** Renders `items`, returning results in the same order. The main thread renders its share while it waits. */
  render(items: readonly RenderItem[]): Promise<RenderedParts[]> {
    return this.collect(this.submit(items));
  }

  /**
   * Queues `items` for the workers, which start on them at once; `collect` gives the results. Between the
   * two the main thread is free for work only it can do (writing the previous round), and renders nothing.
   */
  submit(items: readonly RenderItem[]): RenderTicket {
    if (this.failure !== undefined || this.threads <= 0 || items.length === 0 || (this.workers.length === 0 && items.length < this.threshold)) return { items };
    this.start();
    const round = newRound(items);
    for (let start = 0; start < items.length; start += BATCH) this.queue.push({ round, start, end: Math.min(items.length, start + BATCH) });
    this.dispatch();
    return { items, round };
  }

  /** The results of a submitted round, in order. The main thread renders queued batches until the round is done. */
  async collect(ticket: RenderTicket): Promise<RenderedParts[]> {
    if (this.failure !== undefined) throw this.failure;
    const { round } = ticket;
    if (round === undefined) return ticket.items.map((item) => renderParts(item, this.options));
    // Take batches off the queue (the oldest round first) until this round is done, yielding between
    // batches so worker replies are read and workers are given more; with nothing queued, wait for a reply.
    while (round.remaining > 0) {
      if (this.failure !== undefined) throw this.failure;
      const batch = this.queue.shift();
      if (batch === undefined) {
        await Promise.race([round.done, this.progress()]);
        continue;
      }
      let results: RenderedParts[];
      try {
        results = batch.round.items.slice(batch.start, batch.end).map((item) => renderParts(item, this.options));
      } catch (cause) {
        this.fail(cause);
        throw cause;
      }
      this.complete(batch, results);
      await yieldToEventLoop();
      this.dispatch();
    }
    await round.done;
    return round.results.map((parts, i) => {
      if (parts === undefined) throw new Error(`render pool lost result ${i}`);
      return parts;
    });
  }

  /** Stops the worker threads. */
  async close(): Promise<void> {
    this.fail(new Error('render pool closed'));
    await Promise.all(this.workers.map((w) => w.worker.terminate()));
  }

  /** Settles when a batch completes or a worker is lost, so a round waiting on the workers looks at the queue again. */
  private progress(): Promise<void> {
    this.waiting ??= new Promise((resolve) => {
      this.wake = () => {
        this.waiting = undefined;
        resolve();
      };
    });
    return this.waiting;
  }

  /**
   * A worker that died (out of its memory limit on a huge post, say) is dropped and its batches go back to
   * the front of the queue, for the main thread (with the process's own, larger heap) or another worker.
   */
  private retire(entry: PoolWorker): void {
    const index = this.workers.indexOf(entry);
    if (index === -1) return;
    this.workers.splice(index, 1);
    this.lost++;
    this.queue.unshift(...entry.busy.values());
    entry.busy.clear();
    this.dispatch();
    this.wake?.();
  }

  private dispatch(): void {
    for (const entry of this.workers) {
      while (entry.busy.size < IN_FLIGHT && this.queue.length > 0 && this.failure === undefined) {
        const batch = this.queue.shift();
        if (batch === undefined) break;
        const job: RenderJob = { id: this.nextId++, items: batch.round.items.slice(batch.start, batch.end) };
        if (entry.busy.size === 0) entry.worker.ref();
        entry.busy.set(job.id, batch);
        entry.worker.postMessage(job);
      }
    }
  }

  private receive(entry: PoolWorker, reply: RenderReply): void {
    const batch = entry.busy.get(reply.id);
    entry.busy.delete(reply.id);
    if (entry.busy.size === 0) entry.worker.unref();
    if (batch === undefined) return;
    if ('error' in reply) this.fail(new Error(reply.error));
    else this.complete(batch, reply.results);
    this.dispatch();
    this.wake?.();
  }

  private complete(batch: Batch, results: readonly RenderedParts[]): void {
    const { round } = batch;
    results.forEach((parts, i) => {
      round.results[batch.start + i] = parts;
    });
    round.remaining -= batch.end - batch.start;
    if (round.remaining === 0) round.settle();
  }

  /** A failed render fails every round still waiting (the build stops at the first). */
  private fail(cause: unknown): void {
    this.failure ??= cause;
    const rounds = new Set([...this.queue.map((b) => b.round), ...this.workers.flatMap((w) => [...w.busy.values()].map((b) => b.round))]);
    this.queue.length = 0;
    for (const w of this.workers) w.busy.clear();
    for (const round of rounds) round.settle(this.failure);
  }
}

function newRound(items: readonly RenderItem[]): Round {
  let settle: (cause?: unknown) => void = () => undefined;
  const done = new Promise<void>((resolve, reject) => {
    settle = (cause) => (cause === undefined ? resolve() : reject(cause));
  });
  // Awaited by `render`; a failure found while nobody awaits yet must not count as unhandled.
  done.catch(() => undefined);
  return { items, results: new Array<RenderedParts | undefined>(items.length).fill(undefined), remaining: items.length, done, settle };
}
