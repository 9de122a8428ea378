/**
 * The simulated runtime compiles CommonJS as Lambda's Node does, whatever the test process's own
 * Node does: a `.js` file of a CommonJS (or typeless) package that uses ES module syntax fails to
 * load with Node's CommonJS SyntaxError ("Unexpected token 'export'", "Cannot use import statement
 * outside a module"), which init maps to Runtime.UserCodeSyntaxError (observed: esm-syntax-in-cjs,
 * both generations). The test process's Node (20.19+) would instead detect the module syntax and
 * load the file as an ES module (require(esm) / --experimental-detect-module): while an init phase
 * loads code, each CommonJS compile is checked first. Node's warning is raised as the runtime's
 * Node raises it, so it reaches the init logs through the runtime console.
 */
import nodeModule from 'node:module';
import vm from 'node:vm';
import { invocationScope } from '../../runtime/scope.js';

const CJS_PARAMETERS = ['exports', 'require', 'module', '__filename', '__dirname'];

/** The SyntaxError messages Node's module-syntax detection treats as "this is an ES module". */
const ESM_SYNTAX = [
  "Unexpected token 'export'",
  'Cannot use import statement outside a module',
  "Cannot use 'import.meta' outside a module",
];

type Compile = (this: unknown, content: string, filename: string, ...rest: unknown[]) => unknown;

const proto = (nodeModule as unknown as { prototype: { _compile?: Compile } }).prototype;
let depth = 0;
let saved: Compile | undefined;

const strictCompile: Compile = function (this: unknown, content, filename, ...rest) {
  if (invocationScope.getStore() !== undefined && typeof content === 'string') {
    const failure = esmSyntaxFailure(content, filename);
    if (failure) {
      // Raised synchronously, as Node's loader does, so it lands in this init's logs.
      const warning = new Error(
        `Failed to load the ES module: ${filename}. Make sure to set "type": "module" in the nearest package.json file or use the .mjs extension.`,
      );
      warning.name = 'Warning';
      process.emit('warning', warning);
      throw failure;
    }
  }
  return (saved as Compile).call(this, content, filename, ...rest);
};

function esmSyntaxFailure(content: string, filename: string): SyntaxError | undefined {
  // Cheap pre-check: no module keyword, nothing to detect.
  if (!content.includes('export') && !content.includes('import')) return undefined;
  try {
    vm.compileFunction(content, CJS_PARAMETERS, { filename });
    return undefined;
  } catch (err) {
    if (err instanceof SyntaxError && ESM_SYNTAX.some((m) => err.message.includes(m))) return err;
    return undefined;
  }
}

/**
 * Check CommonJS compiles inside harness scopes until the matching {@link exitStrictCommonJs}
 * (reference counted; the last exit restores Node's compile unless it was replaced meanwhile).
 *
 * @example
 * enterStrictCommonJs();
 * try { require('./handler.js'); } finally { exitStrictCommonJs(); }
 */
export function enterStrictCommonJs(): void {
  if (depth++ > 0 || typeof proto._compile !== 'function') return;
  saved = proto._compile;
  proto._compile = strictCompile;
}

/**
 * Leave {@link enterStrictCommonJs}.
 *
 * @example
 * exitStrictCommonJs();
 */
export function exitStrictCommonJs(): void {
  if (depth === 0) return;
  if (--depth > 0) return;
  if (proto._compile === strictCompile && saved) proto._compile = saved;
  saved = undefined;
}
