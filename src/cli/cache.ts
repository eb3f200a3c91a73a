/** `feedwright cache clean [--cache-dir DIR]`: removes the build cache folder, and only a build cache folder. */
import path from 'node:path';
import { parseArgs } from 'node:util';
import { cleanCache } from '../write/cache-clean.js';
import { DEFAULT_CACHE_DIR } from './build.js';
import type { CliIo } from './io.js';

const USAGE = `Usage: feedwright cache clean [options]

Removes the build cache folder, so the next build reads and renders every post again. Only a folder that
holds nothing but what feedwright writes there is removed; the ping state (ping-state.json) is kept.

Options:
  --cache-dir DIR   the build cache folder [default: .feedwright-cache]
  -h, --help        show this help
`;

const CACHE_FLAGS = {
  'cache-dir': { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

/** Runs `feedwright cache` with its own arguments; returns the exit code (0 done, 1 refused, 2 usage). */
export async function runCache(argv: readonly string[], io: CliIo): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({ args: [...argv], options: CACHE_FLAGS, allowPositionals: true, strict: true });
  } catch (cause) {
    io.stderr(`feedwright cache: ${(cause as Error).message}\n\n${USAGE}`);
    return 2;
  }
  const { values, positionals } = parsed;
  if (values.help === true) {
    io.stdout(USAGE);
    return 0;
  }
  if (positionals.length !== 1 || positionals[0] !== 'clean') {
    io.stderr(`feedwright cache: ${positionals.length === 0 ? 'no subcommand given' : `unknown subcommand '${positionals.join(' ')}'`}\n\n${USAGE}`);
    return 2;
  }
  const dirArg = values['cache-dir'] ?? DEFAULT_CACHE_DIR;
  if (dirArg === '') {
    io.stderr(`feedwright cache: --cache-dir takes a folder\n\n${USAGE}`);
    return 2;
  }
  const result = await cleanCache(path.resolve(io.cwd, dirArg), io.cwd);
  switch (result.kind) {
    case 'missing':
      io.stdout(`${dirArg}: no cache to remove\n`);
      return 0;
    case 'refused':
      io.stderr(`feedwright cache: not removing ${dirArg}: it ${result.reason} (hint: --cache-dir must name a feedwright build cache folder)\n`);
      return 1;
    case 'cleaned':
      io.stdout(`${dirArg}: build cache removed${result.kept.length === 0 ? '' : ` (kept ${result.kept.join(', ')})`}\n`);
      return 0;
  }
}
