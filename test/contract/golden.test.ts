import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FIXTURES_DIR, goldenText } from '../../scripts/update-fixtures.js';
import { eventSources } from '../../src/events/index.js';

const REGENERATE = 'Run `npx tsx scripts/update-fixtures.ts` if the change is intended, and review the diff.';

const cases = Object.entries(eventSources).flatMap(([source, entry]) =>
  entry.variants.map((variant) => [source, variant] as const),
);

describe('golden fixtures', () => {
  it.each(cases)('%s/%s matches its golden file', (source, variant) => {
    const file = join(FIXTURES_DIR, source, `${variant}.json`);

    expect(existsSync(file), `missing golden fixture ${source}/${variant}.json. ${REGENERATE}`).toBe(true);
    const golden = readFileSync(file, 'utf8');
    expect(JSON.parse(goldenText(source, variant)), `${source}/${variant} drifted. ${REGENERATE}`).toEqual(
      JSON.parse(golden),
    );
    expect(goldenText(source, variant)).toBe(golden);
  });

  it('has a golden file for every registered source and variant, and none without one', () => {
    const onDisk = readdirSync(FIXTURES_DIR, { withFileTypes: true })
      .filter((d) => d.isDirectory())
      .flatMap((d) =>
        readdirSync(join(FIXTURES_DIR, d.name))
          .filter((f) => f.endsWith('.json'))
          .map((f) => `${d.name}/${f.replace(/\.json$/, '')}`),
      )
      .sort();
    const registered = cases.map(([s, v]) => `${s}/${v}`).sort();

    expect(onDisk, REGENERATE).toEqual(registered);
  });

  it('golden fixtures validate against their source schema', () => {
    for (const [source, variant] of cases) {
      const event = JSON.parse(readFileSync(join(FIXTURES_DIR, source, `${variant}.json`), 'utf8'));
      const entry = eventSources[source as keyof typeof eventSources];
      expect(entry.schema.safeParse(event).success, `${source}/${variant}`).toBe(true);
    }
  });
});
