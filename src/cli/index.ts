#!/usr/bin/env node
// The `lambda-harness` command. Everything lives in main.ts; this file only binds it to the process.
import { main } from './main.js';

main(
  process.argv.slice(2),
  {
    stdout: (text) => process.stdout.write(text),
    stderr: (text) => process.stderr.write(text),
    stdin: process.stdin,
    isTTY: process.stderr.isTTY === true,
    env: process.env,
  },
  process.argv[1],
).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`lambda-harness: internal error: ${String(error)}\n`);
    process.exitCode = 70;
  },
);
