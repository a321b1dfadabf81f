/**
 * What managed scaling needs from the store, as plain values (ecs-semantics §6): the provider's tasks
 * waiting in PROVISIONING, its running instances with what is left on them, and the Auto Scaling
 * group's state. M is computed here with the pure `instancesNeeded`.
 */
import { makeKey, type Resource } from '../../api/meta.js';
import { parseTaskDefinitionRef } from '../../api/arn.js';
import { containerInstanceResources, lookupInstanceType, taskEniLimit } from '../../api/instance-types.js';
import type { AutoScalingGroupSpec } from '../../api/v1alpha1/types.js';
import type { ResourceStore } from '../../store/store.js';
import { getRevision } from '../../store/taskdefs.js';
import { instanceIsEmpty, instancesNeeded, type ManagedInstance, type RunningInstanceCapacity, type TaskRequirement } from '../scaling-math/index.js';
import { effectiveState, type InstanceObject, type TaskObject } from '../shared/instances.js';
import { tasksAwaitingCapacity, tasksOnInstance } from '../shared/indexes.js';
import { instanceView } from '../shared/launch.js';
import { parseCpu, parseMemory, taskNeeds } from '../shared/requirements.js';
import type { AsgStatus } from '../autoscaling-group/types.js';
import { isDaemonTask } from './association.js';
import { specDefaults } from '../shared/defaults.js';
import { accountSettingValue } from '../shared/account-settings.js';

export interface GroupObservation {
  name: string;
  /** The group's (defaulted) spec.DesiredCapacity, MinSize, MaxSize and effective DesiredCapacity. */
  specDesired: number;
  currentDesired: number;
  min: number;
  max: number;
}

export interface DemandObservation {
  M: number;
  N: number;
  excludedTasks: number;
  provisioningTasks: number;
  /** Pending and InService instances, for warm-up and scale-in. */
  instances: ManagedInstance[];
}

export function observeGroup(asg: Resource<AutoScalingGroupSpec, AsgStatus>): GroupObservation {
  const spec = specDefaults<AutoScalingGroupSpec>('AutoScalingGroup', asg.spec, { name: asg.metadata.name });
  const specDesired = spec.DesiredCapacity ?? spec.MinSize;
  return { name: asg.metadata.name, specDesired, currentDesired: asg.status?.DesiredCapacity ?? specDesired, min: spec.MinSize, max: spec.MaxSize };
}

export function observeDemand(store: ResourceStore, asg: Resource<AutoScalingGroupSpec, AsgStatus>, cluster: string | undefined, provider: string): DemandObservation {
  const spec = specDefaults<AutoScalingGroupSpec>('AutoScalingGroup', asg.spec, { name: asg.metadata.name });
  const records = (asg.status?.Instances ?? []).filter((r) => r.LifecycleState === 'Pending' || r.LifecycleState === 'InService');
  const bins: RunningInstanceCapacity[] = [];
  const emptyById = new Map<string, boolean>();
  for (const rec of records) {
    if (rec.LifecycleState !== 'InService') continue;
    const key = makeKey(rec.Cluster, rec.InstanceId);
    const inst = store.get('ContainerInstance', key) as InstanceObject | undefined;
    if (!inst) continue;
    const empty = instanceIsEmpty(tasksOnInstance(store, key).map((t) => ({ daemon: isDaemonTask(store, t, rec.Cluster) })));
    emptyById.set(rec.InstanceId, empty);
    const state = effectiveState(inst);
    if (state.status !== 'ACTIVE' || !state.agentConnected) continue; // takes no new tasks
    const view = instanceView(store, rec.Cluster, inst);
    bins.push({
      id: rec.InstanceId,
      remainingCpu: view.remainingCpu,
      remainingMemory: view.remainingMemory,
      remainingEnis: view.remainingEnis,
      usedTcpPorts: view.usedTcpPorts, // read, never changed (instancesNeeded copies on write)
      usedUdpPorts: view.usedUdpPorts,
      empty,
    });
  }
  // The provider's unplaced PROVISIONING tasks in the cluster, from their index.
  const tasks = cluster ? tasksAwaitingCapacity(store, cluster, provider) : [];
  const type = lookupInstanceType(spec.InstanceType ?? 'm5.large');
  const fresh = type ? containerInstanceResources(type) : { cpu: 0, memory: 0 };
  // ENIs as placement will count them on an instance launched now (a trunk ENI while awsvpcTrunking is enabled).
  const enis = taskEniLimit(spec.InstanceType ?? 'm5.large', accountSettingValue(store, 'awsvpcTrunking') === 'enabled');
  const needed = instancesNeeded(tasks.map((t) => requirementOf(store, t)), { cpu: fresh.cpu, memory: fresh.memory, ...(enis !== undefined ? { enis } : {}) }, bins);
  return {
    M: needed.M,
    N: records.filter((r) => r.LifecycleState === 'InService').length,
    excludedTasks: needed.excludedTasks.length,
    provisioningTasks: tasks.length,
    instances: records.map((r) => ({
      id: r.InstanceId,
      launchedAt: Date.parse(r.LaunchTime),
      empty: emptyById.get(r.InstanceId) ?? true,
      protected: r.ProtectedFromScaleIn,
    })),
  };
}

function requirementOf(store: ResourceStore, t: TaskObject): TaskRequirement {
  const ref = t.status?.taskDefinitionArn ? parseTaskDefinitionRef(t.status.taskDefinitionArn) : undefined;
  const rev = ref ? getRevision(store, `${ref.family}:${ref.revision}`) : undefined;
  const needs = rev ? taskNeeds(rev.spec) : undefined;
  return {
    cpu: parseCpu(t.status?.cpu) ?? needs?.cpu ?? 0,
    memory: parseMemory(t.status?.memory) ?? needs?.memory ?? 0,
    tcpPorts: needs?.staticTcpPorts ?? [],
    udpPorts: needs?.staticUdpPorts ?? [],
    enis: needs?.enis ?? 0,
  };
}
