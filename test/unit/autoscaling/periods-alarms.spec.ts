/** One-minute periods (controllers/autoscaling/periods.ts) and step-scaling alarm annotations (alarms.ts). */
import { expect } from 'chai';
import { appendDatapoint, datapointDue, periodStart, untilNextPeriod } from '../../../controllers/autoscaling/periods.js';
import { parseStepAlarm } from '../../../controllers/autoscaling/alarms.js';

const T0 = Date.UTC(2026, 0, 1);
const MIN = 60_000;
const t = (m: number) => new Date(T0 + m * MIN).toISOString();

describe('one-minute periods', () => {
  it('period start and time to the next boundary', () => {
    expect(periodStart(T0 + 59_999)).to.equal(T0);
    expect(untilNextPeriod(T0)).to.equal(MIN);
    expect(untilNextPeriod(T0 + 15_000)).to.equal(45_000);
  });
  it('appends one datapoint per period, never twice', () => {
    const a = appendDatapoint(undefined, T0 + 5_000, 10, 15);
    expect(a).to.deep.equal([{ t: t(0), v: 10 }]);
    expect(appendDatapoint(a, T0 + 50_000, 99, 15)).to.deep.equal(a);
    expect(datapointDue(a, T0 + 50_000)).to.equal(false);
    expect(datapointDue(a, T0 + MIN)).to.equal(true);
    expect(appendDatapoint(a, T0 + MIN, 20, 15)).to.deep.equal([{ t: t(0), v: 10 }, { t: t(1), v: 20 }]);
  });
  it('fills periods missed while the loop was down with null (missing data breaks alarm streaks)', () => {
    const a = appendDatapoint([{ t: t(0), v: 10 }], T0 + 3 * MIN, 30, 15);
    expect(a).to.deep.equal([{ t: t(0), v: 10 }, { t: t(1), v: null }, { t: t(2), v: null }, { t: t(3), v: 30 }]);
  });
  it('keeps the newest `keep`', () => {
    let s = appendDatapoint(undefined, T0, 0, 3);
    for (let m = 1; m <= 5; m++) s = appendDatapoint(s, T0 + m * MIN, m, 3);
    expect(s.map((d) => d.v)).to.deep.equal([3, 4, 5]);
  });
});

describe('step scaling alarm annotation (sim.ecsplane.io/alarm)', () => {
  const ok: Array<[string, object]> = [
    ['ECSServiceAverageCPUUtilization > 70 for 3 datapoints', { metric: 'ECSServiceAverageCPUUtilization', comparison: 'GreaterThanThreshold', threshold: 70, datapoints: 3 }],
    ['ECSServiceAverageMemoryUtilization <= 20.5', { metric: 'ECSServiceAverageMemoryUtilization', comparison: 'LessThanOrEqualToThreshold', threshold: 20.5, datapoints: 1 }],
    ['ALBRequestCountPerTarget>=1000 for 1 datapoint', { metric: 'ALBRequestCountPerTarget', comparison: 'GreaterThanOrEqualToThreshold', threshold: 1000, datapoints: 1 }],
    ['  ECSServiceAverageCPUUtilization < 30 FOR 15 DATAPOINTS ', { metric: 'ECSServiceAverageCPUUtilization', comparison: 'LessThanThreshold', threshold: 30, datapoints: 15 }],
  ];
  for (const [text, want] of ok) it(`parses ${JSON.stringify(text)}`, () => expect(parseStepAlarm(text)).to.deep.equal(want));
  const bad: Array<[string, RegExp]> = [
    ['CPU > 70', /unknown metric CPU/],
    ['ECSServiceAverageCPUUtilization = 70', /cannot parse alarm/],
    ['ECSServiceAverageCPUUtilization > 70 for 0 datapoints', /datapoints must be 1–60/],
    ['', /cannot parse alarm/],
  ];
  for (const [text, msg] of bad) it(`rejects ${JSON.stringify(text)}`, () => expect(() => parseStepAlarm(text)).to.throw(msg));
});
