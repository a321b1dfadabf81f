/**
 * Container instance facts shared by the instance, task and service loops: registered
 * resources, the effective state (status, agent, EC2 state from annotations), and what the
 * tasks placed on it use. Accounting is recomputed from the tasks themselves, so it stays exact
 * however tasks come and go.
 */
import { createHash } from 'node:crypto';
import type { Resource } from '../../api/meta.js';
import type { ContainerInstanceSpec } from '../../api/v1alpha1/types.js';
import type { ContainerInstanceStatus, TaskStatus } from '../../api/v1alpha1/status.js';
import { containerInstanceResources, lookupInstanceType } from '../../api/instance-types.js';
import { parseCpu, parseMemory } from './requirements.js';
import type { ResourceStore } from '../../store/store.js';

export type InstanceObject = Resource<ContainerInstanceSpec, ContainerInstanceStatus>;
export type TaskObject = Resource<any, TaskStatus>;

/** Annotations that stand in for UpdateContainerInstancesState and for EC2/agent events. */
export const INSTANCE_ANNOTATIONS = {
  /** ACTIVE | DRAINING (UpdateContainerInstancesState). */
  desiredStatus: 'ecsplane.io/desired-status',
  /** running | stopped | terminated (the EC2 instance's state). */
  ec2State: 'sim.ecsplane.io/ec2-state',
  /** connected | disconnected. */
  agent: 'sim.ecsplane.io/agent',
} as const;

export const RESERVED_TCP_PORTS = [22, 2375, 2376, 51678, 51679];
export const DEFAULT_AZ = 'us-east-1a';

export interface Registered {
  cpu: number;
  memory: number;
  tcpPorts: number[];
  udpPorts: number[];
}

export function registeredOf(spec: ContainerInstanceSpec): Registered {
  const res = spec.totalResources ?? [];
  const find = (n: string) => res.find((r) => r.name === n);
  const type = attributeOf(spec, 'ecs.instance-type');
  const fromType = type ? containerInstanceResources(type) : undefined;
  return {
    cpu: find('CPU')?.integerValue ?? fromType?.cpu ?? 0,
    memory: find('MEMORY')?.integerValue ?? fromType?.memory ?? 0,
    tcpPorts: (find('PORTS')?.stringSetValue ?? RESERVED_TCP_PORTS.map(String)).map(Number),
    udpPorts: (find('PORTS_UDP')?.stringSetValue ?? []).map(Number),
  };
}

export function attributeOf(spec: ContainerInstanceSpec, name: string): string | undefined {
  return spec.attributes?.find((a) => a.name === name)?.value ?? undefined;
}

export function ec2InstanceIdOf(inst: Pick<InstanceObject, 'metadata' | 'spec'>): string {
  const given = attributeOf(inst.spec, 'ecs.ec2-instance-id');
  if (given) return given;
  return 'i-' + createHash('sha256').update(inst.metadata.name).digest('hex').slice(0, 17);
}

export interface EffectiveState {
  status: 'ACTIVE' | 'DRAINING' | 'INACTIVE';
  agentConnected: boolean;
  ec2State: 'running' | 'stopped' | 'terminated';
}

export function effectiveState(inst: Pick<InstanceObject, 'metadata'>): EffectiveState {
  const a = inst.metadata.annotations ?? {};
  const ec2State = (a[INSTANCE_ANNOTATIONS.ec2State] as EffectiveState['ec2State']) ?? 'running';
  if (ec2State === 'terminated') return { status: 'INACTIVE', agentConnected: false, ec2State };
  const status = a[INSTANCE_ANNOTATIONS.desiredStatus] === 'DRAINING' ? 'DRAINING' : 'ACTIVE';
  const agentConnected = ec2State === 'running' && a[INSTANCE_ANNOTATIONS.agent] !== 'disconnected';
  return { status, agentConnected, ec2State };
}

/** Built-in attributes (ecs-semantics §1 ContainerInstance) merged under the custom ones. */
export function attributesOf(inst: Pick<InstanceObject, 'metadata' | 'spec'>): Record<string, string | null> {
  const out: Record<string, string | null> = {
    'ecs.availability-zone': DEFAULT_AZ,
    'ecs.os-type': 'linux',
    'ecs.os-family': 'LINUX',
    'ecs.cpu-architecture': 'x86_64',
    'ecs.ami-id': 'ami-0ecsplane000000000',
  };
  const type = attributeOf(inst.spec, 'ecs.instance-type');
  const t = type ? lookupInstanceType(type) : undefined;
  if (t?.architecture) out['ecs.cpu-architecture'] = t.architecture;
  for (const a of inst.spec.attributes ?? []) out[a.name] = a.value ?? null;
  return out;
}

export interface Usage {
  cpu: number;
  memory: number;
  tcpPorts: Set<number>;
  udpPorts: Set<number>;
}

export function usageOf(tasks: TaskObject[]): Usage {
  const u: Usage = { cpu: 0, memory: 0, tcpPorts: new Set(), udpPorts: new Set() };
  for (const t of tasks) {
    u.cpu += parseCpu(t.status?.cpu) ?? 0;
    u.memory += parseMemory(t.status?.memory) ?? 0;
    for (const c of t.status?.containers ?? []) {
      for (const b of c.networkBindings ?? []) (b.protocol === 'udp' ? u.udpPorts : u.tcpPorts).add(b.hostPort);
    }
  }
  return u;
}

/** Instances launched for a capacity provider carry its name in this label. */
export const CAPACITY_PROVIDER_LABEL = 'ecsplane.io/capacity-provider';

export function capacityProviderOf(inst: Pick<InstanceObject, 'metadata' | 'status'>): string | undefined {
  return inst.metadata.labels?.[CAPACITY_PROVIDER_LABEL] ?? inst.status?.capacityProviderName;
}
