/** Worker-thread entry for rendering: renders each post of a batch (markdown-it + sanitizer). */
import { parentPort } from 'node:worker_threads';
import { renderParts } from './parts.js';
import type { RenderJob } from './pool.js';

parentPort?.on('message', (job: RenderJob) => {
  parentPort?.postMessage({ id: job.id, results: job.items.map((item) => renderParts(item, job.options)) });
});
