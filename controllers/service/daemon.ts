/**
 * DAEMON scheduling (ecs-semantics §5): one task per eligible instance — ACTIVE, agent
 * connected, matching the placement constraints. Tasks on instances that are no longer eligible
 * (draining, constraint no longer met) stop. On a new deployment, each instance's old task stops
 * (bounded by minimumHealthyPercent of the instances, default 0) and the new one starts once the
 * old one no longer holds the instance's resources. Starts are capped by the service's launch
 * rate (launch-rate.ts) like a REPLICA service's.
 */
import { compileCql, evaluateCql } from '../placement/index.js';
import type { InstanceObject, TaskObject } from '../shared/instances.js';
import { effectiveState, attributesOf } from '../shared/instances.js';
import { DEPLOYMENT_LABEL } from '../shared/indexes.js';
import type { StopReason } from './rolling.js';

export interface DaemonInput {
  primaryId: string;
  deleting: boolean;
  launchBlocked: boolean;
  instances: InstanceObject[];
  /** Active service tasks (desiredStatus RUNNING). */
  tasks: TaskObject[];
  health: Map<string, { healthy: boolean; unhealthy: boolean }>;
  constraints: Array<{ type: string; expression?: string }>;
  minimumHealthyPercent: number;
  /** Launches the service's launch rate still allows now (launch-rate.ts); unbounded if absent. */
  maxLaunches?: number;
}

export interface DaemonPlan {
  startOn: string[];
  stop: Array<{ id: string; why: StopReason }>;
  desiredCount: number;
  /** Instances that need a task but wait for the launch rate. */
  launchesDeferred: number;
}

export function eligibleForDaemon(inst: InstanceObject, constraints: DaemonInput['constraints']): boolean {
  const st = effectiveState(inst);
  if (st.status !== 'ACTIVE' || !st.agentConnected) return false;
  for (const c of constraints) {
    if (c.type !== 'memberOf' || !c.expression) continue;
    const view = { attributes: attributesOf(inst), tasks: [], name: inst.metadata.name } as any;
    if (!evaluateCql(compileCql(c.expression), view)) return false;
  }
  return true;
}

export function planDaemon(input: DaemonInput): DaemonPlan {
  const stop: DaemonPlan['stop'] = [];
  const startOn: string[] = [];
  const byInstance = new Map<string, TaskObject[]>();
  for (const t of input.tasks) {
    const i = t.status?.containerInstance ?? '';
    byInstance.set(i, [...(byInstance.get(i) ?? []), t]);
  }
  const eligible = input.deleting ? [] : input.instances.filter((i) => eligibleForDaemon(i, input.constraints));
  const eligibleNames = new Set(eligible.map((i) => i.metadata.name));
  for (const [inst, tasks] of byInstance) {
    if (!eligibleNames.has(inst)) for (const t of tasks) stop.push({ id: t.metadata.name, why: 'draining' });
  }
  const floor = Math.ceil((eligible.length * input.minimumHealthyPercent) / 100);
  let healthy = input.tasks.filter((t) => eligibleNames.has(t.status?.containerInstance ?? '') && input.health.get(t.metadata.name)?.healthy).length;
  for (const inst of eligible) {
    const tasks = byInstance.get(inst.metadata.name) ?? [];
    const current = tasks.filter((t) => t.metadata.labels?.[DEPLOYMENT_LABEL] === input.primaryId);
    const old = tasks.filter((t) => t.metadata.labels?.[DEPLOYMENT_LABEL] !== input.primaryId);
    for (const extra of current.slice(1)) stop.push({ id: extra.metadata.name, why: 'scale-in' });
    for (const t of current) if (input.health.get(t.metadata.name)?.unhealthy) stop.push({ id: t.metadata.name, why: 'unhealthy' });
    for (const t of old) {
      const wasHealthy = Boolean(input.health.get(t.metadata.name)?.healthy);
      if (wasHealthy && healthy - 1 < floor) continue;
      stop.push({ id: t.metadata.name, why: 'deployment' });
      if (wasHealthy) healthy--;
    }
    if (current.length === 0 && old.length === 0 && !input.launchBlocked) startOn.push(inst.metadata.name);
  }
  const allowed = Math.max(0, input.maxLaunches ?? Infinity);
  const deferred = Math.max(0, startOn.length - allowed);
  if (deferred > 0) startOn.length = allowed;
  return { startOn, stop, desiredCount: eligible.length, launchesDeferred: deferred };
}
