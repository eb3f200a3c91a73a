/**
 * The feed-reader allowlist. sanitize-html does the parsing and filtering; we add what it lacks for feeds:
 * every `href`/`src`/`srcset`/`cite` resolved to an absolute URL against the post's own URL (readers ignore
 * `xml:base` and resolve relative URLs inconsistently), and a `SafeHtml` brand for the serializers.
 */
import sanitizeHtml from 'sanitize-html';
import { stripXmlForbidden } from '../serialize/xml.js';
import type { AbsoluteUrl, SafeHtml } from '../types.js';
import { toAbsoluteUrl, toHttpUrl } from '../html/urls.js';

/** Elements kept: text structure, links, images and figures, tables, code. Everything else is dropped. */
export const ALLOWED_TAGS: readonly string[] = [
  'p', 'br', 'hr', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'blockquote', 'pre', 'code', 'kbd', 'samp', 'var',
  'em', 'strong', 'b', 'i', 'u', 's', 'del', 'ins', 'mark', 'small', 'sub', 'sup', 'abbr', 'cite', 'q',
  'dfn', 'time', 'span', 'div', 'a', 'img', 'figure', 'figcaption', 'picture', 'source', 'ul', 'ol', 'li',
  'dl', 'dt', 'dd', 'table', 'caption', 'thead', 'tbody', 'tfoot', 'tr', 'th', 'td', 'colgroup', 'col',
  'details', 'summary',
];

/** Attributes kept per element (`*`: on every element). No `style`, `id`, `class` (but code languages) or `on*`. */
export const ALLOWED_ATTRIBUTES: Readonly<Record<string, readonly string[]>> = {
  '*': ['lang', 'dir', 'title'],
  a: ['href', 'hreflang'],
  img: ['src', 'srcset', 'sizes', 'alt', 'width', 'height'],
  source: ['srcset', 'sizes', 'media', 'type'],
  blockquote: ['cite'],
  q: ['cite'],
  del: ['cite', 'datetime'],
  ins: ['cite', 'datetime'],
  time: ['datetime'],
  td: ['colspan', 'rowspan', 'headers'],
  th: ['colspan', 'rowspan', 'headers', 'scope'],
  col: ['span'],
  colgroup: ['span'],
  ol: ['start', 'reversed', 'type'],
  li: ['value'],
  code: ['class'],
  pre: ['class'],
  details: ['open'],
};

// Elements removed together with everything inside them.
const DROPPED_WITH_CONTENT = ['script', 'style', 'textarea', 'option', 'noscript', 'iframe', 'object', 'embed', 'template', 'svg', 'math', 'title', 'head', 'select', 'button', 'form', 'frameset', 'frame', 'applet'];

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

function resolveAttributes(attribs: Readonly<Record<string, string>>, base: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(attribs)) {
    if (name === 'href' || name === 'cite') {
      const url = toAbsoluteUrl(value.trim(), base);
      if (url !== undefined) out[name] = url;
    } else if (name === 'src') {
      // Images are fetched by the reader: http(s) only (no data:, no javascript:).
      const url = toHttpUrl(value.trim(), base);
      if (url !== undefined) out[name] = url;
    } else if (name === 'srcset') {
      const resolved = resolveSrcset(value, base);
      if (resolved !== '') out[name] = resolved;
    } else {
      out[name] = value;
    }
  }
  return out;
}

/**
 * Sanitizes untrusted HTML for a feed and makes every URL in it absolute against `pageUrl`, the URL of
 * the post's own page, exactly as a browser showing that page would resolve them.
 */
export function sanitizeContent(html: string, pageUrl: AbsoluteUrl): SafeHtml {
  const resolve = (tagName: string, attribs: sanitizeHtml.Attributes): sanitizeHtml.Tag => ({ tagName, attribs: resolveAttributes(attribs, pageUrl) });
  const clean = sanitizeHtml(stripXmlForbidden(html), {
    allowedTags: [...ALLOWED_TAGS],
    allowedAttributes: Object.fromEntries(Object.entries(ALLOWED_ATTRIBUTES).map(([k, v]) => [k, [...v]])),
    allowedClasses: { code: ['language-*'], pre: ['language-*'] },
    allowedSchemes: ['http', 'https', 'mailto', 'tel', 'ftp'],
    allowedSchemesByTag: { img: ['http', 'https'], source: ['http', 'https'] },
    allowedSchemesAppliedToAttributes: ['href', 'src', 'cite', 'srcset'],
    allowProtocolRelative: false,
    allowedStyles: {},
    nonTextTags: DROPPED_WITH_CONTENT,
    disallowedTagsMode: 'discard',
    // WHATWG HTML §13.1.2: void elements have no end tag. sanitize-html's default list lacks the allowed
    // source and col and writes `<source></source>`, which the W3C feed validator reports as invalid HTML.
    selfClosing: [...sanitizeHtml.defaults.selfClosing, 'source', 'col'],
    enforceHtmlBoundary: false,
    parseStyleAttributes: false,
    transformTags: { '*': resolve },
  });
  // sanitize-html decodes character references (`&#x1;`) and writes the characters back raw: drop those XML forbids.
  return stripXmlForbidden(clean).trim() as SafeHtml;
}

/** Markdown-rendered HTML → `SafeHtml`: sanitized, URLs absolute. The only producer of `SafeHtml` from content. */
export function renderContent(untrustedHtml: string, pageUrl: AbsoluteUrl): SafeHtml {
  return sanitizeContent(untrustedHtml, pageUrl);
}
