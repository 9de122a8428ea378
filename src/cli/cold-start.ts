import { appendFileSync } from 'node:fs';
import { basename } from 'node:path';
import { type ColdStartReport, measureColdStart } from '../lifecycle/isolated/index.js';
import { flag, numberOption, type OptionTable, parseCommandArgs, stringOption } from './args.js';
import { CliError } from './errors.js';
import { EXIT, type ExitCode } from './exit-codes.js';
import type { CliIO } from './output.js';
import { FUNCTION_FLAGS, FUNCTION_FLAGS_HELP, initFailureText } from './target.js';
import { resolveFunctionTarget, TEMPLATE_FLAGS, TEMPLATE_FLAGS_HELP } from './template-target.js';

/** Options of `lambda-harness cold-start`. */
export const COLD_START_OPTIONS: OptionTable = {
  ...FUNCTION_FLAGS,
  ...TEMPLATE_FLAGS,
  runs: { type: 'string', short: 'n' },
  budget: { type: 'string', short: 'b' },
  slowest: { type: 'string' },
  json: { type: 'boolean' },
  markdown: { type: 'boolean' },
  progress: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
};

export const COLD_START_HELP = `Usage: lambda-harness cold-start <file>[:export] [options]
       lambda-harness cold-start --template <template> <LogicalId> [options]

Measure the init duration of a built handler: each run starts a fresh Node.js process (no test
runner), runs the real init (imports and top-level code) and records the Init Duration a REPORT
line would show. One extra run times each module to list the slowest imports.

Options:
  -n, --runs <n>           fresh processes to start (default 10)
  -b, --budget <ms>        fail (exit 5) when p90 init duration exceeds this many ms
      --slowest <n>        how many slowest imports to list (default 5; 0 skips the extra run)
      --json               print the report as JSON
      --markdown           print a Markdown summary (also appended to $GITHUB_STEP_SUMMARY when set)
      --progress           show progress on stderr even when it is not a terminal
${FUNCTION_FLAGS_HELP}
${TEMPLATE_FLAGS_HELP}
  -h, --help               show this help

Exit codes: 0 within budget, 2 bad usage, 3 init error, 5 p90 over --budget.

Examples:
  lambda-harness cold-start dist/index.js --runs 20
  lambda-harness cold-start dist/index.js:handler --runs 30 --budget 250 --markdown
`;

function ms(n: number): string {
  return Number.isFinite(n) ? n.toFixed(2) : '-';
}

function table(rows: readonly (readonly string[])[]): string {
  const widths = rows[0]?.map((_, c) => Math.max(...rows.map((r) => (r[c] ?? '').length))) ?? [];
  return rows
    .map(
      (r) =>
        `  ${r.map((cell, c) => (c === 0 ? cell.padEnd(widths[c] ?? 0) : cell.padStart(widths[c] ?? 0))).join('   ')}\n`,
    )
    .join('');
}

function budgetLine(report: ColdStartReport, budget: number | undefined): string {
  if (budget === undefined) return '';
  const ok = report.stats.p90 <= budget;
  return `Budget: p90 ${ms(report.stats.p90)} ms ${ok ? '<=' : '>'} ${budget} ms: ${ok ? 'OK' : 'OVER BUDGET'}\n`;
}

function textReport(report: ColdStartReport, display: string, budget: number | undefined): string {
  let out = `Cold start of ${display} (${report.runtime}, ${report.stats.count} runs)\n\n`;
  out += table([
    ['', 'min', 'p50', 'p90', 'p99', 'max', 'mean'],
    [
      'Init Duration (ms)',
      ...['min', 'p50', 'p90', 'p99', 'max', 'mean'].map((k) => ms(report.stats[k as 'min'])),
    ],
    [
      'Process ready (ms)',
      ...['min', 'p50', 'p90', 'p99', 'max', 'mean'].map((k) => ms(report.startup[k as 'min'])),
    ],
  ]);
  if (report.slowestImports.length > 0) {
    out +=
      '\nSlowest imports (one extra timed run; load = resolve + read/transpile, eval = top-level code):\n';
    out += table([
      ['', 'total ms', 'load', 'eval', 'modules'],
      ...report.slowestImports.map((i) => [
        i.name,
        ms(i.selfMs),
        ms(i.loadMs),
        ms(i.evalMs),
        String(i.modules),
      ]),
    ]);
  }
  const b = budgetLine(report, budget);
  return b ? `${out}\n${b}` : out;
}

function markdownReport(report: ColdStartReport, display: string, budget: number | undefined): string {
  let out = `### Cold start: \`${display}\`\n\n`;
  out += `${report.runtime}, ${report.stats.count} fresh processes`;
  if (budget !== undefined) {
    out +=
      report.stats.p90 <= budget
        ? `, p90 within the ${budget} ms budget :white_check_mark:`
        : `, **p90 over the ${budget} ms budget** :x:`;
  }
  out += '\n\n| | min | p50 | p90 | p99 | max | mean |\n|---|---:|---:|---:|---:|---:|---:|\n';
  const row = (label: string, s: ColdStartReport['stats']) =>
    `| ${label} | ${ms(s.min)} | ${ms(s.p50)} | ${ms(s.p90)} | ${ms(s.p99)} | ${ms(s.max)} | ${ms(s.mean)} |\n`;
  out += row('Init Duration (ms)', report.stats);
  out += row('Process ready (ms)', report.startup);
  if (report.slowestImports.length > 0) {
    out +=
      '\n| Slowest imports | total (ms) | load (ms) | eval (ms) | modules |\n|---|---:|---:|---:|---:|\n';
    for (const i of report.slowestImports) {
      out += `| \`${i.name}\` | ${ms(i.selfMs)} | ${ms(i.loadMs)} | ${ms(i.evalMs)} | ${i.modules} |\n`;
    }
  }
  return out;
}

/**
 * `lambda-harness cold-start`: init duration statistics over fresh processes.
 *
 * @example
 * await runColdStart(['dist/index.js', '--runs', '20', '--budget', '300'], io); // 0, or 5 when over budget
 */
export async function runColdStart(args: readonly string[], io: CliIO): Promise<ExitCode> {
  const { values, positionals } = parseCommandArgs('cold-start', args, COLD_START_OPTIONS);
  if (flag(values, 'help')) {
    io.stdout(COLD_START_HELP);
    return EXIT.OK;
  }
  if (positionals.length > 1) {
    throw new CliError(
      `cold-start: unexpected argument "${positionals[1]}"`,
      'Usage: lambda-harness cold-start <file>[:export] [options]',
    );
  }
  const target = resolveFunctionTarget('cold-start', values, positionals[0], io.env);
  const functionOptions = {
    ...target.functionOptions,
    ...(target.cwd !== undefined ? { cwd: target.cwd } : {}),
  };
  const runs =
    numberOption('cold-start', '--runs', stringOption(values, 'runs'), {
      min: 1,
      max: 10_000,
      integer: true,
    }) ?? 10;
  const budget = numberOption('cold-start', '--budget', stringOption(values, 'budget'), { min: 0 });
  const slowest =
    numberOption('cold-start', '--slowest', stringOption(values, 'slowest'), {
      min: 0,
      max: 100,
      integer: true,
    }) ?? 5;
  const showProgress = flag(values, 'progress') || io.isTTY;
  const tty = io.isTTY;
  let lastPrinted = 0;
  const report = await measureColdStart({
    file: target.file,
    exportName: target.exportName,
    ...functionOptions,
    runs,
    slowestImports: slowest,
    attributeImports: slowest > 0,
    ...(showProgress
      ? {
          onProgress: (done: number, total: number) => {
            if (tty) {
              const width = 20;
              const filled = Math.round((done / total) * width);
              io.stderr(
                `\rcold-start ${basename(target.file)} [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${done}/${total}`,
              );
              if (done === total) io.stderr('\n');
            } else if (done === total || done - lastPrinted >= Math.max(1, Math.ceil(total / 10))) {
              lastPrinted = done;
              io.stderr(`cold-start: ${done}/${total} runs\n`);
            }
          },
        }
      : {}),
  });
  if (tty && showProgress && !report.ok) io.stderr('\n');
  if (!report.ok && report.error) {
    const { line, hint } = initFailureText(target.display, report.error, report.availableExports);
    throw new CliError(line, hint, EXIT.INIT_ERROR);
  }
  const markdown = markdownReport(report, target.display, budget);
  if (flag(values, 'json')) {
    const withinBudget = budget === undefined ? null : report.stats.p90 <= budget;
    io.stdout(`${JSON.stringify({ ...report, budgetMs: budget ?? null, withinBudget }, null, 2)}\n`);
  } else if (flag(values, 'markdown')) {
    io.stdout(markdown);
  } else {
    io.stdout(textReport(report, target.display, budget));
  }
  const summaryFile = io.env.GITHUB_STEP_SUMMARY;
  if (summaryFile) {
    try {
      appendFileSync(summaryFile, `${markdown}\n`);
    } catch (error) {
      io.stderr(
        `lambda-harness: could not append to $GITHUB_STEP_SUMMARY (${(error as { code?: string }).code ?? 'error'})\n`,
      );
    }
  }
  if (budget !== undefined && report.stats.p90 > budget) {
    throw new CliError(
      `cold-start: p90 init duration ${ms(report.stats.p90)} ms exceeds the budget of ${budget} ms`,
      report.slowestImports[0]
        ? `The slowest import is ${report.slowestImports[0].name} (${ms(report.slowestImports[0].selfMs)} ms); load it lazily or trim it.`
        : 'Move work out of module scope or load dependencies lazily.',
      EXIT.BUDGET_EXCEEDED,
    );
  }
  return EXIT.OK;
}
