/**
 * CapacityProvider (CreateCapacityProvider input) rules beyond the schema, and defaults
 * (ecs-semantics §1 CapacityProvider, §6). managedScaling ranges come from botocore via the schema.
 */
import { EcsError, ErrorType, capValue } from '../errors.js';
import { Issues, checkName, clone, isNum, isObject, nonEmpty, obj, type NameRule } from './common.js';
import { AUTO_SCALING_GROUP_NAME } from './auto-scaling-group.js';
import type { AutoScalingGroupProvider, CapacityProviderSpec, ManagedScaling } from './types.js';

/** ECS names, minus the reserved prefixes (FARGATE and FARGATE_SPOT are built in). */
export const CAPACITY_PROVIDER_NAME: NameRule = {
  pattern: /^(?!(aws|ecs|fargate))[A-Za-z0-9_-]{1,255}$/i,
  message:
    'Up to 255 letters (uppercase and lowercase), numbers, underscores, and hyphens are allowed, and the name cannot be prefixed with "aws", "ecs", or "fargate".',
  nameField: 'name',
};

/** ecs-semantics §1: targetCapacity 100, step sizes 1 / 10000, warm-up 300 s. */
export const MANAGED_SCALING_DEFAULTS = {
  targetCapacity: 100,
  minimumScalingStepSize: 1,
  maximumScalingStepSize: 10000,
  instanceWarmupPeriod: 300,
} as const;

export function validateCapacityProvider(o: any): EcsError[] {
  const issues = new Issues(ErrorType.InvalidParameter);
  checkName(o, CAPACITY_PROVIDER_NAME, issues);
  const spec = obj(o?.spec);
  const asg = spec.autoScalingGroupProvider;
  if ((asg === undefined) === (spec.managedInstancesProvider === undefined)) {
    issues.add('spec.autoScalingGroupProvider', 'Specify exactly one of autoScalingGroupProvider or managedInstancesProvider.');
  }
  if (!isObject(asg)) return issues.list;
  const f = 'spec.autoScalingGroupProvider';
  const ref = asg.autoScalingGroupArn;
  // An ASG ARN (`...:autoScalingGroupName/<name>`) or, in ecsplane, an AutoScalingGroup's name.
  if (!(nonEmpty(ref) && (ref.startsWith('arn:') ? /:autoScalingGroupName\/.+/.test(ref) : AUTO_SCALING_GROUP_NAME.pattern.test(ref)))) {
    issues.add(`${f}.autoScalingGroupArn`, `Invalid Auto Scaling group '${capValue(ref)}': use an Auto Scaling group ARN or name.`);
  }
  const ms = obj(asg.managedScaling);
  if (isNum(ms.minimumScalingStepSize) && isNum(ms.maximumScalingStepSize) && ms.minimumScalingStepSize > ms.maximumScalingStepSize) {
    issues.add(`${f}.managedScaling.minimumScalingStepSize`, 'minimumScalingStepSize cannot be greater than maximumScalingStepSize.');
  }
  const scaling = managedScalingWithDefaults(asg.managedScaling);
  if (asg.managedTerminationProtection === 'ENABLED' && scaling.status !== 'ENABLED') {
    issues.add(
      `${f}.managedTerminationProtection`,
      'The managed termination protection setting for the capacity provider is invalid. To enable managed termination protection for a capacity provider, the capacity provider must have managed scaling enabled.',
    );
  }
  return issues.list;
}

/**
 * managedScaling with defaults. An omitted block means DISABLED; a block without `status` is taken as
 * ENABLED (what someone writing the block means; unverified against the API).
 */
export function managedScalingWithDefaults(ms: ManagedScaling | undefined): Required<ManagedScaling> {
  return {
    ...MANAGED_SCALING_DEFAULTS,
    status: ms === undefined ? 'DISABLED' : 'ENABLED',
    ...(isObject(ms) ? ms : {}),
  } as Required<ManagedScaling>;
}

/** The defaulted view (pure): name, managedScaling defaults, termination protection DISABLED, draining ENABLED. */
export function capacityProviderWithDefaults(spec: CapacityProviderSpec, meta?: { name?: string }): CapacityProviderSpec {
  const s = clone(spec) ?? ({} as CapacityProviderSpec);
  if (s.name === undefined && meta?.name) s.name = meta.name;
  const asg: AutoScalingGroupProvider | undefined = s.autoScalingGroupProvider;
  if (isObject(asg)) {
    asg.managedScaling = managedScalingWithDefaults(asg.managedScaling);
    asg.managedTerminationProtection ??= 'DISABLED';
    asg.managedDraining ??= 'ENABLED';
  }
  return s;
}
