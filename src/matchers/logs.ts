import type { LogLevel, LogLine, ReportFields } from '../contract/logs.js';
import {
  isAsymmetricMatcher,
  type MatcherContext,
  type MatcherResult,
  matchesPartial,
  matchesText,
  pickExpectedShape,
} from './context.js';
import { badArgument, buildResult, checkOptions, requireResult } from './message.js';

const LEVELS: readonly LogLevel[] = ['TRACE', 'DEBUG', 'INFO', 'WARN', 'ERROR', 'FATAL'];

/**
 * Options of the log matchers.
 *
 * @example
 * expect(result).toHaveLogged('retrying', { level: 'WARN' });
 */
export interface LogMatchOptions {
  /** Only lines at this level (function and runtime lines carry a level; raw writes do not). */
  readonly level?: LogLevel;
}

/**
 * A line expectation: a substring, a RegExp, or an asymmetric matcher over the line's message.
 *
 * @example
 * const line: LogExpectation = /order \d+ stored/;
 * expect(result).toHaveLogged(line);
 */
export type LogExpectation = string | RegExp | unknown;

function readLevel(name: string, options: unknown): LogLevel | undefined {
  const opts = checkOptions(name, options, ['level']);
  if (opts.level === undefined) return undefined;
  if (typeof opts.level !== 'string' || !LEVELS.includes(opts.level as LogLevel)) {
    badArgument(name, 'options.level', `one of ${LEVELS.join(', ')}`, opts.level);
  }
  return opts.level as LogLevel;
}

function messageText(line: LogLine): string {
  const m = line.message;
  if (typeof m === 'string') return m;
  try {
    return JSON.stringify(m) ?? String(m);
  } catch {
    return String(m);
  }
}

function lineMatches(ctx: MatcherContext, line: LogLine, expected: LogExpectation): boolean {
  if (typeof expected === 'string' || expected instanceof RegExp) {
    return (
      matchesText(ctx.equals, messageText(line), expected, 'contains') ||
      matchesText(ctx.equals, line.text, expected, 'contains')
    );
  }
  return ctx.equals(line.message, expected);
}

/** The structured values a line offers for a JSON match: its JSON record, its object message, or its message parsed as JSON. */
function jsonCandidates(line: LogLine): unknown[] {
  const out: unknown[] = [];
  if (line.json) out.push(line.json);
  const m = line.message;
  if (typeof m === 'object' && m !== null) out.push(m);
  else if (typeof m === 'string') {
    const t = m.trim();
    if (t.startsWith('{') || t.startsWith('[')) {
      try {
        out.push(JSON.parse(t));
      } catch {
        // not JSON: no candidate
      }
    }
  } else if (!line.json && line.source === 'raw') {
    const t = line.text.trim();
    if (t.startsWith('{')) {
      try {
        out.push(JSON.parse(t));
      } catch {
        // not JSON
      }
    }
  }
  return out;
}

function checkLineExpectation(name: string, expected: unknown): void {
  if (expected === undefined || expected === null) {
    badArgument(name, 'expected', 'a string, a RegExp or an asymmetric matcher', expected);
  }
  if (typeof expected === 'object' && !(expected instanceof RegExp) && !isAsymmetricMatcher(expected)) {
    badArgument(
      name,
      'expected',
      'a string, a RegExp or an asymmetric matcher (use toHaveLoggedJson() for objects)',
      expected,
    );
  }
}

function atLevel(logs: readonly LogLine[], level: LogLevel | undefined): readonly LogLine[] {
  return level === undefined ? logs : logs.filter((l) => l.level === level);
}

/** Matchers over the lines an invocation logged and its REPORT line. */
export const logMatchers = {
  /**
   * Passes when some captured line matches: a string is a substring of the message or the full
   * line, a RegExp is tested against both, an asymmetric matcher is applied to the message.
   */
  toHaveLogged(
    this: MatcherContext,
    received: unknown,
    expected: LogExpectation,
    options?: LogMatchOptions,
  ): MatcherResult {
    const result = requireResult('toHaveLogged', received);
    checkLineExpectation('toHaveLogged', expected);
    const level = readLevel('toHaveLogged', options);
    const at = level ? ` at ${level}` : '';
    const pass = atLevel(result.logs, level).some((l) => lineMatches(this, l, expected));
    return buildResult(this, pass, {
      name: 'toHaveLogged',
      expectedLabel: level ? 'expected, options' : 'expected',
      expectation: [
        `a log line${at} matching ${this.utils.printExpected(expected)}`,
        `no log line${at} matching ${this.utils.printExpected(expected)}`,
      ],
      received: [],
      logs: result.logs,
      hint: level
        ? `Only lines logged at ${level} are searched; console.log and console.info log at INFO.`
        : 'Strings match as substrings of the message or the whole line; use a RegExp for patterns.',
    });
  },

  /**
   * Passes when a line carries a JSON object containing `expected` (toMatchObject-style): the JSON
   * record of a JSON-format line, an object message, or a message that is JSON text.
   */
  toHaveLoggedJson(
    this: MatcherContext,
    received: unknown,
    expected: Record<string, unknown>,
    options?: LogMatchOptions,
  ): MatcherResult {
    const result = requireResult('toHaveLoggedJson', received);
    if (typeof expected !== 'object' || expected === null || expected instanceof RegExp) {
      badArgument('toHaveLoggedJson', 'expected', 'an object to match partially', expected);
    }
    const level = readLevel('toHaveLoggedJson', options);
    const at = level ? ` at ${level}` : '';
    const candidates = atLevel(result.logs, level).flatMap(jsonCandidates);
    const pass = candidates.some((c) => matchesPartial(this.equals, c, expected));
    const closest = candidates.length === 1 ? pickExpectedShape(candidates[0], expected) : undefined;
    return buildResult(this, pass, {
      name: 'toHaveLoggedJson',
      expectedLabel: level ? 'expected, options' : 'expected',
      expectation: [
        `a JSON log entry${at} matching ${this.utils.printExpected(expected)}`,
        `no JSON log entry${at} matching ${this.utils.printExpected(expected)}`,
      ],
      received: [`Received: ${candidates.length} JSON entr${candidates.length === 1 ? 'y' : 'ies'}${at}`],
      logs: result.logs,
      hint: 'Matched partially against each JSON line, object message or JSON-text message; log with console.log(JSON.stringify(obj)) or use the JSON log format.',
      ...(closest !== undefined ? { actual: closest, expected } : {}),
    });
  },

  /** Passes when lines matching each expectation appear in this order (other lines may sit between). */
  toHaveLoggedInOrder(
    this: MatcherContext,
    received: unknown,
    expected: readonly LogExpectation[],
    options?: LogMatchOptions,
  ): MatcherResult {
    const result = requireResult('toHaveLoggedInOrder', received);
    if (!Array.isArray(expected) || expected.length === 0) {
      badArgument(
        'toHaveLoggedInOrder',
        'expected',
        'a non-empty array of strings, RegExps or matchers',
        expected,
      );
    }
    expected.forEach((e, i) => {
      checkLineExpectation('toHaveLoggedInOrder', e);
      void i;
    });
    const level = readLevel('toHaveLoggedInOrder', options);
    const lines = atLevel(result.logs, level);
    let matched = 0;
    let from = 0;
    for (const exp of expected) {
      const idx = lines.findIndex((l, i) => i >= from && lineMatches(this, l, exp));
      if (idx === -1) break;
      matched += 1;
      from = idx + 1;
    }
    const pass = matched === expected.length;
    const missing = expected[matched];
    return buildResult(this, pass, {
      name: 'toHaveLoggedInOrder',
      expectedLabel: 'expected',
      expectation: [
        `log lines in order: ${expected.map((e) => this.utils.printExpected(e)).join(', ')}`,
        `log lines not in order: ${expected.map((e) => this.utils.printExpected(e)).join(', ')}`,
      ],
      received: pass
        ? ['Received: every expectation matched in order']
        : [
            `Received: ${matched} of ${expected.length} matched in order; no line after them matches ${this.utils.printReceived(missing)}`,
          ],
      logs: result.logs,
      hint: 'Expectations must match distinct lines in order; lines in between are ignored.',
    });
  },

  /** Passes when nothing was logged at ERROR or FATAL (including the runtime's Invoke Error line). */
  toHaveLoggedNoErrors(this: MatcherContext, received: unknown): MatcherResult {
    const result = requireResult('toHaveLoggedNoErrors', received);
    const errors = result.logs.filter((l) => l.level === 'ERROR' || l.level === 'FATAL');
    return buildResult(this, errors.length === 0, {
      name: 'toHaveLoggedNoErrors',
      expectation: ['no log line at ERROR or FATAL', 'some log line at ERROR or FATAL'],
      received: [
        errors.length === 0
          ? 'Received: no ERROR or FATAL lines'
          : `Received: ${errors.length} ERROR/FATAL line${errors.length === 1 ? '' : 's'}:`,
        ...errors.slice(0, 10).map((l) => `  ${l.text.replace(/\t/g, '  ')}`),
      ],
      logs: result.logs,
      hint: 'console.error logs at ERROR; a failed invocation also logs the runtime\'s "Invoke Error" line at ERROR.',
    });
  },

  /** Passes when the REPORT line's fields contain `expected` (asymmetric matchers allowed). */
  toHaveReport(
    this: MatcherContext,
    received: unknown,
    expected: Partial<Record<keyof ReportFields, unknown>>,
  ): MatcherResult {
    const result = requireResult('toHaveReport', received);
    if (typeof expected !== 'object' || expected === null || Array.isArray(expected)) {
      badArgument('toHaveReport', 'expected', 'an object of REPORT fields', expected);
    }
    const known: readonly string[] = [
      'requestId',
      'durationMs',
      'billedDurationMs',
      'memorySizeMB',
      'maxMemoryUsedMB',
      'initDurationMs',
      'status',
    ];
    for (const key of Object.keys(expected)) {
      if (!known.includes(key))
        badArgument('toHaveReport', `expected.${key}`, `a REPORT field (${known.join(', ')})`, key);
    }
    const report = result.report as unknown as Record<string, unknown>;
    const pass = Object.entries(expected).every(([k, v]) => this.equals(report[k], v));
    const reportLine = result.logs.find(
      (l) => l.source === 'platform' && /^REPORT\b|"platform\.report"/.test(l.text),
    );
    return buildResult(this, pass, {
      name: 'toHaveReport',
      expectedLabel: 'expected',
      expectation: [
        `REPORT fields matching ${this.utils.printExpected(expected)}`,
        `REPORT fields not matching ${this.utils.printExpected(expected)}`,
      ],
      received: [
        `Received: ${reportLine ? reportLine.text.replace(/\t+$/, '').replace(/\t/g, '  ') : '(no REPORT line captured)'}`,
      ],
      hint: 'Billed Duration is ceil(Init Duration + Duration) on on-demand cold starts; Init Duration is absent on warm starts.',
      actual: pickExpectedShape(report, expected),
      expected,
    });
  },
};
