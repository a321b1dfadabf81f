/**
 * Per-object write rate limit: at most one write per key per `intervalMs`. A reconcile that wants to
 * write too early is requeued for the remaining time and then writes the state of that moment, so bursts
 * of store changes coalesce into one write (latest wins) and nothing is lost.
 */
export class WriteLimiter {
  private readonly last = new Map<string, number>();

  constructor(
    readonly intervalMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** 0: write now (the write is recorded); otherwise the ms to wait before asking again. */
  reserve(key: string): number {
    const now = this.now();
    const last = this.last.get(key);
    if (last !== undefined && now - last < this.intervalMs) return this.intervalMs - (now - last);
    this.last.set(key, now);
    if (this.last.size > 50_000) this.prune(now);
    return 0;
  }

  forget(key: string): void {
    this.last.delete(key);
  }

  private prune(now: number): void {
    for (const [k, t] of this.last) if (now - t >= this.intervalMs) this.last.delete(k);
  }
}
