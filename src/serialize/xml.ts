/**
 * The only XML escaping in feedwright. Serializers build `XmlNode` trees; `renderXml` writes them.
 * Text and attribute values are escaped here and nowhere else (STYLE.md §5).
 */

// XML 1.0 §2.2 Char ::= #x9 | #xA | #xD | [#x20-#xD7FF] | [#xE000-#xFFFD] | [#x10000-#x10FFFF]. Written
// without the `u` flag (C0 controls, U+FFFE/U+FFFF, unpaired surrogates): several times faster on long HTML.
const XML_FORBIDDEN = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

// Every character that XML_FORBIDDEN can match, paired surrogates too, in one class: a text without any (all
// text that is not in an astral script or emoji) is let through after one scan, about 4x faster than the
// search with its lookaround on 8 KB of HTML. Every post's HTML is stripped four times (the sanitizer's input
// and output, RSS, Atom).
const MAYBE_FORBIDDEN = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uD800-\uDFFF\uFFFE\uFFFF]/;

/** Removes every character XML 1.0 forbids (C0 controls but tab/LF/CR, U+FFFE/U+FFFF, lone surrogates). */
export function stripXmlForbidden(text: string): string {
  return MAYBE_FORBIDDEN.test(text) ? text.replace(XML_FORBIDDEN, '') : text;
}

/**
 * How a text node or attribute value is escaped. XML parsers read every form alike; feed parsers do not,
 * and this is the per-element choice that every parser in test/interop.test.ts reads right:
 *
 * - `'text'` and `'attribute'` (links, ids, categories, authors, dates, and the escaped HTML of descriptions
 *   and content): the predefined entities `&amp;` `&lt;` `&gt;` `&quot;`. Parsers built on fast-xml-parser
 *   or their own entity tables leave `&#x26;`/`&#x3C;`/`&#x22;` undecoded here (@extractus/feed-extractor in
 *   authors, categories and content; @rowanmanning/feed-parser in links, enclosure URLs and Atom category
 *   terms; Miniflux in RSS categories; KDE in descriptions), while every parser decodes the named entities.
 * - `'title'` (RSS and Atom titles, the channel description and Atom subtitle: plain text that some parsers
 *   decode a second time as HTML): `&#x26;` and `&#x3C;`, as the RSS Best Practices Profile (Data Types:
 *   Character Data) advises and the W3C validator's CharacterData rule asks ("Encode & and < in plain text
 *   using hexadecimal character references"). The double-decoding parsers (@rowanmanning/feed-parser,
 *   feed-extractor) turn a title `1&amp;2` written `1&amp;amp;2` into `1&2`, but read `1&#x26;amp;2` right.
 *
 * The RSS `<category>` stays in `'text'` form: feed-extractor and Miniflux misread it hexadecimal, and the
 * validator only warns about a category whose text itself looks like markup (`<b>`, `&amp;`).
 */
export type EscapeMode = 'text' | 'attribute' | 'title';

/**
 * Escapes text for an XML text node or a double-quoted attribute value in the given mode, dropping forbidden
 * characters. `>` is escaped only where it would close `]]>` (XML 1.0 §2.4) or in attributes, so escaped
 * HTML stays compact.
 */
export function escapeXml(text: string, mode: EscapeMode = 'text'): string {
  const clean = stripXmlForbidden(text);
  // XML 1.0 §2.11: parsers turn a raw CR into LF; a reference keeps it, so every format reads the same text.
  if (mode === 'title') return clean.replace(/&/g, '&#x26;').replace(/</g, '&#x3C;').replace(/\]\]>/g, ']]&#x3E;').replace(/\r/g, '&#xD;');
  const escaped = clean.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/\]\]>/g, ']]&gt;').replace(/\r/g, '&#xD;');
  // XML 1.0 §3.3.3: attribute values have tab and LF normalized to spaces unless written as references.
  return mode === 'attribute' ? escaped.replace(/"/g, '&quot;').replace(/>/g, '&gt;').replace(/\n/g, '&#xA;').replace(/\t/g, '&#x9;') : escaped;
}

/** Attribute values; `undefined` drops the attribute. */
export type XmlAttributes = Readonly<Record<string, string | number | undefined>>;

/** An element; `undefined`/`false` children are dropped so absent fields vanish in one place. */
export interface XmlElement {
  readonly name: string;
  readonly attributes: XmlAttributes;
  readonly children: readonly XmlChild[];
  /** How its text children are escaped (`'text'` when absent). */
  readonly escape?: 'title';
}

/** A child: an element, or text (escaped when written). */
export type XmlChild = XmlElement | string;

/** Builds an element, dropping absent children. */
export function el(name: string, attributes: XmlAttributes = {}, ...children: ReadonlyArray<XmlChild | undefined | false | ReadonlyArray<XmlChild | undefined | false>>): XmlElement {
  const kept: XmlChild[] = [];
  for (const child of children.flat()) {
    if (child !== undefined && child !== false) kept.push(child);
  }
  return { name, attributes, children: kept };
}

/** An element with text content, or `undefined` when the text is absent (so it is dropped). */
export function textEl(name: string, text: string | undefined, attributes: XmlAttributes = {}): XmlElement | undefined {
  return text === undefined ? undefined : el(name, attributes, text);
}

/** A plain-text title element (escaped in `'title'` mode), or `undefined` when the text is absent. */
export function titleEl(name: string, text: string | undefined, attributes: XmlAttributes = {}): XmlElement | undefined {
  return text === undefined ? undefined : { ...el(name, attributes, text), escape: 'title' };
}

function renderAttributes(attributes: XmlAttributes): string {
  let out = '';
  for (const [key, value] of Object.entries(attributes)) {
    if (value !== undefined) out += ` ${key}="${escapeXml(String(value), 'attribute')}"`;
  }
  return out;
}

/** Yields the serialization of `node` in chunks, indented by two spaces per level. */
export function* renderXmlChunks(node: XmlElement, depth = 0): Generator<string> {
  const pad = '  '.repeat(depth);
  const open = `${pad}<${node.name}${renderAttributes(node.attributes)}`;
  if (node.children.length === 0) {
    yield `${open}/>\n`;
    return;
  }
  if (node.children.every((c) => typeof c === 'string')) {
    yield `${open}>${escapeXml((node.children as readonly string[]).join(''), node.escape ?? 'text')}</${node.name}>\n`;
    return;
  }
  yield `${open}>\n`;
  for (const child of node.children) {
    if (typeof child === 'string') yield `${pad}  ${escapeXml(child, node.escape ?? 'text')}\n`;
    else yield* renderXmlChunks(child, depth + 1);
  }
  yield `${pad}</${node.name}>\n`;
}

/** Every XML file starts with this declaration (DESIGN.md, Output). */
export const XML_DECLARATION = '<?xml version="1.0" encoding="UTF-8"?>\n';

/** Renders one element (and its subtree) at `depth`, as one string. */
export function renderXml(node: XmlElement, depth = 0): string {
  return [...renderXmlChunks(node, depth)].join('');
}

/**
 * Splits a document whose root holds one container (`<rss><channel>` or `<feed>`) into the text before
 * the items and the text after them, so items can be written one at a time (streaming a large feed).
 * `containerPath` names the elements to open: ['rss', 'channel'] or ['feed'].
 */
export function renderXmlShell(root: XmlElement, containerDepth: number, stylesheet?: string): { head: string; tail: string } {
  let head = XML_DECLARATION;
  // W3C "Associating Style Sheets with XML documents": browsers render the feed through it.
  if (stylesheet !== undefined) head += `<?xml-stylesheet type="text/xsl" href="${escapeXml(stylesheet, 'attribute')}"?>\n`;
  let tail = '';
  let node = root;
  for (let depth = 0; ; depth++) {
    const pad = '  '.repeat(depth);
    head += `${pad}<${node.name}${renderAttributes(node.attributes)}>\n`;
    tail = `${pad}</${node.name}>\n${tail}`;
    if (depth === containerDepth) {
      for (const child of node.children) head += typeof child === 'string' ? `${pad}  ${escapeXml(child, node.escape ?? 'text')}\n` : renderXml(child, depth + 1);
      return { head, tail };
    }
    const inner = node.children.find((c): c is XmlElement => typeof c !== 'string');
    if (inner === undefined) throw new Error(`<${node.name}> has no container element`);
    node = inner;
  }
}
