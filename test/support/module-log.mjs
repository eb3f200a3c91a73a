// `node --import ./module-log.mjs ...`: at exit, prints to stderr one line `MODULES <json>` with the npm
// packages the process loaded, as ES modules (through a load hook) or CommonJS (from require's cache). A
// loaded file of the built CLI's bundle (dist/bin.js and its chunks, see scripts/bundle.mjs) counts for
// every package esbuild put into it, as its metafile (dist/bundle-meta.json) lists them.
import { readFileSync } from 'node:fs';
import { createRequire, register } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { MessageChannel } from 'node:worker_threads';

const ROOT = path.resolve(import.meta.dirname, '..', '..');
const packageOf = (file) => /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(file)?.[1];
/** dist-relative output file (posix, as the metafile names it) → the packages bundled into it. */
const bundled = new Map();
try {
  const meta = JSON.parse(readFileSync(path.join(ROOT, 'dist', 'bundle-meta.json'), 'utf8'));
  for (const [output, { inputs }] of Object.entries(meta.outputs)) {
    bundled.set(output, Object.keys(inputs).flatMap((input) => packageOf(input) ?? []));
  }
} catch {
  // No bundle: every package is its own file.
}
const loaded = new Set();
const note = (file) => {
  const posix = file.split(path.sep).join('/');
  const name = packageOf(posix);
  if (name !== undefined) loaded.add(name);
  for (const inner of bundled.get(path.posix.relative(ROOT.split(path.sep).join('/'), posix)) ?? []) loaded.add(inner);
};
const { port1, port2 } = new MessageChannel();
port1.on('message', (url) => {
  if (url.startsWith('file:')) note(fileURLToPath(url));
});
port1.unref();
const hooks = `
let port;
export function initialize(data) { port = data.port; }
export async function load(url, context, next) { port.postMessage(url); return next(url, context); }
`;
register(`data:text/javascript,${encodeURIComponent(hooks)}`, { data: { port: port2 }, transferList: [port2] });
process.on('exit', () => {
  for (const file of Object.keys(createRequire(import.meta.url).cache)) note(file);
  process.stderr.write(`MODULES ${JSON.stringify([...loaded].sort())}\n`);
});
