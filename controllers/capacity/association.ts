/**
 * Who belongs to whom between clusters, capacity providers, Auto Scaling groups and their instances
 * (ecs-semantics §1 CapacityProvider). Read-only helpers shared by the capacity-provider and
 * Auto Scaling group loops.
 */
import { createHash } from 'node:crypto';
import { DEFAULT_CLUSTER, makeKey, type Resource } from '../../api/meta.js';
import { nameFromArn } from '../../api/arn.js';
import type { ResourceStore } from '../../store/store.js';
import { SERVICE_LABEL } from '../shared/indexes.js';
import type { TaskObject } from '../shared/instances.js';

/** Instances an Auto Scaling group launched carry its name here (CAPACITY_PROVIDER_LABEL names the provider). */
export const ASG_LABEL = 'ecsplane.io/auto-scaling-group';
/** On an AutoScalingGroup: the cluster its instances join when no capacity provider says. */
export const CLUSTER_ANNOTATION = 'ecsplane.io/cluster';
/** On an AutoScalingGroup: EC2 launch → container instance registered (default 60 s). */
export const LAUNCH_DELAY_ANNOTATION = 'sim.ecsplane.io/launch-delay';
export const DEFAULT_LAUNCH_DELAY_MS = 60_000;

/** The built-in Fargate providers: always present, associate-only (no objects). */
export const BUILTIN_PROVIDERS = new Set(['FARGATE', 'FARGATE_SPOT']);

/** The AutoScalingGroup name a capacity provider drives (its ARN or plain name), if any. */
export function asgNameOf(cp: Resource): string | undefined {
  const ref: string | undefined = cp.spec?.autoScalingGroupProvider?.autoScalingGroupArn;
  return ref ? nameFromArn(ref) : undefined;
}

/** The cluster a capacity provider is associated with (a provider belongs to at most one). */
export function clusterOfProvider(store: ResourceStore, provider: string): string | undefined {
  const c = store.list('Cluster').find((x) => !x.metadata.deletionTimestamp && (x.spec?.capacityProviders ?? []).includes(provider));
  return c?.metadata.name;
}

/** Capacity providers (sorted by name) that drive the Auto Scaling group `asg`. */
export function providersOfAsg(store: ResourceStore, asg: string): Resource[] {
  return store
    .list('CapacityProvider')
    .filter((cp) => asgNameOf(cp) === asg)
    .sort((a, b) => (a.metadata.name < b.metadata.name ? -1 : 1));
}

/**
 * The cluster an ASG's new instances join: the cluster its capacity provider is associated with, else the
 * ASG's `ecsplane.io/cluster` annotation, else `default`.
 */
export function clusterForAsg(store: ResourceStore, asg: Resource): string {
  for (const cp of providersOfAsg(store, asg.metadata.name)) {
    const c = clusterOfProvider(store, cp.metadata.name);
    if (c) return c;
  }
  return asg.metadata.annotations?.[CLUSTER_ANNOTATION] || DEFAULT_CLUSTER;
}

/** A task of a DAEMON service (instances running only these count as empty, ecs-semantics §6). */
export function isDaemonTask(store: ResourceStore, task: TaskObject, cluster: string): boolean {
  const svc = task.metadata.labels?.[SERVICE_LABEL];
  if (!svc) return false;
  return store.get('Service', makeKey(cluster, svc))?.spec?.schedulingStrategy === 'DAEMON';
}

/** A deterministic UUID-shaped id from a seed (activity ids, alarm suffixes). */
export function uuidFrom(seed: string): string {
  const h = createHash('sha256').update(seed).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`;
}

/** An EC2-style instance id (`i-` + 17 hex digits) from a seed. */
export function instanceIdFrom(seed: string): string {
  return 'i-' + createHash('sha256').update(seed).digest('hex').slice(0, 17);
}
