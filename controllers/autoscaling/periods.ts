/**
 * One-minute metric periods (CloudWatch's standard resolution, ecs-semantics §6 and §7): the scaling
 * loops record one datapoint per period in status, so alarms survive a restart. Pure.
 */
import { isoTime, parseTime } from '../shared/time.js';

export const PERIOD_MS = 60_000;

/** A datapoint: the period's end time (ISO) and its value; null is missing data (breaks alarm streaks). */
export interface Datapoint {
  t: string;
  v: number | null;
}

/** The start of the one-minute period containing `now` (epoch ms). */
export function periodStart(now: number): number {
  return Math.floor(now / PERIOD_MS) * PERIOD_MS;
}

/** Milliseconds until the next period boundary (always > 0). */
export function untilNextPeriod(now: number): number {
  return periodStart(now) + PERIOD_MS - now;
}

/** True when no datapoint has been recorded for the period containing `now`. */
export function datapointDue(series: readonly Datapoint[] | undefined, now: number): boolean {
  const last = series?.at(-1);
  return !last || parseTime(last.t) < periodStart(now);
}

/**
 * `series` with the datapoint for the period containing `now` appended (unless already there). Periods
 * skipped since the last datapoint (the loop was down) are filled with null: missing data, as CloudWatch
 * treats it. Keeps the newest `keep`.
 */
export function appendDatapoint(series: readonly Datapoint[] | undefined, now: number, value: number | null, keep: number): Datapoint[] {
  const out = [...(series ?? [])];
  const p = periodStart(now);
  const last = out.at(-1);
  if (last && parseTime(last.t) >= p) return out;
  if (last) {
    const missing = Math.min(keep, Math.round((p - parseTime(last.t)) / PERIOD_MS) - 1);
    for (let i = missing; i >= 1; i--) out.push({ t: isoTime(p - i * PERIOD_MS), v: null });
  }
  out.push({ t: isoTime(p), v: value });
  return out.slice(-keep);
}

export const values = (series: readonly Datapoint[] | undefined): (number | null)[] => (series ?? []).map((d) => d.v);
