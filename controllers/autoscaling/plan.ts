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
import { setConditionKeep } from '../shared/conditions.js';
import { notSimulatedReport, type NotSimulatedEvent } from '../../api/not-simulated.js';
import type { Condition } from '../../api/meta.js';
import type { ScalableTargetSpec } from '../../api/v1alpha1/types.js';
import { clampCapacity, LOW_ALARM_DATAPOINTS } from '../scaling-math/index.js';
import { uuidFrom } from '../capacity/association.js';
import { isoTime } from '../shared/time.js';
import { ActivityLog } from './activities.js';
import { appendDatapoint, datapointDue, untilNextPeriod, values, type Datapoint } from './periods.js';
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
  let requeue = untilNextPeriod(now);

  // 1. Bounds.
  const specBounds = prev.MinCapacity === undefined || prev.MaxCapacity === undefined || prev.specMinCapacity !== spec.MinCapacity || prev.specMaxCapacity !== spec.MaxCapacity;
  let min: number = specBounds ? (spec.MinCapacity ?? 0) : prev.MinCapacity!;
  let max: number = specBounds ? (spec.MaxCapacity ?? min) : prev.MaxCapacity!;
  const status: ScalableTargetStatus = { ...prev, specMinCapacity: spec.MinCapacity, specMaxCapacity: spec.MaxCapacity, MinCapacity: min, MaxCapacity: max };

  for (const p of input.policies) {
    policyStatuses[p.name] = { ...p.status, PolicyARN: aasArn('scalingPolicy', p.alarmSuffix, spec.ResourceId, 'policyName', p.name), observedGeneration: p.generation };
  }
  if (!service.exists) {
    log.progress({ exists: false });
    status.ScalingActivities = log.result();
    status.activitySeq = log.sequence;
    status.observedGeneration = gen;
    status.conditions = setConditionKeep(prev.conditions, { type: 'Ready', status: 'False', reason: 'ServiceNotFound', message: `ECS service ${spec.ResourceId} does not exist`, observedGeneration: gen }, now);
    for (const a of input.actions) actionStatuses[a.name] = { ...a.status, observedGeneration: a.generation };
    return { status, policyStatuses, actionStatuses, events, policyEvents: reportPoliciesNotSimulated(input.policies, policyStatuses, now), requeueAfterMs: requeue };
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
    const occ = dueOccurrence(a, now);
    const s: ScheduledActionStatus = {
      ...a.status,
      ScheduledActionARN: aasArn('scheduledAction', `${input.uid}/${a.name}`, spec.ResourceId, 'scheduledActionName', a.name),
      observedGeneration: a.generation,
    };
    delete s.nextFireTime;
    if (occ.next !== undefined) {
      s.nextFireTime = iso(occ.next);
      requeue = Math.min(requeue, occ.next - now);
    }
    s.conditions = setConditionKeep(
      s.conditions,
      occ.error
        ? { type: 'Ready', status: 'False', reason: 'InvalidSchedule', message: occ.error, observedGeneration: a.generation }
        : { type: 'Ready', status: 'True', reason: suspended.ScheduledScalingSuspended ? 'Suspended' : 'Scheduled', message: occ.next !== undefined ? `next at ${iso(occ.next)}` : 'no further occurrences', observedGeneration: a.generation },
      now,
    );
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

  // 5. Metrics and dynamic scaling, once per one-minute period.
  const metricsUsed = [...new Set(input.policies.map(metricOf).filter((m): m is string => m !== undefined))].sort();
  const isDue = metricsUsed.some((m) => datapointDue(prev.metrics?.[m], now));
  if (metricsUsed.length === 0) delete status.metrics;
  if (isDue) {
    const keep = Math.max(LOW_ALARM_DATAPOINTS, ...input.policies.map((p) => (p.stepAlarm && 'datapoints' in p.stepAlarm ? p.stepAlarm.datapoints : 0))) + 1;
    const series: Record<string, Datapoint[]> = {};
    for (const m of metricsUsed) series[m] = appendDatapoint(prev.metrics?.[m], now, input.sample(m), keep);
    status.metrics = series;
    const cd = prev.cooldown ?? {};
    const ctx: PolicyContext = {
      now,
      current,
      min,
      max,
      suspendedIn: Boolean(suspended.DynamicScalingInSuspended),
      suspendedOut: Boolean(suspended.DynamicScalingOutSuspended),
      deploying: service.deploying,
      lastScaleOutAt: cd.lastScaleOutAt ? Date.parse(cd.lastScaleOutAt) : undefined,
      lastScaleOutCapacity: cd.lastScaleOutCapacity,
      lastScaleOutFrom: cd.lastScaleOutFrom,
      lastScaleInAt: cd.lastScaleInAt ? Date.parse(cd.lastScaleInAt) : undefined,
      series: (m) => values(series[m]),
    };
    const verdicts = input.policies.map((p) => (p.spec.PolicyType === 'TargetTrackingScaling' ? evaluateTargetTrackingPolicy(p, ctx) : evaluateStepPolicy(p, ctx)));
    const { desired, winner } = combineVerdicts(current, verdicts);
    if (desired !== current && winner) {
      status.cooldown = desired > current
        ? { ...cd, lastScaleOutAt: iso(now), lastScaleOutCapacity: desired, lastScaleOutFrom: winner.from ?? current }
        : { ...cd, lastScaleInAt: iso(now) };
      setDesired(desired, `monitor alarm ${winner.alarm} in state ALARM triggered policy ${winner.name}`);
    }
    for (const v of verdicts) Object.assign(policyStatuses[v.name], verdictStatus(v, now));
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

function verdictStatus(v: PolicyVerdict, now: number): Partial<ScalingPolicyStatus> {
  const out: Partial<ScalingPolicyStatus> = { Alarms: v.alarms, lastProposal: v.proposal, lastEvaluatedAt: iso(now) };
  out.lastNote = v.note ?? '';
  return out;
}
