/**
 * The Application Auto Scaling loop for one scalable target, as a pure plan (ecs-semantics §7):
 *   1. bounds: spec's MinCapacity/MaxCapacity, changed by scheduled actions until the spec changes;
 *   2. the current desired count (a user change of the service's desiredCount wins);
 *   3. registration (a new or changed target) clamps the desired count into the bounds;
 *   4. due scheduled actions set the bounds and clamp (no cooldowns);
 *   5. once per one-minute period: record datapoints, evaluate every policy, combine, apply;
 *   6. scaling activities progress.
 * The result is written to the target's status (desiredCount + specDesiredCount, which the service
 * scheduler honours) and to its policies' and scheduled actions' status.
 */
import { ACCOUNT, REGION } from '../../api/arn.js';
import { conditionUnchanged, setConditionKeep } from '../shared/conditions.js';
import { notSimulatedReport, type NotSimulatedEvent } from '../../api/not-simulated.js';
import type { Condition } from '../../api/meta.js';
import type { ScalableTargetSpec } from '../../api/v1alpha1/types.js';
import { clampCapacity, LOW_ALARM_DATAPOINTS } from '../scaling-math/index.js';
import { uuidFrom } from '../capacity/association.js';
import { isoTime, parseTime } from '../shared/time.js';
import { thaw, thawWithout } from '../../store/objects.js';
import { ActivityLog } from './activities.js';
import { appendDatapoint, datapointDue, PERIOD_MS, periodStart, untilNextPeriod, values, type Datapoint } from './periods.js';
import { fillQuiet, quietBasis, quietEligible, quietUntil } from './quiet.js';
import { combineVerdicts, evaluateStepPolicy, evaluateTargetTrackingPolicy, policyMetricKey, type PolicyContext, type PolicyInput, type PolicyVerdict } from './policies.js';
import { dueOccurrence, type ScheduledInput } from './schedules.js';
import type { ScalableTargetStatus, ScalingPolicyStatus, ScheduledActionStatus } from './types.js';

export interface ServiceObservation {
  /** Exists and is not being deleted. */
  exists: boolean;
  specDesired: number;
  /** The service's status.desiredCount (what the scheduler adopted) and its RUNNING tasks. */
  statusDesired?: number;
  running: number;
  /** An ECS deployment is in progress (more than one deployment, or the primary IN_PROGRESS). */
  deploying: boolean;
}

export interface PolicyPlanInput extends PolicyInput {
  generation: number;
  status: ScalingPolicyStatus;
}

export interface ActionPlanInput extends ScheduledInput {
  generation: number;
  status: ScheduledActionStatus;
}

export interface TargetPlanInput {
  now: number;
  name: string;
  uid: string;
  generation: number;
  /** The defaulted spec (SuspendedState filled in). */
  spec: ScalableTargetSpec;
  status: ScalableTargetStatus;
  service: ServiceObservation;
  policies: PolicyPlanInput[];
  actions: ActionPlanInput[];
  /** The metric's value for the period ending now; null when there is no data (no running task). */
  sample(metric: string): number | null;
}

export interface TargetPlan {
  status: ScalableTargetStatus;
  policyStatuses: Record<string, ScalingPolicyStatus>;
  actionStatuses: Record<string, ScheduledActionStatus>;
  events: Array<{ reason: string; message: string }>;
  /** Events about a policy (recorded on the ScalingPolicy object, not the target). */
  policyEvents: Array<NotSimulatedEvent & { policy: string }>;
  requeueAfterMs: number;
}

const iso = isoTime;
/** The target's UUID per uid (a sha256 per ARN was a tenth of the loop's time over a simulated day). */
const uidUuids = new Map<string, string>();
function uuidOfUid(uid: string): string {
  let u = uidUuids.get(uid);
  if (u === undefined) {
    if (uidUuids.size >= 50_000) uidUuids.clear();
    uidUuids.set(uid, (u = uuidFrom(uid)));
  }
  return u;
}
const aasArn = (kind: string, uid: string, resourceId: string, nameKind: string, name: string) =>
  `arn:aws:autoscaling:${REGION}:${ACCOUNT}:${kind}:${uuidOfUid(uid)}:resource/ecs/${resourceId}:${nameKind}/${name}`;

export function planScalableTarget(input: TargetPlanInput): TargetPlan {
  const { now, spec, service } = input;
  const prev = input.status ?? {};
  const gen = input.generation;
  const suspended = spec.SuspendedState ?? {};
  const ref = { ServiceNamespace: spec.ServiceNamespace, ResourceId: spec.ResourceId, ScalableDimension: spec.ScalableDimension };
  const log = new ActivityLog(prev.ScalingActivities, prev.activitySeq ?? 0, input.uid, ref, now);
  const events: TargetPlan['events'] = [];
  const policyStatuses: Record<string, ScalingPolicyStatus> = {};
  const actionStatuses: Record<string, ScheduledActionStatus> = {};
  // Quiet windows (quiet.ts): evaluated when something can change, not every minute.
  const eligible = quietEligible(input.policies);
  let requeue = eligible ? Infinity : untilNextPeriod(now);

  // 1. Bounds.
  const specBounds = prev.MinCapacity === undefined || prev.MaxCapacity === undefined || prev.specMinCapacity !== spec.MinCapacity || prev.specMaxCapacity !== spec.MaxCapacity;
  let min: number = specBounds ? (spec.MinCapacity ?? 0) : prev.MinCapacity!;
  let max: number = specBounds ? (spec.MaxCapacity ?? min) : prev.MaxCapacity!;
  // Statuses are built from thawed copies, not spreads: V8 spreads a frozen (stored) object member by
  // member on its slow path, and this runs once a minute for every target, policy and action.
  const status: ScalableTargetStatus = thaw(prev);
  status.specMinCapacity = spec.MinCapacity;
  status.specMaxCapacity = spec.MaxCapacity;
  status.MinCapacity = min;
  status.MaxCapacity = max;

  for (const p of input.policies) {
    const ps: ScalingPolicyStatus = thaw(p.status ?? {});
    ps.PolicyARN = aasArn('scalingPolicy', p.alarmSuffix, spec.ResourceId, 'policyName', p.name);
    ps.observedGeneration = p.generation;
    policyStatuses[p.name] = ps;
  }
  if (!service.exists) {
    log.progress({ exists: false });
    status.ScalingActivities = log.result();
    status.activitySeq = log.sequence;
    status.observedGeneration = gen;
    status.conditions = setConditionKeep(prev.conditions, { type: 'Ready', status: 'False', reason: 'ServiceNotFound', message: `ECS service ${spec.ResourceId} does not exist`, observedGeneration: gen }, now);
    for (const a of input.actions) actionStatuses[a.name] = { ...a.status, observedGeneration: a.generation };
    return { status, policyStatuses, actionStatuses, events, policyEvents: reportPoliciesNotSimulated(input.policies, policyStatuses, now), requeueAfterMs: untilNextPeriod(now) };
  }

  // 2. The current desired count.
  let current: number;
  if (prev.desiredCount !== undefined && prev.specDesiredCount === service.specDesired) current = prev.desiredCount;
  else {
    if (prev.desiredCount !== undefined) log.endOpen('Overridden', `The service's desiredCount was set to ${service.specDesired} outside Application Auto Scaling.`);
    current = service.specDesired;
  }
  const setDesired = (value: number, cause: string) => {
    log.add({ Description: `Setting desired count to ${value}.`, Cause: cause, StatusCode: 'InProgress', DesiredCount: value });
    events.push({ reason: 'SetDesiredCount', message: `desired count ${current} → ${value}: ${cause}` });
    current = value;
  };
  const clampWithCause = () => {
    const c = clampCapacity(current, min, max);
    if (c !== current) setDesired(c, c > current ? `minimum capacity was set to ${min}` : `maximum capacity was set to ${max}`);
  };

  // 3. Registering (or re-registering) clamps.
  if (prev.observedGeneration !== gen) clampWithCause();

  // 4. Scheduled actions.
  const due: Array<{ a: ActionPlanInput; at: number; s: ScheduledActionStatus }> = [];
  let scheduleErrors = 0;
  for (const a of input.actions) {
    const arnOfAction = aasArn('scheduledAction', `${input.uid}/${a.name}`, spec.ResourceId, 'scheduledActionName', a.name);
    const waiting = waitingFor(a, arnOfAction, suspended.ScheduledScalingSuspended, now);
    if (waiting !== undefined) {
      actionStatuses[a.name] = a.status;
      requeue = Math.min(requeue, waiting - now);
      continue;
    }
    const occ = dueOccurrence(a, now);
    // Without nextFireTime (set again below, last), as `delete` would leave a slow dictionary object.
    const s: ScheduledActionStatus = thawWithout(a.status ?? {}, 'nextFireTime');
    s.ScheduledActionARN = arnOfAction;
    s.observedGeneration = a.generation;
    if (occ.next !== undefined) {
      s.nextFireTime = iso(occ.next);
      requeue = Math.min(requeue, occ.next - now);
    }
    s.conditions = setConditionKeep(s.conditions, scheduleCondition(a, occ, suspended.ScheduledScalingSuspended), now);
    if (occ.error) scheduleErrors++;
    if (occ.due !== undefined) due.push({ a, at: occ.due, s });
    actionStatuses[a.name] = s;
  }
  due.sort((x, y) => x.at - y.at || (x.a.name < y.a.name ? -1 : 1));
  for (const { a, at, s } of due) {
    s.lastFireTime = iso(at);
    if (suspended.ScheduledScalingSuspended) continue; // skipped, not postponed
    const act = a.spec.ScalableTargetAction ?? {};
    const newMin: number = act.MinCapacity ?? min;
    const newMax: number = act.MaxCapacity ?? max;
    const description = `Setting min capacity to ${newMin} and max capacity to ${newMax}`;
    const cause = `scheduled action name ${a.name} was triggered`;
    if (newMin > newMax) {
      log.add({ Description: description, Cause: cause, StatusCode: 'Failed', StatusMessage: 'Minimum capacity cannot be greater than maximum capacity' });
      continue;
    }
    min = newMin;
    max = newMax;
    log.add({ Description: description, Cause: cause, StatusCode: 'Successful' });
    events.push({ reason: 'ScheduledAction', message: `${a.name}: min ${min}, max ${max}` });
    clampWithCause();
  }

  // 5. Metrics and dynamic scaling, once per one-minute period; the quiet periods since the last
  //    reconcile, the current one included, are filled in first (a period's datapoint is the value at
  //    its start, before what changes at that instant: the one-minute loop's timer runs first too).
  //    The current period is evaluated after all when, at its start, what the quiet window was
  //    computed with has changed (a scheduled action, an overridden count, a deployment, …).
  const metricsUsed = [...new Set(input.policies.map(metricOf).filter((m): m is string => m !== undefined))].sort();
  const keep = Math.max(LOW_ALARM_DATAPOINTS, ...input.policies.map((p) => (p.stepAlarm && 'datapoints' in p.stepAlarm ? p.stepAlarm.datapoints : 0))) + 1;
  const period = periodStart(now);
  let known: Record<string, readonly Datapoint[]> | undefined = prev.metrics;
  if (eligible && prev.quiet && metricsUsed.length) {
    const changedHere = now === period && quietBasis(current, min, max, suspended, service.deploying) !== prev.quiet.basis;
    const through = Math.min(parseTime(prev.quiet.until) - PERIOD_MS, changedHere ? period - PERIOD_MS : period);
    const filled: Record<string, readonly Datapoint[]> = {};
    let changed = false;
    for (const m of metricsUsed) {
      const series = fillQuiet(prev.metrics?.[m], prev.quiet.values[m] ?? null, through, keep);
      if (series) filled[m] = series;
      if (series !== prev.metrics?.[m]) changed = true;
    }
    if (changed) known = filled;
  }
  const isDue = metricsUsed.some((m) => datapointDue(known?.[m], now));
  if (metricsUsed.length === 0) delete status.metrics;
  else if (known !== prev.metrics) status.metrics = known as Record<string, Datapoint[]>;
  if (isDue) {
    const series: Record<string, Datapoint[]> = {};
    for (const m of metricsUsed) series[m] = appendDatapoint(known?.[m], now, input.sample(m), keep);
    status.metrics = series;
    const cd = prev.cooldown ?? {};
    const ctx: PolicyContext = { ...policyContext(current, min, max, suspended, service.deploying, cd), now, series: (m) => values(series[m]) };
    const verdicts = input.policies.map((p) => (p.spec.PolicyType === 'TargetTrackingScaling' ? evaluateTargetTrackingPolicy(p, ctx) : evaluateStepPolicy(p, ctx)));
    const { desired, winner } = combineVerdicts(current, verdicts);
    if (desired !== current && winner) {
      status.cooldown = desired > current
        ? { ...cd, lastScaleOutAt: iso(now), lastScaleOutCapacity: desired, lastScaleOutFrom: winner.from ?? current }
        : { ...cd, lastScaleInAt: iso(now) };
      setDesired(desired, `monitor alarm ${winner.alarm} in state ALARM triggered policy ${winner.name}`);
    }
    for (const v of verdicts) Object.assign(policyStatuses[v.name], verdictStatus(v));
  }
  if (eligible) {
    const quietValues: Record<string, number | null> = {};
    for (const m of metricsUsed) quietValues[m] = input.sample(m);
    const until = quietUntil({
      periodStart: period,
      series: status.metrics ?? {},
      values: quietValues,
      keep,
      policies: input.policies,
      statuses: policyStatuses,
      context: policyContext(current, min, max, suspended, service.deploying, status.cooldown ?? {}),
    });
    status.quiet = { until: iso(until), values: quietValues, basis: quietBasis(current, min, max, suspended, service.deploying) };
    requeue = Math.min(requeue, until - now);
  } else if (status.quiet) {
    delete status.quiet;
  }
  for (const p of input.policies) {
    const s = policyStatuses[p.name];
    const error = policyError(p);
    s.conditions = setConditionKeep(
      s.conditions,
      error
        ? { type: 'Ready', status: 'False', reason: p.spec.PolicyType === 'StepScaling' ? 'InvalidAlarm' : 'UnsupportedMetric', message: error, observedGeneration: p.generation }
        : { type: 'Ready', status: 'True', reason: 'Active', message: 'evaluated every minute', observedGeneration: p.generation },
      now,
    );
  }

  // 6. Activities, then status.
  log.progress({ exists: true, desiredCount: service.statusDesired, runningCount: service.running });
  // An open activity ends Unfulfilled when its time is up: look again then (the one-minute loop would).
  if (eligible) for (const due of log.timeouts()) if (due > now) requeue = Math.min(requeue, due - now);
  status.desiredCount = current;
  status.specDesiredCount = service.specDesired;
  status.MinCapacity = min;
  status.MaxCapacity = max;
  status.ScalingActivities = log.result();
  status.activitySeq = log.sequence;
  status.observedGeneration = gen;
  const invalidPolicies = Object.values(policyStatuses).filter((s) => s.conditions?.some((c) => c.type === 'Ready' && c.status === 'False')).length;
  let conditions: Condition[] = setConditionKeep(prev.conditions, { type: 'Ready', status: 'True', reason: 'Active', message: `desiredCount ${current} within [${min}, ${max}]`, observedGeneration: gen }, now);
  const open = status.ScalingActivities.filter((a) => a.EndTime === undefined).length;
  conditions = setConditionKeep(
    conditions,
    open > 0
      ? { type: 'Progressing', status: 'True', reason: 'ScalingActivityInProgress', message: status.ScalingActivities.find((a) => a.EndTime === undefined)!.Description, observedGeneration: gen }
      : { type: 'Progressing', status: 'False', reason: 'Idle', message: '', observedGeneration: gen },
    now,
  );
  conditions = setConditionKeep(
    conditions,
    invalidPolicies + scheduleErrors > 0
      ? { type: 'Degraded', status: 'True', reason: 'InvalidPolicyOrSchedule', message: `${invalidPolicies} policy(ies) and ${scheduleErrors} scheduled action(s) cannot be evaluated`, observedGeneration: gen }
      : { type: 'Degraded', status: 'False', reason: 'AsExpected', message: '', observedGeneration: gen },
    now,
  );
  status.conditions = conditions;
  const policyEvents = reportPoliciesNotSimulated(input.policies, policyStatuses, now);
  return { status, policyStatuses, actionStatuses, events, policyEvents, requeueAfterMs: Math.max(1, requeue) };
}

/** What a policy evaluation reads besides the time and the datapoints. */
function policyContext(
  current: number,
  min: number,
  max: number,
  suspended: NonNullable<ScalableTargetSpec['SuspendedState']>,
  deploying: boolean,
  cd: NonNullable<ScalableTargetStatus['cooldown']>,
): Omit<PolicyContext, 'now' | 'series'> {
  return {
    current,
    min,
    max,
    suspendedIn: Boolean(suspended.DynamicScalingInSuspended),
    suspendedOut: Boolean(suspended.DynamicScalingOutSuspended),
    deploying,
    lastScaleOutAt: cd.lastScaleOutAt ? Date.parse(cd.lastScaleOutAt) : undefined,
    lastScaleOutCapacity: cd.lastScaleOutCapacity,
    lastScaleOutFrom: cd.lastScaleOutFrom,
    lastScaleInAt: cd.lastScaleInAt ? Date.parse(cd.lastScaleInAt) : undefined,
  };
}

/** The Ready condition of a scheduled action (`next`: its next occurrence, if any). */
function scheduleCondition(a: ActionPlanInput, occ: { next?: number; error?: string }, suspended: boolean | undefined) {
  return occ.error
    ? { type: 'Ready', status: 'False' as const, reason: 'InvalidSchedule', message: occ.error, observedGeneration: a.generation }
    : { type: 'Ready', status: 'True' as const, reason: suspended ? 'Suspended' : 'Scheduled', message: occ.next !== undefined ? `next at ${iso(occ.next)}` : 'no further occurrences', observedGeneration: a.generation };
}

/**
 * The action's next occurrence when its status is already what this plan would write now: it was
 * written for this generation and ARN, its next occurrence is still ahead and the Ready condition
 * reads the same. No occurrence can be due then (dueOccurrence's next, computed from the same
 * lastFireTime, is that stored one), so the schedule arithmetic is skipped; it ran once a minute
 * for every action of every target.
 */
function waitingFor(a: ActionPlanInput, arnOfAction: string, suspended: boolean | undefined, now: number): number | undefined {
  const st = a.status;
  if (!st || st.observedGeneration !== a.generation || st.ScheduledActionARN !== arnOfAction || st.nextFireTime === undefined) return undefined;
  const next = parseTime(st.nextFireTime);
  if (!(next > now)) return undefined;
  return conditionUnchanged(st.conditions, scheduleCondition(a, { next }, suspended)) ? next : undefined;
}

/** Each policy's NotSimulated condition (set in `statuses`), and the events of the reports that are new. */
function reportPoliciesNotSimulated(policies: PolicyPlanInput[], statuses: Record<string, ScalingPolicyStatus>, now: number): TargetPlan['policyEvents'] {
  const out: TargetPlan['policyEvents'] = [];
  for (const p of policies) {
    const s = statuses[p.name];
    const r = notSimulatedReport('ScalingPolicy', p.spec, s.conditions, p.generation, now);
    if (r.conditions !== s.conditions) s.conditions = r.conditions; // no key added when there is nothing to say
    if (r.event) out.push({ ...r.event, policy: p.name });
  }
  return out;
}

/** The metric a policy reads. */
export function metricOf(p: PolicyInput): string | undefined {
  return policyMetricKey(p);
}

/** Why a policy cannot be evaluated, if it cannot. */
export function policyError(p: PolicyInput): string | undefined {
  if (p.metricError) return p.metricError;
  if (p.spec.PolicyType === 'StepScaling') {
    if (p.linkedAlarms?.length) return undefined;
    if (!p.stepAlarm) return 'step scaling needs an alarm: a MetricAlarm whose AlarmActions name this policy (docs/queues.md), or the annotation sim.ecsplane.io/alarm (docs/scaling.md)';
    return 'error' in p.stepAlarm ? p.stepAlarm.error : undefined;
  }
  return metricOf(p) ? undefined : 'no metric: give PredefinedMetricSpecification or CustomizedMetricSpecification';
}

/**
 * What a policy's evaluation shows on it. No evaluation time: it would rewrite every policy every
 * minute (half the writes of a day of autoscaling) and the target's datapoints show when it ran.
 */
function verdictStatus(v: PolicyVerdict): Partial<ScalingPolicyStatus> {
  const out: Partial<ScalingPolicyStatus> = { Alarms: v.alarms, lastProposal: v.proposal };
  out.lastNote = v.note ?? '';
  return out;
}
