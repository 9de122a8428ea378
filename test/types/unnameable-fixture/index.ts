// A public entry with one of each way to leak a type users cannot import (reported by
// findUnnameableTypes) and the ways that are fine (not reported).
import type { Base, Ctx, Hidden, Input, Kind, Later, Made, Secret } from './internal.js';
import { makeInferred } from './internal.js';

export interface Public {
  readonly p: number;
}

/** Leaks Hidden (property) and Kind (an alias of literals). */
export interface Shown {
  readonly hidden: Hidden;
  readonly kind: Kind;
  readonly fine: Public;
}

/** Leaks Made (return), Ctx (`this`) and Input (parameter). */
export function make(this: Ctx, input: Input): Made {
  return { m: this.c + input.i };
}

/** Leaks Base (heritage). */
export interface Child extends Base {
  readonly own: Date;
}

/** Leaks Later (type argument of a lib type). */
export async function later(): Promise<Later> {
  return { l: 1 };
}

/** Leaks Inferred (an inferred type, no annotation). */
export const inferred = makeInferred();

type Renamed<T> = globalThis.Promise<T>;

/** Fine: a private alias that only renames a lib type, a private member, a #private field. */
export class Holder {
  private readonly secret: Secret = { s: 1 };
  readonly #alsoSecret: Secret = { s: 2 };
  readonly shown: Public = { p: 1 };
  total(): Renamed<number> {
    return Promise.resolve(this.secret.s + this.#alsoSecret.s + this.shown.p);
  }
}
