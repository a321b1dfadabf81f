import type { InstanceView, PlacedTaskView, TaskRequirements } from '../../../controllers/placement/index.js';
import { RESERVED_TCP_PORTS } from '../../../controllers/placement/index.js';

/** A container instance view with sensible defaults (ACTIVE, connected, 2 vCPU / 4 GiB). */
export function inst(name: string, over: Partial<InstanceView> & { az?: string; type?: string } = {}): InstanceView {
  const { az, type, attributes, ...rest } = over;
  return {
    name,
    arn: `arn:aws:ecs:us-east-1:123456789012:container-instance/default/${name}`,
    ec2InstanceId: `i-${name}`,
    status: 'ACTIVE',
    agentConnected: true,
    agentVersion: '1.82.0',
    registeredAt: Date.UTC(2024, 0, 15, 12, 0, 0),
    attributes: {
      'ecs.availability-zone': az ?? 'us-east-1a',
      'ecs.instance-type': type ?? 'm5.large',
      'ecs.os-type': 'linux',
      'ecs.cpu-architecture': 'x86_64',
      ...attributes,
    },
    remainingCpu: 2048,
    remainingMemory: 4096,
    usedTcpPorts: new Set(RESERVED_TCP_PORTS),
    usedUdpPorts: new Set(),
    tasks: [],
    ...rest,
  };
}

export function tasks(n: number, group: string, extra: Partial<PlacedTaskView> = {}, prefix = group): PlacedTaskView[] {
  return Array.from({ length: n }, (_, k) => ({ id: `${prefix}-${k}`, group, ...extra }));
}

export function req(over: Partial<TaskRequirements> = {}): TaskRequirements {
  return {
    cpu: 256,
    memory: 512,
    staticTcpPorts: [],
    staticUdpPorts: [],
    dynamicTcpPorts: 0,
    dynamicUdpPorts: 0,
    group: 'service:web',
    serviceKey: 'default/web',
    ...over,
  };
}

/** Deep snapshot of instance views (Sets as sorted arrays) to check that inputs are not mutated. */
export function snapshot(instances: InstanceView[]): string {
  return JSON.stringify(instances, (_k, v) => (v instanceof Set ? [...v].sort((a, b) => a - b) : v));
}

/** How many placements went to each instance. */
export function tally(placements: { instance: string }[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const p of placements) out[p.instance] = (out[p.instance] ?? 0) + 1;
  return out;
}

/** An rng that always returns the same value. */
export const constRng = (v: number) => () => v;

/** An rng that must not be called. */
export const noRng = () => {
  throw new Error('rng must not be called');
};
