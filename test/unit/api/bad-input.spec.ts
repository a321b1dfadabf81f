/**
 * Bad input (issue #10 §3): prototype keys, non-JSON values, nesting and size bounds, 32-bit integers,
 * model lengths and capped echoes. Each case goes through validationErrors (what the rules say) and
 * through the API server (what apply does, and that nothing is stored).
 */
import { expect } from 'chai';
import { parseAllDocuments } from 'yaml';
import { EcsError, ValidationError, capValue } from '../../../api/errors.js';
import { MAX_DEPTH } from '../../../api/input.js';
import { validationErrors } from '../../../api/validate.js';
import { cluster, service, taskDefinition, testApp } from '../../helpers/fixtures.js';
import { API_VERSION, ec2Td, errorsOf, expectError, resource } from './helpers.js';

const MiB = 1024 * 1024;
const KIND_TYPE: Record<string, string> = { TaskDefinition: 'ClientException', Cluster: 'InvalidParameterException' };

/** The EcsError apply throws (fails the test when it throws anything else or nothing). */
function applyError(app: ReturnType<typeof testApp>, obj: unknown): EcsError {
  const before = JSON.stringify(app.store.snapshot());
  try {
    app.api.apply(obj as any);
  } catch (e) {
    expect(e, `expected an EcsError, got ${e}`).to.be.instanceOf(EcsError);
    expect(JSON.stringify(app.store.snapshot()), 'a refused apply stores nothing').to.equal(before);
    return e as EcsError;
  }
  throw new Error('apply accepted it');
}

/** Every problem of a refusal (a ValidationError's list, or the error itself). */
const problems = (e: EcsError): EcsError[] => (e instanceof ValidationError ? e.errors : [e]);

function nested(depth: number): unknown {
  let v: unknown = 1;
  for (let i = 0; i < depth; i++) v = [v];
  return v;
}

describe('bad input: prototype keys', () => {
  const cases: Array<[string, () => any, string]> = [
    ['spec', () => JSON.parse(`{"apiVersion":"${API_VERSION}","kind":"TaskDefinition","metadata":{"name":"web"},"spec":{"family":"web","__proto__":{"containerDefinitions":[{"name":"a","image":"x","memory":64}]}}}`), 'spec.__proto__'],
    ['metadata', () => JSON.parse(`{"apiVersion":"${API_VERSION}","kind":"Cluster","metadata":{"name":"prod","__proto__":{"x":1}},"spec":{}}`), 'metadata.__proto__'],
    ['annotations', () => ({ ...cluster('prod'), metadata: { name: 'prod', annotations: { constructor: 'x' } } }), 'metadata.annotations.constructor'],
    ['nested list item', () => resource('TaskDefinition', 'web', ec2Td({ containerDefinitions: [{ name: 'a', image: 'x', memory: 64, dockerLabels: { prototype: 'p' } }] })), 'spec.containerDefinitions[0].dockerLabels.prototype'],
    ['top level', () => JSON.parse(`{"__proto__":{"kind":"Cluster"},"apiVersion":"${API_VERSION}","kind":"Cluster","metadata":{"name":"p"},"spec":{}}`), '__proto__'],
  ];
  for (const [where, make, field] of cases) {
    it(`refuses a prototype key in ${where}, naming ${field}`, () => {
      expectError(validationErrors(make()), { field, type: KIND_TYPE[make().kind] ?? 'InvalidParameterException', message: /is not allowed/ });
      const app = testApp();
      const err = applyError(app, make());
      expect(problems(err).map((p) => p.field)).to.include(field);
      expect(({} as any).containerDefinitions, 'Object.prototype untouched').to.equal(undefined);
    });
  }

  it('YAML and JSON parsing keep __proto__ an own key (never a prototype)', () => {
    const fromYaml = parseAllDocuments('spec:\n  __proto__: {containerDefinitions: []}\n')[0].toJS();
    const fromJson = JSON.parse('{"spec":{"__proto__":{"containerDefinitions":[]}}}');
    for (const v of [fromYaml, fromJson]) {
      expect(Object.getPrototypeOf(v.spec)).to.equal(Object.prototype);
      expect(Object.keys(v.spec)).to.deep.equal(['__proto__']);
      expect(v.spec.containerDefinitions).to.equal(undefined);
    }
  });
});

describe('bad input: JSON values, nesting and size', () => {
  const cases: Array<[string, any, string, RegExp]> = [
    ['NaN', resource('Service', 'web', { desiredCount: NaN, taskDefinition: 'web' }), 'spec.desiredCount', /finite number/],
    ['Infinity in a free-form map', resource('TaskDefinition', 'web', ec2Td({ containerDefinitions: [{ name: 'a', image: 'x', memory: 64, dockerLabels: { a: Infinity } }] })), 'spec.containerDefinitions[0].dockerLabels.a', /finite number/],
    ['a function', resource('Cluster', 'prod', { settings: () => 1 }), 'spec.settings', /not a JSON value/],
    ['a Date', resource('Cluster', 'prod', { settings: new Date(0) }), 'spec.settings', /not a JSON value/],
    ['a hole in a list', resource('Cluster', 'prod', { capacityProviders: [undefined] }), 'spec.capacityProviders[0]', /missing/],
    [`nesting deeper than ${MAX_DEPTH}`, resource('Cluster', 'prod', { settings: nested(100) }), 'spec.settings' + '[0]'.repeat(MAX_DEPTH - 2), /Nested more than/],
    ['an object over 1 MiB', resource('Cluster', 'prod', { tags: [{ key: 'k', value: 'v'.repeat(MiB) }] }), 'spec', /at most 1048576 bytes/],
  ];
  for (const [what, obj, field, message] of cases) {
    it(`refuses ${what} (${field})`, () => {
      expectError(validationErrors(obj), { field, type: KIND_TYPE[obj.kind] ?? 'InvalidParameterException', message });
      applyError(testApp(), obj);
    });
  }

  it('a 100,000-deep document is refused without overflowing the stack', () => {
    const e = applyError(testApp(), resource('Cluster', 'prod', { settings: nested(100_000) }));
    expect(e.message).to.match(/Nested more than/);
  });

  it('a resource that is not a mapping is refused with a field', () => {
    for (const bad of [null, 'x', 42, [cluster('a')]]) {
      const e = applyError(testApp(), bad);
      expect(e.field).to.equal('(object)');
    }
  });
});

describe('bad input: integers are 32-bit (botocore Integer)', () => {
  const cases: Array<[string, any, string]> = [
    ['Service', { desiredCount: 2 ** 31, taskDefinition: 'web' }, 'spec.desiredCount'],
    ['Service', { desiredCount: 1, taskDefinition: 'web', healthCheckGracePeriodSeconds: 2 ** 31 }, 'spec.healthCheckGracePeriodSeconds'],
    ['TaskDefinition', ec2Td({ containerDefinitions: [{ name: 'a', image: 'x', memory: 2 ** 31 }] }), 'spec.containerDefinitions[0].memory'],
    ['TaskDefinition', ec2Td({ containerDefinitions: [{ name: 'a', image: 'x', memory: 64, cpu: 1e20 }] }), 'spec.containerDefinitions[0].cpu'],
    ['AutoScalingGroup', { MinSize: 0, MaxSize: 1, AvailabilityZones: ['a'], HealthCheckGracePeriod: -(2 ** 31) - 1 }, 'spec.HealthCheckGracePeriod'],
    ['ScalableTarget', { ServiceNamespace: 'ecs', ResourceId: 'service/a/b', ScalableDimension: 'ecs:service:DesiredCount', MinCapacity: 0, MaxCapacity: 2 ** 31 }, 'spec.MaxCapacity'],
    ['AutoScalingGroup', { MinSize: 0, MaxSize: 1, AvailabilityZones: ['a'], DefaultCooldown: 2 ** 31 }, 'spec.DefaultCooldown'],
  ];
  for (const [kind, spec, field] of cases) {
    it(`${kind} ${field} out of range`, () => {
      expect(errorsOf(kind, spec, 'x').some((e) => e.field === field && /must be [<>]=/.test(e.bareMessage)), `${field}`).to.equal(true);
    });
  }

  it('2147483647 itself is a valid integer', () => {
    expect(errorsOf('Service', { desiredCount: 1, taskDefinition: 'web', healthCheckGracePeriodSeconds: 2 ** 31 - 1 })).to.deep.equal([]);
  });
});

describe('bad input: names have the model lengths', () => {
  const long = 'a'.repeat(256);
  const cases: Array<[string, string, any, string]> = [
    ['Cluster', long, {}, 'metadata.name'],
    ['TaskDefinition', long, ec2Td({ family: undefined }), 'metadata.name'],
    ['TaskDefinition', 'web', ec2Td({ containerDefinitions: [{ name: long, image: 'x', memory: 64 }] }), 'spec.containerDefinitions[0].name'],
    ['Service', long, { desiredCount: 1, taskDefinition: 'web' }, 'metadata.name'],
    ['Service', 'web', { desiredCount: 1, taskDefinition: 'web', cluster: long }, 'spec.cluster'],
    ['CapacityProvider', long, { autoScalingGroupProvider: { autoScalingGroupArn: 'asg' } }, 'metadata.name'],
    ['TargetGroup', 'a'.repeat(33), { Protocol: 'HTTP', Port: 80 }, 'metadata.name'],
  ];
  for (const [kind, name, spec, field] of cases) {
    it(`${kind} ${field} of ${name.length === 256 ? 256 : name.length} characters`, () => {
      expect(errorsOf(kind, spec, name).map((e) => e.field)).to.include(field);
    });
  }
  it('255 characters are fine', () => {
    expect(errorsOf('Cluster', {}, 'a'.repeat(255))).to.deep.equal([]);
  });
});

describe('bad input: echoed values are capped', () => {
  const huge = 'x'.repeat(MiB);
  const cases: Array<[string, any]> = [
    ['a 1 MiB name', resource('Cluster', huge.slice(0, 900_000), {})],
    ['a 1 MiB unknown key', resource('Cluster', 'prod', { [huge.slice(0, 900_000)]: 1 })],
    ['a 1 MiB kind', resource(huge.slice(0, 900_000), 'x', {})],
    ['a 1 MiB apiVersion', { ...resource('Cluster', 'x', {}), apiVersion: huge.slice(0, 900_000) }],
    ['a 1 MiB task definition reference', resource('Service', 'web', { desiredCount: 1, taskDefinition: `arn:${huge.slice(0, 900_000)}` })],
    ['a 1 MiB cron schedule', resource('ScheduledAction', 'a', { ServiceNamespace: 'ecs', ResourceId: 'service/a/b', ScalableDimension: 'ecs:service:DesiredCount', Schedule: `cron(${huge.slice(0, 900_000)})`, ScalableTargetAction: { MinCapacity: 1 } })],
    ['a 1 MiB annotation key', resource('Cluster', 'x', {})],
  ];
  cases[6][1].metadata.annotations = { [`sim.ecsplane.io/${huge.slice(0, 900_000)}`]: 'v' };
  for (const [what, obj] of cases) {
    it(`${what}: the error is short and says how long the value was`, () => {
      const errors = validationErrors(obj);
      expect(errors.length).to.be.greaterThan(0);
      const text = new ValidationError(errors).message;
      expect(text.length, text.slice(0, 300)).to.be.lessThan(2000);
      expect(text).to.match(/…\(\d+ bytes\)/);
    });
  }

  it('capValue keeps short values and cuts long ones at 64 characters', () => {
    expect(capValue('web')).to.equal('web');
    expect(capValue('é'.repeat(100))).to.equal(`${'é'.repeat(64)}…(200 bytes)`);
    expect(capValue({ a: 1 })).to.equal('{"a":1}');
  });

  it('a ValidationError lists at most 10 problems and counts the rest', () => {
    const spec: Record<string, number> = {};
    for (let i = 0; i < 30; i++) spec[`unknown${i}`] = i;
    const err = new ValidationError(errorsOf('Cluster', spec, 'prod'));
    expect(err.errors).to.have.length(30);
    expect(err.message).to.match(/… and 20 more problems$/);
  });
});

describe('bad input: the API server refuses without storing', () => {
  it('a refused update leaves the stored object as it was', () => {
    const app = testApp();
    app.api.apply(cluster('prod'));
    app.api.apply(taskDefinition('web'));
    app.api.apply(service('web', { desiredCount: 2 }));
    applyError(app, service('web', { desiredCount: 2 ** 31 }));
    applyError(app, { ...service('web', { desiredCount: 1 }), metadata: { name: 'web', annotations: { 'sim.ecsplane.io/health': 'bogus' } } });
    expect(app.store.get('Service', 'prod/web')!.spec.desiredCount).to.equal(2);
  });

  it('labels or annotations that are not string maps are refused, not dropped', () => {
    const app = testApp();
    for (const md of [{ labels: 5 }, { labels: 'abc' }, { annotations: ['a'] }, { annotations: { a: 1 } }]) {
      const e = applyError(app, { ...cluster('prod'), metadata: { name: 'prod', ...md } });
      expect(problems(e)[0].field).to.match(/^metadata\.(labels|annotations)/);
    }
  });
});
