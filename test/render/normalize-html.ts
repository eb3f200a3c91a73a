/**
 * The normalization under which feedwright's Markdown HTML is compared with kramdown's: both are parsed as
 * HTML fragments (parse5) and re-serialized canonically, so these differences vanish and nothing else does:
 * - whitespace: runs collapse to one space outside `<pre>`, and whitespace beside block tags is dropped
 *   (kramdown indents nested blocks; browsers ignore it), and so is white space beside `<br>`;
 * - entity vs character: `&#8617;`, `&copy;`, `&nbsp;` and their characters serialize alike; only `&`, `<`,
 *   `>` (and `"` in attributes) are escaped;
 * - attribute order: attributes are sorted by name; `<br />` and `<br>` are one form;
 * - Rouge markup: inside `<pre><code>` and Rouge's inline `<code>` only the text is kept (feedwright does
 *   not tokenize code).
 */
import { parseFragment } from 'parse5';
import type { DefaultTreeAdapterMap } from 'parse5';

type Node = DefaultTreeAdapterMap['childNode'];
type ParentNode = DefaultTreeAdapterMap['parentNode'];

const VOID = new Set(['area', 'base', 'br', 'col', 'embed', 'hr', 'img', 'input', 'link', 'meta', 'source', 'track', 'wbr']);
// Block tags, plus `br`: white space at the end or start of a rendered line is not displayed (CSS Text 3 §4.1.2).
const BLOCK = 'p|div|ul|ol|li|dl|dt|dd|table|thead|tbody|tfoot|tr|th|td|blockquote|h[1-6]|pre|hr|figure|figcaption|section|iframe|math|br';

function escapeText(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

function textContent(node: Node): string {
  if (node.nodeName === '#text' && 'value' in node) return node.value;
  if ('childNodes' in node) return node.childNodes.map(textContent).join('');
  return '';
}

function serialize(parent: ParentNode, inPre: boolean): string {
  let out = '';
  const children = 'content' in parent && parent.nodeName === 'template' ? parent.content.childNodes : parent.childNodes;
  for (const node of children) {
    if (node.nodeName === '#text' && 'value' in node) {
      out += escapeText(inPre ? node.value : node.value.replace(/[ \t\r\n\f]+/g, ' '));
    } else if (node.nodeName === '#comment' && 'data' in node) {
      out += `<!--${node.data.replace(/\s+/g, ' ').trim()}-->`;
    } else if ('tagName' in node) {
      const attrs = [...node.attrs]
        .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
        .map((a) => ` ${a.name}="${a.value.replace(/&/g, '&amp;').replace(/"/g, '&quot;')}"`)
        .join('');
      out += `<${node.tagName}${attrs}>`;
      if (VOID.has(node.tagName)) continue;
      const rouge = node.attrs.some((a) => a.name === 'class' && a.value.split(' ').includes('highlighter-rouge'));
      if (node.tagName === 'code' && inPre) out += escapeText(textContent(node));
      else if (node.tagName === 'code' && rouge) out += escapeText(textContent(node).replace(/[ \t\r\n\f]+/g, ' '));
      else out += serialize(node, inPre || node.tagName === 'pre');
      out += `</${node.tagName}>`;
    }
  }
  return out;
}

/** Canonical form of an HTML fragment for comparing two Markdown renderers (see the module comment). */
export function normalizeHtml(html: string): string {
  const canonical = serialize(parseFragment(html), false);
  return canonical
    .replace(new RegExp(` ?(</?(?:${BLOCK})(?: [^>]*)?>) ?`, 'g'), '$1')
    .replace(new RegExp(` ?(</?(?:${BLOCK})(?: [^>]*)?>) ?`, 'g'), '$1')
    .trim();
}
