/**
 * Which running tasks consume a queue: their task definition revision's `sim.ecsplane.io/consumes`
 * annotation names it, `sim.ecsplane.io/consume-rate` says how fast each task works (api/sim.ts).
 */
import { parseTaskDefinitionRef } from '../../api/arn.js';
import { consumerKnobs } from '../../api/sim.js';
import { keyOf, type Resource } from '../../api/meta.js';
import type { ResourceStore } from '../../store/store.js';
import { getRevision } from '../../store/taskdefs.js';
import type { WatchEvent } from '../../store/watch.js';
import type { Consumer } from './model.js';

/** The consumer knobs of a task's revision (undefined: it consumes no queue). */
export function consumerOf(store: ResourceStore, task: Resource): { queue: string; ratePerSecond: number } | undefined {
  const arn: string | undefined = task.status?.taskDefinitionArn;
  if (!arn) return undefined;
  const { family, revision } = parseTaskDefinitionRef(arn);
  return consumerKnobs(getRevision(store, `${family}:${revision}`)?.metadata.annotations);
}

/** Running tasks (RUNNING, not being stopped) that consume `queue`, in name order. */
export function consumersOf(store: ResourceStore, queue: string): Consumer[] {
  const out: Consumer[] = [];
  for (const t of store.list('Task')) {
    if (t.status?.lastStatus !== 'RUNNING' || t.status?.desiredStatus !== 'RUNNING') continue;
    const k = consumerOf(store, t);
    if (k?.queue === queue) out.push({ task: keyOf(t), ratePerSecond: k.ratePerSecond });
  }
  return out;
}

/** A task event wakes the queue its revision consumes. */
export function queueKeysForTask(store: ResourceStore): (ev: WatchEvent) => string[] {
  return (ev) => {
    const q = consumerOf(store, ev.object)?.queue;
    return q ? [q] : [];
  };
}
