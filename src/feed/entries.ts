/** Render stage: a `Post` → a `FeedEntry` (sanitized content, enclosure, author fallback). Pure. */
import { renderMarkdown } from '../render/markdown.js';
import { renderContent } from '../html/sanitize.js';
import { htmlToText } from '../html/text.js';
import type { Enclosure, FeedEntry, Person, Post, SafeHtml } from '../types.js';

/** Options that change what an entry carries. */
export interface EntryOptions {
  /** jekyll-feed's `excerpt_only`: no full content. */
  readonly excerptOnly: boolean;
  /** Used when a post names no author and the site has none either (RFC 4287 §4.1.1 wants one). */
  readonly fallbackAuthor: Person;
}

/** Jekyll's excerpt: the body up to the first blank line, rendered, as plain text. */
export function autoExcerpt(body: string): string | undefined {
  const blocks = body.split(/\r?\n[ \t]*\r?\n/).map((b) => b.trim()).filter((b) => b !== '');
  for (const block of blocks) {
    const text = htmlToText(renderContent(renderMarkdown(block), 'https://example.invalid/' as Post['url']));
    if (text !== '') return text;
  }
  return undefined;
}

/** The rendered parts of an entry: sanitized content and summary (what the build cache stores). */
export interface RenderedParts {
  readonly contentHtml?: SafeHtml;
  readonly summary?: string;
}

/** Renders a post's body and summary. `body` is the Markdown (the parse stage may not have kept it). */
export function renderParts(post: Pick<Post, 'summary' | 'url'>, body: string, options: Pick<EntryOptions, 'excerptOnly'>): RenderedParts {
  const summary = post.summary ?? autoExcerpt(body);
  return {
    ...(summary === undefined ? {} : { summary }),
    ...(options.excerptOnly ? {} : { contentHtml: renderContent(renderMarkdown(body), post.url) }),
  };
}

/** Builds the format-neutral entry for a post, rendering it unless its rendered parts are given. */
export function toFeedEntry(post: Post, enclosure: Enclosure | undefined, options: EntryOptions, parts: RenderedParts = renderParts(post, post.body ?? '', options)): FeedEntry {
  return {
    id: post.id,
    url: post.url,
    title: post.title,
    published: post.date,
    updated: post.updated,
    ...(parts.summary === undefined ? {} : { summary: parts.summary }),
    ...(parts.contentHtml === undefined ? {} : { contentHtml: parts.contentHtml }),
    authors: post.authors.length > 0 ? post.authors : [options.fallbackAuthor],
    categories: [...new Set([...post.categories, ...post.tags])],
    ...(enclosure === undefined ? {} : { enclosure }),
    sourcePath: post.sourcePath,
  };
}
