/**
 * The SQS queue loop, keyed by Queue name: reads the queue, its consumer tasks and its dead-letter queue,
 * asks the pure plan (plan.ts) and writes the queue's status; messages past maxReceiveCount are handed
 * to the dead-letter queue's status (which wakes that queue's own key).
 */
import { inject, injectable } from '../runtime/di.js';
import type { Resource } from '../../api/meta.js';
import { notSimulatedReport } from '../../api/not-simulated.js';
import { queueNameFromArn, queueSettings } from '../../api/v1alpha1/queue.js';
import type { ResourceStore } from '../../store/store.js';
import type { Clock } from '../runtime/clock.js';
import type { ReconcileOutcome, Reconciler } from '../runtime/controller.js';
import type { EventRecorder } from '../runtime/events.js';
import { TOKENS } from '../runtime/tokens.js';
import { specDefaults } from '../shared/defaults.js';
import { writeStatus } from '../shared/status.js';
import { consumersOf } from './consumers.js';
import { acceptMoved, emptyQueue, enqueue, addSender, type QueueState } from './model.js';
import { planQueue, type QueueStatus } from './plan.js';

@injectable()
export class QueueReconciler implements Reconciler {
  constructor(
    @inject(TOKENS.Store) private readonly store: ResourceStore,
    @inject(TOKENS.Clock) private readonly clock: Clock,
    @inject(TOKENS.Events) private readonly events: EventRecorder,
  ) {}

  reconcile(key: string): ReconcileOutcome {
    const q = this.store.get('Queue', key);
    if (!q || q.metadata.deletionTimestamp) return;
    const now = this.clock.now();
    const settings = queueSettings(specDefaults('Queue', q.spec, { name: q.metadata.name }));
    const dlqName = settings.redrive ? queueNameFromArn(settings.redrive.deadLetterTargetArn) : undefined;
    const dlq = dlqName ? this.store.get('Queue', dlqName) : undefined;
    const plan = planQueue({
      now,
      name: q.metadata.name,
      generation: q.metadata.generation ?? 1,
      settings,
      status: q.status ?? {},
      consumers: consumersOf(this.store, q.metadata.name),
      deadLetterQueueExists: Boolean(dlq && !dlq.metadata.deletionTimestamp),
    });
    const gen = q.metadata.generation ?? 1;
    const report = notSimulatedReport('Queue', q.spec, plan.status.conditions, gen, now);
    plan.status.conditions = report.conditions;
    writeStatus(this.store, q, plan.status);
    if (report.event) this.events.record(q, report.event.reason, report.event.message, report.event.type);
    if (plan.moved && dlq) {
      const n = plan.moved.cohorts.reduce((a, c) => a + c.n, 0);
      updateMessages(this.store, dlq, now, (s) => acceptMoved(s, plan.moved!.cohorts, now));
      this.events.record(q, 'MovedToDeadLetterQueue', `${n} message(s) received more than maxReceiveCount ${settings.redrive!.maxReceiveCount} times moved to ${dlq.metadata.name}`, 'Warning');
    }
    return { requeueAfterMs: plan.requeueAfterMs };
  }
}

/** Read-modify-write of a queue's message state (sends, redrive); the queue's loop picks it up. */
export function updateMessages(store: ResourceStore, q: Resource, now: number, change: (s: QueueState) => QueueState): void {
  const status: QueueStatus = q.status ?? {};
  writeStatus(store, q, { ...status, messages: change(status.messages ?? emptyQueue(now)) });
}

/** `SendMessage` × count (a scenario `queue` step, the SQS front end); throws when the queue does not exist. */
export function sendMessages(store: ResourceStore, name: string, count: number, now: number, delaySeconds?: number): void {
  const q = mustGetQueue(store, name);
  const settings = queueSettings(specDefaults('Queue', q.spec, { name }));
  updateMessages(store, q, now, (s) => enqueue(s, count, now, delaySeconds ?? settings.delaySeconds));
}

/** A steady producer: `ratePerSecond` messages per second for `durationMs`. */
export function startSender(store: ResourceStore, name: string, ratePerSecond: number, durationMs: number, now: number): void {
  updateMessages(store, mustGetQueue(store, name), now, (s) => addSender(s, ratePerSecond, now, durationMs));
}

function mustGetQueue(store: ResourceStore, name: string): Resource {
  const q = store.get('Queue', name);
  if (!q || q.metadata.deletionTimestamp) throw new Error(`Queue ${name} not found`);
  return q;
}
