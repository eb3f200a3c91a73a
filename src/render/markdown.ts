/**
 * Markdown → HTML the way Jekyll 4.3 publishes it: kramdown 2.4 with `input: GFM` (kramdown-parser-gfm 1.1)
 * and Jekyll's kramdown defaults (`lib/jekyll/configuration.rb`), built on markdown-it (raw HTML on; the
 * sanitizer runs after) and its plugins for footnotes, definition lists, abbreviations and attribute lists.
 * Code is not tokenized (no Rouge): code blocks get Rouge's wrappers and classes with plain text inside.
 */
import MarkdownItParser, { type Env, type MarkdownIt, type Renderer, type StateBlock, type StateCore, type StateInline, type Token } from 'markdown-it';
import markdownItAbbr from 'markdown-it-abbr';
import markdownItAttrs from 'markdown-it-attrs';
import markdownItDeflist from 'markdown-it-deflist';
import markdownItFootnote from 'markdown-it-footnote';
import {
  DEFAULT_SMART_QUOTES,
  DEFAULT_TYPOGRAPHIC_SYMBOLS,
  smartifyString,
  typographize,
  type SmartQuotes,
  type TypographicSymbols,
  type TypographySettings,
} from './typography.js';

/** The kramdown options feedwright honours, from a site's `kramdown:` config (see `kramdownOptionsFromConfig`). */
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
}

/** A configured renderer. */
export interface MarkdownRenderer {
  /** Renders a post body. The result is untrusted HTML: pass it to the sanitizer, never to a feed. */
  render(source: string): string;
  /** Jekyll's `smartify` filter with these options: typography on a string, HTML kept, `&<>` escaped. */
  smartify(text: string): string;
}

/** Reads a site's `kramdown:` config hash (Jekyll's keys) into options; unknown keys and bad values are ignored. */
export function kramdownOptionsFromConfig(config: unknown): KramdownOptions {
  if (typeof config !== 'object' || config === null) return {};
  const c = config as Record<string, unknown>;
  const out: { -readonly [K in keyof KramdownOptions]: KramdownOptions[K] } = {};
  if (typeof c['smart_quotes'] === 'string') out.smartQuotes = c['smart_quotes'];
  if (Array.isArray(c['smart_quotes'])) out.smartQuotes = c['smart_quotes'].map(String).join(',');
  if (typeof c['auto_ids'] === 'boolean') out.autoIds = c['auto_ids'];
  if (typeof c['auto_id_prefix'] === 'string') out.autoIdPrefix = c['auto_id_prefix'];
  if (Array.isArray(c['toc_levels'])) out.tocLevels = c['toc_levels'].filter((n): n is number => typeof n === 'number');
  if (typeof c['footnote_backlink'] === 'string') out.footnoteBacklink = c['footnote_backlink'];
  if (typeof c['footnote_nr'] === 'number') out.footnoteNr = c['footnote_nr'];
  const symbols = c['typographic_symbols'];
  if (typeof symbols === 'object' && symbols !== null) {
    const picked: Partial<Record<keyof TypographicSymbols, string>> = {};
    for (const [key, value] of Object.entries(symbols)) {
      if (key in DEFAULT_TYPOGRAPHIC_SYMBOLS && typeof value === 'string') picked[key as keyof TypographicSymbols] = value;
    }
    out.typographicSymbols = picked;
  }
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

/** Per-render state (markdown-it's `env`): `{::options}` overrides and the header id counter. */
interface RenderEnv extends Env {
  autoIds: boolean;
  autoIdPrefix: string;
  idCounter: Map<string, number>;
  placeholders: string[];
  footnotes?: unknown;
  abbreviations?: unknown;
}

// ---------------------------------------------------------------------------------------------------------
// Source preprocessing: kramdown extensions ({::comment}, {::nomarkdown}, {::options}), ALDs and
// `markdown="1"` HTML blocks, which markdown-it has no syntax for. Fenced code is left untouched.

const FENCE = /^ {0,3}(`{3,}|~{3,})/;
const ALD = /^ {0,3}\{:([A-Za-z][\w-]*):\s*(.*?)\}\s*$/;
const OPTIONS_EXT = /^ {0,3}\{::options((?:\s+[\w-]+="[^"]*")*)\s*\/\}\s*$/;
const BLOCK_EXT_START = /^ {0,3}\{::(comment|nomarkdown)\}(.*)$/;
const INLINE_EXT = /\{::(comment|nomarkdown)\}([^]*?)\{:\/(?:comment|nomarkdown)?\}/g;
const MARKDOWN_ATTR_OPEN = /^<([A-Za-z][\w-]*)(\b[^>]*?)\s+markdown=(?:"1"|'1'|1)([^>]*)>(.*)$/;

// kramdown parser/html.rb HTML_SPAN_ELEMENTS: a line starting with any other tag starts an HTML block.
const HTML_SPAN_ELEMENTS = new Set(
  'a abbr acronym b big bdo br button cite code del dfn em i img input ins kbd label mark option q rb rbc rp rt rtc ruby samp select small span strong sub sup tt u var'.split(' '),
);
// kramdown parser/html.rb HTML_BLOCK_ELEMENTS: written as text when met inside a paragraph.
const HTML_BLOCK_ELEMENTS = new Set(
  'address article aside applet body blockquote caption col colgroup dd div dl dt fieldset figcaption footer form h1 h2 h3 h4 h5 h6 header hgroup hr html head iframe legend menu li main map nav ol optgroup p pre section summary table tbody td th thead tfoot tr ul'.split(' '),
);
const VOID_ELEMENTS = new Set('area base br col embed hr img input link meta param source track wbr'.split(' '));
const HTML_BLOCK_START = /^ {0,3}<(?:([A-Za-z][\w-]*)|!--)/;

/** An HTML block being read: the element that opened it and how deep inside it the source is. */
interface HtmlBlock {
  readonly tag: string;
  readonly depth: number;
  readonly lines: readonly string[];
}

/**
 * kramdown ends an HTML block where its element closes, and the next line is Markdown again; markdown-it
 * (CommonMark) runs it on to the next blank line. Counting the element's open and close tags finds the end.
 */
function trackHtmlBlock(block: HtmlBlock, line: string): HtmlBlock {
  const lines = [...block.lines, line];
  if (block.tag === '!--') return { tag: block.tag, depth: line.includes('-->') ? 0 : 1, lines };
  if (VOID_ELEMENTS.has(block.tag)) return { tag: block.tag, depth: 0, lines };
  const opens = line.match(new RegExp(`<${block.tag}(?=[\\s>/])[^>]*?(?<!/)>`, 'gi'))?.length ?? 0;
  const closes = line.match(new RegExp(`</${block.tag}\\s*>`, 'gi'))?.length ?? 0;
  return { tag: block.tag, depth: block.depth + opens - closes, lines };
}

function placeholder(env: RenderEnv, html: string): string {
  env.placeholders.push(html);
  return `<!--kramdown-placeholder:${env.placeholders.length - 1}-->`;
}

function extensionHtml(kind: string, body: string): string {
  // kramdown's HTML converter writes a comment extension as an HTML comment; nomarkdown passes through.
  return kind === 'comment' ? `<!-- ${body.trim()} -->` : body;
}

function preprocess(source: string, env: RenderEnv): string {
  const lines = source.replace(/\r\n?/g, '\n').split('\n');
  const alds = new Map<string, string>();
  const out: string[] = [];
  let fence: string | undefined;
  const closers: string[] = [];
  let html: HtmlBlock | undefined;
  const flushHtmlBlock = (block: HtmlBlock, next: string | undefined): undefined => {
    // markdown-it ends an HTML block at a blank line; kramdown at the element's end tag. A block with blank
    // lines inside (Jekyll's `{% highlight %}` output, galleries) therefore passes through whole.
    if (block.lines.some((l) => l.trim() === '')) out.push(placeholder(env, `${block.lines.join('\n')}\n`));
    else out.push(...block.lines);
    if (next !== undefined && next.trim() !== '') out.push('');
    return undefined;
  };
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] ?? '';
    if (html !== undefined) {
      html = trackHtmlBlock(html, line);
      if (html.depth <= 0) html = flushHtmlBlock(html, lines[i + 1]);
      continue;
    }
    const fenceMatch = FENCE.exec(line);
    if (fence !== undefined) {
      out.push(line);
      if (fenceMatch?.[1] !== undefined && fenceMatch[1][0] === fence[0] && fenceMatch[1].length >= fence.length && line.trim() === fenceMatch[1]) fence = undefined;
      continue;
    }
    if (fenceMatch?.[1] !== undefined) {
      fence = fenceMatch[1];
      out.push(line);
      continue;
    }
    const ald = ALD.exec(line);
    if (ald?.[1] !== undefined) {
      alds.set(ald[1], ald[2] ?? '');
      out.push('');
      continue;
    }
    const options = OPTIONS_EXT.exec(line);
    if (options !== null) {
      for (const m of (options[1] ?? '').matchAll(/([\w-]+)="([^"]*)"/g)) {
        if (m[1] === 'auto_ids') env.autoIds = m[2] === 'true';
        if (m[1] === 'auto_id_prefix') env.autoIdPrefix = m[2] ?? '';
      }
      out.push('');
      continue;
    }
    const ext = BLOCK_EXT_START.exec(line);
    if (ext?.[1] !== undefined && !/\{:\/(?:comment|nomarkdown)?\}/.test(ext[2] ?? '')) {
      const body: string[] = [ext[2] ?? ''];
      let j = i + 1;
      let closed = false;
      for (; j < lines.length; j++) {
        const l = lines[j] ?? '';
        const end = /\{:\/(?:comment|nomarkdown)?\}\s*$/.exec(l);
        if (end !== null) {
          body.push(l.slice(0, end.index));
          closed = true;
          break;
        }
        body.push(l);
      }
      if (closed) {
        out.push('', placeholder(env, extensionHtml(ext[1], body.join('\n').replace(/^\n+|\n+$/g, '') + (ext[1] === 'nomarkdown' ? '\n' : ''))), '');
        i = j;
        continue;
      }
    }
    const open = MARKDOWN_ATTR_OPEN.exec(line);
    if (open?.[1] !== undefined) {
      // kramdown parses the content of an HTML block with markdown="1" as Markdown blocks.
      out.push(`<${open[1]}${open[2] ?? ''}${open[3] ?? ''}>`, '', open[4] ?? '');
      closers.push(open[1]);
      continue;
    }
    const startsHtml = (out[out.length - 1] ?? '').trim() === '' ? HTML_BLOCK_START.exec(line) : null;
    const tag = startsHtml?.[1]?.toLowerCase();
    if (startsHtml !== null && (tag === undefined || !HTML_SPAN_ELEMENTS.has(tag))) {
      html = trackHtmlBlock({ tag: tag ?? '!--', depth: 0, lines: [] }, line);
      if (html.depth <= 0) html = flushHtmlBlock(html, lines[i + 1]);
      continue;
    }
    const closer = closers[closers.length - 1];
    if (closer !== undefined && new RegExp(`^\\s*</${closer}>\\s*$`, 'i').test(line)) {
      closers.pop();
      out.push('', line.trim(), '');
      continue;
    }
    // kramdown has no `1)` ordered lists, and one list continues across `*`, `+` and `-` markers
    // (parser/kramdown/list.rb LIST_START_UL = /^(#{OPT_SPACE}[+*-])([\t| ].*?\n)/).
    if (/^ {0,3}\d+\)[ \t]/.test(line)) {
      out.push(line.replace(/\)/, '\\)'));
      continue;
    }
    if (/^ {0,3}[+-][ \t]+\S/.test(line) && !/^ {0,3}([-*_])([ \t]*\1){2,}[ \t]*$/.test(line)) {
      out.push(line.replace(/^( {0,3})[+-]/, '$1*'));
      continue;
    }
    let text = line.replace(INLINE_EXT, (_all, kind: string, body: string) => placeholder(env, extensionHtml(kind, body)));
    if (alds.size > 0) {
      // An IAL may reference ALDs by name: `{: warn #id}` → `{: .alert .alert-warning #id}`.
      text = text.replace(/\{:(?!:)([^}]*)\}/g, (_all, body: string) =>
        `{:${body.replace(/(^|\s)([A-Za-z][\w-]*)(?=\s|$)/g, (word, lead: string, name: string) => {
          const def = alds.get(name);
          return def === undefined ? word : `${lead}${def}`;
        })}}`,
      );
    }
    out.push(text);
  }
  if (html !== undefined) flushHtmlBlock(html, undefined);
  return out.join('\n');
}

// ---------------------------------------------------------------------------------------------------------
// Core rules.

const HEADER_ID = /[\t ]\{#([A-Za-z][\w:-]*)\}$/;

/** kramdown's header id syntax `## Title {#id}` (`HEADER_ID` in parser/kramdown/header.rb). */
function headerIdRule(state: StateCore): void {
  const tokens = state.tokens;
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i];
    const inline = tokens[i + 1];
    if (token?.type !== 'heading_open' || inline?.type !== 'inline') continue;
    const m = HEADER_ID.exec(inline.content);
    if (m?.[1] === undefined) continue;
    token.attrSet('id', m[1]);
    inline.content = inline.content.slice(0, m.index).trimEnd();
  }
}

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

function typographyRule(settings: TypographySettings) {
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
        t.content = typographize(t.content, followingSource(children, k), settings);
      }
    }
  };
}

/**
 * Inline fixes: `***a***` nests as kramdown does (`<strong><em>`), `~~a~~` is `<del>` (kramdown-parser-gfm
 * `parse_strikethrough_gfm`), table alignment is `style="text-align: left"` (converter/html.rb).
 */
function inlineShapeRule(state: StateCore): void {
  for (const block of state.tokens) {
    if ((block.type === 'th_open' || block.type === 'td_open') && block.attrGet('style') !== null) {
      block.attrSet('style', String(block.attrGet('style') ?? '').replace(/^text-align:/, 'text-align: '));
    }
    if (block.type !== 'inline' || block.children === null) continue;
    // Emphasis parsing leaves empty text tokens between delimiters; they would hide adjacency.
    const children = block.children.filter((t) => t.type !== 'text' || t.content !== '');
    block.children = children;
    for (let k = 0; k < children.length; k++) {
      const t = children[k];
      if (t === undefined) continue;
      if (t.type === 's_open' || t.type === 's_close') t.tag = 'del';
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
function spanHtmlRule(state: StateCore): void {
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
function literalBacktickRule(state: StateInline, silent: boolean): boolean {
  const src = state.src;
  const pos = state.pos;
  if (src.charCodeAt(pos) !== 0x60 || src.charCodeAt(pos + 1) === 0x60) return false;
  if (pos === 0 || !/\s/.test(src[pos - 1] ?? '') || !/\s/.test(src[pos + 1] ?? '')) return false;
  if (!silent) state.pending += '`';
  state.pos += 1;
  return true;
}

/** kramdown's typographic `<<` wins over span HTML (`<<b>>` is «b»): take `<<` as text before html_inline runs. */
function guillemetRule(state: StateInline, silent: boolean): boolean {
  if (state.src.charCodeAt(state.pos) !== 0x3c || state.src.charCodeAt(state.pos + 1) !== 0x3c) return false;
  if (!silent) state.pending += '<<';
  state.pos += 2;
  return true;
}

/**
 * kramdown setext headers are one line (parser/kramdown/header.rb SETEXT_HEADER_START): under a longer
 * paragraph the underline is paragraph text (`---` then reads as an em dash).
 */
function setextRule(state: StateCore): void {
  const tokens = state.tokens;
  const lines = state.src.split('\n');
  for (let i = 0; i < tokens.length; i++) {
    const open = tokens[i];
    const inline = tokens[i + 1];
    const close = tokens[i + 2];
    if (open?.type !== 'heading_open' || (open.markup !== '=' && open.markup !== '-') || inline === undefined || close === undefined) continue;
    if (!inline.content.includes('\n') || open.map === null) continue;
    inline.content += `\n${(lines[open.map[1] - 1] ?? '').trim()}`;
    for (const [t, type] of [[open, 'paragraph_open'], [close, 'paragraph_close']] as const) {
      t.type = type;
      t.tag = 'p';
      t.markup = '';
      t.attrs = null;
    }
  }
}

/**
 * kramdown definition lists allow several term lines before the `: definition` lines (parser/kramdown/
 * paragraph.rb: DEFINITION_LIST_START ends the paragraph whose lines become the terms); markdown-it-deflist
 * takes one. Such a paragraph becomes `<dl>` here, joined to a list right before it as kramdown joins them.
 */
function multiTermDeflistRule(state: StateCore): void {
  const tokens = state.tokens;
  for (let i = 0; i < tokens.length; i++) {
    const open = tokens[i];
    const inline = tokens[i + 1];
    if (open?.type !== 'paragraph_open' || inline?.type !== 'inline' || tokens[i + 2]?.type !== 'paragraph_close') continue;
    const lines = inline.content.split('\n');
    const firstDef = lines.findIndex((l) => /^:[ \t]/.test(l));
    if (firstDef < 1 || !lines.slice(firstDef).every((l) => /^:[ \t]/.test(l))) continue;
    const level = open.level;
    const made: Token[] = [];
    const push = (type: string, tag: string, nesting: -1 | 0 | 1, lvl: number, content = ''): void => {
      const t = new state.Token(type, tag, nesting);
      t.block = true;
      t.level = lvl;
      t.map = open.map;
      if (type === 'inline') {
        t.content = content;
        t.children = [];
      }
      made.push(t);
    };
    const joined = tokens[i - 1]?.type === 'dl_close' && tokens[i - 1]?.level === level;
    if (!joined) push('dl_open', 'dl', 1, level);
    for (const term of lines.slice(0, firstDef)) {
      push('dt_open', 'dt', 1, level + 1);
      push('inline', '', 0, level + 2, term.trim());
      push('dt_close', 'dt', -1, level + 1);
    }
    for (const def of lines.slice(firstDef)) {
      push('dd_open', 'dd', 1, level + 1);
      push('inline', '', 0, level + 2, def.slice(1).trim());
      push('dd_close', 'dd', -1, level + 1);
    }
    push('dl_close', 'dl', -1, level);
    if (joined) tokens.splice(i - 1, 4, ...made);
    else tokens.splice(i, 3, ...made);
  }
}

type BlockRule = (state: StateBlock, startLine: number, endLine: number, silent: boolean) => boolean;

/**
 * What may interrupt a paragraph differs (kramdown-parser-gfm PARAGRAPH_END_GFM): lists of any number do,
 * block-level HTML tags do but comments and span tags do not, tables never do, and a horizontal rule only
 * when it also reads as a list start (`* * *`).
 */
function adjustParagraphInterruptions(md: MarkdownIt): void {
  const wrap = (name: string, alt: string[] | undefined, wrapper: (original: BlockRule) => BlockRule): void => {
    // markdown-it has no public way to change which rules a rule may interrupt (`alt`) while keeping its
    // function, so the registered rule is read from the ruler (`__rules__`, typed but marked internal).
    const rule = md.block.ruler.__rules__.find((r) => r.name === name);
    if (rule === undefined) return;
    md.block.ruler.at(name, wrapper(rule.fn as BlockRule), { alt: alt ?? rule.alt });
  };
  const lineAt = (state: StateBlock, line: number): string => state.src.slice(state.bMarks[line] ?? 0, state.eMarks[line] ?? 0);
  const interrupting = (state: StateBlock, silent: boolean): boolean => silent && state.parentType === 'paragraph';
  wrap('table', ['reference'], (original) => original);
  wrap('hr', undefined, (original) => (state, start, end, silent) =>
    interrupting(state, silent) && !/^ {0,3}[*+-][ \t]/.test(lineAt(state, start)) ? false : original(state, start, end, silent));
  wrap('html_block', undefined, (original) => (state, start, end, silent) => {
    const line = lineAt(state, start);
    const tag = /^[ \t]*<\/?([A-Za-z][\w-]*)/.exec(line)?.[1]?.toLowerCase();
    // A span element never starts an HTML block in kramdown: `<img …>` alone on a line is a paragraph.
    if (tag !== undefined && HTML_SPAN_ELEMENTS.has(tag)) return false;
    if (!interrupting(state, silent)) return original(state, start, end, silent);
    // LAZY_END_HTML_START/STOP: only a non-span, non-script tag ends a paragraph (not a comment).
    return tag !== undefined && tag !== 'script' && original(state, start, end, silent);
  });
  wrap('list', undefined, (original) => (state, start, end, silent) => {
    if (!interrupting(state, silent)) return original(state, start, end, silent);
    // markdown-it lets only a list starting at 1 interrupt a paragraph; kramdown's LIST_START has no such rule.
    const parentType = state.parentType;
    state.parentType = 'kramdown_paragraph' as typeof state.parentType;
    try {
      return original(state, start, end, silent);
    } finally {
      state.parentType = parentType;
    }
  });
}

/** kramdown math (`math_engine: mathjax`): inline `$$…$$` becomes `\(…\)` (converter/html.rb `convert_math`). */
function inlineMathRule(state: StateInline, silent: boolean): boolean {
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

/** A paragraph that is only `$$…$$` is block math, written `\[…\]` without a paragraph. */
function blockMathRule(state: StateCore): void {
  const tokens = state.tokens;
  for (let i = 0; i < tokens.length; i++) {
    const inline = tokens[i + 1];
    if (tokens[i]?.type !== 'paragraph_open' || inline?.type !== 'inline' || tokens[i + 2]?.type !== 'paragraph_close') continue;
    const m = /^\$\$([^]*?)\$\$$/.exec(inline.content.trim());
    if (m === null || (m[1] ?? '').includes('$$')) continue;
    const block = new state.Token('html_block', '', 0);
    block.content = `\\[${escapeHtml((m[1] ?? '').trim())}\\]\n`;
    tokens.splice(i, 3, block);
  }
}

/** A standalone block IAL line (`{: .x}`) after a block applies to that block (kramdown `block_ial`). */
function blockIalRule(state: StateCore): void {
  const tokens = state.tokens;
  for (let i = 0; i < tokens.length; i++) {
    const open = tokens[i];
    const inline = tokens[i + 1];
    const close = tokens[i + 2];
    if (open?.type !== 'paragraph_open' || inline?.type !== 'inline' || close?.type !== 'paragraph_close') continue;
    const before = /^\{:(?!:)([^}\n]*)\}\n/.exec(inline.content);
    if (before !== null && inline.children !== null) {
      // An IAL line directly before a block's first line applies to that block.
      const br = inline.children.findIndex((t) => t.type === 'softbreak');
      if (br >= 0) {
        inline.children.splice(0, br + 1);
        inline.content = inline.content.slice(before[0].length);
        applyIal(open, before[1] ?? '');
      }
    }
    const m = /^\{:(?!:)([^}]*)\}$/.exec(inline.content.trim());
    if (m === null) continue;
    // The previous block at the same level: walk back over its tokens to its opening token.
    let target: Token | undefined;
    const prev = tokens[i - 1];
    if (prev !== undefined && prev.nesting === -1 && prev.level === open.level) {
      let depth = 0;
      for (let k = i - 1; k >= 0; k--) {
        const t = tokens[k];
        if (t === undefined) break;
        depth += t.nesting;
        if (depth === 0) {
          target = t;
          break;
        }
      }
    } else if (prev !== undefined && prev.nesting === 0 && prev.block && prev.level === open.level) {
      target = prev;
    }
    if (target === undefined) continue;
    applyIal(target, m[1] ?? '');
    tokens.splice(i, 3);
    i -= 1;
  }
}

function applyIal(token: Token, body: string): void {
  for (const m of body.matchAll(/([.#])([\w:-]+)|([\w:-]+)=(?:"([^"]*)"|'([^']*)'|(\S*))/g)) {
    if (m[1] === '.') token.attrJoin('class', m[2] ?? '');
    else if (m[1] === '#') token.attrSet('id', m[2] ?? '');
    else if (m[3] !== undefined) token.attrSet(m[3], m[4] ?? m[5] ?? m[6] ?? '');
  }
}

/**
 * kramdown's list item paragraphs (parser/kramdown/list.rb): an item's first paragraph is bare ("transparent")
 * unless a blank line follows it inside the item; the last item is bare only if an earlier one is. Ordered
 * lists never carry `start`. GFM task list items get kramdown-parser-gfm's classes and checkbox.
 */
function listRule(state: StateCore): void {
  const tokens = state.tokens;
  const lines = state.src.split('\n');
  const isBlank = (line: number): boolean => (lines[line] ?? '').trim() === '';
  for (let i = 0; i < tokens.length; i++) {
    const list = tokens[i];
    if (list?.type !== 'bullet_list_open' && list?.type !== 'ordered_list_open') continue;
    list.attrs = (list.attrs ?? []).filter(([name]) => name !== 'start');
    const items: { open: Token; firstP: Token | undefined; pInline: Token | undefined; pClose: Token | undefined; childCount: number }[] = [];
    let k = i + 1;
    for (; k < tokens.length; k++) {
      const t = tokens[k];
      if (t === undefined || (t.level === list.level && t.nesting === -1)) break;
      if (t.type === 'list_item_open' && t.level === list.level + 1) {
        const firstChild = tokens[k + 1];
        const isP = firstChild?.type === 'paragraph_open';
        let childCount = 0;
        for (let c = k + 1; c < tokens.length; c++) {
          const ct = tokens[c];
          if (ct === undefined || (ct.type === 'list_item_close' && ct.level === t.level)) break;
          if (ct.level === t.level + 1 && ct.nesting !== -1) childCount += 1;
        }
        items.push({ open: t, firstP: isP ? firstChild : undefined, pInline: isP ? tokens[k + 2] : undefined, pClose: isP ? tokens[k + 3] : undefined, childCount });
      }
    }
    const listEnd = list.map?.[1] ?? 0;
    const transparent: boolean[] = [];
    items.forEach((item, n) => {
      const p = item.firstP;
      if (p === undefined || p.map === null || item.open.map === null) {
        transparent.push(false);
        return;
      }
      const isLast = n === items.length - 1;
      const after = p.map[1];
      // A blank line after the paragraph that is still part of the list (trailing blanks end the list).
      const blankAfter = isBlank(after) && after < (isLast ? listEnd : item.open.map[1]) && !(isLast && item.childCount === 1);
      const earlierBare = items.length === 1 || transparent.slice(0, n).some((b, m) => b || items[m]?.firstP === undefined);
      transparent.push(!blankAfter && (!isLast || earlierBare));
    });
    items.forEach((item, n) => {
      const bare = transparent[n] ?? false;
      for (const t of [item.firstP, item.pClose]) if (t !== undefined) t.hidden = bare;
      for (let c = tokens.indexOf(item.open) + 1; c < tokens.length; c++) {
        const ct = tokens[c];
        if (ct === undefined || (ct.type === 'list_item_close' && ct.level === item.open.level)) break;
        if ((ct.type === 'paragraph_open' || ct.type === 'paragraph_close') && ct !== item.firstP && ct !== item.pClose && ct.level === item.open.level + 1) ct.hidden = false;
      }
    });
    // GFM task lists (kramdown-parser-gfm parse_list: `[ ] ` / `[x] ` at the start of an item).
    const tasks = items.filter((item) => item.pInline !== undefined && /^\[[ xX]\][ \t]/.test(item.pInline.content));
    if (list.type === 'bullet_list_open' && tasks.length > 0) {
      list.attrJoin('class', 'task-list');
      for (const item of items) {
        item.open.attrJoin('class', 'task-list-item');
        const first = item.pInline?.children?.[0];
        if (item.pInline === undefined || first?.type !== 'text' || !tasks.includes(item)) continue;
        const checked = /^\[[xX]\]/.test(first.content);
        first.content = first.content.replace(/^\[[ xX]\][ \t]+/, '');
        const box = new state.Token('html_inline', '', 0);
        box.content = `<input type="checkbox" class="task-list-item-checkbox" disabled="disabled"${checked ? ' checked="checked"' : ''} />`;
        item.pInline.children?.unshift(box);
      }
    }
  }
}

/** Header text as kramdown-parser-gfm collects it for ids (`update_raw_text`): text and code, no markup. */
function headerText(inline: Token | undefined): string {
  return (inline?.children ?? [])
    .filter((t) => t.type === 'text' || t.type === 'code_inline')
    .map((t) => t.content)
    .join('');
}

// kramdown-parser-gfm NON_WORD_RE = /[^\p{Word}\- \t]/; Ruby's \p{Word} is letters, marks, numbers and
// connector punctuation.
const NON_WORD = /[^\p{L}\p{M}\p{N}\p{Pc}\- \t]/gu;

/** kramdown-parser-gfm `generate_gfm_header_id`: duplicates count up per base id, without collision checks. */
function autoIdRule(state: StateCore): void {
  const env = state.env as RenderEnv;
  if (!env.autoIds) return;
  const tokens = state.tokens;
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i];
    if (token?.type !== 'heading_open' || token.attrGet('id') !== null) continue;
    const base = headerText(tokens[i + 1]).toLowerCase().replace(NON_WORD, '').replace(/[ \t]/g, '-');
    const count = (env.idCounter.get(base) ?? -1) + 1;
    env.idCounter.set(base, count);
    token.attrSet('id', env.autoIdPrefix + (count > 0 ? `${base}-${count}` : base));
  }
}

function escapeHtml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** `{:toc}` on a list replaces it with kramdown's table of contents (converter/html.rb `generate_toc_tree`). */
function tocRule(tocLevels: readonly number[]) {
  return (state: StateCore): void => {
    const tokens = state.tokens;
    const start = tokens.findIndex((t) => (t.type === 'bullet_list_open' || t.type === 'ordered_list_open') && t.attrGet('toc') !== null);
    const list = tokens[start];
    if (list === undefined) return;
    let end = start + 1;
    while (end < tokens.length && !(tokens[end]?.nesting === -1 && tokens[end]?.level === list.level)) end++;
    const listId = String(list.attrGet('id') ?? 'markdown-toc');
    const entries: { level: number; id: string; html: string }[] = [];
    tokens.forEach((t, n) => {
      const rawId = t.attrGet('id');
      const id = rawId === null ? null : String(rawId);
      const level = Number(t.tag.slice(1));
      if (t.type !== 'heading_open' || id === null || !tocLevels.includes(level)) return;
      if (String(t.attrGet('class') ?? '').split(/\s+/).includes('no_toc')) return;
      // fix_for_toc_entry: footnotes dropped, links reduced to their text.
      const children = (tokens[n + 1]?.children ?? []).filter((c) => c.type !== 'footnote_ref' && c.type !== 'link_open' && c.type !== 'link_close');
      entries.push({ level, id, html: state.md.renderer.renderInline(children, state.md.options, state.env) });
    });
    interface Item { level: number; html: string; children: Item[] }
    const root: Item[] = [];
    const stack: Item[] = [];
    for (const e of entries) {
      const item: Item = { level: e.level, html: `<a href="#${escapeHtml(e.id)}" id="${escapeHtml(`${listId}-${e.id}`)}">${e.html}</a>`, children: [] };
      while (stack.length > 0 && (stack[stack.length - 1]?.level ?? 0) >= e.level) stack.pop();
      const parent = stack[stack.length - 1];
      (parent === undefined ? root : parent.children).push(item);
      stack.push(item);
    }
    const tag = list.tag;
    const renderItems = (items: readonly Item[]): string =>
      items.map((item) => `<li>${item.html}${item.children.length > 0 ? `<${tag}>\n${renderItems(item.children)}</${tag}>\n` : ''}</li>\n`).join('');
    const attrs = (list.attrs ?? []).filter(([name]) => name !== 'toc' && name !== 'id');
    const html = `<${tag} id="${escapeHtml(listId)}"${attrs.map(([n, v]) => ` ${n}="${escapeHtml(String(v))}"`).join('')}>\n${renderItems(root)}</${tag}>\n`;
    const block = new state.Token('html_block', '', 0);
    block.content = html;
    tokens.splice(start, end - start + 1, block);
  };
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
  rules.code_inline = (tokens, idx) => {
    const t = tokens[idx];
    if (t === undefined) return '';
    // An IAL `{:.language-ruby}` names the language instead of Jekyll's default_lang.
    const lang = /(?:^|\s)language-\S/.test(String(t.attrGet('class') ?? '')) ? '' : 'language-plaintext';
    return `<code class="${classAttr(t, lang, 'highlighter-rouge')}"${otherAttrs(t)}>${escapeHtml(t.content)}</code>`;
  };
  rules.fence = (tokens, idx) => {
    const t = tokens[idx];
    if (t === undefined) return '';
    // kramdown-parser-gfm FENCED_CODEBLOCK_MATCH: the language is the info string's first word, `?…` dropped.
    const lang = /^(\S+?)(?:\?\S*)?(?:\s|$)/.exec(t.info.trim())?.[1] ?? 'plaintext';
    return codeBlockHtml(t, lang);
  };
  rules.code_block = (tokens, idx) => {
    const t = tokens[idx];
    return t === undefined ? '' : codeBlockHtml(t, 'plaintext');
  };
  rules.footnote_ref = (tokens, idx) => {
    const t = tokens[idx];
    if (t === undefined) return '';
    const meta = t.meta as { id: number; subId: number };
    const name = footnoteName(t);
    const refId = meta.subId > 0 ? `fnref:${name}:${meta.subId}` : `fnref:${name}`;
    return `<sup id="${escapeHtml(refId)}" role="doc-noteref"><a href="#fn:${escapeHtml(name)}" class="footnote" rel="footnote">${meta.id + firstNumber}</a></sup>`;
  };
  rules.footnote_block_open = () => '<div class="footnotes" role="doc-endnotes">\n<ol>\n';
  rules.footnote_block_close = () => '</ol>\n</div>\n';
  rules.footnote_open = (tokens, idx) => {
    const t = tokens[idx];
    return t === undefined ? '' : `<li id="fn:${escapeHtml(footnoteName(t))}" role="doc-endnote">\n`;
  };
  rules.footnote_close = () => '</li>\n';
  rules.footnote_anchor = (tokens, idx) => {
    const t = tokens[idx];
    if (t === undefined) return '';
    const meta = t.meta as { subId: number };
    const name = escapeHtml(footnoteName(t));
    // The backlinks join the last paragraph; after any other block they get a paragraph of their own.
    const prev = tokens[idx - 1];
    const inParagraph = prev?.type === 'inline' || prev?.type === 'footnote_anchor' ? !isOwnParagraph(tokens, idx) : false;
    const open = meta.subId === 0 && !inParagraph ? '<p>' : '';
    const next = tokens[idx + 1];
    const close = next?.type !== 'footnote_anchor' && !inParagraph ? '</p>\n' : '';
    const link = meta.subId === 0
      ? `${inParagraph ? NBSP : ''}<a href="#fnref:${name}" class="reversefootnote" role="doc-backlink">${backlink}</a>`
      : `${NBSP}<a href="#fnref:${name}:${meta.subId}" class="reversefootnote" role="doc-backlink">${backlink}<sup>${meta.subId + 1}</sup></a>`;
    if (backlink === '') return '';
    return open + link + close;
  };
}

/** True when the footnote anchors at `idx` start after a non-paragraph block. */
function isOwnParagraph(tokens: readonly Token[], idx: number): boolean {
  let k = idx;
  while (tokens[k - 1]?.type === 'footnote_anchor') k--;
  return tokens[k - 1]?.type !== 'inline';
}

/** Builds a markdown-it instance configured as kramdown with these options. */
export function createMarkdown(options: KramdownOptions = {}): MarkdownRenderer {
  const settings: TypographySettings = {
    quotes: parseSmartQuotes(options.smartQuotes),
    symbols: { ...DEFAULT_TYPOGRAPHIC_SYMBOLS, ...options.typographicSymbols },
  };
  const md = new MarkdownItParser({ html: true, linkify: false, typographer: false, xhtmlOut: true });
  md.use(markdownItFootnote).use(markdownItDeflist).use(markdownItAbbr).use(markdownItAttrs, { leftDelimiter: '{:', rightDelimiter: '}' });
  md.inline.ruler.before('html_inline', 'kramdown_guillemets', guillemetRule);
  md.inline.ruler.before('backticks', 'kramdown_literal_backtick', literalBacktickRule);
  md.inline.ruler.before('escape', 'kramdown_math', inlineMathRule);
  adjustParagraphInterruptions(md);
  // kramdown writes link targets as given; it never percent-encodes them.
  md.normalizeLink = (url: string): string => url;
  md.core.ruler.after('block', 'kramdown_header_id', headerIdRule);
  md.core.ruler.after('kramdown_header_id', 'kramdown_setext', setextRule);
  md.core.ruler.after('kramdown_setext', 'kramdown_deflist_terms', multiTermDeflistRule);
  md.core.ruler.after('kramdown_header_id', 'kramdown_block_math', blockMathRule);
  md.core.ruler.before('linkify', 'kramdown_span_html', spanHtmlRule);
  md.core.ruler.before('linkify', 'kramdown_typography', typographyRule(settings));
  md.core.ruler.push('kramdown_inline_shape', inlineShapeRule);
  md.core.ruler.push('kramdown_block_ial', blockIalRule);
  md.core.ruler.push('kramdown_lists', listRule);
  md.core.ruler.push('kramdown_auto_ids', autoIdRule);
  md.core.ruler.push('kramdown_toc', tocRule(options.tocLevels ?? [1, 2, 3, 4, 5, 6]));
  installRenderRules(md, options);
  return {
    render(source: string): string {
      const env: RenderEnv = { autoIds: options.autoIds ?? true, autoIdPrefix: options.autoIdPrefix ?? '', idCounter: new Map(), placeholders: [] };
      const html = md.render(preprocess(source, env), env);
      return html.replace(/<!--kramdown-placeholder:(\d+)-->\n?/g, (_all, n: string) => env.placeholders[Number(n)] ?? '');
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
