/**
 * Jekyll's date rule (Jekyll 4.3 Document#merge_date! → Utils.parse_date), without ever reading the host's zone:
 * Psych types the front matter scalar, Jekyll calls `Time.parse(value.to_s)` with `ENV['TZ']` = the site's
 * `timezone`. So:
 *
 * - A plain YAML timestamp (Psych's ScalarScanner::TIME) becomes a Ruby Time: UTC when it has no offset
 *   (YAML 1.1), else at its offset; `Time#to_s` then drops its fraction of a second. When Ruby's `Time.utc`
 *   refuses its fields (month 13, day 32, an offset over 24 h), Psych keeps the text as a String instead.
 * - Everything else, a plain date-only `YYYY-MM-DD` included (a Psych Date's `to_s` reads back the same),
 *   is read as `Time.parse` reads the text, in the site's zone (ruby-time.ts).
 * - A file name's date is `Time.parse` of its `YYYY-MM-DD` too.
 */
import { parseRubyTime } from './ruby-time.js';
import { wallTimeAsUtc, type WallTime } from './zones.js';

export { toZonedFields, zonedWallTimeToInstant, zoneOffsetMinutes, type WallTime, type ZonedFields } from './zones.js';

/** A YAML 1.1 timestamp written as a plain scalar, kept as text so the rules above can be applied. */
export class YamlTimestamp {
  constructor(readonly text: string) {}
}

// psych/scalar_scanner.rb: TIME, and the date-only pattern it tries next (Ruby's \s is [ \t\n\v\f\r]).
const PSYCH_TIME = /^-?\d{4}-\d{1,2}-\d{1,2}(?:[Tt]|[ \t\n\v\f\r]+)\d{1,2}:\d\d:\d\d(?:\.\d*)?(?:[ \t\n\v\f\r]*(?:Z|[-+]\d{1,2}:?(?:\d\d)?))?$/;
const PSYCH_DATE = /^\d{4}-(?:1[012]|0\d|\d)-(?:[12]\d|3[01]|0\d|\d)$/;

/** Plain scalars Psych types as a Time or a Date (used to tag them when parsing front matter). */
export const YAML_TIMESTAMP_TEST = new RegExp(`${PSYCH_TIME.source}|${PSYCH_DATE.source}`);

/** Why a date could not be read; the caller turns it into a diagnostic. */
export interface DateProblem {
  readonly problem: string;
}

/**
 * Result of reading a date: an instant (with a warning when the input looks like a mistake; `usesNow` when
 * the build time supplied its year), or a problem.
 */
export type DateResult = { readonly instant: Date; readonly warning?: string; readonly usesNow?: true } | DateProblem;

// Four-digit years from 1000 (Date.UTC reads years 0-99 as 1900-1999), two-digit fields, UTC.
const PLAIN_UTC_TIME = /^([1-9]\d{3})-(\d\d)-(\d\d)[T ](\d\d):(\d\d):(\d\d)Z?$/;

const MONTH_DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

function daysInMonth(year: number, month: number): number {
  return month === 2 && ((year % 4 === 0 && year % 100 !== 0) || year % 400 === 0) ? 29 : MONTH_DAYS[month - 1] ?? 31;
}

/**
 * psych/scalar_scanner.rb `parse_time`, for text that matched PSYCH_TIME: the instant of the Time it makes,
 * or undefined where Ruby raises ArgumentError (Psych then keeps the String).
 */
function psychTime(text: string): { instant: number; warning?: string } | DateProblem | undefined {
  // `string.split(/[ tT]/, 2)`: with only a tab between date and time there is no time part, and Psych
  // raises NoMethodError, which Jekyll reports as "could not read file" and skips the post.
  const split = /[ tT]/.exec(text);
  if (split === null) return { problem: `'${text}' has a tab between date and time, which Ruby's Psych cannot read (Jekyll skips the post)` };
  const date = /^(-?\d{4})-(\d{1,2})-(\d{1,2})/.exec(text.slice(0, split.index));
  const md = /(\d+:\d+:\d+)(?:\.(\d*))?\s*(Z|[-+]\d+(:\d\d)?)?/.exec(text.slice(split.index + 1));
  if (date === null || md === null) return undefined;
  const [year, month, day] = [Number(date[1]), Number(date[2]), Number(date[3])];
  const [hour, minute, second] = (md[1] ?? '').split(':').map(Number) as [number, number, number];
  const millisecond = md[2] === undefined ? 0 : Number(`${md[2]}000`.slice(0, 3));
  // time.c validate_vtm: the ranges Time.utc / Time.new accept before rolling a day over.
  if (month < 1 || month > 12 || day < 1 || day > 31 || hour > 24 || minute > 59 || second > 60 || (hour === 24 && (minute > 0 || second > 0))) return undefined;
  const zone = md[3];
  let instant: number;
  if (zone === undefined || zone === 'Z') {
    instant = wallTimeAsUtc({ year, month, day, hour, minute, second, millisecond });
  } else {
    // `md[3].match(/^([+\-]?\d{1,2})\:?(\d{1,2})?$/)`: "+530" is read as 53 hours and 0 minutes.
    const tz = /^([+-]?\d{1,2}):?(\d{1,2})?$/.exec(zone);
    if (tz === null) return undefined;
    let offsetSeconds = Number(tz[1]) * 3600;
    // Ruby tests the sign of the hours times 3600, so "-00:30" is +00:30.
    offsetSeconds += (offsetSeconds < 0 ? -1 : 1) * Number(tz[2] ?? '0') * 60;
    if (Math.abs(offsetSeconds) >= 86_400) return undefined;
    instant = timeNewWithOffset({ year, month, day, hour, minute, second, millisecond }, offsetSeconds);
  }
  if (!Number.isFinite(instant)) return { problem: `'${text}' is outside the years a feed date can carry (−271821 to 275760)` };
  if (day <= daysInMonth(year, month)) return { instant };
  const published = new Date(Math.floor(instant / 1000) * 1000).toISOString().replace('.000Z', 'Z');
  return { instant, warning: `'${text}' names day ${day} of a ${daysInMonth(year, month)}-day month; Jekyll (Ruby's Psych) publishes it at ${published}` };
}

/**
 * time.c `time_init_vtm` with a UTC offset (what `Time.new(y, m, d, h, mi, s, offset)` does): the wall time
 * is shifted to UTC field by field (`vtm_add_offset`, `vtm_add_day`) and only then counted. A day past the
 * month's end that the shift moves forward becomes day 32, which the 5-bit `mday` field stores as 0: so
 * `2026-04-31T23:00:00-05:00` is 2026-03-31T04:00:00Z, as Ruby really gives it.
 */
function timeNewWithOffset(w: WallTime, offsetSeconds: number): number {
  let { year, month, day } = w;
  let sec = w.second;
  let min = w.minute;
  let hour = w.hour;
  const sign = offsetSeconds < 0 ? 1 : -1;
  const off = Math.abs(offsetSeconds);
  let dSec = sign * (off % 60);
  let dMin = sign * (Math.floor(off / 60) % 60);
  let dHour = sign * (Math.floor(off / 3600) % 24);
  let dDay = 0;
  if (dSec !== 0) {
    dSec += sec;
    if (dSec < 0) { dSec += 60; dMin -= 1; }
    if (dSec >= 60) { dSec -= 60; dMin += 1; }
    sec = dSec;
  }
  if (dMin !== 0) {
    dMin += min;
    if (dMin < 0) { dMin += 60; dHour -= 1; }
    if (dMin >= 60) { dMin -= 60; dHour += 1; }
    min = dMin;
  }
  if (dHour !== 0) {
    dHour += hour;
    if (dHour < 0) { dHour += 24; dDay = -1; }
    if (dHour >= 24) { dHour -= 24; dDay = 1; }
    hour = dHour;
  }
  if (dDay < 0) {
    if (month === 1 && day === 1) { year -= 1; month = 12; day = 31; }
    else if (day === 1) { month -= 1; day = daysInMonth(year, month); }
    else day -= 1;
  } else if (dDay > 0) {
    if (month === 12 && day === 31) { year += 1; month = 1; day = 1; }
    else if (day === daysInMonth(year, month)) { month += 1; day = 1; }
    else day = (day + 1) & 31;
  }
  return wallTimeAsUtc({ year, month, day, hour, minute: min, second: sec, millisecond: w.millisecond });
}

/** A plain YAML timestamp or date, as Psych types it and Jekyll re-reads it (`Time.parse(value.to_s)`). */
export function readYamlTimestamp(value: YamlTimestamp, siteZone: string, now?: Date): DateResult {
  const text = value.text;
  // The common shape, `2026-02-01T09:30:00` (or with a space, or `Z`), with every field in range: what
  // psychTime makes of it is that UTC wall time, with nothing to warn about.
  const plain = PLAIN_UTC_TIME.exec(text);
  if (plain !== null) {
    // Each group on its own: an array of the matches, mapped, cost TurboFan a deopt (the array's elements kind).
    const year = Number(plain[1]);
    const month = Number(plain[2]);
    const day = Number(plain[3]);
    const hour = Number(plain[4]);
    const minute = Number(plain[5]);
    const second = Number(plain[6]);
    if (month >= 1 && month <= 12 && day >= 1 && day <= daysInMonth(year, month) && hour <= 23 && minute <= 59 && second <= 59) return { instant: new Date(Date.UTC(year, month - 1, day, hour, minute, second)) };
  }
  if (PSYCH_TIME.test(text)) {
    const time = psychTime(text);
    if (time !== undefined && 'problem' in time) return time;
    // Time#to_s has no fraction of a second, so Jekyll's re-parse keeps whole seconds.
    if (time !== undefined) {
      const instant = new Date(Math.floor(time.instant / 1000) * 1000);
      return time.warning === undefined ? { instant } : { instant, warning: time.warning };
    }
  }
  return readDateString(text, siteZone, now);
}

/**
 * A date string (quoted, or plain but not a YAML timestamp), read as Ruby's `Time.parse` reads it in the
 * site's zone. `now` fills the parts the text leaves out above the first one it gives (Jekyll's build time).
 */
export function readDateString(text: string, siteZone: string, now?: Date): DateResult {
  return parseRubyTime(text, siteZone, now);
}

/**
 * Any front matter `date` value as Jekyll reads it: a plain timestamp, a string, or a number or boolean
 * (`to_s`, then `Time.parse`). An empty `date:` is nil, whose `to_s` is '', which Jekyll refuses.
 */
export function readDateValue(value: unknown, siteZone: string, now?: Date): DateResult {
  if (value instanceof YamlTimestamp) return readYamlTimestamp(value, siteZone, now);
  if (typeof value === 'string') return readDateString(value, siteZone, now);
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') return readDateString(String(value), siteZone, now);
  if (value === null || value === undefined) return { problem: "is empty; Jekyll stops with \"Invalid date ''\"" };
  return { problem: `expected a date, got ${Array.isArray(value) ? 'a list' : 'a mapping'}` };
}

/** A file name's `YYYY-MM-DD` (Jekyll's DATE_FILENAME_MATCHER capture), read by `Time.parse` in the site's zone. */
export function readFileNameDate(text: string, siteZone: string, now?: Date): DateResult {
  return parseRubyTime(text, siteZone, now);
}

/** True when `zone` is an IANA time zone name this runtime knows. */
export function isKnownTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}
