/**
 * fast-check arbitraries for the property tests: hostile post bodies (Markdown mixed with raw, malformed
 * and obfuscated HTML, OWASP XSS Filter Evasion vectors) and hostile plain text (C0 controls,
 * noncharacters, lone surrogates, `]]>`, markup characters, RTL and joiners).
 */
import fc from 'fast-check';
import { ALLOWED_TAGS } from '../../src/render/sanitize.js';

// ---------------------------------------------------------------------------------------------------------
// Hand-written vectors from the OWASP XSS Filter Evasion Cheat Sheet (and the mXSS classics after it).

/** Representative XSS filter evasion vectors, each a complete piece of HTML or Markdown. */
export const XSS_VECTORS: readonly string[] = [
  `<SCRIPT SRC=https://xss.example/xss.js></SCRIPT>`,
  `<IMG SRC="javascript:alert('XSS');">`,
  `<IMG SRC=javascript:alert('XSS')>`,
  `<IMG SRC=JaVaScRiPt:alert('XSS')>`,
  '<IMG SRC=`javascript:alert("RSnake says, \'XSS\'")`>',
  `<IMG """><SCRIPT>alert("XSS")</SCRIPT>">`,
  `<IMG SRC=javascript:alert(String.fromCharCode(88,83,83))>`,
  `<IMG SRC=# onmouseover="alert('xxs')">`,
  `<IMG SRC= onmouseover="alert('xxs')">`,
  `<IMG onmouseover="alert('xxs')">`,
  `<IMG SRC=/ onerror="alert(String.fromCharCode(88,83,83))"></img>`,
  `<img src=x onerror="&#0000106&#0000097&#0000118&#0000097&#0000115&#0000099&#0000114&#0000105&#0000112&#0000116&#0000058&#0000097&#0000108&#0000101&#0000114&#0000116&#0000040&#0000039&#0000088&#0000083&#0000083&#0000039&#0000041">`,
  `<IMG SRC=&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;&#58;&#97;&#108;&#101;&#114;&#116;&#40;&#39;&#88;&#83;&#83;&#39;&#41;>`,
  `<IMG SRC=&#0000106&#0000097&#0000118&#0000097&#0000115&#0000099&#0000114&#0000105&#0000112&#0000116&#0000058&#0000097&#0000108&#0000101&#0000114&#0000116&#0000040&#0000039&#0000088&#0000083&#0000083&#0000039&#0000041>`,
  `<IMG SRC=&#x6A&#x61&#x76&#x61&#x73&#x63&#x72&#x69&#x70&#x74&#x3A&#x61&#x6C&#x65&#x72&#x74&#x28&#x27&#x58&#x53&#x53&#x27&#x29>`,
  `<IMG SRC="jav\tascript:alert('XSS');">`,
  `<IMG SRC="jav&#x09;ascript:alert('XSS');">`,
  `<IMG SRC="jav&#x0A;ascript:alert('XSS');">`,
  `<IMG SRC="jav&#x0D;ascript:alert('XSS');">`,
  `<IMG SRC=" &#14;  javascript:alert('XSS');">`,
  `<a href="&#14;  javascript:alert(1)">x</a>`,
  `<a href="java&Tab;script&colon;alert(1)">x</a>`,
  `<a href="javascript&colon;alert(1)">x</a>`,
  `<a href="&#x6A;avascript:alert(1)">x</a>`,
  `<a href="&#106;avascript:alert(1)">x</a>`,
  `<a href="\u0000javascript:alert(1)">x</a>`,
  `<a href="java\u0000script:alert(1)">x</a>`,
  `<a href=" javascript:alert(1)">x</a>`,
  `<a href="vbscript:msgbox(&quot;XSS&quot;)">x</a>`,
  `<a href="VBScript:MsgBox(1)">x</a>`,
  `<a href="livescript:alert(1)">x</a>`,
  `<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">x</a>`,
  `<a href="DATA:text/html,<script>alert(1)</script>">x</a>`,
  `<SCRIPT/XSS SRC="https://xss.example/xss.js"></SCRIPT>`,
  `<BODY onload!#$%&()*~+-_.,:;?@[/|\\]^\`=alert("XSS")>`,
  `<<SCRIPT>alert("XSS");//\\<</SCRIPT>`,
  `<SCRIPT SRC=https://xss.example/xss.js?< B >`,
  `<SCRIPT SRC=//xss.example/.j>`,
  `<IMG SRC="\`<javascript:alert>\`('XSS')"`,
  `<iframe src=https://xss.example/scriptlet.html <`,
  `\\";alert('XSS');//`,
  `</TITLE><SCRIPT>alert("XSS");</SCRIPT>`,
  `<INPUT TYPE="IMAGE" SRC="javascript:alert('XSS');">`,
  `<input onfocus=alert(1) autofocus>`,
  `<BODY BACKGROUND="javascript:alert('XSS')">`,
  `<BODY ONLOAD=alert('XSS')>`,
  `<IMG DYNSRC="javascript:alert('XSS')">`,
  `<IMG LOWSRC="javascript:alert('XSS')">`,
  `<STYLE>li {list-style-image: url("javascript:alert('XSS')");}</STYLE><UL><LI>XSS</br>`,
  `<svg/onload=alert(1)>`,
  `<svg><script>alert(1)</script></svg>`,
  `<svg><a xlink:href="javascript:alert(1)"><text x="20" y="20">XSS</text></a></svg>`,
  `<BGSOUND SRC="javascript:alert('XSS');">`,
  `<BR SIZE="&{alert('XSS')}">`,
  `<LINK REL="stylesheet" HREF="javascript:alert('XSS');">`,
  `<link rel=stylesheet href=https://xss.example/xss.css>`,
  `<STYLE>@import'https://xss.example/xss.css';</STYLE>`,
  `<STYLE>@im\\port'\\ja\\vasc\\ript:alert("XSS")';</STYLE>`,
  `<META HTTP-EQUIV="Link" Content="<https://xss.example/xss.css>; REL=stylesheet">`,
  `<META HTTP-EQUIV="refresh" CONTENT="0;url=javascript:alert('XSS');">`,
  `<META HTTP-EQUIV="refresh" CONTENT="0;url=data:text/html base64,PHNjcmlwdD5hbGVydCgnWFNTJyk8L3NjcmlwdD4K">`,
  `<IMG STYLE="xss:expr/*XSS*/ession(alert('XSS'))">`,
  `<div style="background:url(javascript:alert(1))">x</div>`,
  `<DIV STYLE="background-image:\\0075\\0072\\006C\\0028'\\006a\\0061\\0076\\0061\\0073\\0063\\0072\\0069\\0070\\0074\\003a\\0061\\006c\\0065\\0072\\0074\\0028.1027\\0058.1053\\0053\\0027\\0029'\\0029">`,
  `<DIV STYLE="width: expression(alert('XSS'));">`,
  `<IFRAME SRC="javascript:alert('XSS');"></IFRAME>`,
  `<IFRAME SRC=# onmouseover="alert(document.cookie)"></IFRAME>`,
  `<iframe srcdoc="<script>alert(1)</script>"></iframe>`,
  `<FRAMESET><FRAME SRC="javascript:alert('XSS');"></FRAMESET>`,
  `<TABLE BACKGROUND="javascript:alert('XSS')">`,
  `<TABLE><TD BACKGROUND="javascript:alert('XSS')">`,
  `<OBJECT TYPE="text/x-scriptlet" DATA="https://xss.example/scriptlet.html"></OBJECT>`,
  `<object data="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg=="></object>`,
  `<EMBED SRC="data:image/svg+xml;base64,PHN2ZyB4bWxuczpzdmc9Imh0dH A6Ly93d3cudzMub3JnLzIwMDAvc3ZnIiB4bWxucz0iaHR0cDovL3d3dy53My5vcmcv MjAwMC9zdmciIHhtbG5zOnhsaW5rPSJodHRwOi8vd3d3LnczLm9yZy8xOTk5L3hs aW5rIiB2ZXJzaW9uPSIxLjAiIHg9IjAiIHk9IjAiIHdpZHRoPSIxOTQiIGhlaWdodD0iMjAw IiBpZD0ieHNzIj48c2NyaXB0IHR5cGU9InRleHQvZWNtYXNjcmlwdCI+YWxlcnQoIlh TUyIpOzwvc2NyaXB0Pjwvc3ZnPg==" type="image/svg+xml" AllowScriptAccess="always"></EMBED>`,
  `<embed src=javascript:alert(1)>`,
  `<applet code="XSS.class"></applet>`,
  `<form action=javascript:alert(1)><button>go</button></form>`,
  `<form><button formaction=javascript:alert(1)>x</button></form>`,
  `<isindex action=javascript:alert(1) type=image>`,
  `<details open ontoggle=alert(1)>`,
  `<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>`,
  `<math><mtext><table><mglyph><style><!--</style><img title="--&gt;&lt;img src=1 onerror=alert(1)&gt;">`,
  `<noscript><p title="</noscript><img src=x onerror=alert(1)>">`,
  `<template><script>alert(1)</script></template>`,
  `<xmp><img src=x onerror=alert(1)></xmp>`,
  `<plaintext><img src=x onerror=alert(1)>`,
  `<textarea><img src=x onerror=alert(1)></textarea>`,
  `<title><img src=x onerror=alert(1)></title>`,
  `<noembed><img src=x onerror=alert(1)></noembed>`,
  `<noframes><img src=x onerror=alert(1)></noframes>`,
  `<listing>&lt;img src=x onerror=alert(1)&gt;</listing>`,
  `<base href="javascript:alert('XSS');//">`,
  `<BASE HREF="https://xss.example/">`,
  `<img src="data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+">`,
  `<img srcset="javascript:alert(1) 1x, data:image/png;base64,AAAA 2x">`,
  `<picture><source srcset="javascript:alert(1)"><img src=x></picture>`,
  `<img srcset="a.png 1x (, b),c.png 2x">`,
  `<picture><source srcset="a.png (a,b),mailto:x@y.example"></picture>`,
  `<img src=x:alert(alt) onerror=eval(src) alt=0>`,
  `<video><source onerror="alert(1)"></video>`,
  `<audio src=x onerror=alert(1)>`,
  `<marquee onstart=alert(1)>x</marquee>`,
  `<a href="javascript:alert(1)" style="position:fixed;inset:0">x</a>`,
  `<A HREF="http://0x42.0x0000066.0x7.0x93/">XSS</A>`,
  `<A HREF="//www.google.com/">XSS</A>`,
  `<a href="&#x6A;&#x61;&#x76;&#x61;&#x73;&#x63;&#x72;&#x69;&#x70;&#x74;&#x3A;alert(1)">x</a>`,
  `<a href="javascript:/*--></title></style></textarea></script></xmp><svg/onload='+/"/+/onmouseover=1/+/[*/[]/+alert(1)//'>">x</a>`,
  `<!--[if gte IE 4]><SCRIPT>alert('XSS');</SCRIPT><![endif]-->`,
  `<!-- <img src=x onerror=alert(1)> -->`,
  `<!--><img src=x onerror=alert(1)>-->`,
  `<![CDATA[<img src=x onerror=alert(1)>]]>`,
  `<?xml version="1.0"?><img src=x onerror=alert(1)>`,
  `<?php echo '<script>alert(1)</script>'; ?>`,
  `<XSS STYLE="behavior: url(xss.htc);">`,
  `<HTML xmlns:xss><?import namespace="xss" implementation="https://xss.example/xss.htc"><xss:xss>XSS</xss:xss></HTML>`,
  `<SCRIPT>document.write("<SCRI");</SCRIPT>PT SRC="https://xss.example/xss.js"></SCRIPT>`,
  `<ScRiPt>alert(1)</sCrIpT>`,
  `<scr<script>ipt>alert(1)</scr</script>ipt>`,
  `<img src="x" ONERROR="alert(1)" OnLoad="alert(2)">`,
  `<a href="javascript:alert(1)">x`,
  `[md link](javascript:alert(1))`,
  `[md link](JAVASCRIPT:alert(1) "t")`,
  `[md link](&#106;avascript:alert(1))`,
  `[md link](java&#x09;script:alert(1))`,
  `![md image](data:image/png;base64,iVBORw0KGgo=)`,
  `![md image](javascript:alert(1))`,
  `<javascript:alert(1)>`,
  `<vbscript:msgbox(1)>`,
  `[ref]\n\n[ref]: javascript:alert(1)`,
  `[ref][x]\n\n[x]: data:text/html,<script>alert(1)</script> "t"`,
];

// ---------------------------------------------------------------------------------------------------------
// Building blocks

/** Elements a sanitizer must drop (kept in sync by hand with DESIGN.md, not imported from src). */
export const DANGEROUS_TAGS: readonly string[] = [
  'script', 'style', 'iframe', 'frame', 'frameset', 'object', 'embed', 'applet', 'form', 'input', 'button',
  'textarea', 'select', 'option', 'base', 'meta', 'link', 'svg', 'math', 'template', 'noscript', 'xmp',
  'plaintext', 'isindex',
];

const OTHER_TAGS = [
  'body', 'html', 'head', 'title', 'font', 'marquee', 'video', 'audio', 'track', 'area', 'map', 'bgsound', 'layer',
  'keygen', 'portal', 'dialog', 'slot', 'mglyph', 'mtext', 'annotation-xml', 'foreignObject', 'image', 'listing',
  'noembed', 'noframes', 'x-evil', 'xss', 'scr\u0000ipt', 'a:b',
];

/** Random upper/lower case per character (`<ScRiPt>`, `ONCLICK`). */
export function mixCase(text: string): fc.Arbitrary<string> {
  return fc.array(fc.boolean(), { minLength: text.length, maxLength: text.length }).map((flags) =>
    [...text].map((ch, i) => (flags[i] === true ? ch.toUpperCase() : ch.toLowerCase())).join(''),
  );
}

const tagName: fc.Arbitrary<string> = fc
  .oneof({ weight: 3, arbitrary: fc.constantFrom(...ALLOWED_TAGS) }, { weight: 3, arbitrary: fc.constantFrom(...DANGEROUS_TAGS) }, { weight: 1, arbitrary: fc.constantFrom(...OTHER_TAGS) })
  .chain((name) => fc.oneof({ weight: 3, arbitrary: fc.constant(name) }, { weight: 1, arbitrary: mixCase(name) }));

const attributeName: fc.Arbitrary<string> = fc
  .constantFrom(
    'href', 'src', 'srcset', 'cite', 'title', 'alt', 'lang', 'dir', 'class', 'id', 'style', 'width', 'colspan', 'open',
    'datetime', 'sizes', 'media', 'type', 'onclick', 'onerror', 'onload', 'onmouseover', 'onfocus', 'ontoggle',
    'onbegin', 'onanimationstart', 'formaction', 'action', 'background', 'dynsrc', 'lowsrc', 'poster', 'data', 'code',
    'srcdoc', 'http-equiv', 'content', 'xmlns', 'xlink:href', 'name', 'autofocus', 'on', 'on-x', '"onclick', "'a", '/onload',
  )
  .chain((name) => fc.oneof({ weight: 3, arbitrary: fc.constant(name) }, { weight: 1, arbitrary: mixCase(name) }));

const dangerousSchemeName = fc.constantFrom('javascript', 'vbscript', 'data', 'livescript', 'file', 'blob', 'jar', 'filesystem', 'about');

/** One character of a scheme, spelled as a browser would still read it. */
function obfuscateChar(ch: string): fc.Arbitrary<string> {
  const code = ch.charCodeAt(0);
  return fc.oneof(
    { weight: 6, arbitrary: fc.constant(ch) },
    { weight: 2, arbitrary: fc.constant(ch.toUpperCase()) },
    { weight: 1, arbitrary: fc.constant(`&#${code};`) },
    { weight: 1, arbitrary: fc.constant(`&#x${code.toString(16)};`) },
    { weight: 1, arbitrary: fc.constant(`&#X${code.toString(16).toUpperCase()}`) },
    { weight: 1, arbitrary: fc.constant(`&#000${code}`) },
  );
}

// What the WHATWG URL parser removes or skips around and inside a scheme.
const schemeNoise = fc.constantFrom('', '', '', '', '\t', '\n', '\r', '&Tab;', '&NewLine;', '&#x09;', '&#10;', '&#13', '\u0000');
const leadingNoise = fc.constantFrom('', '', '', ' ', '  ', '\u0001', '\u000e', '&#14;  ', '&#x20;', '\u0000', '\u001f', '\u00a0', '&nbsp;');
const colon = fc.constantFrom(':', ':', ':', '&colon;', '&#58;', '&#x3A;', '&#x3a', '&#0058;', '%3A');
const payload = fc.constantFrom('alert(1)', "alert('XSS')", '//%0aalert(1)', 'text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==', 'image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+', 'image/png;base64,iVBORw0KGgo=', 'msgbox(1)', '');

/** A dangerous URL with its scheme obfuscated: entities, mixed case, tabs and newlines, leading controls. */
export const obfuscatedDangerousUrl: fc.Arbitrary<string> = fc
  .tuple(leadingNoise, dangerousSchemeName)
  .chain(([lead, scheme]) =>
    fc
      .tuple(fc.tuple(...[...scheme].map((ch) => fc.tuple(obfuscateChar(ch), schemeNoise))), colon, payload)
      .map(([chars, c, p]) => `${lead}${chars.map(([a, b]) => a + b).join('')}${c}${p}`),
  );

const safeishUrl = fc.constantFrom(
  'a.jpg', '../other/', '/abs', '?q=1', '#frag', '//cdn.example.net/x.png', 'https://example.org/p?a=1&b=2', 'http://example.org',
  'mailto:a@b.example', 'tel:+123', 'ftp://ftp.example.org/f', 'caf\u00e9 ol\u00e9.html', '%zz', 'http://[::1]/', 'https://exa mple.org/',
  'http://0x42.0x0000066.0x7.0x93/', 'https:', 'https://', 'http:example.org', 'x:y', '\\\\evil.example\\share', '/\\evil.example',
  'https://a.example/\u0000x', ' https://a.example/ ', 'HTTPS://A.EXAMPLE/%E2%80%AE', '',
);

/** A URL-ish attribute value: safe, relative, odd, or dangerous and obfuscated. */
export const urlValue: fc.Arbitrary<string> = fc.oneof(
  { weight: 3, arbitrary: safeishUrl },
  { weight: 4, arbitrary: obfuscatedDangerousUrl },
  { weight: 1, arbitrary: fc.string({ maxLength: 12 }) },
);

// The srcset grammar's own punctuation, shuffled: URLs with commas and parentheses, descriptors that open
// parentheses (HTML §4.8.4.3.10 lets a descriptor's parentheses swallow commas), schemes at odd places.
const srcsetTokens: fc.Arbitrary<string> = fc.string({
  unit: fc.constantFrom('a.jpg', '/b', '?', ' ', ' ', ',', ',', '(', ')', '1x', '2w', 'javascript:', 'data:', 'https://h.example/', '//h.example/'),
  minLength: 1,
  maxLength: 10,
});

const srcsetValue: fc.Arbitrary<string> = fc.oneof(srcsetTokens, fc
  .array(fc.tuple(urlValue, fc.constantFrom('', ' 1x', ' 2x', ' 100w', ' 1x (a, b)', ' (a,b)', ' 2x (,)', ' (', ',', ' javascript:alert(1)')), { minLength: 1, maxLength: 3 })
  .chain((cands) => fc.constantFrom(', ', ',', ' , ').map((sep) => cands.map(([u, d]) => u + d).join(sep))));

/** Hostile characters that XML, JSON, YAML or HTML treat specially. */
export const HOSTILE_PIECES: readonly string[] = [
  '\u0000', '\u0001', '\u0008', '\u000b', '\u000c', '\u000e', '\u001b', '\u001f', '\u007f', '\u0080', '\u0085', '\u009f',
  '\ufffe', '\uffff', '\ud800', '\udbff', '\udc00', '\udfff', '\ufeff', '\ufffd', '\u{1fffe}', '\u{10ffff}',
  '\u202e', '\u202d', '\u200f', '\u200e', '\u2066', '\u200d', '\u200c', '\u2028', '\u2029', '\u00a0', '\u3000',
  '\t', '\n', '\r', '\r\n', ' ', '  ', ']]>', ']]', '<![CDATA[', '&', '&amp;', '&lt;', '&#0;', '&#x1;', '&#xFFFE;', '&#xD800;', '&bogus;',
  '<', '>', '<b>', '</b>', '"', "'", '`', '\\', '#', ': ', '- ', '---', '...', '%', '%00', '{{', '}}',
  '\u05e9\u05dc\u05d5\u05dd', '\u0645\u0631\u062d\u0628\u0627', '\u{1f468}\u200d\u{1f469}\u200d\u{1f467}', '\u{1f3f3}\ufe0f\u200d\u{1f308}', 'e\u0301', '\u0130', '\u00df',
];

/** Any code point, with surrogates (lone halves) and noncharacters made likely. */
const anyChar: fc.Arbitrary<string> = fc.oneof(
  { weight: 8, arbitrary: fc.string({ unit: 'binary', minLength: 1, maxLength: 1 }) },
  { weight: 2, arbitrary: fc.integer({ min: 0, max: 0x1f }).map((c) => String.fromCharCode(c)) },
  { weight: 1, arbitrary: fc.integer({ min: 0xd800, max: 0xdfff }).map((c) => String.fromCharCode(c)) },
  { weight: 1, arbitrary: fc.constantFrom('\ufffe', '\uffff', '\ufdd0', '\u{2fffe}') },
);

/** Hostile plain text: binary strings, control characters, lone surrogates and special pieces mixed. */
export const hostileText: fc.Arbitrary<string> = fc
  .array(
    fc.oneof(
      { weight: 3, arbitrary: fc.string({ unit: anyChar, maxLength: 6 }) },
      { weight: 3, arbitrary: fc.constantFrom(...HOSTILE_PIECES) },
      { weight: 2, arbitrary: fc.string({ unit: 'grapheme', maxLength: 6 }) },
    ),
    { maxLength: 8 },
  )
  .map((parts) => parts.join(''));

/**
 * Hostile text a browser shows as itself: every `<` that could open a tag, comment or declaration and
 * every `&` that could start a character reference gets a space after it. Titles and excerpts are HTML in
 * Jekyll (jekyll-feed strips tags), so only text like this can be expected back verbatim.
 */
export const hostileLiteralText: fc.Arbitrary<string> = hostileText.map((s) => s.replace(/<(?=[A-Za-z/!?])/g, '< ').replace(/&(?=[#A-Za-z0-9])/g, '& '));

// ---------------------------------------------------------------------------------------------------------
// HTML and Markdown

const quote = (value: string, style: number): string => {
  if (style === 0) return `"${value}"`;
  if (style === 1) return `'${value}'`;
  if (style === 2) return value; // unquoted (may be malformed on purpose)
  return `"${value.replace(/"/g, '&quot;')}"`;
};

const attribute: fc.Arbitrary<string> = fc
  .tuple(
    attributeName,
    fc.oneof({ weight: 3, arbitrary: urlValue }, { weight: 1, arbitrary: srcsetValue }, { weight: 2, arbitrary: fc.constantFrom('alert(1)', 'x', 'color:red', 'language-js evil', '1', '') }, { weight: 1, arbitrary: hostileText }),
    fc.integer({ min: 0, max: 4 }),
    fc.constantFrom(' ', ' ', '\n', '\t', '/', ' / ', '\u000c'),
  )
  .map(([name, value, style, sep]) => (style === 4 ? `${sep}${name}` : `${sep}${name}=${quote(value, style)}`));

const textPiece: fc.Arbitrary<string> = fc.oneof(
  { weight: 3, arbitrary: fc.string({ maxLength: 10 }) },
  { weight: 2, arbitrary: fc.constantFrom('<', '>', '&', '<<', '< /', '</', '<!', '<!--', '-->', '<?', ']]>', '&amp;', '&lt;script&gt;', '&#60;script&#62;', '&#x3C;img src=x onerror=alert(1)&#x3E;', '\u0000', '\u000b', '\r', '\ufffe', '\ud800', '"', "'", '`') },
  { weight: 1, arbitrary: hostileText },
);

/** An allowed element with a URL attribute, so most generated URLs reach the sanitizer's URL checks. */
const urlElement: fc.Arbitrary<string> = fc
  .tuple(
    fc.constantFrom(['a', 'href'], ['img', 'src'], ['img', 'srcset'], ['source', 'srcset'], ['blockquote', 'cite'], ['q', 'cite'], ['del', 'cite'], ['ins', 'cite'], ['a', 'HREF'], ['IMG', 'SrC']),
    urlValue,
    srcsetValue,
    fc.integer({ min: 0, max: 3 }),
  )
  .map(([[tag, attr], url, srcset, style]) => `<${tag} ${attr}=${quote(attr.toLowerCase() === 'srcset' ? srcset : url, style)}>x</${tag}>`);

/** A random raw-HTML fragment: nested, often malformed (unclosed, misnested, stray `<` and `>`). */
export const htmlFragment: fc.Arbitrary<string> = fc.letrec<{ node: string; nodes: string }>((tie) => ({
  node: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    { weight: 4, arbitrary: textPiece },
    { weight: 3, arbitrary: fc.constantFrom(...XSS_VECTORS) },
    { weight: 2, arbitrary: urlElement },
    {
      weight: 3,
      arbitrary: fc
        .tuple(tagName, fc.array(attribute, { maxLength: 3 }), tie('nodes'), fc.integer({ min: 0, max: 5 }), tagName)
        .map(([name, attrs, inner, shape, other]) => {
          const open = `<${name}${attrs.join('')}`;
          if (shape === 0) return `${open}>${inner}`; // unclosed
          if (shape === 1) return `${open}/>${inner}`; // self-closed
          if (shape === 2) return `${open}>${inner}</${other}>`; // misnested
          if (shape === 3) return `${open}${inner}`; // tag never ends
          return `${open}>${inner}</${name}>`;
        }),
    },
    { weight: 1, arbitrary: fc.tuple(tagName).map(([name]) => `</${name}>`) },
  ),
  nodes: fc.array(tie('node'), { maxLength: 4 }).map((parts) => parts.join('')),
})).nodes;

const markdownUrl: fc.Arbitrary<string> = fc.oneof(urlValue, fc.constantFrom('<javascript:alert(1)>', '<a b.html>', 'x.png "title"'));

const inline: fc.Arbitrary<string> = fc.oneof(
  { weight: 3, arbitrary: textPiece },
  { weight: 2, arbitrary: htmlFragment },
  { weight: 1, arbitrary: fc.tuple(textPiece, markdownUrl).map(([t, u]) => `[${t}](${u})`) },
  { weight: 1, arbitrary: fc.tuple(textPiece, markdownUrl).map(([t, u]) => `![${t}](${u})`) },
  { weight: 1, arbitrary: urlValue.map((u) => `<${u}>`) },
  { weight: 1, arbitrary: textPiece.map((t) => `*${t}* **${t}** \`${t}\``) },
);

const inlineRun = fc.array(inline, { minLength: 1, maxLength: 4 }).map((parts) => parts.join(''));

const block: fc.Arbitrary<string> = fc.oneof(
  { weight: 4, arbitrary: inlineRun },
  { weight: 2, arbitrary: htmlFragment },
  { weight: 1, arbitrary: fc.constantFrom(...XSS_VECTORS) },
  { weight: 1, arbitrary: inlineRun.map((t) => `# ${t}`) },
  { weight: 1, arbitrary: inlineRun.map((t) => `> ${t}`) },
  { weight: 1, arbitrary: fc.array(inlineRun, { minLength: 1, maxLength: 3 }).map((items) => items.map((t) => `- ${t}`).join('\n')) },
  { weight: 1, arbitrary: fc.tuple(inlineRun, inlineRun).map(([a, b]) => `| ${a} | b |\n|---|---|\n| ${b} | c |`) },
  { weight: 1, arbitrary: fc.tuple(fc.constantFrom('', 'html', 'js', '" onclick=x'), htmlFragment).map(([lang, code]) => `\`\`\`${lang}\n${code}\n\`\`\``) },
  { weight: 1, arbitrary: fc.tuple(fc.constantFrom('x', 'ref'), markdownUrl).map(([label, u]) => `[${label}]\n\n[${label}]: ${u}`) },
  { weight: 1, arbitrary: htmlFragment.map((h) => `    ${h}`) },
);

/** A Markdown document mixing generated Markdown, raw HTML and XSS vectors. */
export function markdownDocument(maxBlocks: number): fc.Arbitrary<string> {
  return fc
    .array(fc.tuple(block, fc.constantFrom('\n\n', '\n', '', '\r\n\r\n')), { maxLength: maxBlocks })
    .map((blocks) => blocks.map(([b, sep]) => b + sep).join(''));
}

/** The absolute URL of a post page, with random (percent-encoded) path segments. */
export const pageUrl: fc.Arbitrary<string> = fc
  .array(fc.oneof(fc.stringMatching(/^[a-z0-9-]{1,8}$/), fc.string({ unit: 'grapheme', minLength: 1, maxLength: 4 }), fc.constantFrom('..', '.', '%41', 'a b', 'x?y', 'x#y', 'caf\u00e9')), { maxLength: 4 })
  .map((segments) => new URL(`https://site.example/${segments.map(encodeURIComponent).join('/')}/`).href);
