/**
 * Rule loop: reads a Rule, resolves the outcome of the tasks its earlier invocations started, plans the
 * invocations due now (rule-plan.ts) and runs each ECS target through the admission pipeline with
 * RunTask semantics (targets.ts). Woken by its own writes, by its tasks (label) and by new bus events.
 */
import { setCondition } from '../../api/conditions.js';
import { NOT_SIMULATED, notSimulatedFields, notSimulatedMessage, withNotSimulatedCondition } from '../../api/not-simulated.js';
import { parseEventPattern, type CompiledPattern, matchesPattern } from '../../api/event-pattern.js';
import { ruleWithDefaults } from '../../api/v1alpha1/rule.js';
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
import type { EventBus } from './bus.js';
import { RULE_LABEL } from './invoke.js';
import { EVENTS_PER_PASS, INVOCATIONS_PER_MINUTE, invocationBudget, planRule, ruleArn } from './rule-plan.js';
import { MAX_FAILURES_KEPT, deliverToDeadLetterQueues, invokeEcsTarget, resolvePending, type InvocationFailure, type InvocationStatus } from './targets.js';

/** While tasks of an invocation wait for placement, look again this often (task events also wake the rule). */
const PENDING_RECHECK_MS = 10_000;

export interface RuleStatus extends InvocationStatus {
  arn?: string;
  busCursor?: { bus: string; seq: number };
  /** Invocations in the current minute (the INVOCATIONS_PER_MINUTE guard). */
  invocationWindow?: { start: string; count: number };
  lastScheduledTime?: string;
  nextInvocationTime?: string;
  conditions?: any[];
  observedGeneration?: number;
}

const patterns = new Map<string, CompiledPattern>();
/** The compiled pattern of a rule's EventPattern text (cached by text). */
export function compiledPattern(text: string): CompiledPattern {
  let p = patterns.get(text);
  if (!p) {
    if (patterns.size > 1000) patterns.clear();
    patterns.set(text, (p = parseEventPattern(text)));
  }
  return p;
}

/** A rule's tasks wake their rule (label events.ecsplane.io/rule). */
export function ruleKeysForTask(ev: WatchEvent): string[] {
  const name = ev.object.metadata.labels?.[RULE_LABEL];
  return name ? [name] : [];
}

@injectable()
export class RuleReconciler implements Reconciler {
  constructor(
    @inject(TOKENS.Store) private readonly store: ResourceStore,
    @inject(TOKENS.ApiServer) private readonly api: ApiServer,
    @inject(TOKENS.Clock) private readonly clock: Clock,
    @inject(TOKENS.EventBus) private readonly bus: EventBus,
    @inject(TOKENS.Events) private readonly recorder: EventRecorder,
  ) {}

  reconcile(key: string): ReconcileOutcome {
    const rule = this.store.get('Rule', key);
    if (!rule || rule.metadata.deletionTimestamp) return;
    const now = this.clock.now();
    const name = rule.metadata.name;
    const spec = ruleWithDefaults(rule.spec, { name });
    const status = thaw(rule.status ?? {}) as RuleStatus;
    const targets = spec.Targets;
    const dlqOf = (id: string) => targets.find((t) => t.Id === id)?.DeadLetterConfig?.Arn;

    const resolved = resolvePending(this.store, status.pending ?? [], dlqOf);
    status.pending = resolved.stillPending;
    status.tasksStarted = (status.tasksStarted ?? 0) + resolved.started;
    this.fail(rule, status, resolved.failures);

    const cursor = status.busCursor?.bus === this.bus.id ? status.busCursor.seq : 0;
    const events = spec.EventPattern ? this.bus.since(cursor, EVENTS_PER_PASS + 1) : [];
    const plan = planRule({
      name,
      spec,
      createdAt: Date.parse(rule.metadata.creationTimestamp ?? '') || now,
      lastScheduledTime: status.lastScheduledTime ? Date.parse(status.lastScheduledTime) : undefined,
      events: events.slice(0, EVENTS_PER_PASS),
      moreEvents: events.length > EVENTS_PER_PASS,
      matches: (ev) => matchesPattern(compiledPattern(spec.EventPattern!), ev),
      now,
    });
    if (plan.cursor !== undefined) status.busCursor = { bus: this.bus.id, seq: plan.cursor };
    if (plan.lastScheduledTime !== undefined) status.lastScheduledTime = iso(plan.lastScheduledTime);
    status.nextInvocationTime = plan.nextInvocationTime !== undefined ? iso(plan.nextInvocationTime) : undefined;
    if (status.nextInvocationTime === undefined) delete status.nextInvocationTime;

    const budget = invocationBudget(status.invocationWindow ? { start: Date.parse(status.invocationWindow.start), count: status.invocationWindow.count } : undefined, now, plan.invocations.length);
    if (plan.invocations.length) status.invocationWindow = { start: iso(budget.window.start), count: budget.window.count };
    const dropped = plan.invocations.length - budget.allowed;
    if (dropped > 0) {
      this.fail(rule, status, [{ time: iso(now), target: '*', reason: 'Throttled', detail: `${dropped} invocation(s) dropped: ecsplane allows ${INVOCATIONS_PER_MINUTE} per rule per minute` }]);
    }
    for (const inv of plan.invocations.slice(0, budget.allowed)) {
      status.invocations = (status.invocations ?? 0) + 1;
      status.lastInvocationTime = iso(now);
      const started: string[] = [];
      for (const target of targets) {
        const out = invokeEcsTarget(this.api, { kind: 'Rule', name, uid: rule.metadata.uid ?? name, invocationId: inv.invocationId }, target, inv.event, iso(now));
        status.pending = [...(status.pending ?? []), ...out.pending];
        started.push(...out.pending.map((p) => p.key));
        if (out.failure) this.fail(rule, status, [out.failure]);
      }
      this.recorder.record(rule, 'RuleInvoked', `${inv.trigger === 'schedule' ? 'schedule' : `event ${(inv.event as any)['detail-type']}`}: ${targets.length} target(s), RunTask ${started.length} request(s)`);
    }

    status.arn = ruleArn(name, spec.EventBusName);
    const ready = plan.error
      ? { type: 'Ready', status: 'False' as const, reason: 'InvalidSchedule', message: plan.error }
      : { type: 'Ready', status: 'True' as const, reason: spec.State === 'DISABLED' ? 'Disabled' : 'Enabled', message: `${status.invocations ?? 0} invocations, ${status.tasksStarted ?? 0} tasks started, ${status.failedInvocations ?? 0} failures` };
    status.conditions = setCondition(status.conditions, { ...ready, observedGeneration: rule.metadata.generation }, now);
    const fields = notSimulatedFields('Rule', rule.spec);
    const ns = withNotSimulatedCondition(status.conditions, fields, rule.metadata.generation, now);
    status.conditions = ns.conditions;
    if (ns.report) this.recorder.record(rule, NOT_SIMULATED, notSimulatedMessage(fields), 'Warning');
    status.observedGeneration = rule.metadata.generation;
    writeStatus(this.store, rule, status);

    const waits = [plan.requeueAfterMs, status.pending?.length ? PENDING_RECHECK_MS : undefined].filter((x): x is number => x !== undefined);
    return waits.length ? { requeueAfterMs: Math.max(0, Math.min(...waits)) } : undefined;
  }

  private fail(rule: { kind: string; metadata: any; spec: any }, status: RuleStatus, failures: InvocationFailure[]): void {
    if (failures.length === 0) return;
    deliverToDeadLetterQueues(this.store, failures, this.clock.now());
    status.failedInvocations = (status.failedInvocations ?? 0) + failures.length;
    status.failures = [...failures.slice().reverse(), ...(status.failures ?? [])].slice(0, MAX_FAILURES_KEPT);
    for (const f of failures) this.recorder.record(rule, 'FailedInvocation', `target ${f.target}: ${f.reason}${f.detail ? ` (${f.detail})` : ''}`, 'Warning');
  }
}
