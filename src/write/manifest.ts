/**
 * The build manifest (`build-manifest.v8` in the cache folder): what the last successful `publish` read and
 * wrote, so that a rebuild whose every input is unchanged only stats them and writes nothing. It records the
 * stat (size, mtime, ctime, inode) of every input file and of every folder the post listing looked into, the
 * entries of the output folders feedwright owns (a stray feed there would be pruned), the stat of every
 * output file, the window of build times within which the same posts are published, and the result to
 * report again. A rebuild replays it only when everything matches exactly; anything unknown, missing,
 * racy (modified within `RACY_MS` of being recorded) or unreadable means a normal build. A build that is not
 * replayed still keeps the feeds whose fingerprint is unchanged, and takes the items of unchanged posts from
 * the files the last build left (`readOldItems`). This module loads nothing heavy: the replay runs before the
 * pipeline's modules are imported.
 */
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, realpathSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';
import { deserialize, serialize } from 'node:v8';
import type { ConfigOverrides } from '../config.js';
import type { Diagnostic } from '../errors.js';
import { isInside } from '../load/read.js';
import type { ItemTable } from '../serialize/stream.js';
import type { Feed } from '../types.js';
import { GENERATOR } from '../version.js';
import { writeFileAtomicSync } from './atomic.js';
import { codeFingerprint, hashBytes, RACY_MS } from './fingerprint.js';
import { OWNED_TREES } from './output.js';

/** The manifest's file name in the cache folder. */
export const MANIFEST_FILE = 'build-manifest.v8';
const MANIFEST_FORMAT = 4;

/** Size, mtime, ctime and inode of a path (`null`: it does not exist). */
export type StatKey = readonly [size: number, mtimeMs: number, ctimeMs: number, ino: number] | null;

/** What a build reported, replayed by a rebuild that the manifest proves unchanged. */
export interface ManifestResult {
  readonly feeds: readonly { readonly kind: Feed['kind']; readonly dir: string; readonly title: string; readonly items: number }[];
  readonly diagnostics: readonly Diagnostic[];
  readonly stats: { readonly postsRead: number; readonly published: number; readonly skipped: number };
}

/** The options of a `publish` that the manifest reads (structurally `PublishOptions` of build.ts). */
export interface ManifestPublishOptions {
  readonly contentDir: string;
  readonly displayDir?: string;
  readonly outDir: string;
  readonly now: Date;
  readonly cacheDir?: string;
  readonly io?: unknown;
  readonly overrides?: ConfigOverrides;
  readonly skipInvalid?: boolean;
  readonly maxFileBytes?: number;
}

/** What a replayed publish reports: the last build's result, with every output file unchanged. */
export interface ReplayedPublish extends ManifestResult {
  readonly report: { readonly written: readonly string[]; readonly unchanged: readonly string[]; readonly removed: readonly string[] };
}

/**
 * The manifest request of a publish with a cache and Node's file system (`undefined` otherwise): every
 * option that can change the output or what is reported; the build time is checked apart, against the
 * window the manifest records.
 */
export function toManifestRequest(options: ManifestPublishOptions): ManifestRequest | undefined {
  if (options.cacheDir === undefined || options.io !== undefined) return undefined;
  const { contentDir, displayDir, overrides, skipInvalid, maxFileBytes } = options;
  return {
    cacheDir: options.cacheDir,
    contentDir,
    outDir: path.resolve(options.outDir),
    now: options.now,
    options: { displayDir: displayDir ?? contentDir, overrides: overrides ?? {}, skipInvalid: skipInvalid === true, maxFileBytes: maxFileBytes ?? null },
  };
}

/** The replay of a publish whose manifest matches (see `replayBuild`), else `undefined`; loads nothing of the pipeline. */
export function replayPublish(options: ManifestPublishOptions): ReplayedPublish | undefined {
  const request = toManifestRequest(options);
  const replayed = request === undefined ? undefined : replayBuild(request);
  if (replayed === undefined) return undefined;
  const { files, ...result } = replayed;
  return { ...result, report: { written: [], unchanged: files, removed: [] } };
}

/** The request a manifest answers: the same output folder, options and code. */
export interface ManifestRequest {
  readonly cacheDir: string;
  readonly contentDir: string;
  readonly outDir: string;
  readonly now: Date;
  /** Every option that can change the output (overrides, drafts, limits...), JSON-serializable. */
  readonly options: unknown;
}

/**
 * Where the last build put its items' texts (serialize/stream.ts, `ItemTable`), in the files it left that are
 * still as it left them: per post print (build.ts), per format, the file (absolute) and the byte range.
 */
export interface OldItems {
  /** The places of a print's item texts, by format. */
  readonly places: ReadonlyMap<string, ReadonlyMap<string, { readonly file: string; readonly start: number; readonly length: number }>>;
  /** Those files' tables as recorded (relative paths), carried into the next manifest for the files a build keeps. */
  readonly tables: ReadonlyMap<string, ItemTableRow>;
}

/** One file's items in the manifest: the file (relative), its format, the prints joined by newlines, and start/length pairs. */
type ItemTableRow = readonly [file: string, format: string, prints: string, ranges: Float64Array];

const NO_OLD_ITEMS: OldItems = { places: new Map(), tables: new Map() };

/** A feed's files as the last build left them, kept by a build that finds the same fingerprint: its files' byte lengths. */
type KeptFeeds = ReadonlyMap<string, { readonly key: string; readonly sizes: ReadonlyMap<string, number> }>;

/**
 * What a build read and what its output depends on, gathered while it runs (absolute paths). `reusable`
 * false: its output depends on something a stat cannot prove (a date that took parts from the build time).
 * It also carries the last build's feed fingerprints, so a feed whose fingerprint is unchanged is kept.
 */
export class BuildInputs {
  /** Each feed's files and fingerprint, for the next build. */
  readonly feeds: (readonly [readonly string[], string])[] = [];

  /** `startedAt`: the clock when the build started; `previous`: what `readKeptFeeds` found. */
  constructor(
    readonly startedAt: number = Date.now(),
    private readonly previous: KeptFeeds = new Map(),
    readonly oldItems: OldItems = NO_OLD_ITEMS,
  ) {}

  /** Where this build's items went, per file written (set once the feeds are written). */
  items: ItemTable = [];

  /**
   * Records the stat of input `file` (size, mtime, ctime, inode) as the build took it when reading it, and the
   * hash of the bytes it read if any. Kept as columns, as the manifest stores them (20,000 posts each build).
   */
  noteStat(file: string, size: number, mtimeMs: number, ctimeMs: number, ino: number, hash?: string): void {
    if (hash !== undefined) this.stated.hashes[this.stated.paths.length] = hash;
    this.stated.paths.push(file);
    this.stated.stats.push(size, mtimeMs, ctimeMs, ino);
  }

  /** Files stamped from this clock reading on are racy for this build: their stat alone proves nothing. */
  get racySince(): number {
    return this.startedAt - RACY_MS;
  }

  /** Whether a file stamped `mtimeMs`/`ctimeMs` is old enough for its stat to prove its bytes. */
  trusts(mtimeMs: number, ctimeMs: number): boolean {
    return mtimeMs < this.racySince && ctimeMs < this.racySince;
  }

  /**
   * Records that the feed written to `files` has fingerprint `parts` (everything its bytes depend on besides
   * the code and options in the manifest key, JSON-serializable), and returns its files' byte lengths when
   * the last build left exactly these files with the same fingerprint: then the feed is kept as it is.
   */
  keepFeed(files: readonly string[], parts: unknown): ReadonlyMap<string, number> | undefined {
    const key = createHash('sha256').update(JSON.stringify(parts)).digest('hex');
    this.feeds.push([files, key]);
    const previous = this.previous.get(files.join('\n'));
    return previous?.key === key ? previous.sizes : undefined;
  }

  readonly files = new Set<string>();
  /** Input files whose stat the build already took when it read them (the post files), with their bytes' hash when racy. */
  readonly stated: { readonly paths: string[]; readonly stats: number[]; readonly hashes: Record<number, string> } = { paths: [], stats: [], hashes: {} };
  readonly folders = new Set<string>();
  /** Folders whose whole tree is an input (`_data`): every file and folder below is recorded. */
  readonly trees = new Set<string>();
  /** The newest date among the posts that the build time let in, and the oldest among those it kept out. */
  publishedUpTo = -Infinity;
  futureFrom = Infinity;
  /** Liquid may have read the build time (`site.time`, a date filter): only the same build time replays. */
  dependsOnNow = false;
  reusable = true;

  /** Notes a post's date against the build time it was (or was not) published for. */
  noteDate(date: Date, now: Date): void {
    const t = date.getTime();
    if (t > now.getTime()) this.futureFrom = Math.min(this.futureFrom, t);
    else this.publishedUpTo = Math.max(this.publishedUpTo, t);
  }
}

interface Manifest {
  readonly format: number;
  readonly key: string;
  /** When the build started: an input modified since (less `RACY_MS`) may have changed after it was read. */
  readonly startedAt: number;
  readonly now: { readonly from: number; readonly until: number; readonly exact?: number };
  /** Input paths with their stat and, for a racy one whose bytes the build hashed, that hash. */
  readonly inputs: InputTable;
  /** Folders compared by their entries' names (`null`: absent). */
  readonly listings: readonly (readonly [string, readonly string[] | null])[];
  /** Output files (relative POSIX paths) with their stat and, when the stat was racy, their bytes' hash. */
  readonly outputs: readonly (readonly [string, StatKey, string | undefined])[];
  /** Each feed's files and fingerprint (see `BuildInputs.keepFeed`). */
  readonly feeds: readonly (readonly [readonly string[], string])[];
  /** Where each file's items are (see `OldItems`). */
  readonly items: readonly ItemTableRow[];
  readonly result: ManifestResult;
}

/**
 * The inputs as columns: their paths joined by NUL (no path holds one), four numbers of stat per path (a
 * size of -1: absent) and the hashes by index. At 20,000 posts V8 read the manifest back in ~3 ms against
 * 28-37 ms for a tuple per input (its serializer rebuilds every array and object one by one), and wrote it
 * in 8-19 ms against 16-33 ms.
 */
interface InputTable {
  readonly paths: string;
  readonly stats: Float64Array;
  readonly hashes: Readonly<Record<number, string>>;
  /** How many of the inputs, first, are the stated ones (the post files, in path order). */
  readonly stated: number;
}

/** The table of the stated inputs (with their hashes), then the others' (stat'ed, no hash). */
function toInputTable(stated: BuildInputs['stated'], others: readonly (readonly [string, StatKey])[]): InputTable {
  const count = stated.paths.length;
  const stats = new Float64Array((count + others.length) * 4);
  stats.set(stated.stats);
  others.forEach(([, key], i) => stats.set(key ?? [-1, 0, 0, 0], (count + i) * 4));
  return { paths: [...stated.paths, ...others.map(([file]) => file)].join('\0'), stats, hashes: { ...stated.hashes }, stated: count };
}

function isInputTable(value: unknown): value is InputTable {
  if (value === null || typeof value !== 'object') return false;
  const { paths, stats, hashes, stated } = value as Record<string, unknown>;
  return typeof paths === 'string' && stats instanceof Float64Array && typeof hashes === 'object' && hashes !== null && Object.values(hashes).every((h) => typeof h === 'string') && typeof stated === 'number';
}

/** A table's input paths, in the order they were recorded; `undefined` for a table that does not add up. */
function inputPaths(table: InputTable): string[] | undefined {
  const paths = table.paths === '' ? [] : table.paths.split('\0');
  return table.stats.length === paths.length * 4 && Number.isInteger(table.stated) && table.stated >= 0 && table.stated <= paths.length ? paths : undefined;
}

/** The recorded stat of a table's input `i`. */
function inputKey(table: InputTable, i: number): StatKey {
  const at = i * 4;
  const size = table.stats[at] ?? -1;
  return size < 0 ? null : [size, table.stats[at + 1] ?? 0, table.stats[at + 2] ?? 0, table.stats[at + 3] ?? 0];
}

function statKey(file: string): StatKey {
  try {
    const s = statSync(file);
    return [s.size, s.mtimeMs, s.ctimeMs, s.ino];
  } catch {
    return null;
  }
}

function sameKey(a: StatKey, b: StatKey): boolean {
  return a === null || b === null ? a === b : a[0] === b[0] && a[1] === b[1] && a[2] === b[2] && a[3] === b[3];
}

function isRacy(key: StatKey, since: number): boolean {
  return key !== null && (key[1] >= since - RACY_MS || key[2] >= since - RACY_MS);
}

function listing(dir: string): string[] | null {
  try {
    return readdirSync(dir).sort();
  } catch {
    return null;
  }
}

function hashFile(file: string): string | undefined {
  try {
    return hashBytes(readFileSync(file));
  } catch {
    return undefined;
  }
}

function keyOf(request: ManifestRequest): string {
  let root: string;
  try {
    root = realpathSync(request.contentDir);
  } catch {
    root = request.contentDir;
  }
  const parts = [MANIFEST_FORMAT, GENERATOR.version, process.versions.v8, codeFingerprint(), root, path.resolve(request.outDir), request.options];
  return createHash('sha256').update(JSON.stringify(parts)).digest('hex');
}

/** Removes the manifest: done before a build starts, so a build that fails leaves none to replay. */
export function dropManifest(cacheDir: string): void {
  lastRead = undefined;
  outputChecks = new WeakMap();
  rmSync(path.join(cacheDir, MANIFEST_FILE), { force: true });
}

/**
 * The manifest last read in this process and the stat of its file then: a build that is not replayed reads
 * it twice (the replay check, then the kept feeds) before it drops it. Every write renames a new file into
 * place, so a changed manifest never has the same stat.
 */
let lastRead: { readonly file: string; readonly stat: StatKey; readonly manifest: Manifest } | undefined;

function readManifest(cacheDir: string): Manifest | undefined {
  const file = path.join(cacheDir, MANIFEST_FILE);
  const stat = statKey(file);
  if (stat === null) return undefined;
  if (lastRead !== undefined && lastRead.file === file && sameKey(lastRead.stat, stat)) return lastRead.manifest;
  try {
    const value = deserialize(readFileSync(file)) as Partial<Manifest> | null;
    if (value === null || typeof value !== 'object' || value.format !== MANIFEST_FORMAT) return undefined;
    const { key, startedAt, now, inputs, listings, outputs, feeds, result } = value;
    if (typeof key !== 'string' || typeof startedAt !== 'number' || typeof now !== 'object' || !isInputTable(inputs) || !Array.isArray(listings) || !Array.isArray(outputs) || !Array.isArray(feeds) || !Array.isArray(value.items)) return undefined;
    if (typeof result !== 'object' || result === null || !Array.isArray(result.feeds) || !Array.isArray(result.diagnostics) || typeof result.stats !== 'object') return undefined;
    const manifest = value as Manifest;
    lastRead = { file, stat, manifest };
    return manifest;
  } catch {
    return undefined;
  }
}

/**
 * The last build's result if the manifest in `request.cacheDir` proves that building again would write the
 * same bytes and nothing else: same code and options, a build time in the same window, every input and
 * output stat and every owned folder's entries exactly as recorded. Returns the output files (relative
 * paths) with it. Anything else, including any doubt, returns `undefined`.
 */
export function replayBuild(request: ManifestRequest): (ManifestResult & { readonly files: readonly string[] }) | undefined {
  const manifest = readManifest(request.cacheDir);
  if (manifest === undefined || manifest.key !== keyOf(request)) return undefined;
  const now = request.now.getTime();
  if (manifest.now.exact !== undefined ? now !== manifest.now.exact : now < manifest.now.from || now >= manifest.now.until) return undefined;
  // Inputs first: the post files from the end (the newest, by their names, the likeliest to have changed: a
  // one-edit rebuild stat'ed the ~760 other inputs first and made a tuple of every one), then the others.
  // Hashes (of racy files) are read only once every stat matched.
  const table = manifest.inputs;
  const paths = inputPaths(table);
  if (paths === undefined) return undefined;
  for (let i = table.stated - 1; i >= 0; i--) if (!sameKey(statKey(paths[i] ?? ''), inputKey(table, i))) return undefined;
  for (let i = paths.length - 1; i >= table.stated; i--) if (!sameKey(statKey(paths[i] ?? ''), inputKey(table, i))) return undefined;
  for (const [rel, recorded] of manifest.outputs) if (!sameKey(statKey(path.join(request.outDir, ...rel.split('/'))), recorded)) return undefined;
  for (const [dir, names] of manifest.listings) {
    const found = listing(dir);
    if (found === null || names === null ? found !== names : found.length !== names.length || found.some((n, i) => n !== names[i])) return undefined;
  }
  // Stamped too close to the build for its stat to prove the bytes it read: only their hash can.
  for (let i = 0; i < paths.length; i++) {
    const hash = table.hashes[i];
    if (isRacy(inputKey(table, i), manifest.startedAt) && (hash === undefined || hashFile(paths[i] ?? '') !== hash)) return undefined;
  }
  // Written within the racy window before it was recorded: its stat alone cannot prove its bytes.
  for (const [rel, , hash] of manifest.outputs) if (hash !== undefined && hashFile(path.join(request.outDir, ...rel.split('/'))) !== hash) return undefined;
  // Outputs whose bytes were just proven by their hash and are no longer racy are recorded by stat alone, so
  // the next replay need not read them (their stat is now taken well after their last change).
  const checkedAt = Date.now();
  if (manifest.outputs.some(([, key, hash]) => hash !== undefined && !isRacy(key, checkedAt))) {
    const outputs = manifest.outputs.map(([rel, key, hash]) => [rel, key, isRacy(key, checkedAt) ? hash : undefined] as const);
    try {
      writeFileAtomicSync(path.join(request.cacheDir, MANIFEST_FILE), serialize({ ...manifest, outputs }), { sync: false });
    } catch {
      // The next replay hashes them again.
    }
  }
  return { ...manifest.result, files: manifest.outputs.map(([rel]) => rel) };
}

/**
 * The feeds of the last build that a new build may keep: those whose files are all on disk exactly as the
 * last build recorded them, under the same code, options and output folder. Empty when in doubt.
 */
export function readKeptFeeds(request: ManifestRequest): KeptFeeds {
  const kept = new Map<string, { key: string; sizes: ReadonlyMap<string, number> }>();
  const manifest = readManifest(request.cacheDir);
  if (manifest === undefined || manifest.key !== keyOf(request)) return kept;
  try {
    const unchanged = unchangedOutputs(request, manifest);
    for (const [files, key] of manifest.feeds) {
      const sizes = new Map<string, number>();
      for (const rel of files) {
        const size = unchanged(rel);
        if (size === undefined) break;
        sizes.set(rel, size);
      }
      if (sizes.size === files.length && typeof key === 'string') kept.set(files.join('\n'), { key, sizes });
    }
    return kept;
  } catch {
    // A malformed manifest keeps nothing.
    return new Map();
  }
}

/**
 * Where the last build's items are in the files it wrote that are still exactly as it left them (see
 * `OldItems`). Empty when in doubt. What a build takes from these places it checks itself (build.ts).
 */
export function readOldItems(request: ManifestRequest): OldItems {
  const manifest = readManifest(request.cacheDir);
  if (manifest === undefined || manifest.key !== keyOf(request)) return NO_OLD_ITEMS;
  try {
    const unchanged = unchangedOutputs(request, manifest);
    const places = new Map<string, Map<string, { file: string; start: number; length: number }>>();
    const tables = new Map<string, ItemTableRow>();
    for (const row of manifest.items) {
      const [rel, format, prints, ranges] = row;
      if (typeof rel !== 'string' || typeof format !== 'string' || typeof prints !== 'string' || !(ranges instanceof Float64Array)) return NO_OLD_ITEMS;
      const size = unchanged(rel);
      const list = prints === '' ? [] : prints.split('\n');
      if (size === undefined || ranges.length !== list.length * 2) continue;
      const file = path.join(request.outDir, ...rel.split('/'));
      tables.set(rel, row);
      list.forEach((print, i) => {
        const start = ranges[i * 2] ?? -1;
        const length = ranges[i * 2 + 1] ?? -1;
        if (!(start >= 0 && length > 0 && start + length <= size)) return;
        let byFormat = places.get(print);
        if (byFormat === undefined) places.set(print, (byFormat = new Map()));
        if (!byFormat.has(format)) byFormat.set(format, { file, start, length });
      });
    }
    return { places, tables };
  } catch {
    return NO_OLD_ITEMS;
  }
}

/** Each manifest's answers of `unchangedOutputs` by output folder: the kept feeds and the old items ask about the same files (and hash racy ones). */
let outputChecks = new WeakMap<Manifest, Map<string, (rel: string) => number | undefined>>();

/** The byte length of output `rel` if it is as the manifest's build left it (its stat, and its hash when that was racy), else `undefined`. */
function unchangedOutputs(request: ManifestRequest, manifest: Manifest): (rel: string) => number | undefined {
  let byFolder = outputChecks.get(manifest);
  if (byFolder === undefined) outputChecks.set(manifest, (byFolder = new Map()));
  const known = byFolder.get(request.outDir);
  if (known !== undefined) return known;
  const outputs = new Map(manifest.outputs.map(([rel, key, hash]) => [rel, { key, hash }]));
  const seen = new Map<string, number | undefined>();
  const check = (rel: string): number | undefined => {
    if (seen.has(rel)) return seen.get(rel);
    const recorded = outputs.get(rel);
    const file = path.join(request.outDir, ...rel.split('/'));
    const found = recorded === undefined ? null : statKey(file);
    const size = recorded === undefined || found === null || !sameKey(found, recorded.key) || (recorded.hash !== undefined && hashFile(file) !== recorded.hash) ? undefined : found[0];
    seen.set(rel, size);
    return size;
  };
  byFolder.set(request.outDir, check);
  return check;
}

/**
 * Every folder below `dir`, `dir` included (absent ones too); with `files`, also every file, following
 * linked folders as `_data` is read (the output's owned trees are walked without: linked folders there are refused).
 */
function walkTree(dir: string, out: string[], files: boolean): void {
  out.push(dir);
  let entries;
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch {
    return;
  }
  for (const entry of entries) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory() || (files && entry.isSymbolicLink() && statSync(full, { throwIfNoEntry: false })?.isDirectory() === true)) walkTree(full, out, files);
    else if (files) out.push(full);
  }
}

/** Every folder of the output folder's owned trees (absent ones too): a full build would prune stale feeds there. */
function ownedFolders(outDir: string): string[] {
  const out: string[] = [];
  for (const tree of OWNED_TREES) walkTree(path.join(outDir, tree), out, false);
  return out;
}

/**
 * The item table of the next manifest: this build's own, and the last build's for the files it kept as they
 * were (of those it left in place: `files`).
 */
function itemRows(inputs: BuildInputs, files: ReadonlySet<string>): ItemTableRow[] {
  const written = new Set(inputs.items.map(([file]) => file));
  const own = inputs.items.filter(([, , places]) => places.length > 0).map(([file, format, places]): ItemTableRow => {
    const ranges = new Float64Array(places.length * 2);
    places.forEach(([, start, length], i) => ranges.set([start, length], i * 2));
    return [file, format, places.map(([print]) => print).join('\n'), ranges];
  });
  const carried = [...inputs.oldItems.tables].filter(([file]) => !written.has(file) && files.has(file)).map(([, row]) => row);
  return [...own, ...carried];
}

/**
 * Saves the manifest of a build that succeeded: started at `startedAt` (the clock, before anything was
 * read), read `inputs`, wrote `files` (relative to `request.outDir`) and reported `result`. Nothing is saved
 * for a build whose output a stat cannot prove. Failures only cost the next build its shortcut.
 */
export function saveManifest(request: ManifestRequest, startedAt: number, inputs: BuildInputs, files: readonly string[], result: ManifestResult): void {
  try {
    dropManifest(request.cacheDir);
    if (!inputs.reusable) return;
    const outDir = path.resolve(request.outDir);
    const listed = new Set<string>(ownedFolders(outDir));
    // The stated files first, as the build took them, then the other inputs stat'ed now (a path among both is
    // checked twice by a replay, which only makes it stricter).
    const recorded = new Map<string, StatKey>();
    const inputPaths = [...inputs.files];
    for (const tree of inputs.trees) walkTree(tree, inputPaths, true);
    for (const file of inputPaths) recorded.set(file, statKey(file));
    for (const dir of inputs.folders) {
      // A folder the build itself writes into (the output folder inside the site) changes its stat with every
      // build: its entries are compared instead.
      if (isInside(outDir, dir)) listed.add(dir);
      else recorded.set(dir, statKey(dir));
    }
    const savedAt = Date.now();
    const outputs = files.map((rel): readonly [string, StatKey, string | undefined] => {
      const file = path.join(outDir, ...rel.split('/'));
      const key = statKey(file);
      return [rel, key, isRacy(key, savedAt) ? hashFile(file) : undefined];
    });
    if (outputs.some(([, key]) => key === null)) return;
    const manifest: Manifest = {
      format: MANIFEST_FORMAT,
      key: keyOf(request),
      startedAt,
      now: { from: inputs.publishedUpTo, until: inputs.futureFrom, ...(inputs.dependsOnNow ? { exact: request.now.getTime() } : {}) },
      inputs: toInputTable(inputs.stated, [...recorded]),
      listings: [...listed].sort().map((dir) => [dir, listing(dir)] as const),
      outputs,
      feeds: inputs.feeds,
      items: itemRows(inputs, new Set(files)),
      result,
    };
    writeFileAtomicSync(path.join(request.cacheDir, MANIFEST_FILE), serialize(manifest), { sync: false });
  } catch {
    dropManifest(request.cacheDir);
  }
}
