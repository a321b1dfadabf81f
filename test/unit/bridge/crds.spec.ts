/** The generated CRDs: one per kind, structural, documented, and the committed api/crd/ matches. */
import { existsSync, readFileSync } from 'node:fs';
import { expect } from 'chai';
import { parse } from 'yaml';
import { KINDS } from '../../../api/v1alpha1/index.js';
import { allCrds, crdFor, crdHash } from '../../../controllers/bridge/crds.js';

const CRD_DIR = new URL('../../../../api/crd/', import.meta.url); // from dist/test/unit/bridge
const CRD_DIR_SRC = new URL('../../../api/crd/', import.meta.url); // from test/unit/bridge (tsx)

/** What the apiserver would reject as non-structural (apiextensions validation), or we do not want. */
function problems(node: any, path: string, out: string[] = []): string[] {
  const preserve = node['x-kubernetes-preserve-unknown-fields'] === true;
  if (typeof node.type !== 'string' && !preserve && !node['x-kubernetes-int-or-string']) out.push(`${path}: no type`);
  for (const k of ['$ref', 'definitions', 'patternProperties', 'dependencies', 'additionalItems', 'id', '$schema']) {
    if (node[k] !== undefined) out.push(`${path}: ${k} is not allowed`);
  }
  if (node.uniqueItems === true) out.push(`${path}: uniqueItems`);
  if (node.properties && node.additionalProperties !== undefined) out.push(`${path}: properties and additionalProperties`);
  if (node.default !== undefined) out.push(`${path}: default (the apiserver would rewrite spec)`);
  if (node.type === 'array' && typeof node.items !== 'object') out.push(`${path}: array without items`);
  for (const [k, v] of Object.entries<any>(node.properties ?? {})) problems(v, `${path}.${k}`, out);
  if (typeof node.additionalProperties === 'object') problems(node.additionalProperties, `${path}{}`, out);
  if (node.items) problems(node.items, `${path}[]`, out);
  return out;
}

function countDescriptions(node: any): { fields: number; described: number } {
  let fields = 0;
  let described = 0;
  for (const v of Object.values<any>(node.properties ?? {})) {
    fields++;
    if (typeof v.description === 'string' && v.description.length > 0) described++;
    const sub = countDescriptions(v.items ?? v);
    fields += sub.fields;
    described += sub.described;
  }
  return { fields, described };
}

describe('generated CRDs', () => {
  const crds = allCrds();

  it('one per kind, group ecsplane.io, version v1alpha1, Namespaced, category ecs', () => {
    expect(crds.map((c) => c.spec.names.kind).sort()).to.deep.equal(Object.keys(KINDS).sort());
    expect(crds.map((c) => c.spec.names.kind)).to.include('TaskDefinitionRevision');
    for (const c of crds) {
      const def = KINDS[c.spec.names.kind];
      expect(c.metadata.name).to.equal(`${def.plural}.ecsplane.io`);
      expect(c.spec.group).to.equal('ecsplane.io');
      expect(c.spec.scope).to.equal('Namespaced');
      expect(c.spec.names.categories).to.include('ecs');
      expect(c.spec.names.shortNames).to.deep.equal(def.shortNames);
      expect(c.spec.versions).to.have.length(1);
      const v = c.spec.versions[0];
      expect(v).to.include({ name: 'v1alpha1', served: true, storage: true });
      // Service: kubectl scale / HPA on desiredCount (ScalableTarget has min/max bounds, no replica count).
      if (def.kind === 'Service') {
        expect(v.subresources).to.deep.equal({
          status: {},
          scale: { specReplicasPath: '.spec.desiredCount', statusReplicasPath: '.status.runningCount', labelSelectorPath: '.status.selector' },
        });
        expect(v.schema.openAPIV3Schema.properties.status.properties.selector.type).to.equal('string');
      } else {
        expect(v.subresources).to.deep.equal({ status: {} });
      }
      expect(v.additionalPrinterColumns.map((p: any) => p.name)).to.deep.equal(def.printerColumns.map((p) => p.name));
    }
  });

  it('has structural schemas: spec from the store schema, typed conditions and observedGeneration', () => {
    for (const c of crds) {
      const root = c.spec.versions[0].schema.openAPIV3Schema;
      expect(problems(root, c.spec.names.kind), c.spec.names.kind).to.deep.equal([]);
      const def = KINDS[c.spec.names.kind];
      expect(root.properties.spec.properties).to.deep.equal(def.specSchema.properties);
      const status = root.properties.status;
      // Closed (the AWS output shape): only storeRecord and what the AWS model leaves open stay open.
      expect(status, c.spec.names.kind).to.not.have.property('x-kubernetes-preserve-unknown-fields');
      expect(status.properties.storeRecord['x-kubernetes-preserve-unknown-fields']).to.equal(true);
      expect(status.properties.summary.properties.ready.type).to.equal('string');
      expect(status.properties.observedGeneration.type).to.equal('integer');
      expect(status.properties.conditions['x-kubernetes-list-map-keys']).to.deep.equal(['type']);
      expect(status.properties.conditions.items.required).to.deep.equal(['type', 'status']);
    }
  });

  it('documents fields (kubectl explain)', () => {
    const svc = crdFor(KINDS.Service).spec.versions[0].schema.openAPIV3Schema;
    expect(svc.description).to.match(/ECS service/);
    expect(svc.properties.spec.properties.deploymentConfiguration.description).to.be.a('string').and.not.empty;
    for (const c of crds) {
      const { fields, described } = countDescriptions(c.spec.versions[0].schema.openAPIV3Schema.properties.spec);
      expect(described / Math.max(1, fields), c.spec.names.kind).to.be.greaterThan(0.9);
    }
  });

  it('carries a content hash (the bridge updates CRDs whose hash differs)', () => {
    for (const c of crds) expect(c.metadata.annotations['ecsplane.io/schema-hash']).to.equal(crdHash(c as { metadata: any; spec: any }));
  });

  it('matches the committed api/crd/ (run `make manifests` after changing the registry or schemas)', () => {
    const dir = existsSync(CRD_DIR) ? CRD_DIR : CRD_DIR_SRC;
    for (const c of crds) {
      const file = new URL(`ecsplane.io_${c.spec.names.plural}.yaml`, dir);
      expect(existsSync(file), `${file.pathname} missing: run make manifests`).to.equal(true);
      expect(parse(readFileSync(file, 'utf8')), `${file.pathname} is stale: run make manifests`).to.deep.equal(JSON.parse(JSON.stringify(c)));
    }
  });
});
