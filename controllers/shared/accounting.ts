/**
 * Incremental resource accounting per container instance (issue #6).
 *
 * What the tasks placed on an instance use (CPU, memory, host ports) and how many of them run or
 * wait, kept up to date from the store's write stream: each Task write subtracts what the task
 * held before (the replaced object) and adds what it holds now, so reading an instance's usage is
 * O(1) instead of a pass over its tasks — an instance carrying a hundred binpacked tasks no longer
 * costs a hundred reads per task event. "Holding" means what the task-by-instance index means:
 * placed and not yet STOPPED. Sums stay exact: CPU and memory are integers (an instance with a
 * fractional value falls back to recomputing from its tasks), ports are counted per port.
 * An instance is accounted from its tasks on first use; restore() starts afresh.
 */
import { clusterOf, makeKey, type Resource } from '../../api/meta.js';
import type { ResourceStore } from '../../store/store.js';
import type { WatchEvent } from '../../store/watch.js';
import { heldOn, tasksOnInstance } from './indexes.js';
import type { TaskObject } from './instances.js';
import { parseCpu, parseMemory } from './requirements.js';

/** What the tasks on one instance hold, as planInstanceStatus needs it. */
export interface InstanceUsage {
  cpu: number;
  memory: number;
  /** Host ports in use (each port once), any order. */
  tcpPorts: Iterable<number>;
  udpPorts: Iterable<number>;
  /** desiredStatus RUNNING and lastStatus RUNNING. */
  running: number;
  /** lastStatus PENDING or PROVISIONING. */
  pending: number;
  /** ENIs of awsvpc tasks (their ElasticNetworkInterface attachment). */
  enis?: number;
  /** Changes whenever the set of ports changes (when the usage is kept incrementally). */
  portsVersion?: number;
}

/** The usage of `tasks`, computed from scratch (the definition the incremental sums follow). */
export function usageFromTasks(tasks: readonly TaskObject[]): InstanceUsage {
  const acc = new Accumulator();
  for (const t of tasks) acc.apply(t, 1);
  return acc;
}

class Accumulator implements InstanceUsage {
  cpu = 0;
  memory = 0;
  running = 0;
  pending = 0;
  enis = 0;
  /** Port → how many tasks bind it. */
  readonly tcp = new Map<number, number>();
  readonly udp = new Map<number, number>();
  /** A fractional CPU or memory value was seen: sums could round; recompute instead. */
  inexact = false;
  portsVersion = 0;

  get tcpPorts(): Iterable<number> {
    return this.tcp.keys();
  }

  get udpPorts(): Iterable<number> {
    return this.udp.keys();
  }

  apply(t: TaskObject, sign: 1 | -1): void {
    const s = t.status;
    const cpu = parseCpu(s?.cpu) ?? 0;
    const memory = parseMemory(s?.memory) ?? 0;
    if (!Number.isInteger(cpu) || !Number.isInteger(memory)) this.inexact = true;
    this.cpu += sign * cpu;
    this.memory += sign * memory;
    if (s?.desiredStatus === 'RUNNING' && s?.lastStatus === 'RUNNING') this.running += sign;
    if (s?.lastStatus === 'PENDING' || s?.lastStatus === 'PROVISIONING') this.pending += sign;
    if (hasEni(t)) this.enis += sign;
    for (const c of s?.containers ?? []) {
      for (const b of c.networkBindings ?? []) {
        const m = b.protocol === 'udp' ? this.udp : this.tcp;
        const n = (m.get(b.hostPort) ?? 0) + sign;
        if (n === 0) {
          m.delete(b.hostPort);
          this.portsVersion++;
        } else {
          if (n === 1 && sign === 1) this.portsVersion++;
          m.set(b.hostPort, n);
        }
      }
    }
  }
}

/**
 * Whether two versions of a task count the same in their instance's usage (Accumulator.apply):
 * same instance and status class, same CPU and memory, same host ports. The store keeps unchanged
 * parts of a status as the same objects, so comparing the bindings by identity is enough (a false
 * "changed" only costs a reconcile).
 */
export function holdsTheSame(a: TaskObject, b: TaskObject): boolean {
  const s = a.status;
  const t = b.status;
  if (s === t) return true;
  if (!s || !t) return false;
  if (s.containerInstance !== t.containerInstance || s.lastStatus !== t.lastStatus || s.desiredStatus !== t.desiredStatus) return false;
  if (s.cpu !== t.cpu || s.memory !== t.memory || s.attachments !== t.attachments) return false;
  if (s.containers === t.containers) return true;
  const n = s.containers?.length ?? 0;
  if (n !== (t.containers?.length ?? 0)) return false;
  for (let i = 0; i < n; i++) if (s.containers![i].networkBindings !== t.containers![i].networkBindings) return false;
  return true;
}

/** An awsvpc task holds an ENI on its instance (ECS lists it as an ElasticNetworkInterface attachment). */
export function hasEni(t: TaskObject): boolean {
  const a = t.status?.attachments;
  if (!a) return false;
  for (const x of a) if (x.type === 'ElasticNetworkInterface') return true;
  return false;
}

export class InstanceAccounting {
  private readonly usage = new Map<string, Accumulator>();

  constructor(private readonly store: ResourceStore) {
    store.onWrite((ev) => this.written(ev));
    store.onRestore(() => this.usage.clear());
  }

  /** Usage of the tasks held on `cluster/name` now. */
  of(instanceKey: string): InstanceUsage {
    let u = this.usage.get(instanceKey);
    if (u && !u.inexact) return u;
    u = new Accumulator();
    for (const t of tasksOnInstance(this.store, instanceKey)) u.apply(t, 1);
    if (!u.inexact) this.usage.set(instanceKey, u);
    else this.usage.delete(instanceKey);
    return u;
  }

  private written(ev: WatchEvent): void {
    const previous = ev.previous;
    const obj = ev.object;
    if (obj.kind === 'ContainerInstance') {
      if (ev.type === 'DELETED') this.usage.delete(makeKey(clusterOf(obj), obj.metadata.name));
      return;
    }
    if (obj.kind !== 'Task') return;
    const before = heldOn(previous);
    if (before !== undefined) this.usage.get(before)?.apply(previous as TaskObject, -1);
    const after = ev.type === 'DELETED' ? undefined : heldOn(obj);
    if (after !== undefined) this.usage.get(after)?.apply(obj as TaskObject, 1);
  }
}

const accountings = new WeakMap<ResourceStore, InstanceAccounting>();

export function instanceAccounting(store: ResourceStore): InstanceAccounting {
  let a = accountings.get(store);
  if (!a) accountings.set(store, (a = new InstanceAccounting(store)));
  return a;
}
