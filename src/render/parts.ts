/** Render stage for one post: its body to sanitized HTML, and its summary. Pure. */
import { createMarkdown, type KramdownOptions, type MarkdownRenderer } from './markdown.js';
import { renderContent } from './sanitize.js';
import { htmlToText } from './text.js';
import type { AbsoluteUrl, SafeHtml } from '../types.js';

// Jekyll's Excerpt::MKDWN_LINK_REF_REGEX: a Markdown link reference definition on a line of its own.
const LINK_REFERENCE = /^ {0,3}(\[[^\]]+\])(:.+)$/gm;

/**
 * Jekyll's `Excerpt#extract_excerpt`: the source up to the first `separator` (all of it when there is none),
 * plus the link reference definitions of the rest that it uses. `undefined` when excerpts are off ('').
 */
export function extractExcerpt(source: string, separator: string): string | undefined {
  if (separator === '') return undefined;
  const at = source.indexOf(separator);
  if (at === -1) return source;
  const head = source.slice(0, at);
  const tail = source.slice(at + separator.length);
  if (tail === '') return head;
  const definitions = [...tail.matchAll(LINK_REFERENCE)].filter((m) => head.includes(m[1] ?? '\0')).map((m) => `${m[1] ?? ''}${m[2] ?? ''}`);
  return definitions.length === 0 ? head : `${head}\n\n${definitions.join('\n')}`;
}

/** What rendering one post needs: its URL (links resolve against it), its sources (after Liquid), and how to convert them. */
export interface RenderItem {
  readonly url: AbsoluteUrl;
  /** The summary from front matter (`description`, `excerpt`), as plain text. */
  readonly summary?: string;
  readonly body: string;
  /** The source of the generated excerpt, used when there is no `summary`. */
  readonly excerpt?: string;
  /** Markdown (converted by the kramdown-dialect renderer), or HTML as it is. */
  readonly markdown: boolean;
}

/** The rendered parts of an entry: sanitized content and summary (what the build cache stores). */
export interface RenderedParts {
  readonly contentHtml?: SafeHtml;
  readonly summary?: string;
}

/** Site-wide render options (from `_config.yml`), the same for every post. */
export interface PartsOptions {
  readonly excerptOnly: boolean;
  /** `feed.iframe_hosts`: hosts whose players are kept. */
  readonly iframeHosts?: readonly string[];
  /** The site's `kramdown:` options (plain data, so it crosses to worker threads). */
  readonly markdown?: KramdownOptions;
}

const renderers = new Map<string, MarkdownRenderer>();

/** The kramdown-dialect renderer for `options`, made once per distinct options. */
export function markdownRendererFor(options: KramdownOptions = {}): MarkdownRenderer {
  const key = JSON.stringify(options);
  let renderer = renderers.get(key);
  if (renderer === undefined) {
    renderer = createMarkdown(options);
    renderers.set(key, renderer);
  }
  return renderer;
}

/** Renders a post's body and summary. jekyll-feed's summary is `excerpt | strip_html | normalize_whitespace`. */
export function renderParts(item: RenderItem, options: PartsOptions): RenderedParts {
  const markdown = markdownRendererFor(options.markdown);
  const toHtml = (source: string): string => (item.markdown ? markdown.render(source) : source);
  const excerpt = item.summary ?? (item.excerpt === undefined ? undefined : htmlToText(toHtml(item.excerpt)));
  const summary = excerpt === '' ? undefined : excerpt;
  return {
    ...(summary === undefined ? {} : { summary }),
    ...(options.excerptOnly ? {} : { contentHtml: renderContent(toHtml(item.body), item.url, { iframeHosts: options.iframeHosts ?? [] }) }),
  };
}
