/**
 * Markdown → HTML the way Jekyll 4.3 publishes it: kramdown 2.4 with `input: GFM` (kramdown-parser-gfm 1.1)
 * and Jekyll's kramdown defaults (`lib/jekyll/configuration.rb`), built on markdown-it (raw HTML on; the
 * sanitizer runs after) and its plugins for footnotes, definition lists, abbreviations and attribute lists.
 * Code is not tokenized (no Rouge): code blocks get Rouge's wrappers and classes with plain text inside.
 */
import MarkdownItParser, { type MarkdownIt, type Renderer, type StateBlock, type StateInline, type Token } from 'markdown-it';
import markdownItAbbr from 'markdown-it-abbr';
import markdownItAttrs from 'markdown-it-attrs';
import markdownItDeflist from 'markdown-it-deflist';
import markdownItFootnote from 'markdown-it-footnote';
import {
  adjustParagraphInterruptions,
  autoIdRule,
  blockIalRule,
  blockMathRule,
  definitionParagraphRule,
  headerIdRule,
  listRule,
  multiTermDeflistRule,
  setextRule,
  tocRule,
} from './kramdown-blocks.js';
import {
  guillemetRule,
  inlineMathRule,
  inlineShapeRule,
  kramdownEscapeRule,
  literalBacktickRule,
  spanHtmlRule,
  typographyRule,
} from './kramdown-inline.js';
import { escapeHtml, preprocessKramdown, restorePlaceholders, type RenderEnv } from './kramdown-source.js';
import {
  DEFAULT_SMART_QUOTES,
  DEFAULT_TYPOGRAPHIC_SYMBOLS,
  smartifyString,
  type SmartQuotes,
  type TypographicSymbols,
  type TypographySettings,
} from './typography.js';
import type { Mutable } from '../types.js';

/** The kramdown options feedwright honours, read from a site's config by `kramdownOptionsFromSiteConfig`. */
export interface KramdownOptions {
  /** `smart_quotes`: lsquo, rsquo, ldquo, rdquo as entity names or code points (`"sbquo,lsquo,bdquo,ldquo"`). */
  readonly smartQuotes?: string;
  /** `auto_ids` (Jekyll default true): give headers kramdown-parser-gfm ids. */
  readonly autoIds?: boolean;
  /** `auto_id_prefix` (default empty). */
  readonly autoIdPrefix?: string;
  /** `toc_levels` (Jekyll default 1..6): header levels listed by `{:toc}`. */
  readonly tocLevels?: readonly number[];
  /** `typographic_symbols`: replacement text per symbol name (`{hellip: "..."}`). */
  readonly typographicSymbols?: Readonly<Partial<Record<keyof TypographicSymbols, string>>>;
  /** `footnote_backlink` (default `&#8617;`, raw HTML). */
  readonly footnoteBacklink?: string;
  /** `footnote_nr` (default 1): the number of the first footnote. */
  readonly footnoteNr?: number;
  /** `hard_wrap` (Jekyll default false): a line break in a paragraph is `<br />`. */
  readonly hardWrap?: boolean;
  /** Rouge's code markup (Jekyll default true); false when the site turns highlighting off. */
  readonly rouge?: boolean;
}

/** A configured renderer. */
export interface MarkdownRenderer {
  /** Renders a post body. The result is untrusted HTML: pass it to the sanitizer, never to a feed. */
  render(source: string): string;
  /** Jekyll's `smartify` filter with these options: typography on a string, HTML kept, `&<>` escaped. */
  smartify(text: string): string;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** kramdown `toc_levels`: an array, `"2..3"` (a Range) or `"1,3,5"` (options.rb). */
function parseTocLevels(value: unknown): number[] | undefined {
  if (Array.isArray(value)) return value.filter((n): n is number => typeof n === 'number');
  if (typeof value !== 'string') return undefined;
  const range = /^\s*(\d)\s*\.\.(\.?)\s*(\d)\s*$/.exec(value);
  if (range !== null) {
    const from = Number(range[1]);
    const to = Number(range[3]) - (range[2] === '.' ? 1 : 0);
    return Array.from({ length: Math.max(0, to - from + 1) }, (_v, k) => from + k);
  }
  return value.split(',').map((n) => Number(n.trim())).filter((n) => Number.isInteger(n));
}

/**
 * Reads the options from a site's parsed `_config.yml`: its `kramdown:` hash (Jekyll's keys) and the
 * top-level `highlighter`. Unknown keys and values of the wrong type are ignored, as kramdown's defaults apply.
 */
export function kramdownOptionsFromSiteConfig(siteConfig: unknown): KramdownOptions {
  const site = isRecord(siteConfig) ? siteConfig : {};
  const c = isRecord(site['kramdown']) ? site['kramdown'] : {};
  const out: Mutable<KramdownOptions> = {};
  if (typeof c['smart_quotes'] === 'string') out.smartQuotes = c['smart_quotes'];
  if (Array.isArray(c['smart_quotes'])) out.smartQuotes = c['smart_quotes'].map(String).join(',');
  if (typeof c['auto_ids'] === 'boolean') out.autoIds = c['auto_ids'];
  if (typeof c['auto_id_prefix'] === 'string') out.autoIdPrefix = c['auto_id_prefix'];
  const tocLevels = parseTocLevels(c['toc_levels']);
  if (tocLevels !== undefined) out.tocLevels = tocLevels;
  if (typeof c['footnote_backlink'] === 'string') out.footnoteBacklink = c['footnote_backlink'];
  if (typeof c['footnote_nr'] === 'number') out.footnoteNr = c['footnote_nr'];
  if (typeof c['hard_wrap'] === 'boolean') out.hardWrap = c['hard_wrap'];
  const symbols = c['typographic_symbols'];
  if (isRecord(symbols)) {
    const picked: Partial<Record<keyof TypographicSymbols, string>> = {};
    for (const [key, value] of Object.entries(symbols)) {
      if (key in DEFAULT_TYPOGRAPHIC_SYMBOLS && typeof value === 'string') picked[key as keyof TypographicSymbols] = value;
    }
    out.typographicSymbols = picked;
  }
  // Jekyll's KramdownParser: kramdown.syntax_highlighter, else the site's `highlighter`, else rouge; any
  // other name (`none`) or `syntax_highlighter_opts.disable` leaves code unhighlighted.
  const highlighter = 'syntax_highlighter' in c ? c['syntax_highlighter'] : (site['highlighter'] ?? 'rouge');
  const opts = c['syntax_highlighter_opts'];
  if (highlighter !== 'rouge' || (isRecord(opts) && opts['disable'] === true)) out.rouge = false;
  return out;
}

const entityDecoder = new MarkdownItParser();
function decodeEntity(name: string): string | undefined {
  const entity = `&${name};`;
  const decoded = entityDecoder.utils.unescapeAll(entity);
  return decoded === entity ? undefined : decoded;
}

/** `smart_quotes` → characters (kramdown `Utils::Entities.entity`: a name or a code point). */
function parseSmartQuotes(spec: string | undefined): SmartQuotes {
  if (spec === undefined) return DEFAULT_SMART_QUOTES;
  const chars = spec.split(',').map((part) => {
    const p = part.trim();
    if (/^\d+$/.test(p)) return String.fromCodePoint(Number(p));
    return decodeEntity(p);
  });
  const [a, b, c, d] = chars;
  if (chars.length !== 4 || a === undefined || b === undefined || c === undefined || d === undefined) return DEFAULT_SMART_QUOTES;
  return [a, b, c, d];
}

// ---------------------------------------------------------------------------------------------------------
// Render rules: Rouge's code wrappers (Jekyll's kramdown `syntax_highlighter: rouge`, `default_lang:
// plaintext`) and kramdown's footnote markup (converter/html.rb `convert_footnote`, `footnote_content`).

function classAttr(token: Token, first: string, last: string): string {
  const extra = token.attrGet('class');
  return [first, extra === null ? '' : String(extra), last].filter((c) => c !== '').join(' ');
}

function otherAttrs(token: Token): string {
  return (token.attrs ?? []).filter(([n]) => n !== 'class').map(([n, v]) => ` ${n}="${escapeHtml(String(v))}"`).join('');
}

function codeBlockHtml(token: Token, lang: string): string {
  const code = escapeHtml(token.content.endsWith('\n') ? token.content : `${token.content}\n`);
  return `<div class="${classAttr(token, `language-${lang}`, 'highlighter-rouge')}"${otherAttrs(token)}><div class="highlight"><pre class="highlight"><code>${code}</code></pre></div></div>\n`;
}

function attrsHtml(token: Token): string {
  return (token.attrs ?? []).map(([n, v]) => ` ${n}="${escapeHtml(String(v))}"`).join('');
}

/** kramdown's code block without a highlighter (converter/html.rb `convert_codeblock`): `language-x` on code. */
function plainCodeBlockHtml(token: Token, lang: string | undefined): string {
  const code = escapeHtml(token.content.endsWith('\n') ? token.content : `${token.content}\n`);
  const classes = classAttr(token, lang === undefined ? '' : `language-${lang}`, '');
  return `<pre${otherAttrs(token)}><code${classes === '' ? '' : ` class="${classes}"`}>${code}</code></pre>\n`;
}

function footnoteName(token: Token): string {
  const meta = token.meta as { id: number; label?: string };
  return meta.label ?? String(meta.id + 1);
}

// kramdown separates backlinks with ENTITY_NBSP, written as a character under `entity_output: as_char`.
const NBSP = '\u00A0';

function installRenderRules(md: MarkdownIt, options: KramdownOptions): void {
  const rules: Renderer['rules'] = md.renderer.rules;
  // kramdown escapes footnote_backlink as text, leaving entity references alone (ESCAPE_TEXT_RE).
  const backlink = (options.footnoteBacklink ?? '&#8617;').replace(/&(?!#\d+;|#x[\da-fA-F]+;|\w+;)/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
  const firstNumber = options.footnoteNr ?? 1;
  const rouge = options.rouge ?? true;
  rules.code_inline = (tokens, idx) => {
    const t = tokens[idx];
    if (t === undefined) return '';
    if (!rouge) return `<code${attrsHtml(t)}>${escapeHtml(t.content)}</code>`;
    // An IAL `{:.language-ruby}` names the language instead of Jekyll's default_lang.
    const lang = /(?:^|\s)language-\S/.test(String(t.attrGet('class') ?? '')) ? '' : 'language-plaintext';
    return `<code class="${classAttr(t, lang, 'highlighter-rouge')}"${otherAttrs(t)}>${escapeHtml(t.content)}</code>`;
  };
  rules.fence = (tokens, idx) => {
    const t = tokens[idx];
    if (t === undefined) return '';
    // kramdown-parser-gfm FENCED_CODEBLOCK_MATCH: the language is the info string's first word, `?…` dropped.
    const lang = /^(\S+?)(?:\?\S*)?(?:\s|$)/.exec(t.info.trim())?.[1];
    return rouge ? codeBlockHtml(t, lang ?? 'plaintext') : plainCodeBlockHtml(t, lang);
  };
  rules.code_block = (tokens, idx) => {
    const t = tokens[idx];
    if (t === undefined) return '';
    return rouge ? codeBlockHtml(t, 'plaintext') : plainCodeBlockHtml(t, undefined);
  };
  rules.footnote_ref = (tokens, idx) => {
    const t = tokens[idx];
    if (t === undefined) return '';
    const meta = t.meta as { id: number; subId: number };
    const name = footnoteName(t);
    const refId = meta.subId > 0 ? `fnref:${name}:${meta.subId}` : `fnref:${name}`;
    return `<sup id="${escapeHtml(refId)}" role="doc-noteref"><a href="#fn:${escapeHtml(name)}" class="footnote" rel="footnote">${meta.id + firstNumber}</a></sup>`;
  };
  rules.footnote_block_open = () => `<div class="footnotes" role="doc-endnotes">\n<ol${firstNumber === 1 ? '' : ` start="${firstNumber}"`}>\n`;
  rules.footnote_block_close = () => '</ol>\n</div>\n';
  rules.footnote_open = (tokens, idx) => {
    const t = tokens[idx];
    return t === undefined ? '' : `<li id="fn:${escapeHtml(footnoteName(t))}" role="doc-endnote">\n`;
  };
  rules.footnote_close = () => '</li>\n';
  rules.footnote_anchor = (tokens, idx) => {
    const t = tokens[idx];
    if (t === undefined || backlink === '') return '';
    const meta = t.meta as { subId: number };
    const name = escapeHtml(footnoteName(t));
    // The backlinks join the last paragraph; after any other block they get a paragraph of their own.
    const inParagraph = !isOwnParagraph(tokens, idx);
    const open = meta.subId === 0 && !inParagraph ? '<p>' : '';
    const next = tokens[idx + 1];
    const close = next?.type !== 'footnote_anchor' && !inParagraph ? '</p>\n' : '';
    const link = meta.subId === 0
      ? `${inParagraph ? NBSP : ''}<a href="#fnref:${name}" class="reversefootnote" role="doc-backlink">${backlink}</a>`
      : `${NBSP}<a href="#fnref:${name}:${meta.subId}" class="reversefootnote" role="doc-backlink">${backlink}<sup>${meta.subId + 1}</sup></a>`;
    return open + link + close;
  };
}

/** True when the footnote anchors at `idx` start after a non-paragraph block. */
function isOwnParagraph(tokens: readonly Token[], idx: number): boolean {
  let k = idx;
  while (tokens[k - 1]?.type === 'footnote_anchor') k--;
  return tokens[k - 1]?.type !== 'inline';
}

/**
 * markdown-it 15's build turns every class field into one helper call (`_defineProperty`, which runs
 * `toPropertyKey` on each name): 13 fields a token, some hundreds of tokens a post, and 0.9 s of the render
 * worker's 13 s in a full-archive build of 20,000 posts. Here tokens are made by a constructor that assigns
 * the same fields in the same order (what the helper does on a new object) on the same prototype, everywhere
 * markdown-it and the plugins make them: rules through `new state.Token(…)`, and the states' own `push` and
 * (inline) `pushPending`, which name the module's `Token` class itself and are therefore made again here,
 * line for line. The inline state, made for every paragraph, heading and table cell, is likewise built by plain
 * assignment. test/render/plain-tokens.test.ts compares every token and a fresh state, key by key and in
 * order, with markdown-it's own, so a markdown-it that changes them fails there first.
 */
export function usePlainTokens(md: MarkdownIt): void {
  const Base = new md.core.State('', md, {}).Token;
  function PlainToken(this: Token, type: string, tag: string, nesting: Token['nesting']): void {
    this.map = null;
    this.level = 0;
    this.children = null;
    this.content = '';
    this.markup = '';
    this.info = '';
    this.block = false;
    this.hidden = false;
    this.type = type;
    this.tag = tag;
    this.attrs = null;
    this.nesting = nesting;
    this.meta = null;
  }
  PlainToken.prototype = Base.prototype;
  // A function with Token's prototype, called with `new`: what `typeof Token` describes, which TypeScript
  // cannot see in a function declaration.
  const Plain = PlainToken as unknown as typeof Base;
  // TypeScript's mixin pattern: a class that extends a type parameter needs a constructor of `any[]` arguments.
  const withPlainTokens = <S extends new (...args: any[]) => { Token: typeof Base }>(State: S): S =>
    class extends State {
      constructor(...args: any[]) {
        super(...args);
        this.Token = Plain;
      }
    };
  md.core.State = withPlainTokens(md.core.State);

  const BlockState = withPlainTokens(md.block.State);
  // markdown-it's StateBlock#push, with `Plain` for `Token`.
  BlockState.prototype.push = function push(this: StateBlock, type: string, tag: string, nesting: Token['nesting']): Token {
    const token = new Plain(type, tag, nesting);
    token.block = true;
    if (nesting < 0) this.level--;
    token.level = this.level;
    if (nesting > 0) this.level++;
    this.tokens.push(token);
    return token;
  };
  md.block.State = BlockState;

  const InlineBase = md.inline.State;
  // markdown-it's StateInline constructor: its fields in their order, then the arguments'.
  function PlainInlineState(this: StateInline, src: string, parser: MarkdownIt, env: StateInline['env'], outTokens: Token[]): void {
    this.pos = 0;
    this.level = 0;
    this.pending = '';
    this.pendingLevel = 0;
    this.cache = {};
    this.backticks = {};
    this.backticksScanned = false;
    this.skipHtmlSpecial = false;
    this.linkLevel = 0;
    this.delimiters = [];
    this._prev_delimiters = [];
    this.Token = Plain;
    this.src = src;
    this.env = env;
    this.md = parser;
    this.tokens = outTokens;
    this.tokens_meta = Array<StateTokenMeta | undefined>(outTokens.length);
    this.posMax = this.src.length;
  }
  PlainInlineState.prototype = Object.create(InlineBase.prototype) as StateInline;
  // markdown-it's StateInline#pushPending and #push, with `Plain` for `Token`.
  PlainInlineState.prototype.pushPending = function pushPending(this: StateInline): Token {
    const token = new Plain('text', '', 0);
    token.content = this.pending;
    token.level = this.pendingLevel;
    this.tokens.push(token);
    this.pending = '';
    return token;
  };
  PlainInlineState.prototype.push = function push(this: StateInline, type: string, tag: string, nesting: Token['nesting']): Token {
    if (this.pending) this.pushPending();
    const token = new Plain(type, tag, nesting);
    let tokenMeta: StateTokenMeta | undefined;
    if (nesting < 0) {
      this.level--;
      // (An unbalanced close, which no rule pushes, gets an empty list here where markdown-it's gets `undefined`.)
      this.delimiters = this._prev_delimiters.pop() ?? [];
    }
    token.level = this.level;
    if (nesting > 0) {
      this.level++;
      this._prev_delimiters.push(this.delimiters);
      this.delimiters = [];
      tokenMeta = { delimiters: this.delimiters };
    }
    this.pendingLevel = this.level;
    this.tokens.push(token);
    this.tokens_meta.push(tokenMeta);
    return token;
  };
  // As with `Plain`: a function with StateInline's prototype chain, called with `new`.
  md.inline.State = PlainInlineState as unknown as typeof InlineBase;
}

/** The inline state's per-token metadata (markdown-it does not export the type). */
type StateTokenMeta = StateInline['tokens_meta'][number];

/** Builds a markdown-it instance configured as kramdown with these options. */
export function createMarkdown(options: KramdownOptions = {}): MarkdownRenderer {
  const settings: TypographySettings = {
    quotes: parseSmartQuotes(options.smartQuotes),
    symbols: options.typographicSymbols === undefined ? DEFAULT_TYPOGRAPHIC_SYMBOLS : { ...DEFAULT_TYPOGRAPHIC_SYMBOLS, ...options.typographicSymbols },
  };
  const md = new MarkdownItParser({ html: true, linkify: false, typographer: false, xhtmlOut: true, breaks: options.hardWrap ?? false });
  usePlainTokens(md);
  md.use(markdownItFootnote).use(markdownItDeflist).use(markdownItAbbr).use(markdownItAttrs, { leftDelimiter: '{:', rightDelimiter: '}' });
  md.inline.ruler.before('html_inline', 'kramdown_guillemets', guillemetRule);
  md.inline.ruler.before('backticks', 'kramdown_literal_backtick', literalBacktickRule);
  md.inline.ruler.before('escape', 'kramdown_math', inlineMathRule);
  md.inline.ruler.before('escape', 'kramdown_escape', kramdownEscapeRule);
  adjustParagraphInterruptions(md);
  // kramdown writes link targets as given; it never percent-encodes them.
  md.normalizeLink = (url: string): string => url;
  // Core rule order matters. Block-level rewrites run before `inline` parses the text; span HTML and
  // typography run after markdown-it-attrs (`curly_attributes`, before linkify) has taken the `{: …}` text
  // out and before markdown-it-abbr (`abbr_replace`, after linkify) splits text, as kramdown applies
  // abbreviations last; the rest needs the final tokens (after `text_join`).
  md.core.ruler.after('block', 'kramdown_header_id', headerIdRule);
  md.core.ruler.after('kramdown_header_id', 'kramdown_setext', setextRule);
  md.core.ruler.after('kramdown_setext', 'kramdown_deflist_terms', multiTermDeflistRule);
  md.core.ruler.after('kramdown_header_id', 'kramdown_block_math', blockMathRule);
  md.core.ruler.before('linkify', 'kramdown_span_html', spanHtmlRule);
  md.core.ruler.before('linkify', 'kramdown_typography', typographyRule(settings));
  md.core.ruler.push('kramdown_inline_shape', inlineShapeRule);
  md.core.ruler.push('kramdown_block_ial', blockIalRule);
  md.core.ruler.push('kramdown_lists', listRule);
  md.core.ruler.push('kramdown_definitions', definitionParagraphRule);
  md.core.ruler.push('kramdown_auto_ids', autoIdRule);
  md.core.ruler.push('kramdown_toc', tocRule(options.tocLevels ?? [1, 2, 3, 4, 5, 6]));
  installRenderRules(md, options);
  // markdown-it-attrs tests every token of every document (~9% of a build's CPU); a document without `{:`
  // has no attribute list for it to find, so its rule is switched off for that render (renders are synchronous).
  let attributesOn = true;
  return {
    render(source: string): string {
      const env: RenderEnv = { autoIds: options.autoIds ?? true, autoIdPrefix: options.autoIdPrefix ?? '', idCounter: new Map(), placeholders: [], placeholderName: '' };
      const prepared = preprocessKramdown(source, env);
      const needed = prepared.includes('{:');
      if (needed !== attributesOn) {
        if (needed) md.core.ruler.enable('curly_attributes');
        else md.core.ruler.disable('curly_attributes');
        attributesOn = needed;
      }
      return restorePlaceholders(md.render(prepared, env), env);
    },
    smartify(text: string): string {
      return smartifyString(text, settings, decodeEntity);
    },
  };
}

const jekyllDefault = createMarkdown();

/** Renders a post body with Jekyll's default kramdown options. The result is untrusted HTML: sanitize it. */
export function renderMarkdown(source: string): string {
  return jekyllDefault.render(source);
}

/** Jekyll's `smartify` filter with default options (jekyll-feed titles: `title | smartify | strip_html`). */
export function smartify(text: string): string {
  return jekyllDefault.smartify(text);
}
