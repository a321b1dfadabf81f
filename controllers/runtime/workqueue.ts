/**
 * A keyed workqueue with client-go semantics: a FIFO plus a dirty set plus a processing set.
 * A key is queued at most once; a key is never handed out twice at the same time; a key added
 * while it is processed is queued again when `done` is called. Delays go through the Clock.
 */
import { performance } from 'node:perf_hooks';
import type { Clock, TimerHandle } from './clock.js';
import type { QueueHooks } from './metrics.js';

export interface BackoffPolicy {
  baseMs: number;
  maxMs: number;
}

export const DEFAULT_BACKOFF: BackoffPolicy = { baseMs: 5, maxMs: 60_000 };

export class WorkQueue {
  private readonly queue: string[] = [];
  private qHead = 0;
  private readonly dirty = new Set<string>();
  private readonly processing = new Set<string>();
  private readonly failures = new Map<string, number>();
  private readonly delayed = new Map<string, TimerHandle>();
  private onReady: (() => void) | undefined;
  /**
   * Counts delayed entries that went away (fired or shut down). While it stays the same, every
   * key given to addAfter is still pending at or before the time it asked for (an entry is only
   * ever replaced by an earlier one), so repeating the same addAfter calls is a no-op.
   */
  private delayedRemovals = 0;
  /** Metrics (ecsplane run only): hooks, and when each queued key was added (real time, ms). */
  private hooks: QueueHooks | undefined;
  private readonly addedAt = new Map<string, number>();

  constructor(
    private readonly clock: Clock,
    private readonly backoff: BackoffPolicy = DEFAULT_BACKOFF,
  ) {}

  /** Called whenever a key becomes available (the manager's wake-up). */
  setReadyListener(fn: () => void): void {
    this.onReady = fn;
  }

  /** Report adds, waits and retries (client-go's workqueue metrics). */
  instrument(hooks: QueueHooks): void {
    this.hooks = hooks;
  }

  add(key: string): void {
    if (this.dirty.has(key)) return;
    this.dirty.add(key);
    if (this.hooks) {
      this.hooks.added();
      if (!this.addedAt.has(key)) this.addedAt.set(key, performance.now());
    }
    if (this.processing.has(key)) return; // re-queued by done()
    this.queue.push(key);
    this.onReady?.();
  }

  /** Add after a delay; an earlier pending delay for the key wins. */
  addAfter(key: string, delayMs: number): void {
    if (delayMs <= 0) return this.add(key);
    const at = this.clock.now() + delayMs;
    const existing = this.delayed.get(key);
    if (existing && existing.at <= at) return;
    if (existing) this.clock.cancelTimer(existing);
    const handle = this.clock.setTimer(delayMs, () => {
      if (this.delayed.get(key) === handle) this.delayed.delete(key);
      this.delayedRemovals++;
      this.add(key);
    });
    this.delayed.set(key, handle);
  }

  /** Exponential per-key backoff: base × 2^failures, capped. */
  addRateLimited(key: string): number {
    const n = this.failures.get(key) ?? 0;
    this.failures.set(key, n + 1);
    this.hooks?.retried();
    const delay = Math.min(this.backoff.maxMs, this.backoff.baseMs * 2 ** n);
    this.addAfter(key, delay);
    return delay;
  }

  forget(key: string): void {
    this.failures.delete(key);
  }

  retries(key: string): number {
    return this.failures.get(key) ?? 0;
  }

  /** Next key to process, or undefined when empty. */
  get(): string | undefined {
    while (this.qHead < this.queue.length) {
      const key = this.queue[this.qHead++];
      if (this.qHead > 1024 && this.qHead * 2 > this.queue.length) {
        this.queue.splice(0, this.qHead);
        this.qHead = 0;
      }
      if (!this.dirty.has(key) || this.processing.has(key)) continue;
      this.dirty.delete(key);
      this.processing.add(key);
      if (this.hooks) {
        const at = this.addedAt.get(key);
        if (at !== undefined) this.hooks.waited((performance.now() - at) / 1000);
        this.addedAt.delete(key);
      }
      return key;
    }
    return undefined;
  }

  /**
   * Hand `key` to the caller now, as get() would, whether or not it is queued (a front end that
   * answers with a reconcile's result runs it at once); false while it is being processed.
   */
  claim(key: string): boolean {
    if (this.processing.has(key)) return false;
    this.dirty.delete(key); // get() skips its place in the FIFO
    this.addedAt.delete(key);
    this.processing.add(key);
    return true;
  }

  done(key: string): void {
    this.processing.delete(key);
    if (this.dirty.has(key)) {
      this.queue.push(key);
      this.onReady?.();
    }
  }

  /** Keys waiting to be handed out (dirty and not in flight): O(keys in flight), not O(queued). */
  get length(): number {
    let n = this.dirty.size;
    for (const k of this.processing) if (this.dirty.has(k)) n--;
    return n;
  }

  /** Nothing queued and nothing in flight (delayed keys do not count). */
  isIdle(): boolean {
    return this.dirty.size === 0 && this.processing.size === 0;
  }

  pendingDelayed(): number {
    return this.delayed.size;
  }

  /** Changes whenever a delayed entry fires or is dropped (see delayedRemovals). */
  get delayedEpoch(): number {
    return this.delayedRemovals;
  }

  shutdown(): void {
    for (const h of this.delayed.values()) this.clock.cancelTimer(h);
    this.delayed.clear();
    this.delayedRemovals++;
  }
}
