/**
 * The CRD status schemas are closed (generated from the AWS Describe* output shapes): a field ecsplane
 * writes that is not declared would be pruned by the kube-apiserver, and a value of the wrong type would
 * make the status write fail. This runs the examples on a virtual clock and checks every status the
 * bridge would write (mirrorStatus: the store status plus the bridge's fields) against the CRD's schema.
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'chai';
import { KINDS, type JsonSchema } from '../../../api/v1alpha1/index.js';
import { loadManifests } from '../../../controllers/cli/manifests.js';
import { statusSchemaFor } from '../../../controllers/bridge/crds.js';
import { mirrorStatus, readySummary, shortTaskDefinition } from '../../../controllers/bridge/mapping.js';
import { runFor, testApp } from '../../helpers/fixtures.js';

const ROOT = process.cwd();

/** Paths in `value` the schema does not declare, or whose JSON type differs from the schema's. */
export function schemaMismatches(schema: JsonSchema, value: unknown, path = 'status'): string[] {
  if (value === null || value === undefined) return [];
  if (schema['x-kubernetes-preserve-unknown-fields'] && !schema.properties) return [];
  const type = schema.type;
  const actual = Array.isArray(value) ? 'array' : typeof value === 'number' ? (Number.isInteger(value) ? 'integer' : 'number') : typeof value;
  const fits = type === actual || (type === 'number' && actual === 'integer');
  if (!fits) return [`${path}: ${actual} where the schema says ${type}`];
  if (type === 'array') return (value as unknown[]).flatMap((v, i) => schemaMismatches(schema.items ?? {}, v, `${path}[${i}]`));
  if (type !== 'object') return [];
  const out: string[] = [];
  for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
    const sub = schema.properties?.[k] ?? (typeof schema.additionalProperties === 'object' ? schema.additionalProperties : undefined);
    if (!sub) {
      if (!schema['x-kubernetes-preserve-unknown-fields']) out.push(`${path}.${k}: not declared`);
      continue;
    }
    out.push(...schemaMismatches(sub, v, `${path}.${k}`));
  }
  return out;
}

function exampleFiles(): string[] {
  const dirs = ['examples/quickstart', 'examples/kubernetes', 'examples/scheduler', 'examples/scaling'];
  return dirs.flatMap((d) =>
    d === 'examples/quickstart' || d === 'examples/kubernetes' ? [join(ROOT, d)] : readdirSync(join(ROOT, d)).filter((f) => f.endsWith('.yaml')).map((f) => join(ROOT, d, f)),
  );
}

describe('bridge: CRD status schemas (generated from the AWS output shapes)', () => {
  it('declare every status field ecsplane writes, with its type, for every example', function () {
    this.timeout(60_000);
    const problems = new Set<string>();
    const seen = new Set<string>();
    for (const file of exampleFiles()) {
      const app = testApp();
      const docs = loadManifests([file]).filter((d) => KINDS[d.kind]);
      for (const d of docs) {
        try {
          app.api.apply(d);
        } catch {
          // examples of rejected input
        }
      }
      runFor(app, 20 * 60_000, 5_000);
      for (const kind of Object.keys(KINDS)) {
        for (const obj of app.store.list(kind)) {
          seen.add(kind);
          const cr = { apiVersion: 'ecsplane.io/v1alpha1', kind, metadata: { name: 'x', generation: 1 }, spec: obj.spec };
          const status = mirrorStatus(cr as any, obj, app.clock.now());
          for (const p of schemaMismatches(statusSchemaFor(KINDS[kind]), status)) problems.add(`${kind} ${p.replace(/\[\d+\]/g, '[]')}`);
        }
      }
    }
    expect([...problems].sort()).to.deep.equal([]);
    expect([...seen].sort()).to.include.members(['Cluster', 'Service', 'Task', 'TaskDefinition', 'TaskDefinitionRevision', 'ContainerInstance', 'ScalableTarget', 'ScalingPolicy']);
  });

  it('documents status fields with the AWS descriptions (kubectl explain ecssvc.status.deployments.rolloutState)', () => {
    const status = statusSchemaFor(KINDS.Service);
    const rollout = status.properties.deployments.items.properties.rolloutState;
    expect(rollout.type).to.equal('string');
    expect(rollout.description).to.contain('When a service deployment is started, it begins in an IN_PROGRESS state.');
    expect(status).to.not.have.property('x-kubernetes-preserve-unknown-fields');
  });

  it('summarises Ready and the task definition for the printer columns', () => {
    expect(shortTaskDefinition('arn:aws:ecs:us-east-1:123456789012:task-definition/web:12')).to.equal('web:12');
    expect(readySummary([{ type: 'Ready', status: 'True', reason: 'SteadyState', lastTransitionTime: '' } as any])).to.equal('True');
    expect(readySummary([{ type: 'Ready', status: 'False', reason: 'InvalidParameterException', lastTransitionTime: '' } as any])).to.equal(
      'False: InvalidParameterException',
    );
    expect(readySummary([])).to.equal(undefined);
  });
});
