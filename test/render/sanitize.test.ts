/** The sanitizer and URL resolution: what a reader may see, and URLs resolved as a browser would. */
import { parseFragment, serialize } from 'parse5';
import { describe, expect, it } from 'vitest';
import { renderMarkdown } from '../../src/render/markdown.js';
import { IFRAME_SANDBOX, renderContent, type SanitizeOptions } from '../../src/render/sanitize.js';
import type { AbsoluteUrl } from '../../src/types.js';

const page = 'https://site.example/news/2026/02/01/story/' as AbsoluteUrl;
const abs = (path: string): string => new URL(path, page).href;

/**
 * Sanitizes, and checks the output is what parse5 (the HTML Standard's parser and serializer) writes once it
 * has re-parsed it: no end tag on a void element, nothing nested where a parser would not nest it. The one
 * allowed difference: the parser drops a newline right after `<pre>`, and the Standard's serializer does not
 * write it back, so the output doubles a leading newline (`<pre>\n\nx` shows as a blank line and `x`).
 */
const clean = (html: string, options?: SanitizeOptions): string => {
  const out: string = renderContent(html, page, options);
  expect(serialize(parseFragment(out)), 'output re-parsed and serialized by parse5').toBe(out.replace(/(<(?:pre|listing|textarea)\b[^>]*>)\n/g, '$1'));
  return out;
};

describe('renderContent: hostile input', () => {
  it('removes scripts, styles, forms and their contents', () => {
    expect(clean('<p>a</p><script>alert(1)</script><style>p{}</style><form><input name=q><button>go</button></form><select><option>x</option></select>')).toBe('<p>a</p>');
  });

  it('removes event handlers, javascript:, vbscript: and data: URLs in any spelling', () => {
    const out = clean('<a href="JaVaScRiPt:alert(1)" onclick="x()">a</a><a href="&#106;avascript:alert(1)">b</a><a href="java&#x09;script:alert(1)">c</a><a href="vbscript:msgbox">d</a><a href="data:text/html,<script>">e</a><img src="data:image/png;base64,AAAA" onerror="alert(1)"><svg onload="alert(1)"></svg><math><mi>x</mi></math>');
    expect(out).toBe('<a>a</a><a>b</a><a>c</a><a>d</a><a>e</a><img>');
  });

  it('drops <base href>, so relative URLs still resolve against the post', () => {
    expect(clean('<base href="https://evil.example/"><a href="x.html">x</a>')).toBe(`<a href="${abs('x.html')}">x</a>`);
  });

  it('drops characters XML forbids, written raw or as character references', () => {
    expect(clean('<p title="a&#x1;b">c\u0001d&#x1;e\uFFFE</p>')).toBe('<p title="ab">cde</p>');
  });

  it('keeps no media or frame source that is not http(s)', () => {
    expect(clean('<video src="javascript:alert(1)" poster="javascript:alert(2)"></video>')).toBe('');
    expect(clean('<iframe src="javascript:alert(1)"></iframe><iframe srcdoc="<script>alert(1)</script>"></iframe>', { iframeHosts: ['www.youtube.com'] })).toBe('');
  });
});

describe('renderContent: structure', () => {
  it('keeps figures, tables, code and links, with allowed classes only', () => {
    const html = '<figure><img src="a.jpg" alt="A"><figcaption>Cap</figcaption></figure><table><thead><tr><th scope="col">H</th></tr></thead><tbody><tr><td colspan="2">D</td></tr></tbody></table><pre><code class="language-js evil">x</code></pre><p class="x" style="color:red" id="y">t</p>';
    expect(clean(html)).toBe(`<figure><img src="${abs('a.jpg')}" alt="A"><figcaption>Cap</figcaption></figure><table><thead><tr><th scope="col">H</th></tr></thead><tbody><tr><td colspan="2">D</td></tr></tbody></table><pre><code class="language-js">x</code></pre><p>t</p>`);
  });

  it('writes void elements without end tags (HTML §13.1.2)', () => {
    const out = clean('<table><colgroup><col span="2"></col><col></colgroup><tr><td>x</td></tr></table><p>a<wbr>b<br/>c</p><hr/><picture><source srcset="a.avif" type="image/avif"></source><img src="a.jpg" alt=""></picture>');
    expect(out).toBe(`<table><colgroup><col span="2"><col></colgroup><tbody><tr><td>x</td></tr></tbody></table><p>a<wbr>b<br>c</p><hr><picture><source srcset="${abs('a.avif')}" type="image/avif"><img src="${abs('a.jpg')}" alt=""></picture>`);
    expect(out).not.toMatch(/<\/(?:col|source|track|wbr|img|br|hr|embed|area)>/);
  });

  it('nests elements as a browser does, even when the input does not', () => {
    // sanitize-html's parser (htmlparser2) nests the second <p> in the first; the browser-shaped output keeps
    // an empty paragraph for the stray end tag, which shows nothing.
    expect(clean('<p><b>unclosed <i>tags<p>next')).toBe('<p><b>unclosed <i>tags</i></b></p><p><b><i>next</i></b></p><p></p>');
    // With an embed in the post, the first pass reads it as a browser does before sanitize-html sees it.
    expect(clean('<p><b>unclosed <i>tags<p>next<embed src="v.mp4">')).toBe(`<p><b>unclosed <i>tags</i></b></p><p><b><i>next<a href="${abs('v.mp4')}">${abs('v.mp4')}</a></i></b></p>`);
    expect(clean('<a href="/1">one<a href="/2">two</a></a>')).toBe(`<a href="${abs('/1')}">one</a><a href="${abs('/2')}">two</a>`);
    expect(clean('<pre>\n\nline</pre>')).toBe('<pre>\n\nline</pre>');
    expect(clean('<embed src="v.mp4"><pre>\n\nline</pre>')).toBe(`<p><a href="${abs('v.mp4')}">${abs('v.mp4')}</a></p><pre>\n\nline</pre>`);
  });

  it('survives deep nesting', () => {
    const deep = '<div>'.repeat(5000) + 'x' + '</div>'.repeat(10);
    expect(clean(deep)).toContain('x');
  });

  it('renders Markdown with raw HTML before sanitizing', () => {
    const out = clean(renderMarkdown('# Title\n\nSome *text* and [a link](rel/).\n\n<div onmouseover="x()">raw</div>\n'));
    expect(out).toBe(`<h1>Title</h1>\n<p>Some <em>text</em> and <a href="${abs('rel/')}">a link</a>.</p>\n<div>raw</div>`);
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
});

describe('renderContent: audio and video', () => {
  it('keeps video with its poster, size and flags; drops autoplay and adds controls', () => {
    expect(clean('<video src="clip.mp4" autoplay muted loop playsinline preload="metadata" poster="poster.jpg" width="640" height="360" onplay="x()"></video>')).toBe(
      `<video src="${abs('clip.mp4')}" muted="" loop="" playsinline="" preload="metadata" poster="${abs('poster.jpg')}" width="640" height="360" controls=""></video>`,
    );
  });

  it('keeps <source> and <track> with their src, and removes a source or track a reader cannot fetch', () => {
    const out = clean('<video controls><source src="a.webm" type="video/webm"><source src="javascript:alert(1)" type="video/mp4"><source type="video/ogg"><track src="subs.vtt" kind="subtitles" srclang="en" label="English" default><track src="data:text/vtt,x" kind="captions">Fallback text</video>');
    expect(out).toBe(`<video controls=""><source src="${abs('a.webm')}" type="video/webm"><track src="${abs('subs.vtt')}" kind="subtitles" srclang="en" label="English" default="">Fallback text</video>`);
  });

  it('keeps audio, drops an invalid enumerated value', () => {
    expect(clean('<audio preload="eager"><source src="/ep1.mp3" type="audio/mpeg"></audio>')).toBe(`<audio controls=""><source src="${abs('/ep1.mp3')}" type="audio/mpeg"></audio>`);
  });

  it('turns media with no playable source into a link to what it pointed at, in a paragraph when it stood alone', () => {
    expect(clean('<p>Watch:</p>\n<video title="The launch"><source src="ftp://files.example/launch.mp4"></video>')).toBe('<p>Watch:</p>\n<p><a href="ftp://files.example/launch.mp4">The launch</a></p>');
    expect(clean('<p>Listen: <audio src="ftp://files.example/a.mp3"></audio>.</p>')).toBe('<p>Listen: <a href="ftp://files.example/a.mp3">ftp://files.example/a.mp3</a>.</p>');
  });

  it('falls back to the media element\'s own fallback content when it points at nothing linkable', () => {
    expect(clean('<audio src="data:audio/mpeg;base64,AAAA"><source src="javascript:x">Get the <a href="ep.mp3">episode</a></audio>')).toBe(`Get the <a href="${abs('ep.mp3')}">episode</a>`);
  });
});

describe('renderContent: iframes and other embeds', () => {
  const hosts = { iframeHosts: ['www.youtube-nocookie.com', 'player.vimeo.com'] };

  it('keeps an iframe of a listed host with src, size, title and allowfullscreen, in our sandbox', () => {
    const html = '<iframe src="https://www.youtube-nocookie.com/embed/abc?rel=0" width="560" height="315" title="A talk" frameborder="0" allow="autoplay" allowfullscreen sandbox="allow-top-navigation" onload="x()" style="border:0">ignored</iframe>';
    expect(clean(html, hosts)).toBe(`<iframe src="https://www.youtube-nocookie.com/embed/abc?rel=0" width="560" height="315" title="A talk" allowfullscreen="" sandbox="${IFRAME_SANDBOX}"></iframe>`);
    expect(IFRAME_SANDBOX).toBe('allow-scripts allow-same-origin allow-popups allow-popups-to-escape-sandbox');
  });

  it('matches hosts exactly: another host, a subdomain or http-less src becomes a link', () => {
    expect(clean('<iframe src="https://evil.example/frame" title="Demo"></iframe>', hosts)).toBe('<p><a href="https://evil.example/frame">Demo</a></p>');
    expect(clean('<iframe src="https://x.player.vimeo.com/video/1"></iframe>', hosts)).toBe('<p><a href="https://x.player.vimeo.com/video/1">https://x.player.vimeo.com/video/1</a></p>');
    expect(clean('<p>See <iframe src="//player.example/v/1"></iframe> here.</p>', hosts)).toBe('<p>See <a href="https://player.example/v/1">https://player.example/v/1</a> here.</p>');
  });

  it('reads a listed host written as a URL, with its port', () => {
    const out = clean('<iframe src="https://Media.Example:8443/e/1"></iframe><iframe src="https://media.example/e/2"></iframe>', { iframeHosts: ['https://media.example:8443/'] });
    expect(out).toBe(`<iframe src="https://media.example:8443/e/1" sandbox="${IFRAME_SANDBOX}"></iframe><p><a href="https://media.example/e/2">https://media.example/e/2</a></p>`);
  });

  it('keeps no iframe by default', () => {
    expect(clean('<iframe src="https://www.youtube-nocookie.com/embed/abc"></iframe>')).toBe('<p><a href="https://www.youtube-nocookie.com/embed/abc">https://www.youtube-nocookie.com/embed/abc</a></p>');
  });

  it('turns object and embed into links to their resource, resolved against the post', () => {
    expect(clean('<object data="movie.swf" type="application/x-shockwave-flash"><param name="movie" value="movie.swf"><embed src="movie.swf"></object>')).toBe(`<p><a href="${abs('movie.swf')}">${abs('movie.swf')}</a></p>`);
    expect(clean('<object><param name="movie" value="https://old.example/v/9"></object>')).toBe('<p><a href="https://old.example/v/9">https://old.example/v/9</a></p>');
    expect(clean('<div><embed src="/media/x.pdf" title="The report"></div>')).toBe(`<div><p><a href="${abs('/media/x.pdf')}">The report</a></p></div>`);
    expect(clean('<object data="javascript:alert(1)"><p>Fallback</p></object><embed src="javascript:alert(1)">')).toBe('<p>Fallback</p>');
  });
});

describe('renderContent: kramdown and Jekyll structure', () => {
  it('keeps header ids, footnote ids, classes and roles as kramdown writes them', () => {
    // kramdown 2.4 (GFM input, Jekyll's default) output for a heading and a footnote, written by hand here.
    const html = '<h1 id="café-2026">Café 2026</h1>\n<p>Text<sup id="fnref:1" role="doc-noteref"><a href="#fn:1" class="footnote" rel="footnote">1</a></sup> again<sup id="fnref:1:1" role="doc-noteref"><a href="#fn:1" class="footnote" rel="footnote">1</a></sup></p>\n<div class="footnotes" role="doc-endnotes">\n  <ol>\n    <li id="fn:1" role="doc-endnote">\n      <p>Note. <a href="#fnref:1" class="reversefootnote" role="doc-backlink">&#8617;</a></p>\n    </li>\n  </ol>\n</div>';
    const expected = `<h1 id="café-2026">Café 2026</h1>\n<p>Text<sup id="fnref:1" role="doc-noteref"><a href="${abs('#fn:1')}" class="footnote" rel="footnote">1</a></sup> again<sup id="fnref:1:1" role="doc-noteref"><a href="${abs('#fn:1')}" class="footnote" rel="footnote">1</a></sup></p>\n<div class="footnotes" role="doc-endnotes">\n  <ol>\n    <li id="fn:1" role="doc-endnote">\n      <p>Note. <a href="${abs('#fnref:1')}" class="reversefootnote" role="doc-backlink">\u21a9</a></p>\n    </li>\n  </ol>\n</div>`;
    expect(clean(html)).toBe(expected);
  });

  it('keeps Rouge and inline code classes, drops token classes', () => {
    const html = '<div class="language-ruby highlighter-rouge"><div class="highlight"><pre class="highlight"><code><span class="k">def</span> <span class="nf">x</span></code></pre></div></div><p><code class="language-plaintext highlighter-rouge">y</code></p>';
    expect(clean(html)).toBe('<div class="language-ruby highlighter-rouge"><div class="highlight"><pre class="highlight"><code><span>def</span> <span>x</span></code></pre></div></div><p><code class="language-plaintext highlighter-rouge">y</code></p>');
  });

  it('keeps a task list and shows its checkboxes as text', () => {
    const html = '<ul class="task-list">\n  <li class="task-list-item"><input type="checkbox" class="task-list-item-checkbox" disabled="disabled" checked="checked" />done</li>\n  <li class="task-list-item"><input type="checkbox" class="task-list-item-checkbox" disabled="disabled" />todo</li>\n</ul>';
    expect(clean(html)).toBe('<ul class="task-list">\n  <li class="task-list-item">\u2611 done</li>\n  <li class="task-list-item">\u2610 todo</li>\n</ul>');
  });

  it('keeps ids only on headings, list items, terms, sup and links, and only of the safe pattern', () => {
    expect(clean('<p id="intro">x</p><h2 id="has space">y</h2><h2 id="ok-1" class="hidden">z</h2><h3 id="&quot;x">w</h3><dt id="term">t</dt><a id="fnref1" href="#fn1">1</a><div id="main" role="main">d</div>')).toBe(
      `<p>x</p><h2>y</h2><h2 id="ok-1">z</h2><h3>w</h3><dt id="term">t</dt><a id="fnref1" href="${abs('#fn1')}">1</a><div>d</div>`,
    );
  });

  it('keeps only known rel and role values', () => {
    expect(clean('<a href="/t" rel="tag opener me" role="doc-backlink button">t</a><sup role="presentation">1</sup>')).toBe(`<a href="${abs('/t')}" rel="tag" role="doc-backlink">t</a><sup>1</sup>`);
  });
});
