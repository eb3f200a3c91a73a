/**
 * The ping state file: per feed URL, the hash last announced and the hubs that accepted it. Read leniently
 * (an unreadable or foreign file means every feed is due, with a warning), written with `writeFileAtomic`,
 * so a crash or a failed write mid-way leaves the previous state or the new one, never a torn file.
 */
import * as fsp from 'node:fs/promises';
import { writeFileAtomic } from '../write/atomic.js';

/** What earlier pings achieved: per feed URL, the hash last announced and the hubs that accepted it. */
export interface PingState {
  readonly feeds: Readonly<Record<string, { readonly sha256: string; readonly hubs: readonly string[] }>>;
}

const STATE_FORMAT = 1;

/** Reads the state file; a missing file is an empty state, anything unusable is one too, with a line in `problems`. */
export async function readPingState(file: string, problems: string[]): Promise<PingState> {
  let text: string;
  try {
    text = await fsp.readFile(file, 'utf8');
  } catch (cause) {
    if ((cause as NodeJS.ErrnoException).code !== 'ENOENT') problems.push(`cannot read ${file}: ${(cause as Error).message}; every feed is pinged`);
    return { feeds: {} };
  }
  try {
    const parsed = JSON.parse(text) as { version?: unknown; feeds?: unknown };
    if (parsed.version !== STATE_FORMAT || typeof parsed.feeds !== 'object' || parsed.feeds === null) throw new Error('not a feedwright ping state');
    const feeds: [string, { sha256: string; hubs: string[] }][] = [];
    for (const [url, entry] of Object.entries(parsed.feeds as Record<string, unknown>)) {
      const e = entry as { sha256?: unknown; hubs?: unknown } | null;
      if (typeof e?.sha256 === 'string' && Array.isArray(e.hubs) && e.hubs.every((h) => typeof h === 'string')) feeds.push([url, { sha256: e.sha256, hubs: e.hubs as string[] }]);
    }
    return { feeds: Object.fromEntries(feeds) };
  } catch (cause) {
    problems.push(`ignoring ${file} (${(cause as Error).message}); every feed is pinged`);
    return { feeds: {} };
  }
}

/** The state file's text: stable key order, so an unchanged state is byte-for-byte unchanged. */
export function serializePingState(state: PingState): string {
  return `${JSON.stringify({ version: STATE_FORMAT, feeds: state.feeds }, null, 2)}\n`;
}

/** Replaces the state file atomically. */
export async function writePingState(file: string, state: PingState): Promise<void> {
  await writeFileAtomic(file, serializePingState(state));
}
