/**
 * Application Auto Scaling loop, keyed by ScalableTarget: reads the target, its policies and scheduled
 * actions, the ECS service and its load (LoadModel), asks the pure plan (plan.ts) and writes status on
 * the target (desiredCount, which the service scheduler honours), its policies and scheduled actions.
 */
import { inject, injectable } from '../runtime/di.js';
import { clusterOf, makeKey, splitKey, type Resource } from '../../api/meta.js';
import { parseServiceResourceId } from '../../api/v1alpha1/aas.js';
import type { ScalableTargetSpec, ScalingPolicySpec, ScheduledActionSpec } from '../../api/v1alpha1/types.js';
import type { ResourceStore } from '../../store/store.js';
import type { WatchEvent } from '../../store/watch.js';
import type { Clock } from '../runtime/clock.js';
import type { EventRecorder } from '../runtime/events.js';
import type { ReconcileOutcome, Reconciler } from '../runtime/controller.js';
import { TOKENS } from '../runtime/tokens.js';
import { byScalingRef, SERVICE_LABEL, targetsOfResource, tasksOfService } from '../shared/indexes.js';
import type { LoadModel } from '../shared/load-model.js';
import { writeStatus } from '../shared/status.js';
import { setCondition } from '../../api/conditions.js';
import { uuidFrom } from '../capacity/association.js';
import { ALARM_ANNOTATION, ALARM_NAME_ANNOTATION, parseStepAlarm } from './alarms.js';
import { planScalableTarget, type ActionPlanInput, type PolicyPlanInput, type ServiceObservation } from './plan.js';
import { specDefaults } from '../shared/defaults.js';
import { MetricSource, type Sampled } from '../shared/metric-source.js';
import { parsePolicyArn } from '../../api/v1alpha1/metric-alarm.js';
import type { LinkedAlarm } from './policies.js';
import { parseTime } from '../shared/time.js';

type Ref = { ServiceNamespace?: string; ResourceId?: string; ScalableDimension?: string };
const sameRef = (a: Ref, b: Ref) => a.ResourceId === b.ResourceId && a.ScalableDimension === b.ScalableDimension && a.ServiceNamespace === b.ServiceNamespace;
const byName = (a: Resource, b: Resource) => (a.metadata.name < b.metadata.name ? -1 : a.metadata.name > b.metadata.name ? 1 : 0);

@injectable()
export class ScalableTargetReconciler implements Reconciler {
  constructor(
    @inject(TOKENS.Store) private readonly store: ResourceStore,
    @inject(TOKENS.Clock) private readonly clock: Clock,
    @inject(TOKENS.Events) private readonly events: EventRecorder,
    @inject(TOKENS.Metrics) private readonly load: LoadModel,
  ) {
    this.source = new MetricSource(store, load);
  }

  private readonly source: MetricSource;

  reconcile(key: string): ReconcileOutcome {
    const target = this.store.get('ScalableTarget', key);
    if (!target) return this.deleteOrphans();
    const now = this.clock.now();
    const spec = specDefaults<ScalableTargetSpec>('ScalableTarget', target.spec);
    const first = byScalingRef(this.store, 'ScalableTarget', spec).sort(byName)[0];
    if (first.metadata.name !== key) {
      // RegisterScalableTarget is an upsert keyed by the resource: one object per service drives it.
      const status = { ...(target.status ?? {}), observedGeneration: target.metadata.generation };
      status.conditions = setCondition(status.conditions, { type: 'Ready', status: 'False', reason: 'DuplicateTarget', message: `ScalableTarget ${first.metadata.name} already registers ${spec.ResourceId}`, observedGeneration: target.metadata.generation }, now);
      writeStatus(this.store, target, status);
      return;
    }
    const policies = byScalingRef(this.store, 'ScalingPolicy', spec).sort(byName);
    const actions = byScalingRef(this.store, 'ScheduledAction', spec).sort(byName);
    const ref = parseServiceResourceId(spec.ResourceId);
    const serviceKey = ref ? makeKey(ref.cluster, ref.service) : '';
    const service = this.observeService(serviceKey);
    const plan = planScalableTarget({
      now,
      name: key,
      uid: target.metadata.uid!,
      generation: target.metadata.generation ?? 1,
      spec,
      status: target.status ?? {},
      service,
      policies: policies.map((p) => this.withMetrics(policyInput(p), p)),
      actions: actions.map(actionInput),
      sample: (metric) => {
        if (metric.startsWith('custom:') || metric.startsWith('alarm:')) return this.sampleOther(metric);
        if (service.running <= 0) return null; // no tasks, no datapoint (missing data)
        const u = this.load.utilization(serviceKey, service.running);
        return metric === 'ECSServiceAverageCPUUtilization' ? u.cpu : metric === 'ECSServiceAverageMemoryUtilization' ? u.memory : u.requestCountPerTarget;
      },
    });
    writeStatus(this.store, target, plan.status);
    for (const p of policies) writeStatus(this.store, p, plan.policyStatuses[p.metadata.name]);
    for (const a of actions) writeStatus(this.store, a, plan.actionStatuses[a.metadata.name]);
    for (const e of plan.events) this.events.record(target, e.reason, e.message);
    for (const e of plan.policyEvents) this.events.record(policies.find((p) => p.metadata.name === e.policy)!, e.reason, e.message, e.type);
    return { requeueAfterMs: plan.requeueAfterMs };
  }

  /**
   * A policy's CloudWatch side: the MetricAlarms naming it in AlarmActions (step scaling) and whether its
   * CustomizedMetricSpecification is a metric ecsplane publishes (docs/queues.md).
   */
  private withMetrics(input: PolicyPlanInput, p: Resource): PolicyPlanInput {
    if (input.spec.PolicyType === 'StepScaling') {
      const linked = linkedAlarms(this.store, input.spec.ResourceId, p.metadata.name);
      return linked.length ? { ...input, linkedAlarms: linked } : input;
    }
    const custom = input.spec.TargetTrackingScalingPolicyConfiguration?.CustomizedMetricSpecification;
    if (!custom) return input;
    const probe = this.sampleCustom(custom);
    return 'unsupported' in probe ? { ...input, metricError: probe.unsupported } : input;
  }

  private sampleCustom(c: any): Sampled {
    return Array.isArray(c.Metrics) ? this.source.query(c.Metrics) : this.source.sample({ Namespace: c.Namespace, MetricName: c.MetricName, Dimensions: c.Dimensions }, c.Statistic);
  }

  /** `custom:<policy>`: its customized metric now; `alarm:<policy>`: 1 while a linked alarm is in ALARM. */
  private sampleOther(metric: string): number | null {
    const [kind, name] = [metric.slice(0, metric.indexOf(':')), metric.slice(metric.indexOf(':') + 1)];
    const p = this.store.get('ScalingPolicy', name);
    if (!p) return null;
    if (kind === 'alarm') return linkedAlarms(this.store, p.spec.ResourceId, name).some((a) => a.state === 'ALARM') ? 1 : 0;
    const custom = p.spec.TargetTrackingScalingPolicyConfiguration?.CustomizedMetricSpecification;
    const v = custom ? this.sampleCustom(custom) : { value: null };
    return 'value' in v ? v.value : null;
  }

  private observeService(key: string): ServiceObservation {
    const svc = key ? this.store.get('Service', key) : undefined;
    if (!svc || svc.metadata.deletionTimestamp || ['DRAINING', 'INACTIVE'].includes(svc.status?.status)) {
      return { exists: false, specDesired: 0, running: 0, deploying: false };
    }
    const deployments: Array<{ rolloutState?: string }> = svc.status?.deployments ?? [];
    return {
      exists: true,
      specDesired: svc.spec.desiredCount ?? 0,
      statusDesired: svc.status?.desiredCount,
      running: tasksOfService(this.store, key).filter((t) => t.status?.lastStatus === 'RUNNING' && t.status?.desiredStatus === 'RUNNING').length,
      deploying: deployments.length > 1 || deployments[0]?.rolloutState === 'IN_PROGRESS',
    };
  }

  /** Deregistering a scalable target deletes its policies and scheduled actions (ecs-semantics §7). */
  private deleteOrphans(): void {
    const targets = this.store.list('ScalableTarget');
    for (const kind of ['ScalingPolicy', 'ScheduledAction']) {
      for (const o of this.store.list(kind)) if (!targets.some((t) => sameRef(t.spec, o.spec))) this.store.delete(kind, o.metadata.name);
    }
  }
}

/** A policy's alarm suffix per uid (a sha256 per policy per evaluation, once a minute, otherwise). */
const alarmSuffixes = new Map<string, string>();
function alarmSuffixOf(seed: string): string {
  let s = alarmSuffixes.get(seed);
  if (s === undefined) {
    if (alarmSuffixes.size >= 50_000) alarmSuffixes.clear();
    alarmSuffixes.set(seed, (s = uuidFrom(seed)));
  }
  return s;
}

/**
 * A stored object never changes (a write stores a new one), so the plan input read from it is kept
 * per object: the loop reads every policy and scheduled action of a target once a minute.
 */
function memoByObject<I>(read: (o: Resource) => I): (o: Resource) => I {
  const memo = new WeakMap<Resource, I>();
  return (o) => {
    if (!Object.isFrozen(o)) return read(o);
    let v = memo.get(o);
    if (v === undefined) memo.set(o, (v = read(o)));
    return v;
  };
}

export const policyInput = memoByObject(readPolicyInput);
export const actionInput = memoByObject(readActionInput);

function readPolicyInput(p: Resource): PolicyPlanInput {
  const spec = specDefaults<ScalingPolicySpec>('ScalingPolicy', p.spec, { name: p.metadata.name });
  const text = p.metadata.annotations?.[ALARM_ANNOTATION];
  let stepAlarm: PolicyPlanInput['stepAlarm'];
  if (spec.PolicyType === 'StepScaling' && text !== undefined) {
    try {
      stepAlarm = parseStepAlarm(text);
    } catch (err) {
      stepAlarm = { error: (err as Error).message };
    }
  }
  return {
    name: p.metadata.name,
    spec,
    alarmSuffix: alarmSuffixOf(p.metadata.uid ?? p.metadata.name),
    stepAlarm,
    stepAlarmName: p.metadata.annotations?.[ALARM_NAME_ANNOTATION],
    generation: p.metadata.generation ?? 1,
    status: p.status ?? {},
  };
}

function readActionInput(a: Resource): ActionPlanInput {
  const spec = specDefaults<ScheduledActionSpec>('ScheduledAction', a.spec, { name: a.metadata.name });
  return {
    name: a.metadata.name,
    spec,
    createdAt: parseTime(a.metadata.creationTimestamp ?? '1970-01-01T00:00:00.000Z'),
    lastFireTime: a.status?.lastFireTime ? parseTime(a.status.lastFireTime) : undefined,
    generation: a.metadata.generation ?? 1,
    status: a.status ?? {},
  };
}

/** Policies and scheduled actions wake their target (and a deleted target's key cleans up after it). */
export function targetKeysFor(store: ResourceStore): (ev: WatchEvent) => string[] {
  return (ev) => {
    const keys = byScalingRef(store, 'ScalableTarget', ev.object.spec).map((t) => t.metadata.name);
    return keys.length ? keys : ev.type === 'DELETED' ? [] : ['\u0000orphans'];
  };
}

/** A service event wakes the targets that scale it. */
export function targetKeysForService(store: ResourceStore): (ev: WatchEvent) => string[] {
  return (ev) => targetKeysOfService(store, makeKey(clusterOf(ev.object), ev.object.metadata.name));
}

/** The keys of the targets scaling the service `cluster/name`. */
export function targetKeysOfService(store: ResourceStore, serviceKey: string): string[] {
  const { cluster, name } = splitKey(serviceKey);
  return targetsOfResource(store, `service/${cluster}/${name}`).map((t) => t.metadata.name);
}

const runningForService = (t: Resource | undefined) => t?.status?.lastStatus === 'RUNNING' && t.status.desiredStatus === 'RUNNING';

/** A service's task that starts or stops counting as running (the utilisation's divisor) wakes its targets. */
export function targetKeysForTask(store: ResourceStore): (ev: WatchEvent) => string[] {
  return (ev) => {
    const svc = ev.object.metadata.labels?.[SERVICE_LABEL];
    if (!svc) return [];
    const now = ev.type !== 'DELETED' && runningForService(ev.object);
    if (now === runningForService(ev.previous)) return [];
    return targetKeysOfService(store, makeKey(clusterOf(ev.object), svc));
  };
}

/** MetricAlarms whose AlarmActions name the policy `name` of `resourceId` (the ARN's id part is not compared). */
export function linkedAlarms(store: ResourceStore, resourceId: string, name: string): LinkedAlarm[] {
  const out: LinkedAlarm[] = [];
  for (const a of store.list('MetricAlarm').sort(byName)) {
    const actions: unknown[] = Array.isArray(a.spec.AlarmActions) ? a.spec.AlarmActions : [];
    if (!actions.some((x) => { const r = parsePolicyArn(x); return r?.resourceId === resourceId && r.policyName === name; })) continue;
    out.push({
      name: a.metadata.name,
      state: a.status?.StateValue ?? 'INSUFFICIENT_DATA',
      actionsEnabled: a.spec.ActionsEnabled !== false,
      threshold: a.spec.Threshold ?? 0,
      comparison: a.spec.ComparisonOperator,
      evaluationPeriods: a.spec.EvaluationPeriods ?? 1,
      metricName: a.spec.MetricName ?? 'MetricMath',
      value: a.status?.lastDatapoint ?? null,
    });
  }
  return out;
}
