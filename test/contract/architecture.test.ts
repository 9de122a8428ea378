import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

// The house's import direction (see ../shared/STYLE.md): each area may import only the areas
// listed for it. `contract` is the ground floor (types shared by every room: results, error
// payloads, runtime names, log lines), open to all; matchers may import any type, since they read
// results only. No other exemption.
const ALLOWED: Record<string, readonly string[]> = {
  contract: [],
  errors: [],
  random: ['errors'],
  schemas: ['errors'],
  events: ['errors', 'random', 'schemas'],
  runtime: ['errors'],
  logs: ['errors', 'runtime'],
  invoke: ['errors', 'runtime', 'logs'],
  lifecycle: ['errors', 'runtime', 'logs', 'invoke'],
  sources: ['errors', 'random', 'events', 'runtime', 'logs', 'invoke', 'lifecycle'],
  matchers: ['errors', 'logs'],
  vitest: ['matchers', 'lifecycle'],
  jest: ['matchers', 'lifecycle'],
  template: ['errors', 'lifecycle', 'sources'],
  cli: ['errors', 'random', 'schemas', 'events', 'runtime', 'logs', 'invoke', 'lifecycle', 'template'],
};
const SRC = join(import.meta.dirname, '..', '..', 'src');

interface Import {
  readonly file: string;
  readonly area: string;
  readonly target: string;
  readonly typeOnly: boolean;
}

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? files(path) : name.endsWith('.ts') ? [path] : [];
  });
}

function imports(): Import[] {
  const found: Import[] = [];
  for (const path of files(SRC)) {
    const file = relative(SRC, path);
    const area = file.includes('/') ? (file.split('/')[0] as string) : '(root)';
    const text = readFileSync(path, 'utf8');
    for (const m of text.matchAll(/^(import|export)\s+(type\s+)?[^'"]*?from\s+['"](\.[^'"]+)['"]/gm)) {
      const target = relative(SRC, join(path, '..', m[3] as string)).replace(/\.js$/, '.ts');
      found.push({ file, area, target, typeOnly: Boolean(m[2]) });
    }
  }
  return found;
}

const areaOf = (target: string): string => target.split('/')[0] as string;

describe('architecture', () => {
  it('every area imports only the areas below it', () => {
    const violations = imports()
      .filter((i) => i.area !== '(root)' && areaOf(i.target) !== i.area)
      .filter((i) => areaOf(i.target) !== 'contract')
      .filter((i) => !(i.typeOnly && i.area === 'matchers'))
      .filter((i) => !(ALLOWED[i.area] ?? []).includes(areaOf(i.target)))
      .map((i) => `${i.file} -> ${i.target}`);
    expect(violations).toEqual([]);
  });

  it('the ground floor holds types only and imports nothing above it', () => {
    const contract = files(join(SRC, 'contract')).map((path) => readFileSync(path, 'utf8'));
    const code = contract.flatMap((text) =>
      text.split('\n').filter((line) => /^export (?!type |interface |type \*)/.test(line)),
    );
    expect(code).toEqual([]);
    expect(
      imports()
        .filter((i) => i.area === 'contract' && areaOf(i.target) !== 'contract')
        .map((i) => `${i.file} -> ${i.target}`),
    ).toEqual([]);
  });

  it('the allowed directions form no cycle, so a new upward import is always a violation', () => {
    const cycles: string[] = [];
    const visit = (area: string, path: readonly string[]): void => {
      if (path.includes(area)) {
        cycles.push([...path.slice(path.indexOf(area)), area].join(' -> '));
        return;
      }
      for (const next of ALLOWED[area] ?? []) visit(next, [...path, area]);
    };
    for (const area of Object.keys(ALLOWED)) visit(area, []);
    expect(cycles).toEqual([]);
  });

  it('no module takes part in a run-time import cycle', () => {
    const graph = new Map<string, string[]>();
    for (const i of imports()) {
      if (i.typeOnly) continue;
      graph.set(i.file, [...(graph.get(i.file) ?? []), i.target]);
    }
    const cycles = new Set<string>();
    const state = new Map<string, 'open' | 'done'>();
    const walk = (file: string, stack: string[]): void => {
      if (state.get(file) === 'done') return;
      if (state.get(file) === 'open') {
        const cycle = stack.slice(stack.indexOf(file));
        cycles.add([...cycle, file].join(' -> '));
        return;
      }
      state.set(file, 'open');
      for (const next of graph.get(file) ?? []) walk(next, [...stack, file]);
      state.set(file, 'done');
    };
    for (const file of graph.keys()) walk(file, []);
    expect([...cycles]).toEqual([]);
  });

  it('knows every area (a new folder must be placed in the import order)', () => {
    const areas = readdirSync(SRC).filter((name) => statSync(join(SRC, name)).isDirectory());
    expect(areas.filter((a) => !(a in ALLOWED))).toEqual([]);
  });

  it('the public entry has no runner or CLI imports', () => {
    const entry = imports().filter((i) => i.file === 'index.ts');
    expect(entry.map((i) => areaOf(i.target)).filter((a) => ['vitest', 'jest', 'cli'].includes(a))).toEqual(
      [],
    );
  });

  it('only the runner entries import a test runner', () => {
    const offenders = files(SRC)
      .map((path) => ({ file: relative(SRC, path), text: readFileSync(path, 'utf8') }))
      .filter(({ file }) => !file.startsWith('vitest/') && !file.startsWith('jest/'))
      .filter(({ text }) => /^(import|export)\s[^'"]*['"](vitest|@jest\/globals|jest)['"]/m.test(text))
      .map(({ file }) => file);
    expect(offenders).toEqual([]);
  });
});
