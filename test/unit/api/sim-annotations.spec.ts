/** `sim.ecsplane.io/*` annotations are checked at admission (api/sim.ts SIM_KNOBS) and named by their field path. */
import { expect } from 'chai';
import { validationErrors } from '../../../api/validate.js';
import { KINDS } from '../../../api/v1alpha1/index.js';
import { API_VERSION, ec2Td } from './helpers.js';

const td = (annotations: Record<string, unknown>) => ({ apiVersion: API_VERSION, kind: 'TaskDefinition', metadata: { name: 'web', annotations }, spec: ec2Td() });
const field = (key: string) => `metadata.annotations["${key}"]`;

describe('simulation annotations', () => {
  const valid: Array<[string, string]> = [
    ['sim.ecsplane.io/start-delay', '5s'],
    ['sim.ecsplane.io/start-delay', '1h30m'],
    ['sim.ecsplane.io/start-delay', '0'],
    ['sim.ecsplane.io/exit-after', '500ms'],
    ['sim.ecsplane.io/exit-code', '0'],
    ['sim.ecsplane.io/exit-code', '137'],
    ['sim.ecsplane.io/exit-code', '255'],
    ['sim.ecsplane.io/health', 'healthy'],
    ['sim.ecsplane.io/health', 'unhealthy'],
    ['sim.ecsplane.io/fail-start', 'CannotPullContainerError: not found'],
    ['sim.ecsplane.io/stop-delay', '7d'],
  ];
  for (const [key, value] of valid) {
    it(`accepts ${key}: ${value}`, () => expect(validationErrors(td({ [key]: value }))).to.deep.equal([]));
  }

  const invalid: Array<[string, unknown, RegExp]> = [
    ['sim.ecsplane.io/health', 'bogus', /"bogus" is not "healthy", "unhealthy" or "<healthy\|unhealthy> for <duration>"/],
    ['sim.ecsplane.io/health', 'Healthy', /"Healthy" is not "healthy"/],
    ['sim.ecsplane.io/start-delay', 'soon', /not a duration/],
    ['sim.ecsplane.io/start-delay', '-5s', /not a duration/],
    ['sim.ecsplane.io/start-delay', '8d', /longer than the 7d/],
    ['sim.ecsplane.io/stop-delay', '1e400', /not a duration/],
    ['sim.ecsplane.io/exit-after', '', /not a duration/],
    ['sim.ecsplane.io/exit-code', '256', /integer 0-255/],
    ['sim.ecsplane.io/exit-code', '-1', /integer 0-255/],
    ['sim.ecsplane.io/exit-code', '1.5', /integer 0-255/],
    ['sim.ecsplane.io/exit-code', 'one', /integer 0-255/],
    ['sim.ecsplane.io/fail-start', '', /must not be empty/],
    ['sim.ecsplane.io/fail-start', '   ', /must not be empty/],
    ['sim.ecsplane.io/fail-start', 'x'.repeat(256), /at most 255 characters/],
    ['sim.ecsplane.io/helth', 'healthy', /Unknown simulation annotation "sim.ecsplane.io\/helth"; TaskDefinition takes sim.ecsplane.io\/start-delay/],
  ];
  for (const [key, value, message] of invalid) {
    it(`refuses ${key}: ${JSON.stringify(value).slice(0, 30)} (ClientException at ${field(key)})`, () => {
      const errors = validationErrors(td({ [key]: value }));
      const hit = errors.find((e) => e.field === field(key) && message.test(e.bareMessage));
      expect(hit, errors.map((e) => e.message).join('\n')).to.not.equal(undefined);
      expect(hit!.type).to.equal('ClientException');
    });
  }

  it('annotation values are strings: an unquoted number is refused with a hint', () => {
    const errors = validationErrors(td({ 'sim.ecsplane.io/exit-code': 3 }));
    expect(errors.map((e) => [e.field, e.bareMessage])).to.deep.include([field('sim.ecsplane.io/exit-code'), 'Values are strings: quote 3.']);
  });

  const otherKinds: Array<[string, string, string, string]> = [
    ['AutoScalingGroup', 'sim.ecsplane.io/launch-delay', '90s', 'forever'],
    ['ContainerInstance', 'sim.ecsplane.io/agent', 'disconnected', 'gone'],
    ['ContainerInstance', 'sim.ecsplane.io/ec2-state', 'terminated', 'exploded'],
    ['ScalingPolicy', 'sim.ecsplane.io/alarm-name', 'cpu-high', ''],
  ];
  for (const [kind, key, good, bad] of otherKinds) {
    it(`${kind} takes ${key} (${good}; not ${JSON.stringify(bad)})`, () => {
      const obj = (v: string) => ({ apiVersion: API_VERSION, kind, metadata: { name: 'x', annotations: { [key]: v } }, spec: {} });
      expect(validationErrors(obj(good)).filter((e) => e.field === field(key))).to.deep.equal([]);
      expect(validationErrors(obj(bad)).filter((e) => e.field === field(key))).to.have.length(1);
    });
  }

  it('kinds without knobs refuse any sim.ecsplane.io/ annotation, naming the key', () => {
    const obj = { apiVersion: API_VERSION, kind: 'Service', metadata: { name: 'web', annotations: { 'sim.ecsplane.io/health': 'healthy' } }, spec: { desiredCount: 1, taskDefinition: 'web' } };
    const errors = validationErrors(obj);
    expect(errors.map((e) => [e.type, e.field, e.bareMessage])).to.deep.include([
      KINDS.Service.errorType,
      field('sim.ecsplane.io/health'),
      'Unknown simulation annotation "sim.ecsplane.io/health"; Service takes no simulation annotations.',
    ]);
  });

  it('other annotations follow Kubernetes key rules; values are free text', () => {
    expect(validationErrors(td({ 'example.com/team': 'a b c', note: 'x'.repeat(10_000) }))).to.deep.equal([]);
    const errors = validationErrors(td({ 'Not A Key/x': 'v', ['a'.repeat(64)]: 'v' }));
    expect(errors.map((e) => e.field)).to.deep.equal([field('Not A Key/x'), field('a'.repeat(64))]);
  });
});
