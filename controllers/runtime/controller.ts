/**
 * The reconcile contract (controller-runtime style) and the loop that drives one reconciler:
 * watch events only enqueue keys; the reconciler re-reads the store.
 */
import type { Subscription } from 'rxjs';
import { CLUSTER_SCOPED_KINDS, clusterOf, keyOf, makeKey } from '../../api/meta.js';
import type { ResourceStore } from '../../store/store.js';
import type { WatchEvent } from '../../store/watch.js';
import { ConflictError } from '../../store/errors.js';
import { internedKey } from '../../store/keys.js';
import type { Clock } from './clock.js';
import { WorkQueue } from './workqueue.js';
import type { Logger } from './logger.js';
import type { ReconcileHooks } from './metrics.js';
import { inReconcile, reconcileFields, type ReconcileContext } from './reconcile-context.js';

export interface ReconcileResult {
  /** Check again after this long (time-based transitions, polling). */
  requeueAfterMs?: number;
}
export type ReconcileOutcome = ReconcileResult | void;

/** A failure retrying cannot fix: recorded (e.g. in status) and not retried. */
export class TerminalError extends Error {
  constructor(
    message: string,
    readonly reason = 'TerminalError',
  ) {
    super(message);
    this.name = 'TerminalError';
  }
}

export interface Reconciler {
  reconcile(key: string): ReconcileOutcome | Promise<ReconcileOutcome>;
  /** Record a terminal error (a condition in status); called instead of retrying. */
  recordTerminalError?(key: string, err: TerminalError): void;
}

export interface WatchSource {
  kind: string;
  /** Keys to enqueue for an event (default: the object's own key). Owners map children here. */
  toKeys?: (ev: WatchEvent) => Iterable<string>;
  /** Coalesce: enqueue after this delay (earliest pending wins), for aggregate views like counters. */
  delayMs?: number;
  /**
   * Events of these objects made by the running reconcile itself (it writes them synchronously) do
   * not queue its own key again, as its own object's do not: for a reconciler that reads back what it
   * wrote before it finishes (the service loop counts the tasks it just created), the second pass
   * would find nothing to do. Writes by anyone else still queue it.
   */
  ignoreOwnWrites?: boolean;
}

export interface ControllerOptions {
  name: string;
  /** The kind this controller reconciles (keys are this kind's keys); used by resync. */
  forKind: string;
  watches: WatchSource[];
  reconciler: Reconciler;
  /** Periodic requeue of every object as a safety net (0 = off). */
  resyncMs?: number;
  /** Drop a key after this many consecutive failures (it comes back on the next event or resync). */
  maxRetries?: number;
}

export interface ControllerStats {
  reconciles: number;
  errors: number;
  conflicts: number;
}

export class Controller {
  readonly queue: WorkQueue;
  readonly stats: ControllerStats = { reconciles: 0, errors: 0, conflicts: 0 };
  private subs: Subscription[] = [];
  private resyncTimer: ReturnType<Clock['setTimer']> | undefined;
  /**
   * The key whose reconcile is running synchronously right now. The write events of that object
   * made by that reconcile do not queue it again: a reconcile is idempotent, so a second pass over
   * its own result would find nothing to do (client-go would run it, and half of all reconciles
   * were such empty passes). A change by anyone else still queues it. Writes an asynchronous
   * reconciler makes after its first await are not covered and queue it as usual.
   */
  private inFlight: string | undefined;
  private metrics: ReconcileHooks | undefined;

  constructor(
    readonly options: ControllerOptions,
    private readonly store: ResourceStore,
    private readonly clock: Clock,
    private readonly log: Logger,
  ) {
    this.queue = new WorkQueue(clock);
  }

  /** Report reconciles to the metrics (ecsplane run). */
  instrument(hooks: ReconcileHooks): void {
    this.metrics = hooks;
  }

  get name(): string {
    return this.options.name;
  }

  start(): void {
    for (const w of this.options.watches) {
      const toKeys = w.toKeys ?? ((ev: WatchEvent) => [keyOf(ev.object)]);
      const delayed = w.delayMs ? this.delayedEnqueue(w.delayMs) : undefined;
      const ownKind = w.kind === this.options.forKind && !w.toKeys && !w.delayMs;
      const ownWrites = Boolean(w.ignoreOwnWrites) && !w.delayMs;
      this.subs.push(
        this.store.watch(w.kind).subscribe({
          next: (ev) => {
            if (ownKind && this.inFlight !== undefined && keyOf(ev.object) === this.inFlight) return; // its own write
            if (delayed) delayed(toKeys(ev));
            else if (ownWrites && this.inFlight !== undefined) for (const k of toKeys(ev)) k !== this.inFlight && this.queue.add(k);
            else for (const k of toKeys(ev)) this.queue.add(k);
          },
          error: (err) => this.log.error(`${this.name}: watch ${w.kind} failed`, { err: String(err) }),
        }),
      );
    }
    for (const obj of this.store.list(this.options.forKind)) this.queue.add(keyOf(obj));
    this.scheduleResync();
  }

  /**
   * addAfter(k, delayMs) for each key, skipping the calls that cannot change anything: a burst
   * of events at one instant that map to the same keys (e.g. every instance write waking every
   * service of the cluster) re-adds keys that are already pending, at or before the time asked.
   * The skip holds exactly while the time, the key list and the queue's delayed entries (none
   * fired or dropped) are what they were at the previous call.
   */
  private delayedEnqueue(delayMs: number): (keys: Iterable<string>) => void {
    let lastKeys: string[] | undefined;
    let lastNow = NaN;
    let lastEpoch = -1;
    return (iterable) => {
      const keys = Array.isArray(iterable) ? (iterable as string[]) : [...iterable];
      const now = this.clock.now();
      const epoch = this.queue.delayedEpoch;
      if (lastKeys !== undefined && now === lastNow && epoch === lastEpoch && sameKeys(keys, lastKeys)) return;
      for (const k of keys) this.queue.addAfter(k, delayMs);
      lastKeys = Object.isFrozen(keys) ? keys : keys.slice(); // toKeys may hand out an array it changes later
      lastNow = now;
      lastEpoch = this.queue.delayedEpoch;
    };
  }

  stop(): void {
    for (const s of this.subs) s.unsubscribe();
    this.subs = [];
    if (this.resyncTimer) this.clock.cancelTimer(this.resyncTimer);
    this.queue.shutdown();
  }

  /**
   * Reconcile `key` now, synchronously, as this loop's own turn (its writes do not queue it again,
   * and a queued turn of the key is taken by this one). False while the key is being processed.
   */
  reconcileNow(key: string): boolean {
    if (!this.queue.claim(key)) return false;
    if (this.processKey(key)) throw new Error(`controller ${this.name} is asynchronous and cannot reconcile now`);
    return true;
  }

  /** Process one key; returns a promise only for asynchronous reconcilers. */
  processKey(key: string): void | Promise<void> {
    this.stats.reconciles++;
    const started = this.metrics?.start() ?? 0;
    const ctx: ReconcileContext = { controller: this.name, key };
    let out: ReconcileOutcome | Promise<ReconcileOutcome>;
    this.inFlight = key;
    try {
      out = inReconcile(ctx, () => this.options.reconciler.reconcile(key));
    } catch (err) {
      this.handleError(key, err, ctx, started);
      this.queue.done(key);
      return;
    } finally {
      this.inFlight = undefined;
    }
    if (out instanceof Promise) {
      return out.then(
        (res) => this.finish(key, res, started),
        (err) => {
          this.handleError(key, err, ctx, started);
          this.queue.done(key);
        },
      );
    }
    this.finish(key, out, started);
  }

  private finish(key: string, res: ReconcileOutcome, started: number): void {
    this.queue.forget(key);
    const after = res && res.requeueAfterMs !== undefined;
    if (after) this.queue.addAfter(key, res.requeueAfterMs!);
    this.metrics?.finish(started, after ? 'requeue_after' : 'success');
    this.queue.done(key);
  }

  private handleError(key: string, err: unknown, ctx: ReconcileContext, started: number): void {
    const terminal = err instanceof TerminalError;
    this.metrics?.finish(started, 'error', terminal);
    if (terminal) {
      this.queue.forget(key);
      this.log.warn(`${this.name}: ${key}: ${err.message}`, reconcileFields(ctx));
      try {
        this.options.reconciler.recordTerminalError?.(key, err);
      } catch (e) {
        this.log.error(`${this.name}: ${key}: recording terminal error failed`, { err: String(e), ...reconcileFields(ctx) });
      }
      return;
    }
    if (err instanceof ConflictError) {
      this.stats.conflicts++;
      this.queue.addRateLimited(key); // someone wrote first: re-read and retry
      return;
    }
    this.stats.errors++;
    const max = this.options.maxRetries ?? 15;
    if (this.queue.retries(key) >= max) {
      this.log.error(`${this.name}: ${key}: dropped after ${max} retries: ${(err as Error)?.message ?? err}`, reconcileFields(ctx));
      this.queue.forget(key);
      return;
    }
    const delay = this.queue.addRateLimited(key);
    if (this.log.enabled?.('debug') ?? true) this.log.debug(`${this.name}: ${key}: ${(err as Error)?.stack ?? err}; retry in ${delay} ms`, reconcileFields(ctx));
  }

  private scheduleResync(): void {
    const every = this.options.resyncMs ?? 0;
    if (every <= 0) return;
    this.resyncTimer = this.clock.setTimer(every, () => {
      for (const obj of this.store.list(this.options.forKind)) this.queue.add(keyOf(obj));
      this.scheduleResync();
    });
  }
}

function sameKeys(a: readonly string[], b: readonly string[]): boolean {
  if (a === b) return true; // b is frozen (or a private copy): the same array holds the same keys
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** Map a child event to its owner's key (owners of cluster-scoped kinds live in the child's cluster). */
export function ownerKeys(ownerKind: string): (ev: WatchEvent) => string[] {
  const scoped = CLUSTER_SCOPED_KINDS.has(ownerKind);
  return (ev) => {
    const refs = ev.object.metadata.ownerReferences ?? [];
    const out: string[] = [];
    for (const r of refs) if (r.kind === ownerKind) out.push(scoped ? internedKey(clusterOf(ev.object), r.name) : r.name);
    return out;
  };
}
