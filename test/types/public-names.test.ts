// The public surface, pinned: for every entry in package.json `exports`, the names its source
// exports (computed by the TypeScript checker, types included) must equal the checked-in sorted
// list in test/types/public-names/<entry>.txt. A new export is then a decision taken in review,
// not a side effect of an `export *` in some area.
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import tsupConfig from '../../tsup.config.js';
import { findUnnameableTypes } from './unnameable-types.js';

const root = join(import.meta.dirname, '..', '..');
const listDir = join(import.meta.dirname, 'public-names');
const UPDATE = process.env.UPDATE_PUBLIC_NAMES === '1';
const COMMAND = 'UPDATE_PUBLIC_NAMES=1 npx vitest run test/types/public-names.test.ts';

interface Entry {
  /** The subpath users import: `lambda-harness`, `lambda-harness/engine`, ... */
  readonly specifier: string;
  /** The list's file name: `main`, or the subpath (`engine`, `vitest`, `jest`). */
  readonly list: string;
  readonly source: string;
}

/** package.json `exports` -> the dist file -> the tsup entry that builds it -> its source file. */
function entries(): Entry[] {
  const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
    exports: Record<string, string | { import: { default: string } }>;
  };
  const tsupEntries = (tsupConfig as { entry: Record<string, string> }).entry;
  return Object.entries(pkg.exports)
    .filter(([subpath]) => subpath !== './package.json')
    .map(([subpath, target]) => {
      const dist = typeof target === 'string' ? target : target.import.default;
      const name = dist.replace(/^\.\/dist\//, '').replace(/\.js$/, '');
      const source = tsupEntries[name];
      if (source === undefined)
        throw new Error(`package.json exports[${subpath}] -> ${dist}: no tsup entry '${name}'`);
      return {
        specifier: subpath === '.' ? 'lambda-harness' : `lambda-harness/${subpath.slice(2)}`,
        list: subpath === '.' ? 'main' : subpath.slice(2).replaceAll('/', '-'),
        source: join(root, source),
      };
    });
}

interface Surface {
  readonly names: readonly string[];
  /** Public names whose declaration has no JSDoc `@example` (STYLE: every public name has one). */
  readonly withoutExample: readonly string[];
}

function hasExample(node: ts.Node): boolean {
  const holder = ts.isVariableDeclaration(node) ? node.parent.parent : node;
  return ts.getJSDocTags(holder).some((tag) => tag.tagName.text === 'example');
}

function createProgram(files: readonly string[]): ts.Program {
  const config = ts.getParsedCommandLineOfConfigFile(
    join(root, 'tsconfig.json'),
    {},
    {
      ...ts.sys,
      onUnRecoverableConfigFileDiagnostic: (d) => {
        throw new Error(ts.flattenDiagnosticMessageText(d.messageText, '\n'));
      },
    },
  );
  if (!config) throw new Error('tsconfig.json did not parse');
  return ts.createProgram(files, { ...config.options, noEmit: true });
}

function surfaces(program: ts.Program, files: readonly string[]): Map<string, Surface> {
  const checker = program.getTypeChecker();
  return new Map(
    files.map((file) => {
      const source = program.getSourceFile(file);
      const symbol = source && checker.getSymbolAtLocation(source);
      if (!symbol) throw new Error(`${file}: not a module`);
      const exported = checker.getExportsOfModule(symbol);
      const target = (s: ts.Symbol) => (s.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(s) : s);
      return [
        file,
        {
          names: exported.map((s) => s.name).sort(),
          withoutExample: exported
            .filter((s) => !(target(s).declarations ?? []).some(hasExample))
            .map((s) => s.name)
            .sort(),
        },
      ];
    }),
  );
}

const readList = (file: string): string[] =>
  existsSync(file)
    ? readFileSync(file, 'utf8')
        .split('\n')
        .filter((line) => line !== '')
    : [];

describe('public names', () => {
  const all = entries();
  const program = createProgram(all.map((e) => e.source));
  const surface = surfaces(
    program,
    all.map((e) => e.source),
  );

  it.each(all)(
    '$specifier exports exactly the names pinned in test/types/public-names/ (list: $list)',
    (entry) => {
      const file = join(listDir, `${entry.list}.txt`);
      const actual = surface.get(entry.source)?.names ?? [];
      const pinned = readList(file);
      if (UPDATE) writeFileSync(file, `${actual.join('\n')}\n`);
      const added = actual.filter((n) => !pinned.includes(n));
      const removed = pinned.filter((n) => !actual.includes(n));
      const message = [
        `${entry.specifier}: the public names changed.`,
        added.length > 0 ? `  added (exported, not in the list): ${added.join(', ')}` : '',
        removed.length > 0 ? `  removed (in the list, no longer exported): ${removed.join(', ')}` : '',
        `If the change is intended, accept it: ${COMMAND}`,
        `(or edit test/types/public-names/${entry.list}.txt by hand) and commit the list with the change.`,
        'Engine plumbing belongs in lambda-harness/engine or stays internal, not in the main entry.',
      ]
        .filter((line) => line !== '')
        .join('\n');
      expect(UPDATE || (added.length === 0 && removed.length === 0), message).toBe(true);
    },
  );

  it('the list is sorted and holds each name once, so a review diff shows exactly what changed', () => {
    for (const entry of all) {
      const pinned = readList(join(listDir, `${entry.list}.txt`));
      expect(pinned, `${entry.list}.txt`).toEqual([...new Set(pinned)].sort());
    }
  });

  it('every public name has JSDoc with an @example', () => {
    const missing = all.flatMap((entry) =>
      (surface.get(entry.source)?.withoutExample ?? []).map((name) => `${entry.specifier}: ${name}`),
    );
    expect(missing).toEqual([]);
  });

  it('every list belongs to an entry of package.json exports', () => {
    const lists = readdirSync(listDir).map((f) => f.replace(/\.txt$/, ''));
    expect(lists.sort()).toEqual(all.map((e) => e.list).sort());
  });

  it('no public declaration refers to a type users cannot import', () => {
    // A type of the package's own source that no entry exports: the .d.ts carries it unexported.
    // Fix: narrow the public type (preferred when the type is an implementation detail), or export
    // the type deliberately from src/index.ts or src/engine.ts (JSDoc @example, pinned list).
    const leaks = findUnnameableTypes(
      program,
      all.map((e) => e.source),
      join(root, 'src'),
      root,
    );
    expect(leaks.map((leak) => `${leak.type} <- ${leak.via.join(', ')}`)).toEqual([]);
  });
});

describe('findUnnameableTypes', () => {
  it('reports each way a public declaration can reach an unexported type, and nothing else', () => {
    const fixture = join(import.meta.dirname, 'unnameable-fixture');
    const entry = join(fixture, 'index.ts');
    const leaks = findUnnameableTypes(createProgram([entry]), [entry], fixture, fixture);
    expect(leaks).toEqual([
      { type: 'Base (internal.ts)', via: ['index.ts: Child extends'] },
      { type: 'Ctx (internal.ts)', via: ['index.ts: make(this)'] },
      { type: 'Hidden (internal.ts)', via: ['index.ts: Shown.hidden'] },
      { type: 'Inferred (internal.ts)', via: ['index.ts: inferred'] },
      { type: 'Input (internal.ts)', via: ['index.ts: make(input)'] },
      { type: 'Kind (internal.ts)', via: ['index.ts: Shown.kind'] },
      { type: 'Later (internal.ts)', via: ['index.ts: later()<>'] },
      { type: 'Made (internal.ts)', via: ['index.ts: make()'] },
    ]);
  });
});
