/** Plain text from HTML (titles, excerpts) and HTML from plain text (RSS/Atom summaries). */
import sanitizeHtml from 'sanitize-html';
import { stripXmlForbidden } from '../serialize/xml.js';

// Elements whose content is not text a reader should see.
const NON_TEXT_TAGS = ['script', 'style', 'textarea', 'option', 'noscript', 'iframe', 'object', 'template', 'svg', 'math', 'title', 'head'];

/**
 * The text a browser shows for an HTML fragment (tags dropped, entities decoded, whitespace collapsed),
 * with characters XML forbids removed, so every format carries the same text.
 */
export function htmlToText(html: string): string {
  // Most titles and excerpts hold no markup and no entity: nothing to parse.
  if (!html.includes('<') && !html.includes('&')) return normalizeText(html);
  const parts: string[] = [];
  sanitizeHtml(html, {
    allowedTags: [],
    allowedAttributes: {},
    nonTextTags: NON_TEXT_TAGS,
    // sanitize-html hands textFilter the decoded text re-escaped for &, < and > only; undo exactly that.
    textFilter: (escaped: string) => {
      parts.push(escaped.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&'));
      return '';
    },
  });
  return normalizeText(parts.join(''));
}

/** Collapses whitespace runs to one space, trims, and drops XML-forbidden characters. */
export function normalizeText(text: string): string {
  return stripXmlForbidden(text).replace(/\s+/g, ' ').trim();
}

/** Plain text as HTML that shows that text (`AT&T, 3 < 4` → `AT&amp;T, 3 &lt; 4`). */
export function plainTextToHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}
