/** `feedwright ping` (being written). */
import type { CliIo } from './cli.js';

/** Runs `feedwright ping` with its own arguments; returns the exit code. */
export async function runPing(argv: readonly string[], io: CliIo): Promise<number> {
  io.stderr(`feedwright: ping is not available yet (${argv.length} arguments ignored)\n`);
  return 2;
}
