/**
 * Task (RunTask input) rules beyond the schema, and defaults. Counts and lengths (count 1–10, group ≤255,
 * startedBy ≤128, ≤10 constraints, ≤5 strategies) are in the schema.
 */
import { parseTaskDefinitionRef } from '../arn.js';
import { EcsError, ErrorType, capValue } from '../errors.js';
import {
  ECS_NAME,
  ECS_NAME_MESSAGE,
  Issues,
  arr,
  checkClusterRef,
  checkLaunchTypeXorStrategy,
  checkName,
  checkNetworkConfiguration,
  checkNoFargatePlacement,
  checkPlacement,
  checkStrategy,
  checkTaskDefinitionRef,
  clone,
  isRoleRef,
  nonEmpty,
  obj,
  requestsFargate,
  strategyWithDefaults,
  type NameRule,
} from './common.js';
import { parseCpu, parseMemory } from './task-size.js';
import type { TaskSpec } from './types.js';

export const TASK_NAME: NameRule = { pattern: ECS_NAME, message: ECS_NAME_MESSAGE };

export function validateTask(o: any): EcsError[] {
  const issues = new Issues(ErrorType.InvalidParameter);
  checkName(o, TASK_NAME, issues);
  const spec = obj(o?.spec);
  checkClusterRef(spec.cluster, 'spec.cluster', issues);
  checkTaskDefinitionRef(spec.taskDefinition, 'spec.taskDefinition', issues);
  checkLaunchTypeXorStrategy(spec, issues);
  checkStrategy(spec.capacityProviderStrategy, 'spec.capacityProviderStrategy', issues);
  checkPlacement(spec, issues);
  checkNoFargatePlacement(spec, issues);
  checkNetworkConfiguration(spec.networkConfiguration, issues);
  checkOverrides(obj(spec.overrides), issues);
  return issues.list;
}

function checkOverrides(ov: Record<string, any>, issues: Issues): void {
  const f = 'spec.overrides';
  if (ov.cpu !== undefined && Number.isNaN(parseCpu(ov.cpu))) issues.add(`${f}.cpu`, "Invalid 'cpu' setting for task.");
  if (ov.memory !== undefined && Number.isNaN(parseMemory(ov.memory))) issues.add(`${f}.memory`, "Invalid 'memory' setting for task.");
  for (const role of ['taskRoleArn', 'executionRoleArn'] as const) {
    if (ov[role] !== undefined && ov[role] !== '' && !(nonEmpty(ov[role]) && isRoleRef(ov[role], role === 'taskRoleArn'))) {
      issues.add(`${f}.${role}`, 'Role is not valid');
    }
  }
  const names = new Set<string>();
  arr(ov.containerOverrides).forEach((c, i) => {
    const name = obj(c).name;
    if (!nonEmpty(name)) return issues.add(`${f}.containerOverrides[${i}].name`, 'Container override name is required.');
    if (names.has(name)) issues.add(`${f}.containerOverrides[${i}].name`, `Duplicate container override '${capValue(name)}'.`);
    names.add(name);
  });
}

/** The defaulted view (pure): cluster `default`, count 1, group `family:<family>`, LATEST platform on Fargate. */
export function taskWithDefaults(spec: TaskSpec): TaskSpec {
  const s = clone(spec) ?? ({} as TaskSpec);
  s.cluster ??= 'default';
  s.count ??= 1;
  if (s.group === undefined && nonEmpty(s.taskDefinition)) s.group = `family:${parseTaskDefinitionRef(s.taskDefinition).family}`;
  s.placementConstraints ??= [];
  s.placementStrategy ??= [];
  s.enableECSManagedTags ??= false;
  s.enableExecuteCommand ??= false;
  if (s.capacityProviderStrategy) s.capacityProviderStrategy = strategyWithDefaults(s.capacityProviderStrategy);
  if (requestsFargate(s)) s.platformVersion ??= 'LATEST';
  return s;
}
