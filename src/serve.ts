/** `feedwright serve` (being written). */
import type { CliIo } from './cli.js';

/** Runs `feedwright serve` with its own arguments; returns the exit code. */
export async function runServe(argv: readonly string[], io: CliIo): Promise<number> {
  io.stderr(`feedwright: serve is not available yet (${argv.length} arguments ignored)\n`);
  return 2;
}
