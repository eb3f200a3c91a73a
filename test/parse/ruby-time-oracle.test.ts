/**
 * The oracle table is Ruby's own answer: where ruby is installed, regenerate test/parse/ruby-time.cases.json
 * with test/support/ruby-time-cases.rb and require the committed file to equal it byte for byte.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { requireTool } from '../support/tools.js';

const hasRuby = requireTool('ruby');
const generator = fileURLToPath(new URL('../support/ruby-time-cases.rb', import.meta.url));
const committed = fileURLToPath(new URL('./ruby-time.cases.json', import.meta.url));

describe.skipIf(!hasRuby)('ruby-time.cases.json is what this machine\'s Ruby says', () => {
  it('regenerates to the committed bytes', () => {
    const run = spawnSync('ruby', [generator], { encoding: 'utf8', env: { ...process.env, TZ: 'UTC' }, timeout: 120_000 });
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    expect(run.stdout).toBe(readFileSync(committed, 'utf8'));
  });
});
