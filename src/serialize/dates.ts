/**
 * Writing instants: RFC 822 for RSS, RFC 3339 for Atom and JSON Feed, in the site's zone. These are
 * fixed layouts written from the zone's wall-clock fields; date-fns `format` over a TZDate costs ~15 µs a
 * call through Intl, which a full-archive build of 100,000 posts pays millions of times.
 */
import { toZonedFields } from '../parse/dates.js';

const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

const pad = (n: number, width = 2): string => String(n).padStart(width, '0');

function offsetText(minutes: number, separator: string): string {
  const sign = minutes < 0 ? '-' : '+';
  const abs = Math.abs(minutes);
  return `${sign}${pad(Math.floor(abs / 60))}${separator}${pad(abs % 60)}`;
}

/** RFC 822 §5 as updated by RFC 1123 (4-digit year), e.g. `Sun, 01 Feb 2026 05:57:25 +0500`. */
export function toRfc822(instant: Date, timeZone: string): string {
  const z = toZonedFields(instant.getTime(), timeZone);
  return `${DAYS[z.weekday] ?? ''}, ${pad(z.day)} ${MONTHS[z.month - 1] ?? ''} ${pad(z.year, 4)} ${pad(z.hour)}:${pad(z.minute)}:${pad(z.second)} ${offsetText(z.offset, '')}`;
}

/** RFC 3339 §5.6 with a numeric offset (`+00:00`, never `Z`, as jekyll-feed writes), whole seconds. */
export function toRfc3339(instant: Date, timeZone: string): string {
  const z = toZonedFields(instant.getTime(), timeZone);
  return `${pad(z.year, 4)}-${pad(z.month)}-${pad(z.day)}T${pad(z.hour)}:${pad(z.minute)}:${pad(z.second)}${offsetText(z.offset, ':')}`;
}
