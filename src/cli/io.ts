/** What every command of the CLI may touch (tests pass their own), and the helpers they share. */
import type { WriteIo } from '../write/output.js';

/** What the CLI may touch; tests pass their own. */
export interface CliIo {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
  readonly cwd: string;
  /** The clock, read once per build (only to decide which posts are still in the future). */
  readonly now: () => Date;
  readonly writeIo?: WriteIo;
  /** True when stderr is a terminal: large builds then show a progress line there. */
  readonly progress?: boolean;
}

/** A command's exit code: 0 done, 1 failed (with a report), 2 usage error. */
export type ExitCode = 0 | 1 | 2;

/** A bad flag or argument: the command prints it with its usage and exits 2. */
export class UsageError extends Error {}

/** Parses a whole-number flag value (`--limit 10`), or throws a UsageError naming the flag. */
export function wholeNumber(name: string, text: string | undefined, min = 0): number | undefined {
  if (text === undefined) return undefined;
  if (!/^\d+$/.test(text) || Number(text) < min) throw new UsageError(`--${name} takes a whole number${min > 0 ? ` of at least ${min}` : ''}, got '${text}'`);
  return Number(text);
}

/** "1 feed", "2 feeds". */
export function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}
