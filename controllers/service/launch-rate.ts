/**
 * How fast the service scheduler may launch tasks. ECS's quotas "Rate of tasks launched by a
 * service on AWS Fargate" and "... on an Amazon EC2 or External instance" are 500 each: "the
 * maximum number of tasks that can be provisioned per service per minute ... by the Amazon ECS
 * service scheduler" (not adjustable; 125 in some newer Regions, ecsplane models us-east-1).
 * https://docs.aws.amazon.com/AmazonECS/latest/developerguide/service-quotas.html
 * https://docs.aws.amazon.com/general/latest/gr/ecs-service.html
 *
 * ecsplane counts the service's tasks created in the last 60 s (a sliding minute, read from the
 * tasks' createdAt, so nothing extra is stored and a restart changes nothing): at most 500, the
 * rest wait until the oldest of those leaves the window. A desiredCount of 5,000 (the
 * tasks-per-service quota) takes ten minutes to launch, and no reconcile creates more than 500
 * tasks at once. Pure.
 */
import { parseTime } from '../shared/time.js';

export const SERVICE_LAUNCHES_PER_MINUTE = 500;
export const LAUNCH_WINDOW_MS = 60_000;

export interface RecentLaunches {
  /** Tasks of the service created in (now − 60 s, now]. */
  count: number;
  /** The earliest of their creation times (epoch ms). */
  earliest?: number;
}

/** Count the tasks created in the last minute (one pass, no array). */
export function recentLaunches(tasks: Iterable<{ status?: { createdAt?: string } }>, now: number): RecentLaunches {
  let count = 0;
  let earliest: number | undefined;
  for (const t of tasks) {
    const at = t.status?.createdAt ? parseTime(t.status.createdAt) : NaN;
    if (!(at > now - LAUNCH_WINDOW_MS && at <= now)) continue;
    count++;
    if (earliest === undefined || at < earliest) earliest = at;
  }
  return { count, earliest };
}

/** How many tasks may launch now, and when the window next has room if that is none. */
export function launchAllowance(recent: RecentLaunches, now: number): { allowed: number; nextRoomAt?: number } {
  const allowed = Math.max(0, SERVICE_LAUNCHES_PER_MINUTE - recent.count);
  if (allowed > 0) return { allowed };
  return { allowed: 0, nextRoomAt: (recent.earliest ?? now) + LAUNCH_WINDOW_MS };
}
