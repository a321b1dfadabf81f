/** api/validate.ts: the object envelope, aggregation into ValidationError, and the kind registry. */
import { expect } from 'chai';
import { ValidationError } from '../../../api/errors.js';
import { validateResource, validationErrors, withDefaults } from '../../../api/validate.js';
import { KINDS } from '../../../api/v1alpha1/index.js';
import { API_VERSION, ec2Td, errorsOf, expectError, expectValid, resource } from './helpers.js';

describe('validateResource', () => {
  it('accepts a valid object', () => {
    expect(() => validateResource(resource('Cluster', 'prod', {}))).to.not.throw();
  });

  it('rejects a wrong apiVersion', () => {
    const errors = validationErrors({ ...resource('Cluster', 'prod', {}), apiVersion: 'ecs.services.k8s.aws/v1alpha1' });
    expectError(errors, { field: 'apiVersion', type: 'InvalidParameterException', message: /must be ecsplane.io\/v1alpha1/ });
  });

  it('rejects an unknown kind', () => {
    expectError(validationErrors(resource('Deployment', 'x', {})), { field: 'kind', type: 'InvalidParameterException', message: /Unknown kind "Deployment"/ });
  });

  it('rejects non-objects and a missing spec', () => {
    expect(validationErrors('nope')).to.have.length(1);
    expectError(validationErrors({ apiVersion: API_VERSION, kind: 'Cluster', metadata: { name: 'a' } }), { field: 'spec', type: 'InvalidParameterException' });
  });

  it('requires metadata.name, reported with the kind exception', () => {
    expectError(validationErrors({ apiVersion: API_VERSION, kind: 'TaskDefinition', metadata: {}, spec: ec2Td() }), {
      field: 'metadata.name',
      type: 'ClientException',
      message: 'metadata.name is required.',
    });
    expectError(validationErrors({ apiVersion: API_VERSION, kind: 'Service', spec: {} }), { field: 'metadata', type: 'InvalidParameterException' });
  });

  it('checks the name pattern and the spec name field of each kind', () => {
    const cases: [string, string, any, string][] = [
      ['Cluster', 'a b', {}, 'metadata.name'],
      ['TaskDefinition', 'web.app', ec2Td({ family: undefined }), 'metadata.name'],
      ['TaskDefinition', 'web', ec2Td({ family: 'api' }), 'spec.family'],
      ['Service', 'web', { serviceName: 'api', desiredCount: 1, taskDefinition: 't' }, 'spec.serviceName'],
      ['CapacityProvider', 'cp', { name: 'other', autoScalingGroupProvider: { autoScalingGroupArn: 'a' } }, 'spec.name'],
      ['AutoScalingGroup', 'asg', { AutoScalingGroupName: 'b', MinSize: 0, MaxSize: 1, AvailabilityZones: ['a'] }, 'spec.AutoScalingGroupName'],
      ['TargetGroup', 'tg', { Name: 'other', Protocol: 'HTTP', Port: 80 }, 'spec.Name'],
      ['ScalingPolicy', 'p/1', {}, 'metadata.name'],
    ];
    for (const [kind, name, spec, field] of cases) {
      expectError(errorsOf(kind, spec, name), { field, type: KINDS[kind].errorType });
    }
  });

  it('throws one ValidationError listing every problem, headed by the first', () => {
    const obj = resource('TaskDefinition', 'web', ec2Td({ cpu: 'lots', foo: 1, containerDefinitions: [{ name: 'a' }] }));
    let thrown: unknown;
    try {
      validateResource(obj);
    } catch (e) {
      thrown = e;
    }
    expect(thrown).to.be.instanceOf(ValidationError);
    const err = thrown as ValidationError;
    expect(err.type).to.equal('ClientException');
    expect(err.errors.length).to.be.at.least(3);
    expect(err.message).to.include('Unknown parameter "foo" (spec.foo)');
    expect(err.message).to.include("Invalid 'cpu' setting for task. (spec.cpu)");
    expect(err.toJSON().__type).to.equal('ClientException');
  });

  it('reports each problem once', () => {
    const errors = errorsOf('TaskDefinition', ec2Td({ containerDefinitions: [{ name: 'a', image: 'x' }, { name: 'a', image: 'x' }] }), 'web');
    const keys = errors.map((e) => `${e.field}|${e.bareMessage}`);
    expect(new Set(keys).size).to.equal(keys.length);
  });
});

describe('TaskDefinitionRevision', () => {
  it('is named family:N and validated like a task definition', () => {
    expectValid('TaskDefinitionRevision', withDefaults('TaskDefinition', ec2Td(), { name: 'web' }), 'web:3');
    expectError(errorsOf('TaskDefinitionRevision', ec2Td(), 'web'), { field: 'metadata.name', type: 'ClientException' });
    expectError(errorsOf('TaskDefinitionRevision', ec2Td(), 'web:0'), { field: 'metadata.name', type: 'ClientException' });
    expectError(errorsOf('TaskDefinitionRevision', ec2Td({ family: 'api' }), 'web:1'), { field: 'spec.family', type: 'ClientException' });
    expectError(errorsOf('TaskDefinitionRevision', ec2Td({ cpu: '1' }), 'web:1'), { field: 'spec.cpu', type: 'ClientException' });
  });

  it('defaults fill the family from the revision name', () => {
    expect(withDefaults('TaskDefinitionRevision', ec2Td({ family: undefined }), { name: 'web:7' }).family).to.equal('web');
  });
});

describe('withDefaults', () => {
  it('rejects unknown kinds', () => expect(() => withDefaults('Pod', {})).to.throw(/Unknown kind/));
  it('tolerates an empty spec for every kind', () => {
    for (const kind of Object.keys(KINDS)) expect(() => withDefaults(kind, {}), kind).to.not.throw();
  });
});
