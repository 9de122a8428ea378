import { stripVTControlCharacters } from 'node:util';
import { expect } from 'vitest';
import { VolatileMasker } from '../../src/matchers/index.js';

/** Runs an assertion that must fail and returns its message, colourless and with volatile parts masked. */
export function failureOf(assertion: () => unknown): string {
  let thrown: unknown;
  try {
    assertion();
  } catch (error) {
    thrown = error;
  }
  expect(thrown, 'the assertion was expected to fail').toBeInstanceOf(Error);
  const text = stripVTControlCharacters((thrown as Error).message);
  return new VolatileMasker()
    .text(text)
    .replace(/(at:\s+).*/g, '$1<frame>')
    .replaceAll(process.cwd(), '<cwd>');
}

/** Whether an assertion passes (true) or throws (false). */
export function passes(assertion: () => unknown): boolean {
  try {
    assertion();
    return true;
  } catch {
    return false;
  }
}
