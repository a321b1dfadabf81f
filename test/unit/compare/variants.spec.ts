/** --set overrides and the variants they make (controllers/cli/variants.ts). */
import { expect } from 'chai';
import type { Resource } from '../../../api/meta.js';
import { applySet, expandSets, parseSet } from '../../../controllers/cli/variants.js';

const svc = (name: string, cluster = 'prod'): Resource => ({ apiVersion: 'ecsplane.io/v1alpha1', kind: 'Service', metadata: { name }, spec: { cluster, desiredCount: 3, deploymentConfiguration: { maximumPercent: 200 } } });

describe('--set', () => {
  it('parses kind, name, a path under spec and the values (YAML scalars)', () => {
    const o = parseSet('service/web.deploymentConfiguration.maximumPercent=150,200');
    expect(o).to.include({ kind: 'Service', name: 'web' });
    expect(o.path).to.deep.equal(['spec', 'deploymentConfiguration', 'maximumPercent']);
    expect(o.values).to.deep.equal([150, 200]);
  });
  it('cluster-qualified names, list indexes, metadata paths and flow lists', () => {
    const o = parseSet('TaskDefinition/web.containerDefinitions[0].cpu=256');
    expect(o.path).to.deep.equal(['spec', 'containerDefinitions', 0, 'cpu']);
    expect(parseSet('Service/prod/web.launchType=[EC2, FARGATE]')).to.deep.include({ cluster: 'prod', values: ['EC2', 'FARGATE'] });
    expect(parseSet('Service/web.metadata.annotations.a=b').path).to.deep.equal(['metadata', 'annotations', 'a']);
  });
  it('bad input names the option and what is expected', () => {
    expect(() => parseSet('web.maximumPercent=1')).to.throw(/--set web\.maximumPercent=1: expected KIND\/NAME\.FIELD\.PATH=VALUE/);
    expect(() => parseSet('Widget/web.x=1')).to.throw(/unknown kind "Widget"/);
    expect(() => parseSet('Service/web.x=')).to.throw(/no value/);
    expect(() => parseSet('Service/web.metadata.name=x')).to.throw(/cannot be varied/);
  });
  it('sets the value on a copy, also in the Scenario steps that re-apply the object', () => {
    const scenario: Resource = { apiVersion: 'ecsplane.io/v1alpha1', kind: 'Scenario', metadata: { name: 's' }, spec: { steps: [{ at: '1m', apply: [svc('web')] }] } };
    const docs = [svc('web'), scenario];
    const out = applySet(docs, parseSet('Service/web.deploymentConfiguration.maximumPercent=150'), 150, 'v');
    expect(out[0].spec.deploymentConfiguration.maximumPercent).to.equal(150);
    expect(out[1].spec.steps[0].apply[0].spec.deploymentConfiguration.maximumPercent).to.equal(150);
    expect(docs[0].spec.deploymentConfiguration.maximumPercent).to.equal(200); // the input is untouched
  });
  it('an unknown object is an error listing the ones there are; a name in two clusters asks for the cluster', () => {
    expect(() => applySet([svc('api')], parseSet('Service/web.desiredCount=1'), 1, 'v')).to.throw(/v has no Service named web \(it has: api\)/);
    expect(() => applySet([svc('web'), svc('web', 'dev')], parseSet('Service/web.desiredCount=1'), 1, 'v')).to.throw(/Service\/CLUSTER\/web/);
    expect(applySet([svc('web'), svc('web', 'dev')], parseSet('Service/dev/web.desiredCount=1'), 1, 'v')[1].spec.desiredCount).to.equal(1);
  });
  it('several --set: every combination, or pairwise', () => {
    const base = { name: 'q', docs: [svc('web')] };
    const sets = [parseSet('Service/web.deploymentConfiguration.minimumHealthyPercent=50,100'), parseSet('Service/web.deploymentConfiguration.maximumPercent=100,200')];
    expect(expandSets(base, sets, false, false).map((v) => v.name)).to.deep.equal([
      'minimumHealthyPercent=50 maximumPercent=100',
      'minimumHealthyPercent=50 maximumPercent=200',
      'minimumHealthyPercent=100 maximumPercent=100',
      'minimumHealthyPercent=100 maximumPercent=200',
    ]);
    const pairs = expandSets(base, sets, true, false);
    expect(pairs.map((v) => v.docs[0].spec.deploymentConfiguration)).to.deep.equal([
      { minimumHealthyPercent: 50, maximumPercent: 100 },
      { minimumHealthyPercent: 100, maximumPercent: 200 },
    ]);
    expect(() => expandSets(base, [sets[0], parseSet('Service/web.desiredCount=1,2,3')], true, false)).to.throw(/same number of values/);
  });
});

describe('compare: one seed and one length for every variant', () => {
  const scenario = (seed: number | undefined, until: string): Resource => ({ apiVersion: 'ecsplane.io/v1alpha1', kind: 'Scenario', metadata: { name: 's' }, spec: { ...(seed === undefined ? {} : { seed }), until } });
  it('--seed and --until win; else the first Scenario seed and the longest until', async () => {
    const { commonRun } = await import('../../../controllers/cli/compare.js');
    const variants = [
      { name: 'a', docs: [scenario(undefined, '5m')] },
      { name: 'b', docs: [scenario(7, '20m')] },
      { name: 'c', docs: [scenario(9, '10m')] },
    ];
    expect(commonRun(variants, {})).to.deep.equal({ seed: 7, untilMs: 20 * 60_000 });
    expect(commonRun(variants, { seed: 3, untilMs: 1000 })).to.deep.equal({ seed: 3, untilMs: 1000 });
    expect(commonRun([{ name: 'x', docs: [] }], {})).to.deep.equal({ seed: 1, untilMs: 30 * 60_000 });
  });
});
