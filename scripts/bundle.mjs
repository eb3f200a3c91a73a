// `npm run build`, after tsc: bundles the CLI (dist/bin.js) and the render worker (dist/render/pool-worker.js)
// in place, with the packages they import, into ES modules whose shared code sits in dist/render/chunk-*.js.
//
// Why: Node's module loader resolved, read and linked 260 files for every run of the CLI (14 bundled); importing
// the build alone took ~0.24 s over a bare `node -e 0`. One bundle with its lazy parts split off (liquidjs, the
// `_data` reader, the other commands: each still loads only when a run needs it) builds a one-post site in
// 0.72x the wall time (paired runs). The library (dist/index.js and the rest) stays tsc's output as it is;
// only these two entry files are replaced. Chunks sit beside pool-worker.js so that the pool's
// `new URL('./pool-worker.js', import.meta.url)` finds the bundled worker from inside a chunk too.
// dist/bundle-meta.json lists the inputs of every output file (test/lazy-modules.test.ts reads it).
import { readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { build } from 'esbuild';

const ROOT = path.resolve(import.meta.dirname, '..');
const DIST = path.join(ROOT, 'dist');
const RENDER = path.join(DIST, 'render');

// The entries are tsc's output, replaced here: bundling a bundle again would find its chunks gone (below).
const BANNER = "import { createRequire as bundleCreateRequire } from 'node:module'; const require = bundleCreateRequire(import.meta.url);";
if (readFileSync(path.join(DIST, 'bin.js'), 'utf8').includes(BANNER)) {
  console.error('dist/bin.js is bundled already: run `npm run build` (tsc, then this script)');
  process.exit(1);
}

// Chunks are named by hash: drop the last build's, so that only this build's code is in dist/ (the build
// cache's code fingerprint hashes every module there).
for (const name of readdirSync(RENDER)) if (name.startsWith('chunk-')) rmSync(path.join(RENDER, name));

const result = await build({
  // The metafile names files relative to the repository (dist/bin.js, node_modules/...), wherever this runs from.
  absWorkingDir: ROOT,
  entryPoints: [path.join(DIST, 'bin.js'), path.join(DIST, 'render', 'pool-worker.js')],
  outdir: DIST,
  outbase: DIST,
  allowOverwrite: true,
  bundle: true,
  splitting: true,
  chunkNames: 'render/chunk-[hash]',
  format: 'esm',
  platform: 'node',
  target: 'node20',
  sourcemap: true,
  metafile: true,
  logLevel: 'warning',
  // Bundled CommonJS packages `require` Node's built-in modules: an ES module has no `require` of its own.
  banner: { js: BANNER },
  // sanitize-html's postcss is used only to parse `style` attributes, which the sanitizer never does; its
  // htmlparser2 needs domutils only for exports sanitize-html does not use.
  alias: { postcss: './scripts/postcss-unused.cjs', domutils: './scripts/domutils-unused.cjs' },
});
writeFileSync(path.join(DIST, 'bundle-meta.json'), `${JSON.stringify(result.metafile)}\n`);

// Last, once every file of dist/ is as it stays: the code's fingerprint (see src/write/fingerprint.ts), so that
// a build with a cache need not hash 3.4 MB of modules each run.
const { stampCodeFingerprint } = await import(path.join(DIST, 'write', 'fingerprint.js'));
stampCodeFingerprint();
