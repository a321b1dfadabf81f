/**
 * Every time-dependent behaviour reads a Clock. The real clock uses Node timers; the virtual
 * clock only moves when told to, so tests and `simulate` never wait on wall time.
 */
export interface TimerHandle {
  readonly at: number;
}

export interface Clock {
  /** Epoch milliseconds. */
  now(): number;
  /** Run `fn` once at or after `delayMs` from now. */
  setTimer(delayMs: number, fn: () => void): TimerHandle;
  cancelTimer(handle: TimerHandle): void;
}

export class RealClock implements Clock {
  private readonly handles = new Map<TimerHandle, NodeJS.Timeout>();

  now(): number {
    return Date.now();
  }

  setTimer(delayMs: number, fn: () => void): TimerHandle {
    const handle = { at: Date.now() + delayMs };
    const t = setTimeout(() => {
      this.handles.delete(handle);
      fn();
    }, Math.max(0, delayMs));
    t.unref?.();
    this.handles.set(handle, t);
    return handle;
  }

  cancelTimer(handle: TimerHandle): void {
    const t = this.handles.get(handle);
    if (t) clearTimeout(t);
    this.handles.delete(handle);
  }

  /** Cancel everything (shutdown). */
  cancelAll(): void {
    for (const t of this.handles.values()) clearTimeout(t);
    this.handles.clear();
  }
}

interface VirtualTimer extends TimerHandle {
  readonly seq: number;
  readonly fn: () => void;
  cancelled: boolean;
}

/** A min-heap of timers ordered by (at, seq): deterministic firing order. */
export class VirtualClock implements Clock {
  private t: number;
  private seq = 0;
  private readonly heap: VirtualTimer[] = [];

  constructor(startMs = Date.UTC(2026, 0, 1)) {
    this.t = startMs;
  }

  now(): number {
    return this.t;
  }

  setTimer(delayMs: number, fn: () => void): TimerHandle {
    const timer: VirtualTimer = { at: this.t + Math.max(0, delayMs), seq: this.seq++, fn, cancelled: false };
    this.push(timer);
    return timer;
  }

  cancelTimer(handle: TimerHandle): void {
    (handle as VirtualTimer).cancelled = true;
  }

  /** Time of the earliest live timer, or undefined. */
  nextTimerAt(): number | undefined {
    while (this.heap.length > 0 && this.heap[0].cancelled) this.pop();
    return this.heap[0]?.at;
  }

  /** Move time to `ms`, firing every timer due at or before it, in order. */
  advanceTo(ms: number): number {
    let fired = 0;
    for (;;) {
      const next = this.nextTimerAt();
      if (next === undefined || next > ms) break;
      const timer = this.pop()!;
      this.t = Math.max(this.t, timer.at);
      fired++;
      timer.fn();
    }
    this.t = Math.max(this.t, ms);
    return fired;
  }

  advanceBy(ms: number): number {
    return this.advanceTo(this.t + ms);
  }

  private push(timer: VirtualTimer): void {
    const h = this.heap;
    h.push(timer);
    let i = h.length - 1;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (!before(h[i], h[p])) break;
      [h[i], h[p]] = [h[p], h[i]];
      i = p;
    }
  }

  private pop(): VirtualTimer | undefined {
    const h = this.heap;
    if (h.length === 0) return undefined;
    const top = h[0];
    const last = h.pop()!;
    if (h.length > 0) {
      h[0] = last;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < h.length && before(h[l], h[m])) m = l;
        if (r < h.length && before(h[r], h[m])) m = r;
        if (m === i) break;
        [h[i], h[m]] = [h[m], h[i]];
        i = m;
      }
    }
    return top;
  }
}

function before(a: VirtualTimer, b: VirtualTimer): boolean {
  return a.at < b.at || (a.at === b.at && a.seq < b.seq);
}
