/** Application Auto Scaling kinds (ecs-semantics §7). */
import { expect } from 'chai';
import { errorsOf, expectError, expectValid, fixture, type Expected } from './helpers.js';
import { scheduleSyntaxError } from '../../../api/v1alpha1/schedule.js';

const VX = 'ValidationException';
const target = { ServiceNamespace: 'ecs', ResourceId: 'service/prod/web', ScalableDimension: 'ecs:service:DesiredCount' };

describe('ScalableTarget', () => {
  it('AWS CLI register-scalable-target example validates', () => expectValid('ScalableTarget', fixture('aws-cli-register-scalable-target.json'), 'web'));
  const good: [string, any][] = [
    ['min = max', { ...target, MinCapacity: 3, MaxCapacity: 3 }],
    ['min 0, suspended state, role', { ...target, MinCapacity: 0, MaxCapacity: 5, SuspendedState: { DynamicScalingInSuspended: true }, RoleARN: 'arn:aws:iam::1:role/aws-service-role/ecs.application-autoscaling.amazonaws.com/AWSServiceRoleForApplicationAutoScaling_ECSService' }],
  ];
  for (const [name, spec] of good) it(`valid: ${name}`, () => expectValid('ScalableTarget', spec, 'web'));
  const bad: [string, any, Expected][] = [
    ['min above max', { ...target, MinCapacity: 5, MaxCapacity: 2 }, { field: 'spec.MinCapacity', type: VX, message: 'Minimum capacity cannot be greater than maximum capacity' }],
    ['negative min', { ...target, MinCapacity: -1, MaxCapacity: 2 }, { field: 'spec.MinCapacity', type: VX, message: 'must be >= 0' }],
    ['bounds missing', { ...target }, { field: 'spec.MaxCapacity', type: VX }],
    ['another namespace', { ...target, ServiceNamespace: 'dynamodb', MinCapacity: 1, MaxCapacity: 2 }, { field: 'spec.ServiceNamespace', type: VX, message: /^Unsupported service namespace/ }],
    ['unknown namespace', { ...target, ServiceNamespace: 'k8s', MinCapacity: 1, MaxCapacity: 2 }, { field: 'spec.ServiceNamespace', type: VX, message: /must be one of/ }],
    ['another dimension', { ...target, ScalableDimension: 'dynamodb:table:ReadCapacityUnits', MinCapacity: 1, MaxCapacity: 2 }, { field: 'spec.ScalableDimension', type: VX }],
    ['ResourceId without cluster', { ...target, ResourceId: 'service/web', MinCapacity: 1, MaxCapacity: 2 }, { field: 'spec.ResourceId', type: VX }],
    ['ResourceId of a task', { ...target, ResourceId: 'task/prod/abc', MinCapacity: 1, MaxCapacity: 2 }, { field: 'spec.ResourceId', type: VX }],
    ['ResourceId missing', { ServiceNamespace: 'ecs', ScalableDimension: 'ecs:service:DesiredCount', MinCapacity: 1, MaxCapacity: 2 }, { field: 'spec.ResourceId', type: VX, message: 'Missing required parameter "ResourceId"' }],
    ['bad role', { ...target, MinCapacity: 1, MaxCapacity: 2, RoleARN: 'arn:aws:s3:::b' }, { field: 'spec.RoleARN', type: VX }],
  ];
  for (const [name, spec, want] of bad) it(`invalid: ${name}`, () => void expectError(errorsOf('ScalableTarget', spec, 'web'), want));
});

const tt = (c: Record<string, unknown>, o: Record<string, unknown> = {}) => ({
  ...target,
  PolicyType: 'TargetTrackingScaling',
  TargetTrackingScalingPolicyConfiguration: { TargetValue: 50, PredefinedMetricSpecification: { PredefinedMetricType: 'ECSServiceAverageCPUUtilization' }, ...c },
  ...o,
});
type Bound = number | null | undefined;
const steps = (...s: [Bound, Bound, number][]) => ({
  ...target,
  PolicyType: 'StepScaling',
  StepScalingPolicyConfiguration: {
    AdjustmentType: 'ChangeInCapacity',
    StepAdjustments: s.map(([lo, hi, adj]) => ({
      ...(lo === undefined ? {} : { MetricIntervalLowerBound: lo }),
      ...(hi === undefined ? {} : { MetricIntervalUpperBound: hi }),
      ScalingAdjustment: adj,
    })),
  },
});
const stepsCfg = (extra: Record<string, unknown>, ...s: [Bound, Bound, number][]) => {
  const p = steps(...s);
  return { ...p, StepScalingPolicyConfiguration: { ...p.StepScalingPolicyConfiguration, ...extra } };
};

describe('ScalingPolicy', () => {
  it('AWS CLI put-scaling-policy target tracking example validates', () => expectValid('ScalingPolicy', fixture('aws-cli-put-scaling-policy.json'), 'cpu-target-tracking'));

  const SA = 'spec.StepScalingPolicyConfiguration.StepAdjustments';
  const TT = 'spec.TargetTrackingScalingPolicyConfiguration';
  const good: [string, any][] = [
    ['memory target', tt({ PredefinedMetricSpecification: { PredefinedMetricType: 'ECSServiceAverageMemoryUtilization' }, DisableScaleIn: true })],
    ['ALB request count with label', tt({ TargetValue: 1000, PredefinedMetricSpecification: { PredefinedMetricType: 'ALBRequestCountPerTarget', ResourceLabel: 'app/my-alb/778d41231b141a0f/targetgroup/my-tg/943f017f100becff' } })],
    ['customized metric', tt({ PredefinedMetricSpecification: undefined, CustomizedMetricSpecification: { MetricName: 'QueueDepth', Namespace: 'App', Statistic: 'Average', Dimensions: [{ Name: 'Q', Value: 'jobs' }] } })],
    ['two steps around the threshold', steps([null, 0, -1], [0, null, 1])],
    ['three steps above', steps([0, 10, 1], [10, 20, 2], [20, null, 3])],
    ['single step from 0 up (AWS doc example)', stepsCfg({ AdjustmentType: 'PercentChangeInCapacity', Cooldown: 60, MetricAggregationType: 'Average' }, [0, undefined, 80])],
    ['single step below 0', steps([undefined, 0, -1])],
    ['explicit null bounds', steps([null, -10, -2], [-10, 0, -1])],
    ['MinAdjustmentMagnitude with percent', stepsCfg({ AdjustmentType: 'PercentChangeInCapacity', MinAdjustmentMagnitude: 2 }, [0, null, 10])],
    ['20 steps', steps(...Array.from({ length: 20 }, (_, i): [Bound, Bound, number] => [i, i === 19 ? null : i + 1, i]))],
  ];
  for (const [name, spec] of good) it(`valid: ${name}`, () => expectValid('ScalingPolicy', spec, 'p1'));

  const bad: [string, any, Expected][] = [
    ['target tracking without configuration', { ...target, PolicyType: 'TargetTrackingScaling' }, { field: TT, type: VX }],
    ['default (StepScaling) with only a target tracking configuration', { ...tt({}), PolicyType: undefined }, { field: 'spec.StepScalingPolicyConfiguration', type: VX }],
    ['predictive scaling', { ...target, PolicyType: 'PredictiveScaling', PredictiveScalingPolicyConfiguration: { MetricSpecifications: [] } }, { field: 'spec.PolicyType', type: VX }],
    ['unknown policy type', { ...target, PolicyType: 'Simple' }, { field: 'spec.PolicyType', type: VX, message: /must be one of/ }],
    ['both configurations', { ...tt({}), StepScalingPolicyConfiguration: { AdjustmentType: 'ChangeInCapacity' } }, { field: 'spec.StepScalingPolicyConfiguration', type: VX }],
    ['non-ECS predefined metric', tt({ PredefinedMetricSpecification: { PredefinedMetricType: 'DynamoDBReadCapacityUtilization' } }), { field: `${TT}.PredefinedMetricSpecification.PredefinedMetricType`, type: VX }],
    ['ALB request count without label', tt({ PredefinedMetricSpecification: { PredefinedMetricType: 'ALBRequestCountPerTarget' } }), { field: `${TT}.PredefinedMetricSpecification.ResourceLabel`, type: VX }],
    ['ALB request count with a bad label', tt({ PredefinedMetricSpecification: { PredefinedMetricType: 'ALBRequestCountPerTarget', ResourceLabel: 'my-tg' } }), { field: `${TT}.PredefinedMetricSpecification.ResourceLabel`, type: VX }],
    ['label with CPU metric', tt({ PredefinedMetricSpecification: { PredefinedMetricType: 'ECSServiceAverageCPUUtilization', ResourceLabel: 'app/a/b/targetgroup/c/d' } }), { field: `${TT}.PredefinedMetricSpecification.ResourceLabel`, type: VX }],
    ['no metric', tt({ PredefinedMetricSpecification: undefined }), { field: TT, type: VX }],
    ['TargetValue missing', { ...target, PolicyType: 'TargetTrackingScaling', TargetTrackingScalingPolicyConfiguration: { PredefinedMetricSpecification: { PredefinedMetricType: 'ECSServiceAverageCPUUtilization' } } }, { field: `${TT}.TargetValue`, type: VX, message: 'Missing required parameter "TargetValue"' }],
    ['TargetValue 0', tt({ TargetValue: 0 }), { field: `${TT}.TargetValue`, type: VX }],
    ['negative cooldown', tt({ ScaleInCooldown: -1 }), { field: `${TT}.ScaleInCooldown`, type: VX }],
    ['step without configuration', { ...target, PolicyType: 'StepScaling' }, { field: 'spec.StepScalingPolicyConfiguration', type: VX }],
    ['step without AdjustmentType', stepsCfg({ AdjustmentType: undefined }, [0, null, 1]), { field: 'spec.StepScalingPolicyConfiguration.AdjustmentType', type: VX }],
    ['no steps', stepsCfg({ StepAdjustments: [] }), { field: SA, type: VX }],
    ['both bounds null', steps([null, null, 1]), { field: `${SA}[0]`, type: VX, message: /both a null lower bound and a null upper bound/ }],
    ['two null lower bounds', steps([null, 0, -1], [null, 10, 1], [10, null, 2]), { field: SA, type: VX, message: 'Only one step adjustment can have a null lower bound.' }],
    ['two null upper bounds', steps([0, null, 1], [10, null, 2]), { field: SA, type: VX, message: 'Only one step adjustment can have a null upper bound.' }],
    ['no null upper bound', steps([0, 10, 1]), { field: SA, type: VX, message: /null upper bound/ }],
    ['no null lower bound below zero', steps([-10, 0, -1]), { field: SA, type: VX, message: /null lower bound/ }],
    ['gap', steps([null, 0, -1], [5, null, 1]), { field: `${SA}[1].MetricIntervalLowerBound`, type: VX, message: /gap between 0 and 5/ }],
    ['overlap', steps([0, 10, 1], [5, null, 2]), { field: `${SA}[1].MetricIntervalLowerBound`, type: VX, message: 'Step adjustments cannot overlap.' }],
    ['lower not below upper', steps([10, 10, 1], [10, null, 2]), { field: `${SA}[0].MetricIntervalUpperBound`, type: VX }],
    ['MinAdjustmentMagnitude with ChangeInCapacity', stepsCfg({ MinAdjustmentMagnitude: 1 }, [0, null, 1]), { field: 'spec.StepScalingPolicyConfiguration.MinAdjustmentMagnitude', type: VX }],
    ['21 steps', steps(...Array.from({ length: 21 }, (_, i): [Bound, Bound, number] => [i, i === 20 ? null : i + 1, i])), { field: SA, type: VX, message: 'must NOT have more than 20 items' }],
    ['ScalingAdjustment missing', { ...target, PolicyType: 'StepScaling', StepScalingPolicyConfiguration: { AdjustmentType: 'ChangeInCapacity', StepAdjustments: [{ MetricIntervalLowerBound: 0 }] } }, { field: `${SA}[0].ScalingAdjustment`, type: VX }],
    ['bad adjustment type', stepsCfg({ AdjustmentType: 'Double' }, [0, null, 1]), { field: 'spec.StepScalingPolicyConfiguration.AdjustmentType', type: VX }],
    ['PolicyName differs', { ...tt({}), PolicyName: 'other' }, { field: 'spec.PolicyName', type: VX }],
  ];
  for (const [name, spec, want] of bad) it(`invalid: ${name}`, () => void expectError(errorsOf('ScalingPolicy', spec, 'p1'), want));
});

const sched = (o: Record<string, unknown> = {}) => ({ ...target, Schedule: 'cron(0 12 * * ? *)', ScalableTargetAction: { MinCapacity: 2, MaxCapacity: 10 }, ...o });

describe('ScheduledAction', () => {
  const good: [string, any][] = [
    ['cron with action', sched()],
    ['at() with only MinCapacity', sched({ Schedule: 'at(2030-01-01T08:00:00)', ScalableTargetAction: { MinCapacity: 1 } })],
    ['rate() with only MaxCapacity', sched({ Schedule: 'rate(5 minutes)', ScalableTargetAction: { MaxCapacity: 4 } })],
    ['time zone and window', sched({ Timezone: 'Europe/Paris', StartTime: '2030-01-01T00:00:00Z', EndTime: '2030-02-01T00:00:00Z' })],
    ['name field equal', sched({ ScheduledActionName: 'nightly' })],
  ];
  for (const [name, spec] of good) it(`valid: ${name}`, () => expectValid('ScheduledAction', spec, 'nightly'));
  const bad: [string, any, Expected][] = [
    ['bad schedule', sched({ Schedule: 'every day' }), { field: 'spec.Schedule', type: VX }],
    ['five-field cron', sched({ Schedule: 'cron(0 12 * * ?)' }), { field: 'spec.Schedule', type: VX, message: /expected 6 fields/ }],
    ['no schedule', sched({ Schedule: undefined }), { field: 'spec.Schedule', type: VX }],
    ['unknown time zone', sched({ Timezone: 'Mars/Olympus' }), { field: 'spec.Timezone', type: VX }],
    ['EndTime before StartTime', sched({ StartTime: '2030-02-01T00:00:00Z', EndTime: '2030-01-01T00:00:00Z' }), { field: 'spec.EndTime', type: VX }],
    ['EndTime equal to StartTime', sched({ StartTime: '2030-02-01T00:00:00Z', EndTime: '2030-02-01T00:00:00Z' }), { field: 'spec.EndTime', type: VX }],
    ['unparsable StartTime', sched({ StartTime: 'tomorrow' }), { field: 'spec.StartTime', type: VX }],
    ['no action', sched({ ScalableTargetAction: undefined }), { field: 'spec.ScalableTargetAction', type: VX }],
    ['empty action', sched({ ScalableTargetAction: {} }), { field: 'spec.ScalableTargetAction', type: VX }],
    ['action min above max', sched({ ScalableTargetAction: { MinCapacity: 5, MaxCapacity: 1 } }), { field: 'spec.ScalableTargetAction.MinCapacity', type: VX }],
    ['another namespace', sched({ ServiceNamespace: 'rds' }), { field: 'spec.ServiceNamespace', type: VX }],
  ];
  for (const [name, spec, want] of bad) it(`invalid: ${name}`, () => void expectError(errorsOf('ScheduledAction', spec, 'nightly'), want));
});

describe('schedule expression syntax', () => {
  const ok = [
    'at(2030-12-31T23:59:59)',
    'rate(1 minute)',
    'rate(5 minutes)',
    'rate(1 hour)',
    'rate(2 days)',
    'cron(0 12 * * ? *)',
    'cron(15 10 ? * 6L 2030-2035)',
    'cron(0/15 * * * ? *)',
    'cron(0 8 1 * ? *)',
    'cron(0 18 ? * MON-FRI *)',
    'cron(0 10 ? * 2#1 *)',
    'cron(0 9 L * ? *)',
    'cron(0 9 15W * ? *)',
    'cron(0,30 8-17 ? JAN,JUL SUN *)',
  ];
  for (const s of ok) it(`accepts ${s}`, () => expect(scheduleSyntaxError(s)).to.equal(undefined));
  const notOk = [
    'at(2030-02-30T00:00:00)',
    'at(2030-01-01 00:00:00)',
    'at(2030-01-01T24:00:00)',
    'rate(0 minutes)',
    'rate(5 weeks)',
    'rate(five minutes)',
    'cron(0 12 * * * *)',
    'cron(0 12 ? * ? *)',
    'cron(60 12 * * ? *)',
    'cron(0 24 * * ? *)',
    'cron(0 12 32 * ? *)',
    'cron(0 12 * 13 ? *)',
    'cron(0 12 ? * 8 *)',
    'cron(0 12 * * ? 1969)',
    'cron(0 12 * FOO ? *)',
    'cron(0 12 * * ? * *)',
    '0 12 * * ? *',
    '',
  ];
  for (const s of notOk) it(`rejects ${JSON.stringify(s)}`, () => expect(scheduleSyntaxError(s)).to.be.a('string'));
});
