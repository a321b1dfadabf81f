/**
 * Scheduled actions (ecs-semantics §7): which occurrence is due now, from the action's own status, so a
 * restart neither repeats nor loses one. Pure; the schedule arithmetic is controllers/scaling-math.
 *
 * Choices (docs/scaling.md "Scheduled actions in the loop"): occurrences are counted from the action's
 * creation (rate() runs first at creation, an at() time before creation never runs); after downtime only
 * the latest missed occurrence is applied.
 */
import type { ScheduledActionSpec } from '../../api/v1alpha1/types.js';
import { nextFireTime, parseSchedule } from '../scaling-math/index.js';

export interface ScheduledInput {
  name: string;
  /** The defaulted spec (Timezone UTC). */
  spec: ScheduledActionSpec;
  /** metadata.creationTimestamp, epoch ms. */
  createdAt: number;
  /** status.lastFireTime, epoch ms. */
  lastFireTime?: number;
}

export interface Occurrence {
  /** The latest occurrence at or before now not yet handled. */
  due?: number;
  /** The first occurrence after now. */
  next?: number;
  error?: string;
}

export function dueOccurrence(a: ScheduledInput, now: number): Occurrence {
  try {
    const parsed = parseSchedule(a.spec.Schedule ?? '');
    const opts = {
      timezone: a.spec.Timezone ?? 'UTC',
      startTime: a.spec.StartTime ? Date.parse(a.spec.StartTime) : undefined,
      endTime: a.spec.EndTime ? Date.parse(a.spec.EndTime) : undefined,
      anchorMs: a.createdAt,
    };
    let due: number | undefined;
    let t = nextFireTime(parsed, a.lastFireTime ?? a.createdAt - 1, opts);
    for (let guard = 0; t !== undefined && t <= now && guard < 1_000_000; guard++) {
      due = t;
      t = nextFireTime(parsed, t, opts);
    }
    return { due, next: t };
  } catch (err) {
    return { error: (err as Error).message };
  }
}
