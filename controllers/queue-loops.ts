/**
 * The SQS queue and CloudWatch alarm loops (issue #13; docs/queues.md). Queues step on their own key
 * (requeueAfterMs: one tick while consumers work, the next delay, visibility timeout or metric period);
 * consumer tasks starting and stopping wake the queue they consume.
 */
import type { DependencyContainer } from 'tsyringe';
import type { ResourceStore } from '../store/store.js';
import type { Manager } from './runtime/manager.js';
import { QueueReconciler } from './queues/reconciler.js';
import { queueKeysForTask } from './queues/consumers.js';
import { MetricAlarmReconciler } from './alarms/reconciler.js';

export function registerQueueControllers(c: DependencyContainer, manager: Manager, store: ResourceStore, resyncMs: number): void {
  manager.add({
    name: 'queue',
    forKind: 'Queue',
    reconciler: c.resolve(QueueReconciler),
    resyncMs,
    watches: [{ kind: 'Queue' }, { kind: 'Task', toKeys: queueKeysForTask(store) }],
  });
  manager.add({
    name: 'metric-alarm',
    forKind: 'MetricAlarm',
    reconciler: c.resolve(MetricAlarmReconciler),
    resyncMs,
    watches: [{ kind: 'MetricAlarm' }],
  });
}
