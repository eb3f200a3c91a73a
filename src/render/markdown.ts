/** Markdown → HTML with markdown-it, raw HTML on (Jekyll posts mix both); the sanitizer runs after. */
import MarkdownIt from 'markdown-it';

const markdown = new MarkdownIt({ html: true, linkify: false, typographer: false });

/** Renders a post body. The result is untrusted HTML: pass it to `renderContent`, never to a feed. */
export function renderMarkdown(source: string): string {
  return markdown.render(source);
}
