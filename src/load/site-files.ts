/**
 * Sandboxed reads of files inside the content folder, for what Liquid pulls in while rendering
 * (`{% include %}`, `{% include_relative %}`, `{% link %}`): nothing outside the folder is ever read.
 */
import { readFileSync, realpathSync, statSync } from 'node:fs';
import { isAbsolute, join, relative, sep } from 'node:path';
import { isInside } from './read.js';

/** Largest file an include may read (Liquid's `parseLimit` bounds what is parsed; this bounds what is read). */
export const MAX_SITE_FILE_BYTES = 4 * 1024 * 1024;

/** What a sandboxed lookup found. `escape`: the path leads outside the content folder (by `..`, absolute or a symlink). */
export type SiteFileResult =
  | { readonly kind: 'file'; readonly text: string; readonly relativePath: string }
  | { readonly kind: 'missing' }
  | { readonly kind: 'escape' }
  | { readonly kind: 'too-large'; readonly bytes: number };

/** Reads files by their path relative to the content root, refusing anything that resolves outside it. */
export interface SiteFileReader {
  /** The content folder's real path. */
  readonly root: string;
  /** Reads `relativePath` (`/`-separated, relative to the content root). */
  read(relativePath: string): SiteFileResult;
  /** True when `relativePath` names a regular file inside the content root. */
  isFile(relativePath: string): boolean;
  /** Every path looked up so far, found or not (absolute, as joined): what the rendered output depends on. */
  readonly lookedUp: ReadonlySet<string>;
}


/** Makes a reader for the content folder at `contentDir` (resolved to its real path once). */
export function createSiteFileReader(contentDir: string): SiteFileReader {
  const root = realpathSync(contentDir);
  const lookedUp = new Set<string>();
  const locate = (relativePath: string): { kind: 'path'; path: string; relativePath: string } | { kind: 'missing' } | { kind: 'escape' } => {
    const segments = relativePath.split('/');
    if (isAbsolute(relativePath) || relativePath.includes('\\') || relativePath.includes('\0') || segments.includes('..')) return { kind: 'escape' };
    const joined = join(root, ...segments.filter((s) => s !== '' && s !== '.'));
    lookedUp.add(joined);
    let real: string;
    try {
      real = realpathSync(joined);
    } catch {
      return { kind: 'missing' };
    }
    // A symlink inside the folder may point anywhere: the real path decides (DESIGN.md "Failure").
    if (!isInside(root, real)) return { kind: 'escape' };
    return { kind: 'path', path: real, relativePath: relative(root, joined).split(sep).join('/') };
  };
  return {
    root,
    lookedUp,
    read(relativePath) {
      const found = locate(relativePath);
      if (found.kind !== 'path') return found;
      try {
        const stat = statSync(found.path);
        if (!stat.isFile()) return { kind: 'missing' };
        if (stat.size > MAX_SITE_FILE_BYTES) return { kind: 'too-large', bytes: stat.size };
        return { kind: 'file', text: readFileSync(found.path, 'utf8'), relativePath: found.relativePath };
      } catch {
        return { kind: 'missing' };
      }
    },
    isFile(relativePath) {
      const found = locate(relativePath);
      if (found.kind !== 'path') return false;
      try {
        return statSync(found.path).isFile();
      } catch {
        return false;
      }
    },
  };
}
