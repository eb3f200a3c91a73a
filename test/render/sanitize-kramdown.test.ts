/**
 * kramdown (Jekyll's converter, as Debian's jekyll package installs it) as the oracle: the structure it writes
 * for headers, footnotes, task lists and highlighted code reaches the reader unchanged, but for the changes the
 * sanitizer is there to make.
 */
import { spawnSync } from 'node:child_process';
import { defaultTreeAdapter, parseFragment, serialize, type DefaultTreeAdapterTypes } from 'parse5';
import { describe, expect, it } from 'vitest';
import { renderContent } from '../../src/index.js';
import type { AbsoluteUrl } from '../../src/index.js';
import { requireTool } from '../support/tools.js';

// Debian's jekyll depends on ruby-kramdown and ruby-rouge, which is what this test runs.
const available = requireTool('jekyll');

const page = 'https://site.example/2026/02/01/plan/' as AbsoluteUrl;

// Jekyll 4.3's kramdown options (lib/jekyll/converters/markdown/kramdown_parser.rb): GFM input, Rouge with
// `default_lang: plaintext`, automatic header ids.
const KRAMDOWN = 'puts Kramdown::Document.new(STDIN.read, input: "GFM", auto_ids: true, hard_wrap: false, syntax_highlighter: "rouge", syntax_highlighter_opts: {default_lang: "plaintext", guess_lang: true}).to_html';

function kramdown(markdown: string): string {
  const run = spawnSync('ruby', ['-rkramdown', '-e', KRAMDOWN], { input: markdown, encoding: 'utf8' });
  if (run.status !== 0) throw new Error(`kramdown failed: ${run.stderr}`);
  return run.stdout;
}

/** kramdown's HTML with only what the sanitizer changes: hrefs absolute, checkboxes as text, Rouge token classes gone. */
function expectedFrom(html: string): string {
  const fragment = parseFragment(html);
  const stack: DefaultTreeAdapterTypes.ChildNode[] = [...fragment.childNodes];
  while (stack.length > 0) {
    const node = stack.pop();
    if (node === undefined || !('tagName' in node)) continue;
    if (node.tagName === 'input') {
      const checked = node.attrs.some((a) => a.name === 'checked');
      const parent = node.parentNode;
      if (parent !== null) {
        const holder = defaultTreeAdapter.createElement('span', node.namespaceURI, []);
        defaultTreeAdapter.insertText(holder, checked ? '\u2611 ' : '\u2610 ');
        const [mark] = holder.childNodes;
        if (mark !== undefined) defaultTreeAdapter.insertBefore(parent, mark, node);
        defaultTreeAdapter.detachNode(node);
      }
      continue;
    }
    for (const attr of node.attrs) if (attr.name === 'href') attr.value = new URL(attr.value, page).href;
    if (node.tagName === 'span') node.attrs = node.attrs.filter((a) => a.name !== 'class');
    stack.push(...node.childNodes);
  }
  return serialize(fragment).trim();
}

describe.skipIf(!available)('renderContent on kramdown output', () => {
  it('keeps header ids, footnote ids/classes/roles, task lists and Rouge code blocks', () => {
    const markdown = '## Überblick & plan\n\nA claim[^src], again[^src], and code `x`.\n\n- [x] shipped\n- [ ] next\n\n```ruby\nputs 1\n```\n\n### 2026 numbers\n\nTerm\n: Definition\n\n[^src]: The source.\n';
    const html = kramdown(markdown);
    // The oracle really wrote the structure this test is about.
    expect(html).toContain('<h2 id="überblick--plan">');
    expect(html).toContain('<sup id="fnref:src:1" role="doc-noteref"><a href="#fn:src" class="footnote" rel="footnote">');
    expect(html).toContain('<a href="#fnref:src" class="reversefootnote" role="doc-backlink">');
    expect(html).toContain('<div class="language-ruby highlighter-rouge"><div class="highlight"><pre class="highlight">');
    expect(renderContent(html, page)).toBe(expectedFrom(html));
  });
});
