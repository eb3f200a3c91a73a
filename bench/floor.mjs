// The floor for `npm run bench`: read every post file of a collection once, and nothing else.
// Usage: node bench/floor.mjs <content-dir> [--sync|--async]
// Lists `_posts/**` (*.md, *.markdown) and reads each file once. Default: `readFileSync` in a loop, the
// faster here (10,000 posts on 2 busy cores: sync 0.55-0.85 s wall / 0.31 s CPU, async 0.96-1.98 s /
// 0.8 s CPU); `--async` reads with `readFile`, CONCURRENCY files in flight.
// Prints one JSON line: { posts, bytes, mode }.
import { readdirSync, readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';

const CONCURRENCY = 64;

export function listPosts(contentDir) {
  const root = path.join(contentDir, '_posts');
  return readdirSync(root, { recursive: true })
    .filter((rel) => rel.endsWith('.md') || rel.endsWith('.markdown'))
    .map((rel) => path.join(root, rel));
}

async function readAsync(files) {
  let bytes = 0;
  let next = 0;
  const worker = async () => {
    while (next < files.length) {
      const file = files[next++];
      const buf = await readFile(file); // read first: `bytes += await …` would lose updates
      bytes += buf.length;
    }
  };
  await Promise.all(Array.from({ length: Math.min(CONCURRENCY, files.length) }, worker));
  return bytes;
}

function readSync(files) {
  let bytes = 0;
  for (const file of files) bytes += readFileSync(file).length;
  return bytes;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const args = process.argv.slice(2);
  const dir = args.find((a) => !a.startsWith('--'));
  if (!dir) { console.error('usage: node bench/floor.mjs <content-dir> [--sync|--async]'); process.exit(2); }
  const mode = args.includes('--async') ? 'async' : 'sync';
  const files = listPosts(dir);
  const bytes = mode === 'sync' ? readSync(files) : await readAsync(files);
  console.log(JSON.stringify({ posts: files.length, bytes, mode }));
}
