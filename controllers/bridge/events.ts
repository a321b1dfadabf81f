/**
 * Kubernetes Events (core/v1) for the bridge: service events of the store (EventRecorder) and apply
 * errors, on the custom resource they concern. Client-go's recorder in small: a bounded queue, a rate
 * limit, aggregation of repeats (count + lastTimestamp instead of a new Event), names fixed at enqueue
 * time so a retried create after a lost response cannot duplicate an Event.
 */
import { hostname } from 'node:os';
import { API_VERSION } from '../../api/meta.js';
import type { Logger } from '../runtime/logger.js';
import { COMPONENT } from './constants.js';
import { isAlreadyExists, isNotFound, type KubeApi } from './kube.js';

export interface InvolvedObject {
  kind: string;
  name: string;
  uid?: string;
}

export interface EventSinkOptions {
  /** Writes per second. */
  qps?: number;
  maxQueue?: number;
  /** Repeats of the same reason and message within this window bump the count of one Event. */
  aggregateWindowMs?: number;
}

interface Pending {
  involved: InvolvedObject;
  type: 'Normal' | 'Warning';
  reason: string;
  message: string;
  at: number;
  name: string;
  attempts: number;
}

interface Aggregate {
  name: string;
  count: number;
  first: number;
}

const MAX_MESSAGE = 1024;

export class EventSink {
  private readonly queue: Pending[] = [];
  private readonly recent = new Map<string, Aggregate>();
  private running = false;
  private loop: Promise<void> | undefined;
  private wake: (() => void) | undefined;
  private seq = 0;
  readonly stats = { posted: 0, aggregated: 0, dropped: 0, failed: 0 };

  constructor(
    private readonly api: KubeApi,
    private readonly log: Logger,
    private readonly opts: EventSinkOptions = {},
  ) {}

  start(): void {
    if (this.running) return;
    this.running = true;
    this.loop = this.run();
  }

  async stop(): Promise<void> {
    this.running = false;
    this.wake?.();
    await this.loop;
  }

  post(involved: InvolvedObject, type: 'Normal' | 'Warning', reason: string, message: string, at = Date.now()): void {
    const max = this.opts.maxQueue ?? 1000;
    if (this.queue.length >= max) {
      this.queue.shift();
      this.stats.dropped++;
    }
    const name = `${involved.name.slice(0, 200)}.${(at * 1000 + (this.seq++ % 1000)).toString(16)}`;
    this.queue.push({ involved, type, reason, message: message.slice(0, MAX_MESSAGE), at, name, attempts: 0 });
    this.wake?.();
  }

  get pending(): number {
    return this.queue.length;
  }

  private async run(): Promise<void> {
    const gap = 1000 / (this.opts.qps ?? 10);
    while (this.running) {
      const next = this.queue.shift();
      if (!next) {
        await new Promise<void>((r) => (this.wake = r));
        this.wake = undefined;
        continue;
      }
      try {
        await this.write(next);
      } catch (err) {
        next.attempts++;
        if (next.attempts < 5 && this.running) {
          this.queue.unshift(next);
          await sleep(Math.min(10_000, 500 * 2 ** next.attempts));
        } else {
          this.stats.failed++;
          this.log.debug(`bridge: dropping event ${next.reason} on ${next.involved.kind}/${next.involved.name}: ${(err as Error).message}`);
        }
        continue;
      }
      await sleep(gap);
    }
  }

  private async write(e: Pending): Promise<void> {
    const window = this.opts.aggregateWindowMs ?? 10 * 60_000;
    const key = `${e.involved.kind}/${e.involved.name}/${e.involved.uid ?? ''}|${e.type}|${e.reason}|${e.message}`;
    const agg = this.recent.get(key);
    if (agg && e.at - agg.first < window) {
      try {
        await this.api.patchEvent(agg.name, { count: agg.count + 1, lastTimestamp: iso(e.at) });
        agg.count++;
        this.stats.aggregated++;
        return;
      } catch (err) {
        if (!isNotFound(err)) throw err;
        this.recent.delete(key); // expired or deleted: post a new one
      }
    }
    const ns = this.api.namespace;
    try {
      await this.api.createEvent({
        apiVersion: 'v1',
        kind: 'Event',
        metadata: { name: e.name, namespace: ns },
        involvedObject: { apiVersion: API_VERSION, kind: e.involved.kind, name: e.involved.name, namespace: ns, ...(e.involved.uid ? { uid: e.involved.uid } : {}) },
        reason: e.reason,
        message: e.message,
        type: e.type,
        firstTimestamp: iso(e.at),
        lastTimestamp: iso(e.at),
        count: 1,
        source: { component: COMPONENT, host: hostname() },
      });
    } catch (err) {
      if (!isAlreadyExists(err)) throw err; // an earlier attempt went through
    }
    this.stats.posted++;
    this.recent.set(key, { name: e.name, count: 1, first: e.at });
    if (this.recent.size > 5000) {
      for (const [k, v] of this.recent) if (e.at - v.first >= window) this.recent.delete(k);
    }
  }
}

const iso = (ms: number) => new Date(Math.floor(ms / 1000) * 1000).toISOString().replace('.000Z', 'Z');
const sleep = (ms: number) =>
  new Promise<void>((r) => {
    const t = setTimeout(r, ms);
    t.unref?.();
  });
