/** Worker-thread entry for rendering: reads each post's body and renders it (markdown-it + sanitizer). */
import { parentPort } from 'node:worker_threads';
import { readPostFile } from '../posts/scan.js';
import { decodeBody } from '../posts/to-post.js';
import { renderParts } from './entries.js';
import type { RenderJob, RenderResult } from './render.js';

parentPort?.on('message', (job: RenderJob) => {
  const results: RenderResult[] = job.items.map((item) => {
    const read = readPostFile(job.root, { rel: item.sourcePath, symlink: true }, item.displayPath, job.maxFileBytes);
    if (!('bytes' in read)) return { error: read };
    return { parts: renderParts(item, decodeBody(read.bytes, item.bodyOffset), job) };
  });
  parentPort?.postMessage({ id: job.id, results });
});
