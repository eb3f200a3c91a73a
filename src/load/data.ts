/**
 * `site.data` as Jekyll 4.3 reads it (`lib/jekyll/readers/data_reader.rb`): every `.yaml`, `.yml`, `.json`,
 * `.csv` and `.tsv` file under `_data/`, folders as nested keys, CSV/TSV as arrays of row hashes.
 */
import { lstatSync, readdirSync, readFileSync, realpathSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { parse as parseCsv } from 'csv-parse/sync';
import { errorAt, warningAt, type Diagnostic } from '../errors.js';
import { readYaml } from '../parse/yaml.js';
import { isInside } from './read.js';

/** `site.data`: nested plain values (YAML timestamps stay `YamlTimestamp`, read in the site's zone later). */
export type SiteData = { [key: string]: unknown };

/** Where and how to read `_data/`. */
export interface LoadSiteDataOptions {
  /** Jekyll's `data_dir` config key, relative to the content root. Default `_data`. */
  readonly dataDir?: string;
  /** How the content folder is named in diagnostics (default: `contentDir` as given). */
  readonly displayDir?: string;
  /** Jekyll's `csv_reader.headers` / `tsv_reader.headers`: rows as hashes keyed by the first row (default true). */
  readonly csvHeaders?: boolean;
  readonly tsvHeaders?: boolean;
}

const DATA_EXTENSIONS = ['.yaml', '.yml', '.json', '.csv', '.tsv'];

/** Jekyll's `DataReader#sanitize_filename`: the key a file or folder name gives. */
export function toDataKey(name: string): string {
  // Ruby's \w and \s are ASCII-only: [a-zA-Z0-9_] and [ \t\r\n\f\v].
  return name.replace(/[^\w \t\r\n\f\v-]+|(?<=^|\b[ \t\r\n\f\v])[ \t\r\n\f\v]+(?=$|[ \t\r\n\f\v]?\b)/g, '').replace(/[ \t\r\n\f\v]+/g, '_');
}

function extensionOf(name: string): string {
  const dot = name.lastIndexOf('.');
  return dot <= 0 ? '' : name.slice(dot).toLowerCase();
}

function basenameWithoutExtension(name: string): string {
  const dot = name.lastIndexOf('.');
  return dot <= 0 ? name : name.slice(0, dot);
}


/**
 * Ruby's `CSV.read(path, headers: true).map(&:to_hash)`: the first row names the fields, an unquoted empty
 * field is nil, a quoted one is `""`, a short row's missing fields are nil, a repeated header keeps its first
 * value, and fields beyond the header (nil-named in Ruby, unreachable from Liquid) are dropped.
 */
function readDelimited(text: string, delimiter: string, headers: boolean): unknown[] {
  const rows = parseCsv(text, {
    delimiter,
    bom: true,
    relax_column_count: true,
    cast: (value, context) => (!context.quoting && value === '' ? null : value),
    // csv-parse types rows as string[][]; the `cast` above puts null where Ruby's CSV has nil.
  }) as unknown as (string | null)[][];
  if (!headers) return rows;
  const [header, ...body] = rows;
  if (header === undefined) return [];
  return body.map((row) => {
    const hash: Record<string, unknown> = {};
    header.forEach((name, i) => {
      const key = name ?? '';
      if (!Object.hasOwn(hash, key)) hash[key] = row[i] ?? null;
    });
    return hash;
  });
}

function lineOfYamlError(error: unknown): number | undefined {
  const linePos = (error as { linePos?: readonly { line: number }[] }).linePos;
  return linePos?.[0]?.line;
}

/**
 * Reads `site.data` from `<contentDir>/_data`. Folders become nested hashes; within a folder Jekyll assigns
 * `*.yaml`, then `*.yml`, `*.json`, `*.csv`, `*.tsv` (each sorted), then sub-folders, a later one replacing an
 * earlier one with the same key. Symlinks that resolve outside the content folder are skipped with a
 * warning; a file that does not parse is an error (Jekyll stops the build).
 */
export function loadSiteData(contentDir: string, options: LoadSiteDataOptions = {}): { data: SiteData; diagnostics: Diagnostic[] } {
  const diagnostics: Diagnostic[] = [];
  const data: SiteData = {};
  const displayDir = options.displayDir ?? contentDir;
  let root: string;
  try {
    root = realpathSync(contentDir);
  } catch {
    return { data, diagnostics };
  }
  const display = (path: string): string => join(displayDir, relative(root, path)).split(sep).join('/');

  const readFolder = (dir: string, target: SiteData): void => {
    let names: string[];
    try {
      names = readdirSync(dir).sort();
    } catch {
      return;
    }
    const resolved = new Map<string, { real: string; isDir: boolean }>();
    for (const name of names) {
      const path = join(dir, name);
      try {
        const real = lstatSync(path).isSymbolicLink() ? realpathSync(path) : path;
        if (!isInside(root, real)) {
          diagnostics.push(warningAt('PATH_ESCAPE', display(path), `data file or folder is a symlink that leads outside the content folder; skipped`, 'copy the data into the content folder instead of linking to it'));
          continue;
        }
        resolved.set(name, { real, isDir: statSync(real).isDirectory() });
      } catch {
        // A dangling symlink: Jekyll's glob does not list it as a file or folder either.
      }
    }
    const files = DATA_EXTENSIONS.flatMap((ext) => names.filter((n) => extensionOf(n) === ext && resolved.get(n)?.isDir === false && !n.startsWith('.')));
    for (const name of files) {
      const entry = resolved.get(name);
      if (entry === undefined) continue;
      const value = readDataFile(entry.real, display(join(dir, name)), options, diagnostics);
      if (value !== undefined) target[toDataKey(basenameWithoutExtension(name))] = value.value;
    }
    for (const name of names) {
      const entry = resolved.get(name);
      if (entry === undefined || !entry.isDir || name.startsWith('.')) continue;
      const nested: SiteData = {};
      target[toDataKey(name)] = nested;
      readFolder(entry.real, nested);
    }
  };

  const dataDir = options.dataDir ?? '_data';
  const base = join(root, ...dataDir.split('/').filter((s) => s !== '' && s !== '.'));
  try {
    const real = realpathSync(base);
    if (!isInside(root, real)) {
      diagnostics.push(warningAt('PATH_ESCAPE', display(base), 'the data folder leads outside the content folder; site.data is empty', 'keep _data inside the content folder'));
      return { data, diagnostics };
    }
    if (!statSync(real).isDirectory()) return { data, diagnostics };
    readFolder(real, data);
  } catch {
    // No data folder: site.data is empty, as in Jekyll.
  }
  return { data, diagnostics };
}

function readDataFile(path: string, displayPath: string, options: LoadSiteDataOptions, diagnostics: Diagnostic[]): { value: unknown } | undefined {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    diagnostics.push(errorAt('READ_FAILED', displayPath, `cannot read data file: ${(error as Error).message}`, 'check the file permissions'));
    return undefined;
  }
  const ext = extensionOf(path);
  try {
    if (ext === '.csv') return { value: readDelimited(text, ',', options.csvHeaders ?? true) };
    if (ext === '.tsv') return { value: readDelimited(text, '\t', options.tsvHeaders ?? true) };
    // Jekyll reads .json through its YAML loader too (`Utils.safe_load_yaml_file`); JSON is YAML.
    const read = readYaml(text.replace(/^\uFEFF/, ''));
    if (read.kind === 'ok') {
      for (const w of read.warnings) diagnostics.push(warningAt(w.kind === 'tag-ignored' ? 'YAML_TAG_IGNORED' : 'YAML_DUPLICATE_KEY', displayPath, w.message, w.kind === 'tag-ignored' ? 'remove the tag' : 'remove the repeated key: only its last value counts', w.position?.line, w.position?.column));
      return { value: read.value ?? null };
    }
    const first = read.problems[0];
    diagnostics.push(errorAt('DATA_SYNTAX', displayPath, `data file does not parse: ${first?.message ?? 'invalid YAML'}`, 'fix the file; Jekyll stops the build on it too', first?.position?.line, first?.position?.column));
    return undefined;
  } catch (error) {
    diagnostics.push(
      errorAt('DATA_SYNTAX', displayPath, `data file does not parse: ${(error as Error).message.split('\n')[0] ?? ''}`, 'fix the file; Jekyll stops the build on it too', lineOfYamlError(error) ?? (error as { lines?: number }).lines),
    );
    return undefined;
  }
}
