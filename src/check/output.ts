/**
 * The library side of `feedwright check --output DIR` (flags and messages live in src/cli/check.ts). Its own
 * room beside src/serve/ and src/ping/, the other readers of the output folder: it is no pipeline stage (it
 * never builds or writes). Each published feed is re-read and must parse as what it claims to be.
 * fast-xml-parser's validator checks tag structure and attributes but accepts characters XML forbids,
 * undeclared entities (`&nbsp;`) and several root elements; we close those gaps here, and an empty file
 * is reported as such.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { errorAt, type Diagnostic } from '../errors.js';
import { FEED_FILE_NAMES, findFeedFiles } from '../write/feed-files.js';

// XML 1.0 §2.2: characters outside Char.
const FORBIDDEN = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/u;
// With no DTD, only the five predefined entities and character references exist (XML 1.0 §4.1, §4.6).
const UNDECLARED_ENTITY = /&(?!(?:lt|gt|amp|quot|apos|#[0-9]+|#x[0-9a-fA-F]+);)/;

function positionOf(text: string, index: number): { line: number; column: number } {
  const before = text.slice(0, index);
  const line = before.split('\n').length;
  return { line, column: index - before.lastIndexOf('\n') };
}

/** Problems with one XML feed document, or none. `root` is the element it must have (`rss` or `feed`). */
export function verifyXmlFeed(text: string, display: string, root: 'rss' | 'feed'): Diagnostic[] {
  const bad = (message: string, index?: number): Diagnostic[] => {
    const p = index === undefined ? undefined : positionOf(text, index);
    return [errorAt('OUTPUT_INVALID', display, message, 'rebuild the feeds with `feedwright build`; if this persists, report a bug', p?.line, p?.column)];
  };
  if (!text.startsWith('<?xml version="1.0" encoding="UTF-8"?>')) return bad('does not start with the XML declaration', 0);
  const forbidden = FORBIDDEN.exec(text);
  if (forbidden !== null) return bad(`contains U+${(forbidden[0].codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, '0')}, which XML 1.0 forbids`, forbidden.index);
  const entity = UNDECLARED_ENTITY.exec(text);
  if (entity !== null) return bad('contains an undeclared entity or a bare `&`', entity.index);
  const result = XMLValidator.validate(text);
  if (result !== true) {
    return [errorAt('OUTPUT_INVALID', display, `is not well-formed XML: ${result.err.msg}`, 'rebuild the feeds with `feedwright build`', result.err.line, result.err.col)];
  }
  const parsed = new XMLParser({ ignoreAttributes: false, ignoreDeclaration: true, ignorePiTags: true }).parse(text) as Record<string, unknown>;
  const roots = Object.keys(parsed);
  if (roots.length !== 1 || roots[0] !== root) return bad(`has root element(s) ${roots.join(', ') || 'none'}; expected <${root}>`);
  return [];
}

/** Problems with one JSON Feed document, or none. */
export function verifyJsonFeed(text: string, display: string): Diagnostic[] {
  const bad = (message: string): Diagnostic[] => [errorAt('OUTPUT_INVALID', display, message, 'rebuild the feeds with `feedwright build`')];
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (cause) {
    return bad(`is not JSON: ${(cause as Error).message}`);
  }
  if (value === null || typeof value !== 'object') return bad('is not a JSON object');
  const feed = value as Record<string, unknown>;
  if (feed['version'] !== 'https://jsonfeed.org/version/1.1') return bad('is not JSON Feed 1.1 (version)');
  if (typeof feed['title'] !== 'string') return bad('has no title');
  if (!Array.isArray(feed['items'])) return bad('has no items array');
  const noId = feed['items'].findIndex((item: unknown) => item === null || typeof item !== 'object' || typeof (item as Record<string, unknown>)['id'] !== 'string');
  if (noId >= 0) return bad(`item ${noId} has no id`);
  return [];
}

/** Reads every feed file under `outDir` and verifies it. The site's three feeds must exist. */
export async function verifyOutput(outDir: string, displayDir: string): Promise<{ files: number; diagnostics: Diagnostic[] }> {
  const found = await findFeedFiles(outDir);
  const diagnostics: Diagnostic[] = [];
  for (const name of FEED_FILE_NAMES) {
    if (!found.some((f) => f.path === name)) diagnostics.push(errorAt('OUTPUT_INVALID', path.posix.join(displayDir, name), 'is missing', 'run `feedwright build` to publish the feeds'));
  }
  for (const file of found) {
    const display = path.posix.join(displayDir, file.path);
    const text = await readFile(path.join(outDir, ...file.path.split('/')), 'utf8');
    if (text === '') {
      diagnostics.push(errorAt('OUTPUT_INVALID', display, 'is empty', 'rebuild the feeds with `feedwright build`; a host or tool may have truncated it'));
      continue;
    }
    diagnostics.push(...(file.format === 'json' ? verifyJsonFeed(text, display) : verifyXmlFeed(text, display, file.format === 'rss' ? 'rss' : 'feed')));
  }
  return { files: found.length, diagnostics };
}
