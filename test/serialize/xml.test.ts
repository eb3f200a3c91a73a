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

  it('drops absent attributes and children in one place', () => {
    expect(renderXml(el('a', { x: undefined, y: 1 }, undefined, false, 'text'))).toBe('<a y="1">text</a>\n');
  });
});
