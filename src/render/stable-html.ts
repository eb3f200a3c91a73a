/**
 * The sanitizer's last pass without a parse, where that is provably the same. The sanitizer's output is
 * parsed again with parse5 and written with the HTML Standard's fragment serialization (§13.3) so that a
 * reader parsing it gets back the same string. For well-nested markup that the tree-construction stage
 * (§13.2.6) inserts exactly as written, the tree is the markup and serializing it only re-spells the
 * tokens: void elements lose ` /`, valueless attributes get `=""`, U+00A0 becomes `&nbsp;`. `toSerializedFragment` does that, and gives up (`undefined`) on
 * anything the tree builder could rearrange, so the caller then parses. The checks are deliberately
 * stricter than the standard: every end tag must close the current element, `<p>` is never left open
 * around a block, table parts sit only in their own parent, text in a table part is whitespace.
 * test/render/stable-html.test.ts checks it against parse5 on arbitrary input.
 */

// HTML §13.1.2: void elements (those the sanitizer keeps).
const VOID = new Set(['br', 'wbr', 'hr', 'img', 'source', 'track', 'col']);
// HTML §13.2.6.4.7 "in body": start tags that first close a `p` element in button scope.
const CLOSES_P = new Set([
  'blockquote', 'details', 'div', 'dl', 'figcaption', 'figure', 'ol', 'p', 'summary', 'ul',
  'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'pre', 'hr', 'table', 'li', 'dd', 'dt',
]);
const HEADINGS = new Set(['h1', 'h2', 'h3', 'h4', 'h5', 'h6']);
// Elements whose insertion modes ("in table", "in table body", "in row", "in column group") foster-parent
// or ignore what is not theirs: only the parts listed in PARENT_OF, and whitespace, may go in them.
const TABLE_STRUCTURE = new Set(['table', 'thead', 'tbody', 'tfoot', 'tr', 'colgroup']);
// The one element each table part may be inserted under without the parser adding or closing anything.
const PARENT_OF: Readonly<Record<string, readonly string[]>> = {
  caption: ['table'], colgroup: ['table'], thead: ['table'], tbody: ['table'], tfoot: ['table'],
  col: ['colgroup'], tr: ['thead', 'tbody', 'tfoot'], td: ['tr'], th: ['tr'],
  li: ['ul', 'ol'], dd: ['dl'], dt: ['dl'],
};
// Elements that parse as themselves in body, none a raw-text, RCDATA or foreign element except `iframe`
// (raw text, accepted only when empty). Anything else gives up.
const KNOWN = new Set([
  'p', 'br', 'wbr', 'hr', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'blockquote', 'pre', 'code', 'kbd', 'samp', 'var',
  'em', 'strong', 'b', 'i', 'u', 's', 'del', 'ins', 'mark', 'small', 'sub', 'sup', 'abbr', 'cite', 'q',
  'dfn', 'time', 'span', 'div', 'a', 'img', 'figure', 'figcaption', 'picture', 'source', 'ul', 'ol', 'li',
  'dl', 'dt', 'dd', 'table', 'caption', 'thead', 'tbody', 'tfoot', 'tr', 'th', 'td', 'colgroup', 'col',
  'details', 'summary', 'video', 'audio', 'track', 'iframe',
]);

const START_TAG = /<([a-z][a-z0-9]*)((?: [a-z][a-z-]*(?:="[^"]*")?)*)( \/)?>/y;
const END_TAG = /<\/([a-z][a-z0-9]*)>/y;
const ATTRIBUTE = / ([a-z][a-z-]*)(?:="([^"]*)")?/g;
// The only character references the sanitizer writes (sanitize-html's escapeHtml); anything else gives up.
const REFERENCE = /&(?:(amp|lt|gt|quot);)?/g;
const DECODED: Readonly<Record<string, string>> = { amp: '&', lt: '<', gt: '>', quot: '"' };
// CR and NUL are changed by the parser's input stream preprocessing and "in body" rules.
const CHANGED_BY_PARSER = /[\r\0]/;
const TABLE_WHITESPACE = /^[\t\n\f ]*$/;
// Text written as it is: parse5 would decode and escape it back to the same string.
const TEXT_CHANGES = /[\u00A0>]|&(?!(?:amp|lt|gt);)/;
// Attributes written as they are: no U+00A0, no raw `<` `>`, no other reference, no valueless attribute
// (an attribute name followed by a space or the end; a value with such a word in it only takes the long way).
const ATTRIBUTES_CHANGE = /[\u00A0<>]|&(?!(?:amp|lt|gt|quot);)| [a-z][a-z-]*(?= |$)/;

/** Decodes the sanitizer's references, or `undefined` for any other `&`. */
function decode(text: string): string | undefined {
  if (!text.includes('&')) return text;
  let ok = true;
  const out = text.replace(REFERENCE, (_, name: string | undefined) => {
    if (name === undefined) ok = false;
    return DECODED[name ?? ''] ?? '';
  });
  return ok ? out : undefined;
}

// HTML §13.3 "escaping a string" as parse5 8 (entities 9) writes it: `&`, U+00A0, `<`, `>`, and `"` in attribute values.
const escapeText = (text: string): string => text.replace(/&/g, '&amp;').replace(/\u00A0/g, '&nbsp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
const escapeAttribute = (text: string): string => escapeText(text).replace(/"/g, '&quot;');

/** A start tag's attributes as parse5 writes them, or `undefined` (a repeated name, an unknown reference). */
function serializeAttributes(attributes: string): string | undefined {
  const asIs = !ATTRIBUTES_CHANGE.test(attributes);
  const seen: string[] = [];
  let out = '';
  ATTRIBUTE.lastIndex = 0;
  for (let match = ATTRIBUTE.exec(attributes); match !== null; match = ATTRIBUTE.exec(attributes)) {
    const [, name = '', value] = match;
    // The tokenizer keeps the first of two attributes of one name.
    if (seen.includes(name)) return undefined;
    seen.push(name);
    if (asIs) continue;
    const decoded = value === undefined ? '' : decode(value);
    if (decoded === undefined) return undefined;
    out += ` ${name}="${escapeAttribute(decoded)}"`;
  }
  return asIs ? attributes : out;
}

/**
 * What parse5 writes after parsing `html` as a fragment (and doubling a leading newline of a `pre`, as the
 * sanitizer does), computed without parsing; `undefined` when that cannot be shown token by token.
 */
export function toSerializedFragment(html: string): string | undefined {
  if (CHANGED_BY_PARSER.test(html)) return undefined;
  const stack: string[] = [];
  let openP = 0;
  let openA = 0;
  let out = '';
  let at = 0;
  while (at < html.length) {
    const lt = html.indexOf('<', at);
    const end = lt === -1 ? html.length : lt;
    if (end > at) {
      const raw = html.slice(at, end);
      const current = stack[stack.length - 1];
      if (current !== undefined && TABLE_STRUCTURE.has(current) && !TABLE_WHITESPACE.test(raw)) return undefined;
      if (!TEXT_CHANGES.test(raw)) {
        out += raw;
      } else {
        const text = decode(raw);
        if (text === undefined) return undefined;
        out += escapeText(text);
      }
      at = end;
      continue;
    }
    if (html.startsWith('</', at)) {
      END_TAG.lastIndex = at;
      const match = END_TAG.exec(html);
      const name = match?.[1];
      if (match === null || name === undefined || stack[stack.length - 1] !== name) return undefined;
      stack.pop();
      if (name === 'p') openP--;
      else if (name === 'a') openA--;
      out += match[0];
      at = END_TAG.lastIndex;
      continue;
    }
    START_TAG.lastIndex = at;
    const match = START_TAG.exec(html);
    const name = match?.[1];
    if (match === null || name === undefined || !KNOWN.has(name)) return undefined;
    const current = stack[stack.length - 1];
    const parents = PARENT_OF[name];
    if (parents !== undefined ? current === undefined || !parents.includes(current) : current !== undefined && TABLE_STRUCTURE.has(current)) return undefined;
    if (openP > 0 && CLOSES_P.has(name)) return undefined;
    if (HEADINGS.has(name) && current !== undefined && HEADINGS.has(current)) return undefined;
    // HTML §13.2.6.4.7: an `a` start tag with an `a` open runs the adoption agency algorithm.
    if (name === 'a' && openA > 0) return undefined;
    const selfClosing = match[3] !== undefined;
    if (selfClosing !== VOID.has(name)) return undefined;
    const attributes = match[2] === undefined || match[2] === '' ? '' : serializeAttributes(match[2]);
    if (attributes === undefined) return undefined;
    out += `<${name}${attributes}>`;
    at = START_TAG.lastIndex;
    if (selfClosing) continue;
    // §13.2.6.4.7: a newline right after `<pre>` is dropped by the parser; an iframe's content is raw text.
    if (name === 'pre' && html.charCodeAt(at) === 10) return undefined;
    if (name === 'iframe' && !html.startsWith('</iframe>', at)) return undefined;
    stack.push(name);
    if (name === 'p') openP++;
    else if (name === 'a') openA++;
  }
  return stack.length === 0 ? out : undefined;
}
