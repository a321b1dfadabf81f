/**
 * `run --clock manual` and the testing entry point: every loop on a virtual clock that moves only
 * when told to. Between moves the loops drain synchronously whenever work arrives (an API call, a
 * control-socket apply, the bridge), so what a test reads back is the state at that instant; a move
 * steps from one due timer to the next and drains at each, exactly as `simulate` does.
 */
import { VirtualClock } from './clock.js';
import type { Manager } from './manager.js';

/** Largest single move: a bound on the work one request can ask for. */
export const MAX_ADVANCE_MS = 30 * 86_400_000;

export interface AdvanceResult {
  /** The new time, epoch milliseconds. */
  now: number;
  /** Reconciles the loops ran on the way. */
  reconciles: number;
}

export class ManualTime {
  private scheduled = false;
  private stopped = false;

  constructor(
    readonly clock: VirtualClock,
    private readonly manager: Manager,
    /** A drain that throws outside a request (a hot loop) is reported here, not thrown from a timer. */
    private readonly onError: (err: unknown) => void = () => undefined,
  ) {}

  /** Subscribe the loops; from now on queued work drains on the next turn of the event loop. */
  start(): void {
    this.manager.startWatching();
    for (const c of this.manager.controllers) c.queue.setReadyListener(() => this.schedule());
    this.drain();
  }

  stop(): void {
    this.stopped = true;
  }

  /** Run every loop until quiet at the current time; returns the reconciles. */
  drain(): number {
    return this.stopped ? 0 : this.manager.drain();
  }

  /** Move time to `ms` (not before now), firing each due timer in order and draining after each. */
  advanceTo(ms: number): AdvanceResult {
    if (ms < this.clock.now()) throw new RangeError(`cannot move the clock back (now ${new Date(this.clock.now()).toISOString()})`);
    let reconciles = this.drain();
    for (;;) {
      const next = this.clock.nextTimerAt();
      if (next === undefined || next > ms) break;
      this.clock.advanceTo(next);
      reconciles += this.drain();
    }
    this.clock.advanceTo(ms);
    reconciles += this.drain();
    return { now: this.clock.now(), reconciles };
  }

  advanceBy(ms: number): AdvanceResult {
    return this.advanceTo(this.clock.now() + ms);
  }

  private schedule(): void {
    if (this.scheduled || this.stopped) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      try {
        this.drain();
      } catch (err) {
        this.onError(err);
      }
    });
  }
}
