/**
 * Interoperability: every feed we publish (output/ and each golden case's expected/) read by the parsers that
 * real readers are built on (test/support/readers.ts), each of which must read the same id, link, title,
 * published and updated dates, authors, categories and enclosure as our model. The model is feed.json read
 * with JSON.parse (no feed parser), which conformance.test.ts proves agrees with rss.xml and atom.xml.
 *
 * A parser bug that feedwright cannot write around is listed in KNOWN_BUGS with the parser's bug; anything
 * else that differs fails. A parser whose Debian package is missing is skipped with the package named, and
 * fails under CI=true.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findFeedDirs } from './support/conformance.js';
import { disposeReaders, readerAvailable, READERS, type FeedFormat, type FeedReader, type ReadEnclosure, type ReadItem, type ReadResult } from './support/readers.js';

const REPO = fileURLToPath(new URL('..', import.meta.url));
const FILES: Readonly<Record<FeedFormat, string>> = { rss: 'rss.xml', atom: 'atom.xml', json: 'feed.json' };

/** Every published trio folder, relative to the repository. */
const TRIOS = [path.join(REPO, 'output'), ...readdirSync(path.join(REPO, 'test', 'golden')).map((name) => path.join(REPO, 'test', 'golden', name, 'expected'))]
  .filter((root) => existsSync(root))
  .flatMap((root) => findFeedDirs(root))
  .map((dir) => path.relative(REPO, dir));

/** One item of our model, as feed.json states it. */
interface ModelItem {
  readonly id: string;
  readonly url: string;
  readonly title: string;
  readonly published: string;
  readonly updated: string;
  readonly authors: readonly string[];
  readonly categories: readonly string[];
  readonly enclosure: { readonly url: string; readonly type: string; readonly length: number | undefined } | undefined;
}

interface JsonItem {
  readonly id: string;
  readonly url: string;
  readonly title: string;
  readonly date_published: string;
  readonly date_modified: string;
  readonly authors?: ReadonlyArray<{ readonly name: string }>;
  readonly tags?: readonly string[];
  readonly attachments?: ReadonlyArray<{ readonly url: string; readonly mime_type: string; readonly size_in_bytes?: number }>;
}

function toStamp(value: string): string {
  return new Date(value).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

function loadModel(trio: string): ModelItem[] {
  const feed = JSON.parse(readFileSync(path.join(REPO, trio, FILES.json), 'utf8')) as { items: JsonItem[] };
  return feed.items.map((item) => {
    const attachment = item.attachments?.[0];
    return {
      id: item.id,
      url: item.url,
      title: item.title,
      published: toStamp(item.date_published),
      updated: toStamp(item.date_modified),
      authors: (item.authors ?? []).map((a) => a.name),
      categories: item.tags ?? [],
      enclosure: attachment && { url: attachment.url, type: attachment.mime_type, length: attachment.size_in_bytes },
    };
  });
}

/** The fields compared, in the order the matrix reports them. */
const FIELDS = ['id', 'link', 'title', 'published', 'updated', 'authors', 'categories', 'enclosure'] as const;
type Field = (typeof FIELDS)[number];

/** A parser bug we cannot write around: which reader, format and field, for which items, and why. */
interface KnownBug {
  readonly reader: string;
  readonly formats: readonly FeedFormat[];
  readonly field: Field;
  /** Items the bug touches (all when absent). */
  readonly when?: (item: ModelItem) => boolean;
  readonly bug: string;
}

/** A title some parsers take for HTML: it holds `<` + letter, or an entity-like `&name;`. */
const looksLikeMarkup = (text: string): boolean => /<[A-Za-z/!]|&#?\w+;/.test(text);

const KNOWN_BUGS: readonly KnownBug[] = [
  {
    reader: 'SimplePie',
    formats: ['rss', 'atom'],
    field: 'published',
    bug: 'SimplePie 1.3.1 (Debian libphp-simplepie) SimplePie_Parse_Date calls implode() with the pre-PHP 8 argument order and throws a TypeError on PHP 8: it reads no date at all',
  },
  {
    reader: 'SimplePie',
    formats: ['atom'],
    field: 'updated',
    bug: 'SimplePie 1.3.1 on PHP 8: the same implode() TypeError in its date parser',
  },
  {
    reader: 'SimplePie',
    formats: ['rss', 'atom'],
    field: 'enclosure',
    bug: 'SimplePie 1.3.1 SimplePie_Enclosure::get_link() appends "#" (or "?#") to every enclosure URL, and SimplePie_Item::get_enclosures() gives an item without one a placeholder enclosure "//?#"',
  },
  {
    reader: 'gofeed',
    formats: ['json'],
    field: 'enclosure',
    when: (item) => item.enclosure?.length !== undefined,
    bug: 'gofeed 1.1.3 DefaultJSONTranslator sets an attachment\'s Length from duration_in_seconds, not size_in_bytes (translator.go)',
  },
  {
    reader: 'gofeed',
    formats: ['rss', 'json'],
    field: 'authors',
    when: (item) => item.authors.some((a) => /[@()]/.test(a)),
    bug: 'gofeed 1.1.3 runs dc:creator and JSON Feed author names through shared.ParseNameAddress, which knows only "Name (e@mail)" shapes: "Lee Marsh (@leemarsh)" matches none and comes out as an empty name',
  },
  {
    reader: '@rowanmanning/feed-parser',
    formats: ['rss'],
    field: 'authors',
    when: (item) => item.authors.some((a) => a.includes('@')),
    bug: '@rowanmanning/feed-parser 2.1 parseContactString takes any word of an RSS dc:creator holding "@" for an e-mail address and drops it from the name: "Lee Marsh (@leemarsh)" becomes "Lee Marsh"',
  },
  {
    reader: 'ruby-feedparser',
    formats: ['rss', 'atom'],
    field: 'title',
    when: (item) => looksLikeMarkup(item.title),
    bug: 'ruby-feedparser 0.11 reads every title as HTML (unescape_html + html2text): "<b>x</b>" becomes "*x*" and a literal "&amp;" becomes "&"',
  },
];

/** What one reader read of one file, compared with the model, known bugs set apart. */
interface Comparison {
  readonly problems: string[];
  readonly excused: Map<Field, string>;
  readonly fields: Set<Field>;
}

function sameEnclosure(read: ReadEnclosure | null, model: ModelItem['enclosure']): boolean {
  if (read === null || model === undefined) return read === null && model === undefined;
  // An unknown length is written 0 in RSS (its length is required) and left out in Atom and JSON Feed.
  const length = read.length === '' || read.length === '0' ? undefined : Number(read.length);
  return read.url === model.url && read.type === model.type && length === model.length;
}

function compare(reader: FeedReader, format: FeedFormat, items: readonly ReadItem[], model: readonly ModelItem[], where: string): Comparison {
  const result: Comparison = { problems: [], excused: new Map(), fields: new Set() };
  if (items.length !== model.length) {
    result.problems.push(`${where}: ${items.length} items read, the model has ${model.length}`);
    return result;
  }
  items.forEach((item, index) => {
    const want = model[index] as ModelItem;
    const expected: Record<Field, unknown> = {
      id: want.id,
      link: want.url,
      title: want.title,
      published: want.published,
      updated: want.updated,
      authors: want.authors,
      categories: want.categories,
      enclosure: want.enclosure,
    };
    for (const field of FIELDS) {
      const got = item[field];
      // RSS has no updated date; a field the parser does not read at all is not compared.
      if (got === undefined || (field === 'updated' && format === 'rss')) continue;
      result.fields.add(field);
      const same = field === 'enclosure' ? sameEnclosure(got as ReadEnclosure | null, want.enclosure) : JSON.stringify(got) === JSON.stringify(expected[field]);
      if (same) continue;
      const known = KNOWN_BUGS.find((b) => b.reader === reader.name && b.field === field && b.formats.includes(format) && (b.when?.(want) ?? true));
      if (known) result.excused.set(field, known.bug);
      else result.problems.push(`${where} item ${index + 1} (${want.id}) ${field}: read ${JSON.stringify(got)}, model ${JSON.stringify(expected[field])}`);
    }
  });
  return result;
}

/** reader → format → field → 'ok' | the known bug, for the matrix printed at the end. */
const MATRIX = new Map<string, Map<FeedFormat, Map<Field, string>>>();

function record(reader: string, format: FeedFormat, comparison: Comparison): void {
  const byFormat = MATRIX.get(reader) ?? new Map<FeedFormat, Map<Field, string>>();
  MATRIX.set(reader, byFormat);
  const byField = byFormat.get(format) ?? new Map<Field, string>();
  byFormat.set(format, byField);
  for (const field of comparison.fields) if (!byField.has(field)) byField.set(field, 'ok');
  for (const [field, bug] of comparison.excused) byField.set(field, `exception: ${bug}`);
}

afterAll(() => {
  disposeReaders();
  const lines: string[] = ['', 'Interop matrix (reader × format: field = ok | exception)'];
  for (const [reader, byFormat] of MATRIX) {
    for (const [format, byField] of byFormat) {
      const cells = FIELDS.map((f) => `${f}=${byField.has(f) ? (byField.get(f) === 'ok' ? 'ok' : 'EXC') : 'n/a'}`);
      lines.push(`  ${reader.padEnd(26)} ${format.padEnd(4)} ${cells.join(' ')}`);
      for (const [field, state] of byField) if (state !== 'ok') lines.push(`      ${field}: ${state}`);
    }
  }
  process.stdout.write(`${lines.join('\n')}\n`);
});

/** Whether a reader can run here; missing under CI=true is a failure, elsewhere a skip naming the package. */
function available(reader: FeedReader): boolean {
  if (readerAvailable(reader)) return true;
  const how = `apt-get install -y ${reader.tool?.debian ?? ''}`;
  if (process.env['CI'] === 'true') throw new Error(`${reader.name} is required under CI=true but is not installed (install: ${how})`);
  process.stderr.write(`\n[feedwright tests] SKIPPED: interop tests with ${reader.name}, which is not installed. Install it with: ${how}\n`);
  return false;
}

describe('published feeds to read', () => {
  it('finds output/ and the golden trios', () => {
    expect(TRIOS).toContain('output');
    expect(TRIOS.length).toBeGreaterThan(10);
  });
});

const ALL_AVAILABLE = READERS.every((reader) => readerAvailable(reader));

describe.each(READERS.map((reader) => ({ name: reader.name, reader })))('$name', ({ reader }) => {
  const run = available(reader);
  describe.each(reader.formats.map((format) => ({ format })))('$format', ({ format }) => {
    const results = new Map<string, ReadResult>();
    beforeAll(async () => {
      if (!run) return;
      const files = TRIOS.map((trio) => path.join(REPO, trio, FILES[format]));
      const read = await reader.readMany(files, format);
      TRIOS.forEach((trio, index) => results.set(trio, read[index] ?? { error: 'no result' }));
    }, 180_000);

    it.skipIf(!run).each(TRIOS)('reads %s like our model', (trio) => {
      const result = results.get(trio);
      if (result === undefined || 'error' in result) throw new Error(`${reader.name} could not read ${trio}/${FILES[format]}: ${result?.error ?? 'not read'}`);
      const comparison = compare(reader, format, result.items, loadModel(trio), `${trio}/${FILES[format]}`);
      record(reader.name, format, comparison);
      expect(comparison.problems).toEqual([]);
    });
  });
});

describe('known parser bugs', () => {
  // Runs after every reader above: an exception no published feed needs any more is removed, not kept.
  it.skipIf(!ALL_AVAILABLE)('each one is met by a published feed', () => {
    const met = (bug: KnownBug): boolean => bug.formats.some((format) => MATRIX.get(bug.reader)?.get(format)?.get(bug.field) === `exception: ${bug.bug}`);
    expect(KNOWN_BUGS.filter((bug) => !met(bug)).map((bug) => `${bug.reader} ${bug.field}: ${bug.bug}`)).toEqual([]);
  });
});
