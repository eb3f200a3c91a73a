// Runs the real CLI (`run` from dist/, as dist/bin.js does) with a WriteIo that wraps the real nodeWriteIo and
// numbers every call per operation (create#1, append#7, rename#40, ...). Plain ESM, for test/kill.test.ts;
// run it after `npm run build`. Production code has no hook for this: the CLI takes a WriteIo (CliIo.writeIo).
//
//   node test/support/kill-at.mjs count LOG -- build --content DIR --out DIR ...
//       runs the build to the end; writes every call, in order, to LOG as JSON and prints the totals.
//   node test/support/kill-at.mjs OP#N LOG -- build ...
//       the same, but just before the N-th call of OP is made, writes LOG (the calls made so far and the
//       one about to be made), then SIGKILLs its own process: a real crash at an exact, repeatable point.
//
// Every call of the writer is awaited before the next is made (src/write/output.ts), so at the N-th call
// the calls before it have all completed and none after it has begun. Temp file names carry the process
// id and a per-process counter (shared with every other atomic write, such as the build cache's); the log
// writes them as PID and N, so logs of different runs compare equal (a build has one temp file per target).
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { run } from '../../dist/cli/index.js';
import { nodeWriteIo } from '../../dist/write/output.js';

const [spec, logFile, dashes, ...argv] = process.argv.slice(2);
const target = /^([a-zA-Z]+)#([1-9]\d*)$/.exec(spec ?? '');
if ((spec !== 'count' && target === null) || logFile === undefined || dashes !== '--') {
  process.stderr.write('usage: node test/support/kill-at.mjs count|OP#N LOG -- build ARGS...\n');
  process.exit(2);
}
const killOp = target?.[1];
const killAt = Number(target?.[2]);

const ownTemp = new RegExp(`^\\.feedwright-${process.pid}-\\d+-`);
/** `file` with this process's id and counter in a temp file name replaced by PID and N. */
const clean = (file) => path.join(path.dirname(file), path.basename(file).replace(ownTemp, '.feedwright-PID-N-'));

/** Every call so far: { op, n, path, to?, bytes? } (paths absolute, temp names cleaned). */
const calls = [];
const totals = {};

function saveLog(extra) {
  writeFileSync(logFile, `${JSON.stringify({ pid: process.pid, totals, calls, ...extra })}\n`);
}

/** Numbers the call; at the chosen one, logs and dies before the real call is made. */
function note(op, file, extra = {}) {
  const n = (totals[op] ?? 0) + 1;
  const call = { op, n, path: clean(file), ...extra };
  if (op === killOp && n === killAt) {
    saveLog({ killedBefore: call });
    process.kill(process.pid, 'SIGKILL');
  }
  totals[op] = n;
  calls.push(call);
}

/** @type {import('../../dist/write/output.js').WriteIo} */
const countingIo = {
  mkdir: async (dir) => (note('mkdir', dir), nodeWriteIo.mkdir(dir)),
  create: async (file) => (note('create', file), nodeWriteIo.create(file)),
  append: async (handle, data) => (note('append', handle.path, { bytes: Buffer.byteLength(data) }), nodeWriteIo.append(handle, data)),
  close: async (handle) => (note('close', handle.path), nodeWriteIo.close(handle)),
  rename: async (from, to) => (note('rename', from, { to }), nodeWriteIo.rename(from, to)),
  size: async (file) => (note('size', file), nodeWriteIo.size(file)),
  sameBytes: async (a, b) => (note('sameBytes', a, { to: b }), nodeWriteIo.sameBytes(a, b)),
  unlink: async (file) => (note('unlink', file), nodeWriteIo.unlink(file)),
  readdir: async (dir) => (note('readdir', dir), nodeWriteIo.readdir(dir)),
  rmdir: async (dir) => (note('rmdir', dir), nodeWriteIo.rmdir(dir)),
};

const code = await run(argv, {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  cwd: process.cwd(),
  now: () => new Date(),
  writeIo: countingIo,
});
saveLog({});
if (spec === 'count') process.stdout.write(`write calls: ${Object.entries(totals).map(([op, n]) => `${op} ${n}`).join(', ')}\n`);
else if (code === 0) {
  process.stderr.write(`kill-at: the build ended after ${totals[killOp] ?? 0} ${killOp} calls, before ${spec}\n`);
  process.exit(3);
}
process.exitCode = code;
