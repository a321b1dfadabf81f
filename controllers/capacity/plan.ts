/**
 * The capacity provider loop as a pure plan (ecs-semantics §6): once per one-minute period, record the
 * CapacityProviderReservation datapoint (M / N × 100) and let managed scaling (planManagedScaling) decide
 * the Auto Scaling group's desired capacity. Everything it needs between periods is in status (datapoints,
 * the last decision), so a restart changes nothing.
 */
import { setCondition } from '../../api/conditions.js';
import { notSimulatedReport } from '../../api/not-simulated.js';
import { arn } from '../../api/arn.js';
import type { CapacityProviderSpec, ManagedScaling } from '../../api/v1alpha1/types.js';
import { capacityProviderReservation, consecutiveBreaching, MANAGED_SCALE_IN_DATAPOINTS, planManagedScaling } from '../scaling-math/index.js';
import { appendDatapoint, datapointDue, untilNextPeriod, values } from '../autoscaling/periods.js';
import { uuidFrom } from './association.js';
import type { DemandObservation, GroupObservation } from './observe.js';
import type { CapacityActivity, CapacityProviderStatus, ManagedScalingStatus } from './types.js';

export interface CapacityProviderPlanInput {
  name: string;
  uid: string;
  generation: number;
  /** The provider's spec: fields ecsplane does not simulate are reported (api/not-simulated.ts). */
  spec: CapacityProviderSpec;
  /** The defaulted managedScaling block. */
  managedScaling: Required<ManagedScaling>;
  status: CapacityProviderStatus;
  cluster?: string;
  asgName?: string;
  /** Undefined when the Auto Scaling group does not exist. */
  group?: GroupObservation;
  demand?: DemandObservation;
  now: number;
}

export interface CapacityProviderPlan {
  status: CapacityProviderStatus;
  /** `type` Warning for the NotSimulated report; others are Normal. */
  events: Array<{ reason: string; message: string; type?: 'Warning' }>;
  requeueAfterMs: number;
}

const MAX_ACTIVITIES = 50;
const iso = (ms: number) => new Date(ms).toISOString();

export function planCapacityProvider(input: CapacityProviderPlanInput): CapacityProviderPlan {
  const { now, group, demand, managedScaling: ms } = input;
  const prev = input.status ?? {};
  const gen = input.generation;
  const events: CapacityProviderPlan['events'] = [];
  const activities: CapacityActivity[] = structuredClone(prev.activities ?? []);
  let seq = prev.activitySeq ?? 0;
  // DISABLED keeps the last decision (no new datapoints): the group stays where managed scaling left it.
  let managed: ManagedScalingStatus | undefined = prev.managedScaling;

  if (group && demand && ms.status === 'ENABLED' && datapointDue(prev.managedScaling?.datapoints, now)) {
    const metric = capacityProviderReservation(demand.M, demand.N);
    const datapoints = appendDatapoint(prev.managedScaling?.datapoints, now, metric, MANAGED_SCALE_IN_DATAPOINTS);
    const plan = planManagedScaling({
      now,
      targetCapacity: ms.targetCapacity,
      minStep: ms.minimumScalingStepSize,
      maxStep: ms.maximumScalingStepSize,
      warmupSeconds: ms.instanceWarmupPeriod,
      M: demand.M,
      N: demand.N,
      instances: demand.instances,
      lowDatapoints: consecutiveBreaching(values(datapoints), ms.targetCapacity, 'LessThanThreshold'),
      currentDesired: group.currentDesired,
      asgMin: group.min,
      asgMax: group.max,
    });
    managed = {
      metric,
      M: demand.M,
      N: demand.N,
      desiredCapacity: plan.desiredCapacity,
      basedOnSpecDesiredCapacity: group.specDesired,
      reason: plan.reason,
      excludedTasks: demand.excludedTasks,
      datapoints,
    };
    if (plan.desiredCapacity !== group.currentDesired) {
      for (const a of activities) if (a.StatusCode === 'InProgress') Object.assign(a, { StatusCode: 'Overridden', EndTime: iso(now) });
      const out = plan.desiredCapacity > group.currentDesired;
      activities.unshift({
        ActivityId: uuidFrom(`${input.uid}/activity/${++seq}`),
        Description: `Setting desired capacity of Auto Scaling group ${group.name} to ${plan.desiredCapacity}.`,
        Cause: `CapacityProviderReservation ${round(metric)} ${out ? '>' : '<'} targetCapacity ${ms.targetCapacity} (M=${demand.M}, N=${demand.N}${out ? '' : `, ${MANAGED_SCALE_IN_DATAPOINTS} datapoints below target`}): ${plan.reason}, ${group.currentDesired} → ${plan.desiredCapacity}.`,
        StatusCode: 'InProgress',
        StartTime: iso(now),
        DesiredCapacity: plan.desiredCapacity,
      });
      events.push({ reason: out ? 'ManagedScaleOut' : 'ManagedScaleIn', message: `CapacityProviderReservation ${round(metric)} (M=${demand.M}, N=${demand.N}): desired capacity ${group.currentDesired} → ${plan.desiredCapacity}` });
    }
  }
  // An activity is done once the group has adopted the capacity it set.
  for (const a of activities) {
    if (a.StatusCode === 'InProgress' && group?.currentDesired === a.DesiredCapacity) Object.assign(a, { StatusCode: 'Successful', EndTime: iso(now) });
  }

  const message = ms.status !== 'ENABLED'
    ? `managed scaling DISABLED${managed ? ` (its last decision, desired capacity ${managed.desiredCapacity}, stands)` : ''}`
    : managed
      ? `CapacityProviderReservation ${round(managed.metric)} (M=${managed.M}, N=${managed.N}), targetCapacity ${ms.targetCapacity}`
      : 'managed scaling ENABLED';
  const ready = group
    ? { type: 'Ready', status: 'True' as const, reason: 'Active', message }
    : { type: 'Ready', status: 'False' as const, reason: 'AutoScalingGroupNotFound', message: `Auto Scaling group ${input.asgName ?? ''} does not exist` };
  let conditions = setCondition(prev.conditions, { ...ready, observedGeneration: gen }, now);
  const excluded = managed?.excludedTasks ?? 0;
  conditions = setCondition(
    conditions,
    excluded > 0
      ? { type: 'Degraded', status: 'True', reason: 'TasksFitNoInstance', message: `${excluded} PROVISIONING task(s) fit no instance of the group's type`, observedGeneration: gen }
      : { type: 'Degraded', status: 'False', reason: 'AsExpected', message: '', observedGeneration: gen },
    now,
  );
  const notSimulated = notSimulatedReport('CapacityProvider', input.spec, conditions, gen, now);
  if (notSimulated.event) events.unshift(notSimulated.event);
  const status: CapacityProviderStatus = {
    ...prev,
    capacityProviderArn: arn.capacityProvider(input.name),
    name: input.name,
    type: 'EC2_AUTOSCALING',
    status: 'ACTIVE',
    updateStatus: gen > 1 ? 'UPDATE_COMPLETE' : 'CREATE_COMPLETE',
    cluster: input.cluster,
    autoScalingGroupName: input.asgName,
    managedScaling: managed,
    activities: activities.slice(0, MAX_ACTIVITIES),
    activitySeq: seq,
    observedGeneration: gen,
    conditions: notSimulated.conditions,
  };
  if (status.cluster === undefined) delete status.cluster;
  if (status.managedScaling === undefined) delete status.managedScaling;
  return { status, events, requeueAfterMs: untilNextPeriod(now) };
}

const round = (x: number) => Math.round(x * 100) / 100;
