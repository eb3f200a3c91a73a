/**
 * Rendering many posts (markdown-it + sanitizer), on worker threads when the batch is large enough to pay
 * for them. Results come back in input order.
 */
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { renderParts, type PartsOptions, type RenderedParts, type RenderItem } from './parts.js';


/** A batch for a worker. */
export interface RenderJob {
  readonly id: number;
  readonly options: PartsOptions;
  readonly items: readonly RenderItem[];
}

/** Renders batches of posts, inline or on a pool of worker threads. */
export class RenderPool {
  private readonly workers: Worker[] = [];
  private readonly waiting = new Map<number, { resolve: (results: RenderedParts[]) => void; reject: (cause: unknown) => void }>();
  private nextId = 0;

  /**
   * @param threads worker threads to use (0 or 1: none)
   * @param threshold batches smaller than this are rendered inline
   */
  constructor(
    private readonly options: PartsOptions,
    private readonly threads: number = availableParallelism(),
    private readonly threshold: number = 400,
  ) {}

  private worker(index: number): Worker {
    let worker = this.workers[index];
    if (worker === undefined) {
      worker = new Worker(new URL('./pool-worker.js', import.meta.url));
      worker.on('message', (message: { id: number; results: RenderedParts[] }) => {
        this.waiting.get(message.id)?.resolve(message.results);
        this.waiting.delete(message.id);
      });
      worker.on('error', (cause) => {
        for (const pending of this.waiting.values()) pending.reject(cause);
        this.waiting.clear();
      });
      this.workers[index] = worker;
    }
    return worker;
  }

  private onWorker(index: number, items: readonly RenderItem[]): Promise<RenderedParts[]> {
    const id = this.nextId++;
    const job: RenderJob = { id, options: this.options, items };
    return new Promise((resolve, reject) => {
      this.waiting.set(id, { resolve, reject });
      this.worker(index).postMessage(job);
    });
  }

  /** Renders `items`, returning results in the same order. */
  async render(items: readonly RenderItem[]): Promise<RenderedParts[]> {
    if (this.threads <= 1 || items.length < this.threshold) return items.map((item) => renderParts(item, this.options));
    const size = Math.ceil(items.length / this.threads);
    const slices = Array.from({ length: this.threads }, (_, i) => items.slice(i * size, (i + 1) * size)).filter((s) => s.length > 0);
    return (await Promise.all(slices.map((slice, i) => this.onWorker(i, slice)))).flat();
  }

  /** Stops the worker threads. */
  async close(): Promise<void> {
    await Promise.all(this.workers.map((w) => w.terminate()));
  }
}
