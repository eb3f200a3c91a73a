/**
 * Dates as Jekyll 4.3 reads them, checked against what real Ruby (Time.parse, Psych) wrote into
 * test/parse/ruby-time.cases.json (generator: test/support/ruby-time-cases.rb; regenerated and compared by
 * ruby-time-oracle.test.ts wherever ruby is installed).
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseFrontMatter } from '../../src/parse/front-matter.js';
import { readDateValue } from '../../src/parse/dates.js';
import { parseRubyTime } from '../../src/parse/ruby-time.js';

interface Cases {
  readonly now: number;
  readonly zones: readonly string[];
  readonly time: ReadonlyArray<{ readonly text: string; readonly results: Readonly<Record<string, number | 'error'>> }>;
  readonly yaml: ReadonlyArray<{ readonly raw: string; readonly results: Readonly<Record<string, number | 'error'>> }>;
}

const cases = JSON.parse(readFileSync(new URL('./ruby-time.cases.json', import.meta.url), 'utf8')) as Cases;
const now = new Date(cases.now);
const shown = (r: { instant: Date } | { problem: string }): number | 'error' => ('instant' in r ? r.instant.getTime() : 'error');
const table = (results: Readonly<Record<string, number | 'error'>>, read: (zone: string) => number | 'error'): Record<string, number | 'error'> =>
  Object.fromEntries(Object.keys(results).map((zone) => [zone, read(zone)]));

describe('parseRubyTime is Ruby Time.parse(text, now) with ENV["TZ"] = zone', () => {
  it('covers hundreds of strings in six zones', () => {
    expect(cases.time.length).toBeGreaterThanOrEqual(300);
    expect(cases.zones).toEqual(expect.arrayContaining(['UTC', 'America/New_York', 'Europe/Berlin', 'Asia/Tokyo', 'Australia/Adelaide']));
  });

  it.each(cases.time.map((c) => [JSON.stringify(c.text), c] as const))('%s', (_, c) => {
    expect(table(c.results, (zone) => shown(parseRubyTime(c.text, zone, now)))).toEqual(c.results);
  });
});

describe('readDateValue is Jekyll: Psych types `date: <raw>`, then Time.parse(value.to_s)', () => {
  it.each(cases.yaml.map((c) => [JSON.stringify(c.raw), c] as const))('date: %s', (_, c) => {
    const fm = parseFrontMatter(`---\ndate: ${c.raw}\n---\n`);
    const read = (zone: string): number | 'error' => {
      if (fm.kind !== 'ok') return 'error';
      return shown(readDateValue(fm.data['date'], zone, now));
    };
    expect(table(c.results, read)).toEqual(c.results);
  });
});

describe('warnings for what Jekyll publishes but looks like a mistake', () => {
  const warning = (text: string, zone = 'UTC'): string | undefined => {
    const r = parseRubyTime(text, zone, now);
    return 'instant' in r ? r.warning : `problem: ${r.problem}`;
  };

  it('says where a day that does not exist rolls over to', () => {
    expect(warning('2016-06-31')).toBe("'2016-06-31' names day 31 of a 30-day month; Jekyll (Ruby's Time.parse) rolls it over to 2016-07-01");
    expect(warning('2026-02-30 10:00')).toContain('rolls it over to 2026-03-02');
  });

  it('names the text Ruby drops', () => {
    expect(warning('2023-01-29 18:30:22 2023 -0800')).toBe("Ruby's Time.parse ignores '2023 -0800' in '2023-01-29 18:30:22 2023 -0800'");
  });

  it('says when a zone abbreviation means nothing to Ruby in the site zone', () => {
    expect(warning('Fri Sep  3 11:21:31 CEST 2021')).toBe("Ruby's Time.parse does not know the zone 'CEST' (in UTC), so Jekyll reads 'Fri Sep  3 11:21:31 CEST 2021' as UTC time");
    expect(warning('Fri Sep  3 11:21:31 CEST 2021', 'Europe/Berlin')).toBeUndefined();
  });

  it('says when the year comes from the build time, and which words Ruby skipped', () => {
    expect(warning('the second of January')).toBe("'the second of January' has no year, so Jekyll takes it from the build time (2026 for this build); Ruby's Time.parse ignores 'the second of' in 'the second of January'");
    expect(warning('2016-03-23 draft')).toBe("Ruby's Time.parse ignores 'draft' in '2016-03-23 draft'");
    expect(warning('September 8, 2014 at 10:30 AM')).toBeUndefined();
  });

  it('is silent for ordinary dates', () => {
    for (const text of ['2026-02-01', 'September 8, 2014', '2016-03-23 09:00 EDT', 'Sun, 01 Feb 2026 09:30:00 +0000', '11-9-2017']) expect(warning(text)).toBeUndefined();
  });

  it('refuses what Ruby refuses, saying why', () => {
    expect(warning('2026-13-01')).toBe("problem: '2026-13-01': month 13 is out of range");
    expect(warning('next tuesday')).toBe("problem: 'next tuesday' has no date or time that Ruby's Time.parse can find");
  });

  it('needs `now` only for text without a year', () => {
    expect(shown(parseRubyTime('2026-02-01', 'UTC', undefined))).toBe(Date.UTC(2026, 1, 1));
    expect(parseRubyTime('June 3', 'UTC', undefined)).toEqual({ problem: "'June 3' has no year; Jekyll takes the missing parts from the build time, which was not given" });
  });
});
