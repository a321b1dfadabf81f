/** ScheduledAction (Application Auto Scaling PutScheduledAction input) rules and defaults (ecs-semantics §7). */
import { EcsError, ErrorType, capValue } from '../errors.js';
import { Issues, checkName, checkQuota, clone, isNum, isObject, isStr, obj, parseTime } from './common.js';
import { AAS_NAME, checkScalableTargetRef } from './aas.js';
import { scheduleSyntaxError } from './schedule.js';
import type { ScheduledActionSpec } from './types.js';

export const SCHEDULED_ACTION_NAME = AAS_NAME('ScheduledActionName');

const zoneCache = new Map<string, boolean>();
/** A valid IANA time zone name (as Intl knows them). */
export function isTimeZone(tz: string): boolean {
  let ok = zoneCache.get(tz);
  if (ok === undefined) {
    try {
      new Intl.DateTimeFormat('en-US', { timeZone: tz });
      ok = true;
    } catch {
      ok = false;
    }
    if (ok) zoneCache.set(tz, ok); // only real zones: junk names must not grow the cache
  }
  return ok;
}

export function validateScheduledAction(o: any): EcsError[] {
  const issues = new Issues(ErrorType.Validation);
  checkName(o, SCHEDULED_ACTION_NAME, issues);
  const s = obj(o?.spec);
  checkScalableTargetRef(s, issues);
  if (!isStr(s.Schedule)) issues.add('spec.Schedule', 'Schedule is required.');
  else {
    const err = scheduleSyntaxError(s.Schedule);
    if (err) issues.add('spec.Schedule', err);
  }
  if (s.Timezone !== undefined && !(isStr(s.Timezone) && isTimeZone(s.Timezone))) {
    issues.add('spec.Timezone', `Invalid Timezone '${capValue(s.Timezone)}': use an IANA time zone name such as Europe/Paris.`);
  }
  const start = parseTime(s.StartTime);
  const end = parseTime(s.EndTime);
  if (s.StartTime !== undefined && Number.isNaN(start)) issues.add('spec.StartTime', 'StartTime must be an ISO-8601 timestamp.');
  if (s.EndTime !== undefined && Number.isNaN(end)) issues.add('spec.EndTime', 'EndTime must be an ISO-8601 timestamp.');
  if (start >= end) issues.add('spec.EndTime', 'EndTime must be after StartTime.');
  const action = s.ScalableTargetAction;
  const min = obj(action).MinCapacity;
  const max = obj(action).MaxCapacity;
  if (!isObject(action) || (min === undefined && max === undefined)) {
    issues.add('spec.ScalableTargetAction', 'ScalableTargetAction must set MinCapacity, MaxCapacity or both.');
  } else if (isNum(min) && isNum(max) && min > max) {
    issues.add('spec.ScalableTargetAction.MinCapacity', 'Minimum capacity cannot be greater than maximum capacity');
  }
  checkQuota(issues, 'tasksPerService', 'MinCapacity', min, 'spec.ScalableTargetAction.MinCapacity');
  checkQuota(issues, 'tasksPerService', 'MaxCapacity', max, 'spec.ScalableTargetAction.MaxCapacity');
  return issues.list;
}

/** The defaulted view (pure): ScheduledActionName and UTC. */
export function scheduledActionWithDefaults(spec: ScheduledActionSpec, meta?: { name?: string }): ScheduledActionSpec {
  const s = clone(spec) ?? ({} as ScheduledActionSpec);
  if (s.ScheduledActionName === undefined && meta?.name) s.ScheduledActionName = meta.name;
  s.Timezone ??= 'UTC';
  return s;
}
