// Types the fixture's entry uses but does not export (see ../public-names.test.ts).
export interface Hidden {
  readonly n: number;
}
export interface Made {
  readonly m: number;
}
export interface Ctx {
  readonly c: number;
}
export interface Input {
  readonly i: number;
}
export interface Base {
  readonly b: number;
}
export interface Later {
  readonly l: number;
}
export interface Inferred {
  readonly x: number;
}
export interface Secret {
  readonly s: number;
}
export type Kind = 'a' | 'b';
export function makeInferred(): Inferred {
  return { x: 1 };
}
