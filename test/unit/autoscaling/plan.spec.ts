/** Table tests for the scalable-target plan (controllers/autoscaling/plan.ts, ecs-semantics §7). */
import { expect } from 'chai';
import { scalableTargetWithDefaults } from '../../../api/v1alpha1/scalable-target.js';
import { scalingPolicyWithDefaults } from '../../../api/v1alpha1/scaling-policy.js';
import { scheduledActionWithDefaults } from '../../../api/v1alpha1/scheduled-action.js';
import { parseStepAlarm } from '../../../controllers/autoscaling/alarms.js';
import { planScalableTarget, type ActionPlanInput, type PolicyPlanInput, type ServiceObservation, type TargetPlanInput } from '../../../controllers/autoscaling/plan.js';
import type { ScalableTargetStatus } from '../../../controllers/autoscaling/types.js';

const T0 = Date.UTC(2026, 0, 1);
const MIN = 60_000;
const ref = { ServiceNamespace: 'ecs', ResourceId: 'service/prod/web', ScalableDimension: 'ecs:service:DesiredCount' };

const service = (over: Partial<ServiceObservation> = {}): ServiceObservation => ({ exists: true, specDesired: 2, statusDesired: 2, running: 2, deploying: false, ...over });
const cpuPolicy = (cfg: Record<string, unknown> = {}): PolicyPlanInput => ({
  name: 'cpu50',
  alarmSuffix: 'sfx',
  generation: 1,
  status: {},
  spec: scalingPolicyWithDefaults({ ...ref, PolicyType: 'TargetTrackingScaling', TargetTrackingScalingPolicyConfiguration: { TargetValue: 50, PredefinedMetricSpecification: { PredefinedMetricType: 'ECSServiceAverageCPUUtilization' }, ...cfg } } as any),
});
const scheduled = (name: string, Schedule: string, action: Record<string, number>): ActionPlanInput => ({
  name,
  generation: 1,
  status: {},
  createdAt: T0,
  spec: scheduledActionWithDefaults({ ...ref, Schedule, ScalableTargetAction: action } as any),
});

function input(over: Partial<TargetPlanInput> & { specOver?: Record<string, unknown>; cpu?: number | null } = {}): TargetPlanInput {
  const { specOver, cpu = 20, ...rest } = over;
  return {
    now: T0,
    name: 'web',
    uid: 'uid-st',
    generation: 1,
    spec: scalableTargetWithDefaults({ ...ref, MinCapacity: 1, MaxCapacity: 10, ...specOver } as any),
    status: {},
    service: service(),
    policies: [],
    actions: [],
    sample: () => cpu,
    ...rest,
  };
}

/** Run the plan once a minute from T0 for `minutes`, feeding its status back (as the loop does). */
function runMinutes(minutes: number, over: Partial<TargetPlanInput> & { specOver?: Record<string, unknown>; cpu?: number | null }, start: ScalableTargetStatus = {}) {
  let status = start;
  let plan = planScalableTarget(input({ ...over, status }));
  for (let m = 1; m <= minutes; m++) {
    status = plan.status;
    plan = planScalableTarget(input({ ...over, status, now: T0 + m * MIN }));
  }
  return plan;
}

describe('scalable target plan', () => {
  it('writes desiredCount with the service spec it was based on, and the effective bounds', () => {
    const plan = planScalableTarget(input());
    expect(plan.status).to.include({ desiredCount: 2, specDesiredCount: 2, MinCapacity: 1, MaxCapacity: 10, observedGeneration: 1 });
    // Nothing to evaluate (no policy, no schedule): it looks again in an hour, or when woken (quiet.ts).
    expect(plan.requeueAfterMs).to.equal(60 * MIN);
  });

  const clamps: Array<[string, Record<string, unknown>, number, string]> = [
    ['registering raises the desired count to MinCapacity', { MinCapacity: 3, MaxCapacity: 10 }, 3, 'minimum capacity was set to 3'],
    ['registering lowers it to MaxCapacity', { MinCapacity: 0, MaxCapacity: 1 }, 1, 'maximum capacity was set to 1'],
  ];
  for (const [name, specOver, want, cause] of clamps) {
    it(name, () => {
      const plan = planScalableTarget(input({ specOver }));
      expect(plan.status.desiredCount).to.equal(want);
      expect(plan.status.ScalingActivities![0]).to.include({ Description: `Setting desired count to ${want}.`, Cause: cause, StatusCode: 'InProgress' });
    });
  }

  it('a user change of the service desiredCount wins (and overrides open activities); it is not clamped until the next activity', () => {
    const first = planScalableTarget(input({ specOver: { MinCapacity: 3 } }));
    const after = planScalableTarget(input({ specOver: { MinCapacity: 3 }, status: first.status, service: service({ specDesired: 1 }), now: T0 + 10_000 }));
    expect(after.status).to.include({ desiredCount: 1, specDesiredCount: 1 });
    expect(after.status.ScalingActivities![0]).to.include({ StatusCode: 'Overridden' });
  });

  it('re-registering with new bounds clamps again', () => {
    const first = planScalableTarget(input());
    const plan = planScalableTarget(input({ generation: 2, specOver: { MinCapacity: 4 }, status: first.status, now: T0 + 1000 }));
    expect(plan.status).to.include({ desiredCount: 4, MinCapacity: 4 });
  });

  it('records datapoints and evaluates policies once per one-minute period', () => {
    const a = planScalableTarget(input({ policies: [cpuPolicy()], now: T0 + 1000, cpu: 90 }));
    expect(a.status.metrics!.ECSServiceAverageCPUUtilization).to.deep.equal([{ t: new Date(T0).toISOString(), v: 90 }]);
    const b = planScalableTarget(input({ policies: [cpuPolicy()], status: a.status, now: T0 + 30_000, cpu: 10 }));
    expect(b.status.metrics).to.deep.equal(a.status.metrics);
    // A policy's status changes only when its verdict does (no per-minute evaluation stamp).
    const c = planScalableTarget(input({ policies: [{ ...cpuPolicy(), status: a.policyStatuses.cpu50 }], status: a.status, now: T0 + 61_000, cpu: 90 }));
    expect(c.status.metrics!.ECSServiceAverageCPUUtilization).to.have.length(2);
    expect(c.policyStatuses.cpu50).to.deep.equal(a.policyStatuses.cpu50);
  });

  it('target tracking scales out after 3 datapoints above target and records why', () => {
    const plan = runMinutes(2, { policies: [cpuPolicy()], cpu: 90 });
    expect(plan.status.desiredCount).to.equal(4); // ceil(2 × 90 / 50)
    expect(plan.status.cooldown).to.deep.equal({ lastScaleOutAt: new Date(T0 + 2 * MIN).toISOString(), lastScaleOutCapacity: 4, lastScaleOutFrom: 2 });
    expect(plan.status.ScalingActivities![0].Cause).to.equal('monitor alarm TargetTracking-service/prod/web-AlarmHigh-sfx in state ALARM triggered policy cpu50');
    expect(plan.policyStatuses.cpu50.Alarms!.map((a) => a.StateValue)).to.deep.equal(['ALARM', 'INSUFFICIENT_DATA']);
    expect(plan.events[0].message).to.match(/desired count 2 → 4/);
  });

  it('no datapoint without running tasks (missing data)', () => {
    const plan = runMinutes(5, { policies: [cpuPolicy()], cpu: null });
    expect(plan.status.desiredCount).to.equal(2);
    expect(plan.status.metrics!.ECSServiceAverageCPUUtilization.every((d) => d.v === null)).to.equal(true);
  });

  it('DisableScaleIn: never scales in', () => {
    const plan = runMinutes(20, { policies: [cpuPolicy({ DisableScaleIn: true })], service: service({ specDesired: 6, statusDesired: 6, running: 6 }), cpu: 5 });
    expect(plan.status.desiredCount).to.equal(6);
    expect(plan.policyStatuses.cpu50.Alarms).to.have.length(1);
  });

  it('no scale-in during a deployment; it resumes at the first datapoint after', () => {
    const svc = service({ specDesired: 6, statusDesired: 6, running: 6, deploying: true });
    const during = runMinutes(20, { policies: [cpuPolicy()], service: svc, cpu: 5 });
    expect(during.status.desiredCount).to.equal(6);
    expect(during.policyStatuses.cpu50.lastNote).to.equal('scale-in paused: ECS deployment in progress');
    const after = planScalableTarget(input({ policies: [cpuPolicy()], service: { ...svc, deploying: false }, status: during.status, cpu: 5, now: T0 + 21 * MIN }));
    expect(after.status.desiredCount).to.equal(5);
  });

  it('SuspendedState: DynamicScalingOutSuspended stops policy scale-out', () => {
    const plan = runMinutes(5, { policies: [cpuPolicy()], specOver: { SuspendedState: { DynamicScalingOutSuspended: true } }, cpu: 90 });
    expect(plan.status.desiredCount).to.equal(2);
  });

  it('a scheduled action sets the bounds and clamps at once; cooldowns do not apply', () => {
    const actions = [scheduled('raise', 'at(2026-01-01T00:10:00)', { MinCapacity: 5 })];
    const before = planScalableTarget(input({ actions, now: T0 + 9 * MIN }));
    expect(before.actionStatuses.raise.nextFireTime).to.equal(new Date(T0 + 10 * MIN).toISOString());
    expect(before.requeueAfterMs).to.equal(MIN);
    const at = planScalableTarget(input({ actions, status: before.status, now: T0 + 10 * MIN }));
    expect(at.status).to.include({ MinCapacity: 5, MaxCapacity: 10, desiredCount: 5 });
    expect(at.status.ScalingActivities!.map((a) => [a.Description, a.Cause, a.StatusCode])).to.deep.equal([
      ['Setting desired count to 5.', 'minimum capacity was set to 5', 'InProgress'],
      ['Setting min capacity to 5 and max capacity to 10', 'scheduled action name raise was triggered', 'Successful'],
    ]);
    expect(at.actionStatuses.raise.lastFireTime).to.equal(new Date(T0 + 10 * MIN).toISOString());
    // Handled: nothing happens again (the loop feeds lastFireTime back).
    const again = planScalableTarget(input({ actions: [{ ...actions[0], lastFireTime: T0 + 10 * MIN }], status: at.status, now: T0 + 11 * MIN }));
    expect(again.status.ScalingActivities).to.have.length(2);
  });

  it('bounds changed by a schedule survive until the target spec changes', () => {
    const at = planScalableTarget(input({ actions: [scheduled('raise', 'at(2026-01-01T00:00:00)', { MinCapacity: 5 })] }));
    const later = planScalableTarget(input({ status: at.status, now: T0 + 5 * MIN }));
    expect(later.status.MinCapacity).to.equal(5);
    const respec = planScalableTarget(input({ status: at.status, generation: 2, specOver: { MinCapacity: 2 }, now: T0 + 6 * MIN }));
    expect(respec.status.MinCapacity).to.equal(2);
  });

  it('a scheduled action asking for min > max fails; ScheduledScalingSuspended skips occurrences', () => {
    const bad = planScalableTarget(input({ actions: [scheduled('bad', 'at(2026-01-01T00:00:00)', { MinCapacity: 20 })] }));
    expect(bad.status.ScalingActivities![0]).to.include({ StatusCode: 'Failed', StatusMessage: 'Minimum capacity cannot be greater than maximum capacity' });
    expect(bad.status.MinCapacity).to.equal(1);
    const off = planScalableTarget(input({ specOver: { SuspendedState: { ScheduledScalingSuspended: true } }, actions: [scheduled('raise', 'at(2026-01-01T00:00:00)', { MinCapacity: 5 })] }));
    expect(off.status.MinCapacity).to.equal(1);
    expect(off.actionStatuses.raise.lastFireTime).to.equal(new Date(T0).toISOString());
  });

  it('a step policy without a valid alarm annotation is reported, not evaluated', () => {
    const p: PolicyPlanInput = {
      name: 'steps',
      alarmSuffix: 'z',
      generation: 1,
      status: {},
      stepAlarm: { error: 'unknown metric CPU in alarm' },
      spec: scalingPolicyWithDefaults({ ...ref, PolicyType: 'StepScaling', StepScalingPolicyConfiguration: { AdjustmentType: 'ChangeInCapacity', StepAdjustments: [{ MetricIntervalLowerBound: 0, ScalingAdjustment: 1 }] } } as any),
    };
    const plan = planScalableTarget(input({ policies: [p] }));
    expect(plan.policyStatuses.steps.conditions![0]).to.include({ type: 'Ready', status: 'False', reason: 'InvalidAlarm' });
    expect(plan.status.conditions!.find((c) => c.type === 'Degraded')).to.include({ status: 'True' });
    const ok = planScalableTarget(input({ policies: [{ ...p, stepAlarm: parseStepAlarm('ECSServiceAverageCPUUtilization > 70') }], cpu: 80 }));
    expect(ok.status.desiredCount).to.equal(3);
  });

  it('the service gone: no changes, open activities fail', () => {
    const first = planScalableTarget(input({ specOver: { MinCapacity: 3 } }));
    const gone = planScalableTarget(input({ specOver: { MinCapacity: 3 }, status: first.status, service: service({ exists: false }), now: T0 + MIN }));
    expect(gone.status.conditions!.find((c) => c.type === 'Ready')).to.include({ status: 'False', reason: 'ServiceNotFound' });
    expect(gone.status.ScalingActivities![0].StatusCode).to.equal('Failed');
  });

  it('is idempotent within a period', () => {
    const a = planScalableTarget(input({ policies: [cpuPolicy()], actions: [scheduled('r', 'rate(5 minutes)', { MinCapacity: 2 })], cpu: 90 }));
    const b = planScalableTarget(input({ policies: [{ ...cpuPolicy(), status: a.policyStatuses.cpu50 }], actions: [{ ...scheduled('r', 'rate(5 minutes)', { MinCapacity: 2 }), lastFireTime: T0, status: a.actionStatuses.r }], status: a.status, now: T0 + 20_000, cpu: 90 }));
    expect(b.status).to.deep.equal(a.status);
  });
});
