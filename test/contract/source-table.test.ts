// The source table of docs/events.md and the CLI's `generate --list` name the same sources, variants
// and descriptions, and each generator it names is exported.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { runGenerate } from '../../src/cli/generate.js';
import * as events from '../../src/events/index.js';

interface Row {
  source: string;
  variants: string[];
  generator: string;
  description: string;
}

function docsTable(): Row[] {
  const text = readFileSync(new URL('../../docs/events.md', import.meta.url), 'utf8');
  const section = text.split('\n## Sources\n')[1]?.split('\n## ')[0] ?? '';
  return section
    .split('\n')
    .filter((line) => line.startsWith('| `'))
    .map((line) => {
      const cells = line.split(' | ').map((c) => c.replace(/^\| ?| ?\|$/g, '').trim());
      const [source = '', variants = '', generator = '', , description = ''] = cells;
      return {
        source: source.replaceAll('`', ''),
        variants: variants.split(', ').map((v) => v.replaceAll('`', '')),
        generator: generator.replace(/[`()]/g, ''),
        description,
      };
    });
}

async function cliListing(): Promise<Omit<Row, 'generator'>[]> {
  let stdout = '';
  await runGenerate(['--list'], { stdout: (s: string) => (stdout += s), stderr: () => undefined } as never);
  const lines = stdout.split('\n').slice(1).filter(Boolean);
  const rows: Omit<Row, 'generator'>[] = [];
  for (let i = 0; i < lines.length; i += 2) {
    const [source = '', ...rest] = (lines[i] ?? '').trim().split(/\s{2,}/);
    rows.push({ source, variants: rest.join(' ').split(', '), description: (lines[i + 1] ?? '').trim() });
  }
  return rows;
}

describe('docs/events.md source table', () => {
  it('lists exactly the sources, variants and descriptions of `generate --list`, in order', async () => {
    const docs = docsTable().map(({ generator: _g, ...row }) => row);
    const cli = await cliListing();

    expect(docs.length).toBeGreaterThanOrEqual(23);
    expect(docs).toEqual(cli);
  });

  it('names an exported generator for every source', () => {
    for (const row of docsTable()) {
      expect(
        typeof (events as Record<string, unknown>)[row.generator],
        `${row.source}: ${row.generator}`,
      ).toBe('function');
    }
  });
});
