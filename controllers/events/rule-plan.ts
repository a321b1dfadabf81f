/**
 * The rule loop's plan (pure): which invocations are due now.
 * - A schedule rule (rate()/cron(), always UTC) fires at each occurrence counted from its creation; after
 *   downtime only the latest missed occurrence fires. Its target gets the "Scheduled Event" envelope.
 *   https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-scheduled-rule-pattern.html
 * - A pattern rule takes the bus events after its cursor (status.busCursor) that arrived since it was
 *   created, on its event bus, that its pattern matches. A DISABLED rule consumes without invoking.
 */
import { ACCOUNT, REGION } from '../../api/arn.js';
import { nextFireTime, parseSchedule } from '../scaling-math/index.js';
import { eventId, type BusEvent } from './bus.js';

/** Events one pass handles at most; the rest wait for the next pass (requeued at once). */
export const EVENTS_PER_PASS = 500;

export const ruleArn = (name: string, bus = 'default') =>
  `arn:aws:events:${REGION}:${ACCOUNT}:rule/${bus === 'default' ? '' : `${bus}/`}${name}`;

export interface RuleInput {
  name: string;
  /** Defaulted spec (State, EventBusName). */
  spec: { ScheduleExpression?: string; EventPattern?: string; State: string; EventBusName: string };
  createdAt: number;
  /** status.lastScheduledTime, epoch ms. */
  lastScheduledTime?: number;
  /** Bus events after the rule's cursor (oldest first). */
  events: BusEvent[];
  /** More events wait beyond `events`. */
  moreEvents: boolean;
  matches: (event: unknown) => boolean;
  now: number;
}

export interface PlannedInvocation {
  /** Unique per rule: makes the task ids of the invocation deterministic. */
  invocationId: string;
  time: number;
  event: unknown;
  trigger: 'schedule' | 'event';
}

export interface RulePlan {
  invocations: PlannedInvocation[];
  cursor?: number;
  lastScheduledTime?: number;
  nextInvocationTime?: number;
  requeueAfterMs?: number;
  error?: string;
}

export function scheduledEvent(name: string, time: number): Record<string, unknown> {
  return {
    version: '0',
    id: eventId(`scheduled/${name}/${time}`),
    'detail-type': 'Scheduled Event',
    source: 'aws.events',
    account: ACCOUNT,
    time: new Date(time).toISOString().replace(/\.\d{3}Z$/, 'Z'),
    region: REGION,
    resources: [ruleArn(name)],
    detail: {},
  };
}

export function planRule(r: RuleInput): RulePlan {
  const enabled = r.spec.State !== 'DISABLED';
  const out: RulePlan = { invocations: [] };
  if (r.spec.ScheduleExpression) {
    try {
      const parsed = parseSchedule(r.spec.ScheduleExpression);
      const opts = { timezone: 'UTC', anchorMs: r.createdAt };
      let due: number | undefined;
      let t = nextFireTime(parsed, r.lastScheduledTime ?? Math.floor(r.createdAt / 60_000) * 60_000 - 1, opts);
      for (let guard = 0; t !== undefined && t <= r.now && guard < 1_000_000; guard++) {
        due = t;
        t = nextFireTime(parsed, t, opts);
      }
      if (due !== undefined) {
        out.lastScheduledTime = due;
        if (enabled) out.invocations.push({ invocationId: `schedule/${due}`, time: due, event: scheduledEvent(r.name, due), trigger: 'schedule' });
      }
      if (t !== undefined) {
        out.nextInvocationTime = t;
        out.requeueAfterMs = t - r.now;
      }
    } catch (e) {
      out.error = (e as Error).message;
    }
  }
  if (r.spec.EventPattern) {
    for (const ev of r.events) {
      out.cursor = ev.seq;
      if (ev.t < r.createdAt || ev.bus !== r.spec.EventBusName || !enabled) continue;
      if (r.matches(ev.event)) out.invocations.push({ invocationId: `event/${(ev.event as { id: string }).id}`, time: ev.t, event: ev.event, trigger: 'event' });
    }
    if (r.moreEvents) out.requeueAfterMs = 0;
  }
  return out;
}

/**
 * ecsplane's guard against a rule that matches the events of its own tasks (AWS warns such a loop runs
 * without end): at most this many invocations per rule per minute; the rest are dropped and recorded as a
 * `Throttled` failure. An ecsplane limit, not an AWS quota (docs/events.md).
 */
export const INVOCATIONS_PER_MINUTE = 100;

export interface InvocationWindow {
  /** Epoch ms of the minute the count is for. */
  start: number;
  count: number;
}

/** How many of `wanted` invocations may run now, and the window after them. */
export function invocationBudget(window: InvocationWindow | undefined, now: number, wanted: number): { allowed: number; window: InvocationWindow } {
  const start = Math.floor(now / 60_000) * 60_000;
  const used = window && window.start === start ? window.count : 0;
  const allowed = Math.max(0, Math.min(wanted, INVOCATIONS_PER_MINUTE - used));
  return { allowed, window: { start, count: used + allowed } };
}
