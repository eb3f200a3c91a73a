/**
 * A fast path for the front matter nearly every post has: one `key: value` per line, values plain, quoted
 * or flow lists of plain words. It returns exactly what `yaml` (with Jekyll's tags, see yaml.ts) returns for
 * that subset, and `undefined` for anything else, which then goes to the full parser. It exists because
 * the full parser costs ~100 µs a post, which dominates a 100,000-post build; test/posts/simple-yaml.test.ts
 * checks it against the full parser on generated input.
 */
import { YamlTimestamp, YAML_TIMESTAMP_TEST } from './dates.js';

/** A 1-based line and column. */
export interface SimplePosition {
  readonly line: number;
  readonly column: number;
}

const KEY_LINE = /^([A-Za-z_][A-Za-z0-9_-]*):(?:( +)(.*))?$/;
const DOUBLE_QUOTED = /^"([^"\\]*)" *(?:#.*)?$/;
const SINGLE_QUOTED = /^'((?:[^']|'')*)' *(?:#.*)?$/;
const FLOW_LIST = /^\[([^[\]{}"'#&*!|>%@`]*)\] *(?:#.*)?$/;
// Characters that start something other than a plain scalar (YAML 1.2 §7.3.3 indicators, and digits/signs
// whose number rules differ between YAML versions: left to the full parser).
const NOT_SIMPLE_TEXT = /[^\n\u0020-\u005B\u005D-\u007E\u00A0-\u2027\u202A-\uD7FF\uE000-\uFEFE\uFF00-\uFFFD\u{10000}-\u{10FFFF}]/u;
const NOT_SIMPLE_START = /^[-?:,[\]{}#&*!|>'"%@`.+0-9=<]/;

function plainScalar(text: string): unknown {
  if (text === '') return undefined;
  if (/^(?:~|null|Null|NULL)$/.test(text)) return null;
  if (/^(?:yes|true|on)$/i.test(text)) return true;
  if (/^(?:no|false|off)$/i.test(text)) return false;
  if (YAML_TIMESTAMP_TEST.test(text)) return new YamlTimestamp(text);
  if (/^(?:0|[1-9][0-9]{0,14})$/.test(text)) return Number(text);
  // The `yaml` package reads `E0`, `e5` as floats (YAML 1.1 type repository): leave those to it.
  if (NOT_SIMPLE_START.test(text) || /^[eE][-+]?[0-9]+$/.test(text) || text.includes(': ') || text.includes(' #') || text.endsWith(':') || /\s$/.test(text)) return undefined;
  return text;
}

/** Parses the simple subset, or returns `undefined` so the caller uses the full YAML parser. */
export function parseSimpleYaml(source: string): { data: Record<string, unknown>; positions: Map<string, SimplePosition> } | undefined {
  // Tabs, CR, escapes, controls and YAML 1.1's extra line breaks (U+0085, U+2028, U+2029) go to the full parser.
  if (NOT_SIMPLE_TEXT.test(source)) return undefined;
  const data: Record<string, unknown> = {};
  const positions = new Map<string, SimplePosition>();
  const lines = source.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] as string;
    if (line.trim() === '' || line.startsWith('#')) continue;
    const m = KEY_LINE.exec(line);
    if (m === null) return undefined;
    const key = m[1] as string;
    // Keys that YAML would read as something other than their text (`yes:`, `null:`) and repeats: full parser.
    if (Object.hasOwn(data, key) || key === '__proto__' || plainScalar(key) !== key) return undefined;
    const raw = (m[3] ?? '').replace(/ +$/, '');
    const column = (m[1] as string).length + 1 + (m[2] ?? '').length + 1;
    let value: unknown;
    if (raw === '' || raw.startsWith('#')) {
      // `key:` with nothing after it: null, unless an indented block follows (then the full parser decides).
      const next = lines.slice(i + 1).find((l) => l.trim() !== '' && !l.startsWith('#'));
      if (next !== undefined && /^[ -]/.test(next)) return undefined;
      data[key] = null;
      continue;
    }
    let q: RegExpExecArray | null;
    if ((q = DOUBLE_QUOTED.exec(raw)) !== null) value = q[1];
    else if ((q = SINGLE_QUOTED.exec(raw)) !== null) value = (q[1] as string).replace(/''/g, "'");
    else if ((q = FLOW_LIST.exec(raw)) !== null) {
      const inner = (q[1] as string).trim();
      if (inner === '') value = [];
      else {
        const items = inner.split(',').map((s) => s.trim());
        if (items.some((s) => s === '' || s.includes(':'))) return undefined;
        const parsed = items.map(plainScalar);
        if (parsed.some((v) => v === undefined)) return undefined;
        value = parsed;
      }
    } else {
      value = plainScalar(raw);
      if (value === undefined) return undefined;
    }
    data[key] = value;
    positions.set(key, { line: i + 1, column });
  }
  return { data, positions };
}
