/**
 * Prometheus metrics of one app (a prom-client Registry per app, never the global one: several apps run
 * in one test process). The reconcile and workqueue metrics carry controller-runtime's names, labels and
 * buckets (https://book.kubebuilder.io/reference/metrics-reference), so dashboards and alerts written for
 * Kubernetes controllers work unchanged; ecsplane's own gauges (`ecsplane_*`) are read from the store at
 * scrape time. Only `ecsplane run` instruments its loops; `simulate` does not pay for it.
 */
import { performance } from 'node:perf_hooks';
import type { Counter, Registry } from 'prom-client';
import { promClient } from './prom-client.js';
import type { WorkQueue } from './workqueue.js';
import { BoundCounter, BoundHistogram } from './bound-metrics.js';

/** controller-runtime's reconcile_time_seconds buckets (pkg/internal/controller/metrics). */
const RECONCILE_BUCKETS = [
  0.005, 0.01, 0.025, 0.05, 0.1, 0.15, 0.2, 0.25, 0.3, 0.35, 0.4, 0.45, 0.5, 0.6, 0.7, 0.8, 0.9, 1.0, 1.25, 1.5, 1.75, 2.0, 2.5, 3.0, 3.5, 4.0, 4.5, 5, 6, 7, 8, 9, 10, 15,
  20, 25, 30, 40, 50, 60,
];
/** client-go's workqueue buckets: ExponentialBuckets(10e-9, 10, 12). */
const QUEUE_BUCKETS = Array.from({ length: 12 }, (_, i) => 1e-8 * 10 ** i);

export type ReconcileResult = 'success' | 'error' | 'requeue' | 'requeue_after';

/** What a WorkQueue reports (client-go's queueMetrics): adds after de-duplication, waits, retries. */
export interface QueueHooks {
  added(): void;
  /** The key waited this long between add and get (seconds). */
  waited(seconds: number): void;
  retried(): void;
}

/** What one controller reports per reconcile. */
export interface ReconcileHooks {
  start(): number;
  /** Call with the value start() returned. */
  finish(started: number, result: ReconcileResult, terminal?: boolean): void;
}

export class RuntimeMetrics {
  private readonly prom = promClient();
  readonly registry: Registry = new this.prom.Registry();
  private readonly queues = new Map<string, WorkQueue>();
  private readonly reconcileTotal: BoundCounter<'controller' | 'result'>;
  private readonly reconcileErrors: Counter<'controller'>;
  private readonly terminalErrors: Counter<'controller'>;
  private readonly reconcileTime: BoundHistogram<'controller'>;
  private readonly adds: BoundCounter<'controller' | 'name'>;
  private readonly retries: Counter<'controller' | 'name'>;
  private readonly queueDuration: BoundHistogram<'controller' | 'name'>;
  private readonly workDuration: BoundHistogram<'controller' | 'name'>;

  constructor() {
    const { Counter, Gauge } = this.prom;
    const registers = [this.registry];
    this.reconcileTotal = new BoundCounter({ name: 'controller_runtime_reconcile_total', help: 'Total number of reconciliations per controller', labelNames: ['controller', 'result'], registers });
    this.reconcileErrors = new Counter({ name: 'controller_runtime_reconcile_errors_total', help: 'Total number of reconciliation errors per controller', labelNames: ['controller'], registers });
    this.terminalErrors = new Counter({ name: 'controller_runtime_terminal_reconcile_errors_total', help: 'Total number of terminal reconciliation errors per controller', labelNames: ['controller'], registers });
    this.reconcileTime = new BoundHistogram({ name: 'controller_runtime_reconcile_time_seconds', help: 'Length of time per reconciliation per controller', labelNames: ['controller'], buckets: RECONCILE_BUCKETS, registers });
    const queues = this.queues;
    new Gauge({
      name: 'workqueue_depth',
      help: 'Current depth of workqueue',
      labelNames: ['controller', 'name'],
      registers,
      collect() {
        for (const [name, q] of queues) this.set({ controller: name, name }, q.length);
      },
    });
    this.adds = new BoundCounter({ name: 'workqueue_adds_total', help: 'Total number of adds handled by workqueue', labelNames: ['controller', 'name'], registers });
    this.retries = new Counter({ name: 'workqueue_retries_total', help: 'Total number of retries handled by workqueue', labelNames: ['controller', 'name'], registers });
    this.queueDuration = new BoundHistogram({ name: 'workqueue_queue_duration_seconds', help: 'How long in seconds an item stays in workqueue before being requested', labelNames: ['controller', 'name'], buckets: QUEUE_BUCKETS, registers });
    this.workDuration = new BoundHistogram({ name: 'workqueue_work_duration_seconds', help: 'How long in seconds processing an item from workqueue takes', labelNames: ['controller', 'name'], buckets: QUEUE_BUCKETS, registers });
  }

  /** Instrument a controller's queue and reconciles under `name` (label values bound once: cheap per call). */
  instrument(name: string, queue: WorkQueue): ReconcileHooks {
    this.queues.set(name, queue);
    const labels = { controller: name, name };
    const added = this.adds.labels(labels);
    const retried = this.retries.labels(labels);
    const waited = this.queueDuration.labels(labels);
    queue.instrument({ added: () => added.inc(), retried: () => retried.inc(), waited: (s) => waited.observe(s) });
    const work = this.workDuration.labels(labels);
    const time = this.reconcileTime.labels({ controller: name });
    const errors = this.reconcileErrors.labels({ controller: name });
    const terminal = this.terminalErrors.labels({ controller: name });
    const byResult = {
      success: this.reconcileTotal.labels({ controller: name, result: 'success' }),
      error: this.reconcileTotal.labels({ controller: name, result: 'error' }),
      requeue: this.reconcileTotal.labels({ controller: name, result: 'requeue' }),
      requeue_after: this.reconcileTotal.labels({ controller: name, result: 'requeue_after' }),
    };
    return {
      start: () => performance.now(),
      finish(started, result, isTerminal) {
        const seconds = (performance.now() - started) / 1000;
        time.observe(seconds);
        work.observe(seconds);
        byResult[result].inc();
        if (result === 'error') errors.inc();
        if (isTerminal) terminal.inc();
      },
    };
  }

  /** A gauge read at scrape time (set every label combination in `fill`; what it does not set is gone). */
  gauge<L extends string>(name: string, help: string, labelNames: L[], fill: (set: (labels: Record<L, string>, value: number) => void) => void): void {
    new this.prom.Gauge({
      name,
      help,
      labelNames,
      registers: [this.registry],
      collect() {
        this.reset();
        fill((labels, value) => (labelNames.length ? this.set(labels as never, value) : this.set(value)));
      },
    });
  }

  /** Remove a gauge registered with gauge() (a bridge that stops takes its gauges with it). */
  removeGauge(name: string): void {
    this.registry.removeSingleMetric(name);
  }

  /** The exposition text (`/metrics`). */
  scrape(): Promise<string> {
    return this.registry.metrics();
  }
}
