/**
 * Scaling activities of a scalable target (DescribeScalingActivities, ecs-semantics §7). StatusCode
 * lifecycle for desired-count changes (docs/scaling.md "Scaling activities"):
 *   InProgress  → the desired count is written; the service has not reached it yet;
 *   Successful  → the service adopted it and runs exactly that many tasks;
 *   Overridden  → a newer activity, or the user's own change of the service's desiredCount, replaced it;
 *   Unfulfilled → the service did not get there within ACTIVITY_TIMEOUT_MS (e.g. no capacity);
 *   Failed      → the service is gone, or a scheduled action asked for min > max.
 * Min/max changes of scheduled actions complete at once.
 */
import { uuidFrom } from '../capacity/association.js';
import type { ActivityStatusCode, ScalingActivity } from './types.js';

export const MAX_ACTIVITIES = 50;
export const ACTIVITY_TIMEOUT_MS = 15 * 60_000;

const iso = (ms: number) => new Date(ms).toISOString();

export class ActivityLog {
  readonly list: ScalingActivity[];
  private added = 0;

  constructor(
    prev: readonly ScalingActivity[] | undefined,
    private seq: number,
    private readonly uid: string,
    private readonly ref: { ServiceNamespace: string; ResourceId: string; ScalableDimension: string },
    private readonly now: number,
  ) {
    // The stored activities are frozen and shared; an activity that changes is replaced by a
    // changed copy (update()), so the unchanged ones are written back as the same objects.
    this.list = [...(prev ?? [])];
  }

  private update(i: number, change: Partial<ScalingActivity>): void {
    this.list[i] = { ...this.list[i], ...change };
  }

  get sequence(): number {
    return this.seq;
  }

  get newCount(): number {
    return this.added;
  }

  add(a: { Description: string; Cause: string; StatusCode: ActivityStatusCode; DesiredCount?: number; StatusMessage?: string }): ScalingActivity {
    if (a.DesiredCount !== undefined) this.endOpen('Overridden', 'Overridden by a newer scaling activity.');
    const done = a.StatusCode !== 'InProgress' && a.StatusCode !== 'Pending';
    const activity: ScalingActivity = {
      ActivityId: uuidFrom(`${this.uid}/activity/${++this.seq}`),
      ...this.ref,
      Description: a.Description,
      Cause: a.Cause,
      StartTime: iso(this.now),
      ...(done ? { EndTime: iso(this.now) } : {}),
      StatusCode: a.StatusCode,
      ...(a.StatusMessage ? { StatusMessage: a.StatusMessage } : {}),
      ...(a.DesiredCount !== undefined ? { DesiredCount: a.DesiredCount } : {}),
    };
    this.list.unshift(activity);
    this.added++;
    return activity;
  }

  /** End every open desired-count activity with `code`. */
  endOpen(code: ActivityStatusCode, message: string): void {
    this.list.forEach((a, i) => {
      if (a.EndTime === undefined && a.DesiredCount !== undefined) this.update(i, { StatusCode: code, StatusMessage: message, EndTime: iso(this.now) });
    });
  }

  /** Complete open desired-count activities from what the service shows. */
  progress(service: { exists: boolean; desiredCount?: number; runningCount?: number }): void {
    if (!service.exists) return this.endOpen('Failed', 'The ECS service no longer exists.');
    this.list.forEach((a, i) => {
      if (a.EndTime !== undefined || a.DesiredCount === undefined) return;
      if (service.desiredCount === a.DesiredCount && service.runningCount === a.DesiredCount) {
        this.update(i, { StatusCode: 'Successful', StatusMessage: `Successfully set desired count to ${a.DesiredCount}. Change successfully fulfilled by ecs.`, EndTime: iso(this.now) });
      } else if (this.now - Date.parse(a.StartTime) >= ACTIVITY_TIMEOUT_MS) {
        this.update(i, { StatusCode: 'Unfulfilled', StatusMessage: `The service did not reach ${a.DesiredCount} running tasks within ${ACTIVITY_TIMEOUT_MS / 60_000} minutes.`, EndTime: iso(this.now) });
      }
    });
  }

  /** When each open desired-count activity times out (progress() ends it Unfulfilled then). */
  timeouts(): number[] {
    return this.list.filter((a) => a.EndTime === undefined && a.DesiredCount !== undefined).map((a) => Date.parse(a.StartTime) + ACTIVITY_TIMEOUT_MS);
  }

  result(): ScalingActivity[] {
    return this.list.slice(0, MAX_ACTIVITIES);
  }
}
