/** CloudWatch alarm evaluation (controllers/alarms/evaluate.ts): M of N and TreatMissingData, table-tested. */
import { expect } from 'chai';
import { aggregatePeriod, evaluateMetricAlarm, type AlarmStateValue, type TreatMissingData } from '../../../controllers/alarms/evaluate.js';

const cfg = (n: number, m: number, treat: TreatMissingData = 'missing') => ({ evaluationPeriods: n, datapointsToAlarm: m, threshold: 10, comparison: 'GreaterThanThreshold' as const, treatMissingData: treat });
const _ = null;

describe('alarm evaluation', () => {
  const cases: Array<[string, (number | null)[], ReturnType<typeof cfg>, AlarmStateValue, AlarmStateValue]> = [
    ['3 of 3 breaching', [11, 12, 13], cfg(3, 3), 'OK', 'ALARM'],
    ['2 of 3 breaching, 3 needed', [11, 5, 13], cfg(3, 3), 'ALARM', 'OK'],
    ['2 of 3 breaching, 2 needed (M of N)', [11, 5, 13], cfg(3, 2), 'OK', 'ALARM'],
    ['the threshold itself does not breach GreaterThan', [10, 10, 10], cfg(3, 1), 'ALARM', 'OK'],
    ['only the newest N count', [20, 20, 1, 1, 1], cfg(3, 1), 'ALARM', 'OK'],
    ['all missing, missing → INSUFFICIENT_DATA', [_, _, _], cfg(3, 3), 'OK', 'INSUFFICIENT_DATA'],
    ['all missing, breaching → ALARM', [_, _, _], cfg(3, 3, 'breaching'), 'OK', 'ALARM'],
    ['all missing, notBreaching → OK', [_, _, _], cfg(3, 3, 'notBreaching'), 'ALARM', 'OK'],
    ['all missing, ignore → state kept', [_, _, _], cfg(3, 3, 'ignore'), 'ALARM', 'ALARM'],
    ['one missing, enough real ones further back: evaluated on real data', [20, 20, 20, _, 20], cfg(3, 3, 'notBreaching'), 'OK', 'ALARM'],
    ['one missing, breaching fills it', [20, _, 20], cfg(3, 3, 'breaching'), 'OK', 'ALARM'],
    ['one missing, notBreaching fills it', [20, _, 20], cfg(3, 3, 'notBreaching'), 'ALARM', 'OK'],
    ['missing with a real good datapoint → OK', [_, _, 5], cfg(3, 2), 'ALARM', 'OK'],
    ['missing with too few real breaching ones → state kept', [_, _, 50], cfg(3, 2), 'OK', 'OK'],
    ['a short history counts as missing', [50], cfg(3, 3, 'breaching'), 'OK', 'ALARM'],
  ];
  for (const [what, history, c, from, want] of cases) {
    it(`${what}: ${from} → ${want}`, () => expect(evaluateMetricAlarm(history, c, from).state).to.equal(want));
  }
  it('the reason names the datapoints, as CloudWatch StateReason does', () => {
    expect(evaluateMetricAlarm([11, 12, 13], cfg(3, 3), 'OK').reason).to.equal(
      'Threshold Crossed: 3 out of the last 3 datapoints [11, 12, 13] were greater than the threshold (10) (minimum 3 datapoints for OK -> ALARM transition).',
    );
  });
  const stats: Array<[string, number | null]> = [['Average', 2], ['Sum', 6], ['Minimum', 1], ['Maximum', 3], ['SampleCount', 3]];
  for (const [stat, want] of stats) it(`period statistic ${stat}`, () => expect(aggregatePeriod([1, 2, 3], stat)).to.equal(want));
  it('a period without samples is missing', () => expect(aggregatePeriod([], 'Sum')).to.equal(null));
});
