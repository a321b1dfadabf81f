/** Policy verdicts and how they combine (controllers/autoscaling/policies.ts, ecs-semantics §7). */
import { expect } from 'chai';
import { scalingPolicyWithDefaults } from '../../../api/v1alpha1/scaling-policy.js';
import {
  combineVerdicts,
  evaluateStepPolicy,
  evaluateTargetTrackingPolicy,
  scaleOutBase,
  type PolicyContext,
  type PolicyInput,
  type PolicyVerdict,
} from '../../../controllers/autoscaling/policies.js';
import { parseStepAlarm } from '../../../controllers/autoscaling/alarms.js';

const T0 = Date.UTC(2026, 0, 1);
const S = 1000;
const ref = { ServiceNamespace: 'ecs', ResourceId: 'service/c/s', ScalableDimension: 'ecs:service:DesiredCount' };

const ctx = (over: Partial<PolicyContext> & { data?: (number | null)[] } = {}): PolicyContext => {
  const { data = [], ...rest } = over;
  return { now: T0, current: 10, min: 1, max: 100, suspendedIn: false, suspendedOut: false, deploying: false, series: () => data, ...rest };
};
const tt = (cfg: Record<string, unknown> = {}): PolicyInput => ({
  name: 'tt',
  alarmSuffix: 'x',
  spec: scalingPolicyWithDefaults({
    ...ref,
    PolicyType: 'TargetTrackingScaling',
    TargetTrackingScalingPolicyConfiguration: { TargetValue: 50, PredefinedMetricSpecification: { PredefinedMetricType: 'ECSServiceAverageCPUUtilization' }, ...cfg },
  } as any),
});
const step = (alarm: string, cfg: Record<string, unknown>): PolicyInput => ({
  name: 'step',
  alarmSuffix: 'y',
  stepAlarm: parseStepAlarm(alarm),
  spec: scalingPolicyWithDefaults({ ...ref, PolicyType: 'StepScaling', StepScalingPolicyConfiguration: cfg } as any),
});
const high = (v: number) => [v, v, v];
const low = (v: number) => Array(15).fill(v);

describe('target tracking verdicts', () => {
  const cases: Array<[string, Partial<PolicyContext> & { data?: (number | null)[] }, Record<string, unknown>, number | null, string | undefined]> = [
    ['3 datapoints above target: proportional scale-out', { data: high(75) }, {}, 15, undefined],
    ['2 datapoints above target: no alarm, no opinion', { data: [75, 75] }, {}, null, undefined],
    ['between 90 % and 100 % of target: holds', { data: low(46) }, {}, null, undefined],
    ['15 datapoints below 90 % of target: gradual scale-in', { data: low(10) }, {}, 9, undefined],
    ['scale-in suspended: votes for the current count', { data: low(10), suspendedIn: true }, {}, 10, 'DynamicScalingInSuspended'],
    ['scale-out suspended: no opinion', { data: high(75), suspendedOut: true }, {}, null, 'DynamicScalingOutSuspended'],
    ['scale-in paused during a deployment; scale-out is not', { data: low(10), deploying: true }, {}, 10, 'scale-in paused: ECS deployment in progress'],
    ['scale-out during a deployment', { data: high(75), deploying: true }, {}, 15, undefined],
    ['scale-in cooldown blocks scale-in', { data: low(10), lastScaleInAt: T0 - 100 * S }, {}, 10, 'scale-in-cooldown'],
    ['…but a scale-out since cancels it', { data: low(10), lastScaleInAt: T0 - 100 * S, lastScaleOutAt: T0 - 50 * S, lastScaleOutCapacity: 10 }, {}, 9, undefined],
    ['ScaleInCooldown honoured', { data: low(10), lastScaleInAt: T0 - 100 * S }, { ScaleInCooldown: 60 }, 9, undefined],
    ['clamped to MaxCapacity', { data: high(100), max: 12 }, {}, 12, undefined],
    ['DisableScaleIn: no low alarm', { data: low(10) }, { DisableScaleIn: true }, null, undefined],
  ];
  for (const [name, c, cfg, proposal, note] of cases) {
    it(name, () => {
      const v = evaluateTargetTrackingPolicy(tt(cfg), ctx(c));
      expect(v.proposal).to.equal(proposal);
      expect(v.note).to.equal(note);
    });
  }

  it('in the scale-out cooldown a scale-out is computed from the capacity before the last one (AAS: the added capacity counts)', () => {
    // 2 → 4 at T0−60 s; the metric still shows the 2 old tasks at 90 %: 2 × 90/50 = 4, nothing more.
    const c = ctx({ current: 4, data: high(90), lastScaleOutAt: T0 - 60 * S, lastScaleOutCapacity: 4, lastScaleOutFrom: 2 });
    expect(scaleOutBase(c, 300)).to.equal(2);
    expect(evaluateTargetTrackingPolicy(tt(), c)).to.include({ proposal: 4, note: 'scale-out-cooldown' });
    // A harder push is still a larger scale-out: 2 × 150/50 = 6 > 4.
    expect(evaluateTargetTrackingPolicy(tt(), { ...c, series: () => high(150) })).to.include({ proposal: 6, from: 2 });
    // After the cooldown the current capacity is the base again.
    expect(evaluateTargetTrackingPolicy(tt(), { ...c, now: T0 + 240 * S })).to.include({ proposal: 8, from: 4 });
  });

  it('names its alarms as AAS does and reports their state', () => {
    const v = evaluateTargetTrackingPolicy(tt(), ctx({ data: high(75) }));
    expect(v.alarms.map((a) => [a.AlarmName, a.ComparisonOperator, a.Threshold, a.EvaluationPeriods, a.StateValue])).to.deep.equal([
      ['TargetTracking-service/c/s-AlarmHigh-x', 'GreaterThanThreshold', 50, 3, 'ALARM'],
      ['TargetTracking-service/c/s-AlarmLow-x', 'LessThanThreshold', 45, 15, 'INSUFFICIENT_DATA'],
    ]);
    expect(v.alarm).to.equal('TargetTracking-service/c/s-AlarmHigh-x');
  });

  it('without a metric there is no opinion (an error)', () => {
    const p = tt();
    delete (p.spec.TargetTrackingScalingPolicyConfiguration as any).PredefinedMetricSpecification;
    expect(evaluateTargetTrackingPolicy(p, ctx()).error).to.match(/no metric/);
  });

  it('a customized metric (backlog per task) reads the series custom:<policy>, like a predefined one', () => {
    const p = tt({ PredefinedMetricSpecification: undefined, TargetValue: 100, CustomizedMetricSpecification: { Metrics: [{ Id: 'e1', Expression: '1000 / 4', ReturnData: true }] } });
    const asked: string[] = [];
    const v = evaluateTargetTrackingPolicy(p, ctx({ current: 4, series: (m) => (asked.push(m), [250, 250, 250]) }));
    expect(asked[0]).to.equal('custom:tt');
    expect(v.proposal).to.equal(10); // ceil(4 × 250 / 100)
    expect(v.alarms.map((a) => a.MetricName)).to.deep.equal(['MetricMath', 'MetricMath']);
  });
});

describe('step scaling verdicts', () => {
  const out = {
    AdjustmentType: 'ChangeInCapacity',
    StepAdjustments: [
      { MetricIntervalLowerBound: 0, MetricIntervalUpperBound: 15, ScalingAdjustment: 1 },
      { MetricIntervalLowerBound: 15, MetricIntervalUpperBound: 25, ScalingAdjustment: 2 },
      { MetricIntervalLowerBound: 25, ScalingAdjustment: 3 },
    ],
  };
  const cases: Array<[string, PolicyInput, (number | null)[], Partial<PolicyContext>, number | null]> = [
    ['alarm not breached', step('ECSServiceAverageCPUUtilization > 70 for 3 datapoints', out), [80, 80], {}, null],
    ['bounds are offsets from the threshold: 70 + [0, 15) → +1', step('ECSServiceAverageCPUUtilization > 70 for 3 datapoints', out), [71, 80, 84.9], {}, 11],
    ['lower bound inclusive above the threshold: 85 → +2', step('ECSServiceAverageCPUUtilization > 70 for 1 datapoint', out), [85], {}, 12],
    ['open upper bound: 99 → +3', step('ECSServiceAverageCPUUtilization > 70', out), [99], {}, 13],
    ['MetricAggregationType Average (default): avg(72, 90, 96) = 86 → +2', step('ECSServiceAverageCPUUtilization > 70 for 3 datapoints', out), [72, 90, 96], {}, 12],
    ['MetricAggregationType Maximum: 96 → +3', step('ECSServiceAverageCPUUtilization > 70 for 3 datapoints', { ...out, MetricAggregationType: 'Maximum' }), [72, 90, 96], {}, 13],
    ['MetricAggregationType Minimum: 72 → +1', step('ECSServiceAverageCPUUtilization > 70 for 3 datapoints', { ...out, MetricAggregationType: 'Minimum' }), [72, 90, 96], {}, 11],
    ['PercentChangeInCapacity rounds: 10 + 10 % = 11', step('ECSServiceAverageCPUUtilization > 70', { AdjustmentType: 'PercentChangeInCapacity', StepAdjustments: [{ MetricIntervalLowerBound: 0, ScalingAdjustment: 10 }] }), [80], {}, 11],
    ['PercentChangeInCapacity: 11 + 30 % = 3.3 → 3', step('ECSServiceAverageCPUUtilization > 70', { AdjustmentType: 'PercentChangeInCapacity', StepAdjustments: [{ MetricIntervalLowerBound: 0, ScalingAdjustment: 30 }] }), [80], { current: 11 }, 14],
    ['MinAdjustmentMagnitude raises a small change', step('ECSServiceAverageCPUUtilization > 70', { AdjustmentType: 'PercentChangeInCapacity', MinAdjustmentMagnitude: 3, StepAdjustments: [{ MetricIntervalLowerBound: 0, ScalingAdjustment: 10 }] }), [80], {}, 13],
    ['scale-in below the threshold: −25 % of 10 = −2.5 → −2', step('ECSServiceAverageCPUUtilization < 30', { AdjustmentType: 'PercentChangeInCapacity', StepAdjustments: [{ MetricIntervalUpperBound: 0, ScalingAdjustment: -25 }] }), [20], {}, 8],
    ['ExactCapacity, clamped to MaxCapacity', step('ECSServiceAverageMemoryUtilization > 70', { AdjustmentType: 'ExactCapacity', StepAdjustments: [{ MetricIntervalLowerBound: 0, ScalingAdjustment: 50 }] }), [80], { max: 20 }, 20],
    ['Cooldown (default 300 s): a repeat within it adds only what exceeds the last scale-out', step('ECSServiceAverageCPUUtilization > 70', out), [99], { current: 13, lastScaleOutAt: T0 - 100 * S, lastScaleOutCapacity: 13, lastScaleOutFrom: 10 }, 13],
  ];
  for (const [name, p, data, c, proposal] of cases) {
    it(name, () => expect(evaluateStepPolicy(p, ctx({ data, ...c })).proposal).to.equal(proposal));
  }
  it('without an alarm it reports an error', () => {
    const p = { ...step('ECSServiceAverageCPUUtilization > 70', out), stepAlarm: undefined };
    expect(evaluateStepPolicy(p, ctx()).error).to.equal('no alarm');
  });
});

describe('combining verdicts (docs/scaling.md "Several policies")', () => {
  const v = (type: PolicyVerdict['type'], proposal: number | null, votes = true): PolicyVerdict => ({ name: `${type}-${proposal}`, type, alarms: [], proposal, votes, alarm: 'a' });
  const T = 'TargetTrackingScaling' as const;
  const P = 'StepScaling' as const;
  const cases: Array<[string, PolicyVerdict[], number]> = [
    ['any target tracking policy may scale out; the largest wins', [v(T, 12), v(T, 8)], 12],
    ['all must agree to scale in; the smallest scale-in wins', [v(T, 8), v(T, 9)], 9],
    ['one without an opinion blocks scale-in', [v(T, 8), v(T, null)], 10],
    ['a DisableScaleIn policy does not vote', [v(T, 8), v(T, null, false)], 8],
    ['a step scale-out beats a target tracking scale-in', [v(T, 8), v(P, 11)], 11],
    ['a step scale-in acts on its own', [v(T, null), v(P, 7)], 7],
    ['the largest capacity among scale-outs', [v(T, 12), v(P, 14)], 14],
    ['nothing to do', [v(T, null), v(P, null)], 10],
  ];
  for (const [name, verdicts, want] of cases) it(name, () => expect(combineVerdicts(10, verdicts).desired).to.equal(want));
  it('names the policy that won', () => expect(combineVerdicts(10, [v(T, 12), v(P, 14)]).winner!.name).to.equal('StepScaling-14'));
});
