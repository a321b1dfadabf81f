/**
 * How many of a service's tasks the service scheduler counts healthy at `now`, for the samples
 * (the `healthy` series of the charts). Same inputs as the scheduler's own check in
 * controllers/service/reconciler.ts: container health checks, load balancer targets, the
 * grace period and the 40 s rule (controllers/service/health.ts).
 */
import { parseTaskDefinitionRef } from '../../api/arn.js';
import type { Resource } from '../../api/meta.js';
import type { ServiceSpec } from '../../api/v1alpha1/types.js';
import type { ResourceStore } from '../../store/store.js';
import { getRevision } from '../../store/taskdefs.js';
import { serviceTaskHealth } from '../service/health.js';
import type { TaskObject } from '../shared/instances.js';

export function healthyTaskCount(store: ResourceStore, svc: Resource, tasks: readonly TaskObject[], now: number): number {
  const spec = svc.spec as ServiceSpec;
  let healthy = 0;
  for (const t of tasks) {
    if (t.status?.lastStatus !== 'RUNNING' || t.status?.desiredStatus !== 'RUNNING' || !t.status.taskDefinitionArn) continue;
    const { family, revision } = parseTaskDefinitionRef(t.status.taskDefinitionArn);
    const rev = getRevision(store, `${family}:${revision}`);
    if (rev && serviceTaskHealth(store, spec, t, rev, now).health.healthy) healthy++;
  }
  return healthy;
}
