import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { armDeadline } from '../../src/invoke/engine/deadline.js';
import { perfNow } from '../../src/runtime/real-clock.js';

// The real-clock deadline: a timer set early, then a check on each turn of the event loop.
describe('the real-clock deadline', () => {
  it('never fires before it is due, and fires once', async () => {
    const fired: number[] = [];
    const dueAts: number[] = [];
    for (const delay of [0, 1, 3, 7, 25]) {
      const dueAt = perfNow() + delay;
      dueAts.push(dueAt);
      armDeadline({ expire: () => fired.push(perfNow()) }, dueAt);
    }
    await sleep(60);
    expect(fired).toHaveLength(5);
    const sorted = [...dueAts].sort((a, b) => a - b);
    fired.sort((a, b) => a - b);
    for (let i = 0; i < fired.length; i++) expect(fired[i]).toBeGreaterThanOrEqual(sorted[i] as number);
  });

  it('does not fire once disarmed, in the timer or in the last stretch', async () => {
    let fired = 0;
    const far = armDeadline({ expire: () => fired++ }, perfNow() + 20);
    const near = armDeadline({ expire: () => fired++ }, perfNow() + 1);
    far.disarm();
    near.disarm();
    await sleep(40);
    expect(fired).toBe(0);
  });
});
