/**
 * Times as Liquid sees them in Jekyll: Ruby `Time` values shown in the site's zone (Jekyll sets `TZ` from
 * `timezone`), Liquid's `Utils.to_date` for filter input, and Ruby's `strftime`. Never the host's zone.
 */
import { Drop } from 'liquidjs';
import { readDateString, readFileNameDate, readYamlTimestamp, toZonedFields, YamlTimestamp, type ZonedFields } from '../../parse/dates.js';

/**
 * A Ruby `Time`. Jekyll's own times (`page.date`, `site.time`, YAML times without an offset) are local, i.e. in
 * the site's zone; a YAML time written with an offset keeps it (Psych's `parse_time`), and `...Z` is UTC.
 */
export class JekyllTime extends Drop {
  readonly fields: ZonedFields;
  constructor(
    readonly instant: number,
    readonly timeZone: string,
    /** Minutes east of UTC when the time carries its own offset rather than the site's zone. */
    readonly fixedOffset?: number,
    /** A UTC time (`Time#utc?`): prints `UTC` for its zone. */
    readonly utc = false,
  ) {
    super();
    this.fields = fixedOffset === undefined ? toZonedFields(instant, timeZone) : { ...toZonedFields(instant + fixedOffset * 60_000, 'UTC'), offset: fixedOffset };
  }

  /** Ruby's `Time#localtime`: the same instant in the site's zone (what Jekyll's date filters print). */
  localtime(): JekyllTime {
    return this.fixedOffset === undefined ? this : new JekyllTime(this.instant, this.timeZone);
  }

  /** Ruby's `Time#to_s`: `2026-01-02 00:00:00 +0100` (`... UTC` for a UTC time). Liquid prints and compares this value. */
  override valueOf(): string {
    return strftime(this, this.utc ? '%Y-%m-%d %H:%M:%S UTC' : '%Y-%m-%d %H:%M:%S %z');
  }

  override toString(): string {
    return this.valueOf();
  }

  /** Ruby's `Time#to_json` is the quoted `to_s`. */
  toJSON(): string {
    return this.valueOf();
  }

  // Ruby's Time has no Liquid properties; `{{ page.date.year }}` is nil in Jekyll.
  override liquidMethodMissing(): undefined {
    return undefined;
  }
}

/** A Ruby `Date` (a YAML date without a time, e.g. `updated: 2026-01-12`): prints `2026-01-12`. */
export class RubyDate extends Drop {
  constructor(
    readonly year: number,
    readonly month: number,
    readonly day: number,
  ) {
    super();
  }

  override valueOf(): string {
    return `${String(this.year).padStart(4, '0')}-${String(this.month).padStart(2, '0')}-${String(this.day).padStart(2, '0')}`;
  }

  override toString(): string {
    return this.valueOf();
  }

  toJSON(): string {
    return this.valueOf();
  }

  /** Ruby's `Date#inspect`, e.g. `#<Date: 2026-01-12 ((2461053j,0s,0n),+0s,2299161j)>`. */
  inspect(): string {
    // Julian Day Number: the Unix epoch day 0 is JDN 2440588.
    const jdn = Math.floor(Date.UTC(this.year, this.month - 1, this.day) / 86_400_000) + 2_440_588;
    return `#<Date: ${this.valueOf()} ((${jdn}j,0s,0n),+0s,2299161j)>`;
  }

  /** Ruby's `Date#to_time`: midnight in the site's zone. */
  toTime(timeZone: string): JekyllTime {
    const r = readFileNameDate(`${String(this.year).padStart(4, '0')}-${String(this.month).padStart(2, '0')}-${String(this.day).padStart(2, '0')}`, timeZone);
    return new JekyllTime('instant' in r ? r.instant.getTime() : Date.UTC(this.year, this.month - 1, this.day), timeZone);
  }

  /** What `strftime` on a Date sees: midnight, offset +0000. */
  asMidnightUtc(timeZone: string): JekyllTime {
    return new JekyllTime(Date.UTC(this.year, this.month - 1, this.day), timeZone, 0);
  }

  override liquidMethodMissing(): undefined {
    return undefined;
  }
}

/** A YAML timestamp as Psych loads it: a date-only value is a Date; a time keeps its offset, `Z` is UTC, none is local. */
export function fromYamlTimestamp(value: YamlTimestamp, timeZone: string): JekyllTime | RubyDate | undefined {
  const text = value.text.trim();
  const dateOnly = /^(\d{4})-(\d{1,2})-(\d{1,2})$/.exec(text);
  if (dateOnly !== null) return new RubyDate(Number(dateOnly[1]), Number(dateOnly[2]), Number(dateOnly[3]));
  const r = readYamlTimestamp(value, timeZone);
  if (!('instant' in r)) return undefined;
  const zone = /(?:\d)[ \t]*(Z|[-+]\d{1,2}(?::?\d{2})?)$/.exec(text)?.[1];
  if (zone === undefined) return new JekyllTime(r.instant.getTime(), timeZone);
  if (zone === 'Z') return new JekyllTime(r.instant.getTime(), timeZone, 0, true);
  const m = /^([-+])(\d{1,2})(?::?(\d{2}))?$/.exec(zone);
  const offset = m === null ? 0 : (m[1] === '-' ? -1 : 1) * (Number(m[2]) * 60 + Number(m[3] ?? '0'));
  return new JekyllTime(r.instant.getTime(), timeZone, offset);
}

/**
 * Liquid's `Utils.to_date` (liquid 4/5) in the site's zone: a Time stays, digits are epoch seconds, `now` and
 * `today` are the build time, other text is read as `Time.parse` reads it. Undefined when it is no date.
 */
export function toJekyllTime(value: unknown, timeZone: string, now: number): JekyllTime | undefined {
  if (value instanceof JekyllTime) return value;
  if (value instanceof RubyDate) return value.asMidnightUtc(timeZone);
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? undefined : new JekyllTime(value.getTime(), timeZone);
  if (value instanceof YamlTimestamp) {
    const t = fromYamlTimestamp(value, timeZone);
    return t instanceof RubyDate ? t.asMidnightUtc(timeZone) : t;
  }
  if (typeof value === 'number') return Number.isFinite(value) ? new JekyllTime(Math.trunc(value) * 1000, timeZone) : undefined;
  if (typeof value !== 'string' || value === '') return undefined;
  if (/^\d+$/.test(value)) return new JekyllTime(Number(value) * 1000, timeZone);
  if (value === 'now' || value === 'today') return new JekyllTime(now, timeZone);
  const r = readDateString(value, timeZone);
  return 'instant' in r ? new JekyllTime(r.instant.getTime(), timeZone) : undefined;
}

/** Jekyll's `DateFilters#time`: `Utils.to_date`, then `to_time.localtime` (a Date is midnight in the site's zone). */
export function toLocalTime(value: unknown, timeZone: string, now: number): JekyllTime | undefined {
  if (value instanceof RubyDate) return value.toTime(timeZone);
  return toJekyllTime(value, timeZone, now)?.localtime();
}

const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];
const DAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];

function offsetText(offset: number, colon: boolean): string {
  const sign = offset < 0 ? '-' : '+';
  const abs = Math.abs(offset);
  const hh = String(Math.floor(abs / 60)).padStart(2, '0');
  const mm = String(abs % 60).padStart(2, '0');
  return `${sign}${hh}${colon ? ':' : ''}${mm}`;
}

function zoneAbbreviation(t: JekyllTime): string {
  // Ruby takes %Z from the C library's tzdata (`CET`); ICU has English abbreviations only for some zones and
  // otherwise answers `GMT+1`. Documented as a known difference.
  const part = new Intl.DateTimeFormat('en-US', { timeZone: t.timeZone, timeZoneName: 'short' }).formatToParts(new Date(t.instant)).find((p) => p.type === 'timeZoneName');
  return part?.value ?? 'UTC';
}

/** ISO 8601 week-numbering year and week (Ruby `%G`, `%V`). */
function isoWeek(f: ZonedFields): { year: number; week: number } {
  const date = Date.UTC(f.year, f.month - 1, f.day);
  const weekday = (f.weekday + 6) % 7; // Monday = 0
  const thursday = date + (3 - weekday) * 86_400_000;
  const year = new Date(thursday).getUTCFullYear();
  const week = Math.floor((thursday - Date.UTC(year, 0, 1)) / (7 * 86_400_000)) + 1;
  return { year, week };
}

/** Ruby's `Time#strftime` (flags `-` `_` `0` `^` `#`, widths, the conversions Ruby documents) in the time's zone. */
export function strftime(t: JekyllTime, format: string): string {
  const f = t.fields;
  return format.replace(/%([-_0^#]*)(\d*)([a-zA-Z%+]|:{1,2}z)/g, (whole, flags: string, width: string, conv: string) => {
    const num = (n: number, w: number, pad = '0'): string => {
      if (flags.includes('-')) return String(n);
      const p = flags.includes('_') ? ' ' : flags.includes('0') ? '0' : pad;
      return String(n).padStart(width === '' ? w : Number(width), p);
    };
    const text = (s: string): string => {
      const cased = flags.includes('^') ? s.toUpperCase() : flags.includes('#') ? s.toUpperCase() : s;
      return width === '' || flags.includes('-') ? cased : cased.padStart(Number(width), flags.includes('0') ? '0' : ' ');
    };
    const hour12 = f.hour % 12 === 0 ? 12 : f.hour % 12;
    switch (conv) {
      case 'Y': return num(f.year, 1);
      case 'C': return num(Math.floor(f.year / 100), 2);
      case 'y': return num(f.year % 100, 2);
      case 'm': return num(f.month, 2);
      case 'B': return text(MONTHS[f.month - 1] ?? '');
      case 'b': case 'h': return text((MONTHS[f.month - 1] ?? '').slice(0, 3));
      case 'd': return num(f.day, 2);
      case 'e': return num(f.day, 2, ' ');
      case 'j': return num(f.yearDay, 3);
      case 'H': return num(f.hour, 2);
      case 'k': return num(f.hour, 2, ' ');
      case 'I': return num(hour12, 2);
      case 'l': return num(hour12, 2, ' ');
      case 'P': return f.hour < 12 ? 'am' : 'pm';
      case 'p': return text(f.hour < 12 ? 'AM' : 'PM');
      case 'M': return num(f.minute, 2);
      case 'S': return num(f.second, 2);
      case 'L': return num(Math.floor(((t.instant % 1000) + 1000) % 1000), 3);
      case 'N': return String(Math.floor(((t.instant % 1000) + 1000) % 1000)).padStart(3, '0').padEnd(width === '' ? 9 : Number(width), '0');
      case 'z': return offsetText(f.offset, false);
      case ':z': return offsetText(f.offset, true);
      case '::z': return `${offsetText(f.offset, true)}:00`;
      case 'Z': return text(zoneAbbreviation(t));
      case 'A': return text(DAYS[f.weekday] ?? '');
      case 'a': return text((DAYS[f.weekday] ?? '').slice(0, 3));
      case 'u': return num(f.weekday === 0 ? 7 : f.weekday, 1);
      case 'w': return num(f.weekday, 1);
      case 'U': return num(Math.floor((f.yearDay - 1 - f.weekday + 7) / 7), 2);
      case 'W': return num(Math.floor((f.yearDay - 1 - ((f.weekday + 6) % 7) + 7) / 7), 2);
      case 'G': return num(isoWeek(f).year, 1);
      case 'g': return num(isoWeek(f).year % 100, 2);
      case 'V': return num(isoWeek(f).week, 2);
      case 's': return String(Math.floor(t.instant / 1000));
      case 'n': return '\n';
      case 't': return '\t';
      case '%': return '%';
      case 'D': case 'x': return strftime(t, '%m/%d/%y');
      case 'F': return strftime(t, '%Y-%m-%d');
      case 'T': case 'X': return strftime(t, '%H:%M:%S');
      case 'R': return strftime(t, '%H:%M');
      case 'r': return strftime(t, '%I:%M:%S %p');
      case 'c': return strftime(t, '%a %b %e %H:%M:%S %Y');
      case '+': return strftime(t, '%a %b %e %H:%M:%S %Z %Y');
      default: return whole;
    }
  });
}
