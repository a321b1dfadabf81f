/**
 * RegisterContainerInstance, DeregisterContainerInstance, DescribeContainerInstances,
 * ListContainerInstances, UpdateContainerInstancesState. The ContainerInstance spec is the
 * RegisterContainerInstance input; its name is a 32-hex id like ECS's. DRAINING / ACTIVE is the
 * `ecsplane.io/desired-status` annotation the container-instance loop acts on.
 */
import { clusterOf, keyOf, type Resource } from '../../../api/meta.js';
import { INSTANCE_ANNOTATIONS, type InstanceObject } from '../../shared/instances.js';
import { instanceViewFresh } from '../../shared/views.js';
import { compileCql, evaluateCql } from '../../placement/cql.js';
import type { App } from '../../register.js';
import { AwsError } from '../errors.js';
import type { JsonOperation } from '../router.js';
import { applyOne, reapply } from './apply.js';
import { arn, byName, clusterOfInput, includesTags, missingRef, newTaskId, paginate, requireCluster, resource, scopedKey, without } from './common.js';

export function instanceView(inst: Resource, include?: unknown): Record<string, unknown> {
  const s = inst.status ?? {};
  const cluster = clusterOf(inst);
  return {
    ...s,
    containerInstanceArn: arn.containerInstance(cluster, inst.metadata.name),
    status: s.status ?? 'REGISTERING',
    versionInfo: inst.spec.versionInfo,
    attributes: mergedAttributes(inst),
    registeredResources: s.registeredResources ?? inst.spec.totalResources ?? [],
    remainingResources: s.remainingResources ?? inst.spec.totalResources ?? [],
    runningTasksCount: s.runningTasksCount ?? 0,
    pendingTasksCount: s.pendingTasksCount ?? 0,
    agentConnected: s.agentConnected ?? true,
    tags: includesTags(include) ? (inst.spec.tags ?? []) : undefined,
  };
}

/** The loop's built-in attributes (status) plus the user's (spec), the user's winning. */
export function mergedAttributes(inst: Resource): Array<{ name: string; value?: string }> {
  const byName = new Map<string, { name: string; value?: string }>();
  for (const a of [...(inst.status?.attributes ?? []), ...(inst.spec.attributes ?? [])]) byName.set(a.name, { name: a.name, ...(a.value !== undefined ? { value: a.value } : {}) });
  return [...byName.values()];
}

export function instanceOf(app: App, cluster: string, ref: string): Resource | undefined {
  return app.store.get('ContainerInstance', scopedKey(cluster, ref));
}

function requireInstance(app: App, cluster: string, ref: string): Resource {
  const inst = instanceOf(app, cluster, ref);
  if (!inst) throw new AwsError('InvalidParameterException', 'The referenced container instance was not found.');
  return inst;
}

export const containerInstanceOperations: Record<string, JsonOperation> = {
  async RegisterContainerInstance({ app }, input) {
    const cluster = clusterOfInput(input.cluster);
    requireCluster(app, cluster);
    const name = input.containerInstanceArn ? input.containerInstanceArn.split('/').pop() : newTaskId();
    const created = await applyOne(app, resource('ContainerInstance', name, without(input)));
    return { containerInstance: instanceView(created, ['TAGS']) };
  },

  async DeregisterContainerInstance({ app }, input) {
    const cluster = clusterOfInput(input.cluster);
    requireCluster(app, cluster);
    const inst = requireInstance(app, cluster, input.containerInstance);
    await app.api.deleteAndPersist('ContainerInstance', keyOf(inst), { force: input.force === true });
    return { containerInstance: { ...instanceView(inst), status: 'INACTIVE' } };
  },

  DescribeContainerInstances({ app }, input) {
    const cluster = clusterOfInput(input.cluster);
    requireCluster(app, cluster);
    const containerInstances: unknown[] = [];
    const failures: unknown[] = [];
    for (const ref of input.containerInstances as string[]) {
      const inst = instanceOf(app, cluster, ref);
      if (inst) containerInstances.push(instanceView(inst, input.include));
      else failures.push(missingRef(ref, (name) => arn.containerInstance(cluster, name)));
    }
    return { containerInstances, failures };
  },

  ListContainerInstances({ app }, input) {
    const cluster = clusterOfInput(input.cluster);
    requireCluster(app, cluster);
    let filter: ReturnType<typeof compileCql> | undefined;
    if (input.filter) {
      try {
        filter = compileCql(input.filter);
      } catch (err) {
        throw new AwsError('InvalidParameterException', `Invalid filter expression: ${(err as Error).message}`);
      }
    }
    const all = app.store
      .list('ContainerInstance', { cluster })
      .filter((i) => (input.status ? (i.status?.status ?? 'REGISTERING') === input.status : i.status?.status !== 'INACTIVE'))
      .filter((i) => !filter || evaluateCql(filter, instanceViewFresh(app.store, cluster, i as InstanceObject)))
      .sort(byName);
    const page = paginate(all, input, 'ListContainerInstances');
    return { containerInstanceArns: page.items.map((i) => arn.containerInstance(cluster, i.metadata.name)), nextToken: page.nextToken };
  },

  async UpdateContainerInstancesState({ app }, input) {
    const cluster = clusterOfInput(input.cluster);
    requireCluster(app, cluster);
    const containerInstances: unknown[] = [];
    const failures: unknown[] = [];
    for (const ref of input.containerInstances as string[]) {
      const inst = instanceOf(app, cluster, ref);
      if (!inst) {
        failures.push(missingRef(ref, (name) => arn.containerInstance(cluster, name)));
        continue;
      }
      const updated = await reapply(app, inst, inst.spec, { [INSTANCE_ANNOTATIONS.desiredStatus]: input.status === 'DRAINING' ? 'DRAINING' : undefined });
      containerInstances.push({ ...instanceView(updated), status: input.status });
    }
    return { containerInstances, failures };
  },
};

