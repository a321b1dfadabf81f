/**
 * Alarms. Target tracking creates its own pair (ecs-semantics §7: high 3 × 1 min above target, low
 * 15 × 1 min below 90 % of it). A step scaling policy has no alarm in the AAS API — in AWS a CloudWatch
 * alarm names the policy — so ecsplane takes it from an annotation on the ScalingPolicy
 * (docs/scaling.md "Step scaling alarms"):
 *
 *   sim.ecsplane.io/alarm: 'ECSServiceAverageCPUUtilization > 70 for 3 datapoints'
 *
 * `<metric> <op> <threshold> [for <N> datapoint(s)]`, op one of > >= < <=, N default 1 (CloudWatch's
 * EvaluationPeriods default). Optional `sim.ecsplane.io/alarm-name` names it.
 */
import type { AlarmComparison } from '../scaling-math/index.js';

export const ALARM_ANNOTATION = 'sim.ecsplane.io/alarm';
export const ALARM_NAME_ANNOTATION = 'sim.ecsplane.io/alarm-name';

export const METRICS = ['ECSServiceAverageCPUUtilization', 'ECSServiceAverageMemoryUtilization', 'ALBRequestCountPerTarget'] as const;
export type MetricName = (typeof METRICS)[number];

export interface StepAlarm {
  metric: MetricName;
  comparison: AlarmComparison;
  threshold: number;
  datapoints: number;
}

const OPS: Record<string, AlarmComparison> = {
  '>': 'GreaterThanThreshold',
  '>=': 'GreaterThanOrEqualToThreshold',
  '<': 'LessThanThreshold',
  '<=': 'LessThanOrEqualToThreshold',
};
const ALARM = /^\s*([A-Za-z]+)\s*(>=|<=|>|<)\s*(-?\d+(?:\.\d+)?)\s*(?:for\s+(\d+)\s+datapoints?)?\s*$/i;

/** Parses the annotation; throws an Error whose message says what is wrong. */
export function parseStepAlarm(text: string): StepAlarm {
  const m = ALARM.exec(text);
  if (!m) throw new Error(`cannot parse alarm ${JSON.stringify(text)}: use '<metric> <op> <threshold> [for <N> datapoints]', e.g. 'ECSServiceAverageCPUUtilization > 70 for 3 datapoints'`);
  const metric = METRICS.find((x) => x === m[1]);
  if (!metric) throw new Error(`unknown metric ${m[1]} in alarm: use one of ${METRICS.join(', ')}`);
  const datapoints = m[4] === undefined ? 1 : Number(m[4]);
  if (datapoints < 1 || datapoints > 60) throw new Error(`alarm datapoints must be 1–60, not ${datapoints}`);
  return { metric, comparison: OPS[m[2]], threshold: Number(m[3]), datapoints };
}
