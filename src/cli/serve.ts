/** `feedwright serve`: flags, messages and exit codes around `startServer` and `startWatch` (src/serve/). */
import * as fsp from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { DEFAULT_HOST, DEFAULT_PORT, startServer, startWatch, type RunningServer, type RunningWatch, type ServeLimits } from '../serve/index.js';
import { DEFAULT_CACHE_DIR } from './build.js';
import type { CliIo } from './io.js';

const USAGE = `Usage: feedwright serve [options]

Serves the output folder as a static host should: each feed with its media type, a strong ETag and
Last-Modified, 304 on conditional requests, gzip and brotli, HEAD; no directory listings, no dotfiles,
nothing outside the folder. Listens on 127.0.0.1 (this machine only) unless --host says otherwise.
Stop with Ctrl-C.

Options:
  --out DIR        folder to serve (with --watch, also to build into) [default: output]
  --port N         TCP port, 0 for any free one [default: 4000]
  --host ADDR      address to listen on, e.g. 0.0.0.0 for every interface [default: 127.0.0.1]
  --watch          build on start, then again whenever the content folder changes
  --content DIR    content folder to build and watch (with --watch) [default: content]
  --skip-invalid   with --watch: publish the valid posts, report invalid ones as warnings
  --future         with --watch: publish posts dated in the future
  --unpublished    with --watch: publish posts with published: false
  -h, --help       show this help
`;

const SERVE_FLAGS = {
  out: { type: 'string' },
  port: { type: 'string' },
  host: { type: 'string' },
  watch: { type: 'boolean' },
  content: { type: 'string' },
  'skip-invalid': { type: 'boolean' },
  future: { type: 'boolean' },
  unpublished: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

/** How `runServe` is stopped and limited besides its flags; tests pass their own. */
export interface ServeCommandOptions {
  /** Stops the server like SIGINT does. */
  readonly signal?: AbortSignal;
  readonly limits?: ServeLimits;
}

/** Runs `feedwright serve` with its own arguments until SIGINT, SIGTERM or `signal`; returns the exit code. */
export async function runServe(argv: readonly string[], io: CliIo, options: ServeCommandOptions = {}): Promise<number> {
  let values;
  try {
    ({ values } = parseArgs({ args: [...argv], options: SERVE_FLAGS, allowPositionals: false, strict: true }));
  } catch (cause) {
    io.stderr(`feedwright serve: ${(cause as Error).message}\n\n${USAGE}`);
    return 2;
  }
  if (values.help === true) {
    io.stdout(USAGE);
    return 0;
  }
  const usage = (message: string): number => {
    io.stderr(`feedwright serve: ${message}\n\n${USAGE}`);
    return 2;
  };
  const port = values.port === undefined ? DEFAULT_PORT : /^\d{1,5}$/.test(values.port) ? Number(values.port) : Number.NaN;
  if (!(port >= 0 && port <= 65535)) return usage(`--port takes a whole number from 0 to 65535, got '${values.port ?? ''}'`);
  if (values.host === '') return usage('--host takes an address');
  const watchOnly = (['content', 'skip-invalid', 'future', 'unpublished'] as const).find((k) => values[k] !== undefined);
  if (values.watch !== true && watchOnly !== undefined) return usage(`--${watchOnly} applies only with --watch`);

  const host = values.host ?? DEFAULT_HOST;
  const outArg = values.out ?? 'output';
  const contentArg = values.content ?? 'content';
  const outDir = path.resolve(io.cwd, outArg);
  let watcher: RunningWatch | undefined;
  let server: RunningServer;
  try {
    if (values.watch === true) {
      const contentDir = path.resolve(io.cwd, contentArg);
      if (!(await fsp.stat(contentDir).catch(() => undefined))?.isDirectory()) {
        io.stderr(`feedwright serve: content folder '${contentArg}' does not exist\n`);
        return 1;
      }
      watcher = await startWatch({
        contentDir,
        displayDir: contentArg,
        outDir,
        cacheDir: path.resolve(io.cwd, DEFAULT_CACHE_DIR),
        now: io.now,
        io,
        ...(values['skip-invalid'] === true ? { skipInvalid: true } : {}),
        overrides: { ...(values.future === true ? { future: true } : {}), ...(values.unpublished === true ? { unpublished: true } : {}) },
      });
      // A failed first build leaves no output yet: serve the empty folder until a build succeeds.
      await fsp.mkdir(outDir, { recursive: true });
    }
    server = await startServer({ dir: outDir, port, host, revalidate: values.watch === true, ...(options.limits === undefined ? {} : { limits: options.limits }) });
  } catch (cause) {
    await watcher?.close();
    const code = (cause as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') {
      io.stderr(`feedwright serve: output folder '${outArg}' does not exist; run feedwright build first, or add --watch\n`);
      return 1;
    }
    // A port or address we cannot have is a usage error: another --port or --host fixes it.
    if (code === 'EADDRINUSE') return usage(`port ${port} on ${host} is already in use; choose another with --port (0 picks a free one)`);
    if (code === 'EADDRNOTAVAIL' || code === 'ENOTFOUND' || code === 'EACCES') return usage(`cannot listen on ${host} port ${port} (${code}); choose another --host or --port`);
    throw cause;
  }
  io.stdout(`Serving ${outArg} at ${server.url}\n`);
  io.stdout(isLoopback(host) ? `Listening on ${host} only: other machines cannot connect (use --host 0.0.0.0 to share)\n` : `Listening on ${host}: other machines can connect\n`);
  if (watcher !== undefined) io.stdout(`Watching ${contentArg} for changes\n`);

  await new Promise<void>((resolve) => {
    const stop = (): void => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      options.signal?.removeEventListener('abort', stop);
      resolve();
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
    if (options.signal?.aborted === true) stop();
    else options.signal?.addEventListener('abort', stop);
  });
  await watcher?.close();
  await server.close();
  return 0;
}

/** Whether `host` names this machine only (RFC 1122 §3.2.1.3: 127/8; RFC 4291 §2.5.3: ::1). */
function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host);
}
