/**
 * Container instance status as a pure function of its spec, annotations and the tasks placed on
 * it (ecs-semantics §1 ContainerInstance, §9): registered and remaining resources, counts,
 * attributes, status and agent connectivity.
 */
import { arn } from '../../api/arn.js';
import { setCondition } from '../../api/conditions.js';
import { clusterOf } from '../../api/meta.js';
import type { ContainerInstanceStatus, Resource as EcsResource } from '../../api/v1alpha1/status.js';
import { attributesOf, ec2InstanceIdOf, effectiveState, registeredOf, type InstanceObject, type Registered } from '../shared/instances.js';
import type { InstanceUsage } from '../shared/accounting.js';

/** What status takes from the spec alone, computed once per (frozen, stored) spec object. */
interface SpecParts {
  name: string;
  reg: Registered;
  ec2InstanceId: string;
  attributes: Array<{ name: string; value?: string }>;
}
const specParts = new WeakMap<object, SpecParts>();

function partsOf(inst: InstanceObject): SpecParts {
  const spec = inst.spec as object;
  const hit = specParts.get(spec);
  if (hit && hit.name === inst.metadata.name) return hit;
  const parts: SpecParts = {
    name: inst.metadata.name,
    reg: registeredOf(inst.spec),
    ec2InstanceId: ec2InstanceIdOf(inst),
    attributes: Object.entries(attributesOf(inst))
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([name, value]) => (value === null ? { name } : { name, value })),
  };
  if (Object.isFrozen(spec)) {
    deepFreeze(parts.attributes);
    specParts.set(spec, parts);
  }
  return parts;
}

function deepFreeze<T>(v: T): T {
  if (v && typeof v === 'object') {
    for (const x of Object.values(v)) deepFreeze(x);
    Object.freeze(v);
  }
  return v;
}

/**
 * Status from the instance and what its tasks hold (`used`: shared/accounting.ts, or
 * usageFromTasks(tasks) for the same from scratch).
 */
export function planInstanceStatus(inst: InstanceObject, used: InstanceUsage, now: number): ContainerInstanceStatus {
  const parts = partsOf(inst);
  const reg = parts.reg;
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
  const ready = state.status === 'ACTIVE' && state.agentConnected;
  return {
    ...prev,
    containerInstanceArn: arn.containerInstance(clusterOf(inst), inst.metadata.name),
    ec2InstanceId: parts.ec2InstanceId,
    status: state.status,
    agentConnected: state.agentConnected,
    registeredResources,
    remainingResources,
    runningTasksCount: used.running,
    pendingTasksCount: used.pending,
    attributes: parts.attributes,
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
