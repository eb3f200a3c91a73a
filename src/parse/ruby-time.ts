/**
 * Ruby's `Time.parse(text, now)` (lib/time.rb, Ruby 3.1–3.3) on top of a port of `Date._parse`
 * (ext/date/date_parse.c, the default non-TIGHT_PARSER build), in an IANA zone given as an argument in
 * place of Ruby's `ENV['TZ']`. Jekyll reads every post date this way (Jekyll::Utils.parse_date), so the
 * port follows the C code step by step, quirks included: the text is scanned by a fixed sequence of
 * pattern matchers, each blanking out what it consumed; whatever no matcher wants is silently ignored.
 * test/parse/ruby-time.test.ts checks it against a table that real Ruby wrote.
 */
import { toZonedFields, zonedWallTimeToInstant, zoneOffsetMinutes } from './zones.js';

/** What `Date._parse` finds in a string (the keys `Time.parse` reads, plus what the parse left over). */
export interface RubyDateHash {
  year?: number;
  mon?: number;
  mday?: number;
  yday?: number;
  hour?: number;
  min?: number;
  sec?: number;
  /** Digits after the decimal point of the seconds, as written. */
  secFraction?: string;
  /** The zone text as written (`EDT`, `+05:30`, `CEST`, `Eastern Standard Time`). */
  zone?: string;
  /** The text no matcher consumed (Ruby drops it without a word). */
  rest: string;
}

/**
 * The instant Ruby's `Time.parse` gives, with a note when the input looks like a mistake, and `usesNow` when
 * the text has no year so the instant depends on `now`; or why Ruby raises.
 */
export type RubyTimeResult = { readonly instant: Date; readonly warning?: string; readonly usesNow?: true } | { readonly problem: string };

interface Scan {
  str: string;
  readonly h: RubyDateHash & { bc?: boolean; comp: boolean; overflow?: string };
}

const ABBR_DAYS = 'sun|mon|tue|wed|thu|fri|sat';
const ABBR_MONTHS = 'jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec';
const ERA = "(c(?:e|\\.e\\.)|b(?:ce|\\.c\\.e\\.)|a(?:d|\\.d\\.)|b(?:c|\\.c\\.))";

// date_parse.c patterns, transcribed. REGCOMP_I → 'i'. Ruby's \d, \s, \w, \b are ASCII-only, as in JS;
// [[:alpha:]] is Unicode in Ruby, hence \p{Alphabetic} (which needs 'u').
const RE = {
  day: new RegExp(`\\b(${ABBR_DAYS})[^-/\\d\\s]*`, 'i'),
  time: new RegExp(
    '((?:\\d+\\s*:\\s*\\d+(?:\\s*:\\s*\\d+(?:[,.]\\d*)?)?|\\d+\\s*h(?:\\s*\\d+m?(?:\\s*\\d+s?)?)?)(?:\\s*[ap](?:m\\b|\\.m\\.))?|\\d+\\s*[ap](?:m\\b|\\.m\\.))' +
      '(?:\\s*((?:gmt|utc?)?[-+]\\d+(?:[,.:]\\d+(?::\\d+)?)?|[\\p{Alphabetic}.\\s]+(?:standard|daylight)\\stime\\b|\\p{Alphabetic}+(?:\\sdst)?\\b))?',
    'iu',
  ),
  time2: /^(\d+)h?(?:\s*:?\s*(\d+)m?(?:\s*:?\s*(\d+)(?:[,.](\d+))?s?)?)?(?:\s*([ap])(?:m\b|\.m\.))?/i,
  eu: new RegExp(`('?\\d+)[^-\\d\\s]*\\s*(${ABBR_MONTHS})[^-\\d\\s']*(?:\\s*${ERA}?\\s*('?-?\\d+(?:(?:st|nd|rd|th)\\b)?))?`, 'i'),
  us: new RegExp(`\\b(${ABBR_MONTHS})[^-\\d\\s']*\\s*('?\\d+)[^-\\d\\s']*(?:\\s*,?\\s*${ERA}?\\s*('?-?\\d+))?`, 'i'),
  iso: /('?[-+]?\d+)-(\d+)-('?-?\d+)/,
  jis: /\b([mtsh])(\d+)\.(\d+)\.(\d+)/i,
  vms11: new RegExp(`('?-?\\d+)-(${ABBR_MONTHS})[^-/.]*-('?-?\\d+)`, 'i'),
  vms12: new RegExp(`\\b(${ABBR_MONTHS})[^-/.]*-('?-?\\d+)(?:-('?-?\\d+))?`, 'i'),
  sla: /('?-?\d+)\/\s*('?\d+)(?:\D\s*('?-?\d+))?/i,
  dot: /('?-?\d+)\.\s*('?\d+)\.\s*('?-?\d+)/i,
  iso21: /\b(\d{2}|\d{4})?-?w(\d{2})(?:-?(\d))?\b/i,
  iso22: /-w-(\d)\b/i,
  iso23: /--(\d{2})?-(\d{2})\b/,
  iso24: /--(\d{2})(\d{2})?\b/,
  iso25Not: /[,.](\d{2}|\d{4})-\d{3}\b/,
  iso25: /\b(\d{2}|\d{4})-(\d{3})\b/,
  iso26Not: /\d-\d{3}\b/,
  iso26: /\b-(\d{3})\b/,
  year: /'(\d+)\b/,
  mon: new RegExp(`\\b(${ABBR_MONTHS})\\S*`, 'i'),
  mday: /(\d+)(st|nd|rd|th)\b/i,
  ddd: /([-+]?)(\d{2,14})(?:\s*t?\s*(\d{2,6})?(?:[,.](\d*))?)?(?:\s*(z\b|[-+]\d{1,4}\b|\[[-+]?\d[^\]]*\]))?/i,
  bc: /\b(bc\b|bce\b|b\.c\.|b\.c\.e\.)/i,
  frag: /^\s*(\d{1,2})\s*$/i,
  // date__parse's first step: every run of other characters becomes one space.
  junk: /[^-+',./:@\p{Alphabetic}\p{Nd}[\]]+/gu,
} as const;

const isDigit = (c: string | undefined): boolean => c !== undefined && c >= '0' && c <= '9';
const isSign = (c: string | undefined): boolean => c === '-' || c === '+';

/** Ruby's `String#to_i`-like `str2num`: the leading (signed) decimal digits, else 0. */
function str2num(s: string): number {
  const m = /^\s*([-+]?)(\d+)/.exec(s);
  if (m === null) return 0;
  return (m[1] === '-' ? -1 : 1) * Number(m[2]);
}

function monNum(s: string): number {
  return ABBR_MONTHS.split('|').indexOf(s.slice(0, 3).toLowerCase()) + 1;
}

/** date_parse.c `subx`: on a match, the matched text is replaced by ONE space, then the callback runs. */
function subx(scan: Scan, re: RegExp, cb: (m: RegExpExecArray) => void): boolean {
  const m = re.exec(scan.str);
  if (m === null) return false;
  scan.str = `${scan.str.slice(0, m.index)} ${scan.str.slice(m.index + m[0].length)}`;
  cb(m);
  return true;
}

/** Reads the leading sign and digits of `s` after skipping what precedes them (s3e's loops). */
function digitsOf(s: string, allowSign: boolean): { text: string; end: number; signed: boolean; count: number } {
  let i = 0;
  while (i < s.length && !(allowSign && isSign(s[i])) && !isDigit(s[i])) i++;
  const bp = i;
  let signed = false;
  if (allowSign && isSign(s[i])) { i++; signed = true; }
  const start = i;
  while (isDigit(s[i])) i++;
  return { text: s.slice(bp, i), end: i, signed, count: i - start };
}

/** date_parse.c `s3e`: decides which of three numbers is the year, the month and the day. */
function s3e(h: Scan['h'], y0: string | undefined, m0: string | undefined, d0: string | undefined, bc: boolean): void {
  let y = y0;
  let m = m0;
  let d = d0;
  let comp: boolean | undefined;
  if (y !== undefined && m !== undefined && d === undefined) [y, m, d] = [d, y, m];
  if (y === undefined) {
    if (d !== undefined && d.length > 2) { y = d; d = undefined; }
    if (d !== undefined && d.startsWith("'")) { y = d; d = undefined; }
  }
  if (y !== undefined) {
    const r = digitsOf(y, true);
    if (r.end < y.length) { const nd = r.text; y = d; d = nd; }
  }
  if (m !== undefined && (m.startsWith("'") || m.length > 2)) [y, m, d] = [m, d, y];
  if (d !== undefined && (d.startsWith("'") || d.length > 2)) [y, d] = [d, y];
  if (y !== undefined) {
    const r = digitsOf(y, true);
    if (r.signed || r.count > 2) comp = false;
    h.year = str2num(r.text);
  }
  if (bc) h.bc = true;
  if (m !== undefined) h.mon = str2num(digitsOf(m, false).text);
  if (d !== undefined) h.mday = str2num(digitsOf(d, false).text);
  if (comp !== undefined) h.comp = comp;
}

function parseTime2(h: Scan['h'], m: RegExpExecArray): void {
  let hour = str2num(m[1] ?? '');
  if (m[5] !== undefined) {
    // NUM2INT: an hour beyond a C int raises RangeError, which Jekyll reports as "could not read file".
    if (hour > 2_147_483_647) h.overflow = `hour ${m[1] ?? ''} does not fit Ruby's C int (RangeError)`;
    hour = (hour % 12) + (m[5].toLowerCase() === 'p' ? 12 : 0);
  }
  h.hour = hour;
  if (m[2] !== undefined) h.min = str2num(m[2]);
  if (m[3] !== undefined) h.sec = str2num(m[3]);
  if (m[4] !== undefined) h.secFraction = m[4];
}

function parseDdd(h: Scan['h'], m: RegExpExecArray): void {
  const neg = m[1] === '-';
  const s2 = m[2] ?? '';
  const s3 = m[3];
  const s4 = m[4];
  const n = (s: string, from: number, width: number): number => Number(s.slice(from, from + width));
  const signed = (v: number): number => (neg ? -v : v);
  const timeFirst = s3 === undefined && s4 !== undefined;
  const l2 = s2.length;
  switch (l2) {
    case 2:
      if (timeFirst) h.sec = n(s2, l2 - 2, 2);
      else h.mday = n(s2, 0, 2);
      break;
    case 4:
      if (timeFirst) { h.sec = n(s2, l2 - 2, 2); h.min = n(s2, l2 - 4, 2); } else { h.mon = n(s2, 0, 2); h.mday = n(s2, 2, 2); }
      break;
    case 6:
      if (timeFirst) { h.sec = n(s2, l2 - 2, 2); h.min = n(s2, l2 - 4, 2); h.hour = n(s2, l2 - 6, 2); } else { h.year = signed(n(s2, 0, 2)); h.mon = n(s2, 2, 2); h.mday = n(s2, 4, 2); }
      break;
    case 8: case 10: case 12: case 14:
      if (timeFirst) {
        h.sec = n(s2, l2 - 2, 2); h.min = n(s2, l2 - 4, 2); h.hour = n(s2, l2 - 6, 2); h.mday = n(s2, l2 - 8, 2);
        if (l2 >= 10) h.mon = n(s2, l2 - 10, 2);
        if (l2 === 12) h.year = signed(n(s2, l2 - 12, 2));
        if (l2 === 14) { h.year = signed(n(s2, l2 - 14, 4)); h.comp = false; }
      } else {
        h.year = signed(n(s2, 0, 4)); h.mon = n(s2, 4, 2); h.mday = n(s2, 6, 2);
        if (l2 >= 10) h.hour = n(s2, 8, 2);
        if (l2 >= 12) h.min = n(s2, 10, 2);
        if (l2 >= 14) h.sec = n(s2, 12, 2);
        h.comp = false;
      }
      break;
    case 3:
      if (timeFirst) { h.sec = n(s2, l2 - 2, 2); h.min = n(s2, l2 - 3, 1); } else h.yday = n(s2, 0, 3);
      break;
    case 5:
      if (timeFirst) { h.sec = n(s2, l2 - 2, 2); h.min = n(s2, l2 - 4, 2); h.hour = n(s2, l2 - 5, 1); } else { h.year = signed(n(s2, 0, 2)); h.yday = n(s2, 2, 3); }
      break;
    case 7:
      if (timeFirst) { h.sec = n(s2, l2 - 2, 2); h.min = n(s2, l2 - 4, 2); h.hour = n(s2, l2 - 6, 2); h.mday = n(s2, l2 - 7, 1); } else { h.year = signed(n(s2, 0, 4)); h.yday = n(s2, 4, 3); }
      break;
    default:
      break;
  }
  if (s3 !== undefined) {
    const l3 = s3.length;
    if (l3 === 2 || l3 === 4 || l3 === 6) {
      if (s4 !== undefined) {
        h.sec = n(s3, l3 - 2, 2);
        if (l3 >= 4) h.min = n(s3, l3 - 4, 2);
        if (l3 >= 6) h.hour = n(s3, l3 - 6, 2);
      } else {
        h.hour = n(s3, 0, 2);
        if (l3 >= 4) h.min = n(s3, 2, 2);
        if (l3 >= 6) h.sec = n(s3, 4, 2);
      }
    }
  }
  if (s4 !== undefined) h.secFraction = s4;
  const s5 = m[5];
  if (s5 !== undefined) {
    h.zone = s5;
    if (s5.startsWith('[')) {
      const inner = s5.slice(1, -1);
      const colon = inner.indexOf(':');
      h.zone = colon === -1 ? inner : inner.slice(colon + 1);
    }
  }
}

/** date_parse.c `check_class`: which character classes the (current) string holds. */
function has(str: string, ...classes: ReadonlyArray<'alpha' | 'digit' | '-' | '.' | '/'>): boolean {
  return classes.every((c) => (c === 'alpha' ? /[a-zA-Z]/.test(str) : c === 'digit' ? /[0-9]/.test(str) : str.includes(c)));
}

const PLAIN_DATE = /^(\d{4})-(\d{1,2})-(\d{1,2})$/;

/** Ruby's `Date._parse` default byte limit (date 3.2.1+, Ruby 3.1+): longer strings raise ArgumentError. */
const PARSE_LIMIT = 128;

/** A port of Ruby's `Date._parse(text, true)`: the date and time parts it finds, and what it left over. */
export function parseRubyDateHash(text: string): RubyDateHash | { readonly problem: string } {
  const bytes = Buffer.byteLength(text, 'utf8');
  if (bytes > PARSE_LIMIT) return { problem: `is ${bytes} bytes long; Ruby's Date._parse refuses strings over ${PARSE_LIMIT}` };
  // The shape of every file-name date: parse_iso takes all of it, and s3e reads it in order.
  const plain = PLAIN_DATE.exec(text);
  if (plain !== null) return { year: Number(plain[1]), mon: Number(plain[2]), mday: Number(plain[3]), rest: '' };
  const scan: Scan = { str: text.replace(RE.junk, ' '), h: { comp: true, rest: '' } };
  const { h } = scan;
  const s = (): string => scan.str;

  if (has(s(), 'alpha')) subx(scan, RE.day, () => undefined);
  if (has(s(), 'digit')) {
    subx(scan, RE.time, (m) => {
      if (m[2] !== undefined) h.zone = m[2];
      const t = RE.time2.exec(m[1] ?? '');
      if (t !== null) parseTime2(h, t);
    });
  }
  // date__parse: the first of these matchers that matches ends the search (`goto ok`).
  ((): boolean => {
    if (has(s(), 'alpha', 'digit')) {
      if (subx(scan, RE.eu, (m) => s3e(h, m[4], String(monNum(m[2] ?? '')), m[1], m[3] !== undefined && m[3][0]?.toLowerCase() === 'b'))) return true;
      if (subx(scan, RE.us, (m) => s3e(h, m[4], String(monNum(m[1] ?? '')), m[2], m[3] !== undefined && m[3][0]?.toLowerCase() === 'b'))) return true;
    }
    if (has(s(), 'digit', '-') && subx(scan, RE.iso, (m) => s3e(h, m[1], m[2], m[3], false))) return true;
    if (has(s(), 'digit', '.') && subx(scan, RE.jis, (m) => {
      const era: Record<string, number> = { m: 1867, t: 1911, s: 1925, h: 1988 };
      h.year = str2num(m[2] ?? '') + (era[(m[1] ?? '').toLowerCase()] ?? 0);
      h.mon = str2num(m[3] ?? '');
      h.mday = str2num(m[4] ?? '');
    })) return true;
    if (has(s(), 'alpha', 'digit', '-')) {
      if (subx(scan, RE.vms11, (m) => s3e(h, m[3], String(monNum(m[2] ?? '')), m[1], false))) return true;
      if (subx(scan, RE.vms12, (m) => s3e(h, m[3], String(monNum(m[1] ?? '')), m[2], false))) return true;
    }
    if (has(s(), 'digit', '/') && subx(scan, RE.sla, (m) => s3e(h, m[1], m[2], m[3], false))) return true;
    if (has(s(), 'digit', '.') && subx(scan, RE.dot, (m) => s3e(h, m[1], m[2], m[3], false))) return true;
    if (has(s(), 'digit')) {
      // parse_iso2: week dates set keys Time.parse never reads; they are consumed all the same.
      if (subx(scan, RE.iso21, () => undefined)) return true;
      if (subx(scan, RE.iso22, () => undefined)) return true;
      if (subx(scan, RE.iso23, (m) => { if (m[1] !== undefined) h.mon = str2num(m[1]); h.mday = str2num(m[2] ?? ''); })) return true;
      if (subx(scan, RE.iso24, (m) => { h.mon = str2num(m[1] ?? ''); if (m[2] !== undefined) h.mday = str2num(m[2]); })) return true;
      if (!RE.iso25Not.test(s()) && subx(scan, RE.iso25, (m) => { h.year = str2num(m[1] ?? ''); h.yday = str2num(m[2] ?? ''); })) return true;
      if (!RE.iso26Not.test(s()) && subx(scan, RE.iso26, (m) => { h.yday = str2num(m[1] ?? ''); })) return true;
    }
    if (has(s(), 'digit') && subx(scan, RE.year, (m) => { h.year = str2num(m[1] ?? ''); })) return true;
    if (has(s(), 'alpha') && subx(scan, RE.mon, (m) => { h.mon = monNum(m[1] ?? ''); })) return true;
    if (has(s(), 'digit') && subx(scan, RE.mday, (m) => { h.mday = str2num(m[1] ?? ''); })) return true;
    if (has(s(), 'digit') && subx(scan, RE.ddd, (m) => parseDdd(h, m))) return true;
    return false;
  })();
  if (has(s(), 'alpha')) subx(scan, RE.bc, () => { h.bc = true; });
  if (has(s(), 'digit')) {
    subx(scan, RE.frag, (m) => {
      const n = str2num(m[1] ?? '');
      if (h.hour !== undefined && h.mday === undefined && n >= 1 && n <= 31) h.mday = n;
      if (h.mday !== undefined && h.hour === undefined && n >= 0 && n <= 24) h.hour = n;
    });
  }
  if (h.bc === true && h.year !== undefined) h.year = -h.year + 1;
  if (h.comp && h.year !== undefined && h.year >= 0 && h.year <= 99) h.year += h.year >= 69 ? 1900 : 2000;
  if (h.overflow !== undefined) return { problem: h.overflow };
  // `_bc` and `_comp` are date__parse's working flags, deleted from the hash it returns.
  const { bc: _bc, comp: _comp, overflow: _overflow, ...hash } = h;
  return { ...hash, rest: scan.str.trim() };
}

// lib/time.rb Time.zone_offset's own table (NOT date_parse.c's larger one): Time.parse ignores any other
// abbreviation unless the local zone itself uses it in January or July.
const TIME_ZONE_OFFSET: Readonly<Record<string, number>> = {
  UTC: 0, Z: 0, UT: 0, GMT: 0,
  EST: -5, EDT: -4, CST: -6, CDT: -5, MST: -7, MDT: -6, PST: -8, PDT: -7,
  A: 1, B: 2, C: 3, D: 4, E: 5, F: 6, G: 7, H: 8, I: 9, K: 10, L: 11, M: 12,
  N: -1, O: -2, P: -3, Q: -4, R: -5, S: -6, T: -7, U: -8, V: -9, W: -10, X: -11, Y: -12,
};

// ICU has no API for tzdata's abbreviations; these locales' short names are tzdata's where they are
// letters (en-US: EST/PDT, en-GB: CET/CEST/BST, en-AU: ACST/AEDT, en-IN: IST, en-NZ: NZDT, ja-JP: JST).
const ABBREVIATION_LOCALES = ['en-US', 'en-GB', 'en-AU', 'en-IN', 'en-NZ', 'ja-JP'] as const;
const formatters = new Map<string, Intl.DateTimeFormat>();

function localAbbreviations(timeZone: string, t: number): string[] {
  const names: string[] = [];
  for (const locale of ABBREVIATION_LOCALES) {
    const key = `${locale}|${timeZone}`;
    let f = formatters.get(key);
    if (f === undefined) {
      f = new Intl.DateTimeFormat(locale, { timeZone, timeZoneName: 'short' });
      formatters.set(key, f);
    }
    const name = f.formatToParts(new Date(t)).find((p) => p.type === 'timeZoneName')?.value;
    if (name !== undefined && /^[A-Z]+$/.test(name)) names.push(name);
  }
  return names;
}

/** lib/time.rb `Time.zone_offset(zone, year)` with the local zone `timeZone`: seconds east of UTC, or undefined. */
export function rubyZoneOffset(zone: string, year: number, timeZone: string): number | undefined {
  const z = zone.toUpperCase();
  const m = /^([+-])(\d\d)(:?)(\d\d)(?:\3(\d\d))?$/.exec(z);
  if (m !== null) return (m[1] === '-' ? -1 : 1) * ((Number(m[2]) * 60 + Number(m[4])) * 60 + Number(m[5] ?? '0'));
  if (/^[+-]\d\d$/.test(z)) return Number(z) * 3600;
  const fixed = TIME_ZONE_OFFSET[z];
  if (fixed !== undefined) return fixed * 3600;
  for (const local of localZoneNames(timeZone, year)) if (local.names.includes(z)) return local.offsetSeconds;
  return undefined;
}

const localNames = new Map<string, ReadonlyArray<{ names: readonly string[]; offsetSeconds: number }>>();

/** `Time.local(year, 1, 1).zone` and `Time.local(year, 7, 1).zone` with their offsets, cached per zone and year. */
function localZoneNames(timeZone: string, year: number): ReadonlyArray<{ names: readonly string[]; offsetSeconds: number }> {
  const key = `${timeZone}|${year}`;
  let found = localNames.get(key);
  if (found === undefined) {
    found = [1, 7].map((month) => {
      const t = zonedWallTimeToInstant({ year, month, day: 1, hour: 0, minute: 0, second: 0, millisecond: 0 }, timeZone);
      return Number.isFinite(t) ? { names: localAbbreviations(timeZone, t), offsetSeconds: zoneOffsetMinutes(timeZone, t) * 60 } : { names: [], offsetSeconds: 0 };
    });
    if (localNames.size > 10_000) localNames.clear();
    localNames.set(key, found);
  }
  return found;
}

const MONTH_DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
const isLeap = (y: number): boolean => (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
const monthDays = (y: number, m: number): number => (m === 2 && isLeap(y) ? 29 : MONTH_DAYS[m - 1] ?? 31);

/** time.rb `month_days(y, m)`: an Array lookup, so month 0 is December's length and month 13 is nil. */
function rubyMonthDays(y: number, m: number): number | undefined {
  const index = m - 1 < 0 ? m - 1 + 12 : m - 1;
  if (index < 0 || index > 11) return undefined;
  return index === 1 && isLeap(y) ? 29 : MONTH_DAYS[index];
}

/** Ruby's Integer#divmod (floored). */
function divmod(a: number, b: number): [number, number] {
  const q = Math.floor(a / b);
  return [q, a - q * b];
}

interface Fields { year: number; mon: number; day: number; hour: number; min: number; sec: number }

/** lib/time.rb `apply_offset`, line for line (its month-end handling differs from plain arithmetic). */
function applyOffset(f: Fields, offset: number): Fields {
  let { year, mon, day, hour, min, sec } = f;
  let off = offset;
  let o: number;
  if (off < 0) {
    off = -off;
    [off, o] = divmod(off, 60);
    if (o !== 0) { sec += o; [o, sec] = divmod(sec, 60); off += o; }
    [off, o] = divmod(off, 60);
    if (o !== 0) { min += o; [o, min] = divmod(min, 60); off += o; }
    [off, o] = divmod(off, 24);
    if (o !== 0) { hour += o; [o, hour] = divmod(hour, 24); off += o; }
    if (off !== 0) {
      day += off;
      const days = rubyMonthDays(year, mon);
      if (days !== undefined && days < day) {
        mon += 1;
        if (mon > 12) { mon = 1; year += 1; }
        day = 1;
      }
    }
  } else if (off > 0) {
    [off, o] = divmod(off, 60);
    if (o !== 0) { sec -= o; [o, sec] = divmod(sec, 60); off -= o; }
    [off, o] = divmod(off, 60);
    if (o !== 0) { min -= o; [o, min] = divmod(min, 60); off -= o; }
    [off, o] = divmod(off, 24);
    if (o !== 0) { hour -= o; [o, hour] = divmod(hour, 24); off -= o; }
    if (off !== 0) {
      day -= off;
      if (day < 1) {
        mon -= 1;
        if (mon < 1) { year -= 1; mon = 12; }
        // Time.utc reads a nil day as 1.
        day = rubyMonthDays(year, mon) ?? 1;
      }
    }
  }
  return { year, mon, day, hour, min, sec };
}

/** time.c `time_arg`/`validate_vtm`: the ranges `Time.utc`/`Time.local` accept before normalizing. */
function timeArgProblem(f: Fields): string | undefined {
  if (f.mon < 1 || f.mon > 12) return `month ${f.mon} is out of range`;
  if (f.day < 1 || f.day > 31) return `day ${f.day} is out of range`;
  if (f.hour < 0 || f.hour > 24) return `hour ${f.hour} is out of range`;
  if (f.min < 0 || f.min > 59) return `minute ${f.min} is out of range`;
  if (f.sec < 0 || f.sec > 60) return `second ${f.sec} is out of range`;
  if (f.hour === 24 && (f.min > 0 || f.sec > 0)) return `${f.hour}:${String(f.min).padStart(2, '0')} is out of range`;
  return undefined;
}

// ECMAScript's time value range (±8.64e15 ms, years −271821 to 275760): Ruby's Time goes further, but
// such a date is refused here rather than written wrong.
const MAX_TIME = 8.64e15;
const inRange = (t: number, margin = 0): boolean => Number.isFinite(t) && Math.abs(t) <= MAX_TIME - margin;
const outOfRange = (text: string): string => `'${text}' is outside the years a feed date can carry (−271821 to 275760)`;

/** Wall-clock fields as a UTC time value, letting day 31 of a 30-day month, 24:00 and :60 roll over as Ruby does. */
function fieldsAsUtc(f: Fields, ms: number): number {
  const t = new Date(0);
  t.setUTCFullYear(f.year, f.mon - 1, f.day);
  t.setUTCHours(f.hour, f.min, f.sec, ms);
  return t.getTime();
}

function rolloverWarning(f: Fields, text: string): string | undefined {
  if (f.day <= monthDays(f.year, f.mon)) return undefined;
  const t = new Date(fieldsAsUtc({ ...f, hour: 0, min: 0, sec: 0 }, 0));
  const shown = `${String(t.getUTCFullYear()).padStart(4, '0')}-${String(t.getUTCMonth() + 1).padStart(2, '0')}-${String(t.getUTCDate()).padStart(2, '0')}`;
  return `'${text}' names day ${f.day} of a ${monthDays(f.year, f.mon)}-day month; Jekyll (Ruby's Time.parse) rolls it over to ${shown}`;
}

function nowFields(now: Date, offsetSeconds: number | undefined, timeZone: string): Fields & { ms: number } {
  const t = now.getTime();
  const ms = ((t % 1000) + 1000) % 1000;
  if (offsetSeconds !== undefined) {
    const d = new Date(t + offsetSeconds * 1000);
    return { year: d.getUTCFullYear(), mon: d.getUTCMonth() + 1, day: d.getUTCDate(), hour: d.getUTCHours(), min: d.getUTCMinutes(), sec: d.getUTCSeconds(), ms };
  }
  const z = toZonedFields(t, timeZone);
  return { year: z.year, mon: z.month, day: z.day, hour: z.hour, min: z.minute, sec: z.second, ms };
}

interface MakeTimeInput {
  readonly year: number | undefined;
  readonly yday: number | undefined;
  readonly mon: number | undefined;
  readonly mday: number | undefined;
  readonly hour: number | undefined;
  readonly min: number | undefined;
  readonly sec: number | undefined;
  readonly secFraction: string | undefined;
  readonly zone: string | undefined;
}

interface Made { readonly instant: number; readonly fields: Fields; readonly zoneIgnored: boolean }

/** lib/time.rb `make_time`, with `now` a Date and the local zone `timeZone`. */
function makeTime(text: string, a: MakeTimeInput, now: Date | undefined, timeZone: string): Made | { problem: string } {
  let { year, mon, mday: day, hour, min, sec } = a;
  const { yday, secFraction, zone } = a;
  if (year === undefined && yday === undefined && mon === undefined && day === undefined && hour === undefined && min === undefined && sec === undefined && secFraction === undefined) {
    return { problem: `'${text}' has no date or time that Ruby's Time.parse can find` };
  }
  if (year === undefined && now === undefined) {
    return { problem: `'${text}' has no year; Jekyll takes the missing parts from the build time, which was not given` };
  }
  const offYear = year ?? (now === undefined ? 1970 : nowFields(now, undefined, timeZone).year);
  let off = zone === undefined ? undefined : rubyZoneOffset(zone, offYear, timeZone);
  if (yday !== undefined) {
    if (yday < 1 || yday > 366) return { problem: `day of year ${yday} is out of range` };
    const [q, r] = divmod(yday - 1, 31);
    let m2 = q + 1;
    let d2 = r + 1;
    const first = makeTime(text, { ...a, yday: undefined, mon: m2, mday: d2 }, now, timeZone);
    if ('problem' in first) return first;
    const local = toZonedFieldsOrOffset(first.instant, off, timeZone);
    const diff = yday - local.yearDay;
    if (diff === 0) return first;
    d2 += diff;
    const md = monthDays(offYear, m2);
    if (d2 > 28 && d2 > md) {
      m2 += 1;
      if (m2 > 12) return { problem: `day of year ${yday} is out of range` };
      d2 -= md;
    }
    return makeTime(text, { ...a, yday: undefined, mon: m2, mday: d2 }, now, timeZone);
  }
  let ms: number | undefined = secFraction === undefined ? undefined : Number(`${secFraction}000`.slice(0, 3));
  if (now !== undefined) {
    const n = nowFields(now, off, timeZone);
    // Missing high-order parts come from `now`, down to the first part the text gives.
    if (year === undefined) {
      year = n.year;
      if (mon === undefined) {
        mon = n.mon;
        if (day === undefined) {
          day = n.day;
          if (hour === undefined) {
            hour = n.hour;
            if (min === undefined) {
              min = n.min;
              if (sec === undefined) { sec = n.sec; if (secFraction === undefined) ms = n.ms; }
            }
          }
        }
      }
    }
  }
  const f: Fields = { year: year ?? 1970, mon: mon ?? 1, day: day ?? 1, hour: hour ?? 0, min: min ?? 0, sec: sec ?? 0 };
  if (f.year !== offYear) off = zone === undefined ? undefined : rubyZoneOffset(zone, f.year, timeZone);
  const zoneIgnored = zone !== undefined && off === undefined;
  if (off !== undefined) {
    // force_zone! ends in Time#localtime(off), which raises for an offset of a day or more.
    if (Math.abs(off) >= 86_400 && !/^(?:-00:00|-0000|-00|UTC|Z|UT)$/i.test(zone ?? '')) return { problem: `'${text}': the UTC offset '${zone ?? ''}' is out of range` };
    const shifted = applyOffset(f, off);
    const problem = timeArgProblem(shifted);
    if (problem !== undefined) return { problem: `'${text}': ${problem}` };
    const instant = fieldsAsUtc(shifted, ms ?? 0);
    return inRange(instant) ? { instant, fields: f, zoneIgnored } : { problem: outOfRange(text) };
  }
  const problem = timeArgProblem(f);
  if (problem !== undefined) return { problem: `'${text}': ${problem}` };
  const wall = new Date(fieldsAsUtc(f, 0));
  // A day's margin keeps the zone lookups inside the range too.
  if (!inRange(wall.getTime(), 2 * 86_400_000)) return { problem: outOfRange(text) };
  const instant = zonedWallTimeToInstant({ year: wall.getUTCFullYear(), month: wall.getUTCMonth() + 1, day: wall.getUTCDate(), hour: wall.getUTCHours(), minute: wall.getUTCMinutes(), second: wall.getUTCSeconds(), millisecond: 0 }, timeZone) + (ms ?? 0);
  return inRange(instant) ? { instant, fields: f, zoneIgnored } : { problem: outOfRange(text) };
}

function toZonedFieldsOrOffset(t: number, off: number | undefined, timeZone: string): { year: number; yearDay: number } {
  if (off === undefined) return toZonedFields(t, timeZone);
  const d = new Date(t + off * 1000);
  return { year: d.getUTCFullYear(), yearDay: Math.round((Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate()) - Date.UTC(d.getUTCFullYear(), 0, 1)) / 86_400_000) + 1 };
}

// Words around a date that carry no date ("September 8, 2014 at 10:30"): not worth a warning when dropped.
const FILLER = new Set(['at', 'on', 'of', 'the', 'and', 'um']);

/**
 * Ruby's `Time.parse(text, now)` with `ENV['TZ'] = timeZone`: the instant, plus a warning when Ruby
 * silently rolled over a day, dropped digits it could not place, or ignored a zone it does not know.
 */
export function parseRubyTime(text: string, timeZone: string, now: Date | undefined): RubyTimeResult {
  const hash = parseRubyDateHash(text);
  if ('problem' in hash) return { problem: `'${text}' ${hash.problem}` };
  const made = makeTime(text, { year: hash.year, yday: hash.yday, mon: hash.mon, mday: hash.mday, hour: hash.hour, min: hash.min, sec: hash.sec, secFraction: hash.secFraction, zone: hash.zone }, now, timeZone);
  if ('problem' in made) return made;
  const warnings: string[] = [];
  const rolled = rolloverWarning(made.fields, text);
  if (rolled !== undefined) warnings.push(rolled);
  if (made.zoneIgnored) warnings.push(`Ruby's Time.parse does not know the zone '${hash.zone ?? ''}' (in ${timeZone}), so Jekyll reads '${text}' as ${timeZone} time`);
  if (hash.year === undefined && now !== undefined) warnings.push(`'${text}' has no year, so Jekyll takes it from the build time (${toZonedFields(made.instant, timeZone).year} for this build)`);
  if (/\d/.test(hash.rest) || hash.rest.split(' ').some((word) => /\p{L}{2}/u.test(word) && !FILLER.has(word.toLowerCase()))) {
    warnings.push(`Ruby's Time.parse ignores '${hash.rest.replace(/\s+/g, ' ')}' in '${text}'`);
  }
  return {
    instant: new Date(made.instant),
    ...(warnings.length === 0 ? {} : { warning: warnings.join('; ') }),
    ...(hash.year === undefined ? { usesNow: true as const } : {}),
  };
}
