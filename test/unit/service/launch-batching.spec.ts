/**
 * Table tests for the service scheduler's launch rate (controllers/service/launch-rate.ts): ECS's
 * "Rate of tasks launched by a service" quota, 500 a minute, applied by the pure plans.
 */
import { expect } from 'chai';
import { planRolling, type PlanTask, type RollingInput } from '../../../controllers/service/rolling.js';
import { planDaemon } from '../../../controllers/service/daemon.js';
import { LAUNCH_WINDOW_MS, SERVICE_LAUNCHES_PER_MINUTE, launchAllowance, recentLaunches } from '../../../controllers/service/launch-rate.js';
import type { InstanceObject } from '../../../controllers/shared/instances.js';

const T0 = Date.UTC(2026, 0, 1);
const iso = (ms: number) => new Date(ms).toISOString();

const healthy = (id: string, deploymentId = 'new'): PlanTask => ({ id, deploymentId, replaceable: false, healthy: true, unhealthy: false, pending: false, pendingOnDraining: false });

function rolling(over: Partial<RollingInput>): RollingInput {
  return {
    desiredCount: 0,
    minimumHealthyPercent: 100,
    maximumPercent: 200,
    primaryId: 'new',
    tasks: [],
    launchBlocked: false,
    pickVictims: (ids, n) => ids.slice(0, n),
    ...over,
  };
}

describe('service launch rate (500 tasks per service per minute)', () => {
  describe('planRolling caps starts at maxLaunches and reports the rest as deferred', () => {
    const rows: Array<{ name: string; desired: number; running: number; maxLaunches?: number; start: number; deferred: number }> = [
      { name: 'small service, no cap given', desired: 3, running: 0, start: 3, deferred: 0 },
      { name: 'small service under the cap', desired: 3, running: 0, maxLaunches: 500, start: 3, deferred: 0 },
      { name: '5000 from empty: one batch of 500', desired: 5000, running: 0, maxLaunches: 500, start: 500, deferred: 4500 },
      { name: '5000 with 4800 running: the last 200', desired: 5000, running: 4800, maxLaunches: 500, start: 200, deferred: 0 },
      { name: 'window partly used: what is left of it', desired: 1000, running: 0, maxLaunches: 120, start: 120, deferred: 880 },
      { name: 'window used up: nothing now', desired: 1000, running: 500, maxLaunches: 0, start: 0, deferred: 500 },
      { name: 'a negative allowance counts as none', desired: 10, running: 0, maxLaunches: -5, start: 0, deferred: 10 },
    ];
    for (const r of rows) {
      it(r.name, () => {
        const tasks = Array.from({ length: r.running }, (_, i) => healthy(`t${i}`));
        const plan = planRolling(rolling({ desiredCount: r.desired, tasks, maxLaunches: r.maxLaunches }));
        expect({ start: plan.start, deferred: plan.launchesDeferred }).to.deep.equal({ start: r.start, deferred: r.deferred });
      });
    }

    it('the cap applies under the maximumPercent ceiling, not instead of it', () => {
      // D = 600 at 100/150 with 600 old tasks: maxTasks 900, room 300 < 500.
      const old = Array.from({ length: 600 }, (_, i) => ({ ...healthy(`o${i}`, 'old'), replaceable: true }));
      const plan = planRolling(rolling({ desiredCount: 600, maximumPercent: 150, tasks: old, maxLaunches: 500 }));
      expect([plan.start, plan.launchesDeferred]).to.deep.equal([300, 0]);
    });

    it('a deferred launch is not a configuration deadlock', () => {
      const old = Array.from({ length: 4 }, (_, i) => ({ ...healthy(`o${i}`, 'old'), replaceable: true }));
      const plan = planRolling(rolling({ desiredCount: 4, minimumHealthyPercent: 100, maximumPercent: 200, tasks: old, maxLaunches: 0 }));
      expect(plan.deadlocked).to.equal(false);
      expect(plan.launchesDeferred).to.equal(4);
      expect(plan.stop).to.deep.equal([]);
    });
  });

  describe('recentLaunches / launchAllowance (a sliding minute over the tasks\' createdAt)', () => {
    const task = (createdAt?: number) => ({ status: createdAt === undefined ? {} : { createdAt: iso(createdAt) } });
    const rows: Array<{ name: string; created: Array<number | undefined>; allowed: number; nextRoomAt?: number }> = [
      { name: 'no task: the whole quota', created: [], allowed: 500 },
      { name: 'tasks older than a minute do not count', created: Array(500).fill(T0 - LAUNCH_WINDOW_MS), allowed: 500 },
      { name: 'a task without createdAt does not count', created: [undefined, T0], allowed: 499 },
      { name: '300 in the last minute', created: Array(300).fill(T0 - 10_000), allowed: 200 },
      { name: '500 in the last minute: none until the oldest leaves it', created: [...Array(100).fill(T0 - 50_000), ...Array(400).fill(T0)], allowed: 0, nextRoomAt: T0 + 10_000 },
    ];
    for (const r of rows) {
      it(r.name, () => {
        const recent = recentLaunches(r.created.map(task), T0);
        expect(launchAllowance(recent, T0)).to.deep.equal(r.nextRoomAt === undefined ? { allowed: r.allowed } : { allowed: r.allowed, nextRoomAt: r.nextRoomAt });
      });
    }
  });

  it('desiredCount 5000 from empty converges in ten batches of 500, one a minute (plan + rate, no store)', () => {
    const tasks: PlanTask[] = [];
    const created: Array<{ status: { createdAt: string } }> = [];
    const batches: number[] = [];
    for (let minute = 0; minute < 12; minute++) {
      const now = T0 + minute * LAUNCH_WINDOW_MS;
      const maxLaunches = launchAllowance(recentLaunches(created, now), now).allowed;
      const plan = planRolling(rolling({ desiredCount: 5000, tasks, maxLaunches }));
      batches.push(plan.start);
      for (let i = 0; i < plan.start; i++) {
        tasks.push(healthy(`t${tasks.length}`));
        created.push({ status: { createdAt: iso(now) } });
      }
    }
    expect(batches).to.deep.equal([500, 500, 500, 500, 500, 500, 500, 500, 500, 500, 0, 0]);
    expect(tasks).to.have.length(5000);
    expect(Math.max(...batches)).to.equal(SERVICE_LAUNCHES_PER_MINUTE);
  });

  it('planDaemon starts on at most maxLaunches instances and defers the others', () => {
    const instances = Array.from({ length: 7 }, (_, i) => ({ apiVersion: 'ecsplane.io/v1alpha1', kind: 'ContainerInstance', metadata: { name: `i-${i}` }, spec: {} }) as unknown as InstanceObject);
    const base = { primaryId: 'd1', deleting: false, launchBlocked: false, instances, tasks: [], health: new Map(), constraints: [], minimumHealthyPercent: 0 };
    const capped = planDaemon({ ...base, maxLaunches: 3 });
    expect(capped.startOn).to.deep.equal(['i-0', 'i-1', 'i-2']);
    expect(capped.launchesDeferred).to.equal(4);
    expect(capped.desiredCount).to.equal(7);
    const free = planDaemon(base);
    expect([free.startOn.length, free.launchesDeferred]).to.deep.equal([7, 0]);
  });
});
