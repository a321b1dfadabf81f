/** Scenario documents (controllers/simulation/scenario.ts): the new fields and their errors. */
import { expect } from 'chai';
import { parseScenario } from '../../../controllers/simulation/scenario.js';

const doc = (spec: any) => ({ apiVersion: 'ecsplane.io/v1alpha1', kind: 'Scenario', metadata: { name: 's' }, spec }) as any;

describe('Scenario parsing', () => {
  it('reads spec.start (a string or the Date YAML makes of an unquoted timestamp)', () => {
    expect(parseScenario(doc({ start: '2026-03-08T06:55:00Z' })).startMs).to.equal(Date.UTC(2026, 2, 8, 6, 55));
    expect(parseScenario(doc({ start: '2026-03-08T01:55:00-05:00' })).startMs).to.equal(Date.UTC(2026, 2, 8, 6, 55));
    expect(parseScenario(doc({ start: new Date(Date.UTC(2026, 2, 8)) })).startMs).to.equal(Date.UTC(2026, 2, 8));
    expect(parseScenario(doc({})).startMs).to.equal(undefined);
  });

  const bad: Array<[any, RegExp]> = [
    [{ start: '2026-03-08' }, /spec.start must be an ISO 8601 time with a zone/],
    [{ start: '2026-03-08T06:55:00' }, /with a zone/],
    [{ start: '1970-01-01T00:00:00Z' }, /between 2000 and 2100/],
    [{ steps: [{ task: { service: 'web', action: 'oom', exitCode: 3 } }] }, /task.exitCode is for action crash/],
    [{ steps: [{ task: { service: 'web', action: 'crash', exitCode: 256 } }] }, /task.exitCode must be an integer 0-255/],
    [{ steps: [{ task: { service: 'web', action: 'crash', reason: 'x' } }] }, /task.reason is for action stop/],
    [{ steps: [{ task: { service: 'web', action: 'stop', reason: '' } }] }, /task.reason must be a text of 1-255/],
    [{ steps: [{ task: { service: 'web', action: 'stop', container: 'app' } }] }, /task.container names a container, for actions crash and oom/],
    [{ steps: [{ task: { service: 'web', action: 'crash', count: 0 } }] }, /task.count must be an integer 1-10000/],
    [{ steps: [{ task: { service: 'web', action: 'explode' } }] }, /task.action must be one of crash, oom, stop, spot-interruption/],
  ];
  for (const [spec, why] of bad) it(`refuses ${JSON.stringify(spec)}`, () => expect(() => parseScenario(doc(spec))).to.throw(why));

  it('accepts the task action fields', () => {
    const s = parseScenario(doc({ steps: [{ at: '1m', task: { service: 'web', action: 'crash', exitCode: 3, container: 'sidecar' } }, { at: '2m', task: { service: 'web', action: 'stop', reason: 'maintenance' } }] }));
    expect(s.steps.map((x) => x.task)).to.deep.equal([
      { service: 'web', action: 'crash', exitCode: 3, container: 'sidecar' },
      { service: 'web', action: 'stop', reason: 'maintenance' },
    ]);
  });
});
