/**
 * Consecutive task failures of a deployment (ecs-semantics §4 Circuit breaker): failures are tasks
 * that failed to start (stage 1) or were stopped for failed health checks (stage 2); a task that
 * became healthy is a success and resets the count. The same count drives failing-to-start
 * throttling. The tally belongs to the deployment and is kept in the service's status
 * (`tallyFailures`), not rebuilt from the tasks: stopped tasks are removed after an hour, and a
 * deployment throttled over more than an hour must still reach its threshold.
 * https://docs.aws.amazon.com/AmazonECS/latest/developerguide/deployment-circuit-breaker.html
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

/** A deployment's failure tally as kept in the service's status (`status.scheduler.breaker[id]`). */
export interface FailureTally {
  consecutive: number;
  consecutiveStartFailures: number;
  lastFailureAt?: number;
  /** Tasks whose failure is counted (only ids still in the store are kept: bounded). */
  failed: string[];
  /** Tasks whose success (healthy) is counted. */
  succeeded: string[];
}

export interface ObservedTask extends TaskOutcome {
  id: string;
}

export const EMPTY_TALLY: FailureTally = { consecutive: 0, consecutiveStartFailures: 0, failed: [], succeeded: [] };

/**
 * Add the outcomes not yet counted to the tally, in time order. `observed`: the deployment's tasks
 * still in the store; ids of tasks gone are dropped from the tally's lists (they cannot come back),
 * while the counts stay. `resetOnHealthyTask` (default true) as in ECS's DeploymentCircuitBreaker.
 */
export function tallyFailures(prev: FailureTally | undefined, observed: ObservedTask[], resetOnHealthyTask = true): FailureTally {
  const t = prev ?? EMPTY_TALLY;
  const present = new Set(observed.map((o) => o.id));
  const failed = new Set(t.failed.filter((id) => present.has(id)));
  const succeeded = new Set(t.succeeded.filter((id) => present.has(id)));
  const fresh: Array<{ at: number; ok: boolean; start: boolean; id: string }> = [];
  for (const o of observed) {
    if (o.succeededAt !== undefined && !succeeded.has(o.id)) fresh.push({ at: o.succeededAt, ok: true, start: false, id: o.id });
    if (o.failedAt !== undefined && !failed.has(o.id)) fresh.push({ at: o.failedAt, ok: false, start: Boolean(o.failedToStart), id: o.id });
  }
  fresh.sort((a, b) => a.at - b.at || Number(a.ok) - Number(b.ok) || (a.id < b.id ? -1 : 1));
  let { consecutive, consecutiveStartFailures, lastFailureAt } = t;
  for (const e of fresh) {
    if (e.ok) {
      succeeded.add(e.id);
      if (resetOnHealthyTask) {
        consecutive = 0;
        consecutiveStartFailures = 0;
      }
    } else {
      failed.add(e.id);
      consecutive++;
      if (e.start) consecutiveStartFailures++;
      lastFailureAt = Math.max(lastFailureAt ?? e.at, e.at);
    }
  }
  return {
    consecutive,
    consecutiveStartFailures,
    ...(lastFailureAt !== undefined ? { lastFailureAt } : {}),
    failed: [...failed].sort(),
    succeeded: [...succeeded].sort(),
  };
}
