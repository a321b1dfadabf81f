/**
 * Simulated ELB target health (ecs-semantics §8). A task's target is registered when the task
 * reaches RUNNING (ACTIVATING registers it), starts `initial`, becomes `healthy` after
 * HealthyThresholdCount passing checks (`unhealthy` after UnhealthyThresholdCount failing ones,
 * when the task's health knob says unhealthy), and drains for the deregistration delay once
 * the task is told to stop. Pure: the state is a function of the task's timestamps.
 */
import { arn } from '../../api/arn.js';
import { withDefaults } from '../../api/validate.js';
import type { TargetGroupSpec } from '../../api/v1alpha1/types.js';
import type { ResourceStore } from '../../store/store.js';

export type TargetState = 'initial' | 'healthy' | 'unhealthy' | 'draining' | 'unused';

export const DEFAULT_DEREGISTRATION_DELAY_S = 300;

/** `arn:aws:elasticloadbalancing:…:targetgroup/NAME/ID` (or a bare name) → NAME. */
export function targetGroupName(ref: string): string {
  const i = ref.indexOf('targetgroup/');
  if (i < 0) return ref;
  return ref.slice(i + 'targetgroup/'.length).split('/')[0];
}

/** The target group a service names: the TargetGroup resource, or ELB defaults when not modelled. */
export function targetGroupSpec(store: ResourceStore, ref: string): TargetGroupSpec {
  const name = targetGroupName(ref);
  const tg = store.get('TargetGroup', name);
  return withDefaults('TargetGroup', tg?.spec ?? { Name: name, Protocol: 'HTTP', Port: 80 }, { name }) as TargetGroupSpec;
}

export function targetGroupArn(store: ResourceStore, ref: string): string {
  return ref.startsWith('arn:') ? ref : arn.targetGroup(targetGroupName(ref));
}

export interface TargetHealthInput {
  tg: TargetGroupSpec;
  startedAt?: number;
  stoppingAt?: number;
  outcome: 'healthy' | 'unhealthy';
  now: number;
}

export function targetStateAt(i: TargetHealthInput): { state: TargetState; nextChangeAt?: number } {
  if (i.startedAt === undefined) return { state: 'unused' };
  if (i.stoppingAt !== undefined && i.now >= i.stoppingAt) {
    const until = i.stoppingAt + deregistrationDelayMs(i.tg);
    return i.now < until ? { state: 'draining', nextChangeAt: until } : { state: 'unused' };
  }
  const interval = (i.tg.HealthCheckIntervalSeconds ?? 30) * 1000;
  const checks = i.outcome === 'healthy' ? (i.tg.HealthyThresholdCount ?? 5) : (i.tg.UnhealthyThresholdCount ?? 2);
  const at = i.startedAt + checks * interval;
  if (i.now < at) return { state: 'initial', nextChangeAt: at };
  return { state: i.outcome === 'healthy' ? 'healthy' : 'unhealthy' };
}

export function deregistrationDelayMs(tg: TargetGroupSpec): number {
  return (tg.DeregistrationDelay ?? DEFAULT_DEREGISTRATION_DELAY_S) * 1000;
}
