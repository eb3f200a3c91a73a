/** Ruby's `Time#strftime` and `Time#to_s`, checked against Ruby itself in the site's zone. */
import { execFileSync } from 'node:child_process';
import { describe, expect, test } from 'vitest';
import { JekyllTime, strftime } from '../../src/render/liquid/time.js';
import { requireTool } from '../support/tools.js';

const FORMATS = [
  '%Y-%m-%d %H:%M:%S %z', '%a %A %b %B %h', '%d %-d %e %-e %j %-j', '%H %-H %k %I %-I %l %p %P', '%M %S %L %N %3N',
  '%y %C %G %g %V %U %W %u %w', '%s %% %n%t|', '%D %F %T %R %r', '%c', '%^a %^B %10A %-10A %_5d %05e %:z %::z',
  '%b %-d, %Y at %-l:%M %P', 'week %V of %G',
];
// Instants around a year boundary (ISO weeks), a DST change in each zone, leap day and the epoch.
const INSTANTS = [0, Date.UTC(2026, 0, 1, 0, 30), Date.UTC(2026, 2, 29, 0, 59, 59, 123), Date.UTC(2026, 2, 29, 1, 0, 0), Date.UTC(2024, 1, 29, 23, 5), Date.UTC(2027, 0, 3, 12), Date.UTC(2026, 11, 31, 23, 59, 59), Date.UTC(2026, 9, 25, 0, 30)];
const ZONES = ['UTC', 'Europe/Berlin', 'America/New_York', 'Asia/Kolkata', 'Pacific/Chatham'];

describe.skipIf(!requireTool('ruby'))('strftime', () => {
  test.each(ZONES)('%s', (zone) => {
    const script = 'fmts, ts = JSON.parse($stdin.read); print JSON.generate(ts.map { |t| time = Time.at(Rational(t, 1000)); [time.to_s] + fmts.map { |f| time.strftime(f) } })';
    const ruby = JSON.parse(execFileSync('ruby', ['-rjson', '-e', script], { input: JSON.stringify([FORMATS, INSTANTS]), encoding: 'utf8', env: { ...process.env, TZ: zone } })) as string[][];
    const ours = INSTANTS.map((t) => {
      const time = new JekyllTime(t, zone);
      return [time.valueOf(), ...FORMATS.map((f) => strftime(time, f))];
    });
    expect(ours).toEqual(ruby);
  });
});
