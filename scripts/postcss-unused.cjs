// Stands in for postcss in the CLI's bundle (scripts/bundle.mjs). sanitize-html requires postcss when it loads,
// for one feature only, parsing `style` attributes, which feedwright turns off (`parseStyleAttributes: false`
// in src/render/sanitize.ts: no style attribute is allowed). Bundled, postcss was 213 KB of the render chunk that
// every build and every render worker loads; the library (tsc's output) still requires the real package.
'use strict';
module.exports = {
  parse() {
    throw new Error('postcss is not in the bundle: feedwright never parses style attributes (parseStyleAttributes: false)');
  },
};
