/**
 * The one atomic-write helper: a temp file beside the target, synced, then renamed over it, so a crash
 * or a kill leaves the old file or the new one, never a partial or empty one. Used by every writer of
 * feedwright (feeds, cache, ping state).
 */
import { closeSync, fsyncSync, mkdirSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import * as fsp from 'node:fs/promises';
import path from 'node:path';

let counter = 0;

/** The temp file name used beside `target`; `.feedwright-*.tmp` names are swept by the next build. */
export function tempPathFor(target: string): string {
  return path.join(path.dirname(target), `.feedwright-${process.pid}-${++counter}-${path.basename(target)}.tmp`);
}

/** Writes `data` to `file` atomically (creating its folder), synced before the rename. */
export async function writeFileAtomic(file: string, data: string | Uint8Array): Promise<void> {
  await fsp.mkdir(path.dirname(file), { recursive: true });
  const temp = tempPathFor(file);
  try {
    const handle = await fsp.open(temp, 'wx', 0o644);
    try {
      await handle.writeFile(data);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await fsp.rename(temp, file);
  } catch (cause) {
    await fsp.rm(temp, { force: true });
    throw cause;
  }
}

/** The synchronous twin of `writeFileAtomic`, for code that runs on the build's synchronous path. */
export function writeFileAtomicSync(file: string, data: string | Uint8Array, options: { readonly sync?: boolean } = {}): void {
  mkdirSync(path.dirname(file), { recursive: true });
  const temp = tempPathFor(file);
  try {
    const fd = openSync(temp, 'wx', 0o644);
    try {
      writeSync(fd, typeof data === 'string' ? Buffer.from(data, 'utf8') : data);
      if (options.sync !== false) fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(temp, file);
  } catch (cause) {
    rmSync(temp, { force: true });
    throw cause;
  }
}
