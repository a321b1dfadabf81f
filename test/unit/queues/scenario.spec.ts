/** Scenario `queue` steps (controllers/simulation/scenario.ts): what is accepted and what is refused, naming the field. */
import { expect } from 'chai';
import { parseScenario } from '../../../controllers/simulation/scenario.js';

const parse = (queue: unknown) => parseScenario({ apiVersion: 'ecsplane.io/v1alpha1', kind: 'Scenario', metadata: { name: 's' }, spec: { steps: [{ at: '1m', queue }] } } as any);

describe('scenario queue steps', () => {
  it('send: a count at once', () => expect(parse({ name: 'orders', send: 500 }).steps[0].queue).to.deep.equal({ name: 'orders', send: 500 }));
  it('ratePerSecond for a duration', () => expect(parse({ name: 'orders', ratePerSecond: 20, for: '10m' }).steps[0].queue).to.deep.equal({ name: 'orders', ratePerSecond: 20, forMs: 600_000 }));
  it('send with its own DelaySeconds', () => expect(parse({ name: 'orders', send: 1, delaySeconds: 900 }).steps[0].queue).to.include({ delaySeconds: 900 }));
  const bad: Array<[string, unknown, RegExp]> = [
    ['no name', { send: 1 }, /spec\.steps\[0\]\.queue\.name is required/],
    ['both send and rate', { name: 'q', send: 1, ratePerSecond: 1, for: '1m' }, /give exactly one of send or ratePerSecond/],
    ['neither', { name: 'q' }, /give exactly one of send or ratePerSecond/],
    ['a fractional send', { name: 'q', send: 1.5 }, /queue\.send must be an integer above 0/],
    ['a huge send', { name: 'q', send: 1e12 }, /at most 100000000/],
    ['a rate without for', { name: 'q', ratePerSecond: 5 }, /queue\.for is required with ratePerSecond/],
    ['for without a rate', { name: 'q', send: 5, for: '1m' }, /queue\.for only goes with ratePerSecond/],
    ['a bad duration', { name: 'q', ratePerSecond: 5, for: 'soon' }, /queue\.for/],
    ['DelaySeconds over 900', { name: 'q', send: 1, delaySeconds: 901 }, /0 to 900/],
    ['DelaySeconds with a rate', { name: 'q', ratePerSecond: 1, for: '1m', delaySeconds: 5 }, /delaySeconds only goes with send/],
    ['an unknown field', { name: 'q', send: 1, count: 2 }, /queue\.count: unknown field/],
    ['not an object', 'orders', /queue must be an object/],
  ];
  for (const [what, q, want] of bad) it(`refused: ${what}`, () => expect(() => parse(q)).to.throw(want));
});
