/**
 * usePlainTokens (render/markdown.ts) replaces markdown-it's Token constructor, the states' `push` and
 * `pushPending` and the inline state's constructor with plain assignments: the tokens and states must be what
 * markdown-it's own make, key for key and in the same order, for every parser (core, block, inline) and with
 * the plugins feedwright uses.
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

  it('makes the inline state markdown-it makes, same keys in the same order, same prototype chain', () => {
    const base = parser(false);
    const plain = parser(true);
    const env = { n: 1 };
    const tokens = [new (new base.core.State('', base, {}).Token)('text', '', 0)];
    const expected = new base.inline.State('a *b* c', base, env, tokens);
    const actual = new plain.inline.State('a *b* c', plain, env, tokens);
    expect(Object.keys(actual)).toEqual(Object.keys(expected));
    for (const key of Object.keys(expected) as (keyof typeof expected)[]) {
      if (key === 'md' || key === 'Token') continue;
      expect(actual[key], key).toEqual(expected[key]);
    }
    expect(actual.tokens).toBe(tokens);
    expect(actual.env).toBe(env);
    expect(actual).toBeInstanceOf(base.inline.State);
    expect(actual.scanDelims).toBe(expected.scanDelims);
  });

  it('pushes tokens the way markdown-it does: levels, pending text and delimiter lists', () => {
    const [state, other] = [parser(true), parser(false)].map((md) => {
      const s = new md.inline.State('x', md, {}, []);
      s.pending = 'before ';
      s.push('strong_open', 'strong', 1);
      s.pending = 'inside';
      s.push('strong_close', 'strong', -1);
      s.pending = 'after';
      s.pushPending();
      return s;
    });
    expect(state?.tokens.length).toBe(5);
    expect(JSON.stringify(state?.tokens)).toBe(JSON.stringify(other?.tokens));
    expect(state?.tokens_meta).toEqual(other?.tokens_meta);
    expect([state?.level, state?.pendingLevel, state?.delimiters, state?._prev_delimiters]).toEqual([other?.level, other?.pendingLevel, other?.delimiters, other?._prev_delimiters]);
    const blocks = [parser(true), parser(false)].map((md) => {
      const s = new md.block.State('x', md, {}, []);
      s.push('blockquote_open', 'blockquote', 1);
      s.push('paragraph_open', 'p', 1);
      s.push('paragraph_close', 'p', -1);
      s.push('blockquote_close', 'blockquote', -1);
      return s;
    });
    expect(JSON.stringify(blocks[0]?.tokens)).toBe(JSON.stringify(blocks[1]?.tokens));
    expect(blocks[0]?.level).toBe(blocks[1]?.level);
  });

  it('is used by all three parsers', () => {
    const md = parser(true);
    const Plain = new md.core.State('', md, {}).Token;
    expect(new md.block.State('', md, {}, []).Token).toBe(Plain);
    expect(new md.inline.State('', md, {}, []).Token).toBe(Plain);
    const vanilla = new MarkdownIt();
    expect(Plain).not.toBe(new vanilla.core.State('', vanilla, {}).Token);
    // The states' own token makers are this module's, not markdown-it's (which name its Token class itself).
    expect(md.block.State.prototype.push).not.toBe(vanilla.block.State.prototype.push);
    expect(md.inline.State.prototype.push).not.toBe(vanilla.inline.State.prototype.push);
    expect(md.inline.State.prototype.pushPending).not.toBe(vanilla.inline.State.prototype.pushPending);
  });
});
