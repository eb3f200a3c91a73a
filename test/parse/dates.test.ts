/**
 * Jekyll's date rules. Expected instants are the ones Jekyll 4.3 publishes for the same front matter
 * (checked by hand with Debian's jekyll + jekyll-feed; jekyll-parity.test.ts re-checks them on every run).
 */
import { describe, expect, it } from 'vitest';
import { readDateString, readFileNameDate, readYamlTimestamp, YamlTimestamp } from '../../src/parse/dates.js';

const iso = (r: ReturnType<typeof readDateString>): string => ('instant' in r ? r.instant.toISOString() : `problem: ${r.problem}`);

describe('front matter dates', () => {
  it('reads a plain timestamp without offset as a UTC instant, whatever the site zone', () => {
    expect(iso(readYamlTimestamp(new YamlTimestamp('2026-02-01T00:57:25'), 'Asia/Karachi'))).toBe('2026-02-01T00:57:25.000Z');
    expect(iso(readYamlTimestamp(new YamlTimestamp('2026-01-18 22:05:00'), 'America/New_York'))).toBe('2026-01-18T22:05:00.000Z');
  });

  it('reads a plain timestamp with an offset as that instant', () => {
    expect(iso(readYamlTimestamp(new YamlTimestamp('2026-02-03T08:00:00-05:00'), 'Asia/Karachi'))).toBe('2026-02-03T13:00:00.000Z');
    expect(iso(readYamlTimestamp(new YamlTimestamp('2026-02-03 08:00:00 +0530'), 'UTC'))).toBe('2026-02-03T02:30:00.000Z');
  });

  it('reads a date-only value and a file-name date as midnight in the site zone', () => {
    expect(iso(readYamlTimestamp(new YamlTimestamp('2026-03-04'), 'Asia/Karachi'))).toBe('2026-03-03T19:00:00.000Z');
    expect(iso(readFileNameDate(2026, 3, 9, 'America/New_York'))).toBe('2026-03-09T04:00:00.000Z');
  });

  it('reads a quoted string as Time.parse does, in the site zone, moving a DST-skipped time forward', () => {
    expect(iso(readDateString('2026-03-08 02:30:00', 'America/New_York'))).toBe('2026-03-08T07:30:00.000Z');
    expect(iso(readDateString('2026-03-08 02:30:00', 'Asia/Karachi'))).toBe('2026-03-07T21:30:00.000Z');
  });

  it('takes the later, standard-time reading of a wall time that occurs twice', () => {
    expect(iso(readDateString('2026-11-01 01:30:00', 'America/New_York'))).toBe('2026-11-01T06:30:00.000Z');
  });

  it('keeps fractional seconds to the millisecond', () => {
    expect(iso(readYamlTimestamp(new YamlTimestamp('2026-04-01T10:00:00.789Z'), 'UTC'))).toBe('2026-04-01T10:00:00.789Z');
  });

  it('reports impossible dates instead of rolling them over', () => {
    expect(iso(readYamlTimestamp(new YamlTimestamp('2026-02-30'), 'UTC'))).toMatch(/^problem: .*not a real calendar date/);
    expect(iso(readDateString('2026-13-01 10:00', 'UTC'))).toMatch(/^problem/);
    expect(iso(readDateString('next tuesday', 'UTC'))).toMatch(/^problem/);
  });
});
