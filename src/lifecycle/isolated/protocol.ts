/**
 * Messages between an isolated instance (parent) and its child process, over Node's IPC channel.
 * Everything crossing it is plain data: log lines are flattened to {@link LogLine}-shaped objects.
 */
import type {
  ErrorPayload,
  InvocationResult,
  PendingWork,
  StreamedChunk,
  StreamedResponse,
  StreamPrelude,
} from '../../invoke/result.js';
import type { LogLine } from '../../logs/types.js';
import type { ImportTiming } from './import-timing.js';

/** What the child needs to initialise a function. */
export interface ChildInitMessage {
  readonly type: 'init';
  /** Absolute path of the handler file. */
  readonly file: string;
  /** Export path inside the module, `handler` or `handlers.get`. */
  readonly exportPath: string;
  /** FunctionOptions for the engine (runtime, timeout, memorySize, env, ...), handler excluded. */
  readonly functionOptions: Record<string, unknown>;
  /** Record per-module evaluation times. */
  readonly attributeImports: boolean;
  readonly slowestImportsLimit: number;
  /** Init limit; default the engine's (10 s on demand). The suppressed retry uses the function timeout. */
  readonly initTimeoutMs?: number;
  /** The environment's log stream, kept across resets of the same environment; default a new one. */
  readonly logStreamName?: string;
  readonly initializationType?: 'on-demand' | 'provisioned-concurrency';
  /** Extra environment of this execution environment, for example its TMPDIR. */
  readonly extraEnv?: Readonly<Record<string, string>>;
  /** A module imported before init (mocks, polyfills), absolute path. */
  readonly setup?: string;
  /** `{ mode: 'virtual' }`: init runs on the environment's virtual clock, which its invocations continue. */
  readonly clock?: { readonly mode: 'real' } | { readonly mode: 'virtual'; readonly startMs?: number };
  /** Where that clock starts without a `startMs`: the time of the instance's previous environment. */
  readonly virtualStart?: number;
}

export interface ChildInvokeMessage {
  readonly type: 'invoke';
  readonly id: number;
  readonly event: unknown;
  readonly requestId?: string;
  /** Lines to place before START instead of this process's own init lines (after a suppressed init). */
  readonly initLogs?: readonly LogLine[];
  readonly clock?: { readonly mode: 'real' } | { readonly mode: 'virtual'; readonly startMs?: number };
  /** Virtual idle time passed while frozen since the last invocation (`passIdleTime`), in ms. */
  readonly idleMs?: number;
  /** Whether REPORT carries Init Duration on this process's first invocation; default true (false for provisioned). */
  readonly reportInitDuration?: boolean;
  readonly traceId?: string | null;
  readonly identity?: unknown;
  readonly clientContext?: unknown;
  readonly tenantId?: string;
}

export type ParentToChild = ChildInitMessage | ChildInvokeMessage;

/** The child finished init (successfully or not). */
export interface InitReplyMessage {
  readonly type: 'init-done';
  readonly ok: boolean;
  readonly initDurationMs: number;
  readonly error?: ErrorPayload;
  readonly status?: 'error' | 'timeout';
  readonly logs: readonly LogLine[];
  readonly pendingWork: PendingWork;
  readonly slowestImports: readonly ImportTiming[];
  /** The handler name the engine used (`index.handler`). */
  readonly handlerName: string;
  /** On Runtime.HandlerNotFound: the function exports the module does have (`handler`, `handlers.get`). */
  readonly exports?: readonly string[];
  readonly frozen?: FrozenState;
}

/**
 * The environment as it is frozen after a reply: nothing of it runs until the next message, so
 * the parent can end it without asking and still say what was dropped.
 *
 * @example
 * const frozen: FrozenState = { virtualNow: 1704067230000, dropped: undefined };
 */
export interface FrozenState {
  /** Epoch ms of the environment's virtual clock; undefined while it has none. */
  readonly virtualNow: number | undefined;
  /** What ending the environment now drops (what a reset dropped); undefined when nothing. */
  readonly dropped: PendingWork | undefined;
}

export interface InvokeReplyMessage {
  readonly type: 'invoke-done';
  readonly id: number;
  readonly result: InvocationResult;
  readonly resetRequired: boolean;
  readonly resetReason: 'timeout' | 'crash' | 'exit' | undefined;
  readonly frozen?: FrozenState;
}

/** A harness error inside the child (bad options); the parent rethrows it as a HarnessError. */
export interface ChildFailureMessage {
  readonly type: 'failure';
  readonly code: string;
  readonly message: string;
  readonly hint?: string;
}

/** A streaming handler's prelude or chunk, sent as it reaches the caller (before `invoke-done`). */
export interface ChildStreamMessage {
  readonly type: 'stream';
  readonly id: number;
  readonly prelude?: StreamPrelude;
  readonly chunk?: {
    readonly data: Uint8Array;
    readonly atMs: number;
    readonly deliveredAtMs: number | undefined;
  };
}

export type ChildToParent = InitReplyMessage | InvokeReplyMessage | ChildFailureMessage | ChildStreamMessage;

/** Flattens a log line (possibly a class instance with getters) into plain, cloneable data. */
export function plainLogLine(line: LogLine): LogLine {
  return {
    text: line.text,
    source: line.source,
    level: line.level,
    requestId: line.requestId,
    message: cloneable(line.message),
    json: cloneable(line.json) as Record<string, unknown> | undefined,
    timestamp: line.timestamp,
    stream: line.stream,
  };
}

function cloneable(value: unknown): unknown {
  if (value === undefined || value === null || typeof value !== 'object') {
    return typeof value === 'function' || typeof value === 'symbol' || typeof value === 'bigint'
      ? String(value)
      : value;
  }
  try {
    return structuredClone(value);
  } catch {
    try {
      return JSON.parse(JSON.stringify(value)) as unknown;
    } catch {
      return String(value);
    }
  }
}

/** A result with plain log lines (and a plain stream), ready to cross the IPC channel. */
export function plainResult(result: InvocationResult): InvocationResult {
  const plain = { ...result, logs: result.logs.map(plainLogLine) } as InvocationResult;
  if (result.stream) {
    const s = result.stream;
    // Getters become values; the body is rebuilt from the chunks on the other side.
    (plain as { stream?: unknown }).stream = {
      ...s,
      chunks: s.chunks.map((c) => ({ data: c.data, atMs: c.atMs, deliveredAtMs: c.deliveredAtMs })),
      body: undefined,
      text: undefined,
    };
  }
  return plain;
}

/** A chunk received over IPC (a Uint8Array there) as a {@link StreamedChunk}. */
export function reviveChunk(c: {
  data: Uint8Array;
  atMs: number;
  deliveredAtMs: number | undefined;
}): StreamedChunk {
  const data = Buffer.from(c.data.buffer, c.data.byteOffset, c.data.byteLength);
  const chunk = { data, text: '', atMs: c.atMs, deliveredAtMs: c.deliveredAtMs };
  Object.defineProperty(chunk, 'text', { get: () => data.toString('utf8'), enumerable: true });
  return chunk;
}

/** The result of an isolated invocation with its stream's Buffers and decoded text restored. */
export function reviveResult(result: InvocationResult): InvocationResult {
  const s = result.stream as
    | (Omit<StreamedResponse, 'chunks'> & { chunks: Parameters<typeof reviveChunk>[0][] })
    | undefined;
  if (!s) return result;
  const chunks = s.chunks.map(reviveChunk);
  const body = Buffer.concat(chunks.map((c) => c.data));
  const stream: StreamedResponse = { ...s, chunks, body, text: body.toString('utf8') };
  if (result.outcome === 'success')
    return { ...result, stream, response: stream.text, responseJson: JSON.stringify(stream.text) };
  return { ...result, stream };
}
