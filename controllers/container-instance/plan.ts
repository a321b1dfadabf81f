/**
 * Container instance status as a pure function of its spec, annotations and the tasks placed on
 * it (ecs-semantics §1 ContainerInstance, §9): registered and remaining resources, counts,
 * attributes, status and agent connectivity.
 */
import { arn } from '../../api/arn.js';
import { setCondition } from '../../api/conditions.js';
import { clusterOf } from '../../api/meta.js';
import type { ContainerInstanceStatus, Resource as EcsResource } from '../../api/v1alpha1/status.js';
import { attributesOf, ec2InstanceIdOf, effectiveState, registeredOf, usageOf, type InstanceObject, type TaskObject } from '../shared/instances.js';

export function planInstanceStatus(inst: InstanceObject, tasks: TaskObject[], now: number): ContainerInstanceStatus {
  const reg = registeredOf(inst.spec);
  const used = usageOf(tasks);
  const state = effectiveState(inst);
  const prev = inst.status ?? {};
  const registeredResources: EcsResource[] = [
    { name: 'CPU', type: 'INTEGER', integerValue: reg.cpu },
    { name: 'MEMORY', type: 'INTEGER', integerValue: reg.memory },
    { name: 'PORTS', type: 'STRINGSET', stringSetValue: reg.tcpPorts.map(String) },
    { name: 'PORTS_UDP', type: 'STRINGSET', stringSetValue: reg.udpPorts.map(String) },
  ];
  const tcp = [...new Set([...reg.tcpPorts, ...used.tcpPorts])].sort((a, b) => a - b);
  const udp = [...new Set([...reg.udpPorts, ...used.udpPorts])].sort((a, b) => a - b);
  const remainingResources: EcsResource[] = [
    { name: 'CPU', type: 'INTEGER', integerValue: reg.cpu - used.cpu },
    { name: 'MEMORY', type: 'INTEGER', integerValue: reg.memory - used.memory },
    { name: 'PORTS', type: 'STRINGSET', stringSetValue: tcp.map(String) },
    { name: 'PORTS_UDP', type: 'STRINGSET', stringSetValue: udp.map(String) },
  ];
  const attrs = attributesOf(inst);
  const ready = state.status === 'ACTIVE' && state.agentConnected;
  return {
    ...prev,
    containerInstanceArn: arn.containerInstance(clusterOf(inst), inst.metadata.name),
    ec2InstanceId: ec2InstanceIdOf(inst),
    status: state.status,
    agentConnected: state.agentConnected,
    registeredResources,
    remainingResources,
    runningTasksCount: tasks.filter((t) => t.status?.desiredStatus === 'RUNNING' && t.status?.lastStatus === 'RUNNING').length,
    pendingTasksCount: tasks.filter((t) => t.status?.lastStatus === 'PENDING' || t.status?.lastStatus === 'PROVISIONING').length,
    attributes: Object.entries(attrs)
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([name, value]) => (value === null ? { name } : { name, value })),
    registeredAt: prev.registeredAt ?? inst.metadata.creationTimestamp ?? new Date(now).toISOString(),
    observedGeneration: inst.metadata.generation,
    conditions: setCondition(
      prev.conditions,
      ready
        ? { type: 'Ready', status: 'True', reason: 'Active', message: 'ACTIVE, agent connected', observedGeneration: inst.metadata.generation }
        : {
            type: 'Ready',
            status: 'False',
            reason: state.status !== 'ACTIVE' ? state.status : 'AgentDisconnected',
            message: state.status === 'INACTIVE' ? `EC2 instance ${state.ec2State}` : !state.agentConnected ? 'agent disconnected' : `status ${state.status}`,
            observedGeneration: inst.metadata.generation,
          },
      now,
    ),
  };
}
