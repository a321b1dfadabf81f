/**
 * Table tests: the deployment's failure tally (controllers/service/failures.ts tallyFailures), kept
 * in status so collected tasks do not reset it, and the failure decision (failure-detection.ts):
 * circuit breaker, deployment alarms, rollback target, failing-to-start throttling.
 * https://docs.aws.amazon.com/AmazonECS/latest/developerguide/deployment-circuit-breaker.html
 * https://docs.aws.amazon.com/AmazonECS/latest/developerguide/deployment-alarm-failure.html
 */
import { expect } from 'chai';
import { EMPTY_TALLY, tallyFailures, type FailureTally, type ObservedTask } from '../../../controllers/service/failures.js';
import { CIRCUIT_BREAKER_REASON, detectFailure, rollbackReason, type FailureDetectionInput } from '../../../controllers/service/failure-detection.js';

const fail = (id: string, at: number, start = true): ObservedTask => ({ id, failedAt: at, failedToStart: start });
const ok = (id: string, at: number): ObservedTask => ({ id, succeededAt: at });

describe('tallyFailures: the circuit breaker count lives in the deployment status', () => {
  const rows: Array<{ name: string; prev?: FailureTally; observed: ObservedTask[]; reset?: boolean; consecutive: number; start: number; lastFailureAt?: number }> = [
    { name: 'nothing observed', observed: [], consecutive: 0, start: 0 },
    { name: 'three start failures', observed: [fail('a', 1), fail('b', 2), fail('c', 3)], consecutive: 3, start: 3, lastFailureAt: 3 },
    { name: 'a healthy task resets the count', observed: [fail('a', 1), fail('b', 2), ok('c', 3), fail('d', 4)], consecutive: 1, start: 1, lastFailureAt: 4 },
    { name: 'with resetOnHealthyTask false it does not', observed: [fail('a', 1), fail('b', 2), ok('c', 3), fail('d', 4)], reset: false, consecutive: 3, start: 3, lastFailureAt: 4 },
    { name: 'a health-check failure counts but is not a start failure', observed: [fail('a', 1), fail('b', 2, false)], consecutive: 2, start: 1, lastFailureAt: 2 },
    {
      name: 'counted tasks are not counted again',
      prev: { consecutive: 2, consecutiveStartFailures: 2, lastFailureAt: 2, failed: ['a', 'b'], succeeded: [] },
      observed: [fail('a', 1), fail('b', 2), fail('c', 3)],
      consecutive: 3,
      start: 3,
      lastFailureAt: 3,
    },
    {
      name: 'collected tasks (gone from the store) keep their count: 12 counted, all gone, one more fails → 13',
      prev: { consecutive: 12, consecutiveStartFailures: 12, lastFailureAt: 3_000_000, failed: ['t01', 't02', 't03'], succeeded: [] },
      observed: [fail('t13', 4_000_000)],
      consecutive: 13,
      start: 13,
      lastFailureAt: 4_000_000,
    },
    {
      name: 'a task that was healthy and later failed its health checks counts as a failure once',
      prev: { consecutive: 0, consecutiveStartFailures: 0, failed: [], succeeded: ['a'] },
      observed: [{ id: 'a', succeededAt: 1, failedAt: 5, failedToStart: false }],
      consecutive: 1,
      start: 0,
      lastFailureAt: 5,
    },
  ];
  for (const r of rows) {
    it(r.name, () => {
      const t = tallyFailures(r.prev, r.observed, r.reset ?? true);
      expect(t.consecutive).to.equal(r.consecutive);
      expect(t.consecutiveStartFailures).to.equal(r.start);
      expect(t.lastFailureAt).to.equal(r.lastFailureAt);
    });
  }

  it('keeps only ids still in the store (bounded by the tasks present)', () => {
    const t = tallyFailures({ consecutive: 3, consecutiveStartFailures: 3, failed: ['gone1', 'gone2', 'x'], succeeded: ['gone3'] }, [fail('x', 1), fail('y', 2)]);
    expect(t.failed).to.deep.equal(['x', 'y']);
    expect(t.succeeded).to.deep.equal([]);
    expect(t.consecutive).to.equal(4);
  });

  it('is idempotent: the same observation twice changes nothing', () => {
    const obs = [fail('a', 1), ok('b', 2), fail('c', 3)];
    const once = tallyFailures(undefined, obs);
    expect(tallyFailures(once, obs)).to.deep.equal(once);
  });
});

describe('detectFailure: circuit breaker, deployment alarms, rollback and throttling', () => {
  const T = 1_000_000;
  const base = (over: Partial<FailureDetectionInput>): FailureDetectionInput => ({
    rolloutState: 'IN_PROGRESS',
    tally: EMPTY_TALLY,
    desiredCount: 4,
    alarmsInAlarm: [],
    now: T,
    ...over,
  });
  const tally = (n: number, start = n, lastFailureAt = T): FailureTally => ({ consecutive: n, consecutiveStartFailures: start, lastFailureAt, failed: [], succeeded: [] });
  const last = { id: 'ecs-svc/1', taskDefinition: 'arn:web:1' };
  const rows: Array<{ name: string; input: FailureDetectionInput; expected: Record<string, unknown> }> = [
    { name: 'no failure', input: base({ circuitBreaker: { enable: true, rollback: true } }), expected: { kind: 'ok', throttled: false } },
    { name: '2 < threshold 3 (D=4)', input: base({ tally: tally(2), circuitBreaker: { enable: true } }), expected: { kind: 'ok', throttled: false } },
    { name: 'threshold 3 reached, no rollback', input: base({ tally: tally(3, 0), circuitBreaker: { enable: true, rollback: false }, lastCompleted: last }), expected: { kind: 'fail', by: 'circuit-breaker', reason: CIRCUIT_BREAKER_REASON } },
    {
      name: 'threshold reached with rollback: back to the last COMPLETED deployment',
      input: base({ tally: tally(3, 0), circuitBreaker: { enable: true, rollback: true }, lastCompleted: last }),
      expected: { kind: 'fail', by: 'circuit-breaker', reason: CIRCUIT_BREAKER_REASON, rollbackTo: last, rollbackReason: rollbackReason('ecs-svc/1') },
    },
    { name: 'rollback without a COMPLETED deployment: the service stalls', input: base({ tally: tally(3, 0), circuitBreaker: { enable: true, rollback: true } }), expected: { kind: 'fail', by: 'circuit-breaker', reason: CIRCUIT_BREAKER_REASON } },
    { name: 'D=25: 12 failures are not enough', input: base({ desiredCount: 25, tally: tally(12, 0), circuitBreaker: { enable: true } }), expected: { kind: 'ok', throttled: false } },
    { name: 'D=25: the 13th trips it', input: base({ desiredCount: 25, tally: tally(13, 0), circuitBreaker: { enable: true } }), expected: { kind: 'fail', by: 'circuit-breaker', reason: CIRCUIT_BREAKER_REASON } },
    { name: 'breaker disabled: failures only throttle', input: base({ tally: tally(3, 3, T - 5000), circuitBreaker: { enable: false } }), expected: { kind: 'ok', throttled: true, notBefore: T + 5000 } },
    { name: 'throttle over: launches again', input: base({ tally: tally(3, 3, T - 10_000) }), expected: { kind: 'ok', throttled: false, notBefore: T } },
    { name: 'already FAILED: nothing launches', input: base({ rolloutState: 'FAILED', tally: tally(0) }), expected: { kind: 'failed' } },
    { name: 'COMPLETED deployments are not failed by the breaker', input: base({ rolloutState: 'COMPLETED', tally: tally(5, 0), circuitBreaker: { enable: true } }), expected: { kind: 'ok', throttled: false } },
    {
      name: 'an alarm in ALARM fails the deployment and rolls back',
      input: base({ alarms: { enable: true, rollback: true, alarmNames: ['p99'] }, alarmsInAlarm: ['p99'], lastCompleted: last }),
      expected: { kind: 'fail', by: 'alarms', reason: 'ECS deployment alarms: p99 in ALARM state.', rollbackTo: last, rollbackReason: 'ECS deployment alarms: rolling back to deploymentId ecs-svc/1.' },
    },
    { name: 'alarms not enabled: ignored', input: base({ alarms: { enable: false, rollback: true, alarmNames: ['p99'] }, alarmsInAlarm: ['p99'] }), expected: { kind: 'ok', throttled: false } },
  ];
  for (const r of rows) {
    it(r.name, () => expect(detectFailure(r.input)).to.deep.equal(r.expected));
  }
});
