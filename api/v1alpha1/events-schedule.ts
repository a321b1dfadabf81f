/**
 * Schedule: an EventBridge Scheduler CreateSchedule request. at()/rate()/cron() in
 * ScheduleExpressionTimezone (default UTC), StartDate/EndDate, FlexibleTimeWindow, an ECS templated
 * target (EcsParameters), ActionAfterCompletion. Errors are the Scheduler's ValidationException.
 * https://docs.aws.amazon.com/scheduler/latest/APIReference/API_CreateSchedule.html
 * https://docs.aws.amazon.com/scheduler/latest/UserGuide/schedule-types.html
 */
import { EcsError, capValue } from '../errors.js';
import { Issues, checkName, clone, isObject, isStr, obj, type NameRule } from './common.js';
import { EVENTS_NAME, EVENTS_NAME_MESSAGE, checkEcsParameters, checkTargetInput, clusterOfTargetArn, scheduleExpressionError, timeOf } from './events-common.js';
import { isTimeZone } from './scheduled-action.js';
import type { ScheduleSpec } from './events-types.js';
import { DEFAULT_RETRY_POLICY, EVENTS_VALIDATION } from './rule.js';

export const EVENTS_SCHEDULE_NAME: NameRule = { pattern: EVENTS_NAME, message: EVENTS_NAME_MESSAGE, nameField: 'Name' };

export function validateEventsSchedule(o: any): EcsError[] {
  const issues = new Issues(EVENTS_VALIDATION);
  checkName(o, EVENTS_SCHEDULE_NAME, issues);
  const s = obj(o?.spec);
  if (isStr(s.ScheduleExpression)) {
    const err = scheduleExpressionError(s.ScheduleExpression, true);
    if (err) issues.add('spec.ScheduleExpression', `Invalid Schedule Expression ${capValue(s.ScheduleExpression)}: ${err}`);
  }
  if (s.ScheduleExpressionTimezone !== undefined && !(isStr(s.ScheduleExpressionTimezone) && isTimeZone(s.ScheduleExpressionTimezone))) {
    issues.add('spec.ScheduleExpressionTimezone', `Invalid ScheduleExpressionTimezone '${capValue(s.ScheduleExpressionTimezone)}': use an IANA time zone name such as Europe/Paris.`);
  }
  const start = timeOf(s.StartDate);
  const end = timeOf(s.EndDate);
  if (s.StartDate !== undefined && Number.isNaN(start)) issues.add('spec.StartDate', 'StartDate must be an ISO-8601 timestamp.');
  if (s.EndDate !== undefined && Number.isNaN(end)) issues.add('spec.EndDate', 'EndDate must be an ISO-8601 timestamp.');
  if (start >= end) issues.add('spec.EndDate', 'The EndDate must be after the StartDate.');
  const w = obj(s.FlexibleTimeWindow);
  if (w.Mode === 'FLEXIBLE' && w.MaximumWindowInMinutes === undefined) {
    issues.add('spec.FlexibleTimeWindow.MaximumWindowInMinutes', 'MaximumWindowInMinutes is required when Mode is FLEXIBLE.');
  }
  if (w.Mode === 'OFF' && w.MaximumWindowInMinutes !== undefined) {
    issues.add('spec.FlexibleTimeWindow.MaximumWindowInMinutes', 'MaximumWindowInMinutes must not be set when Mode is OFF.');
  }
  const t = obj(s.Target);
  if (isObject(t.EcsParameters)) {
    if (clusterOfTargetArn(t.Arn) === undefined) issues.add('spec.Target.Arn', 'Target has EcsParameters, so Arn must be an ECS cluster ARN (arn:aws:ecs:<region>:<account>:cluster/<name>).');
    checkEcsParameters(t.EcsParameters, 'spec.Target.EcsParameters', issues);
  } else if (clusterOfTargetArn(t.Arn) !== undefined) {
    issues.add('spec.Target.EcsParameters', 'The target is an ECS cluster: EcsParameters is required.');
  }
  checkTargetInput(t, 'spec.Target', issues);
  if (t.InputPath !== undefined || t.InputTransformer !== undefined) {
    issues.add('spec.Target', 'Scheduler targets take Input only (no InputPath or InputTransformer).');
  }
  return issues.list;
}

/** The defaulted view (pure): Name, GroupName default, State ENABLED, UTC, ActionAfterCompletion NONE, TaskCount 1, RetryPolicy. */
export function eventsScheduleWithDefaults(
  spec: ScheduleSpec,
  meta?: { name?: string },
): ScheduleSpec & Required<Pick<ScheduleSpec, 'GroupName' | 'State' | 'ScheduleExpressionTimezone' | 'ActionAfterCompletion'>> {
  const s = clone(spec) ?? ({} as ScheduleSpec);
  if (s.Name === undefined && meta?.name) s.Name = meta.name;
  if (isObject(s.Target)) {
    s.Target.RetryPolicy = { ...DEFAULT_RETRY_POLICY, ...obj(s.Target.RetryPolicy) };
    if (isObject(s.Target.EcsParameters)) s.Target.EcsParameters = { TaskCount: 1, ...s.Target.EcsParameters };
  }
  return {
    ...s,
    GroupName: s.GroupName ?? 'default',
    State: s.State ?? 'ENABLED',
    ScheduleExpressionTimezone: s.ScheduleExpressionTimezone ?? 'UTC',
    ActionAfterCompletion: s.ActionAfterCompletion ?? 'NONE',
  };
}
