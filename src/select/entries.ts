/** A `Post` and its rendered parts → the format-neutral `FeedEntry` (enclosure, author fallback). Pure. */
import type { RenderedParts } from '../render/parts.js';
import type { Enclosure, FeedEntry, Person, Post } from '../types.js';

/** Options that change what an entry carries. */
export interface EntryOptions {
  /** jekyll-feed's `excerpt_only`: no full content. */
  readonly excerptOnly: boolean;
  /** Used when a post names no author and the site has none either (RFC 4287 §4.1.1 wants one). */
  readonly fallbackAuthor: Person;
}

/** Builds the format-neutral entry for a post from its rendered parts. */
export function toFeedEntry(post: Post, enclosure: Enclosure | undefined, options: EntryOptions, parts: RenderedParts): FeedEntry {
  return {
    id: post.id,
    url: post.url,
    title: post.title,
    published: post.date,
    updated: post.updated,
    ...(parts.summary === undefined ? {} : { summary: parts.summary }),
    ...(parts.contentHtml === undefined ? {} : { contentHtml: parts.contentHtml }),
    authors: post.authors.length > 0 ? post.authors : [options.fallbackAuthor],
    ...(post.language === undefined ? {} : { language: post.language }),
    categories: [...new Set([...post.categories, ...post.tags])],
    ...(enclosure === undefined ? {} : { enclosure }),
    sourcePath: post.sourcePath,
  };
}
