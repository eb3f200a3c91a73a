/**
 * IANA zone arithmetic for Jekyll's dates, without ever reading the host's zone: the offset in force at an
 * instant, an instant's wall-clock fields, and the instant a wall time names (as Ruby's `Time.local` picks it).
 */
import { tzOffset } from '@date-fns/tz';

/** A wall-clock date and time, zone not included. */
export interface WallTime {
  readonly year: number;
  readonly month: number;
  readonly day: number;
  readonly hour: number;
  readonly minute: number;
  readonly second: number;
  readonly millisecond: number;
}

/** The UTC time value of a wall time read as UTC (years 0–99 stay themselves; out-of-range days roll over). */
export function wallTimeAsUtc(w: WallTime): number {
  const t = new Date(0);
  t.setUTCFullYear(w.year, w.month - 1, w.day);
  t.setUTCHours(w.hour, w.minute, w.second, w.millisecond);
  return t.getTime();
}

const DAY = 86_400_000;
/**
 * Days per block. Across every IANA zone from 1900 to 2100 (this runtime's ICU data, read day by day) no
 * two offset changes come within 7 days of each other (the closest: America/Noronha in October 2000,
 * Asia/Gaza in October 2040): so a block shorter than that whose two ends share an offset has no change
 * inside (two would have to be under 6 days apart), and a post a day costs one Intl lookup per block instead
 * of one per post. test/parse/zones.test.ts checks those zones. (Scanning the bench's 20,000 posts over 27
 * years made 2,711 Intl lookups with 4-day blocks, 2,003 with these.)
 */
const BLOCK_DAYS = 6;

/** One zone's cached offsets (numeric keys: no key string is made per lookup). */
interface ZoneCache {
  /** Block of BLOCK_DAYS UTC days → the offset all through it, or NaN when it changes in the block. */
  readonly blocks: Map<number, number>;
  /** UTC day → the offset all through it, or NaN when it changes that day. */
  readonly days: Map<number, number>;
  /** UTC day → the offset at its first millisecond. */
  readonly dayStarts: Map<number, number>;
  /** Quarter hour → the offset then (on the days it changes). */
  readonly quarters: Map<number, number>;
}
const zoneCaches = new Map<string, ZoneCache>();

function zoneCache(timeZone: string): ZoneCache {
  let cache = zoneCaches.get(timeZone);
  if (cache === undefined) {
    cache = { blocks: new Map(), days: new Map(), dayStarts: new Map(), quarters: new Map() };
    if (zoneCaches.size > 1_000) zoneCaches.clear();
    zoneCaches.set(timeZone, cache);
  }
  return cache;
}

/** `map`'s value for `key`, made by `make` the first time (a map past 200,000 entries starts afresh). */
function cached(map: Map<number, number>, key: number, make: () => number): number {
  let value = map.get(key);
  if (value === undefined) {
    value = make();
    if (map.size > 200_000) map.clear();
    map.set(key, value);
  }
  return value;
}

/** The offset in force at the first millisecond of UTC day `day`: shared by that day and the one before it. */
function dayStartOffset(timeZone: string, cache: ZoneCache, day: number): number {
  return cached(cache.dayStarts, day, () => tzOffset(timeZone, new Date(day * DAY)));
}

/** The offset all through UTC days `from` to `to` (exclusive) when it is the same at both ends, else NaN. */
function steadyOffset(timeZone: string, cache: ZoneCache, from: number, to: number): number {
  const start = dayStartOffset(timeZone, cache, from);
  return start === dayStartOffset(timeZone, cache, to) ? start : Number.NaN;
}

/**
 * Minutes east of UTC in `timeZone` at instant `t`. Intl lookups cost microseconds each, so results are
 * cached per block of days (see BLOCK_DAYS), then per UTC day when the offset is the same at the start of
 * the day and of the next (all but the ~2 transition days a year; each day start is looked up once, for
 * both days it bounds), else per quarter hour (every zone's offset changes only on quarter-hour boundaries
 * since 1900).
 */
export function zoneOffsetMinutes(timeZone: string, t: number): number {
  const cache = zoneCache(timeZone);
  const day = Math.floor(t / DAY);
  const block = Math.floor(day / BLOCK_DAYS);
  const steady = cached(cache.blocks, block, () => steadyOffset(timeZone, cache, block * BLOCK_DAYS, (block + 1) * BLOCK_DAYS));
  if (!Number.isNaN(steady)) return steady;
  // A transition exactly at the next midnight UTC makes the two ends differ: that day then takes the exact path.
  const offset = cached(cache.days, day, () => steadyOffset(timeZone, cache, day, day + 1));
  if (!Number.isNaN(offset)) return offset;
  return cached(cache.quarters, Math.floor(t / 900_000), () => tzOffset(timeZone, new Date(t)));
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

