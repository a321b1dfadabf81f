/**
 * Consecutive task failures of a deployment, derived from its tasks (so it survives restarts):
 * failures are tasks that failed to start (stage 1) or were stopped for failed health checks
 * (stage 2); a task that became healthy is a success and resets the count
 * (ecs-semantics §4 Circuit breaker). The same count drives failing-to-start throttling.
 */
import { StopCode } from '../task/lifecycle.js';

export const HEALTH_CHECK_FAILURE = 'Task failed container health checks';
export const ELB_HEALTH_CHECK_FAILURE_PREFIX = 'Task failed ELB health checks';

export interface TaskOutcome {
  /** Epoch ms the task reached RUNNING (and was healthy) — a success. */
  succeededAt?: number;
  /** Epoch ms the task was stopped for a failure. */
  failedAt?: number;
  /** It never reached RUNNING. */
  failedToStart?: boolean;
}

export interface FailureCount {
  consecutive: number;
  /** Of which tasks that never reached RUNNING. */
  consecutiveStartFailures: number;
  lastFailureAt?: number;
}

export function isFailureStop(stopCode: string | undefined, reason: string | undefined): boolean {
  return (
    stopCode === StopCode.TaskFailedToStart ||
    reason === HEALTH_CHECK_FAILURE ||
    Boolean(reason?.startsWith(ELB_HEALTH_CHECK_FAILURE_PREFIX))
  );
}

export function countFailures(outcomes: TaskOutcome[]): FailureCount {
  const events: Array<{ t: number; ok: boolean; start: boolean }> = [];
  for (const o of outcomes) {
    if (o.succeededAt !== undefined) events.push({ t: o.succeededAt, ok: true, start: false });
    if (o.failedAt !== undefined) events.push({ t: o.failedAt, ok: false, start: Boolean(o.failedToStart) });
  }
  events.sort((a, b) => a.t - b.t || Number(a.ok) - Number(b.ok));
  let consecutive = 0;
  let consecutiveStartFailures = 0;
  let lastFailureAt: number | undefined;
  for (const e of events) {
    if (e.ok) {
      consecutive = 0;
      consecutiveStartFailures = 0;
    } else {
      consecutive++;
      if (e.start) consecutiveStartFailures++;
      lastFailureAt = e.t;
    }
  }
  return { consecutive, consecutiveStartFailures, lastFailureAt };
}

/** `clamp(ceil(0.5 × D), 3, 200)` (ecs-semantics §4). */
export function circuitBreakerThreshold(desiredCount: number): number {
  return Math.min(200, Math.max(3, Math.ceil(0.5 * desiredCount)));
}

/**
 * Failing-to-start throttling (ecs-semantics §4; our choice, see docs/scheduler.md): after 3
 * consecutive start failures, launches wait 10 s × 2^(n−3), capped at 15 min, from the last failure.
 */
export const THROTTLE_AFTER = 3;
export const THROTTLE_BASE_MS = 10_000;
export const THROTTLE_MAX_MS = 15 * 60_000;

export function launchNotBefore(f: FailureCount): number | undefined {
  if (f.consecutiveStartFailures < THROTTLE_AFTER || f.lastFailureAt === undefined) return undefined;
  const delay = Math.min(THROTTLE_MAX_MS, THROTTLE_BASE_MS * 2 ** (f.consecutiveStartFailures - THROTTLE_AFTER));
  return f.lastFailureAt + delay;
}
