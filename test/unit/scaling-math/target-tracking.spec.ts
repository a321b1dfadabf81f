import { expect } from 'chai';
import { ceilTolerant, clampCapacity, floorTolerant } from '../../../controllers/scaling-math/common.js';
import {
  applyCooldowns,
  combinePolicyProposals,
  consecutiveBreaching,
  evaluateAlarm,
  evaluateTargetTracking,
  targetTrackingDesired,
  type AlarmComparison,
  type CooldownInput,
  type TargetTrackingInput,
} from '../../../controllers/scaling-math/target-tracking.js';

describe('scaling-math/target-tracking', () => {
  describe('common helpers', () => {
    const ceil: [number, number][] = [[11.000000000000002, 11], [(0.1 + 0.2) * 10, 3], [3.5, 4], [-0.5, -0], [7, 7]];
    for (const [x, want] of ceil) it(`ceilTolerant(${x}) = ${want}`, () => expect(ceilTolerant(x)).to.equal(want));
    const floor: [number, number][] = [[10.999999999999998, 11], [3.5, 3], [0.7 * 10, 7]];
    for (const [x, want] of floor) it(`floorTolerant(${x}) = ${want}`, () => expect(floorTolerant(x)).to.equal(want));
    const clamp: [number, number, number, number][] = [[5, 1, 10, 5], [0, 1, 10, 1], [11, 1, 10, 10], [5, 6, 4, 4]];
    for (const [v, lo, hi, want] of clamp) it(`clampCapacity(${v}, ${lo}, ${hi}) = ${want}`, () => expect(clampCapacity(v, lo, hi)).to.equal(want));
  });

  describe('targetTrackingDesired', () => {
    const base = { min: 0, max: 100 };
    const cases: [name: string, input: Omit<TargetTrackingInput, 'min' | 'max'> & Partial<TargetTrackingInput>, want: number][] = [
      ['scale-out is proportional: 10 × 75/50', { current: 10, metric: 75, target: 50 }, 15],
      ['scale-out rounds up: 10 × 55/50 = 11', { current: 10, metric: 55, target: 50 }, 11],
      ['barely above target adds one', { current: 10, metric: 50.0001, target: 50 }, 11],
      ['3 × 70/60 = 3.5 ⇒ 4', { current: 3, metric: 70, target: 60 }, 4],
      ['at target: no change', { current: 10, metric: 50, target: 50 }, 10],
      ['between 90% and 100% of target: no change', { current: 10, metric: 46, target: 50 }, 10],
      ['exactly 90% of target: no change', { current: 10, metric: 45, target: 50 }, 10],
      ['below 90%: proportional when within the gradual limit', { current: 10, metric: 44, target: 50 }, 9],
      ['below 90%: at most max(1, 10%) per step (10 ⇒ 9)', { current: 10, metric: 10, target: 50 }, 9],
      ['below 90%: 100 ⇒ 90', { current: 100, metric: 10, target: 50 }, 90],
      ['below 90%: 5 ⇒ 4 (at least one)', { current: 5, metric: 10, target: 50 }, 4],
      ['below 90%: 1 ⇒ 1 (ceil keeps one task)', { current: 1, metric: 10, target: 50 }, 1],
      ['metric 0 still scales in gradually', { current: 20, metric: 0, target: 50 }, 18],
      ['DisableScaleIn', { current: 10, metric: 10, target: 50, disableScaleIn: true }, 10],
      ['DisableScaleIn still scales out', { current: 10, metric: 100, target: 50, disableScaleIn: true }, 20],
      ['clamped to max', { current: 10, metric: 200, target: 50, max: 20 }, 20],
      ['clamped to min on scale-in', { current: 10, metric: 10, target: 50, min: 10 }, 10],
      ['current below min is raised', { current: 1, metric: 50, target: 50, min: 2 }, 2],
      ['current 0 stays 0 (no metric without tasks)', { current: 0, metric: 90, target: 50 }, 0],
      ['current 0 with min 1 ⇒ 1', { current: 0, metric: 90, target: 50, min: 1 }, 1],
    ];
    for (const [name, input, want] of cases) {
      it(`${name} ⇒ ${want}`, () => expect(targetTrackingDesired({ ...base, ...input })).to.equal(want));
    }
  });

  describe('evaluateAlarm', () => {
    const cases: [name: string, points: (number | null)[], threshold: number, cmp: AlarmComparison, periods: number, want: string][] = [
      ['3 above', [60, 60, 60], 50, 'GreaterThanThreshold', 3, 'ALARM'],
      ['one dip breaks the streak', [60, 40, 60], 50, 'GreaterThanThreshold', 3, 'OK'],
      ['only the trailing window counts', [40, 60, 60, 60], 50, 'GreaterThanThreshold', 3, 'ALARM'],
      ['older breaches do not count', [60, 60, 60, 40], 50, 'GreaterThanThreshold', 3, 'OK'],
      ['too few datapoints', [60, 60], 50, 'GreaterThanThreshold', 3, 'INSUFFICIENT_DATA'],
      ['missing datapoint does not breach', [60, null, 60, 60], 50, 'GreaterThanThreshold', 3, 'OK'],
      ['NaN does not breach', [60, Number.NaN, 60], 50, 'GreaterThanThreshold', 3, 'OK'],
      ['equal is not greater', [50, 50, 50], 50, 'GreaterThanThreshold', 3, 'OK'],
      ['equal is greater-or-equal', [50, 50, 50], 50, 'GreaterThanOrEqualToThreshold', 3, 'ALARM'],
      ['low alarm: 15 below 45', Array(15).fill(44), 45, 'LessThanThreshold', 15, 'ALARM'],
      ['low alarm: 14 are not enough', Array(14).fill(44), 45, 'LessThanThreshold', 15, 'INSUFFICIENT_DATA'],
      ['low alarm: one at 45 breaks it', [...Array(14).fill(44), 45], 45, 'LessThanThreshold', 15, 'OK'],
      ['less-or-equal', [45, 45], 45, 'LessThanOrEqualToThreshold', 2, 'ALARM'],
    ];
    for (const [name, points, threshold, cmp, periods, want] of cases) {
      it(`${name} ⇒ ${want}`, () => expect(evaluateAlarm(points, threshold, cmp, periods)).to.equal(want));
    }
  });

  describe('consecutiveBreaching', () => {
    const cases: [points: (number | null)[], want: number][] = [
      [[], 0],
      [[80, 80], 2],
      [[95, 80, 80, 80], 3],
      [[80, null, 80], 1],
      [[80, 95], 0],
    ];
    for (const [points, want] of cases) {
      it(`${JSON.stringify(points)} below 90 ⇒ ${want}`, () => expect(consecutiveBreaching(points, 90, 'LessThanThreshold')).to.equal(want));
    }
  });

  describe('evaluateTargetTracking', () => {
    const common = { current: 10, target: 50, min: 1, max: 100 };
    const cases: [name: string, points: number[], disableScaleIn: boolean, high: string, low: string, proposed: number | null][] = [
      ['high alarm after 3 minutes, uses the latest datapoint', [70, 80, 100], false, 'ALARM', 'INSUFFICIENT_DATA', 20],
      ['2 minutes high: nothing yet', [50, 80, 100], false, 'OK', 'INSUFFICIENT_DATA', null],
      ['low alarm after 15 minutes below 90%', Array(15).fill(20), false, 'OK', 'ALARM', 9],
      ['14 minutes low: nothing yet', [50, ...Array(14).fill(20)], false, 'OK', 'OK', null],
      ['DisableScaleIn: no low alarm', Array(15).fill(20), true, 'OK', 'OK', null],
    ];
    for (const [name, points, disableScaleIn, high, low, proposed] of cases) {
      it(name, () => {
        expect(evaluateTargetTracking({ ...common, datapoints: points, disableScaleIn })).to.deep.equal({
          highAlarm: high,
          lowAlarm: low,
          proposed,
        });
      });
    }
  });

  describe('applyCooldowns', () => {
    const T0 = Date.parse('2024-06-01T12:00:00Z');
    const s = (seconds: number): number => T0 + seconds * 1000;
    const cases: [name: string, input: Omit<CooldownInput, 'now'> & { now?: number }, desired: number, allowed: boolean, reason: string][] = [
      ['no history: scale-out', { current: 5, proposed: 8 }, 8, true, 'scale-out'],
      ['no history: scale-in', { current: 5, proposed: 4 }, 4, true, 'scale-in'],
      ['no change', { current: 5, proposed: 5 }, 5, true, 'no-change'],
      ['in scale-out cooldown: same-size scale-out blocked', { now: s(100), lastScaleOutAt: T0, lastScaleOutTarget: 8, current: 8, proposed: 8 }, 8, true, 'no-change'],
      ['in scale-out cooldown: smaller scale-out blocked', { now: s(100), lastScaleOutAt: T0, lastScaleOutTarget: 10, current: 8, proposed: 9 }, 8, false, 'scale-out-cooldown'],
      ['in scale-out cooldown: equal target blocked', { now: s(100), lastScaleOutAt: T0, lastScaleOutTarget: 10, current: 8, proposed: 10 }, 8, false, 'scale-out-cooldown'],
      ['in scale-out cooldown: larger scale-out proceeds', { now: s(100), lastScaleOutAt: T0, lastScaleOutTarget: 10, current: 10, proposed: 12 }, 12, true, 'scale-out'],
      ['scale-out cooldown expires at exactly 300 s', { now: s(300), lastScaleOutAt: T0, lastScaleOutTarget: 10, current: 8, proposed: 9 }, 9, true, 'scale-out'],
      ['custom ScaleOutCooldown 60 s', { now: s(61), lastScaleOutAt: T0, lastScaleOutTarget: 10, current: 8, proposed: 9, scaleOutCooldownS: 60 }, 9, true, 'scale-out'],
      ['scale-out cooldown does not block scale-in', { now: s(10), lastScaleOutAt: T0, lastScaleOutTarget: 10, current: 10, proposed: 9 }, 9, true, 'scale-in'],
      ['in scale-in cooldown: scale-in blocked', { now: s(100), lastScaleInAt: T0, current: 9, proposed: 8 }, 9, false, 'scale-in-cooldown'],
      ['scale-in cooldown expires at exactly 300 s', { now: s(300), lastScaleInAt: T0, current: 9, proposed: 8 }, 8, true, 'scale-in'],
      ['custom ScaleInCooldown 600 s', { now: s(400), lastScaleInAt: T0, current: 9, proposed: 8, scaleInCooldownS: 600 }, 9, false, 'scale-in-cooldown'],
      ['in scale-in cooldown: scale-out proceeds immediately', { now: s(10), lastScaleInAt: T0, current: 9, proposed: 12 }, 12, true, 'scale-out'],
      ['a scale-out cancels the scale-in cooldown', { now: s(120), lastScaleInAt: T0, lastScaleOutAt: s(60), lastScaleOutTarget: 12, current: 12, proposed: 11 }, 11, true, 'scale-in'],
      ['a scale-out before the scale-in does not cancel it', { now: s(120), lastScaleOutAt: s(-60), lastScaleOutTarget: 12, lastScaleInAt: T0, current: 11, proposed: 10 }, 11, false, 'scale-in-cooldown'],
    ];
    for (const [name, input, desired, allowed, reason] of cases) {
      it(name, () => {
        expect(applyCooldowns({ now: T0, ...input })).to.deep.equal({ desired, allowed, reason });
      });
    }
  });

  describe('combinePolicyProposals', () => {
    const cases: [current: number, proposals: (number | null)[], want: number, why: string][] = [
      [10, [12, 8], 12, 'any one may scale out'],
      [10, [12, 15, null], 15, 'the largest scale-out wins'],
      [10, [8, 9], 9, 'all agree to scale in: the largest capacity wins'],
      [10, [9], 9, 'a single policy scales in'],
      [10, [8, null], 10, 'a policy without a proposal blocks scale-in'],
      [10, [10, 8], 10, 'a policy at current capacity blocks scale-in'],
      [10, [null, null], 10, 'no proposals'],
      [10, [], 10, 'no policies'],
    ];
    for (const [current, proposals, want, why] of cases) {
      it(`${why}: ${current}, ${JSON.stringify(proposals)} ⇒ ${want}`, () => {
        expect(combinePolicyProposals(current, proposals)).to.equal(want);
      });
    }
  });
});
