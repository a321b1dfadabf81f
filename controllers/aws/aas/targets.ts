/** RegisterScalableTarget, DescribeScalableTargets, DeregisterScalableTarget → the ScalableTarget kind. */
import { ACCOUNT } from '../../../api/arn.js';
import type { Resource } from '../../../api/meta.js';
import type { JsonOperation } from '../router.js';
import { AwsError } from '../errors.js';
import { applyOne, reapply } from '../ecs/apply.js';
import { resource, without } from '../ecs/common.js';
import { NOT_FOUND, byCreation, findTarget, matches, ofTarget, paginate, targetArn, targetName, type TargetRef } from './common.js';

/** The service-linked role AAS uses for ECS when RoleARN is not given. */
const ECS_SERVICE_ROLE = () =>
  `arn:aws:iam::${ACCOUNT}:role/aws-service-role/ecs.application-autoscaling.amazonaws.com/AWSServiceRoleForApplicationAutoScaling_ECSService`;

export const refOf = (input: TargetRef): TargetRef => ({ ServiceNamespace: input.ServiceNamespace, ResourceId: input.ResourceId, ScalableDimension: input.ScalableDimension });

export function targetNotFound(ref: TargetRef): AwsError {
  return new AwsError(NOT_FOUND, `No scalable target found for service namespace: ${ref.ServiceNamespace}, resource ID: ${ref.ResourceId}, scalable dimension: ${ref.ScalableDimension}`);
}

function targetView(t: Resource): Record<string, unknown> {
  const st = t.status ?? {};
  return {
    ...refOf(t.spec as TargetRef),
    // Effective bounds: a scheduled action may have changed them (status), else the registered ones.
    MinCapacity: st.MinCapacity ?? t.spec.MinCapacity,
    MaxCapacity: st.MaxCapacity ?? t.spec.MaxCapacity,
    RoleARN: t.spec.RoleARN ?? ECS_SERVICE_ROLE(),
    CreationTime: t.metadata.creationTimestamp,
    SuspendedState: { DynamicScalingInSuspended: false, DynamicScalingOutSuspended: false, ScheduledScalingSuspended: false, ...(t.spec.SuspendedState ?? {}) },
    ScalableTargetARN: targetArn(t),
  };
}

export const targetOperations: Record<string, JsonOperation> = {
  /** A second registration updates the given members only (AAS's rule). */
  async RegisterScalableTarget({ app }, input) {
    const current = findTarget(app, refOf(input));
    const spec = without(input);
    const t = current ? await reapply(app, current, { ...current.spec, ...spec }) : await applyOne(app, resource('ScalableTarget', targetName(app, input.ResourceId), spec));
    return { ScalableTargetARN: targetArn(t) };
  },

  DescribeScalableTargets({ app }, input) {
    const all = app.store.list('ScalableTarget').filter((t) => matches(t.spec, input)).sort(byCreation);
    const page = paginate(all, input, 'DescribeScalableTargets');
    return { ScalableTargets: page.items.map(targetView), NextToken: page.NextToken };
  },

  /** Deregistering deletes the target's scaling policies and scheduled actions with it, as AAS does. */
  async DeregisterScalableTarget({ app }, input) {
    const ref = refOf(input);
    const t = findTarget(app, ref);
    if (!t) throw targetNotFound(ref);
    for (const kind of ['ScalingPolicy', 'ScheduledAction']) {
      for (const r of ofTarget(app, kind, ref)) await app.api.deleteAndPersist(kind, r.metadata.name);
    }
    await app.api.deleteAndPersist('ScalableTarget', t.metadata.name);
    return {};
  },
};
