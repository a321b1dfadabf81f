/** PutScalingPolicy, DescribeScalingPolicies, DeleteScalingPolicy → the ScalingPolicy kind. */
import { ACCOUNT, REGION } from '../../../api/arn.js';
import type { Resource } from '../../../api/meta.js';
import { uuidFrom } from '../../capacity/association.js';
import type { JsonOperation } from '../router.js';
import { AwsError } from '../errors.js';
import { applyOne, reapply } from '../ecs/apply.js';
import { resource, without } from '../ecs/common.js';
import { NOT_FOUND, VALIDATION, aasArn, byCreation, matches, paginate, sameTarget, type TargetRef } from './common.js';
import { refOf } from './targets.js';

function policyArn(p: Resource): string {
  // The controller seeds the ARN with the policy's alarm suffix, itself derived from the uid.
  return p.status?.PolicyARN ?? aasArn('scalingPolicy', uuidFrom(p.metadata.uid ?? p.metadata.name), p.spec.ResourceId, 'policyName', p.metadata.name);
}

/** The CloudWatch alarms the controller keeps for a target tracking policy (status.Alarms). */
function alarmsOf(p: Resource): Array<{ AlarmName: string; AlarmARN: string }> {
  return ((p.status?.Alarms ?? []) as Array<{ AlarmName: string }>).map((a) => ({ AlarmName: a.AlarmName, AlarmARN: `arn:aws:cloudwatch:${REGION}:${ACCOUNT}:alarm:${a.AlarmName}` }));
}

function policyView(p: Resource): Record<string, unknown> {
  return { ...p.spec, PolicyName: p.metadata.name, PolicyType: p.spec.PolicyType ?? 'StepScaling', PolicyARN: policyArn(p), Alarms: alarmsOf(p), CreationTime: p.metadata.creationTimestamp };
}

function policyNotFound(input: TargetRef & { PolicyName: string }): AwsError {
  return new AwsError(
    NOT_FOUND,
    `No scaling policy found for service namespace: ${input.ServiceNamespace}, resource ID: ${input.ResourceId}, scalable dimension: ${input.ScalableDimension}, policy name: ${input.PolicyName}`,
  );
}

export const policyOperations: Record<string, JsonOperation> = {
  /**
   * The store keys policies by name, so one name serves one scalable target in ecsplane (AAS scopes names
   * per target): reusing a name on another target is refused rather than overwriting that policy.
   */
  async PutScalingPolicy({ app }, input) {
    const current = app.store.get('ScalingPolicy', input.PolicyName);
    if (current && !sameTarget(current.spec, refOf(input))) {
      throw new AwsError(VALIDATION, `ecsplane keeps scaling policy names unique: ${input.PolicyName} already belongs to ${current.spec.ResourceId}; use another PolicyName.`);
    }
    const spec = without(input);
    const p = current ? await reapply(app, current, spec) : await applyOne(app, resource('ScalingPolicy', input.PolicyName, spec));
    return { PolicyARN: policyArn(p), Alarms: alarmsOf(p) };
  },

  DescribeScalingPolicies({ app }, input) {
    const names: string[] | undefined = input.PolicyNames?.length ? input.PolicyNames : undefined;
    const all = app.store
      .list('ScalingPolicy')
      .filter((p) => matches(p.spec, input) && (!names || names.includes(p.metadata.name)))
      .sort(byCreation);
    const page = paginate(all, input, 'DescribeScalingPolicies', 50);
    return { ScalingPolicies: page.items.map(policyView), NextToken: page.NextToken };
  },

  async DeleteScalingPolicy({ app }, input) {
    const p = app.store.get('ScalingPolicy', input.PolicyName);
    if (!p || !sameTarget(p.spec, refOf(input))) throw policyNotFound(input);
    await app.api.deleteAndPersist('ScalingPolicy', p.metadata.name);
    return {};
  },
};
