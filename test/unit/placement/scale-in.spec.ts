import { expect } from 'chai';
import {
  defaultServiceStrategy,
  mulberry32,
  selectTasksToStop,
  type InstanceView,
  type PlacedTaskView,
  type PlacementStrategy,
  type ScaleInCandidate,
} from '../../../controllers/placement/index.js';
import { inst, noRng } from './helpers.js';

/** Attach tasks to instances; returns candidates (service tasks) and keeps instance.tasks consistent. */
function fleetWith(spec: Array<[InstanceView, Array<Partial<PlacedTaskView> & { id: string }>]>): ScaleInCandidate[] {
  const out: ScaleInCandidate[] = [];
  for (const [i, ts] of spec) {
    for (const t of ts) {
      const task: PlacedTaskView = { group: 'service:web', serviceKey: 'default/web', deploymentId: 'ecs-svc/new', startedAt: 1000, ...t };
      i.tasks.push(task);
      out.push({ ...task, instance: i });
    }
  }
  return out;
}
const ids = (prefix: string, n: number) => Array.from({ length: n }, (_, k) => ({ id: `${prefix}${k}` }));
const azOf = (c: ScaleInCandidate[], id: string) => c.find((x) => x.id === id)!.instance.attributes['ecs.availability-zone'];
const instOf = (c: ScaleInCandidate[], id: string) => c.find((x) => x.id === id)!.instance.name;

function stop(candidates: ScaleInCandidate[], count: number, strategy: PlacementStrategy[], rng: () => number = noRng, preferDeploymentIds?: string[]) {
  return selectTasksToStop({ candidates, count, strategy, rng, preferDeploymentIds });
}

describe('placement/scale-in victims', () => {
  const SPREAD_AZ: PlacementStrategy = { type: 'spread', field: 'attribute:ecs.availability-zone' };

  describe('spread keeps the AZ balance', () => {
    const build = () =>
      fleetWith([
        [inst('a1', { az: 'us-east-1a' }), ids('a1-', 3)],
        [inst('a2', { az: 'us-east-1a' }), ids('a2-', 2)],
        [inst('b1', { az: 'us-east-1b' }), ids('b1-', 2)],
        [inst('c1', { az: 'us-east-1c' }), ids('c1-', 1)],
      ]);

    it('removes from the AZ with the most tasks first', () => {
      const c = build();
      const v = stop(c, 3, [SPREAD_AZ], mulberry32(1));
      // a=5, b=2, c=1 → a, a, a (a=2 ties b=2 only after the third)
      expect(v.map((id) => azOf(c, id))).to.deep.equal(['us-east-1a', 'us-east-1a', 'us-east-1a']);
    });

    it('alternates once the AZs are level', () => {
      const c = build();
      const v = stop(c, 6, [SPREAD_AZ], mulberry32(1));
      const left: Record<string, number> = { 'us-east-1a': 5, 'us-east-1b': 2, 'us-east-1c': 1 };
      for (const id of v) left[azOf(c, id) as string]--;
      // (5,2,1) → (2,2,1) → (1,1,1) → one AZ emptied at random
      expect(Object.values(left).sort()).to.deep.equal([0, 1, 1]);
    });

    it('the service default also balances the instances inside the AZ', () => {
      const c = build();
      const v = stop(c, 2, defaultServiceStrategy(), mulberry32(1));
      // AZ a first, then the busiest instance in it: a1 (3) then a1/a2 tie (2/2) → random
      expect(instOf(c, v[0])).to.equal('a1');
      expect(azOf(c, v[1])).to.equal('us-east-1a');
    });

    it('is random within the AZ, deterministic for a seed, and independent of candidate order', () => {
      const c = build();
      const a = stop(c, 4, [SPREAD_AZ], mulberry32(42));
      const b = stop([...c].reverse(), 4, [SPREAD_AZ], mulberry32(42));
      expect(a).to.deep.equal(b);
      const seen = new Set<string>();
      for (let seed = 0; seed < 20; seed++) seen.add(stop(c, 1, [SPREAD_AZ], mulberry32(seed))[0]);
      expect(seen.size).to.be.greaterThan(2);
      for (const id of seen) expect(azOf(c, id)).to.equal('us-east-1a');
    });

    it('spread instanceId removes from the instance with the most tasks of the service', () => {
      const c = build();
      const v = stop(c, 2, [{ type: 'spread', field: 'instanceId' }], mulberry32(3));
      expect(instOf(c, v[0])).to.equal('a1');
      expect(['a1', 'a2', 'b1']).to.include(instOf(c, v[1]));
    });
  });

  describe('binpack removes from the least utilised instance', () => {
    it('memory: the instance with the most free memory, emptied first', () => {
      const c = fleetWith([
        [inst('busy', { remainingMemory: 512 }), ids('busy-', 3)],
        [inst('idle', { remainingMemory: 6000 }), ids('idle-', 2)],
        [inst('mid', { remainingMemory: 3000 }), ids('mid-', 2)],
      ]);
      const v = stop(c, 3, [{ type: 'binpack', field: 'memory' }]);
      expect(v.map((id) => instOf(c, id))).to.deep.equal(['idle', 'idle', 'mid']);
    });

    it('cpu: the instance with the most free cpu', () => {
      const c = fleetWith([
        [inst('x', { remainingCpu: 100, remainingMemory: 9000 }), ids('x-', 1)],
        [inst('y', { remainingCpu: 1900, remainingMemory: 10 }), ids('y-', 1)],
      ]);
      expect(stop(c, 1, [{ type: 'binpack', field: 'cpu' }])).to.deep.equal(['y-0']);
    });

    it('is deterministic: never-started tasks, then the newest, then by id', () => {
      const c = fleetWith([[inst('only'), [{ id: 't-b', startedAt: 10 }, { id: 't-a', startedAt: 10 }, { id: 't-new', startedAt: 99 }, { id: 't-pending', startedAt: undefined }]]]);
      expect(stop(c, 4, [{ type: 'binpack', field: 'memory' }])).to.deep.equal(['t-pending', 't-new', 't-a', 't-b']);
    });
  });

  describe('no strategy', () => {
    it('the AZ with the most tasks of the service, then the busiest instance, without randomness', () => {
      const c = fleetWith([
        [inst('a1', { az: 'us-east-1a' }), ids('a1-', 1)],
        [inst('a2', { az: 'us-east-1a' }), ids('a2-', 2)],
        [inst('b1', { az: 'us-east-1b' }), ids('b1-', 2)],
      ]);
      const v = stop(c, 3, [], noRng);
      // a=3 → a2 (2 tasks); then a=2, b=2 tie: b1 has 2 tasks vs a1/a2 1 → b1; then a=2 > b=1 → a (a1/a2 tie on 1 → total tasks tie → deterministic)
      expect(v.map((id) => instOf(c, id))).to.deep.equal(['a2', 'b1', 'a1']);
    });

    it('busiest instance counts all its tasks when the service counts tie', () => {
      const other = { group: 'family:batch', serviceKey: undefined };
      const x = inst('x', { az: 'us-east-1a' });
      const y = inst('y', { az: 'us-east-1a' });
      y.tasks.push({ id: 'batch-1', ...other }, { id: 'batch-2', ...other });
      const c = fleetWith([
        [x, ids('x-', 1)],
        [y, ids('y-', 1)],
      ]);
      expect(stop(c, 1, [], noRng)).to.deep.equal(['y-0']);
    });
  });

  describe('priorities', () => {
    it('skips protected tasks (which still count for the balance)', () => {
      const c = fleetWith([
        [inst('a1', { az: 'us-east-1a' }), [{ id: 'p1', protected: true }, { id: 'p2', protected: true }, { id: 'p3', protected: true }]],
        [inst('b1', { az: 'us-east-1b' }), ids('b-', 2)],
      ]);
      expect(stop(c, 5, [SPREAD_AZ], mulberry32(1)).sort()).to.deep.equal(['b-0', 'b-1']);
    });

    it('stops tasks of the preferred (old) deployments first, in the order given', () => {
      const c = fleetWith([
        [inst('a1', { az: 'us-east-1a' }), [{ id: 'new-1' }, { id: 'new-2' }, { id: 'new-3' }]],
        [inst('b1', { az: 'us-east-1b' }), [{ id: 'old-1', deploymentId: 'ecs-svc/old' }, { id: 'older-1', deploymentId: 'ecs-svc/older' }]],
      ]);
      const v = stop(c, 3, [SPREAD_AZ], mulberry32(1), ['ecs-svc/older', 'ecs-svc/old']);
      expect(v.slice(0, 2)).to.deep.equal(['older-1', 'old-1']);
      expect(v[2]).to.match(/^new-/);
    });

    it('stops daemon tasks last', () => {
      const c = fleetWith([
        [inst('a1'), [{ id: 'd-1', daemon: true }, { id: 'd-2', daemon: true }]],
        [inst('b1'), [{ id: 'r-1' }]],
      ]);
      expect(stop(c, 2, [], noRng)).to.deep.equal(['r-1', 'd-1']);
    });

    it('returns fewer ids when not enough tasks are removable', () => {
      const c = fleetWith([[inst('a1'), [{ id: 'x' }, { id: 'y', protected: true }]]]);
      expect(stop(c, 5, [])).to.deep.equal(['x']);
      expect(stop([], 5, [])).to.deep.equal([]);
      expect(stop(c, 0, [])).to.deep.equal([]);
    });
  });

  describe('random', () => {
    it('picks uniformly, deterministically for a seed', () => {
      const c = fleetWith([[inst('a'), ids('t', 10)]]);
      const a = stop(c, 10, [{ type: 'random' }], mulberry32(5));
      expect(a).to.deep.equal(stop(c, 10, [{ type: 'random' }], mulberry32(5)));
      expect([...a].sort()).to.deep.equal(ids('t', 10).map((t) => t.id).sort());
      expect(a).not.to.deep.equal(ids('t', 10).map((t) => t.id).sort());
    });
  });
});
