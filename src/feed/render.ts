/**
 * Rendering many posts: each post's body is re-read (the scan kept none) and rendered, on worker threads
 * when the batch is large enough to pay for them. Results come back in input order.
 */
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import type { Diagnostic } from '../errors.js';
import { readPostFile } from '../posts/scan.js';
import { decodeBody } from '../posts/to-post.js';
import type { Post } from '../types.js';
import { renderParts, type RenderedParts } from './entries.js';

/** What a worker needs to render one post. */
export type RenderItem = Pick<Post, 'url' | 'summary' | 'sourcePath' | 'displayPath' | 'bodyOffset'>;

/** A batch for a worker. */
export interface RenderJob {
  readonly id: number;
  readonly root: string;
  readonly maxFileBytes: number;
  readonly excerptOnly: boolean;
  readonly items: readonly RenderItem[];
}

/** One post's rendered parts, or why its file could not be read again. */
export type RenderResult = { readonly parts: RenderedParts } | { readonly error: Diagnostic };

/** Renders batches of posts, inline or on a pool of worker threads. */
export class Renderer {
  private readonly workers: Worker[] = [];
  private readonly waiting = new Map<number, { resolve: (results: RenderResult[]) => void; reject: (cause: unknown) => void }>();
  private nextId = 0;
  private nextWorker = 0;

  constructor(
    private readonly root: string,
    private readonly maxFileBytes: number,
    private readonly excerptOnly: boolean,
    private readonly threads: number,
    /** Batches smaller than this are rendered inline. */
    private readonly threshold: number,
  ) {}

  /** A renderer with one worker per core, used for batches of `threshold` posts or more. */
  static create(root: string, maxFileBytes: number, excerptOnly: boolean, workers: number | undefined, threshold: number): Renderer {
    return new Renderer(root, maxFileBytes, excerptOnly, workers ?? availableParallelism(), threshold);
  }

  private inline(items: readonly RenderItem[]): RenderResult[] {
    return items.map((item) => {
      const read = readPostFile(this.root, { rel: item.sourcePath, symlink: true }, item.displayPath, this.maxFileBytes);
      if (!('bytes' in read)) return { error: read };
      return { parts: renderParts(item, decodeBody(read.bytes, item.bodyOffset), { excerptOnly: this.excerptOnly }) };
    });
  }

  private worker(): Worker {
    if (this.workers.length < this.threads) {
      const worker = new Worker(new URL('./render-worker.js', import.meta.url));
      worker.on('message', (message: { id: number; results: RenderResult[] }) => {
        this.waiting.get(message.id)?.resolve(message.results);
        this.waiting.delete(message.id);
      });
      worker.on('error', (cause) => {
        for (const pending of this.waiting.values()) pending.reject(cause);
        this.waiting.clear();
      });
      this.workers.push(worker);
      return worker;
    }
    const worker = this.workers[this.nextWorker++ % this.workers.length] as Worker;
    return worker;
  }

  private onWorker(items: readonly RenderItem[]): Promise<RenderResult[]> {
    const id = this.nextId++;
    const job: RenderJob = { id, root: this.root, maxFileBytes: this.maxFileBytes, excerptOnly: this.excerptOnly, items };
    return new Promise((resolve, reject) => {
      const worker = this.worker();
      this.waiting.set(id, { resolve, reject });
      worker.postMessage(job);
    });
  }

  /** Renders `items`, returning results in the same order. */
  async render(items: readonly RenderItem[]): Promise<RenderResult[]> {
    if (this.threads <= 1 || items.length < this.threshold) return this.inline(items);
    const size = Math.ceil(items.length / this.threads);
    const slices = Array.from({ length: this.threads }, (_, i) => items.slice(i * size, (i + 1) * size)).filter((s) => s.length > 0);
    return (await Promise.all(slices.map((slice) => this.onWorker(slice)))).flat();
  }

  /** Stops the worker threads. */
  async close(): Promise<void> {
    await Promise.all(this.workers.map((w) => w.terminate()));
  }
}
