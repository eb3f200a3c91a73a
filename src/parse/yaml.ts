/**
 * THE YAML reader: front matter, `_config.yml` and `_data/` files read as Jekyll 4.3 reads them, i.e. with
 * `Psych.safe_load(yaml, permitted_classes: [Date, Time], aliases: true)` (jekyll/lib/jekyll/utils.rb,
 * `safe_load_yaml`). Psych = libyaml's parser + Psych's `ToRuby` visitor + `ScalarScanner`. The `yaml`
 * package parses (its CST and document tree, with source ranges); everything Psych decides after parsing
 * is reproduced here on that tree: how plain scalars resolve (`tokenizeScalar`), merge keys, repeated keys,
 * tags and aliases. test/parse/yaml.test.ts checks every case of test/parse/psych.cases.json (Psych's own
 * answers, see psych-oracle.rb).
 */
import { isAlias, isMap, isScalar, isSeq, LineCounter, parseAllDocuments, Scalar, type Document, type Node } from 'yaml';
import { YamlTimestamp } from './dates.js';

/** A 1-based line and column in the text given to `readYaml`. */
export interface YamlPosition {
  readonly line: number;
  readonly column: number;
}

/** A problem (or, in `warnings`, a suspicious construct Psych accepts), with its position when known. */
export interface YamlProblem {
  readonly message: string;
  readonly position?: YamlPosition;
  /** For a warning: what kind (default: a repeated key). */
  readonly kind?: 'duplicate-key' | 'tag-ignored';
}

/** What `readYaml` returns: the value as Psych builds it, or why Psych would refuse the text. */
export type YamlResult =
  | {
      readonly kind: 'ok';
      /** The document's value: mappings are plain objects, timestamps `YamlTimestamp`; `null` for an empty document. */
      readonly value: unknown;
      /** Each top-level key of a mapping document → where its value starts (the key itself when the value is empty). */
      readonly positions: ReadonlyMap<string, YamlPosition>;
      /** Each top-level key of a mapping document → where the key itself starts. */
      readonly keyPositions: ReadonlyMap<string, YamlPosition>;
      /** Where the document's content starts (1:1 when empty). */
      readonly start: YamlPosition;
      /** Input Psych accepts silently but that is likely a mistake (a repeated key). */
      readonly warnings: readonly YamlProblem[];
    }
  | { readonly kind: 'syntax'; readonly problems: readonly YamlProblem[] };

/** True when `value` is a YAML mapping as `readYaml` returns it. */
export function isYamlMapping(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value) && !(value instanceof YamlTimestamp);
}

/** Thrown inside the composer for what Psych raises on (`DisallowedClass`, `BadAlias`, `ArgumentError`). */
class PsychError extends Error {
  constructor(message: string, readonly position?: YamlPosition) {
    super(message);
  }
}

// ---------------------------------------------------------------------------------------------------------
// Plain scalars: Psych::ScalarScanner#tokenize (psych 4.0, lib/psych/scalar_scanner.rb), in its order.
// The `yaml` package's YAML 1.1 schema follows the 1.1 type repository instead, which differs from Psych on
// `E0`, `1e3`, `0o17`, `1:20`, `y`/`n`, `nULL`, `1_000`, `1,000`, invalid dates and more; so every plain
// scalar is read as text (failsafe schema) and resolved here.
// ---------------------------------------------------------------------------------------------------------

const LOOKS_LIKE_WORD = /^[^0-9.:-]?[\p{Alphabetic}_ \t\r\n\f\v!@#$%^&*(){}<>|/\\~;=]+/u;
const PSYCH_TIME = /^-?\d{4}-\d{1,2}-\d{1,2}(?:[Tt]|[ \t\r\n\f\v]+)\d{1,2}:\d\d:\d\d(?:\.\d*)?(?:[ \t\r\n\f\v]*(?:Z|[-+]\d{1,2}:?(?:\d\d)?))?$/;
const PSYCH_DATE = /^\d{4}-(?:1[012]|0\d|\d)-(?:[12]\d|3[01]|0\d|\d)$/;
const SEXAGESIMAL_INT = /^[-+]?[0-9][0-9_]*(?::[0-5]?[0-9]){1,2}$/;
const SEXAGESIMAL_FLOAT = /^[-+]?[0-9][0-9_]*(?::[0-5]?[0-9]){1,2}\.[0-9_]*$/;
const PSYCH_FLOAT = /^(?:[-+]?(?:[0-9][0-9_,]*)?\.[0-9]*(?:[eE][-+][0-9]+)?)$/;
const PSYCH_INTEGER = /^(?:[-+]?0b[0-1_,]+|[-+]?0[0-7_,]+|[-+]?(?:0|[1-9](?:[0-9]|,[0-9]|_[0-9])*)|[-+]?0x[0-9a-fA-F_,]+)$/;

/** Ruby's `String#to_i`/`to_f` on one sexagesimal part (leading sign, digits, underscores between digits). */
function rubyNumberPrefix(text: string): number {
  const m = /^[-+]?[0-9]+(?:_[0-9]+)*(?:\.[0-9]+(?:_[0-9]+)*)?/.exec(text);
  return m === null ? 0 : Number(m[0].replace(/_/g, ''));
}

/** Ruby's `Kernel#Integer` on a string that matched Psych's INTEGER (0b, 0 octal, 0x prefixes). */
function rubyInteger(text: string): number {
  const m = /^([-+]?)(0b|0x|0(?=.)|)(.*)$/.exec(text) as RegExpExecArray;
  // Ruby Integers have no negative zero.
  const sign = m[1] === '-' ? -1 : 1;
  const radix = m[2] === '0b' ? 2 : m[2] === '0x' ? 16 : m[2] === '0' ? 8 : 10;
  const digits = m[3] ?? '';
  // Integer("0b") and Integer("0x") raise ArgumentError (`0b_`, `0x,` reach here after Psych removes , and _).
  if (digits === '' && radix !== 8) throw new PsychError(`invalid value for Integer(): "${text}"`);
  // Beyond 2^53 Psych keeps an exact Integer; a JS number keeps the nearest double.
  const magnitude = digits === '' ? 0 : radix === 10 ? Number(digits) : parseInt(digits, radix);
  return magnitude === 0 ? 0 : sign * magnitude;
}

function isValidTime(text: string): boolean {
  // Psych::ScalarScanner#parse_time builds Time.utc(y, m, d, h, min, s) then applies the offset; Ruby raises
  // ArgumentError (and Psych then keeps the text as a String) for out-of-range fields: month 1-12, day 1-31
  // (Feb 31 rolls over to March, as Ruby does), hour 0-24 (24 only as 24:00:00), minute 0-59, second 0-60,
  // offset hours below 24.
  const m = /^-?\d{4}-(\d{1,2})-(\d{1,2})[Tt \t\r\n\f\v]+(\d{1,2}):(\d\d):(\d\d)(?:\.\d*)?[ \t\r\n\f\v]*(?:Z|([-+]\d{1,2}))?/.exec(text);
  if (m === null) return false;
  const month = Number(m[1]);
  const day = Number(m[2]);
  const hour = Number(m[3]);
  const minute = Number(m[4]);
  const second = Number(m[5]);
  if (month < 1 || month > 12 || day < 1 || day > 31 || minute > 59 || second > 60) return false;
  if (hour > 24 || (hour === 24 && (minute > 0 || second > 0))) return false;
  return m[6] === undefined || Math.abs(Number(m[6])) < 24;
}

function isValidDate(text: string): boolean {
  // Date.strptime(text, '%Y-%m-%d') with Ruby's default calendar reform (Date::ITALY): the days
  // 1582-10-05..14 do not exist; before that the Julian calendar's leap years apply.
  const [y, mo, d] = text.split('-').map(Number) as [number, number, number];
  if (mo < 1 || mo > 12 || d < 1) return false;
  if (y === 1582 && mo === 10 && d >= 5 && d <= 14) return false;
  const julian = y < 1582 || (y === 1582 && mo < 10);
  const leap = julian ? y % 4 === 0 : (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
  const days = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][mo - 1] as number;
  return d <= days;
}

/** Psych's reading of an untagged plain scalar: null, boolean, number, timestamp (as `YamlTimestamp`) or text. */
export function tokenizeScalar(text: string): unknown {
  if (text === '') return null;
  if (LOOKS_LIKE_WORD.test(text) || text.includes('\n')) {
    if (text.length > 5 || /^[^ytonf~]/i.test(text)) return text;
    if (text === '~' || /^null$/i.test(text)) return null;
    if (/^(?:yes|true|on)$/i.test(text)) return true;
    if (/^(?:no|false|off)$/i.test(text)) return false;
    return text;
  }
  if (PSYCH_TIME.test(text)) {
    // parse_time splits date from time at the first space, `t` or `T`; with only tabs between them it
    // calls `match` on nil, a NoMethodError that Psych does not rescue (Jekyll then refuses the file).
    if (!/[ tT]/.test(text)) throw new PsychError(`Psych cannot read the timestamp '${text}' (a tab alone between date and time); use a space`);
    return isValidTime(text) ? new YamlTimestamp(text) : text;
  }
  if (PSYCH_DATE.test(text)) return isValidDate(text) ? new YamlTimestamp(text) : text;
  if (/^\+?\.inf$/i.test(text)) return Infinity;
  if (/^-\.inf$/i.test(text)) return -Infinity;
  if (/^\.nan$/i.test(text)) return NaN;
  // Psych makes a Symbol, which safe_load refuses (Psych::DisallowedClass).
  if (/^:./.test(text)) throw new PsychError(`Tried to load unspecified class: Symbol (${text}); quote the value`);
  if (SEXAGESIMAL_INT.test(text) || SEXAGESIMAL_FLOAT.test(text)) {
    // Psych weighs the parts 60^|i-2|: `1:20` is 1*3600 + 20*60 (hours:minutes), `1:20:30` adds 30.
    return text.split(':').reduce((sum, part, i) => sum + rubyNumberPrefix(part) * 60 ** Math.abs(i - 2), 0);
  }
  if (PSYCH_FLOAT.test(text)) {
    if (/^[-+]?\.$/.test(text)) return text;
    return Number(text.replace(/[,_]/g, '').replace(/\.([Ee]|$)/, '$1'));
  }
  if (PSYCH_INTEGER.test(text)) return rubyInteger(text.replace(/[,_]/g, ''));
  return text;
}

// ---------------------------------------------------------------------------------------------------------
// The composer step: Psych::Visitors::ToRuby over the `yaml` package's document tree.
// ---------------------------------------------------------------------------------------------------------

const STR = 'tag:yaml.org,2002:str';
// Tags whose Ruby class Psych's restricted class loader refuses under safe_load (Psych::DisallowedClass).
const DISALLOWED_SCALAR_TAG = /^!(?:ruby\/(?:sym(?:bol)?|regexp|range|class|module|encoding|object:)|(?:str|ruby\/string):.)/;
const DISALLOWED_MAP_TAG = /^(?:!ruby\/|!map:|!set$|!omap$|!str$|tag:yaml\.org,2002:(?:set|omap|str)$)/;
const DISALLOWED_SEQ_TAG = /^!(?:seq|ruby\/array):/;
// Other languages' object tags (`!!js/function`, `!!python/object:os.system`, `!!perl/hash`): Psych knows no
// class for them and reads the plain value, so they are harmless here; but they look like a payload or a
// file written for another loader, so they are named in a warning.
const FOREIGN_TAG = /^(?:tag:yaml\.org,2002:|!)(?:js|python|perl|php|java)\b/;
// A YAML bomb (aliases of aliases) is shared, not copied, as in Psych; but consumers that walk the data
// (Liquid, JSON) would expand it. Psych has no limit; this one, on the values reached through aliases, is
// far above what a real site's aliases stand for.
const MAX_ALIASED_VALUES = 100_000;

/** Ruby's `to_s` of a mapping key, as a JavaScript property name (Jekyll only ever looks up string keys). */
function keyString(key: unknown): string {
  if (key === null) return '';
  if (key instanceof YamlTimestamp) return key.text;
  if (typeof key === 'object') return JSON.stringify(key);
  return String(key);
}

function setKey(target: Record<string, unknown>, key: string, value: unknown): void {
  // A `__proto__` key is data, never the object's prototype.
  if (key === '__proto__') Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
  else target[key] = value;
}

class Composer {
  private readonly built = new Map<Node, unknown>();
  private readonly sizes = new Map<Node, number>();
  private aliased = 0;
  readonly warnings: YamlProblem[] = [];
  /** Top-level keys of a mapping document → where the value starts (the key when the value is empty). */
  readonly positions = new Map<string, YamlPosition>();
  /** Top-level keys of a mapping document → where the key starts. */
  readonly keyPositions = new Map<string, YamlPosition>();

  constructor(private readonly doc: Document, private readonly source: string, private readonly at: (offset: number) => YamlPosition) {}

  private where(node: Node | null | undefined): YamlPosition | undefined {
    return node?.range === undefined || node.range === null ? undefined : this.at(node.range[0]);
  }

  /** Expanded size of a node, counting every alias as a copy of its target (bomb guard). */
  private size(node: unknown): number {
    if (!isAlias(node) && !isMap(node) && !isSeq(node)) return 1;
    const known = this.sizes.get(node as Node);
    if (known !== undefined) return known;
    // A node that contains an alias of itself (Psych builds a recursive Array/Hash) expands without end.
    this.sizes.set(node as Node, Infinity);
    let n = 1;
    if (isAlias(node)) {
      const target = node.resolve(this.doc);
      n = target === undefined ? 1 : this.size(target);
    } else if (isMap(node)) {
      for (const pair of node.items) n += this.size(pair.key) + this.size(pair.value);
    } else if (isSeq(node)) {
      for (const item of node.items) n += this.size(item);
    }
    this.sizes.set(node as Node, n);
    return n;
  }

  compose(node: unknown): unknown {
    if (node === null || node === undefined) return null;
    if (isAlias(node)) {
      const target = node.resolve(this.doc);
      // Psych::BadAlias ("Unknown alias"); the package reports it as an error too, this covers the rest.
      if (target === undefined || !this.built.has(target)) throw new PsychError(`Unknown alias: ${node.source}`, this.where(node));
      this.aliased += this.size(target);
      if (this.aliased > MAX_ALIASED_VALUES) throw new PsychError(`aliases stand for more than ${MAX_ALIASED_VALUES} values`, this.where(node));
      return this.built.get(target);
    }
    const tag = (node as { readonly tag?: string }).tag;
    if (tag !== undefined && FOREIGN_TAG.test(tag)) {
      const position = this.where(node as Node);
      const shown = tag.replace(/^tag:yaml\.org,2002:/, '!!');
      this.warnings.push({ kind: 'tag-ignored', message: `tag ${shown} is ignored: Psych (and so Jekyll) reads the value under it as plain YAML`, ...(position === undefined ? {} : { position }) });
    }
    if (isScalar(node)) {
      const value = this.scalar(node);
      this.built.set(node, value);
      return value;
    }
    if (isSeq(node)) {
      const tag = node.tag;
      if (tag !== undefined && DISALLOWED_SEQ_TAG.test(tag)) throw new PsychError(`Tried to load unspecified class (${tag})`, this.where(node));
      if (tag === '!omap' || tag === 'tag:yaml.org,2002:omap') {
        // ToRuby#visit_Psych_Nodes_Sequence: an omap sequence becomes a Hash of each entry's first pair.
        const out: Record<string, unknown> = {};
        this.built.set(node, out);
        for (const item of node.items) {
          if (!isMap(item)) throw new PsychError('!omap entries must be one-pair mappings', this.where(item as Node));
          const first = item.items[0];
          if (first !== undefined) setKey(out, keyString(this.compose(first.key)), this.compose(first.value));
        }
        return out;
      }
      const out: unknown[] = [];
      this.built.set(node, out);
      for (const item of node.items) out.push(this.compose(item));
      return out;
    }
    if (isMap(node)) {
      const tag = node.tag;
      if (tag !== undefined && DISALLOWED_MAP_TAG.test(tag)) throw new PsychError(`Tried to load unspecified class (${tag})`, this.where(node));
      const out: Record<string, unknown> = {};
      this.built.set(node, out);
      const seen = new Map<string, YamlPosition | undefined>();
      for (const pair of node.items) {
        const keyNode = pair.key as Node | null;
        // libyaml: a `:` with no key before it (right after `{`, `[`, `,`, or first on its line), unless a
        // `?` makes the empty key explicit, is "did not find expected node content"; the package reads it
        // as an empty key.
        if (isScalar(keyNode) && keyNode.source === '' && keyNode.range !== undefined && keyNode.range !== null && keyNode.range[0] === keyNode.range[1]) {
          const text = this.source.slice(0, keyNode.range[0]);
          const before = /[^ \t\r\n]?(?=[ \t\r\n]*$)/.exec(text)?.[0];
          const lineStart = /^[ \t]*(?:-[ \t]+)*$/.test(text.slice(text.lastIndexOf('\n') + 1));
          if (before === '{' || before === '[' || before === ',' || lineStart) throw new PsychError('did not find expected node content (a `:` with no key before it)', this.where(keyNode));
        }
        const key = this.compose(keyNode);
        const value = this.compose(pair.value);
        // ToRuby#revive_hash: a `<<` key (plain or quoted, not tagged !!str) merges with Hash#merge!, so
        // merged keys override the keys before it (YAML's merge spec says explicit keys win; Psych differs).
        if (key === '<<' && !(isScalar(keyNode) && keyNode.tag === STR)) {
          const merged = this.merge(pair.value, value);
          if (merged !== undefined) {
            for (const [k, v] of Object.entries(merged)) setKey(out, k, v);
            continue;
          }
        }
        const name = keyString(key);
        const position = this.where(keyNode);
        const before = seen.get(name);
        if (seen.has(name)) {
          // Psych: Hash#[]= keeps the last value silently; Jekyll publishes it. Likely a mistake, so say so.
          this.warnings.push({ message: `key '${name}' is repeated (line ${before?.line ?? '?'} and line ${position?.line ?? '?'}); the last value is used, as Jekyll does`, ...(position === undefined ? {} : { position }) });
        }
        seen.set(name, position);
        setKey(out, name, value);
        if (node === this.doc.contents && position !== undefined) {
          this.positions.set(name, this.where(pair.value as Node | null) ?? position);
          this.keyPositions.set(name, position);
        }
      }
      return out;
    }
    throw new PsychError('unexpected YAML node');
  }

  /** The Hash a `<<` value merges, or `undefined` when Psych stores it as an ordinary `<<` key (TypeError). */
  private merge(valueNode: unknown, value: unknown): Record<string, unknown> | undefined {
    if (isAlias(valueNode) || isMap(valueNode)) return isYamlMapping(value) ? value : undefined;
    if (isSeq(valueNode) && Array.isArray(value)) {
      if (!value.every(isYamlMapping)) return undefined;
      // `val.reverse_each { |v| h.merge!(v) }`: the first mapping of the list wins.
      const h: Record<string, unknown> = {};
      for (const m of [...value].reverse()) for (const [k, v] of Object.entries(m)) setKey(h, k, v);
      return h;
    }
    return undefined;
  }

  private scalar(node: Scalar): unknown {
    const text = String(node.source ?? node.value ?? '');
    if (node.type === Scalar.QUOTE_DOUBLE && /[\uD800-\uDFFF]/.test(text)) this.checkEscapes(node);
    const tag = node.tag;
    // ToRuby#deserialize: quoted and block scalars (libyaml: not plain) are strings unless tagged.
    if (tag === undefined) return node.type === Scalar.PLAIN ? this.tokenize(text, node) : text;
    if (tag === STR || tag === '!str' || tag === '!ruby/string') return text;
    if (tag === '!binary' || tag === 'tag:yaml.org,2002:binary') return Buffer.from(text, 'base64').toString('utf8');
    if (DISALLOWED_SCALAR_TAG.test(tag)) throw new PsychError(`Tried to load unspecified class (${tag})`, this.where(node));
    const value = this.tokenize(text, node);
    if (tag === 'tag:yaml.org,2002:float' || tag === '!float') {
      // Kernel#Float on the tokenized value.
      if (typeof value === 'number') return value;
      const n = typeof value === 'string' && /^[-+]?(?:\d+(?:_\d+)*)?(?:\.\d+(?:_\d+)*)?(?:[eE][-+]?\d+)?$/.test(value.trim()) && /\d/.test(value) ? Number(value.replace(/_/g, '')) : NaN;
      if (Number.isNaN(n)) throw new PsychError(`invalid value for Float(): "${text}"`, this.where(node));
      return n;
    }
    // Every other tag (!!int, !!timestamp, !!null, !foo, ...) falls through to ScalarScanner#tokenize.
    return value;
  }

  /**
   * libyaml's yaml_parser_scan_flow_scalar refuses `\u`/`\U` escapes of a surrogate or beyond U+10FFFF
   * ("found invalid Unicode character escape code"), even a pair of them; the package decodes them.
   */
  private checkEscapes(node: Scalar): void {
    const range = node.range;
    if (range === undefined || range === null) return;
    for (const m of this.source.slice(range[0], range[1]).matchAll(/\\(?:u([0-9a-fA-F]{4})|U([0-9a-fA-F]{8})|.)/g)) {
      const hex = m[1] ?? m[2];
      if (hex === undefined) continue;
      const code = parseInt(hex, 16);
      if ((code >= 0xd800 && code <= 0xdfff) || code > 0x10ffff) throw new PsychError(`found invalid Unicode character escape code \\${m[1] === undefined ? 'U' : 'u'}${hex}`, this.at(range[0] + (m.index ?? 0)));
    }
  }

  private tokenize(text: string, node: Scalar): unknown {
    try {
      return tokenizeScalar(text);
    } catch (error) {
      throw error instanceof PsychError && error.position === undefined ? new PsychError(error.message, this.where(node)) : error;
    }
  }
}

// ---------------------------------------------------------------------------------------------------------
// Where libyaml (so Psych) is laxer than the YAML spec the `yaml` package follows.
//
// 1. Indentation inside flow constructs. libyaml's yaml_parser_scan_flow_scalar and its flow-collection
//    scanning check only for `---`/`...` document markers, never indentation, so a double- or single-quoted
//    scalar or a `[...]`/`{...}` list continued on unindented lines is accepted; the spec (and the package's
//    lexer) require those lines to be indented past the parent block. Jekyll posts rely on it (a long
//    `excerpt: "..."` wrapped by an editor). Leading white space of a continuation line is folded away in
//    quoted scalars (YAML 1.2 §7.3.1, §7.3.2) and is mere separation in flow collections (§7.4), so
//    indenting those lines changes no value: when the package rejects a text, the continuation lines are
//    indented and the text is parsed again.
//    libyaml also starts a comment at a `#` right after a closing quote or bracket (scan_to_next_token
//    eats `#...` wherever a token may start); the spec wants white space first, so one is inserted.
// 2. libyaml skips a BOM at the start of any line (yaml_parser_scan_to_next_token) and, as YAML 1.1
//    says, takes a lone CR and NEL (U+0085) as line breaks, in every kind of scalar (READ_LINE turns them
//    into \n); the package does not. (libyaml also breaks lines at LS and PS, U+2028/U+2029, but keeps
//    them as characters inside quoted scalars; only that quoted case is reproduced: see the known
//    differences in test/parse/yaml.test.ts.)
// 3. libyaml's reader refuses control characters anywhere (yaml_parser_update_buffer: "control characters
//    are not allowed"); the package lets them through in scalars.
// ---------------------------------------------------------------------------------------------------------

/** Line index (0-based) → columns added (positive) or removed (negative) at the start of that line. */
type ColumnShift = Map<number, number>;

const CONTROL = /[\x00-\x08\x0B\x0C\x0E-\x1F\x7F-\x84\x86-\x9F\uFFFE\uFFFF]/;

/** Applies libyaml's extra line breaks and line-start BOMs; `undefined` when the text has none. */
function normalizeLibyamlBreaks(source: string, shift: ColumnShift): string | undefined {
  if (!/[\uFEFF\u0085]|\r(?!\n)/.test(source)) return undefined;
  const lines = source.replace(/\u0085|\r(?!\n)/g, '\n').split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] as string;
    if (line.startsWith('\uFEFF')) {
      lines[i] = line.slice(1);
      shift.set(i, (shift.get(i) ?? 0) - 1);
    }
  }
  return lines.join('\n');
}

const DOCUMENT_MARKER = /^(?:---|\.\.\.)(?:[ \t\r]|$)/;

/** Indents the continuation lines of multi-line quoted scalars and flow collections; `undefined` when none. */
function indentFlowContinuations(source: string, shift: ColumnShift): string | undefined {
  const lines = source.split('\n');
  let changed = false;
  let quote: string | undefined;
  let depth = 0;
  let need = 0;
  let blockScalarIndent = -1;
  let nodeStart = true;
  // A plain scalar continues on more-indented lines (`key: a\n  - "b`): those lines are text, not nodes.
  let plainOwner = -1;
  let plainOpen = false;
  for (let i = 0; i < lines.length; i++) {
    let line = lines[i] as string;
    const indent = /^ */.exec(line)?.[0].length ?? 0;
    let j = indent;
    if (quote !== undefined || depth > 0) {
      // A document marker ends the construct for libyaml too (it then reports the error the package reports).
      if (DOCUMENT_MARKER.test(line)) { quote = undefined; depth = 0; nodeStart = true; continue; }
      if (line.trim() !== '' && indent < need) {
        line = ' '.repeat(need - indent) + line;
        lines[i] = line;
        shift.set(i, (shift.get(i) ?? 0) + need - indent);
        changed = true;
        j = need;
      }
    } else {
      if (blockScalarIndent >= 0) {
        if (line.trim() === '' || indent > blockScalarIndent) continue;
        blockScalarIndent = -1;
      }
      if (DOCUMENT_MARKER.test(line)) { plainOwner = -1; continue; }
      if (plainOwner >= 0 && line.trim() !== '' && indent > plainOwner && line[indent] !== '#') continue;
      plainOwner = -1;
      need = indent + 1;
      nodeStart = true;
      plainOpen = false;
    }
    // Where a node may start (line start, after `: `, `- `, `? `, `[`, `{`, `,`) a quote opens a quoted
    // scalar; elsewhere in a plain scalar it is text.
    for (; j < line.length; j++) {
      const c = line[j] as string;
      const next = line[j + 1] ?? '';
      if (quote !== undefined) {
        if (quote === '"' && c === '\\') j++;
        else if (c === quote) {
          if (quote === "'" && next === "'") j++;
          else {
            quote = undefined;
            nodeStart = false;
            if (next === '#') { line = `${line.slice(0, j + 1)} ${line.slice(j + 1)}`; lines[i] = line; changed = true; }
          }
        }
        continue;
      }
      if (c === ' ' || c === '\t' || c === '\r') { if (next === '#') { plainOpen = false; break; } continue; }
      if (nodeStart && c === '#') { plainOpen = false; break; }
      if (nodeStart && (c === '"' || c === "'")) { quote = c; plainOpen = false; continue; }
      if (c === ':' && (/^[ \t\r]?$/.test(next) || (depth > 0 && /^[,[\]{}]$/.test(next)))) { nodeStart = true; plainOpen = false; continue; }
      if (nodeStart && (c === '-' || c === '?') && /^[ \t\r]?$/.test(next)) continue;
      if ((c === '[' || c === '{') && (nodeStart || depth > 0)) { depth++; nodeStart = true; plainOpen = false; continue; }
      if ((c === ']' || c === '}') && depth > 0) {
        depth--;
        nodeStart = false;
        plainOpen = false;
        if (next === '#') { line = `${line.slice(0, j + 1)} ${line.slice(j + 1)}`; lines[i] = line; changed = true; }
        continue;
      }
      if (c === ',' && depth > 0) { nodeStart = true; continue; }
      if (nodeStart && depth === 0 && (c === '|' || c === '>') && /^[|>][-+0-9]*[ \t]*(?:#.*)?\r?$/.test(line.slice(j))) { blockScalarIndent = indent; break; }
      if (nodeStart && (c === '&' || c === '!' || c === '*')) {
        while (j + 1 < line.length && !/[ \t\r,[\]{}]/.test(line[j + 1] as string)) j++;
        nodeStart = c !== '*';
        continue;
      }
      nodeStart = false;
      plainOpen = depth === 0;
    }
    if (quote === undefined && depth === 0) {
      if (plainOpen) plainOwner = indent;
      nodeStart = true;
    }
  }
  return changed ? lines.join('\n') : undefined;
}

// ---------------------------------------------------------------------------------------------------------
// Entry point.
// ---------------------------------------------------------------------------------------------------------

// failsafe: every plain scalar stays text for tokenizeScalar. uniqueKeys off: Psych keeps the last value.
// merge off: `<<` is Psych's (see Composer). version 1.1: YAML 1.1 escapes and tag handles, as libyaml.
const PARSE_OPTIONS = { version: '1.1', schema: 'failsafe', uniqueKeys: false, merge: false, prettyErrors: false, keepSourceTokens: false } as const;

function firstLine(message: string): string {
  const line = message.split('\n')[0] ?? message;
  return line.replace(/ at line \d+, column \d+:?$/, '');
}

function attempt(source: string, shift: ReadonlyMap<number, number>, lenient = false): YamlResult {
  const lineCounter = new LineCounter();
  // Psych.safe_load reads the first document only and stops there (parse_stream returns at its end).
  const docs = parseAllDocuments(source, { ...PARSE_OPTIONS, lineCounter });
  const doc = docs[0];
  const at = (offset: number): YamlPosition => {
    const p = lineCounter.linePos(offset);
    return { line: p.line, column: Math.max(1, p.col - (shift.get(p.line - 1) ?? 0)) };
  };
  if (doc === undefined) {
    const errors = 'empty' in docs ? docs.errors : [];
    if (errors.length > 0) return { kind: 'syntax', problems: errors.map((e) => ({ message: firstLine(e.message), position: at(e.pos[0]) })) };
    return { kind: 'ok', value: null, positions: new Map(), keyPositions: new Map(), start: { line: 1, column: 1 }, warnings: [] };
  }
  // Psych returns at the first document's end. Once the root node is complete (a scalar or flow collection
  // ends at its last character; an indented block collection at the first line indented less than it),
  // libyaml ends the document at whatever token comes next and would complain only when parsing the next
  // document, which Psych never asks for: so, when asked to be as lenient, what follows is not an error.
  const root = doc.contents;
  let cutoff = Infinity;
  if (lenient && root !== null) {
    if (isScalar(root) || isAlias(root) || root.flow === true) cutoff = root.range[1];
    else {
      const rootColumn = lineCounter.linePos(root.range[0]).col - 1;
      const after = /\n( *)(?=[^ \n#\r])/g;
      after.lastIndex = root.range[1] - 1;
      for (let m = after.exec(source); m !== null; m = after.exec(source)) {
        if ((m[1] ?? '').length >= rootColumn) continue;
        // libyaml still scans that next token: one it cannot start (a tab, `@`, a backtick) is an error.
        if (!/^[\t@`]/.test(source.slice(m.index + 1 + (m[1] ?? '').length))) cutoff = m.index + 1;
        break;
      }
    }
  }
  const errors = doc.errors.filter((e) => e.pos[0] < cutoff);
  if (errors.length > 0) {
    return { kind: 'syntax', problems: errors.map((e) => ({ message: firstLine(e.message), position: at(e.pos[0]) })) };
  }
  const composer = new Composer(doc, source, at);
  let value: unknown;
  try {
    value = composer.compose(doc.contents);
  } catch (error) {
    if (!(error instanceof PsychError)) throw error;
    return { kind: 'syntax', problems: [{ message: error.message, ...(error.position === undefined ? {} : { position: error.position }) }] };
  }
  const contents = doc.contents;
  const start = contents?.range === undefined || contents === null ? { line: 1, column: 1 } : at(contents.range[0]);
  return { kind: 'ok', value, positions: composer.positions, keyPositions: composer.keyPositions, start, warnings: composer.warnings };
}

/**
 * Reads one YAML text (a front matter block including its opening `---` line, a `_config.yml`, a `_data`
 * file) as Jekyll's `Psych.safe_load` does. Lines and columns are those of `source`.
 */
export function readYaml(source: string): YamlResult {
  return readSimpleYaml(source) ?? readYamlFully(source);
}

/** `readYaml` without its fast path: what the fast path must always agree with. */
export function readYamlFully(source: string): YamlResult {
  const control = CONTROL.exec(source);
  if (control !== null) {
    const before = source.slice(0, control.index);
    const line = before.split('\n').length;
    const code = (control[0].codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, '0');
    return { kind: 'syntax', problems: [{ message: `control character U+${code} is not allowed in YAML (Psych refuses it); remove it, or write it as an escape such as \\x01 inside double quotes`, position: { line, column: control.index - before.lastIndexOf('\n') } }] };
  }
  const shift: ColumnShift = new Map();
  const text = normalizeLibyamlBreaks(source, shift) ?? source;
  const first = attempt(text, shift);
  if (first.kind === 'ok') return first;
  const reindented = indentFlowContinuations(text, shift);
  if (reindented !== undefined) {
    const second = attempt(reindented, shift);
    if (second.kind === 'ok') return second;
  }
  const lenient = attempt(reindented ?? text, shift, true);
  return lenient.kind === 'ok' ? lenient : first;
}

// ---------------------------------------------------------------------------------------------------------
// The fast path for the front matter nearly every post has: one `key: value` per line, values plain,
// quoted, or flow lists of plain words. It returns exactly what the full reader returns for that subset
// and `undefined` for anything else. The full reader costs tens of µs a post, which dominates a
// 100,000-post build; test/parse/simple-yaml.test.ts checks the two agree on generated input.
// ---------------------------------------------------------------------------------------------------------

const DOUBLE_QUOTED = /^"([^"\\]*)" *(?:#.*)?$/;
const SINGLE_QUOTED = /^'((?:[^']|'')*)' *(?:#.*)?$/;
const FLOW_LIST = /^\[([^[\]{}"'#&*!|>%@`]*)\] *(?:#.*)?$/;
// Tabs, CR, controls, YAML 1.1's extra line breaks (U+0085, U+2028, U+2029) and a BOM go to the full reader.
const NOT_SIMPLE_TEXT = /[^\n\u0020-\u005B\u005D-\u007E\u00A0-\u2027\u202A-\uD7FF\uE000-\uFEFE\uFF00-\uFFFD\u{10000}-\u{10FFFF}]/u;
// Characters that start something other than a plain scalar (YAML indicators) or that libyaml reads
// differently in a flow list: left to the full reader.
const NOT_SIMPLE_START = /^[-?:,[\]{}#&*!|>'"%@`]/;

/** A plain scalar of the subset, resolved by Psych's rules; `undefined` when the full reader must decide. */
function simplePlain(text: string): unknown {
  if (text === '' || NOT_SIMPLE_START.test(text) || text.includes(': ') || text.includes(' #') || text.endsWith(':') || /\s$/.test(text)) return undefined;
  try {
    return tokenizeScalar(text);
  } catch {
    return undefined;
  }
}

/** The length of the `[A-Za-z_][A-Za-z0-9_-]*` key that starts `line`, or 0. */
function keyLength(line: string): number {
  const first = line.charCodeAt(0);
  if (!((first >= 0x41 && first <= 0x5a) || (first >= 0x61 && first <= 0x7a) || first === 0x5f)) return 0;
  let i = 1;
  for (; i < line.length; i++) {
    const c = line.charCodeAt(i);
    if (!((c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a) || (c >= 0x30 && c <= 0x39) || c === 0x5f || c === 0x2d)) break;
  }
  return i;
}

// Keys known to read back as themselves: a site repeats a dozen keys in every post.
const plainKeys = new Set<string>();

/** Whether a key of the subset reads as its own text (not `yes:`, `null:`, `<<`...). */
function isPlainKey(key: string): boolean {
  if (plainKeys.has(key)) return true;
  if (key === '__proto__' || key.length > 1024 || simplePlain(key) !== key) return false;
  if (plainKeys.size < 10_000) plainKeys.add(key);
  return true;
}

/** `readYaml` for the simple subset, or `undefined` so the caller uses the full reader. */
export function readSimpleYaml(source: string): YamlResult | undefined {
  if (NOT_SIMPLE_TEXT.test(source)) return undefined;
  const data: Record<string, unknown> = {};
  const positions = new Map<string, YamlPosition>();
  const keyPositions = new Map<string, YamlPosition>();
  const lines = source.split('\n');
  let start: YamlPosition | undefined;
  // Jekyll hands Psych the block with its opening `---` line: a document start marker.
  const from = /^--- *$/.test(lines[0] ?? '') ? 1 : 0;
  for (let i = from; i < lines.length; i++) {
    const line = lines[i] as string;
    // Reads stay inside the line: `charCodeAt` past its end cost the optimized code a deopt.
    if (line === '' || line.charCodeAt(0) === 0x23 || line.trim() === '') continue;
    // `^([A-Za-z_][A-Za-z0-9_-]*):(?: +(.*))?$`, read without a regex: a key, `:`, then the end of the line or spaces and the value.
    const colon = keyLength(line);
    if (colon === 0 || colon === line.length || line.charCodeAt(colon) !== 0x3a) return undefined;
    let valueAt = colon + 1;
    while (valueAt < line.length && line.charCodeAt(valueAt) === 0x20) valueAt++;
    if (valueAt === colon + 1 && valueAt < line.length) return undefined;
    const key = line.slice(0, colon);
    // Keys that Psych reads as something other than their text (`yes:`, `null:`), `<<`, and repeats: full reader.
    // Keys over 1024 characters: libyaml refuses them as implicit keys (full reader).
    // (Every key read so far is in keyPositions.)
    if (keyPositions.has(key) || !isPlainKey(key)) return undefined;
    start ??= { line: i + 1, column: 1 };
    keyPositions.set(key, { line: i + 1, column: 1 });
    const rest = line.slice(valueAt);
    let end = rest.length;
    while (end > 0 && rest.charCodeAt(end - 1) === 0x20) end--;
    const raw = end === rest.length ? rest : rest.slice(0, end);
    let value: unknown;
    if (raw === '' || raw.charCodeAt(0) === 0x23) {
      // `key:` with nothing after it: null, unless an indented block follows (then the full reader decides).
      const next = lines.slice(i + 1).find((l) => l.trim() !== '' && !l.startsWith('#'));
      if (next !== undefined && /^[ -]/.test(next)) return undefined;
      data[key] = null;
      continue;
    }
    let q: RegExpExecArray | null;
    if (raw.charCodeAt(0) === 0x22 && raw.indexOf('"', 1) === raw.length - 1 && !raw.includes('\\')) value = raw.slice(1, -1);
    else if ((q = DOUBLE_QUOTED.exec(raw)) !== null) value = q[1];
    else if ((q = SINGLE_QUOTED.exec(raw)) !== null) value = (q[1] as string).replace(/''/g, "'");
    else if ((q = FLOW_LIST.exec(raw)) !== null) {
      const inner = (q[1] as string).trim();
      if (inner === '') value = [];
      else {
        const items = inner.split(',');
        const parsed: unknown[] = [];
        for (const item of items) {
          const word = item.trim();
          if (word === '' || word.includes(':')) return undefined;
          const one = simplePlain(word);
          if (one === undefined) return undefined;
          parsed.push(one);
        }
        value = parsed;
      }
    } else {
      value = simplePlain(raw);
      if (value === undefined) return undefined;
    }
    data[key] = value;
    positions.set(key, { line: i + 1, column: valueAt + 1 });
  }
  if (start === undefined) return { kind: 'ok', value: null, positions, keyPositions, start: { line: 1, column: 1 }, warnings: [] };
  return { kind: 'ok', value: data, positions, keyPositions, start, warnings: [] };
}
