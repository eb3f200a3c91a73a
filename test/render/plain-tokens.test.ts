/**
 * usePlainTokens (render/markdown.ts) replaces markdown-it's Token constructor with plain assignments: the
 * tokens must be what markdown-it's own constructor makes, key for key and in the same order, for every
 * parser (core, block, inline) and with the plugins feedwright uses.
 */
import MarkdownIt, { type MarkdownIt as MarkdownItInstance, type Token } from 'markdown-it';
import markdownItAbbr from 'markdown-it-abbr';
import markdownItAttrs from 'markdown-it-attrs';
import markdownItDeflist from 'markdown-it-deflist';
import markdownItFootnote from 'markdown-it-footnote';
import { describe, expect, it } from 'vitest';
import { usePlainTokens } from '../../src/render/markdown.js';

const DOC = [
  '# Heading {#top}',
  '',
  'A paragraph with *emphasis*, `code`, a [link](https://example.org/ "t"), ![img](a.png) and a note.[^n]',
  '{: .lead}',
  '',
  '> quoted',
  '',
  '- one',
  '- two',
  '',
  'Term',
  ': Definition',
  '',
  '*[HTML]: Hyper Text',
  'HTML here.',
  '',
  '[^n]: The note.',
  '',
  '<div>raw</div>',
  '',
  '```js',
  'let x = 1;',
  '```',
  '',
].join('\n');

function parser(plain: boolean): MarkdownItInstance {
  const md = new MarkdownIt({ html: true, xhtmlOut: true });
  if (plain) usePlainTokens(md);
  return md.use(markdownItFootnote).use(markdownItDeflist).use(markdownItAbbr).use(markdownItAttrs, { leftDelimiter: '{:', rightDelimiter: '}' });
}

/** Every token of a tree, depth first, with its own keys in order. */
function flatten(tokens: readonly Token[]): { keys: string[]; token: Token }[] {
  return tokens.flatMap((token) => [{ keys: Object.keys(token), token }, ...flatten(token.children ?? [])]);
}

describe('usePlainTokens', () => {
  it('makes the tokens markdown-it makes, same keys in the same order, same prototype', () => {
    const base = parser(false);
    const plain = parser(true);
    const expected = flatten(base.parse(DOC, {}));
    const actual = flatten(plain.parse(DOC, {}));
    expect(actual.length).toBe(expected.length);
    expect(actual.length).toBeGreaterThan(40);
    const BaseToken = new base.core.State('', base, {}).Token;
    actual.forEach(({ keys, token }, i) => {
      expect(keys).toEqual(expected[i]?.keys);
      expect(token).toBeInstanceOf(BaseToken);
      expect(JSON.stringify(token)).toBe(JSON.stringify(expected[i]?.token));
    });
    expect(plain.render(DOC, {})).toBe(base.render(DOC, {}));
  });

  it('is used by all three parsers', () => {
    const md = parser(true);
    const Plain = new md.core.State('', md, {}).Token;
    expect(new md.block.State('', md, {}, []).Token).toBe(Plain);
    expect(new md.inline.State('', md, {}, []).Token).toBe(Plain);
    const vanilla = new MarkdownIt();
    expect(Plain).not.toBe(new vanilla.core.State('', vanilla, {}).Token);
  });
});
