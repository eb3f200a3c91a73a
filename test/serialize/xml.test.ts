import { describe, expect, it } from 'vitest';
import { el, escapeXml, renderXml, stripXmlForbidden } from '../../src/serialize/xml.js';

describe('escapeXml', () => {
  it('writes & and < as the numeric references the W3C validator wants in plain text', () => {
    expect(escapeXml('AT&T, 3 < 4')).toBe('AT&#x26;T, 3 &#x3C; 4');
  });

  it('never lets ]]> through, even split across children', () => {
    expect(escapeXml('a]]>b')).toBe('a]]&#x3E;b');
    expect(renderXml(el('t', {}, ']]', '>'))).not.toContain(']]>');
  });

  it('escapes quotes and > in attributes only', () => {
    expect(escapeXml('"x" > y', 'attribute')).toBe('&#x22;x&#x22; &#x3E; y');
    expect(escapeXml('"x" > y')).toBe('"x" > y');
  });

  it('drops characters XML 1.0 forbids and keeps everything else', () => {
    expect(stripXmlForbidden('a\u0001b\u0008c\u000Bd\u001Be\uFFFEf\uFFFF\uD800g')).toBe('abcdefg');
    expect(stripXmlForbidden('tab\tLF\nCR\r zwj\u200D rtl\u202B 😀')).toBe('tab\tLF\nCR\r zwj\u200D rtl\u202B 😀');
  });

  it('drops absent attributes and children in one place', () => {
    expect(renderXml(el('a', { x: undefined, y: 1 }, undefined, false, 'text'))).toBe('<a y="1">text</a>\n');
  });
});
