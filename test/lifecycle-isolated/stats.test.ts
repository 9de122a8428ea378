import { describe, expect, it } from 'vitest';
import { percentile, summarize } from '../../src/lifecycle/isolated/stats.js';

describe('cold-start statistics', () => {
  it('uses nearest-rank percentiles, so each is a measured value', () => {
    const sorted = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10];
    expect(percentile(sorted, 50)).toBe(5);
    expect(percentile(sorted, 90)).toBe(9);
    expect(percentile(sorted, 99)).toBe(10);
    expect(percentile([42], 90)).toBe(42);
    expect(percentile([], 90)).toBeNaN();
  });

  it('summarises unsorted durations with two decimals', () => {
    expect(summarize([12, 10, 15.555])).toEqual({
      count: 3,
      min: 10,
      p50: 12,
      p90: 15.56,
      p99: 15.56,
      max: 15.56,
      mean: 12.52,
    });
  });
});
