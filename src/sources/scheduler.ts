/**
 * The discrete-event scheduler behind every simulator: a min-heap of (virtual time, sequence)
 * entries run one at a time. An entry may be async (an invocation): the scheduler awaits it
 * before taking the next, so virtual time only moves forward and a run is deterministic.
 */

/** A scheduled piece of work. */
type Task = () => void | Promise<void>;

interface Entry {
  readonly at: number;
  readonly seq: number;
  readonly task: Task;
}

/**
 * A virtual clock with a queue of timed tasks.
 *
 * @example
 * const s = new Scheduler(Date.UTC(2024, 0, 1));
 * s.at(s.now + 60_000, () => console.log('one virtual minute later'));
 * await s.run();
 */
export class Scheduler {
  /** Current virtual time, epoch ms. */
  now: number;
  private readonly heap: Entry[] = [];
  private seq = 0;
  /** Tasks run so far. */
  steps = 0;
  /** True while a run() drives this scheduler. */
  running = false;
  /** Invocations awaiting their target right now (a handler may be sending to another simulator). */
  invoking = 0;

  constructor(startMs: number) {
    this.now = startMs;
  }

  /** Schedules `task` at virtual time `at` (never earlier than now). */
  at(at: number, task: Task): void {
    const entry: Entry = { at: Math.max(at, this.now), seq: this.seq++, task };
    const h = this.heap;
    h.push(entry);
    let i = h.length - 1;
    while (i > 0) {
      const p = (i - 1) >> 1;
      const parent = h[p] as Entry;
      if (parent.at < entry.at || (parent.at === entry.at && parent.seq < entry.seq)) break;
      h[i] = parent;
      i = p;
    }
    h[i] = entry;
  }

  /** Schedules `task` `delayMs` after now. */
  after(delayMs: number, task: Task): void {
    this.at(this.now + delayMs, task);
  }

  /** Number of tasks waiting. */
  get pending(): number {
    return this.heap.length;
  }

  /** Virtual time of the next task, or undefined when idle. */
  get nextAt(): number | undefined {
    return this.heap[0]?.at;
  }

  private pop(): Entry | undefined {
    const h = this.heap;
    const top = h[0];
    const last = h.pop();
    if (top === undefined || last === undefined || h.length === 0) return top;
    let i = 0;
    const n = h.length;
    for (;;) {
      const l = 2 * i + 1;
      if (l >= n) break;
      const r = l + 1;
      let c = l;
      const lc = h[l] as Entry;
      if (r < n) {
        const rc = h[r] as Entry;
        if (rc.at < lc.at || (rc.at === lc.at && rc.seq < lc.seq)) c = r;
      }
      const child = h[c] as Entry;
      if (last.at < child.at || (last.at === child.at && last.seq < child.seq)) break;
      h[i] = child;
      i = c;
    }
    h[i] = last;
    return top;
  }

  /**
   * Runs tasks in time order until none is left, the next is later than `untilMs`, or `stop()`
   * returns true (checked between tasks). Returns true when the queue drained.
   */
  async run(untilMs = Number.POSITIVE_INFINITY, stop: () => boolean = () => false): Promise<boolean> {
    for (;;) {
      const next = this.heap[0];
      if (next === undefined) return true;
      if (next.at > untilMs || stop()) {
        if (Number.isFinite(untilMs) && untilMs > this.now && next.at > untilMs) this.now = untilMs;
        return false;
      }
      this.pop();
      this.now = next.at;
      this.steps++;
      const r = next.task();
      if (r !== undefined) await r;
    }
  }
}
