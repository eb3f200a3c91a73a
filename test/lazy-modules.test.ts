/**
 * Start-up: a build loads only the packages its site needs. liquidjs and the `_data` reader (with csv-parse)
 * come with the first post that has Liquid, date-fns' `format` with the first permalink that names a month,
 * a weekday or an ISO week; a site without them loads none of the three. Runs the built CLI with a module
 * log (ES modules through a load hook, CommonJS from require's cache, messages read before the process exits).
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { CONFIG, makeSite, post } from './support/site.js';

const ROOT = path.resolve(import.meta.dirname, '..');
const BIN = path.join(ROOT, 'dist', 'bin.js');
const LOG = path.join(ROOT, 'test', 'support', 'module-log.mjs');

function packagesLoaded(site: string): string[] {
  const out = path.join(site, '_out');
  const result = spawnSync(process.execPath, ['--import', LOG, BIN, 'build', '--content', site, '--out', out, '--no-cache', '--workers', '0', '--now', '2026-06-01T00:00:00Z', '--quiet'], { encoding: 'utf8' });
  expect(result.status, result.stderr).toBe(0);
  const line = result.stderr.split('\n').find((l) => l.startsWith('MODULES '));
  if (line === undefined) throw new Error(`no module log in: ${result.stderr}`);
  return JSON.parse(line.slice('MODULES '.length)) as string[];
}

describe('packages loaded by a build', () => {
  it('leaves out liquidjs, csv-parse and date-fns for a site that needs none of them', () => {
    const loaded = packagesLoaded(makeSite({ '_config.yml': CONFIG, '_posts/2026-05-01-plain.md': post('Plain', '2026-05-01T10:00:00', '', 'Just *Markdown*.\n') }));
    expect(loaded).toEqual(expect.arrayContaining(['markdown-it', 'sanitize-html', 'yaml']));
    expect(loaded).not.toContain('liquidjs');
    expect(loaded).not.toContain('csv-parse');
    expect(loaded).not.toContain('date-fns');
  });

  it('builds posts with style attributes without postcss, domutils or dom-serializer, which the bundle leaves out (sanitize-html needs postcss only to parse styles, and htmlparser2 domutils only for exports sanitize-html does not use)', () => {
    const site = makeSite({ '_config.yml': CONFIG, '_posts/2026-05-01-styled.md': post('Styled', '2026-05-01T10:00:00', '', '<p style="color: red; background: url(x)">Red <span style="font-weight:bold">bold</span></p>\n') });
    const loaded = packagesLoaded(site);
    expect(loaded).toContain('sanitize-html');
    expect(loaded).not.toContain('postcss');
    // The module log names a nested package by its parent (sanitize-html): the bundle's metafile names every file.
    const meta = JSON.parse(readFileSync(path.join(ROOT, 'dist', 'bundle-meta.json'), 'utf8')) as { outputs: Record<string, { inputs: Record<string, unknown> }> };
    const inputs = Object.values(meta.outputs).flatMap((output) => Object.keys(output.inputs));
    expect(inputs.some((input) => input.includes('/htmlparser2/dist/commonjs/Parser.js'))).toBe(true);
    expect(inputs.filter((input) => /node_modules\/(postcss|domutils|dom-serializer)\//.test(input))).toEqual([]);
    const rss = readFileSync(path.join(site, '_out', 'rss.xml'), 'utf8');
    expect(rss).toContain('&lt;p>Red &lt;span>bold&lt;/span>&lt;/p>');
    expect(rss).not.toContain('style=');
  });

  it('loads each when a post or a permalink asks for it', () => {
    const loaded = packagesLoaded(
      makeSite({
        '_config.yml': `${CONFIG}permalink: /:year/:short_month/:title/\n`,
        '_data/desks.csv': 'name,floor\nCity,3\n',
        '_posts/2026-05-01-liquid.md': post('Liquid', '2026-05-01T10:00:00', '', 'Desk on floor {{ site.data.desks[0].floor }}.\n'),
      }),
    );
    expect(loaded).toEqual(expect.arrayContaining(['liquidjs', 'csv-parse', 'date-fns']));
  });
});
