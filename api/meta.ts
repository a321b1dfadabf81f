/** Kubernetes-shaped object metadata shared by every ecsplane kind. */
export const GROUP = 'ecsplane.io';
export const VERSION = 'v1alpha1';
export const API_VERSION = `${GROUP}/${VERSION}`;

export interface OwnerReference {
  apiVersion: string;
  kind: string;
  name: string;
  uid: string;
  controller?: boolean;
  blockOwnerDeletion?: boolean;
}

export interface ObjectMeta {
  name: string;
  namespace?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  generation?: number;
  resourceVersion?: string;
  uid?: string;
  creationTimestamp?: string;
  deletionTimestamp?: string;
  finalizers?: string[];
  ownerReferences?: OwnerReference[];
}

export type ConditionStatus = 'True' | 'False' | 'Unknown';

export interface Condition {
  type: string;
  status: ConditionStatus;
  reason: string;
  message: string;
  lastTransitionTime: string;
  observedGeneration?: number;
}

/** Condition types used on every kind. */
export const ConditionType = {
  Ready: 'Ready',
  Progressing: 'Progressing',
  Degraded: 'Degraded',
} as const;

export interface Resource<Spec = any, Status = any> {
  apiVersion: string;
  kind: string;
  metadata: ObjectMeta;
  spec: Spec;
  status?: Status;
}

/** Kinds whose objects live inside one ECS cluster (keyed `cluster/name`). */
export const CLUSTER_SCOPED_KINDS = new Set(['Service', 'Task', 'ContainerInstance']);

export const DEFAULT_CLUSTER = 'default';

/** The ECS cluster a resource belongs to ('' for account-level kinds). */
export function clusterOf(obj: { kind: string; spec?: any }): string {
  const kind = obj.kind; // CLUSTER_SCOPED_KINDS, spelled out: this runs on every store write
  if (kind !== 'Task' && kind !== 'Service' && kind !== 'ContainerInstance') return '';
  const c = obj.spec?.cluster;
  return typeof c === 'string' && c !== '' ? clusterNameFromRef(c) : DEFAULT_CLUSTER;
}

/** Accepts a cluster name or ARN (`arn:aws:ecs:region:acct:cluster/name`). */
export function clusterNameFromRef(ref: string): string {
  if (!ref.startsWith('arn:')) return ref;
  const i = ref.lastIndexOf('cluster/');
  return i >= 0 ? ref.slice(i + 'cluster/'.length) : ref;
}

/** Store / workqueue key: `cluster/name` for cluster-scoped kinds, `name` otherwise. */
export function keyOf(obj: { kind: string; metadata: { name: string }; spec?: any }): string {
  const cluster = clusterOf(obj);
  return cluster ? `${cluster}/${obj.metadata.name}` : obj.metadata.name;
}

export function makeKey(cluster: string, name: string): string {
  return cluster ? `${cluster}/${name}` : name;
}

export function splitKey(key: string): { cluster: string; name: string } {
  const i = key.indexOf('/');
  return i < 0 ? { cluster: '', name: key } : { cluster: key.slice(0, i), name: key.slice(i + 1) };
}
