/**
 * Writing instants, always in UTC: RFC 822 for RSS, RFC 3339 for Atom and JSON Feed. A reader that ignores
 * the offset (Elfeed drops `+hh:mm` in Atom dates) still reads the right instant from `Z`, and the three
 * formats write one instant one way. Fixed layouts from the UTC fields: no Intl, no host zone.
 */
const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

const pad = (n: number, width = 2): string => String(n).padStart(width, '0');

function clock(instant: Date): string {
  return `${pad(instant.getUTCHours())}:${pad(instant.getUTCMinutes())}:${pad(instant.getUTCSeconds())}`;
}

/**
 * RFC 822 §5 as updated by RFC 1123 (4-digit year), in UTC, e.g. `Sat, 31 Jan 2026 20:57:25 +0000`. The zone
 * is the numeric `+0000`, not `GMT`: RFC 5322 §3.3 keeps alphabetic zones only as obsolete syntax
 * (obs-zone), and every parser in test/interop.test.ts reads the numeric form.
 */
export function toRfc822(instant: Date): string {
  return `${DAYS[instant.getUTCDay()] ?? ''}, ${pad(instant.getUTCDate())} ${MONTHS[instant.getUTCMonth()] ?? ''} ${pad(instant.getUTCFullYear(), 4)} ${clock(instant)} +0000`;
}

/** RFC 3339 §5.6 in UTC with `Z`, whole seconds, e.g. `2026-01-31T20:57:25Z`. */
export function toRfc3339(instant: Date): string {
  return `${pad(instant.getUTCFullYear(), 4)}-${pad(instant.getUTCMonth() + 1)}-${pad(instant.getUTCDate())}T${clock(instant)}Z`;
}
