/**
 * How deeply a post's raw HTML nests, measured in one linear pass. sanitize-html's parser (htmlparser2 10)
 * keeps its open elements with `Array#unshift`/`shift`, so its time grows with the square of the depth: a
 * million nested `<b>` would stall a build for hours. No real article nests anywhere near the limit.
 */

/** Deeper raw HTML than this is refused (20,000 levels render in about two seconds). */
export const MAX_HTML_DEPTH = 25_000;

// HTML's void elements (WHATWG HTML §13.1.2): they never open a level.
const VOID = new Set(['area', 'base', 'br', 'col', 'embed', 'hr', 'img', 'input', 'link', 'meta', 'source', 'track', 'wbr']);
// Elements an open sibling closes implicitly (htmlparser2's openImpliesClose, the common cases).
const SELF_CLOSING_SIBLINGS = new Set(['p', 'li', 'dt', 'dd', 'tr', 'td', 'th', 'option']);
const TAG = /<(\/?)([a-zA-Z][a-zA-Z0-9-]*)[^>]*?(\/?)>/g;

/**
 * The deepest nesting of elements in `text` (an estimate that follows htmlparser2's stack: an end tag
 * closes up to the matching open element, an unmatched one is ignored). Stops counting past `limit`.
 */
export function measureHtmlDepth(text: string, limit = MAX_HTML_DEPTH): number {
  // A tag takes at least three characters, so a short text cannot nest past the limit: skip the scan.
  if (text.length < limit * 3) return 0;
  const stack: string[] = [];
  const open = new Map<string, number>();
  let deepest = 0;
  for (const match of text.matchAll(TAG)) {
    const name = (match[2] ?? '').toLowerCase();
    if (VOID.has(name) || match[3] === '/') continue;
    if (match[1] === '/') {
      if ((open.get(name) ?? 0) === 0) continue;
      for (let top = stack.pop(); top !== undefined; top = stack.pop()) {
        open.set(top, (open.get(top) ?? 1) - 1);
        if (top === name) break;
      }
      continue;
    }
    if (SELF_CLOSING_SIBLINGS.has(name) && stack.at(-1) === name) continue;
    stack.push(name);
    open.set(name, (open.get(name) ?? 0) + 1);
    if (stack.length > deepest) deepest = stack.length;
    if (deepest > limit) return deepest;
  }
  return deepest;
}
