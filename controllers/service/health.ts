/**
 * "Healthy" as the ECS service scheduler counts it (ecs-semantics §4, §8):
 * - the task is RUNNING;
 * - every essential container that defines a health check reports HEALTHY;
 * - behind a load balancer, every target of the task is healthy;
 * - with neither a container health check nor a load balancer, the task counts as healthy
 *   40 s after it reached RUNNING.
 * Failures inside `healthCheckGracePeriodSeconds` after the task started are ignored.
 */
import type { TaskDefinitionSpec } from '../../api/v1alpha1/types.js';
import type { TaskObject } from '../shared/instances.js';
import { parseTime } from '../shared/time.js';
import type { ResourceStore } from '../../store/store.js';
import type { RevisionObject } from '../../store/taskdefs.js';
import { knobsOfTask } from '../shared/knobs.js';
import { targetGroupOfTask, targetGroupSpec, targetStateAt } from '../load-balancer/targets.js';

export const NO_HEALTH_CHECK_SETTLE_MS = 40_000;

export interface TaskHealth {
  healthy: boolean;
  /** Should be replaced: failed container health checks (or targets) after the grace period. */
  unhealthy: boolean;
  /** When the verdict may change without another event (the 40 s rule, the grace period's end). */
  healthyAt?: number;
}

type ContainerDefinitions = NonNullable<TaskDefinitionSpec['containerDefinitions']>;
const checkedOf = new WeakMap<object, ContainerDefinitions>();

/** Essential containers with a health check (once per frozen task definition spec). */
function checkedContainers(td: TaskDefinitionSpec): ContainerDefinitions {
  let c = Object.isFrozen(td) ? checkedOf.get(td) : undefined;
  if (!c) {
    c = (td.containerDefinitions ?? []).filter((x) => x.essential !== false && x.healthCheck);
    if (Object.isFrozen(td)) checkedOf.set(td, c);
  }
  return c;
}

export function taskHealth(
  task: TaskObject,
  td: TaskDefinitionSpec,
  opts: { gracePeriodMs: number; behindLoadBalancer: boolean; targetsHealthy?: boolean; targetsUnhealthy?: boolean; now: number },
): TaskHealth {
  const s = task.status ?? {};
  if (s.lastStatus !== 'RUNNING' || s.desiredStatus !== 'RUNNING') return { healthy: false, unhealthy: false };
  const startedAt = parseTime(s.startedAt);
  const inGrace = opts.now < startedAt + opts.gracePeriodMs;
  const checked = checkedContainers(td);
  const containers = s.containers ?? [];
  // Each checked container's status (first container of that name), UNHEALTHY anywhere / HEALTHY everywhere.
  let containerUnhealthy = false;
  let containerHealthy = true;
  for (const c of checked) {
    let hs: string | undefined;
    for (const x of containers) {
      if (x.name === c.name) {
        hs = x.healthStatus;
        break;
      }
    }
    if (hs === 'UNHEALTHY') containerUnhealthy = true;
    if (hs !== 'HEALTHY') containerHealthy = false;
  }
  const failing = containerUnhealthy || Boolean(opts.targetsUnhealthy);
  const unhealthy = !inGrace && failing;
  if (inGrace && failing) return { healthy: false, unhealthy: false, healthyAt: startedAt + opts.gracePeriodMs };
  if (checked.length === 0 && !opts.behindLoadBalancer) {
    const at = startedAt + NO_HEALTH_CHECK_SETTLE_MS;
    return opts.now >= at ? { healthy: true, unhealthy: false } : { healthy: false, unhealthy: false, healthyAt: at };
  }
  const healthy = containerHealthy && (!opts.behindLoadBalancer || Boolean(opts.targetsHealthy));
  return { healthy, unhealthy };
}

/**
 * A task's health as the service scheduler sees it, with the load balancer's targets: the one
 * computation the scheduler, the samples' healthy count and the usage figures share.
 */
export function serviceTaskHealth(
  store: ResourceStore,
  spec: { healthCheckGracePeriodSeconds?: number; loadBalancers?: Array<{ targetGroupArn?: string; advancedConfiguration?: Record<string, unknown> }> },
  task: TaskObject,
  rev: RevisionObject,
  now: number,
): { health: TaskHealth & { elbUnhealthy: boolean }; nextChangeAt?: number } {
  const lbs = (spec.loadBalancers ?? []).filter((lb) => lb.targetGroupArn);
  let targetsHealthy = true;
  let targetsUnhealthy = false;
  let next = Infinity;
  for (const lb of lbs) {
    const st = targetStateAt({
      tg: targetGroupSpec(store, targetGroupOfTask(lb, task)!),
      startedAt: task.status?.startedAt ? parseTime(task.status.startedAt) : undefined,
      timeline: knobsOfTask(rev, task).targetHealth,
      now,
    });
    targetsHealthy &&= st.state === 'healthy';
    targetsUnhealthy ||= st.state === 'unhealthy';
    if (st.nextChangeAt !== undefined) next = Math.min(next, st.nextChangeAt);
  }
  const h = taskHealth(task, rev.spec, {
    gracePeriodMs: (spec.healthCheckGracePeriodSeconds ?? 0) * 1000,
    behindLoadBalancer: (spec.loadBalancers ?? []).length > 0,
    targetsHealthy,
    targetsUnhealthy,
    now,
  });
  if (h.healthyAt !== undefined) next = Math.min(next, h.healthyAt);
  return { health: { ...h, elbUnhealthy: targetsUnhealthy && h.unhealthy }, ...(Number.isFinite(next) ? { nextChangeAt: next } : {}) };
}
