/**
 * `serve --watch`: rebuilds the content folder into the output folder whenever it changes, with `publish`,
 * whose atomic renames mean a request sees a file's previous bytes or its new ones, never a mix.
 */
import { watch, type FSWatcher } from 'node:fs';
import path from 'node:path';
import { publish } from '../build.js';
import type { ConfigOverrides } from '../config.js';
import { FeedwrightError, formatDiagnostic } from '../errors.js';
import { isInside } from '../load/read.js';

const WATCH_DEBOUNCE_MS = 200;

/** Where a watcher reports builds: one line per build, diagnostics on stderr. */
export interface WatchReporter {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
}

/** What `startWatch` builds, where, and where it reports. */
export interface WatchOptions {
  readonly contentDir: string;
  readonly outDir: string;
  /** How the content folder is named in diagnostics (default: `contentDir`). */
  readonly displayDir?: string;
  readonly cacheDir?: string;
  readonly overrides?: ConfigOverrides;
  readonly skipInvalid?: boolean;
  /** The clock, read once per build [default: the current time]. */
  readonly now?: () => Date;
  readonly debounceMs?: number;
  readonly io: WatchReporter;
}

/** A running watcher. */
export interface RunningWatch {
  /** Stops watching; resolves once a build in progress has finished (so no temp file is left behind). */
  close(): Promise<void>;
}

/**
 * Builds `contentDir` into `outDir` now, then again ~200 ms after the last change under `contentDir`.
 * Builds never overlap: a change during a build schedules one more. A failed build prints its diagnostics
 * and leaves the previous output in place (publish writes all or nothing). Resolves after the first build.
 */
export async function startWatch(options: WatchOptions): Promise<RunningWatch> {
  const { io } = options;
  const debounceMs = options.debounceMs ?? WATCH_DEBOUNCE_MS;
  const outDir = path.resolve(options.outDir);
  const contentDir = path.resolve(options.contentDir);
  const cacheDir = options.cacheDir === undefined ? undefined : path.resolve(options.cacheDir);
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> | undefined;
  let dirty = false;
  let closed = false;

  const buildOnce = async (): Promise<void> => {
    const started = performance.now();
    try {
      const result = await publish({
        contentDir,
        displayDir: options.displayDir ?? options.contentDir,
        outDir,
        now: options.now?.() ?? new Date(),
        ...(cacheDir === undefined ? {} : { cacheDir }),
        ...(options.overrides === undefined ? {} : { overrides: options.overrides }),
        ...(options.skipInvalid === true ? { skipInvalid: true } : {}),
      });
      for (const d of result.diagnostics) io.stderr(`${formatDiagnostic(d)}\n`);
      const ms = Math.round(performance.now() - started);
      const changed = result.report.written.length;
      io.stdout(`built in ${ms} ms: ${result.stats.published} posts published in ${result.feeds.length} feeds; ${changed} file${changed === 1 ? '' : 's'} changed\n`);
    } catch (cause) {
      if (!(cause instanceof FeedwrightError)) {
        io.stderr(`build failed: ${(cause as Error).message}; still serving the previous output\n`);
        return;
      }
      for (const d of cause.diagnostics) io.stderr(`${formatDiagnostic(d)}\n`);
      const errors = cause.diagnostics.filter((d) => d.severity === 'error').length;
      io.stderr(`build failed with ${errors} error${errors === 1 ? '' : 's'}; still serving the previous output\n`);
    }
  };
  const kick = (): Promise<void> => {
    if (running !== undefined) {
      dirty = true;
      return running;
    }
    running = (async () => {
      do {
        dirty = false;
        await buildOnce();
      } while (dirty && !closed);
    })().finally(() => {
      running = undefined;
    });
    return running;
  };
  // The build's own writes must not trigger builds when the output or cache folder sits inside the content.
  const isOwnWrite = (filename: string | null): boolean => {
    if (filename === null) return false;
    const full = path.resolve(contentDir, filename);
    return isInside(outDir, full) || (cacheDir !== undefined && isInside(cacheDir, full));
  };
  const watcher: FSWatcher = watch(contentDir, { recursive: true }, (_event, filename) => {
    if (closed || isOwnWrite(filename)) return;
    clearTimeout(timer);
    timer = setTimeout(() => void kick(), debounceMs);
  });
  watcher.on('error', (cause) => io.stderr(`watch: ${cause.message}\n`));
  await kick();
  return {
    close: async () => {
      closed = true;
      clearTimeout(timer);
      watcher.close();
      await running;
    },
  };
}
