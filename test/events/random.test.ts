import { describe, expect, it } from 'vitest';
import { createRandom, DEFAULT_SEED } from '../../src/random/index.js';

describe('Random (the seeded stream behind every generator)', () => {
  it('repeats the same sequence for the same seed and differs across seeds', () => {
    const a = createRandom(5);
    const b = createRandom(5);
    const c = createRandom(6);

    const seqA = Array.from({ length: 20 }, () => a.u32());
    expect(Array.from({ length: 20 }, () => b.u32())).toEqual(seqA);
    expect(Array.from({ length: 20 }, () => c.u32())).not.toEqual(seqA);
    expect(createRandom().seed).toBe(DEFAULT_SEED);
  });

  it('forks without advancing the parent, and forks are stable by label', () => {
    const parent = createRandom(9);
    const before = createRandom(9).u32();
    const child = parent.fork(3);

    expect(parent.u32()).toBe(before);
    expect(child.hex(16)).toBe(createRandom(9).fork(3).hex(16));
    expect(parent.fork('x').hex(16)).not.toBe(parent.fork('y').hex(16));
  });

  it('normalises negative, fractional and huge seeds deterministically', () => {
    for (const seed of [-1, 0.5, 2 ** 40 + 3, Number.MAX_SAFE_INTEGER]) {
      expect(createRandom(seed).uuid()).toBe(createRandom(seed).uuid());
    }
    expect(createRandom(-1).uuid()).not.toBe(createRandom(1).uuid());
  });

  it('produces well-formed ids of exact lengths', () => {
    const r = createRandom(1);
    for (const n of [0, 1, 7, 8, 9, 31, 32, 33]) expect(r.hex(n)).toMatch(new RegExp(`^[0-9a-f]{${n}}$`));
    for (const n of [1, 3, 4, 5, 172, 344, 700])
      expect(r.base64Chars(n)).toMatch(new RegExp(`^[A-Za-z0-9+/]{${n}}$`));
    expect(r.uuid()).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(r.digits(20, true)).toMatch(/^[1-9]\d{19}$/);
    expect(r.ipv4()).toMatch(/^\d{1,3}(\.\d{1,3}){3}$/);
  });

  it('keeps int() within bounds and pick() within the array', () => {
    const r = createRandom(2);
    for (let i = 0; i < 1000; i++) {
      const v = r.int(3, 7);
      expect(v >= 3 && v <= 7 && Number.isInteger(v)).toBe(true);
    }
    expect(['a', 'b']).toContain(r.pick(['a', 'b']));
  });

  it('gives each stream its own faker, driven by the seed', () => {
    expect(createRandom(4).faker.person.fullName()).toBe(createRandom(4).faker.person.fullName());
    expect(createRandom(4).faker.string.uuid()).not.toBe(createRandom(5).faker.string.uuid());
  });
});
