/**
 * Deployment failure detection as a pure plan: the circuit breaker and CloudWatch deployment alarms
 * decide whether the PRIMARY deployment fails, whether it rolls back, and whether it may launch now
 * (failing-to-start throttling). Either method can fail a deployment; a rollback needs a previous
 * COMPLETED deployment, otherwise the service stalls on the failed one.
 * https://docs.aws.amazon.com/AmazonECS/latest/developerguide/deployment-failure-detection.html
 * https://docs.aws.amazon.com/AmazonECS/latest/developerguide/deployment-circuit-breaker.html
 * https://docs.aws.amazon.com/AmazonECS/latest/developerguide/deployment-alarm-failure.html
 */
import type { RolloutState } from '../../api/v1alpha1/status.js';
import { circuitBreakerThreshold, launchNotBefore, type FailureTally } from './failures.js';

export const CIRCUIT_BREAKER_REASON = 'ECS deployment circuit breaker: tasks failed to start.';
export const rollbackReason = (toId: string) => `ECS deployment circuit breaker: rolling back to deploymentId ${toId}.`;
/** ecsplane's wording (ECS documents the FAILED state for alarms, not the reason text). */
export const alarmReason = (alarms: string[]) => `ECS deployment alarms: ${alarms.join(', ')} in ALARM state.`;
export const alarmRollbackReason = (toId: string) => `ECS deployment alarms: rolling back to deploymentId ${toId}.`;

export interface FailureDetectionInput {
  rolloutState: RolloutState;
  tally: FailureTally;
  desiredCount: number;
  circuitBreaker?: { enable?: boolean; rollback?: boolean };
  alarms?: { enable?: boolean; rollback?: boolean; alarmNames?: string[] };
  /** Names of the configured alarms in ALARM now (from the alarm state source). */
  alarmsInAlarm: string[];
  lastCompleted?: { id: string; taskDefinition: string };
  /**
   * The deployment is itself a rollback. ecsplane's choice (ECS documents none): its alarms are not
   * watched (the alarm that failed the deployment is typically still in ALARM) and it never rolls
   * back again; the circuit breaker can still fail it.
   */
  isRollback?: boolean;
  now: number;
}

export type FailureDecision =
  /** Keep going; `notBefore`: launches wait until then (failing-to-start throttling). */
  | { kind: 'ok'; notBefore?: number; throttled: boolean }
  /** The deployment is (already) FAILED: it launches nothing more. */
  | { kind: 'failed' }
  /** It fails now: FAILED with `reason`; with `rollbackTo` a new deployment of that revision starts. */
  | { kind: 'fail'; by: 'circuit-breaker' | 'alarms'; reason: string; rollbackTo?: { id: string; taskDefinition: string }; rollbackReason?: string };

export function detectFailure(input: FailureDetectionInput): FailureDecision {
  if (input.rolloutState === 'FAILED') return { kind: 'failed' };
  if (input.rolloutState === 'IN_PROGRESS') {
    const cb = input.circuitBreaker;
    if (cb?.enable && input.tally.consecutive >= circuitBreakerThreshold(input.desiredCount)) {
      const to = cb.rollback && !input.isRollback ? input.lastCompleted : undefined;
      return { kind: 'fail', by: 'circuit-breaker', reason: CIRCUIT_BREAKER_REASON, ...(to ? { rollbackTo: to, rollbackReason: rollbackReason(to.id) } : {}) };
    }
    const al = input.alarms;
    if (al?.enable && input.alarmsInAlarm.length && !input.isRollback) {
      const to = al.rollback ? input.lastCompleted : undefined;
      return { kind: 'fail', by: 'alarms', reason: alarmReason(input.alarmsInAlarm), ...(to ? { rollbackTo: to, rollbackReason: alarmRollbackReason(to.id) } : {}) };
    }
  }
  const notBefore = launchNotBefore(input.tally);
  return { kind: 'ok', throttled: notBefore !== undefined && input.now < notBefore, ...(notBefore !== undefined ? { notBefore } : {}) };
}
