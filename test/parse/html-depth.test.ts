/** The linear nesting estimate that keeps hostile HTML away from the sanitizer's quadratic parser. */
import { describe, expect, it } from 'vitest';
import { measureHtmlDepth } from '../../src/parse/html-depth.js';

describe('measureHtmlDepth', () => {
  it('counts open elements as htmlparser2 keeps them: void elements, self-closed tags and sibling <p>/<li> add no level', () => {
    const pad = (html: string): string => html + ' '.repeat(30);
    expect(measureHtmlDepth(pad('<div><section><p>a</section></div>'), 10)).toBe(3);
    expect(measureHtmlDepth(pad('<ul><li>a<li>b<li>c</ul><br><img src=x><hr/><x-y/>'), 10)).toBe(2);
    expect(measureHtmlDepth(pad('<p>one<p>two<p>three'), 10)).toBe(1);
    // An end tag with no open element of its name closes nothing.
    expect(measureHtmlDepth(pad('<b><i></u>x</i></b><b>'), 10)).toBe(2);
  });

  it('stops past the limit, and skips texts too short to reach it', () => {
    expect(measureHtmlDepth('<b>'.repeat(1_000_000), 25_000)).toBe(25_001);
    expect(measureHtmlDepth('<b>'.repeat(100), 1_000)).toBe(0);
  });
});
