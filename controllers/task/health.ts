/**
 * Container health checks on the virtual clock (ecs-semantics §1 healthCheck): checks run every
 * `interval` seconds after the container starts; failures inside `startPeriod` do not count; a
 * success marks the container HEALTHY (also inside startPeriod); `retries` consecutive counted
 * failures mark it UNHEALTHY. The outcome of every check comes from the `sim.ecsplane.io/health`
 * knob (a timeline: api/sim-timeline.ts), so the state at any time is a pure function of the start time.
 */
import { stretches, type HealthTimeline } from '../../api/sim-timeline.js';
import type { HealthCheck } from '../../api/v1alpha1/types.js';
import { walkChecks, type CheckMachine } from '../shared/health-checks.js';

export type HealthStatus = 'HEALTHY' | 'UNHEALTHY' | 'UNKNOWN';

export interface HealthAt {
  status: HealthStatus;
  /** When the status next changes, if it does. */
  nextChangeAt?: number;
}

/** Docker's health check: a pass is HEALTHY at once; `retries` consecutive counted failures are UNHEALTHY. */
function dockerCheck(hc: HealthCheck, interval: number): CheckMachine<{ status: HealthStatus; fails: number }> {
  const retries = hc.retries ?? 3;
  const firstCounted = Math.floor(((hc.startPeriod ?? 0) * 1000) / interval) + 1; // first check after the start period
  return {
    initial: { status: 'UNKNOWN', fails: 0 },
    step: (s, outcome, k) => {
      if (outcome === 'healthy') return { status: 'HEALTHY', fails: 0 };
      if (k < firstCounted) return s; // failures inside startPeriod do not count
      const fails = Math.min(retries, s.fails + 1);
      return { status: fails >= retries ? 'UNHEALTHY' : s.status, fails };
    },
    same: (a, b) => a.status === b.status && a.fails === b.fails,
    visible: (s) => s.status,
    settlesFrom: firstCounted,
  };
}

export function containerHealthAt(hc: HealthCheck | undefined, timeline: HealthTimeline, startedAt: number, now: number): HealthAt {
  if (!hc) return { status: 'UNKNOWN' };
  const interval = (hc.interval ?? 30) * 1000;
  const walk = walkChecks(dockerCheck(hc, interval), timeline, startedAt, interval, now);
  return { status: walk.state.status, nextChangeAt: walk.nextChangeAt };
}

/** Task health over essential containers: any UNHEALTHY ⇒ UNHEALTHY, else any UNKNOWN ⇒ UNKNOWN. */
export function aggregateHealth(essential: HealthStatus[]): HealthStatus {
  if (essential.includes('UNHEALTHY')) return 'UNHEALTHY';
  if (essential.length === 0 || essential.includes('UNKNOWN')) return 'UNKNOWN';
  return 'HEALTHY';
}

/** When a container first reports HEALTHY (its first passing check), or Infinity if it never does. */
export function firstHealthyAt(hc: HealthCheck | undefined, timeline: HealthTimeline, startedAt: number): number {
  if (!hc) return Infinity;
  const interval = (hc.interval ?? 30) * 1000;
  // Within the first period of the timeline (or its endless last part) a healthy stretch holds a check, or none ever does.
  const horizon = timeline.segments.reduce((a, s) => a + (s.forMs ?? 0), 0) + interval;
  for (const s of stretches(timeline, horizon)) {
    if (s.outcome !== 'healthy') continue;
    const k = Math.max(1, Math.ceil(s.fromMs / interval));
    if (k * interval < s.toMs) return startedAt + k * interval;
  }
  return Infinity;
}
