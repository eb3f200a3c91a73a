/** Ruby's views of Liquid values (`to_s`, `inspect`, `<=>`), which Jekyll's filters print and sort by. */
import { Drop } from 'liquidjs';
import { JekyllTime, RubyDate } from './time.js';

/** A value with liquidjs's literal drops (`nil`, `empty`, `blank`) replaced by what they stand for. */
export function plain(value: unknown): unknown {
  return value instanceof Drop && !(value instanceof JekyllTime) && !(value instanceof RubyDate) ? (value.valueOf() as unknown) : value;
}

/** Ruby's `String#inspect` for a UTF-8 string. */
function inspectString(s: string): string {
  let out = '"';
  for (const ch of s) {
    const code = ch.codePointAt(0) ?? 0;
    switch (ch) {
      case '"': out += '\\"'; break;
      case '\\': out += '\\\\'; break;
      case '\n': out += '\\n'; break;
      case '\t': out += '\\t'; break;
      case '\r': out += '\\r'; break;
      case '\f': out += '\\f'; break;
      case '\v': out += '\\v'; break;
      case '\b': out += '\\b'; break;
      case '\x07': out += '\\a'; break;
      case '\x1b': out += '\\e'; break;
      default:
        // Ruby writes characters it cannot print (controls, format characters, unassigned) as \uXXXX.
        if (/^\p{C}$/u.test(ch)) out += code > 0xffff ? `\\u{${code.toString(16).toUpperCase()}}` : `\\u${code.toString(16).toUpperCase().padStart(4, '0')}`;
        else out += ch;
    }
  }
  // Ruby escapes `#` before `{`, `$` and `@` so the result reads back as the same literal.
  return `${out.replace(/#(?=[{$@])/g, '\\#')}"`;
}

/** Ruby's `inspect` (Ruby 3.1 spelling: `{"a"=>1}`, `[1, "b"]`, `nil`). */
export function rubyInspect(input: unknown): string {
  const value = plain(input);
  if (value === null || value === undefined) return 'nil';
  if (typeof value === 'string') return inspectString(value);
  if (typeof value === 'number') return Number.isInteger(value) || !Number.isFinite(value) ? rubyNumber(value) : String(value);
  if (typeof value === 'boolean') return String(value);
  if (value instanceof JekyllTime) return value.valueOf();
  if (value instanceof RubyDate) return value.inspect();
  if (Array.isArray(value)) return `[${value.map(rubyInspect).join(', ')}]`;
  if (typeof value === 'object') {
    return `{${Object.entries(value).map(([k, v]) => `${inspectString(k)}=>${rubyInspect(v)}`).join(', ')}}`;
  }
  return String(value);
}

function rubyNumber(n: number): string {
  if (Number.isNaN(n)) return 'NaN';
  if (!Number.isFinite(n)) return n > 0 ? 'Infinity' : '-Infinity';
  return String(n);
}

/** Ruby's `to_s`: nil is empty, arrays and hashes print as `inspect`. */
export function rubyToS(input: unknown): string {
  const value = plain(input);
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'number') return rubyNumber(value);
  if (typeof value === 'boolean') return String(value);
  if (value instanceof JekyllTime || value instanceof RubyDate) return value.valueOf();
  if (Array.isArray(value) || typeof value === 'object') return rubyInspect(value);
  return String(value);
}

/** Compares two strings as Ruby does: by their UTF-8 bytes. */
export function compareBytes(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));
}

/** Ruby's `<=>` for the values Liquid holds; undefined where Ruby answers nil (incomparable types). */
export function rubyCompare(a: unknown, b: unknown): number | undefined {
  if (typeof a === 'number' && typeof b === 'number') return a < b ? -1 : a > b ? 1 : 0;
  if (typeof a === 'string' && typeof b === 'string') return Math.sign(compareBytes(a, b));
  if (a instanceof JekyllTime && b instanceof JekyllTime) return Math.sign(a.instant - b.instant);
  if (a instanceof RubyDate && b instanceof RubyDate) return Math.sign(compareBytes(a.valueOf(), b.valueOf()));
  if (Array.isArray(a) && Array.isArray(b)) {
    for (let i = 0; i < Math.min(a.length, b.length); i++) {
      const c = rubyCompare(a[i], b[i]);
      if (c !== 0) return c;
    }
    return Math.sign(a.length - b.length);
  }
  if (typeof a === 'boolean' && a === b) return 0;
  if (a === null && b === null) return 0;
  return undefined;
}
