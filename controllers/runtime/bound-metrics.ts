/**
 * Counters and histograms for the per-reconcile hot path (three observations and two increments per
 * reconcile, a dozen reconciles per CreateService): prom-client hashes and validates the label values on
 * every call even through `labels()`, ~3 % of the API's CPU under CreateService. Here the label values are
 * bound once, a call adds to plain numbers, and the registry reads them in prom-client's own shapes at
 * scrape time (same names, labels, `le` first, series shown once observed), so /metrics reads the same.
 */
import type { Counter, Registry } from 'prom-client';
import { promClient } from './prom-client.js';

/** A prom-client Counter whose bound children count locally; the counts reach it when it is scraped. */
export class BoundCounter<L extends string> {
  private readonly pending = new Map<string, { labels: Record<L, string>; n: number }>();
  readonly counter: Counter<L>;

  constructor(config: { name: string; help: string; labelNames: L[]; registers: Registry[] }) {
    const pending = this.pending;
    const { Counter } = promClient(); // required on first use (start-up of the other commands)
    this.counter = new Counter<L>({
      ...config,
      collect() {
        for (const p of pending.values()) {
          if (p.n === 0) continue;
          this.inc(p.labels, p.n);
          p.n = 0;
        }
      },
    });
    // A reset also drops the counts not scraped yet.
    const reset = this.counter.reset.bind(this.counter);
    this.counter.reset = () => {
      for (const p of pending.values()) p.n = 0;
      reset();
    };
  }

  /** `inc()` for one set of label values. */
  labels(labels: Record<L, string>): { inc(): void } {
    const key = JSON.stringify(labels);
    let p = this.pending.get(key);
    if (!p) this.pending.set(key, (p = { labels, n: 0 }));
    const child = p;
    return { inc: () => void child.n++ };
  }
}

interface HistogramChild {
  labels: Record<string, string>;
  /** Observations per bucket (not cumulative), then the sum and count. */
  counts: Float64Array;
  sum: number;
  count: number;
}

/** A histogram registered as a prom-client metric (the registry only calls get() and reset()). */
export class BoundHistogram<L extends string> {
  readonly type = 'histogram';
  readonly aggregator = 'sum';
  readonly name: string;
  readonly help: string;
  private readonly bounds: number[];
  private readonly children = new Map<string, HistogramChild>();

  constructor(config: { name: string; help: string; labelNames: L[]; buckets: number[]; registers: Registry[] }) {
    this.name = config.name;
    this.help = config.help;
    this.bounds = [...config.buckets].sort((a, b) => a - b);
    for (const r of config.registers) r.registerMetric(this as never);
  }

  /** `observe(value)` for one set of label values. */
  labels(labels: Record<L, string>): { observe(value: number): void } {
    const key = JSON.stringify(labels);
    let found = this.children.get(key);
    if (!found) this.children.set(key, (found = { labels, counts: new Float64Array(this.bounds.length), sum: 0, count: 0 }));
    const child = found;
    const bounds = this.bounds;
    return {
      observe(value: number) {
        if (!Number.isFinite(value)) return;
        child.sum += value;
        child.count++;
        for (let i = 0; i < bounds.length; i++) {
          if (value <= bounds[i]) {
            child.counts[i]++;
            break;
          }
        }
      },
    };
  }

  reset(): void {
    for (const c of this.children.values()) {
      c.counts.fill(0);
      c.sum = 0;
      c.count = 0;
    }
  }

  /** prom-client's histogram values: cumulative buckets with `le` first, +Inf, _sum, _count. */
  async get() {
    const values: Array<{ labels: Record<string, string | number>; value: number; metricName: string }> = [];
    for (const c of this.children.values()) {
      if (c.count === 0) continue;
      let acc = 0;
      for (let i = 0; i < this.bounds.length; i++) {
        acc += c.counts[i];
        values.push({ labels: { le: this.bounds[i], ...c.labels }, value: acc, metricName: `${this.name}_bucket` });
      }
      values.push({ labels: { le: '+Inf', ...c.labels }, value: c.count, metricName: `${this.name}_bucket` });
      values.push({ labels: { ...c.labels }, value: c.sum, metricName: `${this.name}_sum` });
      values.push({ labels: { ...c.labels }, value: c.count, metricName: `${this.name}_count` });
    }
    return { name: this.name, help: this.help, type: this.type, values, aggregator: this.aggregator };
  }
}
