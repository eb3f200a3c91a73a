import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { el, escapeXml, renderXml, stripXmlForbidden, titleEl } from '../../src/serialize/xml.js';

describe('escapeXml', () => {
  it('writes & and < as the predefined entities every feed parser decodes', () => {
    expect(escapeXml('AT&T, 3 < 4')).toBe('AT&amp;T, 3 &lt; 4');
    expect(escapeXml('<p>1&amp;2</p>')).toBe('&lt;p>1&amp;amp;2&lt;/p>');
  });

  it('writes & and < in titles as the hexadecimal references of the RSS Best Practices Profile', () => {
    expect(escapeXml('AT&T, 3 < 4, 1&amp;2', 'title')).toBe('AT&#x26;T, 3 &#x3C; 4, 1&#x26;amp;2');
    expect(renderXml(titleEl('title', 'R&D <b>', { type: 'text' }) ?? el('missing'))).toBe('<title type="text">R&#x26;D &#x3C;b></title>\n');
    expect(renderXml(el('category', {}, 'R&D <b>'))).toBe('<category>R&amp;D &lt;b></category>\n');
  });

  it('never lets ]]> through, even split across children', () => {
    expect(escapeXml('a]]>b')).toBe('a]]&gt;b');
    expect(escapeXml('a]]>b', 'title')).toBe('a]]&#x3E;b');
    expect(renderXml(el('t', {}, ']]', '>'))).not.toContain(']]>');
  });

  it('escapes quotes and > in attributes only, with named entities', () => {
    expect(escapeXml('"x" > y & z < w', 'attribute')).toBe('&quot;x&quot; &gt; y &amp; z &lt; w');
    expect(escapeXml('"x" > y')).toBe('"x" > y');
  });

  it('keeps CR, and LF and tab in attributes, as character references (no named form exists)', () => {
    expect(escapeXml('a\r\nb')).toBe('a&#xD;\nb');
    expect(escapeXml('a\n\tb', 'attribute')).toBe('a&#xA;&#x9;b');
  });

  it('drops characters XML 1.0 forbids and keeps everything else', () => {
    expect(stripXmlForbidden('a\u0001b\u0008c\u000Bd\u001Be\uFFFEf\uFFFF\uD800g')).toBe('abcdefg');
    expect(stripXmlForbidden('tab\tLF\nCR\r zwj\u200D rtl\u202B 😀')).toBe('tab\tLF\nCR\r zwj\u200D rtl\u202B 😀');
  });

  it('keeps exactly the characters of XML 1.0 §2.2 Char, code point by code point, with or without any to drop', () => {
    // The production itself, read over code points (a lone surrogate is a code point of its own to for…of).
    const isXmlChar = (c: number): boolean => c === 0x9 || c === 0xa || c === 0xd || (c >= 0x20 && c <= 0xd7ff) || (c >= 0xe000 && c <= 0xfffd) || (c >= 0x10000 && c <= 0x10ffff);
    const reference = (text: string): string => [...text].filter((ch) => isXmlChar(ch.codePointAt(0) ?? 0)).join('');
    const unit = fc.constantFrom(0x0, 0x8, 0x9, 0xa, 0xb, 0xd, 0x1f, 0x20, 0x61, 0xa0, 0x2019, 0xd7ff, 0xd800, 0xdbff, 0xdc00, 0xdfff, 0xe000, 0xfffd, 0xfffe, 0xffff);
    const text = fc.array(unit, { maxLength: 12 }).map((units) => String.fromCharCode(...units));
    fc.assert(
      fc.property(text, (t) => {
        expect(stripXmlForbidden(t)).toBe(reference(t));
      }),
      { numRuns: process.env['CI'] === 'true' ? 20_000 : 2_000, seed: 20261203 },
    );
  });

  it('drops absent attributes and children in one place', () => {
    expect(renderXml(el('a', { x: undefined, y: 1 }, undefined, false, 'text'))).toBe('<a y="1">text</a>\n');
  });
});
