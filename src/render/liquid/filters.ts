/**
 * Jekyll 4.3's Liquid filters (`lib/jekyll/filters.rb`, `filters/url_filters.rb`, `filters/date_filters.rb`,
 * `filters/grouping_filters.rb`) and Liquid's `date`, with Ruby's semantics, in the site's zone.
 */
import { isTruthy, TypeGuards, Value, type FilterImplOptions, type Liquid } from 'liquidjs';
import { compareBytes, plain, rubyCompare, rubyInspect, rubyToS } from './ruby.js';
import { JekyllTime, RubyDate, strftime, toJekyllTime, toLocalTime } from './time.js';

/** Ruby Times and Dates are single values to Liquid, not hashes. */
function isTimeLike(value: unknown): boolean {
  return value instanceof JekyllTime || value instanceof RubyDate;
}

/** What the filters need to know about the site. */
export interface FilterSite {
  /** `url` from `_config.yml` (may be empty). */
  readonly url: string;
  /** `baseurl` from `_config.yml` (may be empty). */
  readonly baseurl: string;
  readonly timeZone: string;
  /** `site.time`, ms since the epoch. */
  readonly now: number;
  readonly markdownify: (text: string) => string;
  readonly smartify: (text: string) => string;
}

/** What liquidjs binds `this` to in a filter (its `FilterImpl`, which liquidjs does not export by name). */
type FilterThis = ThisParameterType<Extract<FilterImplOptions, (...args: never[]) => unknown>>;

const RFC3986_UNRESERVED = /[A-Za-z0-9\-._~]/;
const RFC3986_RESERVED_OR_UNRESERVED = /[A-Za-z0-9\-._~:/?#[\]@!$&'()*+,;=]/;

function percentEncode(ch: string): string {
  let out = '';
  for (const byte of Buffer.from(ch, 'utf8')) out += `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  return out;
}

/**
 * Addressable's `normalize_component` for `allowed` characters: valid `%XX` escapes are kept (upper-cased;
 * an escaped unreserved character is decoded); the text between them is normalized to Unicode NFKC (a
 * no-break space becomes a space) and every character outside `allowed` is percent-encoded as UTF-8.
 */
function normalizeComponent(text: string, allowed: RegExp): string {
  return text
    .split(/(%[0-9A-Fa-f]{2})/)
    .map((part, i) => {
      if (i % 2 === 1) {
        const decoded = String.fromCharCode(parseInt(part.slice(1), 16));
        return RFC3986_UNRESERVED.test(decoded) ? decoded : part.toUpperCase();
      }
      return [...part.normalize('NFKC')].map((ch) => (allowed.test(ch) ? ch : percentEncode(ch))).join('');
    })
    .join('');
}

/** Addressable `URI.parse(x).absolute?`: the text starts with a scheme. */
function hasScheme(text: string): boolean {
  return /^[A-Za-z][A-Za-z0-9+.-]*:/.test(text);
}

/** Addressable's `normalize` for a site-relative reference: dot segments removed, path and query escaped. */
function normalizeRelative(text: string): string {
  const cut = text.search(/[?#]/);
  const path = cut === -1 ? text : text.slice(0, cut);
  const rest = cut === -1 ? '' : text.slice(cut);
  const segments: string[] = [];
  const parts = path.split('/');
  parts.forEach((segment, i) => {
    if (segment === '.') {
      if (i === parts.length - 1) segments.push('');
    } else if (segment === '..') {
      if (segments.length > 1) segments.pop();
      if (i === parts.length - 1) segments.push('');
    } else segments.push(segment);
  });
  return normalizeComponent(segments.join('/'), /[A-Za-z0-9\-._~!$&'()*+,;=:@/]/) + normalizeComponent(rest, /[A-Za-z0-9\-._~!$&'()*+,;=:@/?#]/);
}

/** An object with a `url` (a page or post): Jekyll's URL filters take its `url`. */
function urlOf(input: unknown): string {
  if (input !== null && typeof input === 'object' && !Array.isArray(input) && 'url' in input) return rubyToS((input as { url: unknown }).url);
  return rubyToS(input);
}

function ensureLeadingSlash(text: string): string {
  return text === '' || text.startsWith('/') ? text : `/${text}`;
}

/** Ruby's `encode(xml: :attr)` without the quotes Jekyll strips again: & < > " ' escaped. */
function escapeXmlAttr(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&apos;');
}

/** Jekyll's `relative_url`: `baseurl` + input, normalized; absolute URLs pass through. */
export function toRelativeUrl(site: FilterSite, input: unknown): string | undefined {
  if (input === null || input === undefined) return undefined;
  const text = urlOf(input);
  if (hasScheme(text)) return text;
  const base = site.baseurl.replace(/\/$/, '');
  return normalizeRelative(ensureLeadingSlash(base) + ensureLeadingSlash(text));
}

/** Jekyll's `absolute_url`: `url` + `relative_url`; without a site `url`, the relative URL. */
export function toSiteAbsoluteUrl(site: FilterSite, input: unknown): string | undefined {
  if (input === null || input === undefined) return undefined;
  const text = urlOf(input);
  if (hasScheme(text)) return text;
  const relativeUrl = toRelativeUrl(site, text) ?? '';
  if (site.url === '') return relativeUrl;
  // Addressable's normalize lower-cases the scheme and host.
  const m = /^([A-Za-z][A-Za-z0-9+.-]*):\/\/([^/?#]*)(.*)$/.exec(site.url + relativeUrl);
  if (m === null) return site.url + relativeUrl;
  const scheme = (m[1] ?? '').toLowerCase();
  // Addressable's normalize: scheme and host lower-cased, a default port dropped, an empty path is `/`.
  const host = (m[2] ?? '').toLowerCase().replace(scheme === 'https' ? /:443$/ : scheme === 'http' ? /:80$/ : /$^/, '');
  const rest = m[3] ?? '';
  return `${scheme}://${host}${normalizeRelative(rest === '' || /^[?#]/.test(rest) ? `/${rest}` : rest)}`;
}

/** Jekyll's `time(input)`: the input as a Time in the site's zone, or Jekyll's InvalidDateError. */
function requireTime(site: FilterSite, input: unknown): JekyllTime {
  const t = toLocalTime(input, site.timeZone, site.now);
  if (t === undefined) throw new Error(`Invalid Date: '${rubyInspect(input)}' is not a valid datetime.`);
  return t;
}

function isEmptyDate(input: unknown): boolean {
  return rubyToS(input) === '';
}

function ordinal(day: number): string {
  if (day >= 11 && day <= 13) return 'th';
  return ['th', 'st', 'nd', 'rd'][day % 10] ?? 'th';
}

function stringifyDate(site: FilterSite, input: unknown, month: string, type: unknown, style: unknown): unknown {
  if (isEmptyDate(input)) return input;
  const time = requireTime(site, input);
  if (type === 'ordinal') {
    const day = `${time.fields.day}${ordinal(time.fields.day)}`;
    return strftime(time, style === 'US' ? `${month} ${day}, %Y` : `${day} ${month} %Y`);
  }
  return strftime(time, `%d ${month} %Y`);
}

/** Jekyll's `Utils.slugify` in every mode (`raw`, `default`, `pretty`, `ascii`, `latin`; others only down-case). */
export function slugifyJekyll(input: string, mode = 'default'): string {
  const modes: Record<string, RegExp> = {
    raw: /[ \t\r\n\f\v]+/g,
    default: /[^\p{M}\p{L}\p{Nd}]+/gu,
    pretty: /[^\p{M}\p{L}\p{Nd}._~!$&'()+,;=@]+/gu,
    ascii: /[^A-Za-z0-9]+/g,
    latin: /[^\p{M}\p{L}\p{Nd}]+/gu,
  };
  const pattern = modes[mode];
  if (pattern === undefined) return input.toLowerCase();
  const text = mode === 'latin' ? transliterate(input) : input;
  return text.replace(pattern, '-').replace(/^-|-$/g, '').toLowerCase();
}

// The ruby-i18n default approximations for letters that are not a base letter plus marks.
const APPROXIMATIONS: Record<string, string> = {
  Æ: 'AE', æ: 'ae', Ð: 'D', ð: 'd', Ø: 'O', ø: 'o', Þ: 'TH', þ: 'th', ß: 'ss', Đ: 'D', đ: 'd', Ħ: 'H', ħ: 'h',
  ı: 'i', Ĳ: 'IJ', ĳ: 'ij', ĸ: 'k', Ŀ: 'L', ŀ: 'l', Ł: 'L', ł: 'l', ŉ: "'n", Ŋ: 'NG', ŋ: 'ng', Œ: 'OE', œ: 'oe',
  Ŧ: 'T', ŧ: 't',
};

/** ruby-i18n's `I18n.transliterate` with the default rules: accents dropped, other non-ASCII letters `?`. */
function transliterate(text: string): string {
  let out = '';
  for (const ch of text) {
    const mapped = APPROXIMATIONS[ch];
    if (mapped !== undefined) out += mapped;
    else if (/^[\x00-\x7f]$/.test(ch)) out += ch;
    else {
      const base = ch.normalize('NFD').replace(/\p{M}+/gu, '');
      out += /^[\x00-\x7f]+$/.test(base) ? base : '?';
    }
  }
  return out;
}

/** Jekyll's `item_property`: the (dotted) property of a hash, then numbers-looking text read as numbers. */
function itemProperty(item: unknown, property: string): unknown {
  let value: unknown = item;
  for (const key of property.includes('.') ? property.split('.') : [property]) {
    if (value === null || typeof value !== 'object' || Array.isArray(value) || !Object.hasOwn(value, key)) return undefined;
    value = (value as Record<string, unknown>)[key];
  }
  // `parse_sort_input` reads `to_s`; only text can look like a number there (numbers already are; an
  // array's or hash's inspect and a Time's to_s never match), so only strings are tested.
  if (typeof value !== 'string') return value;
  if (/^\s*-?\d+\s*$/.test(value)) return Number.parseInt(value, 10);
  if (/^\s*-?(?:\d+\.?\d*|\.\d+)\s*$/.test(value)) return Number.parseFloat(value);
  return value;
}

/** Jekyll's `compare_property_vs_target`. */
function matchesTarget(property: unknown, value: unknown): boolean {
  const target = plain(value);
  if (target === null || target === undefined) return property === null || property === undefined;
  const wanted = rubyToS(target);
  if (typeof property === 'string') return property === wanted;
  const list = Array.isArray(property) ? property : property === null || property === undefined ? [] : [property];
  return list.some((p) => rubyToS(p) === wanted);
}

/** Input of `where`-like filters: a hash's values, an array as is; undefined when it is neither. */
function asList(input: unknown): unknown[] | undefined {
  if (Array.isArray(input)) return input;
  if (input !== null && typeof input === 'object' && !isTimeLike(input)) return Object.values(input);
  return undefined;
}

/** Liquid's `Utils.to_number`: numbers stay, numeric text is read, anything else is 0. */
function toNumber(input: unknown): number {
  const value = plain(input);
  if (typeof value === 'number') return value;
  const n = Number(rubyToS(value).trim());
  return Number.isFinite(n) ? n : 0;
}

/** Ruby's `String#to_i` / `Integer()`-free `to_i` on Liquid values. */
function toInteger(input: unknown): number {
  if (input === true) return 1;
  if (input === false || input === null || input === undefined) return 0;
  if (typeof input === 'number') return Math.trunc(input);
  const m = /^\s*([+-]?\d+(?:_\d+)*)/.exec(rubyToS(input));
  return m === null ? 0 : Number.parseInt((m[1] ?? '0').replace(/_/g, ''), 10);
}

function sortItems(value: unknown, property: unknown, nils: unknown): unknown[] {
  const input = plain(value);
  if (input === null || input === undefined) throw new Error('Cannot sort a null object.');
  const list = asList(input) ?? [input];
  if (property === null || property === undefined) {
    return [...list].sort((a, b) => {
      const c = rubyCompare(a, b);
      if (c === undefined) throw new Error(`comparison of ${rubyInspect(a)} with ${rubyInspect(b)} failed`);
      return c;
    });
  }
  if (nils !== 'first' && nils !== 'last') throw new Error(`Invalid nils order: '${rubyToS(nils)}' is not a valid nils order. It must be 'first' or 'last'.`);
  const order = nils === 'first' ? -1 : 1;
  const keyed = list.map((item) => ({ key: itemProperty(item, rubyToS(property)), item }));
  keyed.sort((a, b) => {
    const aNil = a.key === null || a.key === undefined;
    const bNil = b.key === null || b.key === undefined;
    if (!aNil && bNil) return -order;
    if (aNil && !bNil) return order;
    return rubyCompare(a.key, b.key) ?? Math.sign(compareBytes(rubyToS(a.key), rubyToS(b.key)));
  });
  return keyed.map((k) => k.item);
}

function groupsOf(groups: Map<unknown, unknown[]>): { name: unknown; items: unknown[]; size: number }[] {
  return [...groups].map(([name, items]) => ({ name, items, size: items.length }));
}

const CJK = /[\p{Script=Han}\p{Script=Katakana}\p{Script=Hiragana}\p{Script=Hangul}]/gu;
// Ruby's \s is ASCII whitespace only.
const NON_CJK_WORD = /[^\p{Script=Han}\p{Script=Katakana}\p{Script=Hiragana}\p{Script=Hangul} \t\r\n\f\v]+/gu;
const RUBY_SPLIT = /[ \t\n\v\f\r\0]+/;

function wordsOf(text: string): string[] {
  return text.split(RUBY_SPLIT).filter((w) => w !== '');
}

/** Makes Jekyll's filters for one site, as liquidjs filter implementations. */
export function createJekyllFilters(site: FilterSite): Record<string, FilterImplOptions> {
  const exp = (liquid: Liquid, expression: unknown): Value => new Value(rubyToS(expression), liquid);
  return {
    // Liquid's standard `date` (liquid/standardfilters.rb): no format leaves the input as it is.
    date(input: unknown, format?: unknown) {
      const fmt = rubyToS(format);
      if (fmt === '') return input;
      const t = toJekyllTime(input, site.timeZone, site.now);
      return t === undefined ? input : strftime(t, fmt);
    },
    date_to_xmlschema: (input: unknown) => (isEmptyDate(input) ? input : strftime(requireTime(site, input), '%Y-%m-%dT%H:%M:%S%:z')),
    date_to_rfc822: (input: unknown) => (isEmptyDate(input) ? input : strftime(requireTime(site, input), '%a, %d %b %Y %H:%M:%S %z')),
    date_to_string: (input: unknown, type?: unknown, style?: unknown) => stringifyDate(site, input, '%b', type, style),
    date_to_long_string: (input: unknown, type?: unknown, style?: unknown) => stringifyDate(site, input, '%B', type, style),
    relative_url: (input: unknown) => toRelativeUrl(site, input),
    absolute_url: (input: unknown) => toSiteAbsoluteUrl(site, input),
    strip_index: (input: unknown) => (input === null || input === undefined || rubyToS(input) === '' ? undefined : rubyToS(input).replace(/\/index\.html?$/, '/')),
    markdownify: (input: unknown) => site.markdownify(rubyToS(input)),
    smartify: (input: unknown) => site.smartify(rubyToS(input)),
    slugify: (input: unknown, mode?: unknown) => (input === null || input === undefined ? undefined : slugifyJekyll(rubyToS(input), mode === null || mode === undefined ? 'default' : rubyToS(mode))),
        xml_escape: (input: unknown) => escapeXmlAttr(rubyToS(input)),
    // Ruby's CGI.escape: everything but `a-zA-Z0-9_.-~` percent-encoded, spaces as `+`.
    cgi_escape: (input: unknown) => [...rubyToS(input)].map((ch) => (ch === ' ' ? '+' : /[a-zA-Z0-9_.\-~]/.test(ch) ? ch : percentEncode(ch))).join(''),
    uri_escape: (input: unknown) => normalizeComponent(rubyToS(input), RFC3986_RESERVED_OR_UNRESERVED),
    normalize_whitespace: (input: unknown) => rubyToS(input).replace(/[ \t\n\v\f\r]+/g, ' ').replace(/^[ \t\n\v\f\r\0]+|[ \t\n\v\f\r\0]+$/g, ''),
    number_of_words(input: unknown, mode?: unknown) {
      const text = rubyToS(input);
      const cjk = (text.match(CJK) ?? []).length;
      if (mode === 'cjk') return cjk + (text.match(NON_CJK_WORD) ?? []).length;
      if (mode === 'auto') return cjk === 0 ? wordsOf(text).length : cjk + (text.match(NON_CJK_WORD) ?? []).length;
      return wordsOf(text).length;
    },
    array_to_sentence_string(input: unknown, connector: unknown = 'and') {
      const list = Array.isArray(input) ? input.map(rubyToS) : [rubyToS(input)];
      const and = rubyToS(connector);
      if (list.length === 0) return '';
      if (list.length === 1) return list[0];
      if (list.length === 2) return `${list[0] ?? ''} ${and} ${list[1] ?? ''}`;
      return `${list.slice(0, -1).join(', ')}, ${and} ${list[list.length - 1] ?? ''}`;
    },
    jsonify: (input: unknown) => JSON.stringify(input ?? null),
    where(this: FilterThis, input: unknown, property: unknown, target: unknown) {
      const value = plain(target);
      if (property === null || property === undefined || Array.isArray(value) || (value !== null && typeof value === 'object' && !isTimeLike(value))) return input;
      const list = asList(input);
      if (list === undefined) return input;
      this.context.memoryLimit.use(list.length);
      return list.filter((item) => matchesTarget(itemProperty(item, rubyToS(property)), value));
    },
    find(input: unknown, property: unknown, target: unknown) {
      const value = plain(target);
      if (property === null || property === undefined || Array.isArray(value) || (value !== null && typeof value === 'object' && !isTimeLike(value))) return input;
      const list = asList(input);
      if (list === undefined) return input;
      return list.find((item) => matchesTarget(itemProperty(item, rubyToS(property)), value));
    },
    *where_exp(this: FilterThis, input: unknown, variable: unknown, expression: unknown): Generator<unknown, unknown, unknown> {
      const list = asList(input);
      if (list === undefined) return input;
      this.context.memoryLimit.use(list.length);
      const condition = exp(this.liquid, expression);
      const out: unknown[] = [];
      for (const item of list) {
        this.context.push({ [rubyToS(variable)]: item });
        const ok = yield condition.value(this.context);
        this.context.pop();
        if (isTruthy(ok, this.context)) out.push(item);
      }
      return out;
    },
    *find_exp(this: FilterThis, input: unknown, variable: unknown, expression: unknown): Generator<unknown, unknown, unknown> {
      const list = asList(input);
      if (list === undefined) return input;
      const condition = exp(this.liquid, expression);
      for (const item of list) {
        this.context.push({ [rubyToS(variable)]: item });
        const ok = yield condition.value(this.context);
        this.context.pop();
        if (isTruthy(ok, this.context)) return item;
      }
      return undefined;
    },
    group_by(input: unknown, property: unknown) {
      if (!Array.isArray(input)) return input;
      const groups = new Map<unknown, unknown[]>();
      for (const item of input) {
        const key = rubyToS(itemProperty(item, rubyToS(property)));
        groups.set(key, [...(groups.get(key) ?? []), item]);
      }
      return groupsOf(groups);
    },
    *group_by_exp(this: FilterThis, input: unknown, variable: unknown, expression: unknown): Generator<unknown, unknown, unknown> {
      if (!Array.isArray(input)) return input;
      this.context.memoryLimit.use(input.length);
      const key = exp(this.liquid, expression);
      const groups = new Map<unknown, unknown[]>();
      for (const item of input) {
        this.context.push({ [rubyToS(variable)]: item });
        const name = yield key.value(this.context);
        this.context.pop();
        const k = isTimeLike(name) ? rubyToS(name) : name;
        groups.set(k, [...(groups.get(k) ?? []), item]);
      }
      return groupsOf(groups);
    },
    sort: (input: unknown, property?: unknown, nils: unknown = 'first') => sortItems(input, property, nils),
    // Liquid's `divided_by` is Ruby's `/`: integer division (rounding down) when both are integers. A float
    // written in the template (`divided_by: 2.0`) stays a float; a float-valued variable holding a whole number
    // cannot be told apart in JavaScript (documented difference).
    divided_by(this: FilterThis, input: unknown, divisor: unknown) {
      const a = toNumber(input);
      const b = toNumber(divisor);
      const arg = this.token.args[0];
      const floatLiteral = TypeGuards.isNumberToken(arg) && /[.eE]/.test(arg.getText());
      if (Number.isInteger(a) && Number.isInteger(b) && !floatLiteral) {
        if (b === 0) throw new Error('divided by 0');
        return Math.floor(a / b);
      }
      return a / b;
    },
    // Ruby's `String#split`: a single space splits on runs of whitespace, ignoring leading ones; an empty
    // pattern splits into characters; trailing empty strings are dropped.
    split(this: FilterThis, input: unknown, pattern: unknown) {
      const text = rubyToS(input);
      this.context.memoryLimit.use(text.length);
      const sep = rubyToS(pattern);
      const parts = sep === ' ' ? text.replace(/^[ \t\n\v\f\r\0]+/, '').split(/[ \t\n\v\f\r\0]+/) : sep === '' ? [...text] : text.split(sep);
      while (parts.length > 0 && parts[parts.length - 1] === '') parts.pop();
      return parts;
    },
    to_integer: (input: unknown) => toInteger(input),
    push: (input: unknown, item: unknown) => (Array.isArray(input) ? [...input, item] : input),
    unshift: (input: unknown, item: unknown) => (Array.isArray(input) ? [item, ...input] : input),
    pop: (input: unknown, num: unknown = 1) => (Array.isArray(input) ? input.slice(0, Math.max(0, input.length - Math.max(0, toInteger(num)))) : input),
    shift: (input: unknown, num: unknown = 1) => (Array.isArray(input) ? input.slice(Math.max(0, toInteger(num))) : input),
    // Jekyll picks at random; feedwright takes the first items so the same input gives the same feed bytes.
    sample(input: unknown, num: unknown = 1) {
      if (!Array.isArray(input)) return input;
      const n = toInteger(num);
      return n === 1 ? input[0] : input.slice(0, Math.max(0, n));
    },
    inspect: (input: unknown) => escapeXmlAttr(rubyInspect(input)),
  };
}
