/** Render stage for one post: its Markdown body to sanitized HTML, and its summary. Pure. */
import { renderMarkdown } from './markdown.js';
import { renderContent } from './sanitize.js';
import { htmlToText } from './text.js';
import type { AbsoluteUrl, Post, SafeHtml } from '../types.js';

/** Jekyll's excerpt: the body up to the first blank line, rendered, as plain text. */
export function autoExcerpt(body: string, pageUrl: AbsoluteUrl): string | undefined {
  const blocks = body.split(/\r?\n[ \t]*\r?\n/).map((b) => b.trim()).filter((b) => b !== '');
  for (const block of blocks) {
    const text = htmlToText(renderContent(renderMarkdown(block), pageUrl));
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
export function renderParts(post: Pick<Post, 'summary' | 'url'>, body: string, options: { readonly excerptOnly: boolean }): RenderedParts {
  const summary = post.summary ?? autoExcerpt(body, post.url);
  return {
    ...(summary === undefined ? {} : { summary }),
    ...(options.excerptOnly ? {} : { contentHtml: renderContent(renderMarkdown(body), post.url) }),
  };
}

