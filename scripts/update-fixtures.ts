// Writes the golden fixtures: fixtures/<source>/<variant>.json, one per registered variant, at a
// fixed seed. Run after an intended generator change: `npx tsx scripts/update-fixtures.ts`.
// test/contract/golden.test.ts fails when the generators drift from these files or a variant lacks one.
import { mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { type EventSourceEntry, eventSources } from '../src/events/index.js';

/** The seed every golden fixture is generated with. */
export const GOLDEN_SEED = 20240115;

/** Where the golden fixtures live. */
export const FIXTURES_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '..', 'fixtures');

/** Batch sources get this many records in their golden fixtures (SNS keeps its usual single record). */
export const GOLDEN_RECORDS = 3;

/** The JSON text of a golden fixture, exactly as written to disk. */
export function goldenText(source: string, variant: string): string {
  const entry = (eventSources as Record<string, EventSourceEntry>)[source];
  if (!entry) throw new Error(`unknown source ${source}`);
  const options =
    entry.batch && source !== 'sns' ? { seed: GOLDEN_SEED, records: GOLDEN_RECORDS } : { seed: GOLDEN_SEED };
  return `${JSON.stringify(entry.generate(variant, options), null, 2)}\n`;
}

function main(): void {
  let written = 0;
  for (const [source, entry] of Object.entries(eventSources)) {
    const dir = join(FIXTURES_DIR, source);
    mkdirSync(dir, { recursive: true });
    const expected = new Set(entry.variants.map((v) => `${v}.json`));
    for (const file of readdirSync(dir)) {
      if (file.endsWith('.json') && !expected.has(file)) rmSync(join(dir, file));
    }
    for (const variant of entry.variants) {
      writeFileSync(join(dir, `${variant}.json`), goldenText(source, variant));
      written++;
    }
  }
  console.log(`wrote ${written} golden fixtures to ${FIXTURES_DIR} (seed ${GOLDEN_SEED})`);
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) main();
