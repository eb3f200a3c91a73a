/**
 * Jekyll's date rules. Expected instants are the ones Jekyll 4.3 publishes for the same front matter
 * (checked by hand with Debian's jekyll + jekyll-feed; jekyll-parity.test.ts re-checks them on every run).
 */
import { describe, expect, it } from 'vitest';
import { readDateString, readDateValue, readFileNameDate, readYamlTimestamp, YamlTimestamp } from '../../src/parse/dates.js';

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
    expect(iso(readFileNameDate('2026-03-09', 'America/New_York'))).toBe('2026-03-09T04:00:00.000Z');
    expect(iso(readFileNameDate('26-3-9', 'UTC'))).toBe('2026-03-09T00:00:00.000Z');
  });

  it('reads a quoted string as Time.parse does, in the site zone, moving a DST-skipped time forward', () => {
    expect(iso(readDateString('2026-03-08 02:30:00', 'America/New_York'))).toBe('2026-03-08T07:30:00.000Z');
    expect(iso(readDateString('2026-03-08 02:30:00', 'Asia/Karachi'))).toBe('2026-03-07T21:30:00.000Z');
  });

  it('takes the later, standard-time reading of a wall time that occurs twice', () => {
    expect(iso(readDateString('2026-11-01 01:30:00', 'America/New_York'))).toBe('2026-11-01T06:30:00.000Z');
  });

  it('drops the fraction of a plain timestamp (Time#to_s has none) but keeps a string\'s', () => {
    expect(iso(readYamlTimestamp(new YamlTimestamp('2026-04-01T10:00:00.789Z'), 'UTC'))).toBe('2026-04-01T10:00:00.000Z');
    expect(iso(readDateString('2026-04-01T10:00:00.789Z', 'UTC'))).toBe('2026-04-01T10:00:00.789Z');
  });

  it('rolls an impossible day over as Ruby does, with a warning, and refuses what Ruby refuses', () => {
    const rolled = readYamlTimestamp(new YamlTimestamp('2026-02-30'), 'UTC');
    expect(iso(rolled)).toBe('2026-03-02T00:00:00.000Z');
    expect('warning' in rolled && rolled.warning).toBe("'2026-02-30' names day 30 of a 28-day month; Jekyll (Ruby's Time.parse) rolls it over to 2026-03-02");
    const psych = readYamlTimestamp(new YamlTimestamp('2016-06-31 10:00:00 +02:00'), 'UTC');
    expect(iso(psych)).toBe('2016-07-01T08:00:00.000Z');
    expect('warning' in psych && psych.warning).toBe("'2016-06-31 10:00:00 +02:00' names day 31 of a 30-day month; Jekyll (Ruby's Psych) publishes it at 2016-07-01T08:00:00Z");
    expect(iso(readDateString('2026-13-01 10:00', 'UTC'))).toMatch(/^problem/);
    expect(iso(readDateString('next tuesday', 'UTC'))).toMatch(/^problem/);
  });

  it('reads the forms real Jekyll posts use', () => {
    const now = new Date('2026-06-01T12:00:00Z');
    expect(iso(readDateValue('September 8, 2014', 'UTC', now))).toBe('2014-09-08T00:00:00.000Z');
    expect(iso(readDateValue('2016-03-23 09:00 EDT', 'Europe/Berlin', now))).toBe('2016-03-23T13:00:00.000Z');
    expect(iso(readDateValue('Fri Sep  3 11:21:31 CEST 2021', 'Europe/Berlin', now))).toBe('2021-09-03T09:21:31.000Z');
    expect(iso(readDateValue('11-9-2017', 'UTC', now))).toBe('2017-09-11T00:00:00.000Z');
    expect(iso(readDateValue(20160323, 'UTC', now))).toBe('2016-03-23T00:00:00.000Z');
    expect(iso(readDateValue(null, 'UTC', now))).toBe('problem: is empty; Jekyll stops with "Invalid date \'\'"');
  });
});
