// Finds the types a public declaration refers to that users cannot name: declared in the
// package's own source (not in TypeScript's lib or another package) and exported from none of the
// public entries. The .d.ts then carries them unexported, so a user who wants to annotate a
// variable, a parameter or a helper with that type cannot import it.
import ts from 'typescript';

/** One type users cannot import, and the public declarations that reach it. */
export interface UnnameableType {
  /** `Name (path/relative/to/root.ts)`. */
  readonly type: string;
  /** Paths from a public name to the type, e.g. `src/index.ts: SimulationClock.scheduler`. */
  readonly via: readonly string[];
}

const NAMED =
  ts.SymbolFlags.Interface | ts.SymbolFlags.Class | ts.SymbolFlags.Enum | ts.SymbolFlags.TypeAlias;
const NOMINAL = ts.SymbolFlags.Interface | ts.SymbolFlags.Class | ts.SymbolFlags.Enum;

/**
 * Walk every public name's type (the value's type, and a type's declared type) through its
 * properties, call and construct signatures (`this`, parameters, return, type parameter
 * constraints), index signatures, base types, unions and type arguments, stopping at named types:
 * a public one is checked as a root of its own, a foreign one (lib, other packages) only through
 * its type arguments, and an own type that no entry exports is reported. `private` members and
 * `#private` fields are not part of the declaration users see and are skipped. An unexported alias
 * that only renames a nameable type (`type Promise<T> = globalThis.Promise<T>`) is transparent.
 */
export function findUnnameableTypes(
  program: ts.Program,
  entryFiles: readonly string[],
  ownDir: string,
  displayRoot: string,
): UnnameableType[] {
  const checker = program.getTypeChecker();
  const target = (s: ts.Symbol) => (s.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(s) : s);
  const rel = (file: string) => (file.startsWith(displayRoot) ? file.slice(displayRoot.length + 1) : file);
  const entries = entryFiles.map((file) => {
    const source = program.getSourceFile(file);
    const symbol = source && checker.getSymbolAtLocation(source);
    if (!symbol) throw new Error(`${file}: not a module`);
    return { file, exported: checker.getExportsOfModule(symbol) };
  });
  const nameable = new Set(entries.flatMap((e) => e.exported.map(target)));
  const isOwn = (s: ts.Symbol) =>
    (s.declarations ?? []).some((d) => d.getSourceFile().fileName.startsWith(`${ownDir}/`));
  const canName = (s: ts.Symbol) => !isOwn(s) || nameable.has(s);
  const found = new Map<string, Set<string>>();

  function namedSymbolOf(type: ts.Type): ts.Symbol | undefined {
    const underlying = type.symbol && type.symbol.flags & NOMINAL ? type.symbol : undefined;
    const alias = type.aliasSymbol;
    // A private alias of a type users can name (a rename) shows that type.
    if (alias && !canName(alias) && underlying && canName(underlying)) return underlying;
    if (alias) return alias;
    if (underlying) return underlying;
    if (type.symbol && type.symbol.flags & ts.SymbolFlags.EnumMember)
      return (type.symbol as { parent?: ts.Symbol }).parent;
    return undefined;
  }

  function typeArguments(type: ts.Type): readonly ts.Type[] {
    const args = [...(type.aliasTypeArguments ?? [])];
    if (type.flags & ts.TypeFlags.Object && (type as ts.ObjectType).objectFlags & ts.ObjectFlags.Reference)
      args.push(...checker.getTypeArguments(type as ts.TypeReference));
    return args;
  }

  function walk(type: ts.Type, via: string, seen: Set<ts.Type>, self?: ts.Symbol): void {
    if (seen.has(type)) return;
    seen.add(type);
    for (const argument of typeArguments(type)) walk(argument, `${via}<>`, seen);
    const own = namedSymbolOf(type);
    // The public name's own type is walked, not stopped at.
    const named = own === self ? undefined : own;
    if (named && named.flags & NAMED) {
      if (!canName(named)) {
        const declared = named.declarations?.[0]?.getSourceFile().fileName ?? '?';
        const key = `${named.name} (${rel(declared)})`;
        found.set(key, (found.get(key) ?? new Set()).add(via));
      }
      return;
    }
    if (type.isUnionOrIntersection()) {
      for (const part of type.types) walk(part, via, seen);
      return;
    }
    if (!(type.flags & ts.TypeFlags.Object)) return;
    for (const property of checker.getPropertiesOfType(type)) {
      const declaration = property.valueDeclaration ?? property.declarations?.[0];
      if (property.name.startsWith('#')) continue;
      if (declaration && ts.getCombinedModifierFlags(declaration) & ts.ModifierFlags.Private) continue;
      walk(checker.getTypeOfSymbol(property), `${via}.${property.name}`, seen);
    }
    for (const kind of [ts.SignatureKind.Call, ts.SignatureKind.Construct]) {
      for (const signature of checker.getSignaturesOfType(type, kind)) {
        if (signature.thisParameter)
          walk(checker.getTypeOfSymbol(signature.thisParameter), `${via}(this)`, seen);
        for (const parameter of signature.getParameters())
          walk(checker.getTypeOfSymbol(parameter), `${via}(${parameter.name})`, seen);
        walk(signature.getReturnType(), `${via}()`, seen);
        for (const parameter of signature.getTypeParameters() ?? []) {
          const constraint = parameter.getConstraint();
          if (constraint) walk(constraint, `${via}<${parameter.symbol.name}>`, seen);
        }
      }
    }
    for (const info of checker.getIndexInfosOfType(type)) walk(info.type, `${via}[]`, seen);
    if (type.isClassOrInterface())
      for (const base of checker.getBaseTypes(type)) walk(base, `${via} extends`, seen);
  }

  for (const { file, exported } of entries) {
    for (const symbol of exported) {
      const declared = target(symbol);
      const via = `${rel(file)}: ${symbol.name}`;
      if (declared.flags & ts.SymbolFlags.Value)
        walk(checker.getTypeOfSymbol(declared), via, new Set(), declared);
      if (declared.flags & NAMED) walk(checker.getDeclaredTypeOfSymbol(declared), via, new Set(), declared);
    }
  }
  return [...found]
    .map(([type, via]) => ({ type, via: [...via].sort() }))
    .sort((a, b) => a.type.localeCompare(b.type));
}
