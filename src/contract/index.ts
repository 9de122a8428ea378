// The ground floor: the types every room shares (results, error payloads, runtime names, log
// lines). Types only, no code, so any area may import them without creating an upward edge.
export type * from './logs.js';
export type * from './result.js';
