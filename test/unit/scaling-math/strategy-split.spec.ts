import { expect } from 'chai';
import { EcsError } from '../../../api/errors.js';
import { nextProvider, splitByStrategy, type StrategyItem } from '../../../controllers/scaling-math/strategy-split.js';

const FARGATE_MIX: StrategyItem[] = [
  { capacityProvider: 'FARGATE', base: 2, weight: 1 },
  { capacityProvider: 'FARGATE_SPOT', weight: 3 },
];
const HALVES: StrategyItem[] = [
  { capacityProvider: 'A', weight: 1 },
  { capacityProvider: 'B', weight: 1 },
];

describe('scaling-math/strategy-split', () => {
  describe('splitByStrategy', () => {
    const cases: { name: string; strategy: StrategyItem[]; existing: Record<string, number>; count: number; want: Record<string, number> }[] = [
      { name: 'worked example: desired 10', strategy: FARGATE_MIX, existing: {}, count: 10, want: { FARGATE: 4, FARGATE_SPOT: 6 } },
      { name: 'worked example: desired 1 fills the base', strategy: FARGATE_MIX, existing: {}, count: 1, want: { FARGATE: 1, FARGATE_SPOT: 0 } },
      { name: 'count 0', strategy: FARGATE_MIX, existing: {}, count: 0, want: { FARGATE: 0, FARGATE_SPOT: 0 } },
      { name: 'exactly the base', strategy: FARGATE_MIX, existing: {}, count: 2, want: { FARGATE: 2, FARGATE_SPOT: 0 } },
      { name: 'first task beyond the base goes to the largest share', strategy: FARGATE_MIX, existing: {}, count: 3, want: { FARGATE: 2, FARGATE_SPOT: 1 } },
      { name: 'ties go to strategy order', strategy: HALVES, existing: {}, count: 5, want: { A: 3, B: 2 } },
      { name: 'tie order follows the strategy, not the name', strategy: [HALVES[1], HALVES[0]], existing: {}, count: 1, want: { B: 1, A: 0 } },
      { name: 'existing tasks count toward the shares', strategy: FARGATE_MIX, existing: { FARGATE: 4, FARGATE_SPOT: 6 }, count: 4, want: { FARGATE: 1, FARGATE_SPOT: 3 } },
      { name: 'an over-full provider gets nothing until the others catch up', strategy: HALVES, existing: { B: 10 }, count: 4, want: { A: 4, B: 0 } },
      { name: 'base is filled first even when others already have tasks', strategy: FARGATE_MIX, existing: { FARGATE_SPOT: 5 }, count: 2, want: { FARGATE: 2, FARGATE_SPOT: 0 } },
      { name: 'partially filled base', strategy: FARGATE_MIX, existing: { FARGATE: 1 }, count: 2, want: { FARGATE: 1, FARGATE_SPOT: 1 } },
      { name: 'weight-0 base provider gets only its base', strategy: [{ capacityProvider: 'A', base: 3, weight: 0 }, { capacityProvider: 'B', weight: 1 }], existing: {}, count: 5, want: { A: 3, B: 2 } },
      { name: 'weight-0 provider without base gets nothing', strategy: [{ capacityProvider: 'A', weight: 1 }, { capacityProvider: 'B', weight: 0 }], existing: {}, count: 3, want: { A: 3, B: 0 } },
      { name: 'weight defaults to 0', strategy: [{ capacityProvider: 'A', weight: 2 }, { capacityProvider: 'B' }], existing: {}, count: 3, want: { A: 3, B: 0 } },
      { name: 'providers outside the strategy are ignored', strategy: HALVES, existing: { OTHER: 7 }, count: 2, want: { A: 1, B: 1 } },
      { name: '1:2:3 weights over 12', strategy: [{ capacityProvider: 'A', weight: 1 }, { capacityProvider: 'B', weight: 2 }, { capacityProvider: 'C', weight: 3 }], existing: {}, count: 12, want: { A: 2, B: 4, C: 6 } },
      { name: '1:2:3 weights over 5', strategy: [{ capacityProvider: 'A', weight: 1 }, { capacityProvider: 'B', weight: 2 }, { capacityProvider: 'C', weight: 3 }], existing: {}, count: 5, want: { A: 1, B: 2, C: 2 } },
      { name: 'tasks above the base on the base provider count as weighted', strategy: FARGATE_MIX, existing: { FARGATE: 5, FARGATE_SPOT: 3 }, count: 4, want: { FARGATE: 0, FARGATE_SPOT: 4 } },
    ];
    for (const c of cases) {
      it(c.name, () => {
        expect(splitByStrategy(c.strategy, c.existing, c.count)).to.deep.equal(c.want);
      });
    }

    it('stays within one task of the exact weighted share (seeded random strategies)', () => {
      let seed = 42;
      const rnd = (): number => {
        seed = (seed * 1103515245 + 12345) % 2147483648;
        return seed / 2147483648;
      };
      for (let trial = 0; trial < 500; trial++) {
        const n = 1 + Math.floor(rnd() * 5);
        const strategy = Array.from({ length: n }, (_, i) => ({
          capacityProvider: `p${i}`,
          weight: Math.floor(rnd() * 6) + (i === 0 ? 1 : 0),
          base: i === 0 ? Math.floor(rnd() * 4) : 0,
        }));
        const count = Math.floor(rnd() * 60);
        const got = splitByStrategy(strategy, {}, count);
        const W = strategy.reduce((a, s) => a + s.weight, 0);
        const base = Math.min(strategy[0].base, count);
        let total = 0;
        for (const s of strategy) {
          const exact = ((count - base) * s.weight) / W + (s.capacityProvider === 'p0' ? base : 0);
          expect(Math.abs(got[s.capacityProvider] - exact), JSON.stringify({ strategy, count, got })).to.be.lessThan(1);
          total += got[s.capacityProvider];
        }
        expect(total).to.equal(count);
      }
    });

    const errors: { name: string; strategy: StrategyItem[]; count: number; error: string }[] = [
      { name: 'empty strategy', strategy: [], count: 1, error: 'empty' },
      { name: 'all weights 0 beyond the base', strategy: [{ capacityProvider: 'A', base: 1 }], count: 2, error: 'weight greater than 0' },
    ];
    for (const c of errors) {
      it(`throws InvalidParameterException: ${c.name}`, () => {
        expect(() => splitByStrategy(c.strategy, {}, c.count))
          .to.throw(EcsError, c.error)
          .with.property('type', 'InvalidParameterException');
      });
    }

    it('all weights 0 is fine while only the base is needed', () => {
      expect(splitByStrategy([{ capacityProvider: 'A', base: 2 }], {}, 2)).to.deep.equal({ A: 2 });
    });

    for (const count of [-1, 1.5, Number.NaN]) {
      it(`rejects count ${count}`, () => {
        expect(() => splitByStrategy(HALVES, {}, count)).to.throw(RangeError);
      });
    }
  });

  describe('nextProvider', () => {
    it('follows the worked example task by task', () => {
      const existing: Record<string, number> = {};
      const order: string[] = [];
      for (let i = 0; i < 10; i++) {
        const p = nextProvider(FARGATE_MIX, existing);
        order.push(p);
        existing[p] = (existing[p] ?? 0) + 1;
      }
      expect(order).to.deep.equal([
        'FARGATE', 'FARGATE', 'FARGATE_SPOT', 'FARGATE', 'FARGATE_SPOT',
        'FARGATE_SPOT', 'FARGATE_SPOT', 'FARGATE', 'FARGATE_SPOT', 'FARGATE_SPOT',
      ]);
    });

    const cases: { existing: Record<string, number>; want: string }[] = [
      { existing: {}, want: 'FARGATE' },
      { existing: { FARGATE: 2 }, want: 'FARGATE_SPOT' },
      { existing: { FARGATE: 2, FARGATE_SPOT: 3 }, want: 'FARGATE' },
      { existing: { FARGATE: 3, FARGATE_SPOT: 3 }, want: 'FARGATE_SPOT' },
      { existing: { FARGATE: 0, FARGATE_SPOT: 100 }, want: 'FARGATE' },
      { existing: { FARGATE: 100, FARGATE_SPOT: 0 }, want: 'FARGATE_SPOT' },
    ];
    for (const c of cases) {
      it(`existing ${JSON.stringify(c.existing)} ⇒ ${c.want}`, () => {
        expect(nextProvider(FARGATE_MIX, c.existing)).to.equal(c.want);
      });
    }

    it('agrees with splitByStrategy(…, 1)', () => {
      for (const existing of [{}, { A: 1 }, { A: 1, B: 1 }, { B: 4 }] as Record<string, number>[]) {
        const split = splitByStrategy(HALVES, existing, 1);
        expect(split[nextProvider(HALVES, existing)]).to.equal(1);
      }
    });
  });
});
