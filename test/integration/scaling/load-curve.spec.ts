/**
 * A daily load curve (Scenario `load` with `curve`, issue #16) through every loop: target tracking
 * scales the service out towards the afternoon peak and back in at night; the same seed gives the
 * same day.
 */
import { expect } from 'chai';
import { makeKey } from '../../../api/meta.js';
import { dayDocs } from '../../bench/day.js';
import { Stepper } from './helpers.js';

const H = 3600_000;

function desiredByHour(services: number): number[][] {
  const s = new Stepper(dayDocs(services));
  const out: number[][] = [];
  for (let h = 1; h <= 24; h++) {
    s.to(h * H);
    out.push(Array.from({ length: services }, (_, i) => s.desired(makeKey('day', `svc-${String(i).padStart(3, '0')}`))));
  }
  return out;
}

describe('scenario: a daily load curve drives target tracking', function () {
  this.timeout(60_000);

  it('scales out towards the peak (its peak at 12:00) and back in at night, the same way for the same seed', () => {
    const a = desiredByHour(1);
    const svc0 = a.map((hour) => hour[0]);
    const night = Math.max(svc0[2], svc0[3], svc0[4]); // 03:00-05:00, near the trough (peak at 12:00)
    const peak = Math.max(...svc0.slice(10, 15));
    expect(night).to.equal(2); // MinCapacity at night
    expect(peak).to.be.at.least(4); // above the daytime floor of 3 (scheduled action): the curve did it
    expect(svc0[23]).to.be.lessThan(peak); // back down by midnight
    expect(desiredByHour(1)).to.deep.equal(a);
  });
});
