/** URLs: the only place an `AbsoluteUrl` is made. Resolution follows the WHATWG URL standard, as browsers do. */
import type { AbsoluteUrl } from '../types.js';

const ALLOWED_SCHEMES = new Set(['http:', 'https:', 'mailto:', 'tel:', 'ftp:']);

/**
 * Resolves `href` against `base` exactly as a browser on the page at `base` would, and returns it if the
 * result is an absolute URL with an allowed scheme (http, https, mailto, tel, ftp); otherwise `undefined`.
 * Non-ASCII and unsafe characters come out percent-encoded (RFC 3986).
 */
export function toAbsoluteUrl(href: string, base?: string): AbsoluteUrl | undefined {
  let url: URL;
  try {
    url = base === undefined ? new URL(href) : new URL(href, base);
  } catch {
    return undefined;
  }
  if (!ALLOWED_SCHEMES.has(url.protocol)) return undefined;
  return url.href as AbsoluteUrl;
}

/**
 * Resolves a path reference (such as `categories/news/rss.xml`) under an absolute http(s) URL, which always
 * gives an absolute http(s) URL; anything else is a bug in the caller, so it throws rather than guess.
 */
export function resolveUnder(base: AbsoluteUrl, reference: string): AbsoluteUrl {
  const url = toHttpUrl(reference, base);
  if (url === undefined) throw new Error(`cannot resolve '${reference}' under ${base}`);
  return url;
}

/** Like `toAbsoluteUrl` but only http(s): for links that readers fetch (items, enclosures, feeds). */
export function toHttpUrl(href: string, base?: string): AbsoluteUrl | undefined {
  const url = toAbsoluteUrl(href, base);
  return url !== undefined && /^https?:/.test(url) ? url : undefined;
}

// RFC 3986 §3.3: pchar = unreserved / pct-encoded / sub-delims / ":" / "@"; plus "/" between segments.
const PATH_SAFE = /[A-Za-z0-9\-._~!$&'()*+,;=:@/]/;

/**
 * Percent-encodes a URL path the way Jekyll's `URL.escape_path` + `absolute_url` do: UTF-8 (NFC) bytes of
 * every character outside RFC 3986's path characters become `%XX`. `?` and `#` are encoded too, so a
 * path stays a path.
 */
export function escapePath(pathText: string): string {
  // Most paths are already plain ASCII path characters with no `%`: nothing to do.
  if (/^[A-Za-z0-9\-._~!$&'()*+,;=:@/]*$/.test(pathText)) return pathText;
  let out = '';
  const chars = [...pathText.normalize('NFC')];
  for (let i = 0; i < chars.length; i++) {
    const ch = chars[i] ?? '';
    // An existing %XX escape is kept (Addressable's normalize leaves valid escapes alone).
    if (PATH_SAFE.test(ch) || (ch === '%' && /^[0-9A-Fa-f]{2}$/.test((chars[i + 1] ?? '') + (chars[i + 2] ?? '')))) out += ch;
    else for (const byte of Buffer.from(ch, 'utf8')) out += `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}
