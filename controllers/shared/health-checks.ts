/**
 * Periodic health checks on the virtual clock, for container health checks and ELB target health
 * alike: check k (k ≥ 1) runs at startedAt + k·interval and its outcome is the one the task's
 * health timeline gives for that instant. A threshold machine turns outcomes into a state.
 *
 * Pure and crash-safe: the state at `now` is recomputed from the start time. Within a stretch of
 * constant outcome a machine settles after a few checks (its thresholds), so the walk costs
 * O(stretches × threshold), not O(checks).
 */
import { stretches, type HealthTimeline, type Outcome } from '../../api/sim-timeline.js';

export interface CheckMachine<S> {
  initial: S;
  step(state: S, outcome: Outcome, k: number): S;
  /** Whole-state equality (counters capped at their thresholds): a check that changes nothing settles the stretch. */
  same(a: S, b: S): boolean;
  /** What callers see (the counters do not show). */
  visible(state: S): string;
  /** Checks before this index may change nothing and still not settle the machine (a start period). */
  settlesFrom: number;
}

export interface CheckWalk<S> {
  state: S;
  /** The instant of the next check that changes the visible state (or a conservative earlier instant); none if never. */
  nextChangeAt?: number;
}

export function walkChecks<S>(machine: CheckMachine<S>, timeline: HealthTimeline, startedAt: number, intervalMs: number, now: number): CheckWalk<S> {
  const interval = Math.max(1, intervalMs);
  const lastK = Math.floor((now - startedAt) / interval); // checks done by now
  let state = machine.initial;
  for (const s of stretches(timeline, now - startedAt + interval)) {
    const firstK = Math.max(1, Math.ceil(s.fromMs / interval));
    const endK = Number.isFinite(s.toMs) ? Math.ceil(s.toMs / interval) - 1 : Infinity; // last check inside
    for (let k = firstK; k <= Math.min(endK, lastK); k++) {
      const next = machine.step(state, s.outcome, k);
      const settled = k >= machine.settlesFrom && machine.same(next, state);
      state = next;
      if (settled) break;
    }
    if (endK <= lastK) continue; // this stretch is over by now
    // The stretch holding the next check: the first check in it that changes what is seen.
    let probe = state;
    for (let k = Math.max(firstK, lastK + 1); k <= endK; k++) {
      const next = machine.step(probe, s.outcome, k);
      if (machine.visible(next) !== machine.visible(state)) return { state, nextChangeAt: startedAt + k * interval };
      if (k >= machine.settlesFrom && machine.same(next, probe)) break;
      probe = next;
    }
    // Unchanged for the rest of this stretch: look again at the first check of the next one.
    return Number.isFinite(s.toMs) ? { state, nextChangeAt: startedAt + (endK + 1) * interval } : { state };
  }
  return { state };
}
