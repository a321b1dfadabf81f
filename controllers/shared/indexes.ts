/** Secondary indexes every loop relies on, so no reconcile scans the whole store. */
import { clusterOf, makeKey, type Resource } from '../../api/meta.js';
import type { ResourceStore } from '../../store/store.js';
import type { TaskObject } from './instances.js';
import { internedKey } from './keys.js';

export const SERVICE_LABEL = 'ecsplane.io/service';
export const DEPLOYMENT_LABEL = 'ecsplane.io/deployment';

export const INDEX = {
  /** Task → `cluster/containerInstance` (tasks not yet STOPPED). */
  taskByInstance: 'task-by-instance',
  /** Task → `cluster/service`. */
  taskByService: 'task-by-service',
  /** ScalableTarget, ScalingPolicy, ScheduledAction → their target reference (scalingRef). */
  scalingRef: 'scaling-ref',
  /** ScalableTarget → its ResourceId. */
  targetByResource: 'target-by-resource',
  /** Task → `cluster/capacityProvider` while it waits in PROVISIONING for an instance (managed scaling's demand). */
  taskAwaitingCapacity: 'task-awaiting-capacity',
} as const;

/** The Application Auto Scaling objects that name a scalable target by reference. */
export const SCALING_REF_KINDS = ['ScalableTarget', 'ScalingPolicy', 'ScheduledAction'] as const;

interface ScalingRef {
  ServiceNamespace?: unknown;
  ResourceId?: unknown;
  ScalableDimension?: unknown;
}

/** One string for (ServiceNamespace, ResourceId, ScalableDimension): equal iff all three are. */
export function scalingRef(spec: ScalingRef | undefined): string {
  const ns = spec?.ServiceNamespace;
  const id = spec?.ResourceId;
  const dim = spec?.ScalableDimension;
  // A NUL never occurs in a validated reference; anything else (missing, not a string) is spelled out.
  if (typeof ns === 'string' && typeof id === 'string' && typeof dim === 'string') return `${ns}\u0000${id}\u0000${dim}`;
  return JSON.stringify([ns, id, dim]);
}

/** Key of the instance a task holds resources on (INDEX.taskByInstance's value), or undefined. */
export function heldOn(t: Resource | undefined): string | undefined {
  const inst = t?.status?.containerInstance;
  return inst && t!.status?.lastStatus !== 'STOPPED' ? internedKey(clusterOf(t!), inst) : undefined;
}

/**
 * `[key]`, one shared frozen array per key: the tasks of a service or an instance are filed under the
 * same value, and an array each was ~20 bytes per task per index (issue #16's heap per task).
 */
const singles = new Map<string, string[]>();
function single(key: string): string[] {
  let a = singles.get(key);
  if (a === undefined) {
    if (singles.size >= 200_000) singles.clear();
    singles.set(key, (a = Object.freeze([key]) as unknown as string[]));
  }
  return a;
}

export function registerIndexes(store: ResourceStore): void {
  // Each index says "unchanged" (the previous values) when what it reads is the same; the cluster
  // is part of the key, so it never changes.
  store.addIndex('Task', INDEX.taskByInstance, (t, previous, previousValues) => {
    const before = previous?.status;
    const now = t.status;
    if (before && before.containerInstance === now?.containerInstance && (before.lastStatus === 'STOPPED') === (now?.lastStatus === 'STOPPED')) return previousValues!;
    const key = heldOn(t);
    return key ? single(key) : [];
  });
  store.addIndex('Task', INDEX.taskByService, (t, previous, previousValues) => {
    if (previous && previous.metadata.labels === t.metadata.labels) return previousValues!;
    const svc = t.metadata.labels?.[SERVICE_LABEL];
    return svc ? single(internedKey(clusterOf(t), svc)) : [];
  });
  // Managed scaling counts these per reconcile; listing the cluster's tasks each time made a day
  // of autoscaling grow with the tasks times the task events.
  store.addIndex('Task', INDEX.taskAwaitingCapacity, (t, previous, previousValues) => {
    if (previous && previous.status === t.status) return previousValues!;
    const s = t.status;
    return s?.capacityProviderName && s.lastStatus === 'PROVISIONING' && s.desiredStatus === 'RUNNING' && !s.containerInstance ? [`${clusterOf(t)}/${s.capacityProviderName}`] : [];
  });
  // The scaling loop and the service loop look these up per reconcile; a scan of every target,
  // policy and action per reconcile made a day of 200 autoscaled services quadratic.
  for (const kind of SCALING_REF_KINDS) {
    store.addIndex(kind, INDEX.scalingRef, (o, previous, previousValues) => (previous && previous.spec === o.spec ? previousValues! : [scalingRef(o.spec)]));
  }
  store.addIndex('ScalableTarget', INDEX.targetByResource, (o, previous, previousValues) => {
    if (previous && previous.spec === o.spec) return previousValues!;
    return typeof o.spec?.ResourceId === 'string' ? [o.spec.ResourceId] : [];
  });
}

/** The objects of `kind` (ScalableTarget, ScalingPolicy, ScheduledAction) with the same target reference as `spec`. */
export function byScalingRef(store: ResourceStore, kind: (typeof SCALING_REF_KINDS)[number], spec: ScalingRef | undefined): Resource[] {
  return store.byIndex(kind, INDEX.scalingRef, scalingRef(spec));
}

/** The scalable targets whose ResourceId is `resourceId` (e.g. `service/cluster/name`). */
export function targetsOfResource(store: ResourceStore, resourceId: string): Resource[] {
  return store.byIndex('ScalableTarget', INDEX.targetByResource, resourceId);
}

/** Tasks holding resources on an instance (`cluster/name`). */
export function tasksOnInstance(store: ResourceStore, instanceKey: string): TaskObject[] {
  return store.byIndex('Task', INDEX.taskByInstance, instanceKey) as TaskObject[];
}

export function tasksOfService(store: ResourceStore, serviceKey: string): TaskObject[] {
  return store.byIndex('Task', INDEX.taskByService, serviceKey) as TaskObject[];
}

/** A capacity provider's tasks waiting in PROVISIONING for an instance in `cluster`, oldest first. */
export function tasksAwaitingCapacity(store: ResourceStore, cluster: string, provider: string): TaskObject[] {
  return store.byIndex('Task', INDEX.taskAwaitingCapacity, `${cluster}/${provider}`) as TaskObject[];
}
