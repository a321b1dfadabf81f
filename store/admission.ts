/**
 * Admission: checks that need existing state, with ECS's exception types and messages
 * (ecs-semantics §2), and the synchronous side effects of an accepted write (task definition
 * revision registration, as RegisterTaskDefinition returns the revision at once).
 */
import { makeKey, clusterOf, type Resource } from '../api/meta.js';
import { EcsError, ErrorType, capValue } from '../api/errors.js';
import { QUOTAS, quotaError, type QuotaName } from '../api/quotas.js';
import { nameFromArn } from '../api/arn.js';
import { withDefaults } from '../api/validate.js';
import { notSimulatedFields, withNotSimulatedCondition } from '../api/not-simulated.js';
import type { ResourceStore } from './store.js';
import { deregisterFamily, registerRevision, resolveTaskDefinition, revisionHash, revisionsOf } from './taskdefs.js';


export interface AdmissionContext {
  store: ResourceStore;
  now: number;
}

const BUILTIN_PROVIDERS = new Set(['FARGATE', 'FARGATE_SPOT']);

export function admit(ctx: AdmissionContext, obj: Resource, current: Resource | undefined): void {
  if (!current) checkCountQuota(ctx, obj);
  switch (obj.kind) {
    case 'Service':
      return admitService(ctx, obj, current);
    case 'Task':
      requireCluster(ctx, obj);
      checkLaunchCompatibility(obj.spec.launchType, resolveTaskDefinition(ctx.store, obj.spec.taskDefinition).spec);
      return;
    case 'ContainerInstance':
      requireCluster(ctx, obj);
      return;
    case 'Cluster':
      return admitCluster(ctx, obj, current);
    case 'CapacityProvider':
      return admitCapacityProvider(ctx, obj);
    case 'ScalableTarget':
      return admitScalableTarget(ctx, obj);
    case 'ScalingPolicy':
    case 'ScheduledAction':
      return requireScalableTarget(ctx, obj);
  }
}

/** Per-account and per-cluster counts (api/quotas.ts): a create beyond them is refused. */
const COUNT_QUOTAS: Record<string, { quota: QuotaName; what: (cluster: string) => string; field: string }> = {
  Cluster: { quota: 'clustersPerAccount', what: () => 'A new cluster', field: 'metadata.name' },
  Service: { quota: 'servicesPerCluster', what: (c) => `A new service in cluster ${capValue(c)}`, field: 'spec.cluster' },
  ContainerInstance: { quota: 'containerInstancesPerCluster', what: (c) => `A new container instance in cluster ${capValue(c)}`, field: 'spec.cluster' },
};

function checkCountQuota(ctx: AdmissionContext, obj: Resource): void {
  const rule = Object.prototype.hasOwnProperty.call(COUNT_QUOTAS, obj.kind) ? COUNT_QUOTAS[obj.kind] : undefined;
  if (!rule) return;
  const cluster = clusterOf(obj);
  const count = cluster ? ctx.store.count(obj.kind, cluster) : ctx.store.count(obj.kind);
  if (count >= QUOTAS[rule.quota].value) throw quotaError(rule.quota, rule.what(cluster), ErrorType.InvalidParameter, rule.field);
}

/** Side effects once the object is stored. */
export function afterApply(ctx: AdmissionContext, obj: Resource, previous: Resource | undefined, forceRevision = false): void {
  if (obj.kind !== 'TaskDefinition') return;
  const latest = revisionsOf(ctx.store, obj.metadata.name).at(-1);
  const changed = forceRevision || !previous || !latest || latest.status?.specHash !== revisionHash(obj) || latest.status?.status !== 'ACTIVE';
  if (!changed) return;
  const rev = registerRevision(ctx.store, obj, ctx.now);
  const all = revisionsOf(ctx.store, obj.metadata.name).map((r) => r.status!.revision);
  ctx.store.updateStatus({
    ...obj,
    status: {
      revision: rev.status!.revision,
      taskDefinitionArn: rev.status!.taskDefinitionArn,
      status: 'ACTIVE',
      revisions: all,
      observedGeneration: obj.metadata.generation,
      // Fields ecsplane does not simulate: the condition only. The event recorder is a controllers/runtime
      // service the store cannot reach; the Service or Task running the revision records the Warning event.
      conditions: withNotSimulatedCondition(
        [
          {
            type: 'Ready',
            status: 'True',
            reason: 'Registered',
            message: `registered revision ${rev.status!.revision}`,
            lastTransitionTime: new Date(ctx.now).toISOString(),
            observedGeneration: obj.metadata.generation,
          },
        ],
        notSimulatedFields('TaskDefinition', obj.spec),
        obj.metadata.generation,
        ctx.now,
      ).conditions,
    },
  });
}

/**
 * An apply naming an object that is being deleted. A Service that is INACTIVE may be created again
 * under its name: the old one is purged and the apply creates a new service (true). While it is
 * still DRAINING, ECS refuses: "If you attempt to create a new service with the same name as an
 * existing service in either ACTIVE or DRAINING status, you receive an error."
 * https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_DeleteService.html
 * Any other kind: refused while it is being deleted.
 */
export function admitRecreate(obj: Resource, current: Resource): true {
  if (obj.kind === 'Service' && current.status?.status === 'INACTIVE') return true;
  if (obj.kind === 'Service') {
    throw new EcsError(ErrorType.InvalidParameter, `Unable to Start a service that is still Draining. (service ${obj.metadata.name})`, 'metadata.name');
  }
  throw new EcsError(ErrorType.InvalidParameter, `${obj.kind} ${obj.metadata.name} is being deleted.`, 'metadata.name');
}

export function admitDelete(ctx: AdmissionContext, obj: Resource, opts: { force?: boolean }): void {
  const store = ctx.store;
  switch (obj.kind) {
    case 'Service': {
      const svc = withDefaults('Service', obj.spec);
      const desired = svc.desiredCount ?? 0; // the user's current desiredCount (UpdateService to 0 first)
      if (!opts.force && svc.schedulingStrategy !== 'DAEMON' && desired > 0) {
        throw new EcsError(ErrorType.InvalidParameter, 'The service cannot be stopped while it is scaled above 0.', 'spec.desiredCount');
      }
      return;
    }
    case 'Cluster': {
      const name = obj.metadata.name;
      if (store.list('Service', { cluster: name }).some((s) => s.status?.status !== 'INACTIVE')) {
        throw new EcsError(ErrorType.ClusterContainsServices, 'The Cluster cannot be deleted while Services are active.');
      }
      if (store.list('Task', { cluster: name }).some((t) => t.status?.lastStatus !== 'STOPPED')) {
        throw new EcsError(ErrorType.ClusterContainsTasks, 'The Cluster cannot be deleted while Tasks are active.');
      }
      if (store.list('ContainerInstance', { cluster: name }).some((c) => ['ACTIVE', 'DRAINING'].includes(c.status?.status ?? 'ACTIVE'))) {
        throw new EcsError(
          ErrorType.ClusterContainsContainerInstances,
          'The Cluster cannot be deleted while Container Instances are active or draining.',
        );
      }
      return;
    }
    case 'ContainerInstance': {
      const running = store
        .list('Task', { cluster: clusterOf(obj) })
        .filter((t) => t.status?.containerInstance === obj.metadata.name && t.status?.lastStatus !== 'STOPPED');
      if (running.length > 0 && !opts.force) {
        throw new EcsError(
          ErrorType.InvalidParameter,
          `Found ${running.length} running tasks on the container instance. Use force to deregister it; its service tasks are replaced elsewhere.`,
        );
      }
      return;
    }
    case 'CapacityProvider': {
      const user = store.list('Cluster').find((c) => (c.spec.capacityProviders ?? []).includes(obj.metadata.name));
      if (user) {
        throw new EcsError(
          ErrorType.ResourceInUse,
          `The capacity provider ${obj.metadata.name} is associated with cluster ${user.metadata.name}; disassociate it first.`,
        );
      }
      return;
    }
    case 'TaskDefinition':
      deregisterFamily(store, obj.metadata.name, ctx.now);
      return;
  }
}

/** Fargate needs an awsvpc task definition (its `compatibilities` include FARGATE). */
function checkLaunchCompatibility(launchType: string | undefined, td: { networkMode?: string; requiresCompatibilities?: string[] }): void {
  if (launchType === 'FARGATE' && (td.networkMode ?? 'bridge') !== 'awsvpc') {
    throw new EcsError(ErrorType.PlatformTaskDefinitionIncompatibility, 'Task definition does not support launch_type FARGATE.', 'spec.launchType');
  }
  if (launchType === 'EC2' && td.requiresCompatibilities?.length && !td.requiresCompatibilities.includes('EC2') && (td.networkMode ?? 'bridge') !== 'awsvpc') {
    throw new EcsError(ErrorType.PlatformTaskDefinitionIncompatibility, 'Task definition does not support launch_type EC2.', 'spec.launchType');
  }
}

function requireCluster(ctx: AdmissionContext, obj: Resource): Resource {
  const name = clusterOf(obj);
  const cluster = ctx.store.get('Cluster', name);
  if (!cluster || cluster.metadata.deletionTimestamp || cluster.status?.status === 'INACTIVE') {
    throw new EcsError(ErrorType.ClusterNotFound, 'Cluster not found.', 'spec.cluster');
  }
  return cluster;
}

function admitService(ctx: AdmissionContext, obj: Resource, current: Resource | undefined): void {
  const cluster = requireCluster(ctx, obj);
  const spec = withDefaults('Service', obj.spec);
  // An EXTERNAL deployment controller may leave the task definition out (its task sets name one).
  if (spec.taskDefinition !== undefined && (!current || current.spec.taskDefinition !== obj.spec.taskDefinition)) {
    const rev = resolveTaskDefinition(ctx.store, spec.taskDefinition);
    checkLaunchCompatibility(spec.launchType, rev.spec);
  }
  if (current) {
    const before = withDefaults('Service', current.spec);
    if ((before.schedulingStrategy ?? 'REPLICA') !== (spec.schedulingStrategy ?? 'REPLICA')) {
      throw new EcsError(ErrorType.InvalidParameter, 'schedulingStrategy cannot be changed after the service is created.', 'spec.schedulingStrategy');
    }
  }
  checkStrategyProviders(ctx, cluster, spec.capacityProviderStrategy, 'spec.capacityProviderStrategy');
}

function checkStrategyProviders(ctx: AdmissionContext, cluster: Resource, strategy: any[] | undefined, field: string): void {
  if (!strategy?.length) return;
  const associated = new Set<string>(cluster.spec.capacityProviders ?? []);
  strategy.forEach((item, i) => {
    if (!associated.has(item.capacityProvider)) {
      throw new EcsError(
        ErrorType.InvalidParameter,
        'The specified capacity provider strategy cannot contain a capacity provider that is not associated with the cluster. Associate the capacity provider with the cluster or specify a valid capacity provider and try again.',
        `${field}[${i}].capacityProvider`,
      );
    }
  });
}

function admitCluster(ctx: AdmissionContext, obj: Resource, current: Resource | undefined): void {
  const providers: string[] = obj.spec.capacityProviders ?? [];
  providers.forEach((p, i) => {
    if (BUILTIN_PROVIDERS.has(p)) return;
    const cp = ctx.store.get('CapacityProvider', p);
    if (!cp) {
      throw new EcsError(ErrorType.InvalidParameter, `The specified capacity provider '${p}' does not exist.`, `spec.capacityProviders[${i}]`);
    }
    const other = ctx.store
      .list('Cluster')
      .find((c) => c.metadata.name !== obj.metadata.name && (c.spec.capacityProviders ?? []).includes(p));
    if (other) {
      throw new EcsError(
        ErrorType.InvalidParameter,
        `The capacity provider '${p}' is already associated with cluster '${other.metadata.name}'.`,
        `spec.capacityProviders[${i}]`,
      );
    }
  });
  (obj.spec.defaultCapacityProviderStrategy ?? []).forEach((item: any, i: number) => {
    if (!providers.includes(item.capacityProvider)) {
      throw new EcsError(
        ErrorType.InvalidParameter,
        'The specified capacity provider strategy cannot contain a capacity provider that is not associated with the cluster.',
        `spec.defaultCapacityProviderStrategy[${i}].capacityProvider`,
      );
    }
  });
  if (!current) return;
  // PutClusterCapacityProviders: removing a provider that services or tasks use is refused.
  const removed = (current.spec.capacityProviders ?? []).filter((p: string) => !providers.includes(p));
  for (const p of removed) {
    const usedBy = ctx.store
      .list('Service', { cluster: obj.metadata.name })
      .find((s) => (s.spec.capacityProviderStrategy ?? obj.spec.defaultCapacityProviderStrategy ?? []).some((i: any) => i.capacityProvider === p) ||
        (s.status?.deployments ?? []).some((d: any) => (d.capacityProviderStrategy ?? []).some((i: any) => i.capacityProvider === p)));
    if (usedBy) {
      throw new EcsError(
        ErrorType.ResourceInUse,
        `The specified capacity provider ${p} is in use and cannot be removed (service ${usedBy.metadata.name}).`,
        'spec.capacityProviders',
      );
    }
  }
}

function admitCapacityProvider(ctx: AdmissionContext, obj: Resource): void {
  const ref: string | undefined = obj.spec.autoScalingGroupProvider?.autoScalingGroupArn;
  if (!ref) return;
  if (!ctx.store.get('AutoScalingGroup', nameFromArn(ref))) {
    throw new EcsError(
      ErrorType.Client,
      `The specified Auto Scaling group '${capValue(nameFromArn(ref))}' does not exist.`,
      'spec.autoScalingGroupProvider.autoScalingGroupArn',
    );
  }
}

function admitScalableTarget(ctx: AdmissionContext, obj: Resource): void {
  const id: string = obj.spec.ResourceId;
  const m = /^service\/([^/]+)\/([^/]+)$/.exec(id ?? '');
  if (!m || !ctx.store.get('Service', makeKey(m[1], m[2]))) {
    throw new EcsError(ErrorType.Validation, `ECS service doesn't exist: ${capValue(id)}`, 'spec.ResourceId');
  }
}

function requireScalableTarget(ctx: AdmissionContext, obj: Resource): void {
  const s = obj.spec;
  const found = ctx.store
    .list('ScalableTarget')
    .some((t) => t.spec.ResourceId === s.ResourceId && t.spec.ScalableDimension === s.ScalableDimension && t.spec.ServiceNamespace === s.ServiceNamespace);
  if (!found) {
    throw new EcsError(
      ErrorType.ObjectNotFound,
      `No scalable target registered for service namespace: ${s.ServiceNamespace}, resource ID: ${capValue(s.ResourceId)}, scalable dimension: ${s.ScalableDimension}`,
      'spec.ResourceId',
    );
  }
}

