/** Types for the two markdown-it plugins that ship none (no @types package exists for them). */
declare module 'markdown-it-abbr' {
  import type { MarkdownIt } from 'markdown-it';
  /** markdown-it-abbr 2: `*[HTML]: Hyper Text Markup Language` definitions and `<abbr>` replacement. */
  export default function abbr(md: MarkdownIt): void;
}

declare module 'markdown-it-deflist' {
  import type { MarkdownIt } from 'markdown-it';
  /** markdown-it-deflist 4: PHP Markdown Extra definition lists. */
  export default function deflist(md: MarkdownIt): void;
}
