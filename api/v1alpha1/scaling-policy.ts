/**
 * ScalingPolicy (Application Auto Scaling PutScalingPolicy input) rules and defaults (ecs-semantics §7).
 * Errors are ValidationException.
 */
import { EcsError, ErrorType, capValue } from '../errors.js';
import { Issues, arr, checkName, clone, isNum, isObject, isStr, nonEmpty, obj } from './common.js';
import { AAS_NAME, checkScalableTargetRef } from './aas.js';
import { checkMetricQueries } from './metric-alarm.js';
import type { ScalingPolicySpec, StepScalingPolicyConfiguration, TargetTrackingScalingPolicyConfiguration } from './types.js';

export const SCALING_POLICY_NAME = AAS_NAME('PolicyName');

/** Predefined metrics Application Auto Scaling offers for ECS services. */
export const ECS_PREDEFINED_METRICS = new Set([
  'ECSServiceAverageCPUUtilization',
  'ECSServiceAverageMemoryUtilization',
  'ALBRequestCountPerTarget',
]);
const ALB_RESOURCE_LABEL = /^app\/[^/]+\/[^/]+\/targetgroup\/[^/]+\/[^/]+$/;
export const MAX_STEP_ADJUSTMENTS = 20;

/** ecs-semantics §7: cooldowns default to 300 s for ECS. */
export const DEFAULT_COOLDOWN_SECONDS = 300;

const TT = 'spec.TargetTrackingScalingPolicyConfiguration';
const STEP = 'spec.StepScalingPolicyConfiguration';

export function validateScalingPolicy(o: any): EcsError[] {
  const issues = new Issues(ErrorType.Validation);
  checkName(o, SCALING_POLICY_NAME, issues);
  const s = obj(o?.spec);
  checkScalableTargetRef(s, issues);
  const type = s.PolicyType ?? 'StepScaling'; // the AAS default
  if (type === 'TargetTrackingScaling') {
    if (!isObject(s.TargetTrackingScalingPolicyConfiguration)) {
      issues.add(TT, 'TargetTrackingScalingPolicyConfiguration is required for PolicyType TargetTrackingScaling.');
    } else checkTargetTracking(s.TargetTrackingScalingPolicyConfiguration, issues);
    if (s.StepScalingPolicyConfiguration !== undefined) {
      issues.add(STEP, 'StepScalingPolicyConfiguration cannot be used with PolicyType TargetTrackingScaling.');
    }
  } else if (type === 'StepScaling') {
    if (!isObject(s.StepScalingPolicyConfiguration)) {
      issues.add(STEP, 'StepScalingPolicyConfiguration is required for PolicyType StepScaling.');
    } else checkStepScaling(s.StepScalingPolicyConfiguration, issues);
    if (s.TargetTrackingScalingPolicyConfiguration !== undefined) {
      issues.add(TT, 'TargetTrackingScalingPolicyConfiguration cannot be used with PolicyType StepScaling.');
    }
  } else if (isStr(type)) {
    issues.add('spec.PolicyType', `ecsplane supports PolicyType TargetTrackingScaling and StepScaling, not ${capValue(type)}.`);
  }
  return issues.list;
}

function checkTargetTracking(c: Record<string, any>, issues: Issues): void {
  if (isNum(c.TargetValue) && c.TargetValue <= 0) issues.add(`${TT}.TargetValue`, 'TargetValue must be greater than 0.');
  const predefined = c.PredefinedMetricSpecification;
  const customized = c.CustomizedMetricSpecification;
  if ((predefined === undefined) === (customized === undefined)) {
    issues.add(TT, 'Specify exactly one of PredefinedMetricSpecification or CustomizedMetricSpecification.');
  }
  if (isObject(predefined)) {
    const f = `${TT}.PredefinedMetricSpecification`;
    const { PredefinedMetricType: metric, ResourceLabel: label } = predefined;
    if (isStr(metric) && !ECS_PREDEFINED_METRICS.has(metric)) {
      issues.add(`${f}.PredefinedMetricType`, `Predefined metric ${metric} is not supported for ECS services; use ${[...ECS_PREDEFINED_METRICS].join(', ')}.`);
    }
    if (metric === 'ALBRequestCountPerTarget' && !(isStr(label) && ALB_RESOURCE_LABEL.test(label))) {
      issues.add(`${f}.ResourceLabel`, 'ALBRequestCountPerTarget needs a ResourceLabel app/<load-balancer-name>/<id>/targetgroup/<target-group-name>/<id>.');
    }
    if (metric !== 'ALBRequestCountPerTarget' && label !== undefined) {
      issues.add(`${f}.ResourceLabel`, 'ResourceLabel is only valid with ALBRequestCountPerTarget.');
    }
  }
  if (isObject(customized) && customized.Metrics === undefined) {
    for (const k of ['MetricName', 'Namespace', 'Statistic']) {
      if (!nonEmpty(customized[k])) issues.add(`${TT}.CustomizedMetricSpecification.${k}`, `${k} is required unless Metrics is given.`);
    }
  }
  // Metric math (the SQS backlog-per-task recipe): the AAS TargetTrackingMetricDataQuery rules.
  // https://docs.aws.amazon.com/autoscaling/application/APIReference/API_TargetTrackingMetricDataQuery.html
  if (isObject(customized) && customized.Metrics !== undefined) {
    const f = `${TT}.CustomizedMetricSpecification`;
    for (const k of ['MetricName', 'Namespace', 'Statistic', 'Dimensions', 'Unit']) {
      if (customized[k] !== undefined) issues.add(`${f}.${k}`, `${k} cannot be used with Metrics: give the metric inside Metrics[].MetricStat.`);
    }
    const v = ErrorType.Validation;
    checkMetricQueries(arr(customized.Metrics), issues, `${f}.Metrics`, { value: v, combination: v, missing: v });
  }
}

interface Step {
  lower: number | null;
  upper: number | null;
  i: number;
}

/**
 * Step scaling (ecs-semantics §7 and the AAS step scaling rules): no step with both bounds null; at most one
 * null lower and one null upper bound; a negative lower bound needs a step with a null lower bound and a
 * positive upper bound one with a null upper bound (so single-sided policies like AWS's
 * `[{MetricIntervalLowerBound: 0, ScalingAdjustment: 80}]` stay valid); ranges without gaps or overlaps.
 */
function checkStepScaling(c: Record<string, any>, issues: Issues): void {
  if (c.AdjustmentType === undefined) issues.add(`${STEP}.AdjustmentType`, 'AdjustmentType is required for step scaling.');
  if (c.MinAdjustmentMagnitude !== undefined && c.AdjustmentType !== 'PercentChangeInCapacity') {
    issues.add(`${STEP}.MinAdjustmentMagnitude`, 'MinAdjustmentMagnitude is only supported with AdjustmentType PercentChangeInCapacity.');
  }
  const f = `${STEP}.StepAdjustments`;
  const raw = arr(c.StepAdjustments);
  if (raw.length === 0) return issues.add(f, 'At least one step adjustment is required.');
  const bound = (x: unknown) => (isNum(x) ? x : null);
  const steps: Step[] = raw.map((s, i) => ({ lower: bound(obj(s).MetricIntervalLowerBound), upper: bound(obj(s).MetricIntervalUpperBound), i }));
  for (const s of steps) {
    if (s.lower === null && s.upper === null) issues.add(`${f}[${s.i}]`, 'A step adjustment cannot have both a null lower bound and a null upper bound.');
    else if (s.lower !== null && s.upper !== null && s.lower >= s.upper) {
      issues.add(`${f}[${s.i}].MetricIntervalUpperBound`, 'The upper bound must be greater than the lower bound.');
    }
  }
  const nullLower = steps.filter((s) => s.lower === null).length;
  const nullUpper = steps.filter((s) => s.upper === null).length;
  if (nullLower > 1) issues.add(f, 'Only one step adjustment can have a null lower bound.');
  if (nullUpper > 1) issues.add(f, 'Only one step adjustment can have a null upper bound.');
  if (nullLower === 0 && steps.some((s) => s.lower !== null && s.lower < 0)) {
    issues.add(f, 'A step adjustment with a negative lower bound requires a step adjustment with a null lower bound.');
  }
  if (nullUpper === 0 && steps.some((s) => s.upper !== null && s.upper > 0)) {
    issues.add(f, 'A step adjustment with a positive upper bound requires a step adjustment with a null upper bound.');
  }
  const sorted = [...steps].sort((a, b) => (a.lower ?? -Infinity) - (b.lower ?? -Infinity));
  for (let k = 1; k < sorted.length; k++) {
    const prev = sorted[k - 1];
    const next = sorted[k];
    const end = prev.upper ?? Infinity;
    const start = next.lower ?? -Infinity;
    if (end < start) issues.add(`${f}[${next.i}].MetricIntervalLowerBound`, `Step adjustments have a gap between ${end} and ${start}.`);
    if (end > start) issues.add(`${f}[${next.i}].MetricIntervalLowerBound`, 'Step adjustments cannot overlap.');
  }
}

/** The defaulted view (pure): PolicyType StepScaling, cooldowns 300 s, Average aggregation, scale-in enabled. */
export function scalingPolicyWithDefaults(spec: ScalingPolicySpec, meta?: { name?: string }): ScalingPolicySpec {
  const s = clone(spec) ?? ({} as ScalingPolicySpec);
  if (s.PolicyName === undefined && meta?.name) s.PolicyName = meta.name;
  s.PolicyType ??= 'StepScaling';
  const tt: TargetTrackingScalingPolicyConfiguration | undefined = s.TargetTrackingScalingPolicyConfiguration;
  if (isObject(tt)) {
    tt.ScaleOutCooldown ??= DEFAULT_COOLDOWN_SECONDS;
    tt.ScaleInCooldown ??= DEFAULT_COOLDOWN_SECONDS;
    tt.DisableScaleIn ??= false;
  }
  const step: StepScalingPolicyConfiguration | undefined = s.StepScalingPolicyConfiguration;
  if (isObject(step)) {
    step.Cooldown ??= DEFAULT_COOLDOWN_SECONDS;
    step.MetricAggregationType ??= 'Average';
    step.StepAdjustments ??= [];
  }
  return s;
}
