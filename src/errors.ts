/** Diagnostics: every problem a build can report, with a code from a closed list. */

/** The closed list of diagnostic codes. */
export const DIAGNOSTIC_CODES = [
  'CONFIG_INVALID',
  'CONFIG_SYNTAX',
  'CONTENT_MISSING',
  'FRONT_MATTER_SYNTAX',
  'FRONT_MATTER_NOT_MAPPING',
  'FRONT_MATTER_INVALID',
  'YAML_DUPLICATE_KEY',
  'YAML_TAG_IGNORED',
  'DATE_INVALID',
  'FILENAME_INVALID',
  'ENCODING_INVALID',
  'FILE_TOO_LARGE',
  'HTML_TOO_DEEP',
  'PATH_ESCAPE',
  'DUPLICATE_ID',
  'IMAGE_MISSING',
  'EXCERPT_MISSING',
  'FEED_LARGE',
  'FEED_NAMES_MERGED',
  'READ_FAILED',
  'WRITE_FAILED',
  'OUTPUT_INVALID',
  'POST_SKIPPED',
  'DATA_SYNTAX',
  'LIQUID_ERROR',
  'LIQUID_TAG_UNKNOWN',
  'LIQUID_LIMIT',
  'LIQUID_LINK_UNRESOLVED',
] as const;

/** One of `DIAGNOSTIC_CODES`. */
export type DiagnosticCode = (typeof DIAGNOSTIC_CODES)[number];

/** A problem found in the input or while writing. `error` fails the build; `warning` does not. */
export interface Diagnostic {
  readonly severity: 'error' | 'warning';
  readonly code: DiagnosticCode;
  /** Path as the user gave it (e.g. `content/_posts/x.md`). */
  readonly file?: string;
  /** 1-based line and column in `file`, where known. */
  readonly line?: number;
  readonly column?: number;
  readonly message: string;
  /** What to do about it. */
  readonly hint: string;
}

/** Formats a diagnostic as one line: `file:line:col CODE message (hint: ...)`. */
export function formatDiagnostic(d: Diagnostic): string {
  const where = d.file === undefined ? '' : `${d.file}${d.line === undefined ? '' : `:${d.line}`}${d.line !== undefined && d.column !== undefined ? `:${d.column}` : ''} `;
  const level = d.severity === 'warning' ? 'warning ' : '';
  return `${where}${level}${d.code} ${d.message} (hint: ${d.hint})`;
}

/** Thrown when a build cannot go on; carries every diagnostic found so far. */
export class FeedwrightError extends Error {
  readonly diagnostics: readonly Diagnostic[];
  constructor(diagnostics: readonly Diagnostic[], options?: { cause?: unknown }) {
    super(diagnostics.map(formatDiagnostic).join('\n'), options);
    this.name = 'FeedwrightError';
    this.diagnostics = diagnostics;
  }
}

/** Makes an error diagnostic; `undefined` positions are dropped. */
export function errorAt(code: DiagnosticCode, file: string | undefined, message: string, hint: string, line?: number, column?: number): Diagnostic {
  return withPosition({ severity: 'error', code, message, hint }, file, line, column);
}

/** Makes a warning diagnostic; `undefined` positions are dropped. */
export function warningAt(code: DiagnosticCode, file: string | undefined, message: string, hint: string, line?: number, column?: number): Diagnostic {
  return withPosition({ severity: 'warning', code, message, hint }, file, line, column);
}

function withPosition(d: Diagnostic, file: string | undefined, line: number | undefined, column: number | undefined): Diagnostic {
  return {
    ...d,
    ...(file === undefined ? {} : { file }),
    ...(line === undefined ? {} : { line }),
    ...(column === undefined ? {} : { column }),
  };
}

/**
 * The one skip-invalid rule. Without `skipInvalid`, any error stops the build (all diagnostics thrown
 * together); with it, errors become warnings and every file that had one gets a `POST_SKIPPED` warning.
 */
export function settleDiagnostics(diagnostics: readonly Diagnostic[], skipInvalid: boolean): { readonly reported: Diagnostic[]; readonly failedFiles: ReadonlySet<string> } {
  const errors = diagnostics.filter((d) => d.severity === 'error');
  if (errors.length > 0 && !skipInvalid) throw new FeedwrightError(diagnostics);
  const failedFiles = new Set(errors.flatMap((d) => (d.file === undefined ? [] : [d.file])));
  const reported = diagnostics.map((d) => (d.severity === 'error' ? { ...d, severity: 'warning' as const } : d));
  for (const file of [...failedFiles].sort()) {
    reported.push(warningAt('POST_SKIPPED', file, 'was not published because of the problems above', 'fix them and build again'));
  }
  return { reported, failedFiles };
}
