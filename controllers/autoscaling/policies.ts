/**
 * Scaling policies evaluated at one datapoint (ecs-semantics §7), pure. Each policy yields a verdict —
 * the capacity it asks for after suspensions, the no-scale-in-during-deployments rule and its cooldowns
 * — and `combineVerdicts` merges them (docs/scaling.md "Several policies").
 */
import type { ScalingPolicySpec } from '../../api/v1alpha1/types.js';
import {
  adjustedCapacity,
  aggregate,
  applyCooldowns,
  combinePolicyProposals,
  evaluateAlarm,
  evaluateTargetTracking,
  HIGH_ALARM_DATAPOINTS,
  LOW_ALARM_DATAPOINTS,
  LOW_ALARM_RATIO,
  selectStep,
  targetTrackingDesired,
} from '../scaling-math/index.js';
import type { StepAlarm } from './alarms.js';
import type { AlarmStatus } from './types.js';
import type { AlarmComparison } from '../scaling-math/index.js';

export interface PolicyContext {
  now: number;
  current: number;
  min: number;
  max: number;
  suspendedIn: boolean;
  suspendedOut: boolean;
  /** An ECS deployment is in progress: no scale-in, scale-out continues. */
  deploying: boolean;
  lastScaleOutAt?: number;
  lastScaleOutCapacity?: number;
  /** The capacity before the last scale-out (the base a scale-out during its cooldown is computed from). */
  lastScaleOutFrom?: number;
  lastScaleInAt?: number;
  /** One-minute datapoints of a metric, oldest first. */
  series(metric: string): readonly (number | null)[];
}

/** A CloudWatch MetricAlarm whose AlarmActions name this (step scaling) policy. */
export interface LinkedAlarm {
  name: string;
  state: 'OK' | 'ALARM' | 'INSUFFICIENT_DATA';
  actionsEnabled: boolean;
  threshold: number;
  comparison: AlarmComparison;
  evaluationPeriods: number;
  metricName: string;
  /** The alarm's newest datapoint (the step is chosen by its distance from the threshold). */
  value: number | null;
}

export interface PolicyInput {
  name: string;
  /** The defaulted spec. */
  spec: ScalingPolicySpec;
  /** TargetTracking alarm names are derived from it. */
  alarmSuffix: string;
  /** Step scaling: the parsed alarm, or the reason it is missing or invalid. */
  stepAlarm?: StepAlarm | { error: string };
  stepAlarmName?: string;
  /** Step scaling: MetricAlarm objects naming this policy in AlarmActions (they win over the annotation). */
  linkedAlarms?: LinkedAlarm[];
  /** Why the policy's metric cannot be simulated (a CustomizedMetricSpecification ecsplane cannot answer). */
  metricError?: string;
}

/** The series a policy reads: a predefined metric type, `custom:<policy>` or the alarm's metric. */
export function policyMetricKey(p: PolicyInput): string | undefined {
  if (p.spec.PolicyType === 'TargetTrackingScaling') {
    const cfg = p.spec.TargetTrackingScalingPolicyConfiguration;
    if (cfg?.CustomizedMetricSpecification) return `custom:${p.name}`;
    return cfg?.PredefinedMetricSpecification?.PredefinedMetricType;
  }
  if (p.linkedAlarms?.length) return `alarm:${p.name}`;
  return p.stepAlarm && 'metric' in p.stepAlarm ? p.stepAlarm.metric : undefined;
}

export interface PolicyVerdict {
  name: string;
  type: 'TargetTrackingScaling' | 'StepScaling';
  alarms: AlarmStatus[];
  /** The capacity asked for (after gates and cooldowns); null: no opinion. */
  proposal: number | null;
  /** Why the alarm's capacity was held back (suspended, deployment, cooldown, …). */
  note?: string;
  /** The alarm in ALARM that produced the proposal (for the activity's Cause). */
  alarm?: string;
  /** A scale-out: the capacity it was computed from (see scaleOutBase). */
  from?: number;
  /** Target tracking: takes part in the scale-in vote (DisableScaleIn policies only when scaling out). */
  votes: boolean;
  error?: string;
}

/** Suspensions, the deployment rule and cooldowns applied to a raw proposal. */
function gate(raw: number, ctx: PolicyContext, outCooldownS: number, inCooldownS: number): { proposal: number | null; note?: string } {
  const { current } = ctx;
  if (raw > current && ctx.suspendedOut) return { proposal: null, note: 'DynamicScalingOutSuspended' };
  if (raw < current && ctx.suspendedIn) return { proposal: current, note: 'DynamicScalingInSuspended' };
  if (raw < current && ctx.deploying) return { proposal: current, note: 'scale-in paused: ECS deployment in progress' };
  const d = applyCooldowns({
    now: ctx.now,
    lastScaleOutAt: ctx.lastScaleOutAt,
    lastScaleInAt: ctx.lastScaleInAt,
    lastScaleOutTarget: ctx.lastScaleOutCapacity,
    current,
    proposed: raw,
    scaleOutCooldownS: outCooldownS,
    scaleInCooldownS: inCooldownS,
  });
  return d.allowed ? { proposal: d.desired } : { proposal: current, note: d.reason };
}

/**
 * The capacity a scale-out is computed from: during the scale-out cooldown, the capacity before the
 * scale-out that started it — AAS counts "the capacity added by the initiating scale-out activity as part
 * of the desired capacity for the next scale-out" (an alarm asking +3 after a +2 adds 1). Otherwise the
 * current capacity. This keeps a lagging metric (new tasks not running yet) from compounding scale-outs.
 */
export function scaleOutBase(ctx: PolicyContext, outCooldownS: number): number {
  const inCooldown = ctx.lastScaleOutAt !== undefined && ctx.now < ctx.lastScaleOutAt + outCooldownS * 1000;
  return inCooldown && ctx.lastScaleOutFrom !== undefined ? Math.min(ctx.lastScaleOutFrom, ctx.current) : ctx.current;
}

/** A scale-out the cooldown's base absorbed (the capacity already added covers it). */
function absorbed(raw: number, unbased: number, ctx: PolicyContext): { proposal: number; note: string } | undefined {
  return unbased > ctx.current && raw <= ctx.current ? { proposal: ctx.current, note: 'scale-out-cooldown' } : undefined;
}

export function evaluateTargetTrackingPolicy(p: PolicyInput, ctx: PolicyContext): PolicyVerdict {
  const cfg = p.spec.TargetTrackingScalingPolicyConfiguration!;
  const metric = policyMetricKey(p);
  const disableScaleIn = cfg.DisableScaleIn ?? false;
  const base = { name: p.name, type: 'TargetTrackingScaling' as const, alarms: [] as AlarmStatus[] };
  if (!metric) return { ...base, proposal: null, votes: false, error: 'no metric: give PredefinedMetricSpecification or CustomizedMetricSpecification' };
  const shownMetric = metric.startsWith('custom:') ? (cfg.CustomizedMetricSpecification?.MetricName ?? 'MetricMath') : metric;
  const ev = evaluateTargetTracking({ current: ctx.current, datapoints: ctx.series(metric), target: cfg.TargetValue, min: ctx.min, max: ctx.max, disableScaleIn });
  const prefix = `TargetTracking-${p.spec.ResourceId}`;
  const high = `${prefix}-AlarmHigh-${p.alarmSuffix}`;
  const low = `${prefix}-AlarmLow-${p.alarmSuffix}`;
  const alarms: AlarmStatus[] = [
    { AlarmName: high, MetricName: shownMetric, ComparisonOperator: 'GreaterThanThreshold', Threshold: cfg.TargetValue, EvaluationPeriods: HIGH_ALARM_DATAPOINTS, StateValue: ev.highAlarm },
  ];
  if (!disableScaleIn) {
    alarms.push({ AlarmName: low, MetricName: shownMetric, ComparisonOperator: 'LessThanThreshold', Threshold: LOW_ALARM_RATIO * cfg.TargetValue, EvaluationPeriods: LOW_ALARM_DATAPOINTS, StateValue: ev.lowAlarm });
  }
  if (ev.proposed === null) return { ...base, alarms, proposal: null, votes: !disableScaleIn };
  const outCooldown = cfg.ScaleOutCooldown ?? 300;
  let raw = ev.proposed;
  const from = raw > ctx.current ? scaleOutBase(ctx, outCooldown) : ctx.current;
  if (from !== ctx.current) {
    raw = targetTrackingDesired({ current: from, metric: ctx.series(metric).at(-1) as number, target: cfg.TargetValue, min: ctx.min, max: ctx.max, disableScaleIn });
  }
  const g = absorbed(raw, ev.proposed, ctx) ?? gate(raw, ctx, outCooldown, cfg.ScaleInCooldown ?? 300);
  const alarm = ev.highAlarm === 'ALARM' ? high : low;
  const votes = !disableScaleIn || (g.proposal !== null && g.proposal > ctx.current);
  return { ...base, alarms, proposal: g.proposal, note: g.note, alarm, votes, ...(raw > ctx.current ? { from } : {}) };
}

export function evaluateStepPolicy(p: PolicyInput, ctx: PolicyContext): PolicyVerdict {
  const cfg = p.spec.StepScalingPolicyConfiguration!;
  const base = { name: p.name, type: 'StepScaling' as const, alarms: [] as AlarmStatus[], votes: false };
  if (p.linkedAlarms?.length) return evaluateLinkedStepPolicy(p, p.linkedAlarms, ctx);
  if (!p.stepAlarm || 'error' in p.stepAlarm) return { ...base, proposal: null, error: p.stepAlarm?.error ?? 'no alarm' };
  const a = p.stepAlarm;
  const vals = ctx.series(a.metric);
  const state = evaluateAlarm(vals, a.threshold, a.comparison, a.datapoints);
  const alarmName = p.stepAlarmName ?? `${p.name}-alarm`;
  const alarms: AlarmStatus[] = [
    { AlarmName: alarmName, MetricName: a.metric, ComparisonOperator: a.comparison, Threshold: a.threshold, EvaluationPeriods: a.datapoints, StateValue: state },
  ];
  if (state !== 'ALARM') return { ...base, alarms, proposal: null };
  // The step is chosen by the aggregate (MetricAggregationType) of the datapoints that breached.
  const breached = vals.slice(-a.datapoints).filter((v): v is number => v !== null);
  const value = aggregate(breached, cfg.MetricAggregationType ?? 'Average')!;
  return applyStep(p, ctx, base, alarms, alarmName, value, a.threshold);
}

/**
 * Step scaling invoked by CloudWatch MetricAlarms (AlarmActions = the policy ARN): while one is in ALARM
 * with actions enabled, the policy runs once per minute (subject to its cooldown), choosing the step by the
 * alarm's newest datapoint relative to the alarm's threshold.
 * https://docs.aws.amazon.com/autoscaling/application/userguide/application-auto-scaling-step-scaling-policies.html
 */
function evaluateLinkedStepPolicy(p: PolicyInput, linked: readonly LinkedAlarm[], ctx: PolicyContext): PolicyVerdict {
  const base = { name: p.name, type: 'StepScaling' as const, alarms: [] as AlarmStatus[], votes: false };
  const alarms: AlarmStatus[] = linked.map((a) => ({ AlarmName: a.name, MetricName: a.metricName, ComparisonOperator: a.comparison, Threshold: a.threshold, EvaluationPeriods: a.evaluationPeriods, StateValue: a.state }));
  const firing = linked.find((a) => a.state === 'ALARM' && a.actionsEnabled);
  if (!firing) return { ...base, alarms, proposal: null };
  return applyStep(p, ctx, base, alarms, firing.name, firing.value ?? firing.threshold, firing.threshold);
}

function applyStep(p: PolicyInput, ctx: PolicyContext, base: { name: string; type: 'StepScaling'; votes: boolean }, alarms: AlarmStatus[], alarmName: string, value: number, threshold: number): PolicyVerdict {
  const cfg = p.spec.StepScalingPolicyConfiguration!;
  const step = selectStep(cfg.StepAdjustments ?? [], value, threshold);
  if (!step) return { ...base, alarms, proposal: null, note: `no step adjustment covers ${value} (threshold ${threshold})` };
  const cooldown = cfg.Cooldown ?? 300;
  const adjust = (from: number) => adjustedCapacity(from, cfg.AdjustmentType ?? 'ChangeInCapacity', step.ScalingAdjustment, { min: ctx.min, max: ctx.max }, cfg.MinAdjustmentMagnitude);
  const first = adjust(ctx.current);
  const from = first > ctx.current ? scaleOutBase(ctx, cooldown) : ctx.current;
  const raw = from !== ctx.current ? adjust(from) : first;
  const g = absorbed(raw, first, ctx) ?? gate(raw, ctx, cooldown, cooldown);
  return { ...base, alarms, proposal: g.proposal, note: g.note, alarm: alarmName, ...(raw > ctx.current ? { from } : {}) };
}

/**
 * Merge the verdicts (docs/scaling.md "Several policies"): target tracking policies combine as AAS
 * does (any may scale out, all voting ones must agree to scale in); then the largest capacity asked for
 * by any policy wins, and a scale-in happens only when no policy asks for more than the current count.
 */
export function combineVerdicts(current: number, verdicts: readonly PolicyVerdict[]): { desired: number; winner?: PolicyVerdict } {
  const tt = verdicts.filter((v) => v.type === 'TargetTrackingScaling' && !v.error && v.votes);
  const candidates: Array<{ value: number; v: PolicyVerdict }> = [];
  if (tt.length) {
    const value = combinePolicyProposals(current, tt.map((v) => v.proposal));
    const v = tt.find((x) => x.proposal === value);
    if (value !== current && v) candidates.push({ value, v });
  }
  for (const v of verdicts) if (v.type === 'StepScaling' && v.proposal !== null && v.proposal !== current) candidates.push({ value: v.proposal, v });
  if (candidates.length === 0) return { desired: current };
  const best = candidates.reduce((a, b) => (b.value > a.value ? b : a));
  return { desired: best.value, winner: best.v };
}
