/**
 * Folder listings started early. The CLI asks for the site's `_posts/` before it loads the build's modules
 * (~40 ms of its main thread, while libuv's pool reads the folder), and the site walk takes that listing
 * instead of asking again: a cold build of 20,000 posts no longer waits ~25 ms for it.
 */
import type { Dirent } from 'node:fs';
import { readdir } from 'node:fs/promises';

const early = new Map<string, Promise<Dirent[]>>();

/**
 * Starts listing `dir` (absolute, as the site walk names it), for the next `listFolder` of it. Settles when
 * the listing is done, failed or not: a failure is the walk's to report (or not: a missing `_posts/`).
 */
export function listEarly(dir: string): Promise<void> {
  let listing = early.get(dir);
  if (listing === undefined) {
    listing = readdir(dir, { withFileTypes: true });
    early.set(dir, listing);
  }
  return listing.then(
    () => undefined,
    () => undefined,
  );
}

/** The entries of `dir`: the listing started early for it (taken once), else a listing now. */
export function listFolder(dir: string): Promise<Dirent[]> {
  const listing = early.get(dir);
  if (listing === undefined) return readdir(dir, { withFileTypes: true });
  early.delete(dir);
  return listing;
}

/** Forgets the listing started early for `dir`, if the walk did not take it (a build that failed before). */
export function dropEarly(dir: string): void {
  early.delete(dir);
}
