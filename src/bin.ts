#!/usr/bin/env node
import { run } from './cli/index.js';
process.exitCode = await run(process.argv.slice(2), { stdout: (t) => process.stdout.write(t), stderr: (t) => process.stderr.write(t), cwd: process.cwd(), now: () => new Date(), progress: process.stderr.isTTY });
