/**
 * Container health checks on the virtual clock (ecs-semantics §1 healthCheck): checks run every
 * `interval` seconds after the container starts; failures inside `startPeriod` do not count; a
 * success marks the container HEALTHY (also inside startPeriod); `retries` consecutive counted
 * failures mark it UNHEALTHY. The outcome of every check comes from the `sim.ecsplane.io/health`
 * knob, so the state at any time is a pure function of the start time.
 */
import type { HealthCheck } from '../../api/v1alpha1/types.js';

export type HealthStatus = 'HEALTHY' | 'UNHEALTHY' | 'UNKNOWN';

export interface HealthAt {
  status: HealthStatus;
  /** When the status next changes, if it does. */
  nextChangeAt?: number;
}

export function containerHealthAt(
  hc: HealthCheck | undefined,
  outcome: 'healthy' | 'unhealthy',
  startedAt: number,
  now: number,
): HealthAt {
  if (!hc) return { status: 'UNKNOWN' };
  const interval = (hc.interval ?? 30) * 1000;
  if (outcome === 'healthy') {
    const at = startedAt + interval;
    return now >= at ? { status: 'HEALTHY' } : { status: 'UNKNOWN', nextChangeAt: at };
  }
  const startPeriod = (hc.startPeriod ?? 0) * 1000;
  const retries = hc.retries ?? 3;
  const firstCounted = Math.floor(startPeriod / interval) + 1; // first check after the start period
  const at = startedAt + (firstCounted + retries - 1) * interval;
  return now >= at ? { status: 'UNHEALTHY' } : { status: 'UNKNOWN', nextChangeAt: at };
}

/** Task health over essential containers: any UNHEALTHY ⇒ UNHEALTHY, else any UNKNOWN ⇒ UNKNOWN. */
export function aggregateHealth(essential: HealthStatus[]): HealthStatus {
  if (essential.includes('UNHEALTHY')) return 'UNHEALTHY';
  if (essential.length === 0 || essential.includes('UNKNOWN')) return 'UNKNOWN';
  return 'HEALTHY';
}
