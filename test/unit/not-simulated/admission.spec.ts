/**
 * Table test: a TaskDefinition's status, written at admission (store/admission.ts afterApply), carries
 * the NotSimulated condition when its spec has fields ecsplane does not simulate (api/not-simulated.ts).
 */
import { expect } from 'chai';
import type { Resource } from '../../../api/meta.js';
import { afterApply } from '../../../store/admission.js';
import { ResourceStore } from '../../../store/store.js';

const T0 = Date.UTC(2026, 0, 1);
const td = (spec: Record<string, unknown>): Resource => ({ apiVersion: 'ecsplane.io/v1alpha1', kind: 'TaskDefinition', metadata: { name: 'web' }, spec: { family: 'web', ...spec } });
const app = (extra: Record<string, unknown> = {}) => ({ name: 'app', image: 'nginx', memory: 128, ...extra });

describe('NotSimulated on a TaskDefinition at admission', () => {
  const rows: Array<{ name: string; spec: Record<string, unknown>; message?: string }> = [
    { name: 'a plain EC2 bridge task definition', spec: { containerDefinitions: [app()] } },
    { name: 'Fargate awsvpc (ENIs are not an EC2 placement matter)', spec: { requiresCompatibilities: ['FARGATE'], networkMode: 'awsvpc', cpu: '256', memory: '512', containerDefinitions: [app()] } },
    { name: 'awsvpc on EC2 (placement counts the ENIs)', spec: { networkMode: 'awsvpc', containerDefinitions: [app()] } },
    {
      name: 'dependsOn and a GPU',
      spec: { containerDefinitions: [app({ dependsOn: [{ containerName: 'b', condition: 'SUCCESS' }] }), app({ name: 'b', essential: false, resourceRequirements: [{ type: 'GPU', value: '1' }] })] },
      message:
        'containerDefinitions[0].dependsOn SUCCESS is not simulated by ecsplane; the dependency exits 0 as soon as it has started; ' +
        'containerDefinitions[1].resourceRequirements (GPU) is not simulated by ecsplane; placement neither requires nor reserves them',
    },
  ];
  for (const r of rows) {
    it(r.name, () => {
      const store = new ResourceStore({ now: () => T0 });
      const created = store.create(td(r.spec));
      afterApply({ store, now: T0 }, created, undefined);
      const status = store.get('TaskDefinition', 'web')!.status;
      expect(status.revision).to.equal(1);
      const types = status.conditions.map((c: any) => c.type);
      if (r.message === undefined) {
        expect(types).to.deep.equal(['Ready'], 'nothing added when there is nothing to say');
        return;
      }
      expect(types).to.deep.equal(['NotSimulated', 'Ready']);
      expect(status.conditions[0]).to.deep.equal({
        type: 'NotSimulated', status: 'True', reason: 'NotSimulated', message: r.message, lastTransitionTime: new Date(T0).toISOString(), observedGeneration: 1,
      });
    });
  }

  it('a new revision without the fields drops the condition', () => {
    const store = new ResourceStore({ now: () => T0 });
    const v1 = store.create(td({ networkMode: 'awsvpc', containerDefinitions: [app()] }));
    afterApply({ store, now: T0 }, v1, undefined);
    const current = store.get('TaskDefinition', 'web')!;
    const v2 = store.update({ ...current, spec: { family: 'web', containerDefinitions: [app()] } });
    afterApply({ store, now: T0 + 1000 }, v2, current);
    const status = store.get('TaskDefinition', 'web')!.status;
    expect(status.revision).to.equal(2);
    expect(status.conditions.map((c: any) => c.type)).to.deep.equal(['Ready']);
  });
});
