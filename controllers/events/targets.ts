/**
 * Running an invocation's ECS target through the admission pipeline (as the AWS RunTask front end does),
 * and reading back what became of its tasks: the task loop places each one or records RunTask's
 * `failures[]` on it (RESOURCE:MEMORY, ...), and the rule or schedule copies those onto its own status.
 * https://docs.aws.amazon.com/AmazonECS/latest/developerguide/api_failures_messages.html
 */
import { EcsError } from '../../api/errors.js';
import { keyOf, makeKey, splitKey } from '../../api/meta.js';
import { clusterOfTargetArn } from '../../api/v1alpha1/events-common.js';
import type { ApiServer } from '../../store/apiserver.js';
import type { ResourceStore } from '../../store/store.js';
import { queueNameFromArn } from '../../api/v1alpha1/queue.js';
import { sendMessages } from '../queues/reconciler.js';
import { InputError, overridesFromInput, resolveInput, runTaskRequests, type EcsTarget, type InvocationOrigin } from './invoke.js';

export interface InvocationFailure {
  time: string;
  target: string;
  arn?: string;
  reason: string;
  detail?: string;
  /** DeadLetterConfig.Arn the failed invocation is sent to. */
  deadLetterArn?: string;
  /** The event went to that queue (a `Queue` of this name exists). */
  deliveredToDeadLetterQueue?: boolean;
}

/** A RunTask request (its first task and `count`) whose placement outcome is not known yet. */
export interface PendingTask {
  key: string;
  count: number;
  target: string;
  time: string;
}

/** Status fields Rule and Schedule share. */
export interface InvocationStatus {
  invocations?: number;
  tasksStarted?: number;
  failedInvocations?: number;
  lastInvocationTime?: string;
  pending?: PendingTask[];
  /** The most recent failures, newest first. */
  failures?: InvocationFailure[];
}

export const MAX_FAILURES_KEPT = 20;

export interface TargetOutcome {
  pending: PendingTask[];
  failure?: InvocationFailure;
}

/** Invoke one target: resolve its input against `event`, apply the RunTask Task objects. */
export function invokeEcsTarget(
  api: ApiServer,
  origin: InvocationOrigin,
  target: EcsTarget & { DeadLetterConfig?: { Arn?: string } },
  event: unknown,
  timeIso: string,
): TargetOutcome {
  const targetId = target.Id ?? 'target';
  const dlq = target.DeadLetterConfig?.Arn ? { deadLetterArn: target.DeadLetterConfig.Arn } : {};
  // Not an ECS task target: never invoked, as the NotSimulated condition says (api/not-simulated.ts).
  if (!target.EcsParameters || !clusterOfTargetArn(target.Arn)) return { pending: [] };
  let overrides: Record<string, unknown> | undefined;
  try {
    overrides = overridesFromInput(resolveInput(target, event));
  } catch (e) {
    if (!(e instanceof InputError)) throw e;
    return { pending: [], failure: { time: timeIso, target: targetId, reason: 'InvalidInput', detail: e.message, ...dlq } };
  }
  const pending: PendingTask[] = [];
  for (const task of runTaskRequests(origin, target, overrides)) {
    const key = keyOf(task);
    if (api.store.get('Task', key)) continue; // applied by an earlier pass of this invocation
    try {
      api.apply(task);
    } catch (e) {
      if (!(e instanceof EcsError)) throw e;
      // RunTask refused the request (missing cluster or task definition, bad overrides): nothing started.
      return { pending, failure: { time: timeIso, target: targetId, reason: e.type, detail: e.bareMessage, ...dlq } };
    }
    pending.push({ key, count: Number(task.spec.count ?? 1), target: targetId, time: timeIso });
  }
  return { pending };
}

export interface PendingResolution {
  stillPending: PendingTask[];
  started: number;
  failures: InvocationFailure[];
}

/** Which pending tasks the task loop has placed (started) or failed (RunTask failures[]). */
export function resolvePending(store: ResourceStore, pending: PendingTask[], dlqOf: (target: string) => string | undefined): PendingResolution {
  const out: PendingResolution = { stillPending: [], started: 0, failures: [] };
  for (const p of pending) {
    const first = store.get('Task', p.key);
    if (!first) continue; // deleted before the task loop saw it
    const { cluster, name } = splitKey(p.key);
    // The siblings `<id>-2` … `<id>-N` exist once the task loop has initialised the first task.
    const tasks = [first, ...Array.from({ length: p.count - 1 }, (_, i) => store.get('Task', makeKey(cluster, `${name}-${i + 2}`)))];
    if (tasks.some((t) => !t?.status?.taskDefinitionArn)) {
      out.stillPending.push(p);
      continue;
    }
    for (const t of tasks) {
      const s = t!.status!;
      const f = s.failures?.[0];
      if (f) {
        const dlq = dlqOf(p.target);
        out.failures.push({ time: p.time, target: p.target, arn: f.arn ?? s.taskArn, reason: f.reason, ...(f.detail ? { detail: f.detail } : {}), ...(dlq ? { deadLetterArn: dlq } : {}) });
      } else out.started++;
    }
  }
  return out;
}

/**
 * Failed invocations with a DeadLetterConfig go to that SQS queue, one message each, when the
 * queue is a `Queue` here ("EventBridge sends the event to the dead-letter queue":
 * https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-rule-dlq.html). Returns how many.
 */
export function deliverToDeadLetterQueues(store: ResourceStore, failures: InvocationFailure[], now: number): number {
  let sent = 0;
  for (const f of failures) {
    const name = f.deadLetterArn ? queueNameFromArn(f.deadLetterArn) : undefined;
    if (!name || !store.get('Queue', name)) continue;
    sendMessages(store, name, 1, now);
    f.deliveredToDeadLetterQueue = true;
    sent++;
  }
  return sent;
}

