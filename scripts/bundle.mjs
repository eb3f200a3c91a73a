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
import { existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
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

// sanitize-html's postcss is used only to parse `style` attributes, which the sanitizer never does; its
// htmlparser2 needs domutils only for exports sanitize-html does not use.
const ALIAS = { postcss: './scripts/postcss-unused.cjs', domutils: './scripts/domutils-unused.cjs' };

// The render core: the modules that render Markdown and sanitize HTML, with their packages, as one CommonJS file
// (dist/render/core.cjs) that src/render/code-cache.ts loads with V8's code cache (made below). Node 20 keeps no
// compiled code for ES modules: compiling this megabyte took every build ~25 ms of its main thread, and every
// render worker as much.
const CORE_MODULES = ['parts', 'markdown', 'sanitize', 'text'].map((name) => path.join(RENDER, `${name}.js`));
const CORE_FILE = path.join(RENDER, 'core.cjs');
for (const name of readdirSync(RENDER)) if (name.startsWith('core.cjs')) rmSync(path.join(RENDER, name));
const core = await build({
  absWorkingDir: ROOT,
  stdin: { contents: CORE_MODULES.map((file) => `export * from ${JSON.stringify(`./${path.basename(file)}`)};`).join('\n'), resolveDir: RENDER, sourcefile: 'dist/render/core-entry.js' },
  outfile: CORE_FILE,
  bundle: true,
  format: 'cjs',
  platform: 'node',
  target: 'node20',
  sourcemap: true,
  metafile: true,
  logLevel: 'warning',
  alias: ALIAS,
});
const requireHere = createRequire(import.meta.url);
const coreExports = Object.keys(requireHere(CORE_FILE));
delete requireHere.cache[CORE_FILE]; // loaded again below, for its code cache
const coreInputs = new Set(Object.keys(core.metafile.inputs).map((input) => path.resolve(ROOT, input)));

// In the ES bundle, every import of a core module from outside the core takes it from the loaded core.cjs.
const LOADER = path.join(RENDER, 'code-cache.js');
const renderCore = {
  name: 'render-core',
  setup(b) {
    b.onResolve({ filter: /\/(parts|markdown|sanitize|text)\.js$/ }, (args) => {
      const file = path.resolve(args.resolveDir, args.path);
      if (!CORE_MODULES.includes(file) || coreInputs.has(args.importer)) return undefined;
      return { path: 'render-core', namespace: 'render-core' };
    });
    b.onLoad({ filter: /.*/, namespace: 'render-core' }, () => ({
      resolveDir: RENDER,
      contents: [
        `import { loadWithCodeCache } from ${JSON.stringify(LOADER)};`,
        "import { fileURLToPath } from 'node:url';",
        // Every chunk sits in dist/render/, beside core.cjs (checked below).
        "const core = loadWithCodeCache(fileURLToPath(new URL('./core.cjs', import.meta.url))).exports;",
        `export const { ${coreExports.join(', ')} } = core;`,
      ].join('\n'),
    }));
  },
};

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
  alias: ALIAS,
  plugins: [renderCore],
});
const meta = { inputs: { ...result.metafile.inputs, ...core.metafile.inputs }, outputs: { ...result.metafile.outputs, ...core.metafile.outputs } };
writeFileSync(path.join(DIST, 'bundle-meta.json'), `${JSON.stringify(meta)}\n`);
for (const [output, { inputs }] of Object.entries(result.metafile.outputs)) {
  const names = Object.keys(inputs);
  if (names.some((input) => input.startsWith('render-core:')) && path.dirname(path.resolve(ROOT, output)) !== RENDER) throw new Error(`${output} loads the render core but is not in dist/render/`);
  const strays = names.filter((input) => CORE_MODULES.includes(path.resolve(ROOT, input)));
  if (strays.length > 0) throw new Error(`${output} bundles ${strays.join(', ')} again: they belong to core.cjs alone`);
}

// The core's code cache: made after running it over a post that uses what feeds' posts use (kramdown's
// extensions, raw HTML, an embed, a title to smartify), so that the functions that compiled are in it too.
const { codeCacheFile, loadWithCodeCache } = await import(LOADER);
const loaded = loadWithCodeCache(CORE_FILE);
if (loaded.cached) throw new Error('core.cjs was loaded from a code cache that should not exist yet');
const api = loaded.exports;
const options = { excerptOnly: false, iframeHosts: ['www.youtube-nocookie.com'], markdown: api.kramdownOptionsFromSiteConfig({}) };
const sample = [
  '# A "heading" -- with *emphasis*', '{: #top .lead}', '', 'Text with a [link](https://example.org/a "title"), `code`, a footnote[^1] and an HTML abbreviation.', '',
  '*[HTML]: HyperText Markup Language', '', '- one', '- two', '', '1. first', '2. second', '', '> a quote', '', 'Term', ': its definition', '',
  '| a | b |', '|---|---|', '| 1 | 2 |', '', '```ruby', 'puts "hi"', '```', '', '<div class="note" onclick="x()"><p>raw <b>HTML</b> &amp; <script>x()</script></p></div>', '',
  '<iframe src="https://www.youtube-nocookie.com/embed/x"></iframe>', '', '![an image](/img/a.jpg)', '', '[^1]: The note.', '',
].join('\n');
const parts = api.renderParts({ url: 'https://example.org/2026/01/01/post/', body: sample, excerpt: 'Text with a [link](x).', markdown: true }, options);
if (typeof parts?.contentHtml !== 'string' || !parts.contentHtml.includes('<h1')) throw new Error('the render core did not render the sample post');
api.htmlToText(api.markdownRendererFor(options.markdown).smartify('A "title" -- at 5 o\'clock...'));
api.plainTextToHtml('a < b & c');
loaded.saveCache();
if (!existsSync(codeCacheFile(CORE_FILE))) throw new Error('no code cache was written for core.cjs');

// Last, once every file of dist/ is as it stays: the code's fingerprint (see src/write/fingerprint.ts), so that
// a build with a cache need not hash 3.4 MB of modules each run.
const { stampCodeFingerprint } = await import(path.join(DIST, 'write', 'fingerprint.js'));
stampCodeFingerprint();
