/**
 * AutoScalingGroup (EC2 Auto Scaling CreateAutoScalingGroup input, PascalCase) plus `InstanceType` standing in
 * for a launch template. Errors are EC2 Auto Scaling's `ValidationError`, with its wording.
 */
import { lookupInstanceType } from '../instance-types.js';
import { EcsError, ErrorType, capValue } from '../errors.js';
import { DEFAULT_INSTANCE_TYPE, Issues, arr, checkName, checkQuota, clone, isNum, isStr, obj, type NameRule } from './common.js';
import type { AutoScalingGroupSpec } from './types.js';

/** EC2 Auto Scaling allows any 1–255 printable characters; ecsplane keeps names key-safe (no `/`, `:` or spaces). */
export const AUTO_SCALING_GROUP_NAME: NameRule = {
  pattern: /^[A-Za-z0-9_.-]{1,255}$/,
  message: 'Up to 255 letters, numbers, underscores, periods and hyphens are allowed.',
  nameField: 'AutoScalingGroupName',
};

export function validateAutoScalingGroup(o: any): EcsError[] {
  const issues = new Issues(ErrorType.AutoScalingValidation);
  checkName(o, AUTO_SCALING_GROUP_NAME, issues);
  const s = obj(o?.spec);
  const { MinSize: min, MaxSize: max, DesiredCapacity: desired } = s;
  if (isNum(min) && isNum(max) && max < min) {
    issues.add('spec.MaxSize', `Max bound, ${max}, must be greater than or equal to min bound, ${min}`);
  }
  if (isNum(desired) && isNum(min) && isNum(max) && (desired < min || desired > max)) {
    issues.add('spec.DesiredCapacity', `Desired capacity:${desired} must be between the specified min size:${min} and max size:${max}`);
  }
  // ecsplane places instances by AZ, so AZs are required (subnets are not simulated).
  if (arr(s.AvailabilityZones).length === 0) {
    issues.add(
      'spec.AvailabilityZones',
      s.VPCZoneIdentifier === undefined
        ? 'At least one Availability Zone or VPC Subnet is required.'
        : 'ecsplane does not simulate subnets: list the Availability Zones of the group in AvailabilityZones.',
    );
  } else if (new Set(s.AvailabilityZones).size !== s.AvailabilityZones.length) {
    issues.add('spec.AvailabilityZones', 'Availability Zones must not contain duplicates.');
  }
  // ecsplane's bound: the group's instances register in one cluster, which holds at most 5,000.
  for (const f of ['MinSize', 'MaxSize', 'DesiredCapacity'] as const) checkQuota(issues, 'containerInstancesPerCluster', f, s[f], `spec.${f}`);
  if (s.InstanceType !== undefined && !(isStr(s.InstanceType) && lookupInstanceType(s.InstanceType))) {
    issues.add('spec.InstanceType', `The instance type '${capValue(s.InstanceType)}' is not supported by ecsplane.`);
  }
  return issues.list;
}

/** The defaulted view (pure): DesiredCapacity = MinSize, cooldown 300 s, EC2 health checks, m5.large. */
export function autoScalingGroupWithDefaults(spec: AutoScalingGroupSpec, meta?: { name?: string }): AutoScalingGroupSpec {
  const s = clone(spec) ?? ({} as AutoScalingGroupSpec);
  if (s.AutoScalingGroupName === undefined && meta?.name) s.AutoScalingGroupName = meta.name;
  s.InstanceType ??= DEFAULT_INSTANCE_TYPE;
  if (s.DesiredCapacity === undefined && isNum(s.MinSize)) s.DesiredCapacity = s.MinSize;
  s.DefaultCooldown ??= 300;
  s.HealthCheckType ??= 'EC2';
  s.HealthCheckGracePeriod ??= 0;
  s.NewInstancesProtectedFromScaleIn ??= false;
  s.AvailabilityZones ??= [];
  s.TargetGroupARNs ??= [];
  s.Tags ??= [];
  return s;
}
