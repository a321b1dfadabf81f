/** ScalableTarget (Application Auto Scaling RegisterScalableTarget input) rules and defaults (ecs-semantics §7). */
import { EcsError, ErrorType } from '../errors.js';
import { Issues, checkName, checkQuota, clone, isNum, isRoleRef, nonEmpty, obj } from './common.js';
import { AAS_NAME, checkScalableTargetRef } from './aas.js';
import type { ScalableTargetSpec } from './types.js';

export const SCALABLE_TARGET_NAME = AAS_NAME();

export function validateScalableTarget(o: any): EcsError[] {
  const issues = new Issues(ErrorType.Validation);
  checkName(o, SCALABLE_TARGET_NAME, issues);
  const s = obj(o?.spec);
  checkScalableTargetRef(s, issues);
  // A declarative target is always a registration, which needs both bounds.
  if (s.MinCapacity === undefined) issues.add('spec.MinCapacity', 'MinCapacity is required to register a scalable target.');
  if (s.MaxCapacity === undefined) issues.add('spec.MaxCapacity', 'MaxCapacity is required to register a scalable target.');
  if (isNum(s.MinCapacity) && isNum(s.MaxCapacity) && s.MinCapacity > s.MaxCapacity) {
    issues.add('spec.MinCapacity', 'Minimum capacity cannot be greater than maximum capacity');
  }
  // A service cannot run more tasks than the quota, whatever the target allows.
  checkQuota(issues, 'tasksPerService', 'MinCapacity', s.MinCapacity, 'spec.MinCapacity');
  checkQuota(issues, 'tasksPerService', 'MaxCapacity', s.MaxCapacity, 'spec.MaxCapacity');
  if (s.RoleARN !== undefined && !(nonEmpty(s.RoleARN) && isRoleRef(s.RoleARN, false))) {
    issues.add('spec.RoleARN', `Invalid RoleARN: use an IAM role ARN.`);
  }
  return issues.list;
}

/** The defaulted view (pure): nothing suspended. */
export function scalableTargetWithDefaults(spec: ScalableTargetSpec): ScalableTargetSpec {
  const s = clone(spec) ?? ({} as ScalableTargetSpec);
  s.SuspendedState = {
    DynamicScalingInSuspended: false,
    DynamicScalingOutSuspended: false,
    ScheduledScalingSuspended: false,
    ...obj(s.SuspendedState),
  };
  return s;
}
