/**
 * Health that changes over time, for the `sim.ecsplane.io/health` and `…/target-health` knobs:
 *
 *   healthy                                         every check passes
 *   healthy for 10m, then unhealthy                 passes for 10 minutes after the task started, then fails
 *   healthy for 2m, then unhealthy for 30s, repeat  flapping: the whole list starts over
 *
 * The time is measured from the task's start (RUNNING); a check's outcome is the one in force at
 * the instant of the check.
 */
import { parseDuration } from './duration.js';
import { quoted } from './errors.js';

export type Outcome = 'healthy' | 'unhealthy';

export interface HealthTimeline {
  segments: Array<{ outcome: Outcome; forMs?: number }>;
  repeat: boolean;
}

const MAX_SEGMENTS = 32;

export const constantHealth = (outcome: Outcome): HealthTimeline => ({ segments: [{ outcome }], repeat: false });

/** Parse the grammar above; throws with the problem named. */
export function parseHealthTimeline(text: string): HealthTimeline {
  const parts = text.split(/,\s*then\s+|,\s*(?=repeat\s*$)/).map((p) => p.trim());
  const repeat = /^repeat$/.test(parts.at(-1) ?? '');
  if (repeat) parts.pop();
  if (parts.length === 0 || parts.length > MAX_SEGMENTS) throw new Error(`${quoted(text)}: give 1 to ${MAX_SEGMENTS} parts like "healthy for 10m, then unhealthy"`);
  const segments = parts.map((p, i) => {
    const m = /^(healthy|unhealthy)(?:\s+for\s+(\S+))?$/.exec(p);
    if (!m) throw new Error(`${quoted(p)} is not "healthy", "unhealthy" or "<healthy|unhealthy> for <duration>"`);
    const forMs = m[2] === undefined ? undefined : parseDuration(m[2]);
    if (forMs !== undefined && forMs <= 0) throw new Error(`${quoted(p)}: the duration must be positive`);
    if (forMs === undefined && (repeat || i < parts.length - 1)) {
      throw new Error(`${quoted(p)} needs "for <duration>" (only the last part of a list that does not repeat lasts forever)`);
    }
    const outcome = m[1] as Outcome;
    return forMs === undefined ? { outcome } : { outcome, forMs };
  });
  return { segments, repeat };
}

/** A constant-outcome stretch [fromMs, toMs) relative to the start. */
export interface Stretch {
  outcome: Outcome;
  fromMs: number;
  toMs: number;
}

/**
 * The stretches of `timeline` from 0 up to `untilMs` (relative), in order. A repeating timeline
 * yields as many periods as needed; callers bound `untilMs` by the time simulated so far.
 */
export function* stretches(timeline: HealthTimeline, untilMs: number): Generator<Stretch> {
  let from = 0;
  do {
    for (const s of timeline.segments) {
      const to = s.forMs === undefined ? Infinity : from + s.forMs;
      yield { outcome: s.outcome, fromMs: from, toMs: to };
      if (to > untilMs) return;
      from = to;
    }
  } while (timeline.repeat);
}
