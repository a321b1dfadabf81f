/**
 * CreateService, UpdateService, DescribeServices, ListServices, DeleteService, ListServiceDeployments,
 * DescribeServiceDeployments. The Service spec is the CreateService input; UpdateService applies the
 * merged spec, and `forceNewDeployment` (or a family whose latest revision changed) sets the
 * `ecsplane.io/force-new-deployment` annotation, as README describes.
 */
import { clusterOf, keyOf, makeKey, type Resource } from '../../../api/meta.js';
import { withDefaults } from '../../../api/validate.js';
import { resolveTaskDefinition } from '../../../store/taskdefs.js';
import type { App } from '../../register.js';
import { FORCE_DEPLOYMENT_ANNOTATION } from '../../service/reconciler.js';
import { AwsError } from '../errors.js';
import type { JsonOperation, RequestContext } from '../router.js';
import { applyOne, reapply } from './apply.js';
import { arn, byName, clusterOfInput, includesTags, missing, missingRef, paginate, requireCluster, resource, scopedKey, ViewCache, without } from './common.js';

const serviceViews = new ViewCache();

export function serviceView(app: App, svc: Resource, include?: unknown): Record<string, unknown> {
  // Until the service loop records the revision, the view resolves it from the store: not cached.
  if (!svc.status?.taskDefinition) return buildServiceView(app, svc, include);
  return serviceViews.get(svc, includesTags(include), () => buildServiceView(app, svc, include));
}

function buildServiceView(app: App, svc: Resource, include?: unknown): Record<string, unknown> {
  const s = svc.status ?? {};
  const cluster = clusterOf(svc);
  const spec = withDefaults('Service', svc.spec, { name: svc.metadata.name });
  let taskDefinition = s.taskDefinition as string | undefined;
  if (!taskDefinition && spec.taskDefinition) {
    try {
      taskDefinition = resolveTaskDefinition(app.store, spec.taskDefinition, 'taskDefinition', false).status!.taskDefinitionArn;
    } catch {
      taskDefinition = spec.taskDefinition;
    }
  }
  return {
    ...spec,
    ...s,
    serviceArn: arn.service(cluster, svc.metadata.name),
    serviceName: svc.metadata.name,
    clusterArn: arn.cluster(cluster),
    status: svc.metadata.deletionTimestamp ? (s.status === 'INACTIVE' ? 'INACTIVE' : 'DRAINING') : (s.status ?? 'ACTIVE'),
    // The user's new count until the scheduler has seen this generation (then its own, which scaling may change).
    desiredCount: (s.observedGeneration === svc.metadata.generation ? s.desiredCount : undefined) ?? spec.desiredCount ?? s.desiredCount ?? 0,
    runningCount: s.runningCount ?? 0,
    pendingCount: s.pendingCount ?? 0,
    taskDefinition,
    deployments: s.deployments ?? [],
    events: s.events ?? [],
    createdAt: s.createdAt ?? svc.metadata.creationTimestamp,
    tags: includesTags(include) ? (svc.spec.tags ?? []) : undefined,
  };
}

/** The service, or ServiceNotFoundException; `active` also refuses one being deleted (ServiceNotActiveException). */
function serviceOf(app: App, clusterRef: unknown, ref: unknown, active = false): Resource {
  const cluster = clusterOfInput(clusterRef);
  requireCluster(app, cluster);
  const svc = typeof ref === 'string' ? app.store.get('Service', scopedKey(cluster, ref)) : undefined;
  if (!svc) throw new AwsError('ServiceNotFoundException', 'Service not found.');
  if (active && (svc.metadata.deletionTimestamp || (svc.status?.status && svc.status.status !== 'ACTIVE'))) {
    throw new AwsError('ServiceNotActiveException', 'Service was not ACTIVE.');
  }
  return svc;
}

const DEPLOYMENT_STATUS: Record<string, string> = { IN_PROGRESS: 'IN_PROGRESS', COMPLETED: 'SUCCESSFUL', FAILED: 'ROLLBACK_SUCCESSFUL' };

function deploymentArn(svc: Resource, id: string): string {
  return arn.service(clusterOf(svc), svc.metadata.name).replace(':service/', ':service-deployment/') + `/${id.split("/").pop()}`;
}

function deploymentView(svc: Resource, d: any): Record<string, unknown> {
  return {
    serviceDeploymentArn: deploymentArn(svc, d.id),
    serviceArn: arn.service(clusterOf(svc), svc.metadata.name),
    clusterArn: arn.cluster(clusterOf(svc)),
    createdAt: d.createdAt,
    startedAt: d.createdAt,
    updatedAt: d.updatedAt,
    ...(d.rolloutState !== 'IN_PROGRESS' ? { finishedAt: d.updatedAt } : {}),
    status: DEPLOYMENT_STATUS[d.rolloutState] ?? 'IN_PROGRESS',
    statusReason: d.rolloutStateReason,
    targetServiceRevisionArn: d.taskDefinition,
    targetServiceRevision: { arn: d.taskDefinition, requestedTaskCount: d.desiredCount, runningTaskCount: d.runningCount, pendingTaskCount: d.pendingCount },
  };
}

/**
 * The service's deployments as ListServiceDeployments / DescribeServiceDeployments return them: the
 * scheduler's record (status.serviceDeployments: SUCCESSFUL, STOPPED, ROLLBACK_SUCCESSFUL, … kept
 * after the deployment left deployments[]), with the revision's task counts while it is still there.
 */
function serviceDeploymentViews(svc: Resource): Array<Record<string, unknown>> {
  const deployments = (svc.status?.deployments ?? []) as any[];
  const briefs = (svc.status?.serviceDeployments ?? []) as any[];
  if (!briefs.length) return deployments.map((d) => deploymentView(svc, d));
  return briefs.map((b) => {
    const d = deployments.find((x) => String(x.id).split('/').pop() === String(b.serviceDeploymentArn).split('/').pop());
    return {
      ...b,
      ...(d ? { updatedAt: d.updatedAt, targetServiceRevision: { arn: b.targetServiceRevisionArn, requestedTaskCount: d.desiredCount, runningTaskCount: d.runningCount, pendingTaskCount: d.pendingCount } } : {}),
    };
  });
}

export const serviceOperations: Record<string, JsonOperation> = {
  async CreateService({ app }, input) {
    const cluster = clusterOfInput(input.cluster);
    requireCluster(app, cluster);
    const existing = app.store.get('Service', makeKey(cluster, input.serviceName));
    if (existing && !existing.metadata.deletionTimestamp && existing.status?.status !== 'INACTIVE') {
      throw new AwsError('InvalidParameterException', 'Creation of service was not idempotent.');
    }
    const created = await applyOne(app, resource('Service', input.serviceName, without(input)));
    return { service: serviceView(app, created, ['TAGS']) };
  },

  async UpdateService(ctx: RequestContext, input) {
    const { app } = ctx;
    const svc = serviceOf(app, input.cluster, input.service, true);
    const changes = without(input, 'cluster', 'service', 'forceNewDeployment');
    let force = input.forceNewDeployment === true;
    if (typeof input.taskDefinition === 'string' && input.taskDefinition === svc.spec.taskDefinition) {
      // Same family name as before: ECS deploys its latest ACTIVE revision, which may be new.
      const latest = resolveTaskDefinition(app.store, input.taskDefinition, 'taskDefinition').status!.taskDefinitionArn;
      if (latest !== svc.status?.taskDefinition) force = true;
    }
    const updated = await reapply(app, svc, { ...svc.spec, ...changes }, force ? { [FORCE_DEPLOYMENT_ANNOTATION]: ctx.requestId } : undefined);
    return { service: serviceView(app, updated) };
  },

  async DeleteService({ app }, input) {
    const svc = serviceOf(app, input.cluster, input.service);
    await app.api.deleteAndPersist('Service', keyOf(svc), { force: input.force === true });
    const after = app.store.get('Service', keyOf(svc)) ?? svc;
    return { service: { ...serviceView(app, after), status: 'DRAINING' } };
  },

  DescribeServices({ app }, input) {
    const cluster = clusterOfInput(input.cluster);
    requireCluster(app, cluster);
    const services: unknown[] = [];
    const failures: unknown[] = [];
    for (const ref of input.services as string[]) {
      const svc = app.store.get('Service', scopedKey(cluster, ref));
      if (svc) services.push(serviceView(app, svc, input.include));
      else failures.push(missingRef(ref, (name) => arn.service(cluster, name)));
    }
    return { services, failures };
  },

  ListServices({ app }, input) {
    const cluster = clusterOfInput(input.cluster);
    requireCluster(app, cluster);
    const all = app.store
      .list('Service', { cluster })
      .filter((s) => !s.metadata.deletionTimestamp && s.status?.status !== 'INACTIVE')
      .filter((s) => !input.launchType || withDefaults('Service', s.spec).launchType === input.launchType)
      .filter((s) => !input.schedulingStrategy || (s.spec.schedulingStrategy ?? 'REPLICA') === input.schedulingStrategy)
      .sort(byName);
    const page = paginate(all, input, 'ListServices');
    return { serviceArns: page.items.map((s) => arn.service(cluster, s.metadata.name)), nextToken: page.nextToken };
  },

  ListServiceDeployments({ app }, input) {
    const svc = serviceOf(app, input.cluster, input.service);
    const wanted: string[] | undefined = input.status?.length ? input.status : undefined;
    const all = serviceDeploymentViews(svc).filter((d) => !wanted || wanted.includes(d.status as string));
    const page = paginate(all, input, 'ListServiceDeployments');
    return { serviceDeployments: page.items, nextToken: page.nextToken };
  },

  DescribeServiceDeployments({ app }, input) {
    const serviceDeployments: unknown[] = [];
    const failures: unknown[] = [];
    for (const ref of input.serviceDeploymentArns as string[]) {
      const m = /:service-deployment\/([^/]+)\/([^/]+)\/([^/]+)$/.exec(ref);
      const svc = m ? app.store.get('Service', makeKey(m[1], m[2])) : undefined;
      const d = svc ? serviceDeploymentViews(svc).find((x) => String(x.serviceDeploymentArn).split('/').pop() === m![3]) : undefined;
      if (d) serviceDeployments.push(d);
      else failures.push(missing(ref));
    }
    return { serviceDeployments, failures };
  },
};
