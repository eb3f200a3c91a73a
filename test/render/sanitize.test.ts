/** The sanitizer and URL resolution: what a reader may see, and URLs resolved as a browser would. */
import { describe, expect, it } from 'vitest';
import { renderContent, renderMarkdown } from '../../src/index.js';
import type { AbsoluteUrl } from '../../src/index.js';

const page = 'https://site.example/news/2026/02/01/story/' as AbsoluteUrl;
const clean = (html: string): string => renderContent(html, page);

describe('renderContent', () => {
  it('removes scripts, styles, frames, forms and their contents', () => {
    const out = clean('<p>a</p><script>alert(1)</script><style>p{}</style><iframe src="https://x.example"></iframe><form><input name=q><button>go</button></form><object data="x"></object><embed src="y">');
    expect(out).toBe('<p>a</p>');
  });

  it('removes event handlers, javascript:, vbscript: and data: URLs in any spelling', () => {
    const out = clean('<a href="JaVaScRiPt:alert(1)" onclick="x()">a</a><a href="&#106;avascript:alert(1)">b</a><a href="java&#x09;script:alert(1)">c</a><a href="vbscript:msgbox">d</a><a href="data:text/html,<script>">e</a><img src="data:image/png;base64,AAAA" onerror="alert(1)"><svg onload="alert(1)"></svg>');
    expect(out).not.toMatch(/javascript|vbscript|data:|onclick|onerror|onload|<svg/i);
    expect(out).toContain('>a</a>');
  });

  it('keeps figures, tables, code and links, with code language classes only', () => {
    const html = '<figure><img src="a.jpg" alt="A"><figcaption>Cap</figcaption></figure><table><thead><tr><th scope="col">H</th></tr></thead><tbody><tr><td colspan="2">D</td></tr></tbody></table><pre><code class="language-js evil">x</code></pre><p class="x" style="color:red" id="y">t</p>';
    const out = clean(html);
    expect(out).toContain('<figure><img src="https://site.example/news/2026/02/01/story/a.jpg" alt="A" /><figcaption>Cap</figcaption></figure>');
    expect(out).toContain('<th scope="col">H</th>');
    expect(out).toContain('<td colspan="2">D</td>');
    expect(out).toContain('<code class="language-js">x</code>');
    expect(out).toContain('<p>t</p>');
  });

  it('resolves every href, src and srcset against the post URL, as a browser would', () => {
    const out = clean('<a href="../other/">1</a><a href="/abs">2</a><a href="notes.html">3</a><a href="#frag">4</a><a href="?q=1">5</a><a href="//cdn.example.net/x">6</a><a href="mailto:a@b.example">7</a><img src="pic.jpg" srcset="a.jpg 1x, /b.jpg 2x"><a href="caf%C3%A9 ol&eacute;.html">8</a>');
    expect(out).toContain('href="https://site.example/news/2026/02/01/other/"');
    expect(out).toContain('href="https://site.example/abs"');
    expect(out).toContain('href="https://site.example/news/2026/02/01/story/notes.html"');
    expect(out).toContain('href="https://site.example/news/2026/02/01/story/#frag"');
    expect(out).toContain('href="https://site.example/news/2026/02/01/story/?q=1"');
    expect(out).toContain('href="https://cdn.example.net/x"');
    expect(out).toContain('href="mailto:a@b.example"');
    expect(out).toContain('srcset="https://site.example/news/2026/02/01/story/a.jpg 1x, https://site.example/b.jpg 2x"');
    expect(out).toContain('href="https://site.example/news/2026/02/01/story/caf%C3%A9%20ol%C3%A9.html"');
  });

  it('renders Markdown with raw HTML before sanitizing', () => {
    const out = clean(renderMarkdown('# Title\n\nSome *text* and [a link](rel/).\n\n<div onmouseover="x()">raw</div>\n'));
    expect(out).toBe('<h1>Title</h1>\n<p>Some <em>text</em> and <a href="https://site.example/news/2026/02/01/story/rel/">a link</a>.</p>\n<div>raw</div>');
  });

  it('survives deep nesting and malformed markup', () => {
    const deep = '<div>'.repeat(5000) + 'x' + '</div>'.repeat(10);
    expect(clean(deep)).toContain('x');
    // Every element opened is closed, so the HTML is well-formed once unescaped.
    expect(clean('<p><b>unclosed <i>tags<p>next')).toBe('<p><b>unclosed <i>tags<p>next</p></i></b></p>');
  });
});
