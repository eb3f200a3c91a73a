/** The CLI: `run(argv, io)` returns an exit code (0 ok, 1 failed, 2 usage error); it only dispatches. */
import { parseArgs } from 'node:util';
import { GENERATOR } from '../version.js';
import { BUILD_FLAGS, runBuild, USAGE } from './build.js';
import { runCache } from './cache.js';
import { runCheck } from './check.js';
import type { CliIo } from './io.js';
import { runPing } from './ping.js';
import { runServe } from './serve.js';

export type { CliIo } from './io.js';

/** Each command, given the arguments after its name. */
const COMMANDS: Readonly<Record<string, (argv: readonly string[], io: CliIo) => Promise<number>>> = {
  build: runBuild,
  check: runCheck,
  serve: (argv, io) => runServe(argv, io),
  ping: runPing,
  cache: runCache,
};

/** Runs the CLI with `argv` (without `node` and the script). */
export async function run(argv: readonly string[], io: CliIo): Promise<number> {
  const [first, ...rest] = argv;
  const command = first === undefined || !Object.hasOwn(COMMANDS, first) ? undefined : COMMANDS[first];
  if (command !== undefined) return command(rest, io);
  if (first === '-v' || first === '--version') {
    io.stdout(`${GENERATOR.name} ${GENERATOR.version}\n`);
    return 0;
  }
  if (first === '-h' || first === '--help' || first === 'help') {
    io.stdout(USAGE);
    return 0;
  }
  // Flags before the command (`feedwright --quiet build`) still work for build and check, as they always have.
  if (first?.startsWith('-') === true) {
    const { tokens } = parseArgs({ args: [...argv], options: BUILD_FLAGS, allowPositionals: true, strict: false, tokens: true });
    const named = tokens.find((t) => t.kind === 'positional');
    if (named?.kind === 'positional' && (named.value === 'build' || named.value === 'check')) {
      return (named.value === 'build' ? runBuild : runCheck)(argv.filter((_, i) => i !== named.index), io);
    }
  }
  io.stderr(`feedwright: ${first === undefined ? 'no command given' : first.startsWith('-') ? `unknown option '${first}' before the command` : `unknown command '${first}'`}\n\n${USAGE}`);
  return 2;
}
