/**
 * Jekyll's date rules (Jekyll 4.3, Ruby's Psych and Time.parse), without ever reading the host's zone.
 *
 * - A plain YAML timestamp without offset is a UTC instant (YAML 1.1 timestamp type; Psych and js-yaml agree).
 * - A plain YAML timestamp with an offset is that instant.
 * - A plain date-only value, and a file-name date, are midnight in the site's zone (Jekyll re-parses
 *   `Date#to_s` with `Time.parse`, which reads local time; Jekyll sets the local zone to `timezone`).
 * - A quoted string is read as `Time.parse` does, in the site's zone; a wall time that a DST jump skips
 *   moves forward by the jump (Ruby's `Time.local`).
 */
import { tzOffset } from '@date-fns/tz';

/** A YAML 1.1 timestamp written as a plain scalar, kept as text so the rules above can be applied. */
export class YamlTimestamp {
  constructor(readonly text: string) {}
}

interface WallTime {
  readonly year: number;
  readonly month: number;
  readonly day: number;
  readonly hour: number;
  readonly minute: number;
  readonly second: number;
  readonly millisecond: number;
}

// YAML 1.1 timestamp (https://yaml.org/type/timestamp.html), as Psych's scanner accepts it.
const YAML_DATE = /^(\d{4})-(\d{1,2})-(\d{1,2})$/;
const YAML_TIMESTAMP = /^(\d{4})-(\d{1,2})-(\d{1,2})(?:[Tt]|[ \t]+)(\d{1,2}):(\d{2}):(\d{2})(?:\.(\d*))?(?:[ \t]*(Z|[-+]\d{1,2}(?::?\d{2})?))?$/;
// What Time.parse reads in practice for ISO-like strings: date, optional time, optional zone.
const TIME_PARSE_ISO = /^(\d{4})-(\d{1,2})-(\d{1,2})(?:(?:[Tt]|[ \t]+)(\d{1,2}):(\d{2})(?::(\d{2})(?:[.,](\d+))?)?)?(?:[ \t]*(Z|UTC|GMT|[-+]\d{1,2}(?::?\d{2})?))?$/;

/** Regex for YAML 1.1 plain timestamps (used to tag them when parsing front matter). */
export const YAML_TIMESTAMP_TEST = /^\d{4}-\d{1,2}-\d{1,2}(?:(?:[Tt]|[ \t]+)\d{1,2}:\d{2}:\d{2}(?:\.\d*)?(?:[ \t]*(?:Z|[-+]\d{1,2}(?::?\d{2})?))?)?$/;

function isValidWallTime(w: WallTime): boolean {
  if (w.month < 1 || w.month > 12 || w.day < 1 || w.hour > 23 || w.minute > 59 || w.second > 60) return false;
  const daysInMonth = new Date(Date.UTC(w.year, w.month, 0)).getUTCDate();
  return w.day <= daysInMonth;
}

function fractionToMs(fraction: string | undefined): number {
  return fraction === undefined || fraction === '' ? 0 : Math.floor(Number(`0.${fraction}`) * 1000);
}

function wallTimeAsUtc(w: WallTime): number {
  const t = new Date(0);
  t.setUTCFullYear(w.year, w.month - 1, w.day);
  t.setUTCHours(w.hour, w.minute, w.second, w.millisecond);
  return t.getTime();
}

/** Minutes east of UTC for an offset written `Z`, `+05`, `+0500`, `+05:00`, `UTC`, `GMT`. */
function parseOffsetMinutes(zone: string): number {
  if (zone === 'Z' || zone === 'UTC' || zone === 'GMT') return 0;
  const m = /^([-+])(\d{1,2})(?::?(\d{2}))?$/.exec(zone);
  if (m === null) return Number.NaN;
  const sign = m[1] === '-' ? -1 : 1;
  return sign * (Number(m[2]) * 60 + Number(m[3] ?? '0'));
}

const dayOffsets = new Map<string, number>();
const quarterOffsets = new Map<string, number>();
const DAY = 86_400_000;

/**
 * Minutes east of UTC in `timeZone` at instant `t`. Intl lookups cost microseconds each, so results are
 * cached per UTC day when the offset is the same at both ends of the day (all but the ~2 transition days a
 * year), else per quarter hour (every zone's offset changes only on quarter-hour boundaries since 1900).
 */
export function zoneOffsetMinutes(timeZone: string, t: number): number {
  const day = Math.floor(t / DAY);
  const dayKey = `${timeZone}|${day}`;
  let offset = dayOffsets.get(dayKey);
  if (offset === undefined) {
    const start = tzOffset(timeZone, new Date(day * DAY));
    const end = tzOffset(timeZone, new Date(day * DAY + DAY - 1));
    offset = start === end ? start : Number.NaN;
    if (dayOffsets.size > 200_000) dayOffsets.clear();
    dayOffsets.set(dayKey, offset);
  }
  if (!Number.isNaN(offset)) return offset;
  const key = `${timeZone}|${Math.floor(t / 900_000)}`;
  let exact = quarterOffsets.get(key);
  if (exact === undefined) {
    exact = tzOffset(timeZone, new Date(t));
    if (quarterOffsets.size > 200_000) quarterOffsets.clear();
    quarterOffsets.set(key, exact);
  }
  return exact;
}

/** Calendar fields of an instant in an IANA zone (what Ruby's `Time#localtime` gives Jekyll). */
export interface ZonedFields extends Omit<WallTime, 'millisecond'> {
  /** 0 = Sunday. */
  readonly weekday: number;
  /** 1-based day of the year. */
  readonly yearDay: number;
  /** Minutes east of UTC. */
  readonly offset: number;
}

/** The wall-clock fields of instant `t` in `timeZone`. */
export function toZonedFields(t: number, timeZone: string): ZonedFields {
  const offset = zoneOffsetMinutes(timeZone, t);
  const local = new Date(t + offset * 60_000);
  const year = local.getUTCFullYear();
  const startOfYear = Date.UTC(year, 0, 1);
  const startOfDay = Date.UTC(year, local.getUTCMonth(), local.getUTCDate());
  return {
    year,
    month: local.getUTCMonth() + 1,
    day: local.getUTCDate(),
    hour: local.getUTCHours(),
    minute: local.getUTCMinutes(),
    second: local.getUTCSeconds(),
    weekday: local.getUTCDay(),
    yearDay: Math.round((startOfDay - startOfYear) / 86_400_000) + 1,
    offset,
  };
}

/**
 * The instant a wall time names in an IANA zone, as Ruby's `Time.local` (hence Jekyll) picks it: a time
 * skipped by a DST jump moves forward; a time that occurs twice (fall-back) is the later, standard-time one.
 */
export function zonedWallTimeToInstant(w: WallTime, timeZone: string): number {
  const asUtc = wallTimeAsUtc(w);
  const offsetAt = (t: number): number => zoneOffsetMinutes(timeZone, t);
  // The offsets in force a day either side cover both readings around any transition.
  const candidates = [offsetAt(asUtc - 86_400_000), offsetAt(asUtc), offsetAt(asUtc + 86_400_000)].map((o) => asUtc - o * 60_000);
  const valid = candidates.filter((t) => t + offsetAt(t) * 60_000 === asUtc);
  if (valid.length > 0) return Math.max(...valid);
  // In a gap: no offset names this wall time. The offset in force before the jump lands after it
  // (02:30 in New York on 2026-03-08 is 03:30 -04:00).
  return asUtc - offsetAt(asUtc - 86_400_000) * 60_000;
}

/** Why a date could not be read; the caller turns it into a diagnostic. */
export interface DateProblem {
  readonly problem: string;
}

/** Result of reading a date: an instant, or a problem. */
export type DateResult = { readonly instant: Date } | DateProblem;

function wallFromMatch(m: RegExpExecArray): WallTime {
  return {
    year: Number(m[1]),
    month: Number(m[2]),
    day: Number(m[3]),
    hour: Number(m[4] ?? '0'),
    minute: Number(m[5] ?? '0'),
    second: Number(m[6] ?? '0'),
    millisecond: fractionToMs(m[7]),
  };
}

function instantFrom(w: WallTime, zone: string | undefined, siteZone: string, text: string): DateResult {
  if (!isValidWallTime(w)) return { problem: `'${text}' is not a real calendar date or time` };
  if (zone === undefined) return { instant: new Date(zonedWallTimeToInstant(w, siteZone)) };
  const offset = parseOffsetMinutes(zone);
  if (Number.isNaN(offset)) return { problem: `'${text}' has an unreadable UTC offset` };
  return { instant: new Date(wallTimeAsUtc(w) - offset * 60_000) };
}

/** A plain YAML timestamp: date-only is midnight in the site's zone, a time without offset is UTC. */
export function readYamlTimestamp(value: YamlTimestamp, siteZone: string): DateResult {
  const text = value.text.trim();
  const dateOnly = YAML_DATE.exec(text);
  if (dateOnly !== null) return instantFrom(wallFromMatch(dateOnly), undefined, siteZone, text);
  const m = YAML_TIMESTAMP.exec(text);
  if (m === null) return { problem: `'${text}' is not a YAML timestamp` };
  // YAML 1.1 timestamp: "if the time zone is omitted, the timestamp is assumed to be relative to UTC".
  return instantFrom(wallFromMatch(m), m[8] ?? 'Z', siteZone, text);
}

/** A quoted date string, read as Ruby's `Time.parse` reads ISO-like text, in the site's zone. */
export function readDateString(text: string, siteZone: string): DateResult {
  const m = TIME_PARSE_ISO.exec(text.trim());
  if (m === null) return { problem: `'${text}' is not a date feedwright can read` };
  return instantFrom(wallFromMatch(m), m[8], siteZone, text);
}

/** A file name's `YYYY-MM-DD`, midnight in the site's zone. */
export function readFileNameDate(year: number, month: number, day: number, siteZone: string): DateResult {
  return instantFrom({ year, month, day, hour: 0, minute: 0, second: 0, millisecond: 0 }, undefined, siteZone, `${year}-${month}-${day}`);
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
