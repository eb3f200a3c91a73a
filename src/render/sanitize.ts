/**
 * The feed-reader allowlist. Three passes, so that what a reader shows is what the post's page shows:
 * 1. when the post has an embed, parse5 (the WHATWG HTML parsing algorithm, as browsers parse) reads it into
 *    a tree, where embeds a reader cannot or may not play (`iframe` of an unlisted host, `object`, `embed`,
 *    media without a playable source) become links to what they pointed at, so no video a post embedded is
 *    silently lost;
 * 2. sanitize-html filters that tree's HTML through the allowlist below and resolves every `href`/`src`/
 *    `srcset`/`cite`/`poster` against the post's own URL (readers ignore `xml:base` and resolve relative
 *    URLs inconsistently). Everything a reader gets has passed this filter, links made in pass 1 included;
 * 3. parse5 reads the result again and writes it with the HTML Standard's fragment serialization (§13.3):
 *    void elements without end tags (`<source …>`, never `<source …></source>`), elements nested as a
 *    parser nests them, so re-parsing the output gives back the same string. Where the markup is already
 *    nested as a parser nests it (most posts), stable-html.ts writes the same string without the parse.
 */
import { defaultTreeAdapter, html as parse5Html, parseFragment, serialize, type DefaultTreeAdapterTypes } from 'parse5';
import sanitizeHtml from 'sanitize-html';
import { stripXmlForbidden } from '../serialize/xml.js';
import type { AbsoluteUrl, SafeHtml } from '../types.js';
import { toSerializedFragment } from './stable-html.js';
import { toAbsoluteUrl, toHttpUrl } from './urls.js';

type Node = DefaultTreeAdapterTypes.Node;
type ChildNode = DefaultTreeAdapterTypes.ChildNode;
type ParentNode = DefaultTreeAdapterTypes.ParentNode;
type Element = DefaultTreeAdapterTypes.Element;

/** Options of the sanitizer that come from the site's configuration. */
export interface SanitizeOptions {
  /**
   * Hosts whose `<iframe>`s are kept (`feed.iframe_hosts`, e.g. `www.youtube-nocookie.com`,
   * `player.vimeo.com`), matched exactly against the iframe URL's host. Default: none, every iframe
   * becomes a link.
   */
  readonly iframeHosts?: readonly string[];
}

/** Elements kept: text structure, links, images and figures, tables, code, audio and video. Everything else is dropped. */
export const ALLOWED_TAGS: readonly string[] = [
  'p', 'br', 'wbr', 'hr', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'blockquote', 'pre', 'code', 'kbd', 'samp', 'var',
  'em', 'strong', 'b', 'i', 'u', 's', 'del', 'ins', 'mark', 'small', 'sub', 'sup', 'abbr', 'cite', 'q',
  'dfn', 'time', 'span', 'div', 'a', 'img', 'figure', 'figcaption', 'picture', 'source', 'ul', 'ol', 'li',
  'dl', 'dt', 'dd', 'table', 'caption', 'thead', 'tbody', 'tfoot', 'tr', 'th', 'td', 'colgroup', 'col',
  'details', 'summary', 'video', 'audio', 'track', 'iframe',
];

/**
 * Attributes kept per element (`*`: on every element). No `style`, no `on*`, no `name` (it clobbers
 * `document` properties). `id`, `class`, `role` and `rel` are further limited to the values below.
 */
export const ALLOWED_ATTRIBUTES: Readonly<Record<string, readonly string[]>> = {
  '*': ['lang', 'dir', 'title'],
  a: ['href', 'hreflang', 'id', 'class', 'role', 'rel'],
  img: ['src', 'srcset', 'sizes', 'alt', 'width', 'height'],
  source: ['src', 'srcset', 'sizes', 'media', 'type'],
  video: ['src', 'poster', 'controls', 'width', 'height', 'preload', 'loop', 'muted', 'playsinline'],
  audio: ['src', 'controls', 'preload', 'loop', 'muted'],
  track: ['src', 'kind', 'srclang', 'label', 'default'],
  iframe: ['src', 'width', 'height', 'allowfullscreen', 'sandbox'],
  blockquote: ['cite'],
  q: ['cite'],
  del: ['cite', 'datetime'],
  ins: ['cite', 'datetime'],
  time: ['datetime'],
  h1: ['id'], h2: ['id'], h3: ['id'], h4: ['id'], h5: ['id'], h6: ['id'],
  sup: ['id', 'role'],
  dt: ['id'],
  dd: ['id'],
  div: ['class', 'role'],
  td: ['colspan', 'rowspan', 'headers'],
  th: ['colspan', 'rowspan', 'headers', 'scope'],
  col: ['span'],
  colgroup: ['span'],
  ul: ['class'],
  ol: ['start', 'reversed', 'type', 'class'],
  li: ['value', 'id', 'class', 'role'],
  code: ['class'],
  pre: ['class'],
  details: ['open'],
};

/**
 * Classes kept, per element. Only the ones kramdown and Jekyll write that a reader acts on: NetNewsWire's
 * footnote popover opens on a click on `a.footnote` and scrolls back on `.footnotes .reversefootnote`
 * (its `newsfoot.js`); `language-*` is the CommonMark/kramdown code-language class highlighters key off;
 * `highlight`/`highlighter-rouge` mark Jekyll's Rouge blocks; `task-list`/`task-list-item` mark GFM task
 * lists. Any other class could match a rule of the reader's own stylesheet (`hidden`, `button`), so it goes.
 */
export const ALLOWED_CLASSES: Readonly<Record<string, readonly string[]>> = {
  a: ['footnote', 'reversefootnote'],
  div: ['footnotes', 'highlight', 'highlighter-rouge', 'language-*'],
  pre: ['highlight', 'language-*'],
  code: ['highlighter-rouge', 'language-*'],
  ul: ['task-list'],
  ol: ['task-list'],
  li: ['task-list-item'],
};

/**
 * An `id` that is kept: one token of letters, digits, marks, `_`, `-`, `.` and `:` (what kramdown's header
 * ids, GFM-style Unicode ones included, and its footnote ids `fn:1`, `fnref:1:2` are made of), 1 to 128
 * characters. Ids are kept unprefixed: the links to them point at the post's page (`…/post/#fn:1`), whose
 * ids are these, and NetNewsWire finds a footnote by the link's fragment (`getElementById(hash)`).
 * jekyll-feed publishes the same ids, unprefixed (its `feed.xml` writes `post.content` as it is). No `name`
 * attribute is kept, so no `document` property can be clobbered; an id becomes a `window` named property
 * only where the browser defines none of that name (WebIDL's named property visibility).
 */
export const ID_PATTERN = /^[\p{L}\p{N}_-][\p{L}\p{N}\p{M}_.:-]{0,127}$/u;

/** DPUB-ARIA roles for notes (kramdown writes `doc-noteref`, `doc-endnotes`, `doc-endnote`, `doc-backlink`). */
export const ALLOWED_ROLES: readonly string[] = ['doc-noteref', 'doc-endnotes', 'doc-endnote', 'doc-footnote', 'doc-backlink', 'doc-backref'];

/** `rel` link types kept on `a`: kramdown's `footnote`, and the ones that tell a reader about the link. */
export const ALLOWED_RELS: readonly string[] = ['footnote', 'tag', 'license', 'nofollow', 'ugc', 'sponsored', 'noopener', 'noreferrer'];

/**
 * The sandbox of a kept iframe. Players (YouTube, Vimeo, …) are script applications that use their own
 * origin's cookies and storage: they need `allow-scripts`, and `allow-same-origin` (without it the frame gets
 * an opaque origin, with no storage). The HTML Standard (§4.8.5) warns against that pair only for a frame of
 * the embedding page's own origin, which could lift its own sandbox; a player's origin is never the
 * reader's. `allow-popups` lets "watch on YouTube" and the title link open, and
 * `allow-popups-to-escape-sandbox` lets that page work as an ordinary tab. Not granted: top navigation,
 * forms, modals, downloads, pointer lock. Miniflux gives iframes the same four tokens
 * (`internal/reader/sanitizer/sanitizer.go`).
 */
export const IFRAME_SANDBOX = 'allow-scripts allow-same-origin allow-popups allow-popups-to-escape-sandbox';

// Elements removed together with everything inside them.
const DROPPED_WITH_CONTENT = ['script', 'style', 'textarea', 'option', 'noscript', 'object', 'embed', 'template', 'svg', 'math', 'title', 'head', 'select', 'button', 'form', 'frameset', 'frame', 'applet'];

// HTML §4.8.12.5 / §4.8.11: enumerated attribute values; anything else is dropped rather than guessed at.
const ENUMERATED: Readonly<Record<string, ReadonlySet<string>>> = {
  preload: new Set(['none', 'metadata', 'auto']),
  kind: new Set(['subtitles', 'captions', 'descriptions', 'chapters', 'metadata']),
};

// HTML §13.1.2: void elements have a start tag only.
const VOID_ELEMENTS = ['area', 'base', 'basefont', 'br', 'col', 'embed', 'hr', 'img', 'input', 'link', 'meta', 'source', 'track', 'wbr'];

/** Resolves a `srcset` (HTML §4.8.4.3.1 candidate list) against `base`; candidates with unsafe URLs are dropped. */
export function resolveSrcset(srcset: string, base: string): string {
  // Descriptors with parentheses (a future-syntax escape hatch in the HTML parser) are parsed differently
  // by different parsers; no real srcset needs them, so such a srcset is dropped rather than guessed at.
  if (/[()]/.test(srcset)) return '';
  const out: string[] = [];
  let i = 0;
  const s = srcset;
  while (i < s.length) {
    while (i < s.length && /[\s,]/.test(s.charAt(i))) i++;
    if (i >= s.length) break;
    let j = i;
    while (j < s.length && !/\s/.test(s.charAt(j))) j++;
    let url = s.slice(i, j);
    let descriptor = '';
    if (url.endsWith(',')) {
      url = url.replace(/,+$/, '');
    } else {
      let k = j;
      while (k < s.length && s.charAt(k) !== ',') k++;
      descriptor = s.slice(j, k).trim();
      j = k;
    }
    i = j + 1;
    // HTML §4.8.4.3.1: a descriptor is a width (`100w`), a density (`1.5x`) or, for compatibility, a height.
    if (descriptor !== '' && !/^(?:\d+w|\d+(?:\.\d+)?x|\d+h)(?:\s+(?:\d+w|\d+(?:\.\d+)?x|\d+h))*$/.test(descriptor)) continue;
    const absolute = toHttpUrl(url, base);
    if (absolute !== undefined) out.push(descriptor === '' ? absolute : `${absolute} ${descriptor}`);
  }
  return out.join(', ');
}

function keepTokens(value: string, allowed: readonly string[]): string {
  return value.split(/[\t\n\f\r ]+/).filter((token) => allowed.includes(token.toLowerCase())).map((token) => token.toLowerCase()).join(' ');
}

function resolveAttributes(attribs: Readonly<Record<string, string>>, base: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(attribs)) {
    if (name === 'href' || name === 'cite') {
      const url = toAbsoluteUrl(value.trim(), base);
      if (url !== undefined) out[name] = url;
    } else if (name === 'src' || name === 'poster') {
      // Images, media and frames are fetched by the reader: http(s) only (no data:, no javascript:).
      const url = toHttpUrl(value.trim(), base);
      if (url !== undefined) out[name] = url;
    } else if (name === 'srcset') {
      const resolved = resolveSrcset(value, base);
      if (resolved !== '') out[name] = resolved;
    } else if (name === 'id') {
      if (ID_PATTERN.test(value)) out[name] = value;
    } else if (name === 'role') {
      const role = keepTokens(value, ALLOWED_ROLES);
      if (role !== '') out[name] = role;
    } else if (name === 'rel') {
      const rel = keepTokens(value, ALLOWED_RELS);
      if (rel !== '') out[name] = rel;
    } else if (name === 'sandbox' || name === 'autoplay') {
      // The sandbox is ours alone (set in `sanitizeContent`); autoplay would start sound and downloads nobody asked for.
    } else {
      const allowed = ENUMERATED[name];
      if (allowed === undefined || allowed.has(value.trim().toLowerCase())) out[name] = value;
    }
  }
  return out;
}

// ---------------------------------------------------------------------------------------------------------
// Pass 1: embeds a reader cannot play become links.

const attributeOf = (element: Element, name: string): string | undefined => element.attrs.find((a) => a.name === name)?.value;
const isElement = (node: Node): node is Element => 'tagName' in node;
const isHtmlElement = (node: Node): node is Element => isElement(node) && node.namespaceURI === parse5Html.NS.HTML;

// Elements that take a block of their own: a link that replaces an embed standing alone among them gets a `<p>`.
const BLOCK_ELEMENTS = new Set([
  'address', 'article', 'aside', 'blockquote', 'details', 'dialog', 'div', 'dl', 'fieldset', 'figcaption', 'figure',
  'footer', 'form', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'header', 'hgroup', 'hr', 'main', 'menu', 'nav', 'ol', 'p',
  'pre', 'section', 'summary', 'table', 'ul', 'iframe', 'video', 'audio', 'object', 'embed',
]);
// Elements a reader never shows (dropped here anyway): they do not make a neighbour inline.
const NOT_RENDERED = new Set(['base', 'link', 'meta', 'noscript', 'script', 'style', 'template', 'title']);
const HAS_EMBED = /<(?:iframe|object|embed|video|audio|input)[\t\n\f\r />]/i;
// Containers of flow content where a bare inline link would sit outside any paragraph.
const FLOW_CONTAINERS = new Set(['#document-fragment', 'article', 'aside', 'blockquote', 'details', 'div', 'figure', 'footer', 'header', 'main', 'section']);

function standsAlone(node: Element): boolean {
  const parent = node.parentNode;
  if (parent === null || !FLOW_CONTAINERS.has(parent.nodeName)) return false;
  return parent.childNodes.every((sibling) => {
    if (sibling === node) return true;
    if (sibling.nodeName === '#text') return /^[\t\n\f\r ]*$/.test((sibling as DefaultTreeAdapterTypes.TextNode).value);
    if (sibling.nodeName === '#comment') return true;
    return isElement(sibling) && (BLOCK_ELEMENTS.has(sibling.tagName) || NOT_RENDERED.has(sibling.tagName));
  });
}

function createElement(tagName: string, attrs: Record<string, string>): Element {
  return defaultTreeAdapter.createElement(tagName, parse5Html.NS.HTML, Object.entries(attrs).map(([name, value]) => ({ name, value })));
}

function replaceNode(node: ChildNode, replacements: readonly ChildNode[]): void {
  const parent = node.parentNode;
  if (parent === null) return;
  for (const replacement of replacements) defaultTreeAdapter.insertBefore(parent, replacement, node);
  defaultTreeAdapter.detachNode(node);
}

/** Replaces an embed by a link to `url` (its title, else the URL, as text), in a paragraph when it stood alone. */
function replaceByLink(node: Element, url: string, title: string | undefined): void {
  const link = createElement('a', { href: url });
  defaultTreeAdapter.insertText(link, title !== undefined && title.trim() !== '' ? title.trim() : url);
  if (standsAlone(node)) {
    const paragraph = createElement('p', {});
    defaultTreeAdapter.appendChild(paragraph, link);
    replaceNode(node, [paragraph]);
  } else {
    replaceNode(node, [link]);
  }
}

/** Replaces an element by its children (its fallback content). */
function unwrap(node: Element, keep: (child: ChildNode) => boolean = () => true): ChildNode[] {
  const children = node.childNodes.filter(keep);
  replaceNode(node, children);
  return children;
}

const linkable = (value: string | undefined, base: string): AbsoluteUrl | undefined => (value === undefined ? undefined : toAbsoluteUrl(value.trim(), base));
const playable = (value: string | undefined, base: string): AbsoluteUrl | undefined => (value === undefined ? undefined : toHttpUrl(value.trim(), base));

/** Rewrites one element; returns the nodes whose subtrees still need a visit. */
function rewriteEmbed(element: Element, base: string, iframeHosts: ReadonlySet<string>): readonly ChildNode[] {
  switch (element.tagName) {
    case 'iframe': {
      const src = attributeOf(element, 'src');
      const url = playable(src, base);
      if (url !== undefined && iframeHosts.has(new URL(url).host)) {
        // An iframe's content is never shown (the HTML parser reads it as text): nothing to keep.
        element.childNodes = [];
        return [];
      }
      const link = url ?? linkable(src, base);
      if (link !== undefined) replaceByLink(element, link, attributeOf(element, 'title'));
      else replaceNode(element, []);
      return [];
    }
    case 'embed': {
      const link = linkable(attributeOf(element, 'src'), base);
      if (link !== undefined) replaceByLink(element, link, attributeOf(element, 'title'));
      else replaceNode(element, []);
      return [];
    }
    case 'object': {
      // The resource is `data`; Flash-era embeds name it in a `<param name="movie">` or an inner `<embed>`.
      let source = attributeOf(element, 'data');
      const stack = [...element.childNodes];
      while (source === undefined && stack.length > 0) {
        const node = stack.shift();
        if (node === undefined || !isHtmlElement(node)) continue;
        if (node.tagName === 'param' && /^(?:movie|src|url)$/i.test(attributeOf(node, 'name') ?? '')) source = attributeOf(node, 'value');
        else if (node.tagName === 'embed') source = attributeOf(node, 'src');
        else stack.push(...node.childNodes);
      }
      const link = linkable(source, base);
      if (link !== undefined) {
        replaceByLink(element, link, attributeOf(element, 'title'));
        return [];
      }
      return unwrap(element, (child) => !(isElement(child) && child.tagName === 'param'));
    }
    case 'video':
    case 'audio': {
      // HTML §4.8.11.5: the resource is `src`, else the first `<source>` child. Sources and tracks a reader
      // cannot fetch are removed (an empty `<source>` is invalid), and what remains either plays or falls back.
      const pointedAt: (string | undefined)[] = [attributeOf(element, 'src')];
      let sources = 0;
      for (const child of [...element.childNodes]) {
        if (!isHtmlElement(child) || (child.tagName !== 'source' && child.tagName !== 'track')) continue;
        const src = attributeOf(child, 'src');
        if (child.tagName === 'source') pointedAt.push(src);
        if (playable(src, base) === undefined) defaultTreeAdapter.detachNode(child);
        else if (child.tagName === 'source') sources++;
      }
      if (sources > 0 || playable(pointedAt[0], base) !== undefined) return element.childNodes;
      const link = pointedAt.map((value) => linkable(value, base)).find((url) => url !== undefined);
      if (link !== undefined) {
        replaceByLink(element, link, attributeOf(element, 'title'));
        return [];
      }
      return unwrap(element);
    }
    default:
      return element.childNodes;
  }
}

function rewriteEmbeds(fragment: ParentNode, base: string, iframeHosts: ReadonlySet<string>): void {
  // An explicit stack: posts nest deeply enough (thousands of unclosed tags) to overflow recursion.
  const stack: ChildNode[] = [...fragment.childNodes];
  while (stack.length > 0) {
    const node = stack.pop();
    if (node === undefined || !isHtmlElement(node)) continue;
    if (node.tagName === 'input' && (attributeOf(node, 'type') ?? '').toLowerCase() === 'checkbox') {
      // A GFM task list item's checkbox (kramdown: `<input type="checkbox" class="task-list-item-checkbox">`):
      // forms are dropped, but whether the item is done is part of the text.
      const mark: DefaultTreeAdapterTypes.TextNode = { nodeName: '#text', value: attributeOf(node, 'checked') === undefined ? '\u2610 ' : '\u2611 ', parentNode: null };
      replaceNode(node, [mark]);
      continue;
    }
    stack.push(...rewriteEmbed(node, base, iframeHosts));
  }
}

// ---------------------------------------------------------------------------------------------------------
// Pass 3: serialization that round-trips.

/**
 * HTML §13.2.6.4.7: the parser drops a newline right after `<pre>`, `<listing>` and `<textarea>`, and parse5's
 * serializer (following §13.3 as amended) does not write one back; so a text that starts with a newline
 * gets a second one, which the next parse drops again.
 */
function protectLeadingNewlines(fragment: ParentNode): void {
  const stack: ChildNode[] = [...fragment.childNodes];
  while (stack.length > 0) {
    const node = stack.pop();
    if (node === undefined || !isElement(node)) continue;
    const first = node.childNodes[0];
    if ((node.tagName === 'pre' || node.tagName === 'listing' || node.tagName === 'textarea') && first?.nodeName === '#text') {
      const text = first as DefaultTreeAdapterTypes.TextNode;
      if (text.value.startsWith('\n')) text.value = `\n${text.value}`;
    }
    stack.push(...node.childNodes);
  }
}

/** The host (with a non-default port) a configured entry names: `player.vimeo.com` or `https://player.vimeo.com/`. */
function hostOf(entry: string): string | undefined {
  const value = entry.trim();
  try {
    return (/^[A-Za-z][A-Za-z0-9+.-]*:\/\//.test(value) ? new URL(value) : new URL(`https://${value}/`)).host || undefined;
  } catch {
    return undefined;
  }
}

/**
 * Sanitizes untrusted HTML for a feed and makes every URL in it absolute against `pageUrl`, the URL of
 * the post's own page, exactly as a browser showing that page would resolve them.
 */
export function sanitizeContent(html: string, pageUrl: AbsoluteUrl, options: SanitizeOptions = {}): SafeHtml {
  const iframeHosts = new Set((options.iframeHosts ?? []).map(hostOf).filter((host): host is string => host !== undefined));
  let input = stripXmlForbidden(html);
  // Pass 1 only where there is something for it to do: a parse costs as much as sanitize-html itself.
  // (An element's name cannot be written with character references, so the test sees every embed.)
  if (HAS_EMBED.test(input)) {
    const tree = parseFragment(input);
    rewriteEmbeds(tree, pageUrl, iframeHosts);
    protectLeadingNewlines(tree);
    input = serialize(tree);
  }
  return toRoundTripHtml(filterHtml(input, pageUrl, iframeHosts));
}

/** Pass 2: sanitize-html through the allowlist, every URL resolved against `pageUrl`. Its markup is not yet round-trip safe. */
export function filterHtml(input: string, pageUrl: AbsoluteUrl, iframeHosts: ReadonlySet<string>): string {
  const resolve = (tagName: string, attribs: sanitizeHtml.Attributes): sanitizeHtml.Tag => {
    const resolved = resolveAttributes(attribs, pageUrl);
    if (tagName === 'iframe') resolved['sandbox'] = IFRAME_SANDBOX;
    // Autoplay is dropped, so a player must show its controls or it cannot be started at all.
    if (tagName === 'video' || tagName === 'audio') resolved['controls'] = '';
    return { tagName, attribs: resolved };
  };
  return sanitizeHtml(input, {
    ...FILTER_OPTIONS,
    allowedIframeHostnames: [...iframeHosts].map((host) => new URL(`https://${host}/`).hostname),
    transformTags: {
      '*': resolve,
      // An iframe's content is never shown (the HTML parser reads it as text).
      iframe: (tagName, attribs) => ({ tagName, attribs, text: '' }),
    },
  });
}

/**
 * The options of pass 2 that are the same for every post, made once: sanitize-html copies what it is given
 * and changes none of it, and rebuilding these lists for every call was a fifth of its fixed cost per post.
 */
const FILTER_OPTIONS: sanitizeHtml.IOptions = {
  allowedTags: [...ALLOWED_TAGS],
  allowedAttributes: Object.fromEntries(Object.entries(ALLOWED_ATTRIBUTES).map(([k, v]) => [k, [...v]])),
  allowedClasses: Object.fromEntries(Object.entries(ALLOWED_CLASSES).map(([k, v]) => [k, [...v]])),
  allowedSchemes: ['http', 'https', 'mailto', 'tel', 'ftp'],
  allowedSchemesByTag: Object.fromEntries(['img', 'source', 'video', 'audio', 'track', 'iframe'].map((tag) => [tag, ['http', 'https']])),
  allowedSchemesAppliedToAttributes: ['href', 'src', 'cite', 'srcset', 'poster'],
  allowProtocolRelative: false,
  allowIframeRelativeUrls: false,
  allowedStyles: {},
  nonTextTags: DROPPED_WITH_CONTENT,
  disallowedTagsMode: 'discard',
  enforceHtmlBoundary: false,
  parseStyleAttributes: false,
  selfClosing: VOID_ELEMENTS,
  // What pass 1 did not see (markup htmlparser2 reads differently from a browser) is still held to it:
  // no iframe without an allowed source, no empty `<source>` or `<track>`.
  exclusiveFilter: (frame) =>
    (frame.tag === 'iframe' && frame.attribs['src'] === undefined) ||
    (frame.tag === 'source' && frame.attribs['src'] === undefined && frame.attribs['srcset'] === undefined) ||
    (frame.tag === 'track' && frame.attribs['src'] === undefined),
};

/**
 * Pass 3: the markup as parse5 parses and serializes it (round-trip safe), with XML-forbidden characters
 * dropped. Usually computed token by token (`toSerializedFragment`, the parse would change nothing but
 * spelling); markup the tree builder could rearrange is parsed.
 */
function toRoundTripHtml(clean: string): SafeHtml {
  // sanitize-html and parse5 decode character references (`&#x1;`) and write the characters raw: drop those XML forbids.
  return stripXmlForbidden(toSerializedFragment(clean) ?? reparseHtml(clean)).trim() as SafeHtml;
}

/** parse5's fragment serialization of `html`, after doubling the leading newline of a `pre` (see `protectLeadingNewlines`). */
export function reparseHtml(html: string): string {
  const fragment = parseFragment(html);
  protectLeadingNewlines(fragment);
  return serialize(fragment);
}

/** Markdown-rendered HTML → `SafeHtml`: sanitized, URLs absolute. The only producer of `SafeHtml` from content. */
export function renderContent(untrustedHtml: string, pageUrl: AbsoluteUrl, options: SanitizeOptions = {}): SafeHtml {
  return sanitizeContent(untrustedHtml, pageUrl, options);
}
