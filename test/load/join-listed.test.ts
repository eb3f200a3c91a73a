/** `joinListed` is `path.join` / `path.posix.join` for the paths the listing makes, whatever the folder is called. */
import path from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { joinListed } from '../../src/load/read.js';

const RUNS = Number(process.env['PROPERTY_RUNS'] ?? (process.env['CI'] === 'true' ? 10_000 : 1_000));
const segment = fc.stringMatching(/^[A-Za-z0-9._ -]{1,8}$/).filter((s) => s !== '.' && s !== '..');
// What the listing makes: directory entry names joined with `/`.
const listed = fc.array(segment, { minLength: 1, maxLength: 4 }).map((parts) => parts.join('/'));
// Folders as users name them: relative or absolute, with `.`, `..`, doubled and trailing slashes.
const folder = fc.array(fc.constantFrom('.', '..', 'content', 'a b', 'site.v2', '', '..x'), { maxLength: 5 }).chain((parts) => fc.constantFrom(parts.join('/'), `/${parts.join('/')}`, `${parts.join('/')}/`, '.', '/', './content'));

describe('joinListed', () => {
  it('gives what path.join and path.posix.join give', () => {
    fc.assert(
      fc.property(folder, listed, (dir, rel) => {
        expect(joinListed(path.join, dir, rel)).toBe(path.join(dir, rel));
        expect(joinListed(path.posix.join, dir, rel)).toBe(path.posix.join(dir, rel));
      }),
      { numRuns: RUNS, seed: 20261202 },
    );
  });
});
