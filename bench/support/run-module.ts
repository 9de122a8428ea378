/**
 * Runs one benchmark module in this (fresh) process for bench/index.ts and prints its rows as
 * one JSON line after a marker. Usage: node --import tsx bench/support/run-module.ts <file> [--quick] [--million]
 */
import { pathToFileURL } from 'node:url';
import type { BenchModule } from './row.js';

export const ROWS_MARKER = '@@bench-rows@@';

const file = process.argv[2];
if (file === undefined) throw new Error('usage: run-module.ts <bench file> [--quick] [--million]');
const mod = (await import(pathToFileURL(file).href)) as Partial<BenchModule>;
if (typeof mod.run !== 'function') throw new Error(`${file} does not export run(options)`);
const rows = await mod.run({
  quick: process.argv.includes('--quick'),
  million: process.argv.includes('--million'),
});
process.stdout.write(`\n${ROWS_MARKER}${JSON.stringify(rows)}\n`);
