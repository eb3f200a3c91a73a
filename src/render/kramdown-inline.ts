/**
 * markdown-it rules for kramdown's span-level behaviour: typography with kramdown's look-ahead, span HTML,
 * `***a***` nesting, `<del>`, table alignment style, lone backticks, `<<`, and `$$` math.
 */
import type { StateCore, StateInline, Token } from 'markdown-it';
import { escapeHtml, HTML_BLOCK_ELEMENTS, VOID_ELEMENTS } from './kramdown-source.js';
import { DEFAULT_TYPOGRAPHIC_SYMBOLS, typographize, type TypographySettings } from './typography.js';

/** The source text that follows `children[index]`, as kramdown's look-ahead regexes would see it. */
function followingSource(children: readonly Token[], index: number): string {
  let out = '';
  for (let k = index + 1; k < children.length && out.length < 8; k++) {
    const t = children[k];
    if (t === undefined) break;
    switch (t.type) {
      case 'text':
        out += t.content;
        break;
      case 'softbreak':
      case 'hardbreak':
        out += '\n';
        break;
      case 'code_inline':
        out += t.markup + t.content;
        break;
      case 'html_inline':
        out += t.content;
        break;
      case 'link_open':
        out += '[';
        break;
      case 'link_close':
        out += '](';
        break;
      case 'image':
        out += '![';
        break;
      case 'footnote_ref':
        out += '[^';
        break;
      default:
        out += t.markup.length > 0 ? t.markup : '\u0000';
    }
  }
  return out;
}

// kramdown parses the content of these span HTML elements as raw text (HTML_CONTENT_MODEL_RAW), untouched.
const RAW_HTML_SPAN = /^<(\/?)(code|kbd|samp|var|script|style|math|textarea|pre)\b/i;

/** kramdown typography on every text run outside code and raw span HTML, before abbreviations apply. */
export function typographyRule(settings: TypographySettings) {
  return (state: StateCore): void => {
    for (const block of state.tokens) {
      if (block.type !== 'inline' || block.children === null) continue;
      const children = block.children;
      let raw = 0;
      for (let k = 0; k < children.length; k++) {
        const t = children[k];
        if (t?.type === 'html_inline') {
          const m = RAW_HTML_SPAN.exec(t.content);
          if (m !== null && !t.content.endsWith('/>')) raw = Math.max(0, raw + (m[1] === '/' ? -1 : 1));
        }
        if (t?.type !== 'text' || raw > 0) continue;
        const following = followingSource(children, k);
        // kramdown keeps a line break inside the text run, so a quote opening a line sees it before itself.
        const preceding = children[k - 1]?.type === 'softbreak' ? '\n' : '';
        const apply = (with_: TypographySettings): string => typographize(preceding + t.content, following, with_).slice(preceding.length);
        // Header ids read kramdown's own symbol characters, not `typographic_symbols` replacements
        // (kramdown-parser-gfm `update_raw_text`).
        if (settings.symbols !== DEFAULT_TYPOGRAPHIC_SYMBOLS) t.meta = { idText: apply({ ...settings, symbols: DEFAULT_TYPOGRAPHIC_SYMBOLS }) };
        t.content = apply(settings);
      }
    }
  };
}

/**
 * Inline fixes: `***a***` nests as kramdown does (`<strong><em>`), `~~a~~` is `<del>` (kramdown-parser-gfm
 * `parse_strikethrough_gfm`), table alignment is `style="text-align: left"` and an empty cell holds a
 * no-break space (converter/html.rb).
 */
export function inlineShapeRule(state: StateCore): void {
  let prev: Token | undefined;
  for (const block of state.tokens) {
    const before = prev;
    prev = block;
    if ((block.type === 'th_open' || block.type === 'td_open') && block.attrGet('style') !== null) {
      block.attrSet('style', String(block.attrGet('style') ?? '').replace(/^text-align:/, 'text-align: '));
    }
    if (block.type !== 'inline' || block.children === null) continue;
    if (block.children.length === 0 && (before?.type === 'td_open' || before?.type === 'th_open')) {
      // converter/html.rb `convert_td`: an empty cell holds a no-break space.
      const nbsp = new state.Token('text', '', 0);
      nbsp.content = '\u00A0';
      block.children.push(nbsp);
    }
    // Emphasis parsing leaves empty text tokens between delimiters; they would hide adjacency.
    const children = block.children.filter((t) => t.type !== 'text' || t.content !== '');
    block.children = children;
    for (let k = 0; k < children.length; k++) {
      const t = children[k];
      if (t === undefined) continue;
      if (t.type === 's_open' || t.type === 's_close') t.tag = 'del';
      const text = children[k + 1];
      if (t.type === 'link_open' && t.markup === 'autolink' && text?.type === 'text' && text.content.startsWith('mailto:')) {
        // kramdown autolink.rb: `<mailto:a@b>` shows the address without the scheme.
        text.content = text.content.slice('mailto:'.length);
      }
      const next = children[k + 1];
      if (t.type !== 'em_open' || next?.type !== 'strong_open' || t.markup[0] !== next.markup[0]) continue;
      // Find the matching closes: strong_close directly followed by em_close.
      let depth = 0;
      for (let c = k + 1; c < children.length; c++) {
        const ct = children[c];
        if (ct === undefined) break;
        depth += ct.nesting;
        if (depth !== 0) continue;
        const after = children[c + 1];
        if (ct.type === 'strong_close' && after?.type === 'em_close') {
          children[k] = next;
          children[k + 1] = t;
          children[c] = after;
          children[c + 1] = ct;
        }
        break;
      }
    }
  }
}

/**
 * kramdown span HTML (parser/kramdown/html.rb `parse_span_html`): a block element's tag inside a paragraph,
 * and a closing tag that closes nothing, are text, so they show escaped.
 */
export function spanHtmlRule(state: StateCore): void {
  for (const block of state.tokens) {
    if (block.type !== 'inline' || block.children === null) continue;
    const open: string[] = [];
    for (const t of block.children) {
      if (t.type !== 'html_inline') continue;
      const m = /^<(\/?)([A-Za-z][\w-]*)/.exec(t.content);
      const name = m?.[2]?.toLowerCase();
      if (m === null || name === undefined) continue;
      const closing = m[1] === '/';
      if (!closing && HTML_BLOCK_ELEMENTS.has(name)) t.content = escapeHtml(t.content);
      else if (!closing && !t.content.endsWith('/>') && !VOID_ELEMENTS.has(name)) open.push(name);
      else if (closing) {
        const at = open.lastIndexOf(name);
        if (at < 0) t.content = escapeHtml(t.content);
        else open.length = at;
      }
    }
  }
}

/** kramdown `parse_codespan`: a lone backtick with white space on both sides is a literal backtick. */
export function literalBacktickRule(state: StateInline, silent: boolean): boolean {
  const src = state.src;
  const pos = state.pos;
  if (src.charCodeAt(pos) !== 0x60 || src.charCodeAt(pos + 1) === 0x60) return false;
  if (pos === 0 || !/\s/.test(src[pos - 1] ?? '') || !/\s/.test(src[pos + 1] ?? '')) return false;
  if (!silent) state.pending += '`';
  state.pos += 1;
  return true;
}

// kramdown-parser-gfm ESCAPED_CHARS_GFM: the only characters a backslash escapes.
const KRAMDOWN_ESCAPABLE = new Set('\\.*_+`<>()[]{}#!:|"\'$=-~');

/** A backslash before other ASCII punctuation (`\&`, `\%`, `\@`) stays a backslash in kramdown, not an escape. */
export function kramdownEscapeRule(state: StateInline, silent: boolean): boolean {
  if (state.src.charCodeAt(state.pos) !== 0x5c) return false;
  const next = state.src[state.pos + 1];
  if (next === undefined || !/[!-/:-@[-`{-~]/.test(next) || KRAMDOWN_ESCAPABLE.has(next)) return false;
  if (!silent) state.pending += '\\';
  state.pos += 1;
  return true;
}

/** kramdown's typographic `<<` wins over span HTML (`<<b>>` is «b»): take `<<` as text before html_inline runs. */
export function guillemetRule(state: StateInline, silent: boolean): boolean {
  if (state.src.charCodeAt(state.pos) !== 0x3c || state.src.charCodeAt(state.pos + 1) !== 0x3c) return false;
  if (!silent) state.pending += '<<';
  state.pos += 2;
  return true;
}

/** kramdown math (`math_engine: mathjax`): inline `$$…$$` becomes `\(…\)` (converter/html.rb `convert_math`). */
export function inlineMathRule(state: StateInline, silent: boolean): boolean {
  if (!state.src.startsWith('$$', state.pos)) return false;
  const end = state.src.indexOf('$$', state.pos + 2);
  if (end < 0 || end === state.pos + 2) return false;
  if (!silent) {
    const token = state.push('html_inline', '', 0);
    token.content = `\\(${escapeHtml(state.src.slice(state.pos + 2, end).trim())}\\)`;
  }
  state.pos = end + 2;
  return true;
}
