/**
 * Render stage over the posts that go out: each is read and parsed again in full (the parse stage kept only
 * a slim `PostRef`), then rendered once for every feed and format it appears in — from the cache when the
 * file's bytes are unchanged, else on the worker pool — in rounds, so memory stays bounded.
 */
import path from 'node:path';
import { errorAt, FeedwrightError, type Diagnostic } from '../errors.js';
import { readPostFile } from '../load/read.js';
import type { LoadedSite } from '../load/site.js';
import { toPost } from '../parse/to-post.js';
import { extractExcerpt, type RenderedParts, type RenderItem } from './parts.js';
import type { Post, PostRef } from '../types.js';
import { BuildCache, hashBytes } from '../write/cache.js';
import { RenderPool } from './pool.js';

/** A post that goes out, with its rendered content and summary. */
export interface RenderedPost {
  readonly post: Post;
  readonly parts: RenderedParts;
}

/** Options of the render stage. */
export interface RenderOptions {
  readonly maxFileBytes: number;
  readonly threads: number;
  readonly workerThreshold: number;
  readonly cache?: BuildCache;
}

/** Renders rounds of posts; `close` stops the worker pool. */
export interface PostRenderer {
  render(refs: readonly PostRef[]): Promise<RenderedPost[]>;
  close(): Promise<void>;
}

function toRenderItem(post: Post, body: string): RenderItem {
  const excerpt = post.summary === undefined ? extractExcerpt(body, post.excerptSeparator) : undefined;
  return { url: post.url, ...(post.summary === undefined ? {} : { summary: post.summary }), body, ...(excerpt === undefined ? {} : { excerpt }), markdown: post.markdown };
}

/** Starts the render stage for a site. */
export function createPostRenderer(site: LoadedSite, options: RenderOptions): PostRenderer {
  const { config } = site;
  const excerptOnly = config.feed.excerptOnly;
  const partsOptions = { excerptOnly, iframeHosts: config.feed.iframeHosts };
  const pool = new RenderPool(partsOptions, options.threads, options.workerThreshold);
  const { cache } = options;
  const render = async (refs: readonly PostRef[]): Promise<RenderedPost[]> => {
    const full: { post: Post; body: string; key?: string }[] = [];
    const errors: Diagnostic[] = [];
    for (const ref of refs) {
      const read = readPostFile(site.root, { rel: ref.sourcePath, symlink: true }, ref.displayPath, options.maxFileBytes);
      const parsed = 'bytes' in read ? toPost({ relPath: ref.sourcePath, displayPath: ref.displayPath, bytes: read.bytes, draft: ref.draft, mtimeMs: read.mtimeMs }, { config, authors: site.authors }) : { diagnostics: [read] };
      if (parsed.post === undefined || parsed.post.id !== ref.id || parsed.post.bodyOffset !== ref.bodyOffset) {
        errors.push(...parsed.diagnostics.filter((d) => d.severity === 'error'), errorAt('READ_FAILED', ref.displayPath, 'changed while the feeds were being built', 'build again'));
        continue;
      }
      // Rendered parts are cached by content hash: only the posts that go out are hashed.
      const key = cache === undefined || !('bytes' in read) ? undefined : BuildCache.renderKey(hashBytes(read.bytes), excerptOnly);
      full.push({ post: parsed.post, body: parsed.post.body ?? '', ...(key === undefined ? {} : { key }) });
    }
    if (errors.length > 0) throw new FeedwrightError(errors);
    const cached = full.map(({ post, key }) => (key === undefined ? undefined : cache?.lookupRendered(post.sourcePath, key, post.url, partsOptions)));
    const misses = full.filter((_, i) => cached[i] === undefined).map(({ post, body }) => toRenderItem(post, body));
    const made = await pool.render(misses);
    let next = 0;
    return full.map(({ post, key }, i) => {
      const hit = cached[i];
      if (hit !== undefined) return { post, parts: hit };
      const parts = made[next++];
      if (parts === undefined) throw new Error(`render pool returned too few results (${path.posix.basename(post.sourcePath)})`);
      if (key !== undefined) cache?.storeRendered(post.sourcePath, key, parts);
      return { post, parts };
    });
  };
  return { render, close: () => pool.close() };
}
