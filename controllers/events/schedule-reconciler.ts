/**
 * Schedule loop (EventBridge Scheduler): resolves the tasks of earlier invocations, plans the invocation
 * due now (schedule-plan.ts) and runs the ECS target through the admission pipeline with RunTask semantics.
 */
import { ACCOUNT, REGION } from '../../api/arn.js';
import { setCondition } from '../../api/conditions.js';
import { NOT_SIMULATED, notSimulatedFields, notSimulatedMessage, withNotSimulatedCondition } from '../../api/not-simulated.js';
import { eventsScheduleWithDefaults } from '../../api/v1alpha1/events-schedule.js';
import type { ApiServer } from '../../store/apiserver.js';
import { thaw } from '../../store/objects.js';
import type { ResourceStore } from '../../store/store.js';
import type { WatchEvent } from '../../store/watch.js';
import type { Clock } from '../runtime/clock.js';
import type { ReconcileOutcome, Reconciler } from '../runtime/controller.js';
import { inject, injectable } from '../runtime/di.js';
import type { EventRecorder } from '../runtime/events.js';
import { TOKENS } from '../runtime/tokens.js';
import { iso, writeStatus } from '../shared/status.js';
import { SCHEDULE_LABEL } from './invoke.js';
import { planSchedule } from './schedule-plan.js';
import { MAX_FAILURES_KEPT, deliverToDeadLetterQueues, invokeEcsTarget, resolvePending, type InvocationFailure, type InvocationStatus } from './targets.js';

const PENDING_RECHECK_MS = 10_000;

export interface ScheduleStatus extends InvocationStatus {
  arn?: string;
  state?: string;
  lastScheduledTime?: string;
  nextInvocationTime?: string;
  /** A flexible-window invocation chosen and not made yet (ISO times). */
  window?: { scheduled: string; invokeAt: string };
  conditions?: any[];
  observedGeneration?: number;
}

export const scheduleArn = (group: string, name: string) => `arn:aws:scheduler:${REGION}:${ACCOUNT}:schedule/${group}/${name}`;

export function scheduleKeysForTask(ev: WatchEvent): string[] {
  const name = ev.object.metadata.labels?.[SCHEDULE_LABEL];
  return name ? [name] : [];
}

@injectable()
export class ScheduleReconciler implements Reconciler {
  constructor(
    @inject(TOKENS.Store) private readonly store: ResourceStore,
    @inject(TOKENS.ApiServer) private readonly api: ApiServer,
    @inject(TOKENS.Clock) private readonly clock: Clock,
    @inject(TOKENS.Random) private readonly rng: () => number,
    @inject(TOKENS.Events) private readonly recorder: EventRecorder,
  ) {}

  reconcile(key: string): ReconcileOutcome {
    const sched = this.store.get('Schedule', key);
    if (!sched || sched.metadata.deletionTimestamp) return;
    const now = this.clock.now();
    const name = sched.metadata.name;
    const spec = eventsScheduleWithDefaults(sched.spec, { name });
    const status = thaw(sched.status ?? {}) as ScheduleStatus;
    const target = spec.Target;

    const resolved = resolvePending(this.store, status.pending ?? [], () => target.DeadLetterConfig?.Arn);
    status.pending = resolved.stillPending;
    status.tasksStarted = (status.tasksStarted ?? 0) + resolved.started;
    this.fail(sched, status, resolved.failures);

    const plan = planSchedule({
      spec,
      createdAt: Date.parse(sched.metadata.creationTimestamp ?? '') || now,
      lastScheduledTime: status.lastScheduledTime ? Date.parse(status.lastScheduledTime) : undefined,
      window: status.window ? { scheduled: Date.parse(status.window.scheduled), invokeAt: Date.parse(status.window.invokeAt) } : undefined,
      now,
      random: this.rng,
    });
    if (plan.lastScheduledTime !== undefined) status.lastScheduledTime = iso(plan.lastScheduledTime);
    if (plan.window) status.window = { scheduled: iso(plan.window.scheduled), invokeAt: iso(plan.window.invokeAt) };
    else delete status.window;
    if (plan.nextInvocationTime !== undefined) status.nextInvocationTime = iso(plan.nextInvocationTime);
    else delete status.nextInvocationTime;

    if (plan.invoke !== undefined) {
      status.invocations = (status.invocations ?? 0) + 1;
      status.lastInvocationTime = iso(now);
      const out = invokeEcsTarget(this.api, { kind: 'Schedule', name, uid: sched.metadata.uid ?? name, invocationId: `schedule/${plan.invoke}` }, { Id: name, ...target }, {}, iso(now));
      status.pending = [...(status.pending ?? []), ...out.pending];
      if (out.failure) this.fail(sched, status, [out.failure]);
      this.recorder.record(sched, 'ScheduleInvoked', `scheduled ${iso(plan.invoke)}: RunTask ${out.pending.length} request(s)`);
    }

    status.arn = scheduleArn(spec.GroupName, name);
    status.state = spec.State;
    const ready = plan.error
      ? { type: 'Ready', status: 'False' as const, reason: 'InvalidSchedule', message: plan.error }
      : plan.completed
        ? { type: 'Ready', status: 'True' as const, reason: 'Completed', message: 'No invocations left.' }
        : { type: 'Ready', status: 'True' as const, reason: spec.State === 'DISABLED' ? 'Disabled' : 'Enabled', message: `${status.invocations ?? 0} invocations, ${status.tasksStarted ?? 0} tasks started` };
    status.conditions = setCondition(status.conditions, { ...ready, observedGeneration: sched.metadata.generation }, now);
    const fields = notSimulatedFields('Schedule', sched.spec);
    const ns = withNotSimulatedCondition(status.conditions, fields, sched.metadata.generation, now);
    status.conditions = ns.conditions;
    if (ns.report) this.recorder.record(sched, NOT_SIMULATED, notSimulatedMessage(fields), 'Warning');
    status.observedGeneration = sched.metadata.generation;
    writeStatus(this.store, sched, status);

    if (plan.deleteSchedule && !status.pending?.length) {
      this.recorder.record(sched, 'ScheduleCompleted', 'ActionAfterCompletion DELETE: the schedule deletes itself.');
      this.api.delete('Schedule', key);
      return;
    }
    const waits = [plan.requeueAfterMs, status.pending?.length ? PENDING_RECHECK_MS : undefined].filter((x): x is number => x !== undefined);
    return waits.length ? { requeueAfterMs: Math.min(...waits) } : undefined;
  }

  private fail(obj: { kind: string; metadata: any; spec: any }, status: ScheduleStatus, failures: InvocationFailure[]): void {
    if (failures.length === 0) return;
    deliverToDeadLetterQueues(this.store, failures, this.clock.now());
    status.failedInvocations = (status.failedInvocations ?? 0) + failures.length;
    status.failures = [...failures.slice().reverse(), ...(status.failures ?? [])].slice(0, MAX_FAILURES_KEPT);
    for (const f of failures) this.recorder.record(obj, 'FailedInvocation', `${f.reason}${f.detail ? ` (${f.detail})` : ''}`, 'Warning');
  }
}
