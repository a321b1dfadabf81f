/**
 * DescribeAutoScalingInstances and SetInstanceProtection: the groups' instances live in their status
 * (controllers/autoscaling-group). Protection is a property of the instance, not of the group's spec, so
 * SetInstanceProtection writes it there; the group's loop keeps it, except where the capacity provider's
 * managed termination protection sets it (ECS protects busy instances itself).
 * https://docs.aws.amazon.com/autoscaling/ec2/userguide/ec2-auto-scaling-instance-protection.html
 */
import type { Resource } from '../../../api/meta.js';
import { ConflictError } from '../../../store/errors.js';
import { AwsError } from '../errors.js';
import type { QueryOperation } from '../query/handler.js';
import { VALIDATION, pageOf } from './common.js';
import { requireGroup } from './groups.js';

type Instance = Record<string, any> & { InstanceId: string };

const instancesOf = (g: Resource): Instance[] => (g.status?.Instances ?? []) as Instance[];

export const instanceOperations: Record<string, QueryOperation> = {
  DescribeAutoScalingInstances({ app }, input) {
    const ids: string[] | undefined = input.InstanceIds?.length ? input.InstanceIds : undefined;
    const all = app.store
      .list('AutoScalingGroup')
      .flatMap((g) => instancesOf(g).map((i) => ({ ...i, AutoScalingGroupName: g.metadata.name, HealthStatus: String(i.HealthStatus ?? 'Healthy').toUpperCase() })))
      .filter((i) => !ids || ids.includes(i.InstanceId))
      .sort((a, b) => a.InstanceId.localeCompare(b.InstanceId));
    const page = pageOf(all, input, 'DescribeAutoScalingInstances', 50, 50);
    return { AutoScalingInstances: page.items, NextToken: page.NextToken };
  },

  async SetInstanceProtection({ app }, input) {
    const ids = new Set<string>(input.InstanceIds);
    for (let attempt = 0; ; attempt++) {
      const g = requireGroup(app, input.AutoScalingGroupName);
      const instances = instancesOf(g);
      const unknown = [...ids].find((id) => !instances.some((i) => i.InstanceId === id));
      if (unknown) throw new AwsError(VALIDATION, `The instance ${unknown} is not part of Auto Scaling group ${g.metadata.name}.`);
      const next = instances.map((i) => (ids.has(i.InstanceId) ? { ...i, ProtectedFromScaleIn: input.ProtectedFromScaleIn } : i));
      try {
        app.store.updateStatus(g, { status: { ...g.status, Instances: next } });
        break;
      } catch (err) {
        if (!(err instanceof ConflictError) || attempt >= 5) throw err;
      }
    }
    await app.api.persist();
    return {};
  },
};
