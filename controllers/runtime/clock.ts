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

const MAX_TIMEOUT_MS = 2 ** 31 - 1;

export class RealClock implements Clock {
  private readonly handles = new Map<TimerHandle, NodeJS.Timeout>();

  now(): number {
    return Date.now();
  }

  setTimer(delayMs: number, fn: () => void): TimerHandle {
    const handle = { at: Date.now() + delayMs };
    this.arm(handle, fn);
    return handle;
  }

  /**
   * Node fires a timeout above 2^31-1 ms (24.8 days) at once; a longer delay (a grace period of
   * years is valid ECS input) waits in steps until its time has come.
   */
  private arm(handle: TimerHandle, fn: () => void): void {
    const left = handle.at - Date.now();
    const t = setTimeout(
      () => {
        if (handle.at - Date.now() > 0 && left > MAX_TIMEOUT_MS) return this.arm(handle, fn);
        this.handles.delete(handle);
        fn();
      },
      Math.min(MAX_TIMEOUT_MS, Math.max(0, left)),
    );
    t.unref?.();
    this.handles.set(handle, t);
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

/** Where a scaled clock reads real time and arms real timers: Node's by default, a fake in unit tests. */
export interface RealTimeSource {
  now(): number;
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export const systemTime: RealTimeSource = {
  now: () => Date.now(),
  setTimeout: (fn, ms) => {
    const t = setTimeout(fn, ms);
    t.unref?.(); // as RealClock's: a pending timer never holds the process open
    return t;
  },
  clearTimeout: (t) => clearTimeout(t as NodeJS.Timeout),
};

/** Longest --time-scale: beyond it one real millisecond is more than 10 s of virtual time. */
export const MAX_TIME_SCALE = 10_000;

/**
 * `run --time-scale N`: virtual time runs N× faster than real. now() = start + N × real elapsed;
 * a timer due at virtual time T fires when now() reaches T, i.e. after (T - now) / N real ms.
 * A real timer may fire a little early (millisecond rounding) or be capped at 2^31-1 ms: the
 * timer then re-arms for what is left, so fn never runs before its virtual time.
 */
export class ScaledClock implements Clock {
  private readonly realStart: number;
  private readonly handles = new Map<TimerHandle, unknown>();

  constructor(
    readonly scale: number,
    private readonly startMs?: number,
    private readonly real: RealTimeSource = systemTime,
  ) {
    if (!(Number.isFinite(scale) && scale > 0 && scale <= MAX_TIME_SCALE)) {
      throw new RangeError(`time scale must be a number > 0 and <= ${MAX_TIME_SCALE}, got ${scale}`);
    }
    this.realStart = real.now();
  }

  now(): number {
    const start = this.startMs ?? this.realStart;
    return Math.floor(start + this.scale * (this.real.now() - this.realStart));
  }

  setTimer(delayMs: number, fn: () => void): TimerHandle {
    const handle = { at: this.now() + Math.max(0, delayMs) };
    this.arm(handle, fn);
    return handle;
  }

  private arm(handle: TimerHandle, fn: () => void): void {
    const left = handle.at - this.now();
    if (left <= 0 && this.handles.has(handle)) {
      this.handles.delete(handle);
      fn();
      return;
    }
    const realMs = Math.min(MAX_TIMEOUT_MS, Math.max(0, Math.ceil(left / this.scale)));
    this.handles.set(
      handle,
      this.real.setTimeout(() => this.arm(handle, fn), realMs),
    );
  }

  cancelTimer(handle: TimerHandle): void {
    if (this.handles.has(handle)) this.real.clearTimeout(this.handles.get(handle));
    this.handles.delete(handle);
  }

  /** Cancel everything (shutdown). */
  cancelAll(): void {
    for (const t of this.handles.values()) this.real.clearTimeout(t);
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
