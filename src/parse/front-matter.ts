/**
 * Front matter: gray-matter finds the block; the `yaml` package parses it, because gray-matter's bundled
 * js-yaml loses what Jekyll's rules need: whether a date was quoted, and where a key sits in the file.
 */
import matter from 'gray-matter';
import { LineCounter, parseDocument, isMap, isNode, isScalar } from 'yaml';
import { JEKYLL_YAML_OPTIONS } from './yaml.js';
import { parseSimpleYaml } from './simple-yaml.js';

/** A 1-based line and column in the post file. */
export interface Position {
  readonly line: number;
  readonly column: number;
}

/** A YAML problem, positioned in the post file. */
export interface YamlProblem {
  readonly message: string;
  readonly position?: Position;
}

/** The result of splitting and parsing a post file. */
export type FrontMatterResult =
  | { readonly kind: 'ok'; readonly data: Readonly<Record<string, unknown>>; readonly positions: ReadonlyMap<string, Position>; readonly body: string; readonly bodyLine: number }
  | { readonly kind: 'none' }
  | { readonly kind: 'syntax'; readonly problems: readonly YamlProblem[] }
  | { readonly kind: 'not-mapping'; readonly position: Position };

class ParsedYaml {
  constructor(readonly source: string) {}
}

/** The front matter block (from right after the opening `---`) and the body, as gray-matter splits them. */
export interface SplitFile {
  readonly matter: string;
  readonly content: string;
}

/**
 * gray-matter's split for the canonical shape (`---\n`, block, `\n---\n`), computed directly. gray-matter
 * itself copies every file into a Buffer and merges its options three times per call (~40 µs a post, the
 * largest cost of a 100,000-post build); test/posts/front-matter.test.ts checks the two agree.
 */
export function splitCanonical(text: string): SplitFile | undefined {
  if (!text.startsWith('---\n')) return undefined;
  const close = text.indexOf('\n---', 3);
  if (close === -1) return undefined;
  const after = text.charAt(close + 4);
  if (after !== '\n' && after !== '') return undefined;
  return { matter: text.slice(3, close), content: text.slice(close + 5) };
}

/** gray-matter's split, for every shape. */
export function splitWithGrayMatter(text: string): SplitFile {
  // gray-matter hands the raw block to our engine; we parse it ourselves to keep positions.
  const file = matter(text, { engines: { yaml: { parse: (source: string) => new ParsedYaml(source) as unknown as object } } });
  return { matter: file.matter, content: file.content };
}

/** Splits `text` (a post file, BOM already removed) into front matter and body, and parses the YAML. */
export function parseFrontMatter(text: string): FrontMatterResult {
  if (!/^---[ \t]*\r?\n/.test(text)) return { kind: 'none' };
  const file = splitCanonical(text) ?? splitWithGrayMatter(text);
  const closed = /\r?\n---[ \t]*(\r?\n|$)/.test(text.slice(3));
  if (!closed) {
    return { kind: 'syntax', problems: [{ message: 'front matter is not closed by a `---` line', position: { line: 1, column: 1 } }] };
  }
  // `file.matter` starts right after the opening `---`, so its line N is the file's line N.
  const source = file.matter;
  const simple = parseSimpleYaml(source);
  const parsed = simple === undefined ? parseYamlBlock(source) : { kind: 'ok' as const, ...simple };
  if (parsed.kind !== 'ok') return parsed;
  return ok(parsed.data, parsed.positions, file.content, text);
}

/** The parsed YAML block alone (no splitting): what `parseFrontMatter` does after gray-matter. */
export type YamlBlockResult =
  | { readonly kind: 'ok'; readonly data: Record<string, unknown>; readonly positions: Map<string, Position> }
  | { readonly kind: 'syntax'; readonly problems: readonly YamlProblem[] }
  | { readonly kind: 'not-mapping'; readonly position: Position };

/** Parses a front matter block with the full YAML parser (Jekyll's tags); line N of `source` is line N of the file. */
export function parseYamlBlock(source: string): YamlBlockResult {
  const lineCounter = new LineCounter();
  const doc = parseDocument(source, {
    ...JEKYLL_YAML_OPTIONS,
    lineCounter,
    prettyErrors: false,
  });
  const at = (offset: number): Position => {
    const p = lineCounter.linePos(offset);
    return { line: p.line, column: p.col };
  };
  if (doc.errors.length > 0) {
    return {
      kind: 'syntax',
      problems: doc.errors.map((e) => ({ message: firstLine(e.message), position: at(e.pos[0]) })),
    };
  }
  const contents = doc.contents;
  if (contents === null || (isScalar(contents) && (contents.value === null || contents.value === ''))) {
    return { kind: 'ok', data: {}, positions: new Map() };
  }
  if (!isMap(contents)) {
    return { kind: 'not-mapping', position: at(contents.range[0]) };
  }
  const positions = new Map<string, Position>();
  for (const pair of contents.items) {
    if (isScalar(pair.key) && pair.key.range !== undefined && pair.key.range !== null) {
      const valueRange = isNode(pair.value) ? pair.value.range : undefined;
      positions.set(String(pair.key.value), at(valueRange?.[0] ?? pair.key.range[0]));
    }
  }
  let data: unknown;
  try {
    data = doc.toJS({ maxAliasCount: 100 });
  } catch (cause) {
    return { kind: 'syntax', problems: [{ message: cause instanceof Error ? firstLine(cause.message) : String(cause) }] };
  }
  return { kind: 'ok', data: data as Record<string, unknown>, positions };
}

function ok(data: Record<string, unknown>, positions: Map<string, Position>, body: string, text: string): FrontMatterResult {
  const bodyStart = text.length - body.length;
  const bodyLine = text.slice(0, bodyStart).split('\n').length;
  return { kind: 'ok', data, positions, body, bodyLine };
}

function firstLine(message: string): string {
  const line = message.split('\n')[0] ?? message;
  // The yaml package appends " at line N, column M"; we report positions ourselves.
  return line.replace(/ at line \d+, column \d+:?$/, '');
}
