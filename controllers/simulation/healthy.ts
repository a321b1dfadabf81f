/**
 * How many of a service's tasks the service scheduler counts healthy at `now`, for the samples
 * (the `healthy` series of the charts). Same inputs as the scheduler's own check in
 * controllers/service/reconciler.ts: container health checks, load balancer targets, the
 * grace period and the 40 s rule (controllers/service/health.ts).
 */
import { parseTaskDefinitionRef } from '../../api/arn.js';
import { knobsOfTask } from '../shared/knobs.js';
import type { Resource } from '../../api/meta.js';
import type { ServiceSpec } from '../../api/v1alpha1/types.js';
import type { ResourceStore } from '../../store/store.js';
import { getRevision } from '../../store/taskdefs.js';
import { targetGroupSpec, targetStateAt } from '../load-balancer/targets.js';
import { taskHealth } from '../service/health.js';
import type { TaskObject } from '../shared/instances.js';
import { parseTime } from '../shared/time.js';

export function healthyTaskCount(store: ResourceStore, svc: Resource, tasks: readonly TaskObject[], now: number): number {
  const spec = svc.spec as ServiceSpec;
  const gracePeriodMs = (spec.healthCheckGracePeriodSeconds ?? 0) * 1000;
  const lbs = (spec.loadBalancers ?? []).filter((lb) => lb.targetGroupArn);
  let healthy = 0;
  for (const t of tasks) {
    if (t.status?.lastStatus !== 'RUNNING' || t.status?.desiredStatus !== 'RUNNING' || !t.status.taskDefinitionArn) continue;
    const { family, revision } = parseTaskDefinitionRef(t.status.taskDefinitionArn);
    const rev = getRevision(store, `${family}:${revision}`);
    if (!rev) continue;
    let targetsHealthy = true;
    let targetsUnhealthy = false;
    for (const lb of lbs) {
      const st = targetStateAt({
        tg: targetGroupSpec(store, lb.targetGroupArn!),
        startedAt: t.status.startedAt ? parseTime(t.status.startedAt) : undefined,
        timeline: knobsOfTask(rev, t).targetHealth,
        now,
      });
      targetsHealthy &&= st.state === 'healthy';
      targetsUnhealthy ||= st.state === 'unhealthy';
    }
    const h = taskHealth(t, rev.spec, { gracePeriodMs, behindLoadBalancer: (spec.loadBalancers ?? []).length > 0, targetsHealthy, targetsUnhealthy, now });
    if (h.healthy) healthy++;
  }
  return healthy;
}
