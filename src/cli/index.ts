/** The CLI: `run(argv, io)` returns an exit code (0 ok, 1 failed, 2 usage error); it only dispatches. */
import { parseArgs } from 'node:util';
import { GENERATOR } from '../version.js';
import { BUILD_FLAGS, runBuild, USAGE } from './build.js';
import type { CliIo } from './io.js';

export type { CliIo } from './io.js';

// Each command's module is loaded when it runs: a build that the manifest replays loads no more than it needs.
const runCheck = async (argv: readonly string[], io: CliIo): Promise<number> => (await import('./check.js')).runCheck(argv, io);

/** Each command, given the arguments after its name. */
const COMMANDS: Readonly<Record<string, (argv: readonly string[], io: CliIo) => Promise<number>>> = {
  build: runBuild,
  check: runCheck,
  serve: async (argv, io) => (await import('./serve.js')).runServe(argv, io),
  ping: async (argv, io) => (await import('./ping.js')).runPing(argv, io),
  cache: async (argv, io) => (await import('./cache.js')).runCache(argv, io),
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
