/** Writing instants: RFC 822 for RSS, RFC 3339 for Atom and JSON Feed, in the site's zone. */
import { format } from 'date-fns';
import { TZDate } from '@date-fns/tz';

/** RFC 822 §5 as updated by RFC 1123 (4-digit year), e.g. `Sun, 01 Feb 2026 05:57:25 +0500`. */
export function toRfc822(instant: Date, timeZone: string): string {
  return format(new TZDate(instant.getTime(), timeZone), 'EEE, dd MMM yyyy HH:mm:ss xx');
}

/** RFC 3339 §5.6 with a numeric offset (`+00:00`, never `Z`, as jekyll-feed writes), whole seconds. */
export function toRfc3339(instant: Date, timeZone: string): string {
  return format(new TZDate(instant.getTime(), timeZone), "yyyy-MM-dd'T'HH:mm:ssxxx");
}
