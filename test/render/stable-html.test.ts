/**
 * The sanitizer's last pass skips its parse only where the parse would change nothing: whenever
 * `toSerializedFragment` answers, its answer is what parse5 writes after parsing (`reparseHtml`), for tag
 * soup as it comes (misnested, tables, entities, CR, NUL, U+00A0) and for tag soup after sanitize-html.
 * And it does answer for what Markdown posts are made of, or the skip would save nothing.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { renderMarkdown } from '../../src/render/markdown.js';
import { filterHtml, reparseHtml } from '../../src/render/sanitize.js';
import { toSerializedFragment } from '../../src/render/stable-html.js';
import type { AbsoluteUrl } from '../../src/types.js';

const RUNS = process.env['PROPERTY_RUNS'] !== undefined ? Number(process.env['PROPERTY_RUNS']) : process.env['CI'] === 'true' ? 20_000 : 3_000;
const SEED = process.env['PROPERTY_SEED'] !== undefined ? Number(process.env['PROPERTY_SEED']) : 20_261_202;
const TIMEOUT = 600_000;
const page = 'https://site.example/news/2026/02/01/story/' as AbsoluteUrl;
const hosts: ReadonlySet<string> = new Set(['player.example']);

const TAGS = [
  'p', 'br', 'hr', 'h1', 'h2', 'h3', 'blockquote', 'pre', 'code', 'em', 'strong', 'b', 'i', 's', 'small', 'sup', 'abbr', 'span', 'div',
  'a', 'img', 'figure', 'figcaption', 'picture', 'source', 'ul', 'ol', 'li', 'dl', 'dt', 'dd', 'table', 'caption', 'thead', 'tbody',
  'tfoot', 'tr', 'th', 'td', 'colgroup', 'col', 'details', 'summary', 'video', 'audio', 'track', 'iframe', 'wbr',
  // Dropped by the sanitizer, or parsed in ways of their own:
  'script', 'style', 'textarea', 'select', 'option', 'form', 'button', 'svg', 'math', 'template', 'listing', 'xmp', 'plaintext', 'nobr', 'body', 'html', 'image', 'input',
];
const nameArb = fc.constantFrom(...TAGS);
const valueArb = fc.oneof(
  fc.constantFrom('', 'x', 'a&b', 'a&amp;b', '"q"', "it's", '<b>', 'a\u00A0b', '/rel/path', 'https://player.example/v/1', 'fn:1', 'footnote', 'language-js', 'doc-noteref', '1', 'auto', 'a\rb'),
  fc.string({ maxLength: 6 }),
);
const attributeArb = fc.tuple(fc.constantFrom('href', 'src', 'id', 'class', 'title', 'alt', 'role', 'rel', 'controls', 'colspan', 'lang', 'srcset', 'onclick', 'style'), valueArb, fc.constantFrom('"', "'", '', 'none'))
  .map(([name, value, quote]) => (quote === 'none' ? ` ${name}` : quote === '' ? ` ${name}=${value.replace(/[\s>"'=<`]/g, '')}` : ` ${name}=${quote}${value.replaceAll(quote, '')}${quote}`));
const textArb = fc.oneof(
  fc.constantFrom(' ', '\n', '\n\n', '\t', 'word', 'a < b', 'a > b', 'Q&A', '&amp;', '&lt;x&gt;', '&nbsp;', '\u00A0', '&#13;', '\r\n', '\0', '&copy', '&#x1F600;', '"quoted"', '\u2028'),
  fc.string({ maxLength: 8 }),
);
const tokenArb = fc.oneof(
  { weight: 4, arbitrary: fc.tuple(nameArb, fc.array(attributeArb, { maxLength: 3 }), fc.boolean()).map(([name, attributes, slash]) => `<${name}${attributes.join('')}${slash ? ' /' : ''}>`) },
  { weight: 3, arbitrary: nameArb.map((name) => `</${name}>`) },
  { weight: 4, arbitrary: textArb },
);
const soupArb = fc.array(tokenArb, { maxLength: 24 }).map((tokens) => tokens.join(''));

/** A well-nested document of the kept elements, which mostly takes the skip (and so tests its answers). */
const nestedArb: fc.Arbitrary<string> = fc.letrec<{ node: string; nodes: string }>((tie) => ({
  node: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    textArb,
    fc.tuple(nameArb, fc.array(attributeArb, { maxLength: 2 }), tie('nodes')).map(([name, attributes, inner]) => `<${name}${attributes.join('')}>${inner}</${name}>`),
    fc.constantFrom('<br>', '<img src="a.png" alt="x">', '<hr>', '<col>', '<source src="v.mp4">'),
  ),
  nodes: fc.array(tie('node'), { maxLength: 4 }).map((nodes) => nodes.join('')),
})).nodes;

function agrees(html: string): void {
  const fast = toSerializedFragment(html);
  if (fast !== undefined) expect(fast, JSON.stringify(html)).toBe(reparseHtml(html));
}

describe('toSerializedFragment', () => {
  it('answers only with what parse5 writes after parsing, for tag soup', () => {
    fc.assert(fc.property(soupArb, (html) => agrees(html)), { numRuns: RUNS, seed: SEED });
  }, TIMEOUT);

  it('answers only with what parse5 writes after parsing, for tag soup and nested markup after sanitize-html', () => {
    fc.assert(fc.property(fc.oneof(soupArb, nestedArb), (html) => agrees(filterHtml(html, page, hosts))), { numRuns: RUNS, seed: SEED });
  }, TIMEOUT);

  it('answers for most nested markup after sanitize-html (the property above tests real answers)', () => {
    const samples = fc.sample(nestedArb, { numRuns: 500, seed: SEED }).map((html) => filterHtml(html, page, hosts));
    const answered = samples.filter((html) => toSerializedFragment(html) !== undefined).length;
    expect(answered).toBeGreaterThan(samples.length / 4);
  });

  it('answers for what Markdown posts are made of', () => {
    const markdown = [
      '# Title {#top}',
      '',
      'A paragraph with *emphasis*, **strong**, `code`, a [link](/about/ "About") and an ![image](/img/a.png).  ',
      'A hard break, "quotes" -- and a footnote.[^1] Q&A < 3 > 2.',
      '',
      '* one',
      '* two',
      '  1. nested',
      '',
      '> quoted',
      '',
      '```ruby',
      'puts 1 < 2 && "x"',
      '```',
      '',
      '| a | b |',
      '|---|---|',
      '| 1 | 2 |',
      '',
      'Term',
      ': Definition',
      '',
      '<figure><img src="x.png" alt=""><figcaption>Raw HTML</figcaption></figure>',
      '',
      '*[HTML]: Hyper Text',
      '',
      '[^1]: The note.',
    ].join('\n');
    const clean = filterHtml(renderMarkdown(markdown), page, hosts);
    expect(clean).toContain('\u00A0');
    expect(toSerializedFragment(clean)).toBe(reparseHtml(clean));
  });

  it('gives up on markup the tree builder rearranges or respells', () => {
    for (const html of ['<p><div>x</div></p>', '<table><tr><td>x</td></tr></table>', '<a href="/a"><a href="/b">x</a></a>', '<pre>\nx</pre>', '<ul><li>x<li>y</li></ul>', '<table>x</table>', '<h1><h2>x</h2></h1>', 'a\r\nb', '<em>x</p>', '<p>x']) {
      expect(toSerializedFragment(html), html).toBeUndefined();
    }
  });
});
