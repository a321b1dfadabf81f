/**
 * Table tests: task scale-in protection in the pure rolling plan (controllers/service/rolling.ts) and
 * its expiry (controllers/service/protection.ts). Protected tasks are not stopped by scale-in nor to
 * replace a healthy task in a deployment; unhealthy and draining ones still are.
 * https://docs.aws.amazon.com/AmazonECS/latest/developerguide/task-scale-in-protection.html
 */
import { expect } from 'chai';
import { planRolling, type PlanTask, type RollingInput } from '../../../controllers/service/rolling.js';
import { protectionAt } from '../../../controllers/service/protection.js';

const T0 = Date.UTC(2026, 0, 1);

function task(id: string, over: Partial<PlanTask> = {}): PlanTask {
  return { id, deploymentId: 'new', replaceable: false, healthy: true, unhealthy: false, pending: false, pendingOnDraining: false, ...over };
}

function rolling(over: Partial<RollingInput>): RollingInput {
  return { desiredCount: 0, minimumHealthyPercent: 100, maximumPercent: 200, primaryId: 'new', tasks: [], launchBlocked: false, pickVictims: (ids, n) => ids.slice(0, n), ...over };
}

describe('task scale-in protection in the rolling plan', () => {
  const rows: Array<{ name: string; input: Partial<RollingInput>; stopped: string[]; deadlocked?: boolean }> = [
    {
      name: 'scale-in 3 → 1 with none protected stops two',
      input: { desiredCount: 1, tasks: [task('a'), task('b'), task('c')] },
      stopped: ['a', 'b'],
    },
    {
      name: 'scale-in 3 → 1 with a and b protected stops only c',
      input: { desiredCount: 1, tasks: [task('a', { protected: true }), task('b', { protected: true }), task('c')] },
      stopped: ['c'],
    },
    {
      name: 'scale-in to 0 with every task protected stops none',
      input: { desiredCount: 0, tasks: [task('a', { protected: true }), task('b', { protected: true })] },
      stopped: [],
    },
    {
      name: 'a protected pending task is not a scale-in victim either',
      input: { desiredCount: 1, tasks: [task('a', { healthy: false, pending: true, protected: true }), task('b'), task('c')] },
      stopped: ['b', 'c'],
    },
    {
      name: 'deployment: a protected healthy old task is kept, not a deadlock',
      input: {
        desiredCount: 1,
        minimumHealthyPercent: 0,
        tasks: [task('old', { deploymentId: 'old', replaceable: true, protected: true }), task('new1')],
      },
      stopped: [],
      deadlocked: false,
    },
    {
      name: 'deployment: an unprotected healthy old task is replaced',
      input: { desiredCount: 1, minimumHealthyPercent: 0, tasks: [task('old', { deploymentId: 'old', replaceable: true }), task('new1')] },
      stopped: ['old'],
    },
    {
      name: 'an unhealthy protected task is still stopped (not a scale-in event)',
      input: { desiredCount: 2, tasks: [task('a', { healthy: false, unhealthy: true, protected: true }), task('b')] },
      stopped: ['a'],
    },
  ];
  for (const r of rows) {
    it(r.name, () => {
      const plan = planRolling(rolling(r.input));
      expect(plan.stop.map((s) => s.id)).to.deep.equal(r.stopped);
      if (r.deadlocked !== undefined) expect(plan.deadlocked).to.equal(r.deadlocked);
    });
  }
});

describe('protectionAt: protection in force until it expires', () => {
  const until = new Date(T0 + 60_000).toISOString();
  const rows: Array<{ name: string; protection: unknown; now: number; enabled: boolean }> = [
    { name: 'none', protection: undefined, now: T0, enabled: false },
    { name: 'enabled, before expiry', protection: { protectionEnabled: true, expirationDate: until }, now: T0, enabled: true },
    { name: 'enabled, at expiry', protection: { protectionEnabled: true, expirationDate: until }, now: T0 + 60_000, enabled: false },
    { name: 'disabled', protection: { protectionEnabled: false }, now: T0, enabled: false },
    { name: 'enabled without a date', protection: { protectionEnabled: true }, now: T0, enabled: false },
  ];
  for (const r of rows) it(r.name, () => expect(protectionAt({ status: { protection: r.protection } } as any, r.now).protectionEnabled).to.equal(r.enabled));
});
