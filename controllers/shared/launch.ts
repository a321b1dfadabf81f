/**
 * Launching tasks: place them with the pure placement engine over a view of the cluster's
 * instances, then create the Task objects (lastStatus PROVISIONING, placed). Used by the service
 * scheduler (and DAEMON), standalone tasks and tasks waiting for capacity.
 */
import { API_VERSION, makeKey, type OwnerReference } from '../../api/meta.js';
import { clone, deepFreeze } from '../../store/objects.js';
import { arn } from '../../api/arn.js';
import type { TaskStatus } from '../../api/v1alpha1/status.js';
import type { PlacementConstraint, PlacementStrategy } from '../../api/v1alpha1/types.js';
import type { ResourceStore } from '../../store/store.js';
import type { RevisionObject } from '../../store/taskdefs.js';
import { placeFargate, placeTasks, type InstanceView, type PlacementFailure, type Placement } from '../placement/index.js';
import { initialContainers } from '../task/lifecycle.js';
import type { InstanceObject, TaskObject } from './instances.js';
import { cachedInstanceViews, viewCache } from './views.js';
import { taskNeeds, type TaskNeeds } from './requirements.js';
import { iso } from './status.js';
import { usesLaunchOrder } from '../../api/sim.js';
import { LAUNCH_ORDINAL } from './knobs.js';
import { eniAttachment } from './eni.js';
import { zonesOfSubnets } from './subnets.js';
import { heldOn, tasksOfService } from './indexes.js';

export interface LaunchRequest {
  cluster: string;
  revision: RevisionObject;
  count: number;
  group: string;
  serviceKey?: string;
  startedBy?: string;
  launchType: string;
  capacityProviderName?: string;
  constraints: PlacementConstraint[];
  strategy: PlacementStrategy[];
  networkConfiguration?: unknown;
  /** Restrict placement to these instances (DAEMON: one instance at a time). */
  onlyInstances?: string[];
  /** Restrict placement to these Availability Zones (AZ rebalancing). */
  onlyZones?: string[];
  /** Wait in PROVISIONING instead of failing when nothing fits (capacity provider tasks). */
  waitForCapacity?: boolean;
  owner?: OwnerReference;
  labels?: Record<string, string>;
  nextTaskId: () => string;
  rng: () => number;
  now: number;
}

export interface LaunchResult {
  created: TaskObject[];
  failures: PlacementFailure[];
  unplaced: number;
  instanceCount: number;
}

/**
 * Placement views of the cluster's instances (optionally of one capacity provider), sorted by
 * name. Kept incrementally (views.ts): only instances written since the last call are rebuilt.
 */
export function instanceViews(store: ResourceStore, cluster: string, capacityProviderName?: string): InstanceView[] {
  return cachedInstanceViews(store, cluster, capacityProviderName);
}

/** The placement view of one instance as stored now. */
export function instanceView(store: ResourceStore, cluster: string, inst: InstanceObject): InstanceView {
  return viewCache(store).viewOf(cluster, inst);
}

/**
 * How many of the service's tasks each instance holds, as the instances' views count them
 * (tasksPerService: held there — not STOPPED — and to keep running), from the service's own tasks.
 */
function serviceTasksPerInstance(store: ResourceStore, serviceKey: string): Map<string, number> {
  const out = new Map<string, number>();
  for (const t of tasksOfService(store, serviceKey)) {
    if (t.status?.desiredStatus !== 'RUNNING' || heldOn(t) === undefined) continue;
    const inst = t.status.containerInstance!;
    out.set(inst, (out.get(inst) ?? 0) + 1);
  }
  return out;
}

/**
 * The view named `name`: a binary search, as the views come sorted by name (instanceViews; the filters
 * keep the order) — a pass over all of them per launch made a rolling deployment quadratic in the
 * instances. A linear search if they are not.
 */
function viewNamed(views: readonly InstanceView[], name: string): InstanceView | undefined {
  let lo = 0;
  let hi = views.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const n = views[mid].name;
    if (n === name) return views[mid];
    if (n < name) lo = mid + 1;
    else hi = mid - 1;
  }
  return views.find((v) => v.name === name);
}

export function launchTasks(store: ResourceStore, req: LaunchRequest): LaunchResult {
  const needs = taskNeeds(req.revision.spec);
  const created: TaskObject[] = [];
  if (req.count <= 0) return { created, failures: [], unplaced: 0, instanceCount: 0 };

  if (req.launchType === 'FARGATE') {
    const zones = req.onlyZones ?? zonesOfSubnets(store, req.networkConfiguration);
    const existingPerAz: Record<string, number> = {};
    if (req.serviceKey) {
      for (const t of store.list('Task', { cluster: req.cluster }) as TaskObject[]) {
        if (t.status?.group === req.group && t.status?.desiredStatus === 'RUNNING' && t.status.availabilityZone) {
          existingPerAz[t.status.availabilityZone] = (existingPerAz[t.status.availabilityZone] ?? 0) + 1;
        }
      }
    }
    const azs = placeFargate({ count: req.count, availabilityZones: zones, existingPerAz, rng: req.rng });
    for (const az of azs) created.push(createTask(store, req, needs, undefined, az));
    return { created, failures: [], unplaced: 0, instanceCount: 0 };
  }

  let views = instanceViews(store, req.cluster, req.capacityProviderName);
  if (req.onlyInstances) views = views.filter((v) => req.onlyInstances!.includes(v.name));
  if (req.onlyZones) views = views.filter((v) => req.onlyZones!.includes(v.attributes['ecs.availability-zone'] ?? ''));
  const result = placeTasks({
    instances: views,
    task: { ...needs, group: req.group, serviceKey: req.serviceKey, serviceTasksPerInstance: req.serviceKey && req.strategy.some((st) => st.type === 'spread') ? serviceTasksPerInstance(store, req.serviceKey) : undefined },
    count: req.count,
    constraints: req.constraints as any,
    strategy: req.strategy as any,
    rng: req.rng,
  });
  for (const p of result.placements) {
    const view = viewNamed(views, p.instance)!;
    created.push(createTask(store, req, needs, { placement: p, view }, view.attributes['ecs.availability-zone'] ?? undefined));
  }
  if (req.waitForCapacity) {
    for (let i = 0; i < result.unplaced; i++) created.push(createTask(store, req, needs, undefined, undefined));
    return { created, failures: result.failures, unplaced: 0, instanceCount: views.length };
  }
  return { created, failures: result.failures, unplaced: result.unplaced, instanceCount: views.length };
}

/**
 * What every task of one launch request has in common (spec, labels, owner, cluster ARN, sizes),
 * built once and frozen: the store keeps frozen values by reference, so the tasks of a launch
 * share them instead of each holding a copy.
 */
interface LaunchShared {
  clusterArn: string;
  cpu: string;
  memory: string;
  labels?: Record<string, string>;
  ownerReferences?: OwnerReference[];
  spec: Map<boolean, Record<string, unknown>>;
}
const launchShared = new WeakMap<LaunchRequest, LaunchShared>();

function sharedOf(req: LaunchRequest, needs: TaskNeeds): LaunchShared {
  let s = launchShared.get(req);
  if (!s) {
    s = {
      clusterArn: arn.cluster(req.cluster),
      cpu: String(needs.cpu),
      memory: String(needs.memory),
      labels: req.labels ? deepFreeze(clone(req.labels)) : undefined,
      ownerReferences: req.owner ? deepFreeze([clone(req.owner)]) : undefined,
      spec: new Map(),
    };
    launchShared.set(req, s);
  }
  return s;
}

function specOf(req: LaunchRequest, shared: LaunchShared, placed: boolean): Record<string, unknown> {
  let spec = shared.spec.get(placed);
  if (!spec) {
    spec = deepFreeze(
      clone({
        cluster: req.cluster,
        taskDefinition: `${req.revision.status!.family}:${req.revision.status!.revision}`,
        launchType: req.launchType,
        group: req.group,
        ...(req.startedBy ? { startedBy: req.startedBy } : {}),
        ...(req.networkConfiguration ? { networkConfiguration: req.networkConfiguration } : {}),
        // A task that waits for capacity is placed later with its service's rules.
        ...(!placed && req.constraints.length ? { placementConstraints: req.constraints } : {}),
        ...(!placed && req.strategy.length ? { placementStrategy: req.strategy } : {}),
      }),
    );
    shared.spec.set(placed, spec);
  }
  return spec;
}

function createTask(
  store: ResourceStore,
  req: LaunchRequest,
  needs: TaskNeeds,
  placed: { placement: Placement; view: InstanceView } | undefined,
  az: string | undefined,
): TaskObject {
  let id = req.nextTaskId();
  while (store.get('Task', makeKey(req.cluster, id))) id = req.nextTaskId(); // idempotent after a crash
  const containers = initialContainers(req.revision.spec);
  if (placed) {
    let tcp = 0;
    let udp = 0;
    for (const b of needs.bindings) {
      const hostPort = b.hostPort ?? (b.protocol === 'udp' ? placed.placement.udpHostPorts[udp++] : placed.placement.tcpHostPorts[tcp++]);
      const c = containers.find((x) => x.name === b.container)!;
      (c.networkBindings ??= []).push({ containerPort: b.containerPort, hostPort, protocol: b.protocol, bindIP: '0.0.0.0' });
    }
  }
  const shared = sharedOf(req, needs);
  const ordinal = usesLaunchOrder(req.revision.metadata.annotations) ? nextLaunchOrdinal(store, req.revision) : undefined;
  const status: TaskStatus = {
    taskArn: arn.task(req.cluster, id),
    clusterArn: shared.clusterArn,
    taskDefinitionArn: req.revision.status!.taskDefinitionArn,
    lastStatus: 'PROVISIONING',
    desiredStatus: 'RUNNING',
    launchType: req.launchType,
    group: req.group,
    cpu: shared.cpu,
    memory: shared.memory,
    createdAt: iso(req.now),
    ...(req.revision.spec.networkMode === 'awsvpc' ? { attachments: [eniAttachment(id)] } : {}),
    containers,
    healthStatus: 'UNKNOWN',
    ...(req.startedBy ? { startedBy: req.startedBy } : {}),
    ...(req.capacityProviderName ? { capacityProviderName: req.capacityProviderName } : {}),
    ...(az ? { availabilityZone: az } : {}),
    ...(placed
      ? { containerInstance: placed.view.name, containerInstanceArn: placed.view.arn }
      : {}),
  };
  return store.create({
    apiVersion: API_VERSION,
    kind: 'Task',
    metadata: {
      name: id,
      labels: shared.labels,
      ...(ordinal !== undefined ? { annotations: { [LAUNCH_ORDINAL]: String(ordinal) } } : {}),
      ...(shared.ownerReferences ? { ownerReferences: shared.ownerReferences } : {}),
    },
    spec: specOf(req, shared, Boolean(placed)),
    status,
  }) as TaskObject;
}

/** The launch order of the next task of `revision` (its status counts them: the counter survives task GC). */
function nextLaunchOrdinal(store: ResourceStore, revision: RevisionObject): number {
  const current = (store.get('TaskDefinitionRevision', revision.metadata.name) as RevisionObject | undefined) ?? revision;
  const n = current.status?.launchedTasks ?? 0;
  store.updateStatus({ ...current, status: { ...current.status!, launchedTasks: n + 1 } });
  return n;
}

export interface PlaceExistingResult {
  containerInstance?: string;
  containerInstanceArn?: string;
  availabilityZone?: string;
  containers?: TaskStatus['containers'];
  failures: PlacementFailure[];
}

/**
 * Place a task object that exists but has no instance yet (a standalone task, or a capacity
 * provider task that waited in PROVISIONING for capacity).
 */
export function placeExisting(
  store: ResourceStore,
  task: TaskObject,
  revision: RevisionObject,
  opts: { constraints: PlacementConstraint[]; strategy: PlacementStrategy[]; rng: () => number },
): PlaceExistingResult {
  const cluster = task.spec.cluster ?? 'default';
  const needs = taskNeeds(revision.spec);
  const containers = (task.status?.containers ?? initialContainers(revision.spec)).map((c) => ({ ...c }));
  if ((task.status?.launchType ?? task.spec.launchType) === 'FARGATE') {
    const [az] = placeFargate({ count: 1, availabilityZones: zonesOfSubnets(store, task.spec.networkConfiguration), existingPerAz: {}, rng: opts.rng });
    return { availabilityZone: az, containers, failures: [] };
  }
  const views = instanceViews(store, cluster, task.status?.capacityProviderName);
  const result = placeTasks({
    instances: views,
    task: { ...needs, group: task.status?.group ?? task.spec.group ?? '' },
    count: 1,
    constraints: opts.constraints as any,
    strategy: opts.strategy as any,
    rng: opts.rng,
  });
  const p = result.placements[0];
  if (!p) return { failures: views.length ? result.failures : [{ arn: '', reason: 'MISSING' }] };
  const view = views.find((v) => v.name === p.instance)!;
  let tcp = 0;
  let udp = 0;
  for (const b of needs.bindings) {
    const hostPort = b.hostPort ?? (b.protocol === 'udp' ? p.udpHostPorts[udp++] : p.tcpHostPorts[tcp++]);
    const c = containers.find((x) => x.name === b.container)!;
    c.networkBindings = [...(c.networkBindings ?? []), { containerPort: b.containerPort, hostPort, protocol: b.protocol, bindIP: '0.0.0.0' }];
  }
  return {
    containerInstance: view.name,
    containerInstanceArn: view.arn,
    availabilityZone: view.attributes['ecs.availability-zone'] ?? undefined,
    containers,
    failures: [],
  };
}
