/**
 * Runs controllers. Two modes:
 * - `start()` on the real clock: one asynchronous worker per controller (a key is never
 *   processed twice at once because each controller handles one key at a time);
 * - `drain()` for the virtual clock: processes every queue synchronously, round-robin (each
 *   controller's turn takes what it had queued), until all are empty — deterministic, so `simulate` gives byte-identical output.
 */
import { inject, injectable } from './di.js';
import type { ResourceStore } from '../../store/store.js';
import type { Clock } from './clock.js';
import { VirtualClock } from './clock.js';
import { Controller, type ControllerOptions } from './controller.js';
import type { Logger } from './logger.js';
import type { RuntimeMetrics } from './metrics.js';
import { TOKENS } from './tokens.js';

@injectable()
export class Manager {
  readonly controllers: Controller[] = [];
  private running = false;
  private wakeups = new Map<Controller, () => void>();
  private workers: Promise<void>[] = [];
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

  /** Real-clock mode: asynchronous workers. */
  start(): void {
    this.startWatching();
    this.running = true;
    for (const c of this.controllers) {
      c.queue.setReadyListener(() => this.wakeups.get(c)?.());
      this.workers.push(this.worker(c));
    }
  }

  async stop(): Promise<void> {
    this.running = false;
    for (const c of this.controllers) c.stop();
    for (const wake of this.wakeups.values()) wake();
    await Promise.all(this.workers);
    this.workers = [];
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

  private async worker(c: Controller): Promise<void> {
    let sinceYield = 0;
    while (this.running) {
      const key = c.queue.get();
      if (key === undefined) {
        await new Promise<void>((resolve) => this.wakeups.set(c, resolve));
        this.wakeups.delete(c);
        continue;
      }
      const p = c.processKey(key);
      if (p) await p;
      if (++sinceYield >= 64) {
        sinceYield = 0;
        await new Promise((r) => setImmediate(r)); // let timers and I/O run
      }
    }
  }
}
