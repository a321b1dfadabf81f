/**
 * Application Auto Scaling step scaling (ecs-semantics §7). Pure.
 * Rules chosen for unverified points are in docs/scaling.md ("Step scaling").
 */
import { clampCapacity } from './common.js';

export { clampCapacity } from './common.js';

export interface StepAdjustment {
  /** Offset from the alarm threshold; null/undefined = −∞. */
  MetricIntervalLowerBound?: number | null;
  /** Offset from the alarm threshold; null/undefined = +∞. */
  MetricIntervalUpperBound?: number | null;
  ScalingAdjustment: number;
}

export type AdjustmentType = 'ChangeInCapacity' | 'PercentChangeInCapacity' | 'ExactCapacity';
export type MetricAggregationType = 'Average' | 'Minimum' | 'Maximum';

function inAbove(step: StepAdjustment, diff: number): boolean {
  const lo = step.MetricIntervalLowerBound ?? -Infinity;
  const hi = step.MetricIntervalUpperBound ?? Infinity;
  return lo <= diff && diff < hi;
}

function inBelow(step: StepAdjustment, diff: number): boolean {
  const lo = step.MetricIntervalLowerBound ?? -Infinity;
  const hi = step.MetricIntervalUpperBound ?? Infinity;
  return lo < diff && diff <= hi;
}

/**
 * The step whose interval contains metricValue − threshold, or undefined. Above the threshold an interval
 * is [lower, upper); below it (lower, upper]. Exactly at the threshold (difference 0) the above-threshold
 * rule is tried first, then the below-threshold one, so `lower = 0` steps (scale-out policies) and
 * `upper = 0` steps (scale-in policies) both match their own alarm's boundary value.
 */
export function selectStep<S extends StepAdjustment>(
  steps: readonly S[],
  metricValue: number,
  threshold: number,
): S | undefined {
  const diff = metricValue - threshold;
  if (diff > 0) return steps.find((s) => inAbove(s, diff));
  if (diff < 0) return steps.find((s) => inBelow(s, diff));
  return steps.find((s) => inAbove(s, diff)) ?? steps.find((s) => inBelow(s, diff));
}

/**
 * Rounds a PercentChangeInCapacity result: > 1 ⇒ floor; (0, 1] ⇒ 1; [−1, 0) ⇒ −1; < −1 ⇒ ceil; 0 ⇒ 0.
 */
export function roundPercentChange(raw: number): number {
  if (raw > 1) return Math.floor(raw);
  if (raw > 0) return 1;
  if (raw === 0) return 0;
  if (raw >= -1) return -1;
  return Math.ceil(raw);
}

/**
 * The new capacity (not yet clamped — use {@link clampCapacity} with the target's min/max):
 * - ChangeInCapacity: current + adjustment;
 * - ExactCapacity: adjustment;
 * - PercentChangeInCapacity: current + roundPercentChange(current × adjustment / 100), where the change
 *   is raised to ±MinAdjustmentMagnitude when smaller in magnitude (percent adjustments only).
 * Examples: 10 tasks +10% ⇒ 11; 11 tasks +30% ⇒ 3.3 ⇒ 3 ⇒ 14.
 */
export function applyAdjustment(
  current: number,
  type: AdjustmentType,
  adjustment: number,
  minAdjustmentMagnitude?: number,
): number {
  switch (type) {
    case 'ChangeInCapacity':
      return current + adjustment;
    case 'ExactCapacity':
      return adjustment;
    case 'PercentChangeInCapacity': {
      let change = roundPercentChange((current * adjustment) / 100);
      if (minAdjustmentMagnitude !== undefined && change !== 0 && Math.abs(change) < minAdjustmentMagnitude) {
        change = Math.sign(change) * minAdjustmentMagnitude;
      }
      return current + change;
    }
  }
}

/** applyAdjustment followed by the clamp into [min, max]. */
export function adjustedCapacity(
  current: number,
  type: AdjustmentType,
  adjustment: number,
  bounds: { min: number; max: number },
  minAdjustmentMagnitude?: number,
): number {
  return clampCapacity(applyAdjustment(current, type, adjustment, minAdjustmentMagnitude), bounds.min, bounds.max);
}

/** MetricAggregationType over one period's values; undefined for no values. */
export function aggregate(values: readonly number[], type: MetricAggregationType = 'Average'): number | undefined {
  if (values.length === 0) return undefined;
  switch (type) {
    case 'Average':
      return values.reduce((a, b) => a + b, 0) / values.length;
    case 'Minimum':
      return values.reduce((a, b) => Math.min(a, b));
    case 'Maximum':
      return values.reduce((a, b) => Math.max(a, b));
  }
}
