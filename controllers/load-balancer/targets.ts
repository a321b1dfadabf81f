/**
 * Simulated ELB target health (ecs-semantics §8). A task's target is registered when the task
 * reaches RUNNING (ACTIVATING registers it), starts `initial`, and follows ELB's health checks
 * (elbCheck below) with the outcomes of the task's `sim.ecsplane.io/target-health` timeline; it
 * drains for the deregistration delay once the task is told to stop. Pure: the state is a
 * function of the task's timestamps.
 */
import { arn } from '../../api/arn.js';
import { withDefaults } from '../../api/validate.js';
import type { TargetGroupSpec } from '../../api/v1alpha1/types.js';
import type { ResourceStore } from '../../store/store.js';
import type { HealthTimeline, Outcome } from '../../api/sim-timeline.js';
import { walkChecks, type CheckMachine } from '../shared/health-checks.js';

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
  timeline: HealthTimeline;
  now: number;
}

type Checked = 'initial' | 'healthy' | 'unhealthy';

/**
 * ELB's health checks (https://docs.aws.amazon.com/elasticloadbalancing/latest/application/target-group-health-checks.html):
 * "After your target is registered, it must pass one health check to be considered healthy";
 * a target in service is taken out after UnhealthyThresholdCount consecutive failures and put
 * back after HealthyThresholdCount consecutive successes. A new target that keeps failing is
 * unhealthy after UnhealthyThresholdCount failures.
 */
function elbCheck(tg: TargetGroupSpec): CheckMachine<{ state: Checked; streak: number; last?: Outcome }> {
  const healthyAfter = tg.HealthyThresholdCount ?? 5;
  const unhealthyAfter = tg.UnhealthyThresholdCount ?? 2;
  const cap = Math.max(healthyAfter, unhealthyAfter);
  return {
    initial: { state: 'initial', streak: 0 },
    step: (s, outcome) => {
      const streak = outcome === s.last ? Math.min(cap, s.streak + 1) : 1;
      let state = s.state;
      if (outcome === 'healthy' && (state === 'initial' || (state === 'unhealthy' && streak >= healthyAfter))) state = 'healthy';
      if (outcome === 'unhealthy' && state !== 'unhealthy' && streak >= unhealthyAfter) state = 'unhealthy';
      return { state, streak, last: outcome };
    },
    same: (a, b) => a.state === b.state && a.streak === b.streak && a.last === b.last,
    visible: (s) => s.state,
    settlesFrom: 1,
  };
}

export function targetStateAt(i: TargetHealthInput): { state: TargetState; nextChangeAt?: number } {
  if (i.startedAt === undefined) return { state: 'unused' };
  if (i.stoppingAt !== undefined && i.now >= i.stoppingAt) {
    const until = i.stoppingAt + deregistrationDelayMs(i.tg);
    return i.now < until ? { state: 'draining', nextChangeAt: until } : { state: 'unused' };
  }
  const interval = (i.tg.HealthCheckIntervalSeconds ?? 30) * 1000;
  const walk = walkChecks(elbCheck(i.tg), i.timeline, i.startedAt, interval, i.now);
  return { state: walk.state.state, nextChangeAt: walk.nextChangeAt };
}

export function deregistrationDelayMs(tg: TargetGroupSpec): number {
  return (tg.DeregistrationDelay ?? DEFAULT_DEREGISTRATION_DELAY_S) * 1000;
}

/**
 * ECS-native blue/green: a service's load balancer entry may name an alternate target group
 * (`advancedConfiguration.alternateTargetGroupArn`). The tasks of the revision that is not serving
 * production register there while a deployment runs; when it completes the two swap roles
 * (https://docs.aws.amazon.com/AmazonECS/latest/developerguide/blue-green-deployment-how-it-works.html).
 * The launch marks such a task with this label; tasks without it use `targetGroupArn`.
 */
export const TARGET_SIDE_LABEL = 'ecsplane.io/target-side';

/** The target group of `lb` a task registers in. */
export function targetGroupOfTask(lb: { targetGroupArn?: string; advancedConfiguration?: Record<string, unknown> }, task: { metadata: { labels?: Record<string, string> } }): string | undefined {
  const alternate = lb.advancedConfiguration?.alternateTargetGroupArn;
  return task.metadata.labels?.[TARGET_SIDE_LABEL] === 'alternate' && typeof alternate === 'string' ? alternate : lb.targetGroupArn;
}

/** Every target group `lb` names (the production one and the alternate). */
export function targetGroupsOfLb(lb: { targetGroupArn?: string; advancedConfiguration?: Record<string, unknown> }): string[] {
  const alternate = lb.advancedConfiguration?.alternateTargetGroupArn;
  return [lb.targetGroupArn, typeof alternate === 'string' ? alternate : undefined].filter((x): x is string => typeof x === 'string');
}
