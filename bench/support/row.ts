/**
 * The shape every benchmark module returns to `npm run bench` (bench/index.ts): rows of ratios
 * against an in-process baseline, each with its target and whether it was met.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** How `npm run bench` runs a module. */
export interface BenchOptions {
  /** CI smoke: small sizes and few samples, the whole run within about a minute. */
  readonly quick: boolean;
  /**
   * `--million`: the scaling module also runs every simulator at 10^6 items (10^5 -> 10^6 rows).
   * Left out by default: by their CPU times those runs alone take an estimated 15-20 minutes on 2 cores.
   */
  readonly million?: boolean;
}

/**
 * One line of the table.
 *
 * @example
 * const row: BenchRow = {
 *   area: 'events',
 *   measure: 'sqsEvent, batch of 10',
 *   baseline: 'faker + node:crypto by hand',
 *   ratio: 2.4,
 *   higherIsBetter: true,
 *   target: '>= 2x',
 *   met: true,
 *   detail: '310,000 records/s',
 * };
 */
export interface BenchRow {
  readonly area: string;
  readonly measure: string;
  /** What the ratio is taken against (same process, same run). */
  readonly baseline: string;
  /** The measured figure as a ratio (x baseline); undefined for rows that are absolute by nature. */
  readonly ratio: number | undefined;
  /** True when a larger ratio is better (throughput); false for costs (time, memory). */
  readonly higherIsBetter?: boolean;
  /** The target in words, e.g. '<= 1.5x' or '< 10x'; undefined when the row is informative. */
  readonly target?: string;
  /** Whether the target was met; undefined when there is no target. */
  readonly met?: boolean;
  /** Absolute figures behind the ratio, for the reader. */
  readonly detail: string;
  /** Shown in the README's performance section as well as in docs/performance.md. */
  readonly headline?: boolean;
}

/** A benchmark module: bench/<name>.ts exporting `run`. */
export interface BenchModule {
  run(options: BenchOptions): Promise<BenchRow[]>;
}

/** The options of a module run on its own (`npx tsx bench/x.ts [--quick]`). */
export function standaloneOptions(): BenchOptions {
  return { quick: process.argv.includes('--quick'), million: process.argv.includes('--million') };
}

/** True when `importMetaUrl` is the script node was started with. */
export function isMain(importMetaUrl: string): boolean {
  const entry = process.argv[1];
  return entry !== undefined && path.resolve(entry) === fileURLToPath(importMetaUrl);
}

/** Prints rows as a Markdown table (used by modules run on their own). */
export function printRows(rows: readonly BenchRow[]): void {
  console.log(formatTable(rows));
}

/** A ratio as text: '2.41x'. */
export function formatRatio(ratio: number | undefined): string {
  if (ratio === undefined || !Number.isFinite(ratio)) return '-';
  return `${ratio >= 100 ? ratio.toFixed(0) : ratio >= 10 ? ratio.toFixed(1) : ratio.toFixed(2)}x`;
}

/** The table `npm run bench` prints and writes to docs/performance.md. */
export function formatTable(rows: readonly BenchRow[]): string {
  const header = ['area', 'measure', 'against (in-process baseline)', 'ratio', 'target', 'status', 'figures'];
  const body = rows.map((r) => [
    r.area,
    r.measure,
    r.baseline,
    formatRatio(r.ratio),
    r.target ?? '-',
    r.met === undefined ? '-' : r.met ? 'met' : '**MISSED**',
    r.detail,
  ]);
  const esc = (s: string) => s.replace(/\|/g, '\\|');
  const lines = [header, header.map(() => '---'), ...body].map(
    (cells) => `| ${cells.map(esc).join(' | ')} |`,
  );
  return lines.join('\n');
}
