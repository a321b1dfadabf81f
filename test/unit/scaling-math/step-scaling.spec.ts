import { expect } from 'chai';
import {
  adjustedCapacity,
  aggregate,
  applyAdjustment,
  roundPercentChange,
  selectStep,
  type AdjustmentType,
  type MetricAggregationType,
  type StepAdjustment,
} from '../../../controllers/scaling-math/step-scaling.js';

describe('scaling-math/step-scaling', () => {
  describe('selectStep', () => {
    const UP: StepAdjustment[] = [
      { MetricIntervalLowerBound: 0, MetricIntervalUpperBound: 10, ScalingAdjustment: 1 },
      { MetricIntervalLowerBound: 10, MetricIntervalUpperBound: 20, ScalingAdjustment: 2 },
      { MetricIntervalLowerBound: 20, MetricIntervalUpperBound: null, ScalingAdjustment: 3 },
    ];
    const DOWN: StepAdjustment[] = [
      { MetricIntervalLowerBound: -10, MetricIntervalUpperBound: 0, ScalingAdjustment: -1 },
      { MetricIntervalUpperBound: -10, ScalingAdjustment: -2 },
    ];
    const BOTH: StepAdjustment[] = [
      { MetricIntervalUpperBound: -5, ScalingAdjustment: -1 },
      { MetricIntervalLowerBound: -5, MetricIntervalUpperBound: 5, ScalingAdjustment: 0 },
      { MetricIntervalLowerBound: 5, ScalingAdjustment: 1 },
    ];
    const cases: [name: string, steps: StepAdjustment[], metric: number, threshold: number, want: number | undefined][] = [
      ['at the threshold: lower bound 0 is inclusive', UP, 50, 50, 1],
      ['just below an upper bound (exclusive above)', UP, 59.9, 50, 1],
      ['at a boundary above: the upper step (lower inclusive)', UP, 60, 50, 2],
      ['inside the open-ended step', UP, 70, 50, 3],
      ['far above', UP, 1000, 50, 3],
      ['below the threshold with only scale-out steps', UP, 49, 50, undefined],
      ['at the threshold: upper bound 0 is inclusive below', DOWN, 50, 50, -1],
      ['inside the first step below', DOWN, 45, 50, -1],
      ['at a boundary below: the lower step (upper inclusive)', DOWN, 40, 50, -2],
      ['far below', DOWN, -100, 50, -2],
      ['above the threshold with only scale-in steps', DOWN, 51, 50, undefined],
      ['spanning step, below side boundary −5 ⇒ upper-inclusive (−∞, −5]', BOTH, 45, 50, -1],
      ['spanning step, just inside', BOTH, 45.1, 50, 0],
      ['spanning step at the threshold', BOTH, 50, 50, 0],
      ['spanning step, above side boundary +5 ⇒ lower-inclusive [5, ∞)', BOTH, 55, 50, 1],
      ['undefined bounds mean ±∞', [{ ScalingAdjustment: 7 } as StepAdjustment], 1e9, 0, 7],
    ];
    for (const [name, steps, metric, threshold, want] of cases) {
      it(`${name}: metric ${metric}, threshold ${threshold} ⇒ ${want}`, () => {
        expect(selectStep(steps, metric, threshold)?.ScalingAdjustment).to.equal(want);
      });
    }
  });

  describe('roundPercentChange', () => {
    const cases: [number, number][] = [
      [3.3, 3], [1.9, 1], [1, 1], [0.5, 1], [0.01, 1], [0, 0], [-0.01, -1], [-0.5, -1], [-1, -1], [-1.5, -1], [-3.3, -3], [-7.9, -7],
    ];
    for (const [raw, want] of cases) it(`${raw} ⇒ ${want}`, () => expect(roundPercentChange(raw)).to.equal(want));
  });

  describe('applyAdjustment', () => {
    const cases: [current: number, type: AdjustmentType, adj: number, mam: number | undefined, want: number, why: string][] = [
      [10, 'ChangeInCapacity', 2, undefined, 12, 'add'],
      [10, 'ChangeInCapacity', -3, undefined, 7, 'remove'],
      [2, 'ChangeInCapacity', -5, undefined, -3, 'not clamped here'],
      [10, 'ExactCapacity', 4, undefined, 4, 'exact'],
      [10, 'PercentChangeInCapacity', 10, undefined, 11, '10 tasks +10% ⇒ 11'],
      [11, 'PercentChangeInCapacity', 30, undefined, 14, '+30% of 11 = 3.3 ⇒ 3 ⇒ 14'],
      [10, 'PercentChangeInCapacity', 5, undefined, 11, '0.5 ⇒ 1'],
      [10, 'PercentChangeInCapacity', -5, undefined, 9, '−0.5 ⇒ −1'],
      [10, 'PercentChangeInCapacity', -10, undefined, 9, '−1 ⇒ −1'],
      [11, 'PercentChangeInCapacity', -30, undefined, 8, '−3.3 ⇒ −3'],
      [3, 'PercentChangeInCapacity', 100, undefined, 6, 'double'],
      [10, 'PercentChangeInCapacity', 0, undefined, 10, '0% is no change'],
      [0, 'PercentChangeInCapacity', 50, undefined, 0, 'percent of 0 is 0'],
      [10, 'PercentChangeInCapacity', 10, 3, 13, 'MinAdjustmentMagnitude raises +1 to +3'],
      [10, 'PercentChangeInCapacity', -10, 3, 7, 'MinAdjustmentMagnitude raises −1 to −3'],
      [10, 'PercentChangeInCapacity', 50, 3, 15, 'MinAdjustmentMagnitude does not shrink +5'],
      [10, 'PercentChangeInCapacity', 0, 3, 10, 'MinAdjustmentMagnitude leaves 0 alone'],
      [10, 'ChangeInCapacity', 1, 3, 11, 'MinAdjustmentMagnitude applies to percent only'],
    ];
    for (const [current, type, adj, mam, want, why] of cases) {
      it(`${why}: ${current} ${type} ${adj}${mam ? ` (min ${mam})` : ''} ⇒ ${want}`, () => {
        expect(applyAdjustment(current, type, adj, mam)).to.equal(want);
      });
    }
  });

  describe('adjustedCapacity (clamped)', () => {
    const cases: [current: number, type: AdjustmentType, adj: number, min: number, max: number, want: number][] = [
      [2, 'ChangeInCapacity', -5, 1, 10, 1],
      [9, 'ChangeInCapacity', 5, 1, 10, 10],
      [10, 'ExactCapacity', 0, 2, 10, 2],
      [11, 'PercentChangeInCapacity', 30, 0, 12, 12],
    ];
    for (const [current, type, adj, min, max, want] of cases) {
      it(`${current} ${type} ${adj} in [${min}, ${max}] ⇒ ${want}`, () => {
        expect(adjustedCapacity(current, type, adj, { min, max })).to.equal(want);
      });
    }
  });

  describe('aggregate', () => {
    const cases: [values: number[], type: MetricAggregationType | undefined, want: number | undefined][] = [
      [[1, 2, 3, 4], 'Average', 2.5],
      [[1, 2, 3, 4], undefined, 2.5],
      [[1, 2, 3, 4], 'Minimum', 1],
      [[1, 2, 3, 4], 'Maximum', 4],
      [[-5], 'Minimum', -5],
      [[], 'Average', undefined],
      [[], 'Maximum', undefined],
    ];
    for (const [values, type, want] of cases) {
      it(`${type ?? 'default'} of ${JSON.stringify(values)} ⇒ ${want}`, () => expect(aggregate(values, type)).to.equal(want));
    }
  });
});
