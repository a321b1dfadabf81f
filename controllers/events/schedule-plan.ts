/**
 * The schedule loop's plan (pure, the random draw injected): EventBridge Scheduler semantics.
 * https://docs.aws.amazon.com/scheduler/latest/UserGuide/schedule-types.html
 * - at() fires once at the local time in ScheduleExpressionTimezone; rate() counts from StartDate, or fires
 *   at once when there is none ("the schedule starts invoking its target immediately"); cron() in the zone.
 * - Daylight saving time: a cron time the spring change skips does not fire; one the autumn change repeats
 *   fires once (managing-schedule / "Daylight savings time on EventBridge Scheduler").
 * - FlexibleTimeWindow FLEXIBLE: the invocation happens at a seeded random point within
 *   MaximumWindowInMinutes after the scheduled time; the chosen time is kept in status (window).
 *   https://docs.aws.amazon.com/scheduler/latest/UserGuide/managing-schedule-flexible-time-windows.html
 * - StartDate/EndDate bound the occurrences; a DISABLED schedule skips its occurrences.
 * - When no occurrence is left (at() done, EndDate passed) the schedule is complete, and
 *   ActionAfterCompletion DELETE deletes it.
 */
import { nextFireTime, parseSchedule } from '../scaling-math/index.js';

export interface ScheduleInput {
  spec: {
    ScheduleExpression: string;
    ScheduleExpressionTimezone: string;
    StartDate?: string | number;
    EndDate?: string | number;
    State: string;
    FlexibleTimeWindow?: { Mode: string; MaximumWindowInMinutes?: number };
    ActionAfterCompletion: string;
  };
  createdAt: number;
  lastScheduledTime?: number;
  /** A chosen flexible-window invocation not made yet. */
  window?: { scheduled: number; invokeAt: number };
  now: number;
  /** A number in [0, 1): only drawn when a flexible window starts. */
  random: () => number;
}

export interface SchedulePlan {
  /** The scheduled time of the invocation to make now. */
  invoke?: number;
  lastScheduledTime?: number;
  window?: { scheduled: number; invokeAt: number };
  nextInvocationTime?: number;
  requeueAfterMs?: number;
  completed: boolean;
  deleteSchedule: boolean;
  error?: string;
}

const toMs = (x: string | number | undefined) => (x === undefined ? undefined : typeof x === 'number' ? x * 1000 : Date.parse(x));

export function planSchedule(s: ScheduleInput): SchedulePlan {
  const out: SchedulePlan = { completed: false, deleteSchedule: false, window: s.window, lastScheduledTime: s.lastScheduledTime };
  const enabled = s.spec.State !== 'DISABLED';
  let parsed;
  try {
    parsed = parseSchedule(s.spec.ScheduleExpression);
  } catch (e) {
    return { ...out, error: (e as Error).message };
  }
  const opts = {
    timezone: s.spec.ScheduleExpressionTimezone,
    startTime: toMs(s.spec.StartDate),
    endTime: toMs(s.spec.EndDate),
    anchorMs: s.createdAt,
  };
  const flex = s.spec.FlexibleTimeWindow?.Mode === 'FLEXIBLE' ? (s.spec.FlexibleTimeWindow.MaximumWindowInMinutes ?? 0) * 60_000 : 0;

  if (out.window && enabled && s.now >= out.window.invokeAt) {
    out.invoke = out.window.scheduled;
    out.window = undefined;
  }
  if (!out.window) {
    let due: number | undefined;
    // Minute precision: an occurrence in the minute of creation counts (rate() "starts invoking immediately").
    let t = nextFireTime(parsed, s.lastScheduledTime ?? Math.floor(s.createdAt / 60_000) * 60_000 - 1, opts);
    for (let guard = 0; t !== undefined && t <= s.now && guard < 1_000_000; guard++) {
      due = t;
      t = nextFireTime(parsed, t, opts);
    }
    if (due !== undefined && enabled && out.invoke === undefined) {
      const invokeAt = flex > 0 ? due + Math.floor(s.random() * (flex / 1000)) * 1000 : due;
      if (invokeAt <= s.now) out.invoke = due;
      else out.window = { scheduled: due, invokeAt };
    }
    if (due !== undefined) out.lastScheduledTime = due;
    if (t !== undefined) out.nextInvocationTime = t;
    out.completed = enabled && t === undefined && !out.window;
  }
  out.deleteSchedule = out.completed && s.spec.ActionAfterCompletion === 'DELETE';
  const wake = [out.window?.invokeAt, out.nextInvocationTime].filter((x): x is number => x !== undefined);
  if (wake.length) out.requeueAfterMs = Math.max(0, Math.min(...wake) - s.now);
  return out;
}
