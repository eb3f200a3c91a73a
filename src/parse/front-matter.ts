/**
 * THE front matter splitter: Jekyll's own rule, `YAML_FRONT_MATTER_REGEXP` (jekyll 4.3,
 * lib/jekyll/document.rb; Convertible#read_yaml uses the same constant):
 *
 *     %r!\A(---\s*\n.*?\n?)^((---|\.\.\.)\s*$\n?)!m
 *
 * Group 1 (the opening `---` line and the block) is what Jekyll hands to Psych, so it is what `readYaml`
 * reads; the body is the rest of the file. gray-matter is no longer the reference: Jekyll's rule differs
 * from it on `...` as a closer, `---` followed by spaces, a `---x` line (gray-matter closes there) and
 * the blank lines after the closer (Jekyll's `\s*$` swallows them). test/parse/psych.cases.json holds
 * Ruby's own splits of the `file:` cases.
 */
import { readYaml, isYamlMapping, type YamlPosition, type YamlProblem } from './yaml.js';

/** A 1-based line and column in the post file. */
export type Position = YamlPosition;
export type { YamlProblem };

/** The result of splitting and parsing a post file. */
export type FrontMatterResult =
  | {
      readonly kind: 'ok';
      readonly data: Readonly<Record<string, unknown>>;
      readonly positions: ReadonlyMap<string, Position>;
      readonly body: string;
      readonly bodyLine: number;
      /** What Psych accepts silently but looks like a mistake (a repeated key). */
      readonly warnings: readonly YamlProblem[];
    }
  | { readonly kind: 'none' }
  | { readonly kind: 'syntax'; readonly problems: readonly YamlProblem[] }
  | { readonly kind: 'not-mapping'; readonly position: Position };

/** A file split by Jekyll's rule. */
export interface FrontMatterSplit {
  /** Jekyll's group 1: the opening `---` line and the YAML block, as Psych receives it. */
  readonly matter: string;
  /** Everything after the closing line (and the blank lines Jekyll's `\s*$` swallows). */
  readonly body: string;
}

// Ruby's regex in JavaScript terms: Ruby's `\s` is ASCII [ \t\r\n\f\v] (JS's also matches NBSP and
// U+2028); Ruby's `^` is "after \n" only (JS's multiline `^` also follows \r, U+2028, U+2029); Ruby's `$`
// is "before \n or at the end"; Ruby's `/m` makes `.` match \n.
const RUBY_SPACE = '[ \\t\\r\\n\\f\\v]';
/** `YAML_FRONT_MATTER_REGEXP` translated to JavaScript. */
export const JEKYLL_FRONT_MATTER = new RegExp(`^(---${RUBY_SPACE}*\\n[\\s\\S]*?\\n?)(?<=\\n)((?:---|\\.\\.\\.)${RUBY_SPACE}*(?:(?=\\n)|$)\\n?)`);

/** Splits `text` (BOM already removed) as Jekyll does, or `undefined` when Jekyll finds no front matter. */
export function splitFrontMatter(text: string): FrontMatterSplit | undefined {
  const m = JEKYLL_FRONT_MATTER.exec(text);
  if (m === null) return undefined;
  return { matter: m[1] as string, body: text.slice(m[0].length) };
}

/**
 * Splits `text` (a post file, BOM already removed) into front matter and body, and reads the YAML. `head`
 * is what `readHead` gave with `text`: when it found the common shape the split is known, no regex runs.
 */
export function parseFrontMatter(text: string, head?: { readonly matterLength?: number }): FrontMatterResult {
  // `readHead` found the common shape: the text ends where the body starts, and the split is known.
  const split = head?.matterLength !== undefined ? { matter: text.slice(0, head.matterLength), body: '' } : splitFrontMatter(text);
  if (split === undefined) {
    // Jekyll's Utils.has_yaml_header? (`\A---\s*\r?\n`) without a closing line: the file was meant to have
    // front matter, and Jekyll would publish its YAML as the body.
    if (/^---[ \t]*\r?\n/.test(text)) {
      return { kind: 'syntax', problems: [{ message: 'front matter is not closed by a `---` line', position: { line: 1, column: 1 } }] };
    }
    return { kind: 'none' };
  }
  // `matter` starts at the file's first character, so its line N is the file's line N.
  const read = readYaml(split.matter);
  if (read.kind === 'syntax') {
    // A construct left open (`date: [unclosed`) fails where the block ends: name the block's last line instead,
    // where the open construct is, as Psych does ("while parsing a flow sequence at line 3").
    const lastLine = split.matter.replace(/\r?\n$/, '').split('\n').length;
    const clamp = (p: YamlProblem): YamlProblem => (p.position !== undefined && p.position.line > lastLine ? { ...p, position: { line: lastLine, column: 1 } } : p);
    return { kind: 'syntax', problems: read.problems.map(clamp) };
  }
  // Jekyll: `merge_data!(data_file) if data_file` / `self.data ||= {}`: an empty (nil) or `false` document is no data.
  const value = read.value === null || read.value === false ? {} : read.value;
  if (!isYamlMapping(value)) return { kind: 'not-mapping', position: read.start };
  const bodyStart = text.length - split.body.length;
  let bodyLine = 1;
  for (let i = text.indexOf('\n'); i !== -1 && i < bodyStart; i = text.indexOf('\n', i + 1)) bodyLine++;
  return { kind: 'ok', data: value, positions: read.positions, body: split.body, bodyLine, warnings: read.warnings };
}

const UTF8_BOM = [0xef, 0xbb, 0xbf];
const OPEN = Buffer.from('---\n');
const CLOSE_DASHES = Buffer.from('\n---');
const CLOSE_DOTS = Buffer.from('\n...');

/** Ruby's `\s`. */
function isRubySpace(byte: number | undefined): boolean {
  return byte === 0x20 || byte === 0x09 || byte === 0x0a || byte === 0x0d || byte === 0x0c || byte === 0x0b;
}

/**
 * The part of a post file the parse stage needs. For the common shape (`---\n`, block, a `---` line first
 * closing it, then the body) only the front matter, its closing line and the white space lines Jekyll's
 * `\s*$\n?` swallows are decoded: `bodyOffset` is where the body starts and `matterLength` the length of
 * Jekyll's group 1 in `text`. Otherwise the whole file is decoded. Either way `splitFrontMatter(text)` gives
 * Jekyll's split.
 */
export function readHead(bytes: Uint8Array): { text: string; bodyOffset?: number; matterLength?: number; bomLength: number } {
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const bomLength = UTF8_BOM.every((b, i) => buffer[i] === b) ? 3 : 0;
  if (buffer.length >= bomLength + OPEN.length && buffer.compare(OPEN, 0, OPEN.length, bomLength, bomLength + OPEN.length) === 0) {
    // Jekyll closes at the first line that is `---` or `...` plus white space; both start with one of these.
    const dashes = buffer.indexOf(CLOSE_DASHES, bomLength + 3);
    // A `...` line counts only before the `---` one: the body after it is not searched.
    const dots = dashes === -1 ? -1 : buffer.subarray(0, dashes + 3).indexOf(CLOSE_DOTS, bomLength + 3);
    if (dashes !== -1 && dots === -1) {
      const after = dashes + 4;
      let end = after;
      while (end < buffer.length && isRubySpace(buffer[end])) end++;
      // `\s*$\n?` takes the white space up to its last line break (or to the end of the file); with none,
      // the line goes on (`---x`) and is no closing line.
      if (end < buffer.length) end = buffer.lastIndexOf(0x0a, end - 1) + 1;
      if (end > after || end === buffer.length) {
        const text = buffer.toString('utf8', bomLength, end);
        // From the closing line's `---` on, the text is ASCII: as many characters as bytes.
        return { text, bodyOffset: end, matterLength: text.length - (end - dashes - 1), bomLength };
      }
    }
  }
  return { text: buffer.toString('utf8', bomLength), bomLength };
}

/** The Markdown body of a post file, from the byte offset `toPost` recorded. */
export function decodeBody(bytes: Uint8Array, bodyOffset: number): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8', bodyOffset);
}
