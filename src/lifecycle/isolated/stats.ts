/**
 * Summary statistics of a list of durations.
 *
 * @example
 * const s: DurationStats = { count: 3, min: 10, p50: 12, p90: 15, p99: 15, max: 15, mean: 12.33 };
 */
export interface DurationStats {
  readonly count: number;
  readonly min: number;
  readonly p50: number;
  readonly p90: number;
  readonly p99: number;
  readonly max: number;
  readonly mean: number;
}

function round2(n: number): number {
  return Math.round(n * 100) / 100;
}

/**
 * Nearest-rank percentile (the smallest value with at least p% of the samples at or below it),
 * so a percentile is always one of the measured values.
 *
 * @example
 * percentile([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 90); // 9
 */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[Math.min(sorted.length, rank) - 1] as number;
}

/**
 * min, p50, p90, p99, max and mean of a list of durations (ms, two decimals).
 *
 * @example
 * summarize([12, 10, 15]); // { count: 3, min: 10, p50: 12, p90: 15, p99: 15, max: 15, mean: 12.33 }
 */
export function summarize(values: readonly number[]): DurationStats {
  const sorted = [...values].sort((a, b) => a - b);
  const sum = sorted.reduce((a, b) => a + b, 0);
  return {
    count: sorted.length,
    min: round2(sorted[0] ?? Number.NaN),
    p50: round2(percentile(sorted, 50)),
    p90: round2(percentile(sorted, 90)),
    p99: round2(percentile(sorted, 99)),
    max: round2(sorted[sorted.length - 1] ?? Number.NaN),
    mean: round2(sorted.length ? sum / sorted.length : Number.NaN),
  };
}
