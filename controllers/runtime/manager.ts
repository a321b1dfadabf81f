/**
 * Runs controllers. Two modes:
 * - `start()` on the real clock: the controllers take turns between the event loop's I/O, each
 *   turn the keys it had queued, within a time slice (a key is never processed twice at once: each
 *   controller handles one key at a time);
 * - `drain()` for the virtual clock: processes every queue synchronously, round-robin (each
 *   controller's turn takes what it had queued), until all are empty — deterministic, so `simulate` gives byte-identical output.
 */
import { performance } from 'node:perf_hooks';
import { inject, injectable } from './di.js';
import type { ResourceStore } from '../../store/store.js';
import type { Clock } from './clock.js';
import { VirtualClock } from './clock.js';
import { Controller, type ControllerOptions } from './controller.js';
import type { Logger } from './logger.js';
import type { RuntimeMetrics } from './metrics.js';
import { TOKENS } from './tokens.js';

/** How long one turn of the loops may hold the event loop before I/O is served again. */
export const TURN_SLICE_MS = 1;
/** A front end's request makes the loops yield for this long (real milliseconds) ... */
export const FOREGROUND_MS = 2;
/** ... during which they take one short slice per pause: at least one key, at most this long ... */
export const FOREGROUND_SLICE_MS = 0.1;
/**
 * ... and use at most this share of the time: a slice that ran longer (its one key was a service
 * launching tasks) is followed by a longer pause, so a burst of calls keeps ~95 % of the CPU ...
 */
export const FOREGROUND_SHARE = 0.05;
/** ... but never pause longer than this between slices (a backlog of long reconciles still drains). */
export const FOREGROUND_MAX_PAUSE_MS = 20;
/** ... unless they have yielded this long without emptying their queues: then they take every turn again. */
export const MAX_YIELD_MS = 1000;

@injectable()
export class Manager {
  readonly controllers: Controller[] = [];
  private running = false;
  /** Real-clock mode: the controllers with queued keys, in turn order, each at most once. */
  private readonly runnable: Controller[] = [];
  private readonly queued = new Set<Controller>();
  private readonly inFlight = new Map<Controller, Promise<void>>();
  private turnScheduled = false;
  /**
   * The real-time reading that paces the turns (tests replace it). Real time, not the injected
   * Clock: it shares out the CPU between the front ends and the loops, it is not simulated time.
   */
  pacingNow: () => number = () => performance.now();
  /** How a deferred turn waits FOREGROUND_MS (tests replace it). */
  pacingTimer: (fn: () => void, ms: number) => void = (fn, ms) => void setTimeout(fn, ms);
  /** When a front end last took a request (pacingNow). */
  private foregroundAt = -Infinity;
  /** Since when the loops have yielded to front ends with keys queued (undefined: not yielding). */
  private yieldingSince: number | undefined;
  /** While requests keep coming, no slice before this (pacingNow): a long slice is paid for (FOREGROUND_SHARE). */
  private nextSliceAt = -Infinity;
  private metrics: RuntimeMetrics | undefined;

  constructor(
    @inject(TOKENS.Store) private readonly store: ResourceStore,
    @inject(TOKENS.Clock) private readonly clock: Clock,
    @inject(TOKENS.Logger) private readonly log: Logger,
  ) {}

  add(options: ControllerOptions): Controller {
    const c = new Controller(options, this.store, this.clock, this.log);
    this.controllers.push(c);
    if (this.metrics) c.instrument(this.metrics.instrument(c.name, c.queue));
    return c;
  }

  /** Report every controller's reconciles and queue to these metrics (ecsplane run; simulate does not). */
  instrument(metrics: RuntimeMetrics): void {
    this.metrics = metrics;
    for (const c of this.controllers) c.instrument(metrics.instrument(c.name, c.queue));
  }

  /** Whether the loops run (readiness). */
  get started(): boolean {
    return this.running;
  }

  /** Subscribe every controller to the store (initial list enqueues every object). */
  startWatching(): void {
    for (const c of this.controllers) c.start();
  }

  /**
   * Real-clock mode: the controllers take turns on the event loop. Every turn runs in a
   * setImmediate callback, after the I/O the event loop found ready, and gives the controllers in
   * round-robin order the keys each had queued, until TURN_SLICE_MS has passed; then I/O is served
   * again. So a write's reply (an API call, a kubectl apply) goes out before the loops work on it —
   * the loops follow behind the API as ECS's scheduler does behind its API. While requests keep
   * coming (noteForeground) they take one short slice per FOREGROUND_MS (at most FOREGROUND_SHARE of
   * the time), for at most MAX_YIELD_MS.
   */
  start(): void {
    this.startWatching();
    this.running = true;
    for (const c of this.controllers) {
      c.queue.setReadyListener(() => this.markRunnable(c));
      this.markRunnable(c);
    }
  }

  async stop(): Promise<void> {
    this.running = false;
    for (const c of this.controllers) c.stop();
    this.runnable.length = 0;
    this.queued.clear();
    await Promise.all(this.inFlight.values());
  }

  /** Synchronous mode: process until every queue is empty. Returns keys processed. */
  drain(limit = 10_000_000): number {
    let processed = 0;
    let progress = true;
    while (progress) {
      progress = false;
      for (const c of this.controllers) {
        // A turn takes every key queued when it starts (what arrives meanwhile waits for the next
        // round), like a worker that finds its queue full: a burst of task changes then wakes
        // each service once, not once per task.
        for (let n = c.queue.length; n > 0; n--) {
          const key = c.queue.get();
          if (key === undefined) break;
          progress = true;
          const p = c.processKey(key);
          if (p) throw new Error(`controller ${c.name} is asynchronous and cannot run in drain()`);
          if (++processed >= limit) throw new Error(`drain(): no quiescence after ${limit} reconciles (a hot loop?)`);
        }
      }
    }
    return processed;
  }

  /** Reconcile `key` of controller `name` now (see Controller.reconcileNow). */
  reconcileNow(name: string, key: string): boolean {
    const c = this.controllers.find((x) => x.name === name);
    if (!c) throw new Error(`no controller ${name}`);
    return c.reconcileNow(key);
  }

  /** Quiet: every queue empty and (on the virtual clock) no timer due before `beforeMs`. */
  isQuiet(beforeMs = Infinity): boolean {
    if (!this.controllers.every((c) => c.queue.isIdle())) return false;
    if (this.clock instanceof VirtualClock) {
      const next = this.clock.nextTimerAt();
      return next === undefined || next >= beforeMs;
    }
    return true;
  }

  /** Resolve when all queues are empty (real-clock mode; for the CLI and tests). */
  async waitIdle(pollMs = 5): Promise<void> {
    while (!this.controllers.every((c) => c.queue.isIdle())) await new Promise((r) => setTimeout(r, pollMs));
  }

  /**
   * A front end (the AWS API) took a request: for FOREGROUND_MS the loops take one short slice per
   * FOREGROUND_MS (a longer pause after a long slice: FOREGROUND_SHARE) instead of every turn, so a
   * burst of calls is answered at the API's own speed and the loops catch up when it pauses, never
   * starved (a slice each pause).
   */
  noteForeground(): void {
    this.foregroundAt = this.pacingNow();
  }

  private markRunnable(c: Controller): void {
    if (!this.running || this.queued.has(c) || this.inFlight.has(c)) return;
    this.queued.add(c);
    this.runnable.push(c);
    this.scheduleTurn();
  }

  private scheduleTurn(): void {
    if (this.turnScheduled || this.runnable.length === 0) return;
    this.turnScheduled = true;
    if (this.inForeground(this.pacingNow())) this.pacingTimer(this.turn, FOREGROUND_MS);
    else setImmediate(this.turn);
  }

  private inForeground(now: number): boolean {
    if (now - this.foregroundAt >= FOREGROUND_MS) return false;
    this.yieldingSince ??= now;
    return now - this.yieldingSince < MAX_YIELD_MS;
  }

  private readonly turn = (): void => {
    const started = this.pacingNow();
    const foreground = this.inForeground(started);
    if (foreground && started < this.nextSliceAt) {
      // Requests still coming and the last slice not yet paid for: wait on (turnScheduled stays set).
      this.pacingTimer(this.turn, FOREGROUND_MS);
      return;
    }
    try {
      this.takeTurns(started, foreground ? FOREGROUND_SLICE_MS : TURN_SLICE_MS); // keys queued meanwhile wait for the finally
    } finally {
      const ended = this.pacingNow();
      // The next slice no sooner than d / FOREGROUND_SHARE after this one's start (d its length; for a
      // short one that is within the pacing timer's wait), and no later than FOREGROUND_MAX_PAUSE_MS after its end.
      this.nextSliceAt = foreground ? Math.min(started + (ended - started) / FOREGROUND_SHARE, ended + FOREGROUND_MAX_PAUSE_MS) : -Infinity;
      this.turnScheduled = false;
      this.scheduleTurn();
    }
  };

  private takeTurns(started: number, sliceMs: number): void {
    while (this.running && this.runnable.length > 0) {
      const c = this.runnable.shift()!;
      this.queued.delete(c);
      // A loop's turn takes the keys it had queued when the turn began, as drain() does (a burst of
      // task changes then wakes each service once, not once per task), until the slice is used.
      for (let n = c.queue.length; n > 0; n--) {
        const key = c.queue.get();
        if (key === undefined) break;
        const pending = c.processKey(key);
        if (pending) {
          // An asynchronous reconciler (the bridge's) holds its own loop, not the turn.
          this.inFlight.set(
            c,
            pending.then(() => {
              this.inFlight.delete(c);
              if (c.queue.length > 0) this.markRunnable(c);
            }),
          );
          break;
        }
        if (this.pacingNow() - started >= sliceMs) break;
      }
      if (!this.inFlight.has(c) && c.queue.length > 0) this.markRunnable(c);
      if (this.pacingNow() - started >= sliceMs) break;
    }
    if (this.runnable.length === 0) this.yieldingSince = undefined;
  }
}
