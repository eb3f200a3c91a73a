// Stands in for domutils in the CLI's bundle (scripts/bundle.mjs). sanitize-html uses htmlparser2's `Parser`
// alone; htmlparser2's index also requires domutils, for its `DomUtils` and `getFeed` exports, which pull in
// dom-serializer and an encoding copy of entities. Bundled, they were 138 KB of the render chunk that every
// build and every render worker loads; the library (tsc's output) still requires the real packages.
'use strict';
module.exports = {
  getFeed() {
    throw new Error('domutils is not in the bundle: feedwright uses htmlparser2 through sanitize-html, for its Parser only');
  },
};
