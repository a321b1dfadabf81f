/**
 * What a task needs from an instance, read from its task definition (ecs-semantics §1, §5, §8):
 * CPU units, memory (memoryReservation, else memory, per container; task-level values win),
 * static host ports and how many dynamic (ephemeral) ports.
 */
import type { TaskDefinitionSpec } from '../../api/v1alpha1/types.js';

export interface TaskNeeds {
  cpu: number;
  memory: number;
  staticTcpPorts: number[];
  staticUdpPorts: number[];
  dynamicTcpPorts: number;
  dynamicUdpPorts: number;
  /** 1 for awsvpc tasks: the task's own ENI on its instance. */
  enis: number;
  /** Per container, the port mappings to bind (hostPort undefined = dynamic). */
  bindings: Array<{ container: string; containerPort: number; hostPort?: number; protocol: 'tcp' | 'udp' }>;
}

export function parseCpu(v: string | number | undefined): number | undefined {
  if (v === undefined || v === null || v === '') return undefined;
  const s = String(v).trim();
  if (s !== '') {
    const n = Number(s); // fast path: a plain number (the vcpu form is never a finite number)
    if (Number.isFinite(n)) return n;
  }
  const vcpu = /^([\d.]+)\s*vcpu$/i.exec(s);
  if (vcpu) return Math.round(Number(vcpu[1]) * 1024);
  const n = Number(s);
  return Number.isFinite(n) ? n : undefined;
}

export function parseMemory(v: string | number | undefined): number | undefined {
  if (v === undefined || v === null || v === '') return undefined;
  const s = String(v).trim();
  if (s !== '') {
    const n = Number(s); // fast path: a plain number (the GB form is never a finite number)
    if (Number.isFinite(n)) return n;
  }
  const gb = /^([\d.]+)\s*gb$/i.exec(s);
  if (gb) return Math.round(Number(gb[1]) * 1024);
  const n = Number(s);
  return Number.isFinite(n) ? n : undefined;
}

export function taskNeeds(td: TaskDefinitionSpec): TaskNeeds {
  const containers = td.containerDefinitions ?? [];
  const cpu = parseCpu(td.cpu) ?? containers.reduce((a, c) => a + (c.cpu ?? 0), 0);
  const memory =
    parseMemory(td.memory) ?? containers.reduce((a, c) => a + (c.memoryReservation ?? c.memory ?? 0), 0);
  const mode = td.networkMode ?? 'bridge';
  const needs: TaskNeeds = { cpu, memory, staticTcpPorts: [], staticUdpPorts: [], dynamicTcpPorts: 0, dynamicUdpPorts: 0, enis: mode === 'awsvpc' ? 1 : 0, bindings: [] };
  if (mode === 'awsvpc' || mode === 'none') return needs; // the task's own ENI: no host ports
  for (const c of containers) {
    for (const pm of c.portMappings ?? []) {
      if (pm.containerPort === undefined) continue;
      const protocol = pm.protocol === 'udp' ? 'udp' : 'tcp';
      const hostPort = mode === 'host' ? pm.containerPort : pm.hostPort || undefined;
      needs.bindings.push({ container: c.name, containerPort: pm.containerPort, hostPort, protocol });
      if (hostPort !== undefined) (protocol === 'tcp' ? needs.staticTcpPorts : needs.staticUdpPorts).push(hostPort);
      else if (protocol === 'tcp') needs.dynamicTcpPorts++;
      else needs.dynamicUdpPorts++;
    }
  }
  return needs;
}
