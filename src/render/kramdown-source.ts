/**
 * Source-level kramdown syntax that markdown-it has no grammar for, rewritten before parsing: the
 * `{::comment}`, `{::nomarkdown}` and `{::options}` extensions, ALDs (`{:name: .x}`) referenced from IALs,
 * `markdown="1"` HTML blocks, HTML blocks that end at their element's end tag, `1)` (not a list in kramdown)
 * and mixed bullet markers (one list in kramdown). Fenced code is left untouched.
 */
import type { Env } from 'markdown-it';

/** Per-render state (markdown-it's `env`): `{::options}` overrides and the header id counter. */
export interface RenderEnv extends Env {
  autoIds: boolean;
  autoIdPrefix: string;
  idCounter: Map<string, number>;
  placeholders: string[];
  /** The placeholder comment's name, chosen so that it does not occur in the post itself. */
  placeholderName: string;
  footnotes?: unknown;
  abbreviations?: unknown;
}

const FENCE = /^ {0,3}(`{3,}|~{3,})/;
const ALD = /^ {0,3}\{:([A-Za-z][\w-]*):\s*(.*?)\}\s*$/;
const OPTIONS_EXT = /^ {0,3}\{::options((?:\s+[\w-]+="[^"]*")*)\s*\/\}\s*$/;
const BLOCK_EXT_START = /^ {0,3}\{::(comment|nomarkdown)\}(.*)$/;
const INLINE_EXT = /\{::(comment|nomarkdown)\}([^]*?)\{:\/(?:comment|nomarkdown)?\}/g;
const MARKDOWN_ATTR_OPEN = /^<([A-Za-z][\w-]*)(\b[^>]*?)\s+markdown=(?:"1"|'1'|1)([^>]*)>(.*)$/;

/** kramdown parser/html.rb HTML_SPAN_ELEMENTS: a line starting with any other tag starts an HTML block. */
export const HTML_SPAN_ELEMENTS: ReadonlySet<string> = new Set(
  'a abbr acronym b big bdo br button cite code del dfn em i img input ins kbd label mark option q rb rbc rp rt rtc ruby samp select small span strong sub sup tt u var'.split(' '),
);
/** kramdown parser/html.rb HTML_BLOCK_ELEMENTS: written as text when met inside a paragraph. */
export const HTML_BLOCK_ELEMENTS: ReadonlySet<string> = new Set(
  'address article aside applet body blockquote caption col colgroup dd div dl dt fieldset figcaption footer form h1 h2 h3 h4 h5 h6 header hgroup hr html head iframe legend menu li main map nav ol optgroup p pre section summary table tbody td th thead tfoot tr ul'.split(' '),
);
/** HTML elements without a body (kramdown HTML_ELEMENTS_WITHOUT_BODY, less the obsolete ones). */
export const VOID_ELEMENTS: ReadonlySet<string> = new Set('area base br col embed hr img input link meta param source track wbr'.split(' '));
const TABLE_DELIMITER_ROW = /^ {0,3}\|?[ \t]*:?-+:?[ \t]*(\|[ \t]*:?-+:?[ \t]*)*\|?[ \t]*$/;
const HTML_BLOCK_START = /^ {0,3}<(?:([A-Za-z][\w-]*)|!--)/;

/** An HTML block being read: the element that opened it and how deep inside it the source is. */
interface HtmlBlock {
  readonly tag: string;
  depth: number;
  readonly lines: string[];
}

/**
 * kramdown ends an HTML block where its element closes, and the next line is Markdown again; markdown-it
 * (CommonMark) runs it on to the next blank line. Counting the element's open and close tags finds the end.
 */
function trackHtmlBlock(block: HtmlBlock, line: string): HtmlBlock {
  block.lines.push(line);
  if (block.tag === '!--') block.depth = line.includes('-->') ? 0 : 1;
  else if (VOID_ELEMENTS.has(block.tag)) block.depth = 0;
  else {
    const opens = line.match(new RegExp(`<${block.tag}(?=[\\s>/])[^>]*?(?<!/)>`, 'gi'))?.length ?? 0;
    const closes = line.match(new RegExp(`</${block.tag}\\s*>`, 'gi'))?.length ?? 0;
    block.depth += opens - closes;
  }
  return block;
}

function placeholder(env: RenderEnv, html: string): string {
  env.placeholders.push(html);
  return `<!--${env.placeholderName}:${env.placeholders.length - 1}-->`;
}

function extensionHtml(kind: string, body: string): string {
  // kramdown's HTML converter writes a comment extension as an HTML comment; nomarkdown passes through.
  return kind === 'comment' ? `<!-- ${body.trim()} -->` : body;
}

const SPACE = 0x20;
/** The characters a line may start with (after up to three spaces) for a rewrite below to touch it: a backtick, `~{<+-` or a digit. */
const REWRITE_STARTS = new Set([0x60, 0x7e, 0x7b, 0x3c, 0x2b, 0x2d, 0x30, 0x31, 0x32, 0x33, 0x34, 0x35, 0x36, 0x37, 0x38, 0x39]);

/**
 * Whether no rewrite below can touch `line` when no fence, HTML block, table or `markdown="1"` element is
 * open: every line rule is anchored at the line's start (up to three spaces, then a character of
 * `REWRITE_STARTS`), and the rest need `{:` (extensions, IALs naming ALDs) or `|` (tables). Most lines of
 * a post are such prose, and they skip the dozen regular expressions tried on every other line (14% of
 * markdown's time over the bench's posts).
 */
export function isPlainLine(line: string): boolean {
  let k = 0;
  while (k < 3 && k < line.length && line.charCodeAt(k) === SPACE) k++;
  // Reads stay inside the line: `charCodeAt` past its end (NaN) cost the optimized code a deopt.
  return (k === line.length || !REWRITE_STARTS.has(line.charCodeAt(k))) && !line.includes('{:') && !line.includes('|');
}

/**
 * Rewrites kramdown-only source syntax into what the markdown-it rules read; raw HTML goes to `env.placeholders`.
 * `plainLines: false` sends every line through the rewrites, `isPlainLine` or not (the test compares both).
 */
export function preprocessKramdown(source: string, env: RenderEnv, options: { readonly plainLines?: boolean } = {}): string {
  const plainLines = options.plainLines ?? true;
  const lines = (source.includes('\r') ? source.replace(/\r\n?/g, '\n') : source).split('\n');
  env.placeholderName = 'kramdown-placeholder';
  while (source.includes(env.placeholderName)) env.placeholderName += '-';
  const alds = new Map<string, string>();
  const out: string[] = [];
  let fence: string | undefined;
  const closers: string[] = [];
  let html: HtmlBlock | undefined;
  let inTable = false;
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
    if (plainLines && html === undefined && fence === undefined && !inTable && closers.length === 0 && isPlainLine(line)) {
      out.push(line);
      continue;
    }
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
    const delimiter = lines[i + 1] ?? '';
    if (inTable || (line.includes('|') && delimiter.includes('|') && TABLE_DELIMITER_ROW.test(delimiter))) {
      // kramdown reads code spans before table cells, so `a|b` in backticks stays one cell; GFM (markdown-it)
      // needs the pipe escaped.
      inTable = line.trim() !== '';
      if (inTable) {
        out.push(line.replace(/(`+)(.+?)\1/g, (span) => span.replace(/(?<!\\)\|/g, '\\|')));
        continue;
      }
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
    let text = line;
    if (/^ {0,3}\d+\)[ \t]/.test(text)) text = text.replace(/\)/, '\\)');
    else if (/^ {0,3}[+-][ \t]+\S/.test(text) && !/^ {0,3}([-*_])([ \t]*\1){2,}[ \t]*$/.test(text)) text = text.replace(/^( {0,3})[+-]/, '$1*');
    text = text.replace(INLINE_EXT, (_all, kind: string, body: string) => placeholder(env, extensionHtml(kind, body)));
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


/** Puts back the raw HTML that preprocessing parked in placeholders. */
export function restorePlaceholders(html: string, env: RenderEnv): string {
  return html.replace(new RegExp(`<!--${env.placeholderName}:(\\d+)-->\n?`, 'g'), (_all, n: string) => env.placeholders[Number(n)] ?? '');
}

/** HTML escaping for text and attribute values. */
export function escapeHtml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}
