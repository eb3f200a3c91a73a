// `node --import ./module-log.mjs ...`: at exit, prints to stderr one line `MODULES <json>` with the npm
// packages the process loaded, as ES modules (through a load hook) or CommonJS (from require's cache).
import { createRequire, register } from 'node:module';
import { MessageChannel } from 'node:worker_threads';

const packageOf = (url) => /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url)?.[1];
const loaded = new Set();
const { port1, port2 } = new MessageChannel();
port1.on('message', (url) => {
  const name = packageOf(url);
  if (name !== undefined) loaded.add(name);
});
port1.unref();
const hooks = `
let port;
export function initialize(data) { port = data.port; }
export async function load(url, context, next) { port.postMessage(url); return next(url, context); }
`;
register(`data:text/javascript,${encodeURIComponent(hooks)}`, { data: { port: port2 }, transferList: [port2] });
process.on('exit', () => {
  for (const file of Object.keys(createRequire(import.meta.url).cache)) {
    const name = packageOf(file.split('\\').join('/'));
    if (name !== undefined) loaded.add(name);
  }
  process.stderr.write(`MODULES ${JSON.stringify([...loaded].sort())}\n`);
});
