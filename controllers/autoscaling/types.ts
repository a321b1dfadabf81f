/**
 * Status shapes of the Application Auto Scaling kinds (PascalCase where AAS has the field; camelCase for
 * ecsplane's own, matching the Service's `status.desiredCount` that the scheduler reads).
 */
import type { CommonStatus } from '../../api/v1alpha1/status.js';
import type { AlarmComparison, AlarmState } from '../scaling-math/index.js';
import type { Datapoint } from './periods.js';
import type { QuietWindow } from './quiet.js';

/** DescribeScalingActivities StatusCode (ecs-semantics §7). */
export type ActivityStatusCode = 'Pending' | 'InProgress' | 'Successful' | 'Overridden' | 'Unfulfilled' | 'Failed';

export interface ScalingActivity {
  ActivityId: string;
  ServiceNamespace: string;
  ResourceId: string;
  ScalableDimension: string;
  Description: string;
  Cause: string;
  StartTime: string;
  EndTime?: string;
  StatusCode: ActivityStatusCode;
  StatusMessage?: string;
  /** ecsplane: the desired count this activity set (absent for min/max changes). */
  DesiredCount?: number;
}

export interface ScalableTargetStatus extends CommonStatus {
  /** The desired count the service scheduler uses (targets.ts effectiveDesiredCount). */
  desiredCount?: number;
  /** The service's spec.desiredCount when desiredCount was written: a user change of it wins. */
  specDesiredCount?: number;
  /** Effective bounds: spec's, until a scheduled action changes them (reset by a spec change). */
  MinCapacity?: number;
  MaxCapacity?: number;
  specMinCapacity?: number;
  specMaxCapacity?: number;
  /** One-minute datapoints per metric the target's policies use, oldest first. */
  metrics?: Record<string, Datapoint[]>;
  /** Quiet periods (quiet.ts): their datapoint value and the first period that is not quiet. */
  quiet?: QuietWindow;
  /** The last dynamic scaling in each direction (cooldowns). */
  cooldown?: { lastScaleOutAt?: string; lastScaleOutCapacity?: number; lastScaleOutFrom?: number; lastScaleInAt?: string };
  /** DescribeScalingActivities: newest first, at most 50. */
  ScalingActivities?: ScalingActivity[];
  activitySeq?: number;
}

export interface AlarmStatus {
  AlarmName: string;
  MetricName: string;
  ComparisonOperator: AlarmComparison;
  Threshold: number;
  EvaluationPeriods: number;
  StateValue: AlarmState;
}

export interface ScalingPolicyStatus extends CommonStatus {
  PolicyARN?: string;
  Alarms?: AlarmStatus[];
  /** The capacity it asked for at the last evaluation (null: no opinion), and why it was held back. */
  lastProposal?: number | null;
  lastNote?: string;
}

export interface ScheduledActionStatus extends CommonStatus {
  ScheduledActionARN?: string;
  /** The next occurrence, if any. */
  nextFireTime?: string;
  /** The last occurrence handled (applied, or skipped while ScheduledScalingSuspended). */
  lastFireTime?: string;
}
