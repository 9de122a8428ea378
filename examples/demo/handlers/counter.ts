import { nextId } from './counter-store.js';

// Module-level state: it survives warm invocations and is rebuilt on a cold start.
const loadedAt = new Date().toISOString();
console.log('initialising counter module');

export const handler = async (): Promise<{ invocation: number; loadedAt: string }> => {
  return { invocation: nextId(), loadedAt };
};
