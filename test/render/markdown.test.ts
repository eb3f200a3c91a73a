/**
 * feedwright's Markdown against kramdown as Jekyll 4.3 runs it. Each test/render/markdown-cases/<case>.md
 * (written by us, one real-post construct each; an optional <case>.config.yml holds the site config keys
 * that matter: `kramdown:` and `highlighter:`) has its kramdown rendering committed beside it as <case>.kramdown.html, produced by
 * generate-kramdown.rb through Jekyll's own converter. Our HTML must equal it under normalizeHtml (whitespace
 * between tags, entity vs character, attribute order, Rouge spans inside code). The second block re-runs the
 * generator with ruby and checks the committed expectations are what kramdown really produces.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { createMarkdown, kramdownOptionsFromSiteConfig, renderMarkdown, smartify } from '../../src/render/markdown.js';
import { normalizeHtml } from './normalize-html.js';

/** kramdown through Jekyll, the oracle: Debian's `jekyll` package brings ruby, kramdown and kramdown-parser-gfm. */
function hasJekyllKramdown(): boolean {
  const probe = spawnSync('ruby', ['-e', 'require "jekyll"; require "kramdown-parser-gfm"'], { encoding: 'utf8' });
  if (probe.status === 0) return true;
  const how = 'apt-get install -y jekyll';
  if (process.env['CI'] === 'true') throw new Error(`ruby with jekyll and kramdown-parser-gfm is required under CI=true but was not found (install: ${how})`);
  process.stderr.write(`\n[feedwright tests] SKIPPED: regenerating the kramdown expectations needs ruby + jekyll + kramdown-parser-gfm. Install them with: ${how}\n`);
  return false;
}

const here = path.dirname(fileURLToPath(import.meta.url));
const casesDir = path.join(here, 'markdown-cases');
const cases = readdirSync(casesDir).filter((f) => f.endsWith('.md')).map((f) => f.slice(0, -3)).sort();

/** Where we knowingly differ from kramdown, and why. Each entry must still differ (so the list stays true). */
const KNOWN_DIFFERENCES: Readonly<Record<string, string>> = {
  '88-intraword-underscore-star':
    'overlapping `*a *b* c*`: kramdown closes at the first `*` after `b` and leaves the rest literal; markdown-it nests by the CommonMark delimiter algorithm (rewriting emphasis parsing is out of scope)',
  '109-list-with-code-fence-no-indent':
    'a fence at column 0 right after a list item: kramdown keeps it inside the item (its list parser reads the fence line as lazy content); CommonMark ends the list',
  '137-fence-info-extra':
    'a fence info string with more than one word (```` ```ruby title="x" ````): kramdown-parser-gfm FENCED_CODEBLOCK_MATCH does not take it as a fence at all and the page falls apart; we render the code block with its first word as language',
  '141-unclosed-html':
    'malformed HTML (unclosed elements, stray end tags): kramdown re-parses block HTML with its own parser, escapes end tags it cannot match and closes everything at the end of the document; we pass the block through as written (a block whose element never closes runs to the end) and let the sanitizer repair it',
  '93-links-angle-and-titles':
    'a link title in parentheses `[x](/y (Title))`: kramdown has no such syntax and keeps it in the href; markdown-it reads a title (CommonMark)',
};

function renderCase(name: string): string {
  const configPath = path.join(casesDir, `${name}.config.yml`);
  const config: unknown = existsSync(configPath) ? parse(readFileSync(configPath, 'utf8')) : {};
  return createMarkdown(kramdownOptionsFromSiteConfig(config)).render(readFileSync(path.join(casesDir, `${name}.md`), 'utf8'));
}

function expected(name: string): string {
  return readFileSync(path.join(casesDir, `${name}.kramdown.html`), 'utf8');
}

describe('Markdown rendered as Jekyll kramdown renders it', () => {
  it('has 60+ cases, each with a committed kramdown rendering', () => {
    expect(cases.length).toBeGreaterThanOrEqual(60);
    for (const name of cases) expect(existsSync(path.join(casesDir, `${name}.kramdown.html`)), name).toBe(true);
  });

  it.each(cases.filter((c) => KNOWN_DIFFERENCES[c] === undefined))('%s matches kramdown', (name) => {
    expect(normalizeHtml(renderCase(name))).toBe(normalizeHtml(expected(name)));
  });

  it.each(Object.entries(KNOWN_DIFFERENCES))('%s still differs knowingly (%s)', (name) => {
    expect(normalizeHtml(renderCase(name))).not.toBe(normalizeHtml(expected(name)));
  });

  it('renderMarkdown uses Jekyll defaults', () => {
    expect(renderMarkdown('## It\'s "here"')).toBe('<h2 id="its-here">It’s “here”</h2>\n');
  });

  it('smartify equals Jekyll\'s smartify filter on every title case', () => {
    const pairs = JSON.parse(readFileSync(path.join(casesDir, 'smartify.kramdown.json'), 'utf8')) as { input: string; output: string }[];
    expect(pairs.length).toBeGreaterThan(10);
    for (const { input, output } of pairs) expect(smartify(input), input).toBe(output);
  });
});

describe.skipIf(!hasJekyllKramdown())('committed kramdown expectations', () => {
  it('equal what Jekyll\'s kramdown renders now (generate-kramdown.rb)', () => {
    const out = mkdtempSync(path.join(tmpdir(), 'feedwright-kramdown-'));
    try {
      const run = spawnSync('ruby', [path.join(here, 'generate-kramdown.rb'), casesDir, out], { encoding: 'utf8' });
      expect(run.stderr).toBe('');
      expect(run.status).toBe(0);
      const committed = readdirSync(casesDir).filter((f) => f.endsWith('.kramdown.html') || f.endsWith('.kramdown.json')).sort();
      expect(readdirSync(out).sort()).toEqual(committed);
      for (const file of committed) expect(readFileSync(path.join(out, file), 'utf8'), file).toBe(readFileSync(path.join(casesDir, file), 'utf8'));
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  });
});

describe('createMarkdown options and edge input', () => {
  it('reads Jekyll kramdown keys', () => {
    expect(kramdownOptionsFromSiteConfig({ kramdown: { smart_quotes: 'sbquo,lsquo,bdquo,ldquo', auto_ids: false, auto_id_prefix: 'h-', toc_levels: [2, 3], footnote_nr: 3, typographic_symbols: { hellip: '...' } } })).toEqual({
      smartQuotes: 'sbquo,lsquo,bdquo,ldquo',
      autoIds: false,
      autoIdPrefix: 'h-',
      tocLevels: [2, 3],
      footnoteNr: 3,
      typographicSymbols: { hellip: '...' },
    });
    expect(kramdownOptionsFromSiteConfig(undefined)).toEqual({});
    expect(kramdownOptionsFromSiteConfig({ kramdown: { toc_levels: '2..4', hard_wrap: true } })).toEqual({ tocLevels: [2, 3, 4], hardWrap: true });
    expect(kramdownOptionsFromSiteConfig({ kramdown: { toc_levels: '1,3' }, highlighter: 'none' })).toEqual({ tocLevels: [1, 3], rouge: false });
  });

  it('honours auto_id_prefix, typographic_symbols and numeric smart_quotes', () => {
    const md = createMarkdown({ autoIdPrefix: 'h-', typographicSymbols: { hellip: '...' }, smartQuotes: '171,187,8249,8250' });
    expect(md.render('# A "b" \'c\'...')).toBe('<h1 id="h-a-b-c">A ‹b› «c»...</h1>\n');
  });

  it('does not let a post forge the placeholder comment', () => {
    const html = renderMarkdown('<!--kramdown-placeholder:0-->\n\n{::nomarkdown}\n<b>raw</b>\n{:/nomarkdown}\n');
    expect(html).toContain('<!--kramdown-placeholder:0-->');
    expect(html).toContain('<b>raw</b>');
  });
});

describe('any input', () => {
  // Markdown-significant pieces, so the generated text reaches the kramdown rules (IALs, extensions, HTML
  // blocks, fences, footnotes, quotes) in every combination; a fixed seed keeps the run reproducible.
  const piece = fc.constantFrom('\n', '\n\n', ' ', '*', '_', '`', '```', '~~~', '"', "'", '--', '...', '<<', '>>', '\\', '{:', '}', '{: .x}', '{::comment}', '{:/}', '{::nomarkdown}', '{:toc}', '[^1]', '[^1]: ', '#', '## ', '> ', '* ', '1. ', '1) ', ': ', '|', '---', '<div>', '</div>', '<div markdown="1">', '<!--', '-->', '<em>', '</span>', '$$', '&amp;', '&#39;', 'word', 'é', '    ');
  const source = fc.array(piece, { maxLength: 60 }).map((parts) => parts.join(''));

  it('renders without throwing or leaking a placeholder, and smartifies without throwing', () => {
    fc.assert(
      fc.property(source, (text) => {
        expect(renderMarkdown(text)).not.toContain('kramdown-placeholder');
        expect(typeof smartify(text)).toBe('string');
      }),
      { seed: 20261202, numRuns: 400 },
    );
  });
});
