/** The EventBridge kinds' registry entries (issue #13): Rule (PutRule + PutTargets) and Schedule (Scheduler CreateSchedule). */
import type { KindEntry, PrinterColumn } from './index.js';
import { EVENTS_VALIDATION, RULE_NAME, ruleWithDefaults, validateRule } from './rule.js';
import { EVENTS_SCHEDULE_NAME, eventsScheduleWithDefaults, validateEventsSchedule } from './events-schedule.js';

const col = (name: string, type: PrinterColumn['type'], jsonPath: string, priority?: number): PrinterColumn =>
  priority === undefined ? { name, type, jsonPath } : { name, type, jsonPath, priority };
const AGE = col('AGE', 'date', '.metadata.creationTimestamp');

export const EVENT_KIND_ENTRIES: KindEntry[] = [
  {
    kind: 'Rule',
    plural: 'rules',
    shortNames: ['ebrule'],
    name: RULE_NAME,
    errorType: EVENTS_VALIDATION,
    file: 'rule.json',
    printerColumns: [
      col('STATE', 'string', '.spec.State'),
      col('SCHEDULE', 'string', '.spec.ScheduleExpression'),
      col('INVOCATIONS', 'integer', '.status.invocations'),
      col('TASKS', 'integer', '.status.tasksStarted'),
      col('FAILURES', 'integer', '.status.failedInvocations'),
      col('PATTERN', 'string', '.spec.EventPattern', 1),
      AGE,
    ],
    validate: validateRule,
    withDefaults: ruleWithDefaults,
  },
  {
    kind: 'Schedule',
    plural: 'schedules',
    shortNames: ['ebschedule'],
    name: EVENTS_SCHEDULE_NAME,
    errorType: EVENTS_VALIDATION,
    file: 'schedule.json',
    printerColumns: [
      col('SCHEDULE', 'string', '.spec.ScheduleExpression'),
      col('TIMEZONE', 'string', '.spec.ScheduleExpressionTimezone'),
      col('STATE', 'string', '.status.state'),
      col('NEXT', 'string', '.status.nextInvocationTime'),
      col('INVOCATIONS', 'integer', '.status.invocations', 1),
      AGE,
    ],
    validate: validateEventsSchedule,
    withDefaults: eventsScheduleWithDefaults,
  },
];
