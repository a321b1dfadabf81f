/**
 * Application Auto Scaling target tracking for ECS services (ecs-semantics §7). Pure; time is epoch ms.
 * The model is unverified; the rules chosen are in docs/scaling.md ("Target tracking").
 */
import { ceilTolerant, clampCapacity, floorTolerant } from './common.js';

/** ScaleOutCooldown / ScaleInCooldown default for ECS, seconds. */
export const DEFAULT_COOLDOWN_SECONDS = 300;
/** High alarm: this many consecutive one-minute datapoints above the target. */
export const HIGH_ALARM_DATAPOINTS = 3;
/** Low alarm: this many consecutive one-minute datapoints below LOW_ALARM_RATIO × target. */
export const LOW_ALARM_DATAPOINTS = 15;
/** Scale-in only happens when the metric is below this fraction of the target. */
export const LOW_ALARM_RATIO = 0.9;
/** Gradual scale-in: at most max(1, floor(current × SCALE_IN_MAX_FRACTION)) tasks per step. */
export const SCALE_IN_MAX_FRACTION = 0.1;

export interface TargetTrackingInput {
  /** Current capacity (desiredCount). */
  current: number;
  /** The metric value (e.g. average CPU %). */
  metric: number;
  /** TargetValue. */
  target: number;
  min: number;
  max: number;
  disableScaleIn?: boolean;
}

/**
 * The capacity target tracking proposes (docs/scaling.md "Target tracking"):
 * - metric > target: max(current, ceil(current × metric / target)) — proportional and immediate;
 * - metric < 90% of target (and scale-in enabled):
 *   max(ceil(current × metric / target), current − max(1, floor(current / 10)));
 * - otherwise current;
 * always clamped to [min, max]. current 0 stays 0 (a service without tasks has no metric).
 */
export function targetTrackingDesired(input: TargetTrackingInput): number {
  const { current, metric, target, min, max, disableScaleIn = false } = input;
  let desired = current;
  if (current > 0 && target > 0) {
    const proportional = ceilTolerant((current * metric) / target);
    if (metric > target) {
      desired = Math.max(current, proportional);
    } else if (!disableScaleIn && metric < LOW_ALARM_RATIO * target) {
      const gradualFloor = current - Math.max(1, floorTolerant(current * SCALE_IN_MAX_FRACTION));
      desired = Math.min(current, Math.max(proportional, gradualFloor));
    }
  }
  return clampCapacity(desired, min, max);
}

export type AlarmComparison =
  | 'GreaterThanThreshold'
  | 'GreaterThanOrEqualToThreshold'
  | 'LessThanThreshold'
  | 'LessThanOrEqualToThreshold';

export type AlarmState = 'OK' | 'ALARM' | 'INSUFFICIENT_DATA';

function breaches(value: number | null | undefined, threshold: number, comparison: AlarmComparison): boolean {
  if (value === null || value === undefined || Number.isNaN(value)) return false;
  switch (comparison) {
    case 'GreaterThanThreshold':
      return value > threshold;
    case 'GreaterThanOrEqualToThreshold':
      return value >= threshold;
    case 'LessThanThreshold':
      return value < threshold;
    case 'LessThanOrEqualToThreshold':
      return value <= threshold;
  }
}

/**
 * A CloudWatch-style alarm over one-minute datapoints (oldest first): ALARM when the last
 * `evaluationPeriods` datapoints all breach; INSUFFICIENT_DATA when there are fewer datapoints than
 * that; OK otherwise. A missing datapoint (null/undefined/NaN) does not breach, so it breaks the streak.
 */
export function evaluateAlarm(
  datapoints: readonly (number | null | undefined)[],
  threshold: number,
  comparison: AlarmComparison,
  evaluationPeriods: number,
): AlarmState {
  if (datapoints.length < evaluationPeriods) return 'INSUFFICIENT_DATA';
  for (let i = datapoints.length - evaluationPeriods; i < datapoints.length; i++) {
    if (!breaches(datapoints[i], threshold, comparison)) return 'OK';
  }
  return 'ALARM';
}

/** Trailing consecutive datapoints that breach (e.g. `lowDatapoints` for managed scaling). */
export function consecutiveBreaching(
  datapoints: readonly (number | null | undefined)[],
  threshold: number,
  comparison: AlarmComparison,
): number {
  let n = 0;
  for (let i = datapoints.length - 1; i >= 0 && breaches(datapoints[i], threshold, comparison); i--) n++;
  return n;
}

export interface TargetTrackingEvaluation {
  highAlarm: AlarmState;
  lowAlarm: AlarmState;
  /** The proposed capacity, or null when neither alarm is in ALARM (the policy has no opinion). */
  proposed: number | null;
}

/**
 * Both alarms of one target tracking policy plus its proposal: the high alarm (3 × 1 min above target)
 * proposes targetTrackingDesired with the latest datapoint; the low alarm (15 × 1 min below 90% of target)
 * does the same unless DisableScaleIn (then no low alarm is evaluated, as AAS creates none).
 */
export function evaluateTargetTracking(input: {
  current: number;
  datapoints: readonly (number | null | undefined)[];
  target: number;
  min: number;
  max: number;
  disableScaleIn?: boolean;
}): TargetTrackingEvaluation {
  const { current, datapoints, target, min, max, disableScaleIn = false } = input;
  const highAlarm = evaluateAlarm(datapoints, target, 'GreaterThanThreshold', HIGH_ALARM_DATAPOINTS);
  const lowAlarm = disableScaleIn
    ? 'OK'
    : evaluateAlarm(datapoints, LOW_ALARM_RATIO * target, 'LessThanThreshold', LOW_ALARM_DATAPOINTS);
  const latest = datapoints[datapoints.length - 1];
  let proposed: number | null = null;
  if ((highAlarm === 'ALARM' || lowAlarm === 'ALARM') && typeof latest === 'number') {
    proposed = targetTrackingDesired({ current, metric: latest, target, min, max, disableScaleIn });
  }
  return { highAlarm, lowAlarm, proposed };
}

export interface CooldownInput {
  /** Epoch ms. */
  now: number;
  /** When the last scale-out activity started (epoch ms), if any. */
  lastScaleOutAt?: number;
  /** When the last scale-in activity started (epoch ms), if any. */
  lastScaleInAt?: number;
  /** The capacity the last scale-out set. */
  lastScaleOutTarget?: number;
  current: number;
  proposed: number;
  /** Default 300. */
  scaleOutCooldownS?: number;
  /** Default 300. */
  scaleInCooldownS?: number;
}

export type CooldownReason =
  | 'no-change'
  | 'scale-out'
  | 'scale-out-cooldown'
  | 'scale-in'
  | 'scale-in-cooldown';

export interface CooldownDecision {
  /** The capacity to set: `proposed` when allowed, else `current`. */
  desired: number;
  allowed: boolean;
  reason: CooldownReason;
}

/**
 * Cooldowns (docs/scaling.md "Cooldowns"):
 * - scale-out within ScaleOutCooldown of the last scale-out proceeds only if it is larger than that
 *   scale-out's target (proposed > lastScaleOutTarget); the scale-in cooldown never blocks a scale-out;
 * - scale-in within ScaleInCooldown of the last scale-in is blocked, unless a scale-out happened after that
 *   scale-in (a scale-out cancels the scale-in cooldown). The scale-out cooldown does not block scale-in.
 * A cooldown window is [start, start + cooldown): at exactly start + cooldown it has expired.
 */
export function applyCooldowns(input: CooldownInput): CooldownDecision {
  const { now, lastScaleOutAt, lastScaleInAt, lastScaleOutTarget, current, proposed } = input;
  const outMs = (input.scaleOutCooldownS ?? DEFAULT_COOLDOWN_SECONDS) * 1000;
  const inMs = (input.scaleInCooldownS ?? DEFAULT_COOLDOWN_SECONDS) * 1000;

  if (proposed === current) return { desired: current, allowed: true, reason: 'no-change' };
  if (proposed > current) {
    const inCooldown = lastScaleOutAt !== undefined && now < lastScaleOutAt + outMs;
    if (inCooldown && lastScaleOutTarget !== undefined && proposed <= lastScaleOutTarget) {
      return { desired: current, allowed: false, reason: 'scale-out-cooldown' };
    }
    return { desired: proposed, allowed: true, reason: 'scale-out' };
  }
  const cancelledByScaleOut = lastScaleInAt !== undefined && lastScaleOutAt !== undefined && lastScaleOutAt >= lastScaleInAt;
  if (lastScaleInAt !== undefined && !cancelledByScaleOut && now < lastScaleInAt + inMs) {
    return { desired: current, allowed: false, reason: 'scale-in-cooldown' };
  }
  return { desired: proposed, allowed: true, reason: 'scale-in' };
}

/**
 * Several policies on one scalable target (docs/scaling.md "Several policies"): any one may scale out,
 * all must agree to scale in, the largest capacity wins.
 * `proposals[i]` is policy i's proposed capacity, or null when it proposes nothing (no alarm): a null
 * blocks scale-in. Leave out policies with DisableScaleIn unless they propose a scale-out — they do not
 * take part in the scale-in vote.
 * - some proposal > current ⇒ the largest proposal;
 * - every proposal non-null and < current ⇒ the largest proposal (the smallest scale-in);
 * - otherwise current.
 */
export function combinePolicyProposals(current: number, proposals: readonly (number | null)[]): number {
  const values = proposals.filter((p): p is number => p !== null);
  if (values.length === 0) return current;
  const largest = Math.max(...values);
  if (largest > current) return largest;
  if (values.length === proposals.length && largest < current) return largest;
  return current;
}
