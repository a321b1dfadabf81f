/**
 * Placement views of container instances, kept incrementally (issue #6).
 *
 * Building a view reads the instance and every task placed on it, so building the views of a
 * whole cluster on every service reconcile made the scheduler O(instances + tasks) per reconcile
 * (quadratic over a deployment). This cache keeps one view per instance and rebuilds only the
 * views whose instance, or a task on it, was written since (store write listener), so a cluster's
 * views cost O(instances changed) plus one array copy. The views are identical to a fresh build
 * (instanceViewFresh) and are shared: callers must not change them (none does: placement and
 * scale-in only read them).
 */
import { clusterOf, makeKey, type Resource } from '../../api/meta.js';
import { arn } from '../../api/arn.js';
import type { ResourceStore } from '../../store/store.js';
import type { WatchEvent } from '../../store/watch.js';
import type { InstanceView, PlacedTaskView } from '../placement/index.js';
import { instanceAccounting, usageFromTasks, type InstanceAccounting, type InstanceUsage } from './accounting.js';
import { heldOn, tasksOnInstance } from './indexes.js';
import { taskEniLimit } from '../../api/instance-types.js';
import { parseTime } from './time.js';
import { internedKey } from './keys.js';
import {
  attributesOf,
  capacityProviderOf,
  ec2InstanceIdOf,
  effectiveState,
  registeredOf,
  type InstanceObject,
  type Registered,
  type TaskObject,
} from './instances.js';

/** What a view takes from the instance's spec (and name): computed once per spec object. */
interface StaticParts {
  name: string;
  /** The ARN in `arnCluster` (one string per instance, shared by its views and tasks). */
  arn?: string;
  arnCluster?: string;
  reg: Registered;
  attributes: Record<string, string | null>;
  ec2InstanceId: string;
  agentVersion: string;
  /** ENIs for awsvpc tasks (api/instance-types.ts taskEniLimit); undefined = not limited. */
  taskEnis?: number;
}

const staticParts = new WeakMap<object, StaticParts>();

function partsOf(inst: InstanceObject): StaticParts {
  const spec = inst.spec as object;
  let p = staticParts.get(spec);
  // A spec object belongs to one stored object (the store clones what it is given); the name
  // check only guards against callers that build instances by hand from a shared spec.
  if (p && p.name === inst.metadata.name && Object.isFrozen(spec)) {
    // Attributes also read the instance type table and nothing else of the object.
    return p;
  }
  p = {
    name: inst.metadata.name,
    reg: registeredOf(inst.spec),
    attributes: attributesOf(inst),
    ec2InstanceId: ec2InstanceIdOf(inst),
    agentVersion: inst.spec.versionInfo?.agentVersion ?? '1.87.0',
  };
  // An instance registered with a trunk ENI carries ecs.awsvpc-trunk-id (ECS sets it when awsvpcTrunking is on).
  p.taskEnis = taskEniLimit(p.attributes['ecs.instance-type'], p.attributes['ecs.awsvpc-trunk-id'] !== undefined);
  if (Object.isFrozen(spec)) staticParts.set(spec, p);
  return p;
}

/** The placement view of a task on an instance (tasks with desiredStatus RUNNING). */
function placedTaskView(t: TaskObject, cluster: string): PlacedTaskView {
  const svc = t.metadata.labels?.['ecsplane.io/service'];
  return {
    id: t.metadata.name,
    group: t.status?.group ?? t.spec.group ?? '',
    serviceKey: svc ? internedKey(cluster, svc) : undefined,
    deploymentId: t.status?.startedBy,
    startedAt: t.status?.startedAt ? parseTime(t.status.startedAt) : undefined,
  };
}

/** A view built from the store now (no cache): the definition the cached views follow. */
export function instanceViewFresh(store: ResourceStore, cluster: string, inst: InstanceObject): InstanceView {
  const tasks = tasksOnInstance(store, makeKey(cluster, inst.metadata.name));
  const placed: PlacedTaskView[] = [];
  for (const t of tasks) if (t.status?.desiredStatus === 'RUNNING') placed.push(placedTaskView(t, cluster));
  return assemble(cluster, inst, usageFromTasks(tasks), placed);
}

function assemble(cluster: string, inst: InstanceObject, used: InstanceUsage, placed: PlacedTaskView[]): InstanceView {
  const perService = new Map<string, number>();
  for (const t of placed) if (t.serviceKey !== undefined) perService.set(t.serviceKey, (perService.get(t.serviceKey) ?? 0) + 1);
  const parts = partsOf(inst);
  const reg = parts.reg;
  const state = effectiveState(inst);
  const tcp = new Set<number>(used.tcpPorts);
  const udp = new Set<number>(used.udpPorts);
  for (const p of reg.tcpPorts) tcp.add(p);
  for (const p of reg.udpPorts) udp.add(p);
  return {
    name: inst.metadata.name,
    arn: parts.arnCluster === cluster ? parts.arn! : ((parts.arnCluster = cluster), (parts.arn = arn.containerInstance(cluster, inst.metadata.name))),
    ec2InstanceId: parts.ec2InstanceId,
    status: state.status,
    agentConnected: state.agentConnected,
    agentVersion: parts.agentVersion,
    registeredAt: parseTime(inst.metadata.creationTimestamp ?? '1970-01-01T00:00:00Z'),
    attributes: parts.attributes,
    remainingCpu: reg.cpu - used.cpu,
    remainingMemory: reg.memory - used.memory,
    ...(parts.taskEnis !== undefined ? { remainingEnis: parts.taskEnis - (used.enis ?? 0) } : {}),
    usedTcpPorts: tcp,
    usedUdpPorts: udp,
    tasks: placed,
    tasksPerService: perService,
  };
}

interface ClusterViews {
  /** Instance names, sorted as instanceViews() always returned them. */
  names: string[];
  views: InstanceView[];
  pos: Map<string, number>;
  /** Names whose entry in `views` is out of date. */
  stale: Set<string>;
}

export class InstanceViewCache {
  /** Views by instance key (`cluster/name`), and the keys whose view is out of date. */
  private readonly views = new Map<string, { inst: InstanceObject; view: InstanceView }>();
  private readonly dirty = new Set<string>();
  private readonly clusters = new Map<string, ClusterViews>();
  /**
   * Per instance key (once asked for): the views of its tasks with desiredStatus RUNNING, in the
   * order of the task-by-instance index (a written task moves to the end there and here).
   */
  private readonly placed = new Map<string, Map<string, PlacedTaskView>>();
  private readonly accounting: InstanceAccounting;

  constructor(private readonly store: ResourceStore) {
    this.accounting = instanceAccounting(store);
    store.onWrite((ev) => this.written(ev));
    store.onRestore(() => this.clear());
  }

  clear(): void {
    this.views.clear();
    this.dirty.clear();
    this.clusters.clear();
    this.placed.clear();
  }

  private placedOn(cluster: string, key: string): Map<string, PlacedTaskView> {
    let m = this.placed.get(key);
    if (!m) {
      m = new Map();
      for (const t of tasksOnInstance(this.store, key)) if (t.status?.desiredStatus === 'RUNNING') m.set(t.metadata.name, placedTaskView(t, cluster));
      this.placed.set(key, m);
    }
    return m;
  }

  private build(cluster: string, inst: InstanceObject): InstanceView {
    const key = makeKey(cluster, inst.metadata.name);
    return assemble(cluster, inst, this.accounting.of(key), [...this.placedOn(cluster, key).values()]);
  }

  /** The view of one instance, or undefined when the cluster has no such instance. */
  view(cluster: string, name: string): InstanceView | undefined {
    const key = makeKey(cluster, name);
    const hit = this.views.get(key);
    if (hit && !this.dirty.has(key)) return hit.view;
    const inst = this.store.get('ContainerInstance', key) as InstanceObject | undefined;
    this.dirty.delete(key);
    if (!inst) {
      this.views.delete(key);
      return undefined;
    }
    const view = this.build(cluster, inst);
    this.views.set(key, { inst, view });
    return view;
  }

  /** The view of `inst` as stored now (a fresh build when `inst` is not the stored object). */
  viewOf(cluster: string, inst: InstanceObject): InstanceView {
    const key = makeKey(cluster, inst.metadata.name);
    if (this.store.get('ContainerInstance', key) !== inst) return instanceViewFresh(this.store, cluster, inst);
    return this.view(cluster, inst.metadata.name)!;
  }

  /** Views of every instance of the cluster, sorted by name (a new array; the views are shared). */
  list(cluster: string): InstanceView[] {
    let cv = this.clusters.get(cluster);
    if (!cv) {
      const names = (this.store.list('ContainerInstance', { cluster }) as InstanceObject[]).map((i) => i.metadata.name);
      names.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
      const views = names.map((n) => this.view(cluster, n)!);
      cv = { names, views, pos: new Map(names.map((n, i) => [n, i])), stale: new Set() };
      this.clusters.set(cluster, cv);
    } else if (cv.stale.size > 0) {
      for (const n of cv.stale) cv.views[cv.pos.get(n)!] = this.view(cluster, n)!;
      cv.stale.clear();
    }
    return cv.views.slice();
  }

  private markDirty(cluster: string, name: string): void {
    const key = makeKey(cluster, name);
    if (this.views.has(key)) this.dirty.add(key);
    this.clusters.get(cluster)?.stale.add(name);
  }

  private written(ev: WatchEvent): void {
    const previous = ev.previous;
    const obj = ev.object;
    if (obj.kind === 'Task') {
      const inst = obj.status?.containerInstance;
      if (inst) this.markDirty(clusterOf(obj), inst);
      const was = previous?.status?.containerInstance;
      if (was && (was !== inst || clusterOf(previous!) !== clusterOf(obj))) this.markDirty(clusterOf(previous!), was);
      // Keep the task lists in index order: the index moves a written task to the end.
      const before = heldOn(previous);
      if (before !== undefined) this.placed.get(before)?.delete(obj.metadata.name);
      const after = ev.type === 'DELETED' ? undefined : heldOn(obj);
      if (after !== undefined) {
        const m = this.placed.get(after);
        if (m) {
          m.delete(obj.metadata.name);
          if (obj.status?.desiredStatus === 'RUNNING') m.set(obj.metadata.name, placedTaskView(obj as TaskObject, clusterOf(obj)));
        }
      }
    } else if (obj.kind === 'ContainerInstance') {
      const cluster = clusterOf(obj);
      if (ev.type === 'MODIFIED' && previous && clusterOf(previous) === cluster) {
        this.markDirty(cluster, obj.metadata.name);
        return;
      }
      // Added, removed (or moved): the cluster's membership changed.
      if (ev.type === 'DELETED') this.placed.delete(makeKey(cluster, obj.metadata.name));
      for (const c of previous ? [cluster, clusterOf(previous)] : [cluster]) {
        this.clusters.delete(c);
        this.views.delete(makeKey(c, obj.metadata.name));
        this.dirty.delete(makeKey(c, obj.metadata.name));
      }
    }
  }
}

const caches = new WeakMap<ResourceStore, InstanceViewCache>();

export function viewCache(store: ResourceStore): InstanceViewCache {
  let c = caches.get(store);
  if (!c) caches.set(store, (c = new InstanceViewCache(store)));
  return c;
}

/** Views of the cluster's instances (optionally of one capacity provider), sorted by name. */
export function cachedInstanceViews(store: ResourceStore, cluster: string, capacityProviderName?: string): InstanceView[] {
  const all = viewCache(store).list(cluster);
  if (!capacityProviderName) return all;
  return all.filter((v) => {
    const inst = store.get('ContainerInstance', internedKey(cluster, v.name)) as InstanceObject;
    return capacityProviderOf(inst) === capacityProviderName;
  });
}
