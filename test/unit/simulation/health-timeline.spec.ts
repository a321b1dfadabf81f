/**
 * Health over time (api/sim-timeline.ts) through Docker's container health check and ELB's target
 * health check: table tests of the states at given instants and the next change.
 */
import { expect } from 'chai';
import { constantHealth, parseHealthTimeline } from '../../../api/sim-timeline.js';
import { containerHealthAt } from '../../../controllers/task/health.js';
import { targetStateAt } from '../../../controllers/load-balancer/targets.js';
import type { TargetGroupSpec } from '../../../api/v1alpha1/types.js';

const S = 1000;
const M = 60 * S;

describe('health timelines', () => {
  it('parses the documented forms', () => {
    expect(parseHealthTimeline('healthy')).to.deep.equal(constantHealth('healthy'));
    expect(parseHealthTimeline('healthy for 10m, then unhealthy')).to.deep.equal({
      segments: [{ outcome: 'healthy', forMs: 10 * M }, { outcome: 'unhealthy' }],
      repeat: false,
    });
    expect(parseHealthTimeline('healthy for 2m, then unhealthy for 30s, repeat')).to.deep.equal({
      segments: [{ outcome: 'healthy', forMs: 2 * M }, { outcome: 'unhealthy', forMs: 30 * S }],
      repeat: true,
    });
  });

  const bad: Array<[string, RegExp]> = [
    ['sick', /is not "healthy", "unhealthy"/],
    ['healthy, then unhealthy', /needs "for <duration>"/],
    ['healthy for 1m, then unhealthy, repeat', /needs "for <duration>"/],
    ['healthy for 0s, then unhealthy', /must be positive/],
    ['healthy for soon, then unhealthy', /duration/],
  ];
  for (const [text, why] of bad) it(`refuses ${JSON.stringify(text)}`, () => expect(() => parseHealthTimeline(text)).to.throw(why));
});

describe('container health checks over a timeline (Docker semantics)', () => {
  const hc = { command: ['CMD-SHELL', 'true'], interval: 30, retries: 3, startPeriod: 0 };
  const rows: Array<[string, string, number, string, number | undefined]> = [
    // timeline, at (s after start) → status, the next look (s after start; the change itself or a stretch boundary before it)
    ['healthy', '', 29, 'UNKNOWN', 30],
    ['healthy', '', 30, 'HEALTHY', undefined],
    ['unhealthy', '', 60, 'UNKNOWN', 90],
    ['unhealthy', '', 90, 'UNHEALTHY', undefined],
    // healthy for 10m: checks at 600 s onwards fail; the third failure (660 s) → UNHEALTHY.
    ['healthy for 10m, then unhealthy', '', 599, 'HEALTHY', 660],
    ['healthy for 10m, then unhealthy', '', 600, 'HEALTHY', 660],
    ['healthy for 10m, then unhealthy', '', 660, 'UNHEALTHY', undefined],
    // flapping: 2 m passing, 2 m failing: failing checks at 120,150,180 → UNHEALTHY at 180; a pass at 240 → HEALTHY.
    ['healthy for 2m, then unhealthy for 2m, repeat', '', 179, 'HEALTHY', 180],
    ['healthy for 2m, then unhealthy for 2m, repeat', '', 180, 'UNHEALTHY', 240],
    ['healthy for 2m, then unhealthy for 2m, repeat', '', 240, 'HEALTHY', 360],
    ['healthy for 2m, then unhealthy for 2m, repeat', '', 86_400, 'HEALTHY', 86_400 + 120],
    // failures shorter than retries never show
    ['healthy for 2m, then unhealthy for 1m, repeat', '', 170, 'HEALTHY', 300],
  ];
  for (const [text, , at, status, next] of rows) {
    it(`${text} @${at}s → ${status}${next === undefined ? '' : `, next ${next}s`}`, () => {
      const h = containerHealthAt(hc, parseHealthTimeline(text), 0, at * S);
      expect(h.status).to.equal(status);
      if (next === undefined) expect(h.nextChangeAt).to.equal(undefined);
      else expect(h.nextChangeAt! / S).to.be.at.most(next).and.above(at);
    });
  }

  it('a failure inside startPeriod does not count', () => {
    const withStart = { ...hc, startPeriod: 60 };
    // checks at 30, 60 are in the start period; counted failures at 90, 120, 150 → UNHEALTHY at 150 s.
    expect(containerHealthAt(withStart, constantHealth('unhealthy'), 0, 149 * S).status).to.equal('UNKNOWN');
    expect(containerHealthAt(withStart, constantHealth('unhealthy'), 0, 150 * S).status).to.equal('UNHEALTHY');
  });
});

describe('ELB target health over a timeline', () => {
  const tg: TargetGroupSpec = { Name: 'web', Protocol: 'HTTP', Port: 80, HealthCheckIntervalSeconds: 10, HealthyThresholdCount: 3, UnhealthyThresholdCount: 2 } as TargetGroupSpec;
  const at = (text: string, s: number) => targetStateAt({ tg, startedAt: 0, timeline: parseHealthTimeline(text), now: s * S });
  const rows: Array<[string, number, string]> = [
    ['healthy', 9, 'initial'],
    ['healthy', 10, 'healthy'], // a newly registered target is healthy after its first passing check
    ['unhealthy', 10, 'initial'],
    ['unhealthy', 20, 'unhealthy'], // UnhealthyThresholdCount failures
    ['healthy for 1m, then unhealthy', 60, 'healthy'], // one failure (at 60 s): still in service
    ['healthy for 1m, then unhealthy', 70, 'unhealthy'], // the second consecutive failure
    ['unhealthy for 1m, then healthy', 60, 'unhealthy'], // the first pass (60 s) …
    ['unhealthy for 1m, then healthy', 70, 'unhealthy'],
    ['unhealthy for 1m, then healthy', 80, 'healthy'], // … HealthyThresholdCount passes put it back
    ['healthy for 30s, then unhealthy for 10s, repeat', 600, 'healthy'], // one failure at a time never reaches 2
  ];
  for (const [text, s, state] of rows) it(`${text} @${s}s → ${state}`, () => expect(at(text, s).state).to.equal(state));

  it('names the next change', () => {
    expect(at('healthy for 1m, then unhealthy', 30).nextChangeAt).to.equal(60 * S); // conservative: the stretch boundary
    expect(at('healthy for 1m, then unhealthy', 60).nextChangeAt).to.equal(70 * S);
    expect(at('healthy', 10).nextChangeAt).to.equal(undefined);
  });

  it('drains once the task stops, then is unused', () => {
    const base = { tg: { ...tg, DeregistrationDelay: 30 } as TargetGroupSpec, startedAt: 0, stoppingAt: 100 * S, timeline: constantHealth('healthy') };
    expect(targetStateAt({ ...base, now: 110 * S })).to.deep.equal({ state: 'draining', nextChangeAt: 130 * S });
    expect(targetStateAt({ ...base, now: 130 * S }).state).to.equal('unused');
  });
});
