/**
 * Container instance status as a pure function of its spec, annotations and the tasks placed on
 * it (ecs-semantics §1 ContainerInstance, §9): registered and remaining resources, counts,
 * attributes, status and agent connectivity.
 */
import { arn } from '../../api/arn.js';
import { setCondition } from '../../api/conditions.js';
import { setConditionKeep } from '../shared/conditions.js';
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
  registeredResources: EcsResource[];
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
    registeredResources: [],
  };
  const reg = parts.reg;
  parts.registeredResources = [
    { name: 'CPU', type: 'INTEGER', integerValue: reg.cpu },
    { name: 'MEMORY', type: 'INTEGER', integerValue: reg.memory },
    { name: 'PORTS', type: 'STRINGSET', stringSetValue: reg.tcpPorts.map(String) },
    { name: 'PORTS_UDP', type: 'STRINGSET', stringSetValue: reg.udpPorts.map(String) },
  ];
  if (Object.isFrozen(spec)) {
    deepFreeze(parts.attributes);
    deepFreeze(parts.registeredResources);
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
 * Registered plus used ports, sorted, as strings. Kept per (incrementally accounted) usage while
 * its set of ports stays the same: a task starting or stopping its containers changes no port.
 */
const portCache = new WeakMap<object, { version: number; parts: SpecParts; tcp: string[]; udp: string[] }>();
function portLists(parts: SpecParts, used: InstanceUsage): { tcp: string[]; udp: string[] } {
  const hit = used.portsVersion !== undefined ? portCache.get(used) : undefined;
  if (hit && hit.version === used.portsVersion && hit.parts === parts) return hit;
  const reg = parts.reg;
  const tcp = [...new Set([...reg.tcpPorts, ...used.tcpPorts])].sort((a, b) => a - b).map(String);
  const udp = [...new Set([...reg.udpPorts, ...used.udpPorts])].sort((a, b) => a - b).map(String);
  const entry = { version: used.portsVersion ?? -1, parts, tcp: Object.freeze(tcp) as string[], udp: Object.freeze(udp) as string[] };
  if (used.portsVersion !== undefined) portCache.set(used, entry);
  return entry;
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
  const registeredResources = parts.registeredResources; // shared and frozen: compares by identity
  const { tcp, udp } = portLists(parts, used);
  const remainingResources: EcsResource[] = [
    { name: 'CPU', type: 'INTEGER', integerValue: reg.cpu - used.cpu },
    { name: 'MEMORY', type: 'INTEGER', integerValue: reg.memory - used.memory },
    { name: 'PORTS', type: 'STRINGSET', stringSetValue: tcp },
    { name: 'PORTS_UDP', type: 'STRINGSET', stringSetValue: udp },
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
    conditions: setConditionKeep(
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
