/**
 * TaskDefinitionRevision: an immutable registered revision, named `family:N`, whose spec is the defaulted
 * TaskDefinition spec. Created by the store when a TaskDefinition is applied; validated like a TaskDefinition.
 */
import { EcsError, ErrorType, capValue } from '../errors.js';
import { Issues, checkName, obj, type NameRule } from './common.js';
import { checkTaskDefinitionSpec, taskDefinitionWithDefaults } from './task-definition.js';
import type { TaskDefinitionRevisionSpec } from './types.js';

export const TASK_DEFINITION_REVISION_NAME: NameRule = {
  pattern: /^[A-Za-z0-9_-]{1,255}:[1-9][0-9]*$/,
  message: "A revision is named 'family:revision', e.g. 'web-app:3'.",
};

export function validateTaskDefinitionRevision(o: any): EcsError[] {
  const issues = new Issues(ErrorType.Client);
  const name = checkName(o, TASK_DEFINITION_REVISION_NAME, issues);
  const spec = obj(o?.spec);
  const family = name?.slice(0, name.lastIndexOf(':'));
  if (family && spec.family !== undefined && spec.family !== family) {
    issues.add('spec.family', `family '${capValue(spec.family)}' must equal the family of the revision name '${capValue(name)}'.`);
  }
  checkTaskDefinitionSpec(spec, issues);
  return issues.list;
}

export function taskDefinitionRevisionWithDefaults(
  spec: TaskDefinitionRevisionSpec,
  meta?: { name?: string },
): TaskDefinitionRevisionSpec {
  const name = meta?.name;
  return taskDefinitionWithDefaults(spec, name?.includes(':') ? { name: name.slice(0, name.lastIndexOf(':')) } : undefined);
}
