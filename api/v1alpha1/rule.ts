/**
 * Rule: an EventBridge PutRule request plus its `Targets` as PutTargets takes them. ecsplane runs ECS
 * targets (an ECS cluster ARN with EcsParameters); a rule's schedule is UTC. Errors use EventBridge's
 * exception names: ValidationException, InvalidEventPatternException.
 * https://docs.aws.amazon.com/eventbridge/latest/APIReference/API_PutRule.html
 * https://docs.aws.amazon.com/eventbridge/latest/APIReference/API_PutTargets.html
 */
import { parseEventPattern } from '../event-pattern.js';
import { EcsError, capValue } from '../errors.js';
import { Issues, arr, checkName, clone, isObject, isStr, nonEmpty, obj, type NameRule } from './common.js';
import type { RuleSpec, RuleTarget } from './events-types.js';
import { EVENTS_NAME, EVENTS_NAME_MESSAGE, checkEcsParameters, checkTargetInput, clusterOfTargetArn, scheduleExpressionError } from './events-common.js';

export const EVENTS_VALIDATION = 'ValidationException';
export const RULE_NAME: NameRule = { pattern: EVENTS_NAME, message: EVENTS_NAME_MESSAGE, nameField: 'Name' };
export const DEFAULT_EVENT_BUS = 'default';
/** RetryPolicy defaults (PutTargets): 185 retries over 24 hours. */
export const DEFAULT_RETRY_POLICY = { MaximumRetryAttempts: 185, MaximumEventAgeInSeconds: 86_400 };

export function validateRule(o: any): EcsError[] {
  const issues = new Issues(EVENTS_VALIDATION);
  checkName(o, RULE_NAME, issues);
  const s = obj(o?.spec);
  if (s.ScheduleExpression === undefined && s.EventPattern === undefined) {
    issues.add('spec', 'Parameter(s) EventPattern or ScheduleExpression must be specified.');
  }
  if (isStr(s.ScheduleExpression)) {
    const err = scheduleExpressionError(s.ScheduleExpression, false);
    if (err) issues.add('spec.ScheduleExpression', `Parameter ScheduleExpression is not valid: ${err}`);
    if ((s.EventBusName ?? DEFAULT_EVENT_BUS) !== DEFAULT_EVENT_BUS) {
      issues.add('spec.ScheduleExpression', 'ScheduleExpression is supported only on the default event bus.');
    }
  }
  if (isStr(s.EventPattern)) {
    try {
      parseEventPattern(s.EventPattern);
    } catch (e) {
      issues.add('spec.EventPattern', (e as Error).message, 'InvalidEventPatternException');
    }
  }
  const ids = new Set<string>();
  arr(s.Targets).forEach((t, i) => {
    const f = `spec.Targets[${i}]`;
    const target = obj(t);
    if (isStr(target.Id)) {
      if (!EVENTS_NAME.test(target.Id)) issues.add(`${f}.Id`, `Invalid target Id '${capValue(target.Id)}'. ${EVENTS_NAME_MESSAGE}`);
      if (ids.has(target.Id)) issues.add(`${f}.Id`, `Duplicate target Id '${capValue(target.Id)}'.`);
      ids.add(target.Id);
    }
    checkTarget(target, f, issues);
  });
  return issues.list;
}

function checkTarget(t: Record<string, any>, f: string, issues: Issues): void {
  const ecs = isObject(t.EcsParameters);
  if (ecs) {
    if (clusterOfTargetArn(t.Arn) === undefined) issues.add(`${f}.Arn`, `Target ${capValue(t.Id)} has EcsParameters, so Arn must be an ECS cluster ARN (arn:aws:ecs:<region>:<account>:cluster/<name>).`);
    // PutTargets fails the entry without a role for ECS targets: EventBridge needs it to call RunTask.
    if (!nonEmpty(t.RoleArn)) issues.add(`${f}.RoleArn`, `RoleArn is required for target ${capValue(t.Id)} (an ECS task target).`);
    checkEcsParameters(t.EcsParameters, `${f}.EcsParameters`, issues);
  } else if (clusterOfTargetArn(t.Arn) !== undefined) {
    issues.add(`${f}.EcsParameters`, `Target ${capValue(t.Id)} is an ECS cluster: EcsParameters is required.`);
  }
  checkTargetInput(t, f, issues);
}

/** The defaulted view (pure): Name, State ENABLED, the default bus, TaskCount 1, the default RetryPolicy. */
export function ruleWithDefaults(spec: RuleSpec, meta?: { name?: string }): RuleSpec & Required<Pick<RuleSpec, 'State' | 'EventBusName' | 'Targets'>> {
  const s = clone(spec) ?? ({} as RuleSpec);
  if (s.Name === undefined && meta?.name) s.Name = meta.name;
  const targets = arr<RuleTarget>(s.Targets).map((t) => {
    const out: RuleTarget = { ...t, RetryPolicy: { ...DEFAULT_RETRY_POLICY, ...obj(t.RetryPolicy) } };
    if (isObject(t.EcsParameters)) out.EcsParameters = { TaskCount: 1, ...t.EcsParameters };
    return out;
  });
  return { ...s, State: s.State ?? 'ENABLED', EventBusName: s.EventBusName ?? DEFAULT_EVENT_BUS, Targets: targets };
}
