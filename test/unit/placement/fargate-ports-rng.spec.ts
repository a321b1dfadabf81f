import { expect } from 'chai';
import { allocateDynamicPort, DYNAMIC_PORT_RANGE, mulberry32, placeFargate, RESERVED_TCP_PORTS } from '../../../controllers/placement/index.js';
import { noRng } from './helpers.js';

describe('placement/fargate AZ balancing', () => {
  const cases: Array<[string, number, string[], Record<string, number>, Record<string, number>]> = [
    ['even split from zero', 6, ['us-east-1a', 'us-east-1b', 'us-east-1c'], {}, { 'us-east-1a': 2, 'us-east-1b': 2, 'us-east-1c': 2 }],
    ['fills the emptiest AZ first', 3, ['us-east-1a', 'us-east-1b', 'us-east-1c'], { 'us-east-1a': 3, 'us-east-1b': 1 }, { 'us-east-1b': 1, 'us-east-1c': 2 }],
    ['ignores AZs outside the subnets', 2, ['us-east-1a', 'us-east-1b'], { 'us-east-1c': 10, 'us-east-1a': 1 }, { 'us-east-1b': 2 }],
    ['duplicate AZs count once', 4, ['us-east-1a', 'us-east-1a', 'us-east-1b'], {}, { 'us-east-1a': 2, 'us-east-1b': 2 }],
    ['a single AZ takes everything', 3, ['eu-west-1a'], { 'eu-west-1a': 7 }, { 'eu-west-1a': 3 }],
  ];
  for (const [name, count, azs, existing, want] of cases) {
    it(name, () => {
      const out = placeFargate({ count, availabilityZones: azs, existingPerAz: existing, rng: mulberry32(1) });
      expect(out).to.have.length(count);
      const got: Record<string, number> = {};
      for (const az of out) got[az] = (got[az] ?? 0) + 1;
      expect(got).to.deep.equal(want);
    });
  }

  it('keeps every prefix balanced (never more than one apart)', () => {
    const azs = ['a', 'b', 'c'];
    const out = placeFargate({ count: 30, availabilityZones: azs, existingPerAz: {}, rng: mulberry32(2) });
    const n: Record<string, number> = { a: 0, b: 0, c: 0 };
    for (const az of out) {
      n[az]++;
      expect(Math.max(...Object.values(n)) - Math.min(...Object.values(n))).to.be.at.most(1);
    }
  });

  it('breaks ties with the rng, deterministically, independent of AZ order', () => {
    const a = placeFargate({ count: 5, availabilityZones: ['a', 'b', 'c'], existingPerAz: {}, rng: mulberry32(9) });
    const b = placeFargate({ count: 5, availabilityZones: ['c', 'a', 'b'], existingPerAz: {}, rng: mulberry32(9) });
    expect(a).to.deep.equal(b);
    expect(placeFargate({ count: 1, availabilityZones: ['b', 'a'], existingPerAz: {}, rng: () => 0 })).to.deep.equal(['a']);
    expect(placeFargate({ count: 1, availabilityZones: ['b', 'a'], existingPerAz: {}, rng: () => 0.9 })).to.deep.equal(['b']);
  });

  it('does not use the rng without ties, and returns [] without AZs', () => {
    expect(placeFargate({ count: 2, availabilityZones: ['a', 'b'], existingPerAz: { a: 5 }, rng: noRng })).to.deep.equal(['b', 'b']);
    expect(placeFargate({ count: 2, availabilityZones: [], existingPerAz: {}, rng: noRng })).to.deep.equal([]);
  });
});

describe('placement/ports', () => {
  it('reserved ports are the agent defaults', () => {
    expect(RESERVED_TCP_PORTS).to.deep.equal([22, 2375, 2376, 51678, 51679]);
    expect(DYNAMIC_PORT_RANGE).to.deep.equal([32768, 61000]);
  });

  const cases: Array<[string, number[], [number, number] | undefined, number | undefined]> = [
    ['empty set: start of the range', [], undefined, 32768],
    ['reserved ports do not matter', RESERVED_TCP_PORTS, undefined, 32768],
    ['lowest free', [32768, 32769, 32771], undefined, 32770],
    ['custom range', [49153], [49153, 65535], 49154],
    ['full range', [100, 101], [100, 101], undefined],
    ['last port of the range', [], [61000, 61000], 61000],
  ];
  for (const [name, used, range, want] of cases) {
    it(`allocateDynamicPort: ${name}`, () => expect(allocateDynamicPort(new Set(used), range)).to.equal(want));
  }

  it('allocateDynamicPort returns undefined when 32768–61000 is full', () => {
    const used = new Set<number>();
    for (let p = 32768; p <= 61000; p++) used.add(p);
    expect(allocateDynamicPort(used)).to.equal(undefined);
  });
});

describe('placement/rng mulberry32', () => {
  it('is deterministic per seed and differs across seeds', () => {
    const a = mulberry32(123);
    const b = mulberry32(123);
    const c = mulberry32(124);
    const xs = Array.from({ length: 5 }, () => a());
    expect(Array.from({ length: 5 }, () => b())).to.deep.equal(xs);
    expect(Array.from({ length: 5 }, () => c())).not.to.deep.equal(xs);
  });

  it('yields values in [0, 1) with a plausible mean', () => {
    const r = mulberry32(7);
    let sum = 0;
    let min = Infinity;
    let max = -Infinity;
    for (let k = 0; k < 10000; k++) {
      const v = r();
      sum += v;
      min = Math.min(min, v);
      max = Math.max(max, v);
    }
    expect(min).to.be.at.least(0);
    expect(max).to.be.below(1);
    expect(sum / 10000).to.be.within(0.48, 0.52);
  });
});
