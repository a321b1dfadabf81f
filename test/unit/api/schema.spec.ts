import { pathToFileURL } from 'node:url';
import { resolve } from 'node:path';
/** The generated schemas: structural (CRD-ready), botocore-sourced, strict under ajv, and fast. */
import { readdirSync, readFileSync } from 'node:fs';
import { expect } from 'chai';
import { KINDS } from '../../../api/v1alpha1/index.js';
import { closeSchema, fieldPath, schemaErrors } from '../../../api/schema/spec-validator.js';
import { validationErrors } from '../../../api/validate.js';
import { describeErrors, errorsOf, expectError, fixture, resource } from './helpers.js';

const SCHEMA_DIR = pathToFileURL(resolve('api/v1alpha1/schemas') + '/'); // from the repository root

/** Every problem that would make Kubernetes reject the schema as non-structural (or that we ban). */
function structuralProblems(node: any, path: string, out: string[] = []): string[] {
  if (node.$ref !== undefined) out.push(`${path}: $ref`);
  if (node.default !== undefined) out.push(`${path}: default (would rewrite spec)`);
  for (const k of ['oneOf', 'anyOf', 'allOf', 'not', 'patternProperties', 'definitions', '$defs']) {
    if (node[k] !== undefined) out.push(`${path}: ${k}`);
  }
  if (typeof node.type !== 'string') out.push(`${path}: no type`);
  if (node.additionalProperties === false) out.push(`${path}: additionalProperties false`);
  if (node.properties && node.additionalProperties !== undefined) out.push(`${path}: properties + additionalProperties`);
  if (node.type === 'array' && typeof node.items !== 'object') out.push(`${path}: array without items`);
  // Whole descriptions (kubectl explain shows all of botocore's documentation), never cut short.
  if (typeof node.description === 'string' && node.description.endsWith('…') && path.includes('.')) out.push(`${path}: cut description`);
  // botocore's markup (`<default>` in the text is an entity botocore escaped, e.g. `&lt;region-name&gt;`).
  if (typeof node.description === 'string' && /<\/?(p|code|a|ul|ol|li|b|i|note|important|br|div)\b[^>]*>/i.test(node.description)) out.push(`${path}: HTML in description`);
  for (const [k, v] of Object.entries<any>(node.properties ?? {})) structuralProblems(v, `${path}.${k}`, out);
  if (typeof node.additionalProperties === 'object') structuralProblems(node.additionalProperties, `${path}{}`, out);
  if (node.items) structuralProblems(node.items, `${path}[]`, out);
  return out;
}

describe('generated schemas', () => {
  const files = readdirSync(SCHEMA_DIR).filter((f) => f.endsWith('.json') && f !== 'status.json');

  it('one file per botocore-backed kind', () => expect(files).to.have.length(Object.keys(KINDS).length - 1)); // TaskDefinitionRevision shares task-definition.json

  it('status.json: every kind\'s status, structural, from its AWS output shape, without constraints', () => {
    const doc = JSON.parse(readFileSync(new URL('status.json', SCHEMA_DIR), 'utf8'));
    expect(Object.keys(doc.kinds)).to.have.length(Object.keys(KINDS).length);
    for (const [kind, { source, schema }] of Object.entries<any>(doc.kinds)) {
      expect(source).to.include(`botocore ${doc.botocoreVersion}`);
      const problems = structuralProblems(schema, `${kind}.status`);
      expect(problems, problems.slice(0, 10).join('\n')).to.deep.equal([]);
      // ecsplane writes status: the apiserver must never refuse it over a constraint.
      JSON.stringify(schema, (k, v) => {
        expect(['enum', 'minimum', 'maximum', 'required', 'pattern'], `${kind}: ${k}`).to.not.include(k);
        return v;
      });
    }
  });

  for (const file of files) {
    const doc = JSON.parse(readFileSync(new URL(file, SCHEMA_DIR), 'utf8'));
    describe(file, () => {
      it('records the botocore version and source shape', () => {
        expect(doc.botocoreVersion).to.match(/^\d+\.\d+\.\d+$/);
        expect(doc.source).to.include(`botocore ${doc.botocoreVersion}`);
        expect(doc.generatedBy).to.equal('hack/gen-schemas.py');
      });
      it('is structural: typed everywhere, inlined, no defaults, whole plain descriptions', () => {
        const problems = structuralProblems(doc.schema, doc.kind);
        expect(problems, problems.slice(0, 10).join('\n')).to.deep.equal([]);
      });
      it('patterns compile as unicode regular expressions', () => {
        const patterns: string[] = [];
        JSON.stringify(doc.schema, (k, v) => (k === 'pattern' && patterns.push(v), v));
        for (const p of patterns) expect(() => new RegExp(p, 'u')).to.not.throw();
      });
    });
  }

  it('carries the ecsplane extras', () => {
    expect(KINDS.Service.specSchema.properties.forceNewDeployment.type).to.equal('boolean');
    expect(KINDS.AutoScalingGroup.specSchema.properties.InstanceType.type).to.equal('string');
    expect(KINDS.TargetGroup.specSchema.properties.DeregistrationDelay).to.include({ type: 'integer', minimum: 0, maximum: 3600 });
    expect(KINDS.Task.specSchema.properties.count).to.include({ type: 'integer', minimum: 1, maximum: 10 });
  });

  it('makes the name field optional (metadata.name carries it)', () => {
    for (const def of Object.values(KINDS)) {
      if (def.nameField) expect(def.specSchema.required ?? [], def.kind).to.not.include(def.nameField);
    }
  });

  it('keeps botocore enums, ranges and required fields', () => {
    const td = KINDS.TaskDefinition.specSchema;
    expect(td.properties.networkMode.enum).to.deep.equal(['bridge', 'host', 'awsvpc', 'none']);
    expect(td.required).to.deep.equal(['containerDefinitions']);
    const ms = KINDS.CapacityProvider.specSchema.properties.autoScalingGroupProvider.properties.managedScaling.properties;
    expect(ms.targetCapacity).to.include({ minimum: 1, maximum: 100 });
    expect(KINDS.ScalingPolicy.specSchema.required).to.include.members(['ServiceNamespace', 'ResourceId', 'ScalableDimension']);
  });
});

describe('schema validation (ajv)', () => {
  it('closeSchema adds additionalProperties:false to listed objects only, without mutating', () => {
    const schema = {
      type: 'object',
      properties: { a: { type: 'object', properties: { b: { type: 'string' } } }, m: { type: 'object', additionalProperties: { type: 'string' } } },
    };
    const closed = closeSchema(schema);
    expect(closed.additionalProperties).to.equal(false);
    expect(closed.properties.a.additionalProperties).to.equal(false);
    expect(closed.properties.m.additionalProperties).to.deep.equal({ type: 'string' });
    expect((schema as any).additionalProperties).to.equal(undefined);
  });

  it('maps JSON pointers to field paths', () => {
    expect(fieldPath('')).to.equal('spec');
    expect(fieldPath('/containerDefinitions/1/memoryReservation')).to.equal('spec.containerDefinitions[1].memoryReservation');
    expect(fieldPath('/containerDefinitions/0/dockerLabels/com.example~1x')).to.equal('spec.containerDefinitions[0].dockerLabels["com.example/x"]');
  });

  it('uses the exception of the API the spec comes from', () => {
    const bad: [string, any, string][] = [
      ['TaskDefinition', { containerDefinitions: [], zzz: 1 }, 'ClientException'],
      ['Service', { desiredCount: 1, taskDefinition: 't', zzz: 1 }, 'InvalidParameterException'],
      ['ScalableTarget', { zzz: 1 }, 'ValidationException'],
      ['AutoScalingGroup', { zzz: 1 }, 'ValidationError'],
      ['TargetGroup', { zzz: 1 }, 'ValidationError'],
      ['Subnet', { VpcId: 'v', CidrBlock: '10.0.0.0/24', zzz: 1 }, 'InvalidParameterValue'],
      ['AccountSetting', { value: 'enabled', zzz: 1 }, 'InvalidParameterException'],
    ];
    for (const [kind, spec, type] of bad) expectError(errorsOf(kind, spec, 'x'), { field: 'spec.zzz', type, message: 'Unknown parameter "zzz"' });
  });

  it('reports unknown parameters deep inside lists and maps of objects', () => {
    const errors = errorsOf('TaskDefinition', {
      containerDefinitions: [{ name: 'a', image: 'x', memory: 64, portMappings: [{ containerPort: 80, hostport: 80 }] }],
    });
    expectError(errors, { field: 'spec.containerDefinitions[0].portMappings[0].hostport', type: 'ClientException', message: 'Unknown parameter "hostport"' });
  });

  it('type errors name the field', () => {
    expectError(errorsOf('Service', { desiredCount: '3', taskDefinition: 't' }), {
      field: 'spec.desiredCount',
      type: 'InvalidParameterException',
      message: 'must be integer',
    });
    expectError(errorsOf('TaskDefinition', { containerDefinitions: {} }), { field: 'spec.containerDefinitions', type: 'ClientException', message: 'must be array' });
  });

  it('nullable step bounds are accepted', () => {
    const errs = schemaErrors(KINDS.ScalingPolicy.specSchema, {
      ServiceNamespace: 'ecs',
      ResourceId: 'service/a/b',
      ScalableDimension: 'ecs:service:DesiredCount',
      StepScalingPolicyConfiguration: { StepAdjustments: [{ MetricIntervalLowerBound: null, ScalingAdjustment: 1 }] },
    }, 'ValidationException');
    expect(errs).to.deep.equal([]);
  });

  it('ill-typed input never crashes the rules', () => {
    const weird: any[] = [
      { containerDefinitions: 'x' },
      { containerDefinitions: [null, 1, 'a', []], volumes: 3, requiresCompatibilities: 'FARGATE', cpu: {} },
      { containerDefinitions: [{ name: 1, image: 2, portMappings: 'x', dependsOn: [null], healthCheck: 'y', secrets: [1] }] },
    ];
    for (const spec of weird) expect(errorsOf('TaskDefinition', spec).length).to.be.greaterThan(0);
    for (const kind of Object.keys(KINDS)) {
      for (const spec of [[], 'x', 1, { capacityProviderStrategy: 'x', placementStrategy: [null], StepScalingPolicyConfiguration: [] }]) {
        expect(() => validationErrors(resource(kind, 'x', spec)), kind).to.not.throw();
      }
    }
  });
});

describe('botocore request examples', () => {
  const { botocoreVersion, examples } = fixture('botocore-examples.json');
  it(`come from the same botocore as the schemas (${botocoreVersion})`, () => {
    expect(botocoreVersion).to.equal(JSON.parse(readFileSync(new URL('service.json', SCHEMA_DIR), 'utf8')).botocoreVersion);
  });
  for (const ex of examples as { kind: string; id: string; input: any }[]) {
    it(`${ex.kind}: ${ex.id}`, () => {
      const def = KINDS[ex.kind];
      let spec = ex.input;
      // ecsplane simulates placement by AZ and needs a launchable type: the one deliberate difference.
      if (ex.kind === 'AutoScalingGroup') spec = { ...spec, AvailabilityZones: ['us-west-2a'], InstanceType: 't3.medium' };
      const name = (def.nameField && spec[def.nameField]) || 'example';
      const errors = errorsOf(ex.kind, spec, name);
      expect(errors, describeErrors(errors)).to.deep.equal([]);
    });
  }
});
