/**
 * The Auto Scaling group loop as a pure plan: from the group's spec, its previous status, the capacity
 * provider driving it and what is observed about its instances, compute the next status and the actions
 * on container instances (register, drain, terminate, deregister). Every transition is derived from
 * status timestamps, so a reconcile is idempotent and safe after a crash (ecs-semantics §6, §9).
 *
 * Instance lifecycle: Pending (EC2 launching; `launchDelayMs`) → InService (container instance registered)
 * → on scale-in, with managed draining, Terminating:Wait (DRAINING until its service tasks are gone) →
 * Terminating (EC2 terminated; the container instance is deregistered once its tasks stopped) → gone.
 */
import { setCondition } from '../../api/conditions.js';
import { notSimulatedReport } from '../../api/not-simulated.js';
import { arn } from '../../api/arn.js';
import type { AutoScalingGroupSpec } from '../../api/v1alpha1/types.js';
import { clampCapacity } from '../scaling-math/index.js';
import { instanceIdFrom, uuidFrom } from '../capacity/association.js';
import { launchZones, terminationVictims } from './selection.js';
import { MAX_ACTIVITIES, type AsgActivity, type AsgInstance, type AsgStatus, type ObservedInstance } from './types.js';

/** The capacity provider driving the group (the first one naming it, by name). */
export interface DrivingProvider {
  name: string;
  /** Its managed-scaling decision, when managed scaling is ENABLED and has decided. */
  managedScaling?: { desiredCapacity: number; basedOnSpecDesiredCapacity: number };
  managedTerminationProtection: boolean;
  managedDraining: boolean;
}

export interface AsgPlanInput {
  name: string;
  uid: string;
  generation: number;
  /** The defaulted spec (DesiredCapacity = MinSize when omitted). */
  spec: AutoScalingGroupSpec;
  status: AsgStatus;
  provider?: DrivingProvider;
  /** The cluster new instances join, and whether it exists (they wait in Pending until it does). */
  cluster: string;
  clusterExists: boolean;
  launchDelayMs: number;
  observed: Readonly<Record<string, ObservedInstance>>;
  now: number;
}

export type AsgAction =
  | { type: 'register'; instance: AsgInstance }
  | { type: 'drain'; instance: AsgInstance }
  | { type: 'terminate'; instance: AsgInstance }
  | { type: 'deregister'; instance: AsgInstance };

export interface AsgPlan {
  status: AsgStatus;
  actions: AsgAction[];
  /** Human-readable changes for the event recorder (`type` Warning for the NotSimulated report; others are Normal). */
  events: Array<{ reason: string; message: string; type?: 'Warning' }>;
  requeueAfterMs?: number;
}

/** While instances drain or terminate, look again this often (task events also wake the group). */
export const TERMINATION_RECHECK_MS = 10_000;

/**
 * The effective desired capacity (docs/scaling.md "Desired capacity"): spec.DesiredCapacity is the initial
 * value and the user's; a capacity provider's managed scaling overrides it in status for as long as its
 * decision was made against the current spec value (a user change of spec.DesiredCapacity wins until the
 * provider decides again). Always within [MinSize, MaxSize].
 */
export function effectiveDesiredCapacity(spec: AutoScalingGroupSpec, provider?: DrivingProvider): { desired: number; source: string } {
  const specDesired = spec.DesiredCapacity ?? spec.MinSize;
  const ms = provider?.managedScaling;
  const managed = ms !== undefined && ms.basedOnSpecDesiredCapacity === specDesired;
  return {
    desired: clampCapacity(managed ? ms.desiredCapacity : specDesired, spec.MinSize, spec.MaxSize),
    source: managed ? `managed-scaling:${provider!.name}` : 'spec',
  };
}

const iso = (ms: number) => new Date(ms).toISOString();
const isActive = (i: AsgInstance) => i.LifecycleState === 'Pending' || i.LifecycleState === 'InService';

export function planAutoScalingGroup(input: AsgPlanInput): AsgPlan {
  const { spec, now, name, uid } = input;
  const prev = input.status ?? {};
  const actions: AsgAction[] = [];
  const events: AsgPlan['events'] = [];
  // Instances and activities are flat records: shallow copies to change (structuredClone of both was
  // most of a reconcile, which runs for every task that starts or stops in the group's cluster).
  const activities: AsgActivity[] = (prev.Activities ?? []).map((a) => ({ ...a }));
  let seq = prev.launchSeq ?? 0;
  let requeue = Infinity;
  const activity = (id: string) => activities.find((a) => a.ActivityId === id);
  const finishActivity = (id: string, code: AsgActivity['StatusCode'] = 'Successful') => {
    const a = activity(id);
    if (a && a.EndTime === undefined) Object.assign(a, { StatusCode: code, EndTime: iso(now), Progress: 100 });
  };
  const startActivity = (id: string, description: string, cause: string, code: AsgActivity['StatusCode']) => {
    if (activity(id)) return;
    activities.unshift({ ActivityId: id, AutoScalingGroupName: name, Description: description, Cause: cause, StartTime: iso(now), StatusCode: code, Progress: 0 });
  };
  const launchId = (i: AsgInstance) => uuidFrom(`${uid}/launch/${i.InstanceId}`);
  const terminateId = (i: AsgInstance) => uuidFrom(`${uid}/terminate/${i.InstanceId}`);

  // 1. Move each instance along its lifecycle.
  const kept: AsgInstance[] = [];
  for (const rec of (prev.Instances ?? []).map((i) => ({ ...i }))) {
    const obs = input.observed[rec.InstanceId] ?? { registered: false, ec2State: 'running', tasks: 0, busy: false, serviceTasks: 0 };
    if (rec.LifecycleState === 'Pending') {
      const due = Date.parse(rec.LaunchTime) + input.launchDelayMs;
      if (now < due) requeue = Math.min(requeue, due - now);
      else if (input.clusterExists || obs.registered) {
        // The agent registers with the cluster its provider is associated with when it boots.
        if (!obs.registered) rec.Cluster = input.cluster;
        if (!obs.registered) actions.push({ type: 'register', instance: rec });
        rec.LifecycleState = 'InService';
        finishActivity(launchId(rec));
        events.push({ reason: 'InstanceInService', message: `${rec.InstanceId} (${rec.AvailabilityZone}) registered with cluster ${rec.Cluster}` });
      }
    } else if (rec.LifecycleState === 'InService' && (!obs.registered || obs.ec2State !== 'running')) {
      // EC2 health check: a stopped, terminated or deregistered instance is replaced.
      rec.LifecycleState = 'Terminating';
      rec.HealthStatus = 'Unhealthy';
      startActivity(
        terminateId(rec),
        `Terminating EC2 instance: ${rec.InstanceId}`,
        `At ${iso(now)} an instance was taken out of service in response to an EC2 health check indicating it has been terminated or stopped.`,
        'InProgress',
      );
    }
    if (rec.LifecycleState === 'InService' && input.provider?.managedTerminationProtection) {
      rec.ProtectedFromScaleIn = obs.busy; // ECS keeps protection on instances running non-daemon tasks
    }
    if (rec.LifecycleState === 'Terminating:Wait') {
      if (obs.registered && obs.serviceTasks > 0) requeue = Math.min(requeue, TERMINATION_RECHECK_MS);
      else {
        rec.LifecycleState = 'Terminating';
        const a = activity(terminateId(rec));
        if (a) a.StatusCode = 'InProgress';
      }
    }
    if (rec.LifecycleState === 'Terminating') {
      if (obs.registered && obs.ec2State !== 'terminated') actions.push({ type: 'terminate', instance: rec });
      if (obs.registered && obs.tasks > 0) {
        requeue = Math.min(requeue, TERMINATION_RECHECK_MS);
      } else {
        if (obs.registered) actions.push({ type: 'deregister', instance: rec });
        finishActivity(terminateId(rec));
        events.push({ reason: 'InstanceTerminated', message: `${rec.InstanceId} terminated` });
        continue; // gone from the group
      }
    }
    kept.push(rec);
  }

  // 2. Converge the number of active (Pending + InService) instances on the desired capacity.
  const { desired, source } = effectiveDesiredCapacity(spec, input.provider);
  const zones = spec.AvailabilityZones ?? [];
  let active = kept.filter(isActive);
  let blocked = 0;
  if (active.length < desired && zones.length > 0) {
    const from = active.length;
    for (const az of launchZones(zones, active, desired - from)) {
      const rec: AsgInstance = {
        InstanceId: instanceIdFrom(`${uid}/${++seq}`),
        InstanceType: spec.InstanceType ?? 'm5.large',
        AvailabilityZone: az,
        LifecycleState: 'Pending',
        HealthStatus: 'Healthy',
        ProtectedFromScaleIn: Boolean(spec.NewInstancesProtectedFromScaleIn),
        LaunchTime: iso(now),
        Cluster: input.cluster,
      };
      kept.push(rec);
      startActivity(
        launchId(rec),
        `Launching a new EC2 instance: ${rec.InstanceId}`,
        `At ${iso(now)} an instance was started in response to a difference between desired and actual capacity, increasing the capacity from ${from} to ${desired}.`,
        'InProgress',
      );
      events.push({ reason: 'LaunchingInstance', message: `launching ${rec.InstanceId} in ${az} (capacity ${from} → ${desired})` });
      requeue = Math.min(requeue, input.launchDelayMs);
    }
  } else if (active.length > desired) {
    const from = active.length;
    const victims = terminationVictims(zones, active, from - desired);
    blocked = from - desired - victims.length;
    for (const v of victims) {
      const drain = v.LifecycleState === 'InService' && (input.provider?.managedDraining ?? false);
      startActivity(
        terminateId(v),
        `Terminating EC2 instance: ${v.InstanceId}`,
        `At ${iso(now)} an instance was taken out of service in response to a difference between desired and actual capacity, shrinking the capacity from ${from} to ${desired}.  At ${iso(now)} instance ${v.InstanceId} was selected for termination.`,
        drain ? 'MidLifecycleAction' : 'InProgress',
      );
      if (v.LifecycleState === 'Pending') {
        // Not registered yet: nothing to drain or deregister.
        kept.splice(kept.indexOf(v), 1);
        finishActivity(terminateId(v));
        finishActivity(launchId(v), 'Cancelled');
        continue;
      }
      v.LifecycleState = drain ? 'Terminating:Wait' : 'Terminating';
      actions.push({ type: drain ? 'drain' : 'terminate', instance: v });
      events.push({ reason: 'TerminatingInstance', message: `${drain ? 'draining' : 'terminating'} ${v.InstanceId} (capacity ${from} → ${desired})` });
      requeue = Math.min(requeue, TERMINATION_RECHECK_MS);
    }
  }
  active = kept.filter(isActive);

  // 3. Status and conditions.
  const inService = kept.filter((i) => i.LifecycleState === 'InService').length;
  const pending = kept.filter((i) => i.LifecycleState === 'Pending').length;
  const leaving = kept.length - active.length;
  const gen = input.generation;
  let conditions = setCondition(
    prev.conditions,
    inService === desired && pending === 0 && leaving === 0
      ? { type: 'Ready', status: 'True', reason: 'AtDesiredCapacity', message: `${inService}/${desired} instances InService`, observedGeneration: gen }
      : {
          type: 'Ready',
          status: 'False',
          reason: 'Scaling',
          message: `${inService}/${desired} instances InService, ${pending} Pending, ${leaving} terminating`,
          observedGeneration: gen,
        },
    now,
  );
  const degraded = blocked > 0
    ? `${blocked} instance(s) above the desired capacity are protected from scale-in`
    : zones.length === 0
      ? 'no AvailabilityZones to launch into'
      : pending > 0 && !input.clusterExists
        ? `cluster ${input.cluster} does not exist: instances wait to register`
        : '';
  conditions = setCondition(
    conditions,
    degraded
      ? { type: 'Degraded', status: 'True', reason: blocked > 0 ? 'ScaleInProtected' : 'CannotRegister', message: degraded, observedGeneration: gen }
      : { type: 'Degraded', status: 'False', reason: 'AsExpected', message: '', observedGeneration: gen },
    now,
  );
  const notSimulated = notSimulatedReport('AutoScalingGroup', spec, conditions, gen, now);
  if (notSimulated.event) events.unshift(notSimulated.event);
  const status: AsgStatus = {
    ...prev,
    AutoScalingGroupARN: arn.autoScalingGroup(name),
    AutoScalingGroupName: name,
    MinSize: spec.MinSize,
    MaxSize: spec.MaxSize,
    DesiredCapacity: desired,
    DesiredCapacitySource: source,
    Instances: kept,
    Activities: activities.slice(0, MAX_ACTIVITIES),
    launchSeq: seq,
    observedGeneration: gen,
    conditions: notSimulated.conditions,
  };
  return { status, actions, events, ...(Number.isFinite(requeue) ? { requeueAfterMs: Math.max(1, requeue) } : {}) };
}
