/**
 * The committed oracle table (psych.cases.json) must be exactly what Ruby's Psych answers today, read the way
 * Jekyll 4.3 reads YAML. `UPDATE_PSYCH_CASES=1` rewrites the table instead of comparing.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { requireTool } from '../support/tools.js';
import { PSYCH_INPUTS } from './psych-inputs.js';

const here = (name: string): string => fileURLToPath(new URL(name, import.meta.url));
const TABLE = here('psych.cases.json');

function runPsych(): string {
  const run = spawnSync('ruby', [here('psych-oracle.rb')], { input: JSON.stringify(PSYCH_INPUTS), encoding: 'utf8', env: { ...process.env, TZ: 'UTC' }, maxBuffer: 64 * 1024 * 1024 });
  if (run.status !== 0) throw new Error(`psych-oracle.rb failed: ${run.stderr}`);
  return run.stdout;
}

describe.skipIf(!requireTool('ruby'))('yaml oracle: psych.cases.json', () => {
  it('is what ruby -ryaml (Psych.safe_load, as Jekyll calls it) answers for every input', () => {
    const fresh = runPsych();
    if (process.env['UPDATE_PSYCH_CASES'] === '1') writeFileSync(TABLE, fresh);
    expect(JSON.parse(readFileSync(TABLE, 'utf8'))).toEqual(JSON.parse(fresh));
  }, 60_000);
});
