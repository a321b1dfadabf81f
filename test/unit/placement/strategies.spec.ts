import { expect } from 'chai';
import { EcsError } from '../../../api/errors.js';
import {
  defaultRunTaskStrategy,
  defaultServiceStrategy,
  mulberry32,
  placeTasks,
  type InstanceView,
  type PlacementStrategy,
  type TaskRequirements,
} from '../../../controllers/placement/index.js';
import { inst, noRng, req, tally, tasks } from './helpers.js';

function place(instances: InstanceView[], strategy: PlacementStrategy[], count: number, rng: () => number = noRng, task: Partial<TaskRequirements> = {}) {
  return placeTasks({ instances, task: req(task), count, constraints: [], strategy, rng });
}
const seq = (r: { placements: { instance: string }[] }) => r.placements.map((p) => p.instance);

const BINPACK_MEM: PlacementStrategy = { type: 'binpack', field: 'memory' };
const BINPACK_CPU: PlacementStrategy = { type: 'binpack', field: 'cpu' };
const SPREAD_AZ: PlacementStrategy = { type: 'spread', field: 'attribute:ecs.availability-zone' };
const SPREAD_INSTANCE: PlacementStrategy = { type: 'spread', field: 'instanceId' };
const RANDOM: PlacementStrategy = { type: 'random' };

/** Small fleet: 2 AZs, different free memory and cpu. */
function fleet(): InstanceView[] {
  return [
    inst('a1', { az: 'us-east-1a', remainingCpu: 2048, remainingMemory: 2048 }),
    inst('a2', { az: 'us-east-1a', remainingCpu: 1024, remainingMemory: 6144 }),
    inst('b1', { az: 'us-east-1b', remainingCpu: 4096, remainingMemory: 1536 }),
    inst('b2', { az: 'us-east-1b', remainingCpu: 3072, remainingMemory: 4096 }),
  ];
}

describe('placement/strategies', () => {
  it('defaults: services spread over AZs then instances, RunTask random', () => {
    expect(defaultServiceStrategy()).to.deep.equal([
      { type: 'spread', field: 'attribute:ecs.availability-zone' },
      { type: 'spread', field: 'instanceId' },
    ]);
    expect(defaultRunTaskStrategy()).to.deep.equal([{ type: 'random' }]);
  });

  describe('binpack vs spread on a small fleet', () => {
    const cases: Array<[string, PlacementStrategy[], number, string[]]> = [
      ['binpack memory fills the instance with the least memory first', [BINPACK_MEM], 5, ['b1', 'b1', 'b1', 'a1', 'a1']],
      ['binpack cpu fills the instance with the least cpu first', [BINPACK_CPU], 5, ['a2', 'a2', 'a2', 'a2', 'a1']],
      ['spread instanceId round-robins in name order', [SPREAD_INSTANCE], 6, ['a1', 'a2', 'b1', 'b2', 'a1', 'a2']],
      ['spread host is spread instanceId', [{ type: 'spread', field: 'host' }], 4, ['a1', 'a2', 'b1', 'b2']],
      ['spread AZ alternates AZs (name tie-break inside)', [SPREAD_AZ], 4, ['a1', 'b1', 'a1', 'b1']],
      ['spread AZ then instance (the service default)', defaultServiceStrategy(), 4, ['a1', 'b1', 'a2', 'b2']],
      ['spread AZ then binpack memory: fullest instance of the emptiest AZ', [SPREAD_AZ, BINPACK_MEM], 4, ['b1', 'a1', 'b1', 'a1']],
      ['binpack memory then spread AZ', [BINPACK_MEM, SPREAD_AZ], 2, ['b1', 'b1']],
      ['no strategy: lowest instance name', [], 3, ['a1', 'a1', 'a1']],
    ];
    for (const [name, strategy, count, want] of cases) {
      it(name, () => expect(seq(place(fleet(), strategy, count))).to.deep.equal(want));
    }
  });

  it('binpack keeps the tightest fit that still fits', () => {
    const f = [inst('small', { remainingMemory: 400 }), inst('mid', { remainingMemory: 600 }), inst('big', { remainingMemory: 5000 })];
    // 400 cannot take 512: mid (600) is the least remaining that fits.
    expect(seq(place(f, [BINPACK_MEM], 2))).to.deep.equal(['mid', 'big']);
  });

  it('binpack ties are broken by the next strategy', () => {
    const f = [
      inst('x1', { az: 'us-east-1a', remainingMemory: 1024, tasks: tasks(1, 'service:web', { serviceKey: 'default/web' }) }),
      inst('x2', { az: 'us-east-1b', remainingMemory: 1024 }),
    ];
    expect(seq(place(f, [BINPACK_MEM, SPREAD_AZ], 1))).to.deep.equal(['x2']);
    expect(seq(place(f, [BINPACK_MEM], 1))).to.deep.equal(['x1']);
  });

  it('spread counts existing tasks of the same service only', () => {
    const f = [
      inst('a', { az: 'us-east-1a', tasks: [...tasks(2, 'service:web', { serviceKey: 'default/web' }), ...tasks(5, 'family:other')] }),
      inst('b', { az: 'us-east-1b', tasks: tasks(1, 'service:web', { serviceKey: 'default/web' }) }),
      inst('c', { az: 'us-east-1c', tasks: tasks(6, 'service:api', { serviceKey: 'default/api' }) }),
    ];
    // a=2, b=1, c=0 (api and family tasks do not count); ties by name
    expect(seq(place(f, [SPREAD_AZ], 5))).to.deep.equal(['c', 'b', 'c', 'a', 'b']);
  });

  it('spread uses the serviceKey when given, else the group', () => {
    const f = [
      inst('a', { tasks: tasks(2, 'service:web', { serviceKey: 'other-cluster/web' }) }),
      inst('b', { tasks: tasks(1, 'service:web', { serviceKey: 'default/web' }) }),
    ];
    // by serviceKey default/web: a has 0, b has 1
    expect(seq(place(f, [SPREAD_INSTANCE], 1))).to.deep.equal(['a']);
    // by group service:web: a has 2, b has 1
    expect(seq(place(f, [SPREAD_INSTANCE], 1, noRng, { serviceKey: undefined }))).to.deep.equal(['b']);
  });

  it('spread AZ counts tasks on instances that cannot take the task', () => {
    const f = [
      inst('a-full', { az: 'us-east-1a', remainingCpu: 0, tasks: tasks(3, 'service:web', { serviceKey: 'default/web' }) }),
      inst('a-free', { az: 'us-east-1a' }),
      inst('b-free', { az: 'us-east-1b', tasks: tasks(1, 'service:web', { serviceKey: 'default/web' }) }),
    ];
    expect(seq(place(f, [SPREAD_AZ], 3))).to.deep.equal(['b-free', 'b-free', 'a-free']);
  });

  it('instances missing the attribute form their own bucket', () => {
    const noAz = inst('z-none', {});
    delete (noAz.attributes as Record<string, string | null>)['ecs.availability-zone'];
    const f = [inst('a', { az: 'us-east-1a' }), inst('b', { az: 'us-east-1b' }), noAz];
    const t = tally(place(f, [SPREAD_AZ], 6).placements);
    expect(t).to.deep.equal({ a: 2, b: 2, 'z-none': 2 });
  });

  it('spread on a custom attribute, attribute present without a value is its own bucket', () => {
    const f = [
      inst('r1', { attributes: { rack: 'r1' } }),
      inst('r1b', { attributes: { rack: 'r1' } }),
      inst('r2', { attributes: { rack: 'r2' } }),
      inst('rnull', { attributes: { rack: null } }),
    ];
    expect(tally(place(f, [{ type: 'spread', field: 'attribute:rack' }], 6).placements)).to.deep.equal({ r1: 2, r2: 2, rnull: 2 });
  });

  it('final tie-break is the instance name, whatever the input order', () => {
    const f = fleet().reverse();
    expect(seq(place(f, [SPREAD_INSTANCE], 4))).to.deep.equal(['a1', 'a2', 'b1', 'b2']);
  });

  it('deterministic strategies never call the rng', () => {
    for (const s of [[BINPACK_MEM], [SPREAD_AZ, SPREAD_INSTANCE], [SPREAD_AZ, BINPACK_CPU], []] as PlacementStrategy[][]) {
      expect(() => place(fleet(), s, 5, noRng)).not.to.throw();
    }
  });

  describe('random', () => {
    const big = () => Array.from({ length: 10 }, (_, k) => inst(`ci-${k}`, { remainingCpu: 1e6, remainingMemory: 1e6 }));

    it('is deterministic for a given seed', () => {
      const a = seq(place(big(), [RANDOM], 20, mulberry32(1)));
      const b = seq(place(big(), [RANDOM], 20, mulberry32(1)));
      const c = seq(place(big(), [RANDOM], 20, mulberry32(2)));
      expect(a).to.deep.equal(b);
      expect(a).not.to.deep.equal(c);
    });

    it('does not depend on the input order of the instances', () => {
      const f = big();
      const shuffled = [f[3], f[9], f[0], f[7], f[1], f[5], f[2], f[8], f[4], f[6]];
      expect(seq(place(shuffled, [RANDOM], 20, mulberry32(9)))).to.deep.equal(seq(place(f, [RANDOM], 20, mulberry32(9))));
    });

    it('picks uniformly among the eligible instances', () => {
      const f = [inst('a', { remainingCpu: 1e7, remainingMemory: 1e7 }), inst('b', { remainingCpu: 1e7, remainingMemory: 1e7 }), inst('c', { remainingCpu: 1e7, remainingMemory: 1e7 })];
      const t = tally(place(f, [RANDOM], 3000, mulberry32(3)).placements);
      for (const k of ['a', 'b', 'c']) expect(t[k]).to.be.within(850, 1150);
    });

    it('maps rng values onto the instances in name order', () => {
      const f = [inst('c'), inst('a'), inst('b')];
      expect(seq(place(f, [RANDOM], 1, () => 0))).to.deep.equal(['a']);
      expect(seq(place(f, [RANDOM], 1, () => 0.5))).to.deep.equal(['b']);
      expect(seq(place(f, [RANDOM], 1, () => 0.99))).to.deep.equal(['c']);
      expect(seq(place(f, [RANDOM], 1, () => 1))).to.deep.equal(['c']);
    });

    it('only breaks the ties left by earlier strategies', () => {
      const f = [inst('a1', { az: 'us-east-1a' }), inst('a2', { az: 'us-east-1a' }), inst('b1', { az: 'us-east-1b' })];
      const t = tally(place(f, [SPREAD_AZ, RANDOM], 4, mulberry32(5)).placements);
      expect(t.b1).to.equal(2);
      expect((t.a1 ?? 0) + (t.a2 ?? 0)).to.equal(2);
    });

    it('strategies after random have no effect', () => {
      const a = seq(place(big(), [RANDOM, BINPACK_MEM], 15, mulberry32(11)));
      const b = seq(place(big(), [RANDOM], 15, mulberry32(11)));
      expect(a).to.deep.equal(b);
    });

    it('a single eligible instance does not consume the rng', () => {
      expect(seq(place([inst('only')], [RANDOM], 2, noRng))).to.deep.equal(['only', 'only']);
    });
  });

  describe('validation', () => {
    const bad: Array<[PlacementStrategy, string]> = [
      [{ type: 'binpack' }, 'binpack field must be cpu or memory'],
      [{ type: 'binpack', field: 'disk' }, "binpack field must be cpu or memory, got 'disk'"],
      [{ type: 'spread' }, 'spread field must be instanceId, host or attribute:<name>'],
      [{ type: 'spread', field: 'attribute:' }, 'spread field must be'],
      [{ type: 'spread', field: 'ecs.availability-zone' }, 'spread field must be'],
      [{ type: 'pack' as 'binpack' }, 'placement strategy type must be binpack, spread or random'],
    ];
    for (const [s, msg] of bad) {
      it(`rejects ${JSON.stringify(s)}`, () => {
        expect(() => place(fleet(), [s], 1)).to.throw(EcsError, msg);
      });
    }

    it('accepts field names case-insensitively (MEMORY, InstanceId)', () => {
      expect(seq(place(fleet(), [{ type: 'binpack', field: 'MEMORY' }], 1))).to.deep.equal(['b1']);
      expect(seq(place(fleet(), [{ type: 'spread', field: 'InstanceId' }], 2))).to.deep.equal(['a1', 'a2']);
    });
  });
});
