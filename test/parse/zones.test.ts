/**
 * The cached zone offsets (parse/zones.ts) against the uncached answer of @date-fns/tz for the same
 * instant: the cache must never change an offset, least of all on the days a zone changes its offset.
 */
import { tzOffset } from '@date-fns/tz';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { toZonedFields, zoneOffsetMinutes } from '../../src/parse/zones.js';

// Zones with DST either side of the equator, a 30-minute DST (Lord Howe), transitions at midnight UTC or
// near it (Azores, Casablanca's Ramadan suspensions), a skipped calendar day (Apia, 2011-12-30) and none.
const ZONES = ['Europe/London', 'America/New_York', 'Australia/Lord_Howe', 'Atlantic/Azores', 'Africa/Casablanca', 'Pacific/Apia', 'America/Sao_Paulo', 'Asia/Kolkata', 'UTC'];
const HOUR = 3_600_000;

describe('zoneOffsetMinutes', () => {
  it('gives the exact offset at random instants from 1900 to 2100 in every zone', () => {
    fc.assert(
      fc.property(fc.constantFrom(...ZONES), fc.integer({ min: Date.UTC(1900, 0, 1), max: Date.UTC(2100, 0, 1) }), (zone, t) => {
        expect(zoneOffsetMinutes(zone, t)).toBe(tzOffset(zone, new Date(t)));
      }),
      { numRuns: 5_000, seed: 20261202 },
    );
  });

  it('gives the exact offset every quarter hour through 2011 (every transition of that year, the day Apia skipped among them)', () => {
    for (const zone of ZONES) {
      for (let t = Date.UTC(2011, 0, 1); t < Date.UTC(2012, 0, 1); t += HOUR / 4) {
        const got = zoneOffsetMinutes(zone, t + 1);
        const want = tzOffset(zone, new Date(t + 1));
        if (got !== want) expect({ zone, at: new Date(t + 1).toISOString(), got }).toEqual({ zone, at: new Date(t + 1).toISOString(), got: want });
      }
    }
  });

  it('gives the exact offset every quarter hour around the closest pairs of offset changes of any zone (7 to 12 days apart)', () => {
    // Found by reading every zone day by day from 1900 to 2100: the cache's blocks rely on no closer pair.
    const closest: ReadonlyArray<readonly [string, number]> = [
      ['America/Noronha', Date.UTC(2000, 9, 16)],
      ['America/Recife', Date.UTC(2000, 9, 16)],
      ['Asia/Gaza', Date.UTC(2040, 9, 27)],
      ['Africa/Tunis', Date.UTC(1943, 3, 26)],
      ['Europe/Simferopol', Date.UTC(1944, 3, 13)],
      ['Europe/Riga', Date.UTC(1944, 9, 13)],
      ['Europe/Vienna', Date.UTC(1945, 3, 13)],
      ['America/Argentina/Tucuman', Date.UTC(2004, 5, 14)],
    ];
    for (const [zone, around] of closest) {
      for (let t = around - 20 * 24 * HOUR; t < around + 20 * 24 * HOUR; t += HOUR / 4) {
        const got = zoneOffsetMinutes(zone, t + 1);
        const want = tzOffset(zone, new Date(t + 1));
        if (got !== want) expect({ zone, at: new Date(t + 1).toISOString(), got }).toEqual({ zone, at: new Date(t + 1).toISOString(), got: want });
      }
    }
  });

  it('gives the same calendar fields as the offset read directly, around 2026 transitions', () => {
    for (const zone of ZONES) {
      for (let t = Date.UTC(2026, 2, 1); t < Date.UTC(2026, 11, 1); t += HOUR) {
        const fields = toZonedFields(t, zone);
        const local = new Date(t + tzOffset(zone, new Date(t)) * 60_000);
        expect([fields.year, fields.month, fields.day, fields.hour]).toEqual([local.getUTCFullYear(), local.getUTCMonth() + 1, local.getUTCDate(), local.getUTCHours()]);
      }
    }
  });
});
