/** Void elements leave the sanitizer without end tags (WHATWG HTML §13.1.2), as the W3C feed validator wants. */
import { describe, expect, it } from 'vitest';
import { toAbsoluteUrl } from '../../src/render/urls.js';
import { renderContent } from '../../src/render/sanitize.js';

const PAGE = toAbsoluteUrl('https://example.com/2026/02/06/pictures/');

describe('void elements', () => {
  it('writes <source> and <col> without end tags', () => {
    if (PAGE === undefined) throw new Error('page URL');
    const html = renderContent(
      '<picture><source srcset="wide.webp 800w" type="image/webp"><img src="wide.png" alt=""></picture><table><colgroup><col></colgroup><tr><td>a<br>b</td></tr></table>',
      PAGE,
    );
    expect(html).not.toMatch(/<\/(?:source|col|wbr|img|br)>/);
    expect(html).toContain('<source srcset="https://example.com/2026/02/06/pictures/wide.webp 800w" type="image/webp">');
    expect(html).toContain('<col>');
    expect(html).toContain('a<br>b');
  });
});
