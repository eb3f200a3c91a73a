/**
 * The only XML escaping in feedwright. Serializers build `XmlNode` trees; `renderXml` writes them.
 * Text and attribute values are escaped here and nowhere else (STYLE.md §5).
 */

// XML 1.0 §2.2 Char ::= #x9 | #xA | #xD | [#x20-#xD7FF] | [#xE000-#xFFFD] | [#x10000-#x10FFFF]. Written
// without the `u` flag (C0 controls, U+FFFE/U+FFFF, unpaired surrogates): several times faster on long HTML.
const XML_FORBIDDEN = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/** Removes every character XML 1.0 forbids (C0 controls but tab/LF/CR, U+FFFE/U+FFFF, lone surrogates). */
export function stripXmlForbidden(text: string): string {
  return text.replace(XML_FORBIDDEN, '');
}

/**
 * Escapes text for an XML text node (`'text'`) or a double-quoted attribute value (`'attribute'`),
 * dropping forbidden characters. `&` and `<` become `&#x26;` and `&#x3C;`, the forms the RSS Best Practices
 * Profile and the W3C feed validator want in plain-text elements; `>` is escaped only where it would close
 * `]]>` (XML 1.0 §2.4), and `"` only in attributes, so escaped HTML stays compact.
 */
export function escapeXml(text: string, context: 'text' | 'attribute' = 'text'): string {
  // XML 1.0 §2.11: parsers turn a raw CR into LF; a reference keeps it, so every format reads the same text.
  const escaped = stripXmlForbidden(text).replace(/&/g, '&#x26;').replace(/</g, '&#x3C;').replace(/\]\]>/g, ']]&#x3E;').replace(/\r/g, '&#xD;');
  // XML 1.0 §3.3.3: attribute values have tab and LF normalized to spaces unless written as references.
  return context === 'attribute' ? escaped.replace(/"/g, '&#x22;').replace(/>/g, '&#x3E;').replace(/\n/g, '&#xA;').replace(/\t/g, '&#x9;') : escaped;
}

/** Attribute values; `undefined` drops the attribute. */
export type XmlAttributes = Readonly<Record<string, string | number | undefined>>;

/** An element; `undefined`/`false` children are dropped so absent fields vanish in one place. */
export interface XmlElement {
  readonly name: string;
  readonly attributes: XmlAttributes;
  readonly children: readonly XmlChild[];
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
    yield `${open}>${escapeXml((node.children as readonly string[]).join(''))}</${node.name}>\n`;
    return;
  }
  yield `${open}>\n`;
  for (const child of node.children) {
    if (typeof child === 'string') yield `${pad}  ${escapeXml(child)}\n`;
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
      for (const child of node.children) head += typeof child === 'string' ? `${pad}  ${escapeXml(child)}\n` : renderXml(child, depth + 1);
      return { head, tail };
    }
    const inner = node.children.find((c): c is XmlElement => typeof c !== 'string');
    if (inner === undefined) throw new Error(`<${node.name}> has no container element`);
    node = inner;
  }
}
