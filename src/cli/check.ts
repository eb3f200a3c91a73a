/** `feedwright check`: validates the content folder (writing nothing), and with --output the published feeds. */
import path from 'node:path';
import { build } from '../build.js';
import { verifyOutput } from '../check/output.js';
import { FeedwrightError } from '../errors.js';
import type { CliIo } from './io.js';
import { prepareBuildCommand, reportDiagnostics } from './build.js';

/** Runs `feedwright check` with its own arguments; returns the exit code (0 ok, 1 problems, 2 usage). */
export async function runCheck(argv: readonly string[], io: CliIo): Promise<number> {
  const prepared = prepareBuildCommand(argv, io, 'check');
  if (typeof prepared === 'number') return prepared;
  const { values, options } = prepared;
  const quiet = values.quiet === true;
  const contentArg = options.displayDir ?? 'content';
  try {
    const result = await build(options);
    reportDiagnostics(io, result.diagnostics, quiet);
    if (!quiet) io.stdout(`${contentArg}: ${result.stats.postsRead} posts read, ${result.stats.published} publishable, ${result.stats.skipped} skipped, ${result.diagnostics.length} warnings\n`);
  } catch (cause) {
    if (cause instanceof FeedwrightError) {
      reportDiagnostics(io, cause.diagnostics, quiet);
      const errors = cause.diagnostics.filter((d) => d.severity === 'error').length;
      io.stderr(`feedwright: check failed with ${errors} error${errors === 1 ? '' : 's'}; nothing was written\n`);
      return 1;
    }
    throw cause;
  }
  if (values.output === undefined) return 0;
  const verified = await verifyOutput(path.resolve(io.cwd, values.output), values.output);
  reportDiagnostics(io, verified.diagnostics, quiet);
  if (!quiet && verified.diagnostics.length === 0) io.stdout(`${values.output}: ${verified.files} feed files parse\n`);
  return verified.diagnostics.length === 0 ? 0 : 1;
}
