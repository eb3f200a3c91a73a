/** Worker-thread entry for rendering: renders each post of a batch (markdown-it + sanitizer) with the site's options. */
import { parentPort, workerData } from 'node:worker_threads';
import { renderParts, type PartsOptions } from './parts.js';
import type { RenderJob, RenderReply } from './pool.js';

const options = workerData as PartsOptions;

parentPort?.on('message', (job: RenderJob) => {
  let reply: RenderReply;
  try {
    reply = { id: job.id, results: job.items.map((item) => renderParts(item, options)) };
  } catch (cause) {
    reply = { id: job.id, error: cause instanceof Error ? (cause.stack ?? cause.message) : String(cause) };
  }
  parentPort?.postMessage(reply);
});
