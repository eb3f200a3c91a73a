/**
 * kramdown's typography (smart quotes, `--`, `---`, `...`, `<<`, `>>`), ported rule for rule from
 * kramdown 2.4 `lib/kramdown/parser/kramdown/smart_quotes.rb` and `typographic_symbol.rb`, so that posts and
 * titles read exactly as Jekyll publishes them. Jekyll's default `entity_output: as_char` means characters.
 */

/** The four quote characters, in kramdown's `smart_quotes` order: lsquo, rsquo, ldquo, rdquo. */
export type SmartQuotes = readonly [string, string, string, string];

/** kramdown's default `smart_quotes: lsquo,rsquo,ldquo,rdquo`. */
export const DEFAULT_SMART_QUOTES: SmartQuotes = ['\u2018', '\u2019', '\u201C', '\u201D'];

/** The typographic symbols kramdown emits (HTML converter `TYPOGRAPHIC_SYMS`), overridable by `typographic_symbols`. */
export type TypographicSymbols = Readonly<Record<'mdash' | 'ndash' | 'hellip' | 'laquo' | 'raquo' | 'laquo_space' | 'raquo_space', string>>;

/** kramdown's default symbols; the `_space` forms carry a no-break space (`&laquo;&nbsp;`). */
export const DEFAULT_TYPOGRAPHIC_SYMBOLS: TypographicSymbols = {
  mdash: '\u2014',
  ndash: '\u2013',
  hellip: '\u2026',
  laquo: '\u00AB',
  raquo: '\u00BB',
  laquo_space: '\u00AB\u00A0',
  raquo_space: '\u00A0\u00BB',
};

/** The settings typography needs. */
export interface TypographySettings {
  readonly quotes: SmartQuotes;
  readonly symbols: TypographicSymbols;
}

// Ruby's \s and \w are ASCII-only; JS's \s is not, so whitespace is spelled out.
const SQ_PUNCT = '[!"#$%\'()*+,\\-./:;<=>?@\\[\\\\\\]^_`{|}~]';
const SQ_CLOSE = '[^ \\\\\\t\\r\\n\\[{(\\-]';
const WS = '[ \\t\\r\\n\\f\\v]';

type Quote = 'lquote1' | 'rquote1' | 'lquote2' | 'rquote2' | 'ldquo' | 'lsquo' | 'rsquo';
/** A rule: the regex (sticky), then what each capture becomes: a group number (literal text) or a quote. */
type Rule = readonly [RegExp, readonly (number | Quote)[]];

// SQ_RULES, in kramdown's order; the first that matches at the position wins.
const SQ_RULES: readonly Rule[] = [
  [new RegExp(`("|')(?=[_*]{1,2}[^ \\t\\r\\n\\f\\v])`, 'y'), ['lquote1']],
  [new RegExp(`("|')(?=${SQ_PUNCT}(?!\\.\\.)\\B)`, 'y'), ['rquote1']],
  [new RegExp(`(${WS}?)"'(?=\\w)`, 'y'), [1, 'ldquo', 'lsquo']],
  [new RegExp(`(${WS}?)'"(?=\\w)`, 'y'), [1, 'lsquo', 'ldquo']],
  [new RegExp(`(${WS}?)'(?=\\d\\ds)`, 'y'), [1, 'rsquo']],
  [new RegExp(`(${WS})('|")(?=\\w)`, 'y'), [1, 'lquote2']],
  [new RegExp(`(${SQ_CLOSE})('|")`, 'y'), [1, 'rquote2']],
  [new RegExp(`("|')(?=${WS}|s\\b|$)`, 'y'), ['rquote1']],
  [/([^]?)'/y, [1, 'lsquo']],
  [/([^]?)"/y, [1, 'ldquo']],
];

// TYPOGRAPHIC_SYMS_RE: alternatives in kramdown's order (`\<<` is an escape, already handled by the parser).
const TYPOGRAPHIC_RE = /---|--|\.\.\.|<< | >>|<<|>>/y;
const TYPOGRAPHIC_NAME: Readonly<Record<string, keyof TypographicSymbols>> = {
  '---': 'mdash',
  '--': 'ndash',
  '...': 'hellip',
  '<< ': 'laquo_space',
  ' >>': 'raquo_space',
  '<<': 'laquo',
  '>>': 'raquo',
};

function quoteChar(kind: Quote, quote: string, quotes: SmartQuotes): string {
  const double = quote === '"';
  switch (kind) {
    case 'lquote1':
    case 'lquote2':
      return double ? quotes[2] : quotes[0];
    case 'rquote1':
    case 'rquote2':
      return double ? quotes[3] : quotes[1];
    case 'ldquo':
      return quotes[2];
    case 'lsquo':
      return quotes[0];
    case 'rsquo':
      return quotes[1];
  }
}

function isQuote(c: string | undefined): boolean {
  return c === '"' || c === "'";
}

// What can start a span (see `nextSpanStart`): a quote, `--`, `...`, `<<`, `>>`.
const SPAN_MARK = /["']|--|\.\.\.|<<|>>/g;

/**
 * The first position at or after `from` in `text` where kramdown's span scan stops: a quote or the
 * character before one (but `\`), `--`, `...`, `<<` or `>>`, or the space before `<<`/`>>`; `text.length`
 * when there is none. The regex finds each mark natively, and the mark's own position or the one before it
 * is the earliest stop: every stop is a mark or the character just before one.
 */
export function nextSpanStart(text: string, from: number): number {
  SPAN_MARK.lastIndex = from;
  const m = SPAN_MARK.exec(text);
  if (m === null) return text.length;
  const at = m.index;
  if (at === from) return at;
  const before = text[at - 1];
  if (isQuote(m[0]) ? before !== '\\' : (m[0] === '<<' || m[0] === '>>') && before === ' ') return at - 1;
  return at;
}

/**
 * Applies kramdown's span-level typography to one run of plain text. `following` is the source that comes
 * after the run (markup included): kramdown's rules look ahead into it (`"*a*"` opens with `“`) but never
 * behind the start of the run, because markup before it was consumed by another span parser.
 */
export function typographize(text: string, following: string, settings: TypographySettings): string {
  const source = text + following;
  let out = '';
  let pos = 0;
  while (pos < text.length) {
    // kramdown's parse_spans scans to the earliest span start: SMART_QUOTES_RE is /[^\\]?["']/ (so it may
    // start one character before the quote), typographic symbols /--|\.\.\.|(?:\\| )?(?:<<|>>)/.
    const at = nextSpanStart(text, pos);
    out += text.slice(pos, at);
    if (at >= text.length) break;
    pos = at;
    const c = text[at];
    // Parser order (kramdown.rb @span_parsers): smart_quotes before typographic_syms.
    if (isQuote(c) || (c !== '\\' && isQuote(text[at + 1]))) {
      const applied = applySmartQuote(source, at, settings.quotes);
      if (applied !== undefined) {
        out += applied.html;
        pos = at + applied.length;
        continue;
      }
    }
    TYPOGRAPHIC_RE.lastIndex = at;
    const sym = TYPOGRAPHIC_RE.exec(source);
    if (sym !== null && at + sym[0].length <= text.length) {
      const name = TYPOGRAPHIC_NAME[sym[0]];
      if (name !== undefined) {
        out += settings.symbols[name];
        pos = at + sym[0].length;
        continue;
      }
    }
    out += c;
    pos = at + 1;
  }
  return out;
}

function applySmartQuote(source: string, at: number, quotes: SmartQuotes): { html: string; length: number } | undefined {
  for (const [re, substs] of SQ_RULES) {
    re.lastIndex = at;
    const m = re.exec(source);
    if (m === null) continue;
    let html = '';
    for (const subst of substs) {
      if (typeof subst === 'number') {
        html += m[subst] ?? '';
      } else {
        // SQ_SUBSTS picks the character by the quote in the group named by the symbol's last digit.
        const digit = Number(subst.slice(-1));
        const group = Number.isNaN(digit) ? undefined : m[digit];
        html += quoteChar(subst, group ?? '', quotes);
      }
    }
    return { html, length: m[0].length };
  }
  return undefined;
}

/** HTML escaping for text, as kramdown's `escape_html(text, :text)`. */
function escapeText(text: string): string {
  return text.replace(/[&<>]/g, (c) => (c === '&' ? '&amp;' : c === '<' ? '&lt;' : '&gt;'));
}

const NAMED_ENTITY = /&(?:([a-zA-Z][a-zA-Z0-9]*)|#([0-9]+)|#x([0-9a-fA-F]+));/y;

/**
 * Jekyll's `smartify` filter (`Jekyll::Converters::SmartyPants`, a kramdown parser with only the smart-quote,
 * entity, typographic-symbol and span-HTML span parsers): typography applied to a string, `&<>` in text
 * escaped, inline HTML tags kept, entities output as characters except `&amp; &lt; &gt;`.
 */
export function smartifyString(input: string, settings: TypographySettings, decodeEntity: (name: string) => string | undefined): string {
  let out = '';
  let run = '';
  const flush = (following: string): void => {
    out += escapeText(typographize(run, following, settings));
    run = '';
  };
  let i = 0;
  while (i < input.length) {
    const c = input[i];
    if (c === '<' && input[i + 1] === '<') {
      // TYPOGRAPHIC_SYMS `<<` is tried before span HTML could start at the second `<`.
      run += '<<';
      i += 2;
      continue;
    }
    if (c === '<') {
      const tag = /<\/?[A-Za-z][A-Za-z0-9-]*(?:\s+[^<>]*)?\/?>/y;
      tag.lastIndex = i;
      const m = tag.exec(input);
      if (m !== null) {
        flush(m[0]);
        out += m[0];
        i += m[0].length;
        continue;
      }
    }
    if (c === '&') {
      NAMED_ENTITY.lastIndex = i;
      const m = NAMED_ENTITY.exec(input);
      if (m !== null) {
        const char = m[1] !== undefined ? decodeEntity(m[1]) : String.fromCodePoint(Number.parseInt(m[2] ?? m[3] ?? '', m[2] !== undefined ? 10 : 16));
        if (char !== undefined) {
          flush(m[0]);
          // kramdown's entity_to_str writes characters except `& < >` (ESCAPE_MAP keys; `"` is let through).
          out += escapeText(char);
          i += m[0].length;
          continue;
        }
      }
    }
    run += c;
    i += 1;
  }
  flush('');
  return out;
}
