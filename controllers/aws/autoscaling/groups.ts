/**
 * CreateAutoScalingGroup, DescribeAutoScalingGroups, UpdateAutoScalingGroup, DeleteAutoScalingGroup,
 * SetDesiredCapacity → the AutoScalingGroup kind (spec = the CreateAutoScalingGroup request; instances and the
 * effective desired capacity come from status, which controllers/autoscaling-group writes).
 * https://docs.aws.amazon.com/autoscaling/ec2/APIReference/API_UpdateAutoScalingGroup.html
 */
import { arn } from '../../../api/arn.js';
import type { Resource } from '../../../api/meta.js';
import type { App } from '../../register.js';
import { AwsError } from '../errors.js';
import { applyOne, reapply } from '../ecs/apply.js';
import { resource, without } from '../ecs/common.js';
import type { QueryOperation } from '../query/handler.js';
import { VALIDATION, pageOf } from './common.js';

export function requireGroup(app: App, name: string): Resource {
  const g = app.store.get('AutoScalingGroup', name);
  if (!g || g.metadata.deletionTimestamp) throw new AwsError(VALIDATION, `AutoScalingGroup name not found - AutoScalingGroup '${name}' not found`);
  return g;
}

function groupView(g: Resource): Record<string, unknown> {
  const st = g.status ?? {};
  return {
    ...g.spec,
    AutoScalingGroupName: g.metadata.name,
    AutoScalingGroupARN: arn.autoScalingGroup(g.metadata.name),
    MinSize: st.MinSize ?? g.spec.MinSize,
    MaxSize: st.MaxSize ?? g.spec.MaxSize,
    // The effective one: managed scaling may have set it (docs/scaling.md "Desired capacity").
    DesiredCapacity: st.DesiredCapacity ?? g.spec.DesiredCapacity ?? g.spec.MinSize,
    DefaultCooldown: g.spec.DefaultCooldown ?? 300,
    AvailabilityZones: g.spec.AvailabilityZones ?? [],
    HealthCheckType: g.spec.HealthCheckType ?? 'EC2',
    HealthCheckGracePeriod: g.spec.HealthCheckGracePeriod ?? 0,
    NewInstancesProtectedFromScaleIn: g.spec.NewInstancesProtectedFromScaleIn ?? false,
    Instances: st.Instances ?? [],
    CreatedTime: g.metadata.creationTimestamp,
    Tags: ((g.spec.Tags ?? []) as Array<Record<string, unknown>>).map((t) => ({ ResourceId: g.metadata.name, ResourceType: 'auto-scaling-group', PropagateAtLaunch: false, ...t })),
  };
}

/** With a new MinSize or MaxSize and no DesiredCapacity, the desired capacity moves inside the new bounds (AWS's rule). */
function clampDesired(spec: Record<string, any>): Record<string, any> {
  const d = spec.DesiredCapacity;
  if (typeof d !== 'number') return spec;
  const clamped = Math.min(Math.max(d, spec.MinSize ?? d), spec.MaxSize ?? d);
  return clamped === d ? spec : { ...spec, DesiredCapacity: clamped };
}

export const groupOperations: Record<string, QueryOperation> = {
  async CreateAutoScalingGroup({ app }, input) {
    if (app.store.get('AutoScalingGroup', input.AutoScalingGroupName)) {
      throw new AwsError('AlreadyExistsFault', `AutoScalingGroup by this name already exists - A group with the name ${input.AutoScalingGroupName} already exists`);
    }
    await applyOne(app, resource('AutoScalingGroup', input.AutoScalingGroupName, without(input)));
    return {};
  },

  DescribeAutoScalingGroups({ app }, input) {
    const names: string[] | undefined = input.AutoScalingGroupNames?.length ? input.AutoScalingGroupNames : undefined;
    const groups = app.store
      .list('AutoScalingGroup')
      .filter((g) => !names || names.includes(g.metadata.name))
      .sort((a, b) => a.metadata.name.localeCompare(b.metadata.name));
    const page = pageOf(groups, input, 'DescribeAutoScalingGroups', 100, 50);
    return { AutoScalingGroups: page.items.map(groupView), NextToken: page.NextToken };
  },

  async UpdateAutoScalingGroup({ app }, input) {
    const g = requireGroup(app, input.AutoScalingGroupName);
    const change = without(input);
    const spec = { ...g.spec, ...change };
    await reapply(app, g, change.DesiredCapacity === undefined ? clampDesired(spec) : spec);
    return {};
  },

  async SetDesiredCapacity({ app }, input) {
    const g = requireGroup(app, input.AutoScalingGroupName);
    const { DesiredCapacity: d } = input;
    const min = g.spec.MinSize ?? 0;
    const max = g.spec.MaxSize ?? d;
    if (d > max) throw new AwsError(VALIDATION, `New SetDesiredCapacity value ${d} is above max value ${max} for the AutoScalingGroup.`);
    if (d < min) throw new AwsError(VALIDATION, `New SetDesiredCapacity value ${d} is below min value ${min} for the AutoScalingGroup.`);
    await reapply(app, g, { ...g.spec, DesiredCapacity: d });
    return {};
  },

  async DeleteAutoScalingGroup({ app }, input) {
    const g = requireGroup(app, input.AutoScalingGroupName);
    const instances = (g.status?.Instances ?? []) as unknown[];
    if (instances.length > 0 && !input.ForceDelete) {
      throw new AwsError('ResourceInUseFault', 'You cannot delete an AutoScalingGroup while there are instances or pending Spot instance request(s) still in the group.');
    }
    await app.api.deleteAndPersist('AutoScalingGroup', g.metadata.name);
    return {};
  },
};
