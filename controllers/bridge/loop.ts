/**
 * An asynchronous reconcile loop over the runtime's keyed WorkQueue (the Manager's Controller is bound
 * to store watches and synchronous draining; the bridge's reconcilers await the Kubernetes API). Same
 * contract: a key is never processed twice at once, an error requeues it with per-key exponential
 * back-off, `{requeueAfterMs}` schedules a re-check, success forgets the back-off.
 */
import type { Clock } from '../runtime/clock.js';
import type { Logger } from '../runtime/logger.js';
import { WorkQueue, type BackoffPolicy } from '../runtime/workqueue.js';
import type { ReconcileHooks } from '../runtime/metrics.js';
import { reconcileFields, type ReconcileContext } from '../runtime/reconcile-context.js';

export interface LoopResult {
  requeueAfterMs?: number;
}

export type AsyncReconcile = (key: string) => Promise<LoopResult | void>;

export interface WorkLoopOptions {
  /** Keys processed in parallel (each key still one at a time). */
  workers?: number;
  backoff?: BackoffPolicy;
}

export class WorkLoop {
  readonly queue: WorkQueue;
  readonly stats = { reconciles: 0, errors: 0 };
  private running = false;
  private waiters: Array<() => void> = [];
  private workers: Promise<void>[] = [];
  private inFlight = 0;
  private metrics: ReconcileHooks | undefined;

  constructor(
    readonly name: string,
    clock: Clock,
    private readonly reconcile: AsyncReconcile,
    private readonly log: Logger,
    private readonly opts: WorkLoopOptions = {},
  ) {
    this.queue = new WorkQueue(clock, opts.backoff ?? { baseMs: 200, maxMs: 10_000 });
    this.queue.setReadyListener(() => this.wakeOne());
  }

  /** Report reconciles to the metrics (the queue is instrumented by RuntimeMetrics.instrument). */
  instrument(hooks: ReconcileHooks): void {
    this.metrics = hooks;
  }

  add(key: string): void {
    this.queue.add(key);
  }

  addAfter(key: string, ms: number): void {
    this.queue.addAfter(key, ms);
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    const n = Math.max(1, this.opts.workers ?? 1);
    for (let i = 0; i < n; i++) this.workers.push(this.worker());
  }

  async stop(): Promise<void> {
    this.running = false;
    this.queue.shutdown();
    for (const w of this.waiters.splice(0)) w();
    await Promise.all(this.workers);
    this.workers = [];
  }

  /** Nothing queued and nothing in flight. */
  isIdle(): boolean {
    return this.queue.isIdle() && this.inFlight === 0;
  }

  private wakeOne(): void {
    this.waiters.shift()?.();
  }

  private async worker(): Promise<void> {
    while (this.running) {
      const key = this.queue.get();
      if (key === undefined) {
        await new Promise<void>((resolve) => this.waiters.push(resolve));
        continue;
      }
      this.inFlight++;
      this.stats.reconciles++;
      const started = this.metrics?.start() ?? 0;
      const ctx: ReconcileContext = { controller: `bridge-${this.name}`, key: printable(key) };
      try {
        const res = await this.reconcile(key);
        this.queue.forget(key);
        const after = res && res.requeueAfterMs !== undefined;
        if (after) this.queue.addAfter(key, res.requeueAfterMs!);
        this.metrics?.finish(started, after ? 'requeue_after' : 'success');
      } catch (err) {
        this.stats.errors++;
        this.metrics?.finish(started, 'error');
        const delay = this.queue.addRateLimited(key);
        const msg = (err as Error)?.message ?? String(err);
        if (this.queue.retries(key) <= 1 || this.queue.retries(key) % 10 === 0) {
          this.log.warn(`bridge: ${this.name} ${printable(key)}: ${msg}; retrying in ${delay} ms`, reconcileFields(ctx));
        } else {
          this.log.debug(`bridge: ${this.name} ${printable(key)}: ${msg}; retrying in ${delay} ms`, reconcileFields(ctx));
        }
      } finally {
        this.inFlight--;
        this.queue.done(key);
      }
      // A key re-added during processing is queued again by done(): make sure a worker sees it.
      if (this.queue.length > 0) this.wakeOne();
    }
  }
}

const printable = (key: string) => key.replace(/\u0000/g, ' ');
