/** The pure half of the bridge: CR → store input, store → status / mirror, merge-patch diffs. */
import { expect } from 'chai';
import type { Resource } from '../../../api/meta.js';
import {
  applyMergePatch,
  crGenerationFor,
  hashOf,
  STALE_REASON,
  storeRecordOf,
  emptyApplyState,
  mergePatch,
  mirrorBody,
  mirrorPatch,
  mirrorStatus,
  normalizeJson,
  recordApplied,
  sourceOf,
  statusPatch,
  toStoreInput,
  userStatus,
  type ApplyState,
} from '../../../controllers/bridge/mapping.js';
import { identityOfKey, identityOfUserCr, type KubeObject } from '../../../controllers/bridge/names.js';

const NOW = Date.parse('2026-01-01T00:00:00Z');

const serviceCr = (over: Partial<KubeObject['metadata']> = {}, status?: any): KubeObject => ({
  apiVersion: 'ecsplane.io/v1alpha1',
  kind: 'Service',
  metadata: {
    name: 'web',
    namespace: 'ns1',
    uid: 'uid-1',
    generation: 2,
    annotations: {
      'kubectl.kubernetes.io/last-applied-configuration': '{"big":"json"}',
      'sim.ecsplane.io/start-delay': '1s',
      team: 'a',
    },
    labels: { app: 'web' },
    ...over,
  },
  spec: { cluster: 'prod', taskDefinition: 'web', desiredCount: 2 },
  ...(status ? { status } : {}),
});

const storeService = (status: any, generation = 5): Resource => ({
  apiVersion: 'ecsplane.io/v1alpha1',
  kind: 'Service',
  metadata: { name: 'web', generation, uid: 's-1', annotations: { 'bridge.ecsplane.io/source': 'ns1/web', 'bridge.ecsplane.io/source-uid': 'uid-1' } },
  spec: { cluster: 'prod', taskDefinition: 'web', desiredCount: 2 },
  status,
});

describe('bridge mapping', () => {
  describe('merge patches', () => {
    const cases: Array<[unknown, unknown]> = [
      [{}, {}],
      [{ a: 1 }, { a: 1 }],
      [{ a: 1 }, { a: 2 }],
      [{ a: 1, b: 2 }, { a: 1 }],
      [{ a: { b: 1, c: 2 } }, { a: { b: 1 } }],
      [{ a: [1, 2] }, { a: [1] }],
      [{ a: { b: [{ x: 1 }] } }, { a: { b: [{ x: 2 }] }, c: 'new' }],
      [{ conditions: [{ type: 'Ready', status: 'False' }] }, { conditions: [{ type: 'Ready', status: 'True' }], runningCount: 2 }],
    ];
    for (const [from, to] of cases) {
      it(`${JSON.stringify(from)} → ${JSON.stringify(to)}`, () => {
        const p = mergePatch(from, to);
        if (JSON.stringify(from) === JSON.stringify(to)) expect(p).to.equal(undefined);
        else expect(applyMergePatch(from, p)).to.deep.equal(to);
      });
    }

    it('only carries what changed', () => {
      expect(mergePatch({ a: 1, b: { c: 1, d: 2 } }, { a: 1, b: { c: 1, d: 3 } })).to.deep.equal({ b: { d: 3 } });
      expect(mergePatch({ a: 1 }, {})).to.deep.equal({ a: null });
    });

    it('normalises: no undefined, no nulls', () => {
      expect(normalizeJson({ a: undefined, b: null, c: [{ d: null, e: 1 }] })).to.deep.equal({ c: [{ e: 1 }] });
    });
  });

  describe('CR → store', () => {
    it('passes spec as-is with the ECS name, user labels and annotations, and records the source', () => {
      const cr = serviceCr();
      const input = toStoreInput('Service', cr, identityOfUserCr('Service', cr), 'ns1');
      expect(input.metadata.name).to.equal('web');
      expect(input.spec).to.deep.equal(cr.spec);
      expect(input.metadata.labels).to.deep.equal({ app: 'web' });
      expect(input.metadata.annotations).to.deep.equal({
        'sim.ecsplane.io/start-delay': '1s',
        team: 'a',
        'bridge.ecsplane.io/source': 'ns1/web',
        'bridge.ecsplane.io/source-uid': 'uid-1',
      });
      expect(sourceOf(input, 'ns1')).to.deep.equal({ name: 'web', uid: 'uid-1' });
      expect(sourceOf(input, 'other')).to.equal(undefined);
    });

    it('uses the ecsplane.io/name annotation as the ECS name and drops it from the store', () => {
      const cr = serviceCr({ name: 'my-app', annotations: { 'ecsplane.io/name': 'My_App' } });
      const input = toStoreInput('Service', cr, identityOfUserCr('Service', cr), 'ns1');
      expect(input.metadata.name).to.equal('My_App');
      expect(input.metadata.annotations).to.not.have.property('ecsplane.io/name');
    });
  });

  describe('status of a user CR', () => {
    const applied = (): ApplyState => recordApplied(recordApplied(emptyApplyState(), 1, 4, 'uid-1'), 2, 5, 'uid-1');

    it('maps store generations to CR generations', () => {
      const st = applied();
      expect(crGenerationFor(st, 5)).to.equal(2);
      expect(crGenerationFor(st, 4)).to.equal(1);
      expect(crGenerationFor(st, 3)).to.equal(undefined);
    });

    it('copies the store status, hides bookkeeping, adds Synced and translates generations', () => {
      const obj = storeService({
        observedGeneration: 5,
        runningCount: 2,
        scheduler: { seq: 3 },
        conditions: [{ type: 'Ready', status: 'True', reason: 'SteadyState', message: '2/2', lastTransitionTime: 'T1', observedGeneration: 5 }],
      });
      const st = userStatus(serviceCr(), obj, applied(), NOW);
      expect(st).to.not.have.property('scheduler');
      expect(st.runningCount).to.equal(2);
      expect(st.observedGeneration).to.equal(2);
      const ready = st.conditions.find((c: any) => c.type === 'Ready');
      expect(ready).to.deep.include({ status: 'True', reason: 'SteadyState', observedGeneration: 2 });
      const synced = st.conditions.find((c: any) => c.type === 'Synced');
      expect(synced).to.deep.include({ status: 'True', reason: 'Applied', observedGeneration: 2 });
    });

    it('does not claim a generation the store has not observed yet', () => {
      const obj = storeService({ observedGeneration: 4, conditions: [] });
      const st = userStatus(serviceCr({}, { observedGeneration: 1 }), obj, applied(), NOW);
      expect(st.observedGeneration).to.equal(1);
    });

    it('shows a rejected spec as Ready=False / Synced=False with the ECS exception and the field', () => {
      const st: ApplyState = {
        ...applied(),
        generation: 2,
        error: { type: 'InvalidParameterException', message: 'spec.desiredCount: bad', field: 'spec.desiredCount', terminal: true },
      };
      const status = userStatus(serviceCr(), storeService({ observedGeneration: 4 }), st, NOW);
      for (const type of ['Ready', 'Synced']) {
        expect(status.conditions.find((c: any) => c.type === type)).to.deep.include({
          status: 'False',
          reason: 'InvalidParameterException',
          message: 'spec.desiredCount: bad',
          observedGeneration: 2,
        });
      }
      // The previous (valid) generation is still what runs.
      expect(status.observedGeneration).to.equal(1);
    });

    it('adds Ready=True for kinds whose store status has no conditions', () => {
      const st = userStatus(serviceCr(), storeService(undefined), applied(), NOW);
      expect(st.conditions.find((c: any) => c.type === 'Ready')).to.deep.include({ status: 'True', reason: 'Accepted' });
    });

    it('keeps lastTransitionTime of unchanged conditions, so an unchanged status needs no write', () => {
      const obj = storeService({ observedGeneration: 5, conditions: [] });
      const first = userStatus(serviceCr(), obj, applied(), NOW);
      const cr = serviceCr({}, first);
      const second = userStatus(cr, obj, applied(), NOW + 60_000);
      expect(second).to.deep.equal(first);
      expect(statusPatch(cr, second)).to.equal(undefined);
    });

    it('records what a restarted bridge needs to put the store object back (storeRecord)', () => {
      const obj = storeService({ observedGeneration: 5, runningCount: 2, scheduler: { seq: 3, taskSeq: 9 }, conditions: [] });
      const full = { ...obj, metadata: { ...obj.metadata, resourceVersion: '77', finalizers: ['f'] } };
      const st = userStatus(serviceCr(), full, applied(), NOW);
      expect(st.storeRecord).to.deep.equal({
        metadata: { name: 'web', generation: 5, uid: 's-1', finalizers: ['f'], annotations: obj.metadata.annotations },
        spec: obj.spec,
        status: { observedGeneration: 5, conditions: [], scheduler: { seq: 3, taskSeq: 9 } },
        appliedGenerations: [[4, 1], [5, 2]],
      });
      expect(storeRecordOf(full)).to.not.have.property('appliedGenerations');
      // Nothing applied yet, nothing to record.
      expect(userStatus(serviceCr(), undefined, undefined, NOW)).to.not.have.property('storeRecord');
    });

    it('says Ready=Unknown while the status is from before a restart, and takes it back after', () => {
      const obj = storeService({
        observedGeneration: 5,
        conditions: [{ type: 'Ready', status: 'True', reason: 'SteadyState', message: '2/2', lastTransitionTime: 'T1', observedGeneration: 5 }],
      });
      const fresh = userStatus(serviceCr(), obj, applied(), NOW);
      const stale = userStatus(serviceCr({}, fresh), obj, applied(), NOW + 1000, { staleSince: NOW });
      expect(stale.conditions.find((c: any) => c.type === 'Ready')).to.deep.include({
        status: 'Unknown',
        reason: STALE_REASON,
        message: `ecsplane restarted at ${new Date(NOW).toISOString()}; this status is from before the restart and its controllers have not re-observed the object yet`,
      });
      expect(stale.conditions.find((c: any) => c.type === 'Synced')).to.deep.include({ status: 'True' });
      expect(stale.storeRecord.status.conditions[0].status).to.equal('True'); // the store's own condition, unchanged
      const again = userStatus(serviceCr({}, stale), obj, applied(), NOW + 2000);
      expect(again.conditions.find((c: any) => c.type === 'Ready')).to.deep.include({ status: 'True', reason: 'SteadyState', lastTransitionTime: 'T1' });
    });
  });

  describe('mirrors', () => {
    const task: Resource = {
      apiVersion: 'ecsplane.io/v1alpha1',
      kind: 'Task',
      metadata: {
        name: 'abc123',
        generation: 1,
        labels: { 'ecsplane.io/deployment': 'ecs-svc/123', 'bad label': 'x' },
        ownerReferences: [{ apiVersion: 'ecsplane.io/v1alpha1', kind: 'Service', name: 'web', uid: 'store-uid' }],
      },
      spec: { cluster: 'prod', taskDefinition: 'web:1' },
      status: { lastStatus: 'RUNNING', scheduler: undefined },
    };
    const id = identityOfKey('Task', 'prod/abc123');
    const owner = { apiVersion: 'ecsplane.io/v1alpha1', kind: 'Service', name: 'web', uid: 'k8s-uid' };

    it('is labelled, annotated with its identity and owned by the Kubernetes owner', () => {
      const body = mirrorBody(task, id, 'abc123', owner);
      expect(body.metadata.labels).to.include({ 'app.kubernetes.io/managed-by': 'ecsplane-bridge', 'ecsplane.io/cluster': 'prod' });
      expect(body.metadata.labels).to.have.property('ecsplane.io/deployment');
      expect(body.metadata.labels).to.not.have.property('bad label');
      expect(body.metadata.annotations).to.include({ 'ecsplane.io/name': 'abc123', 'ecsplane.io/cluster': 'prod' });
      expect(body.metadata.ownerReferences).to.deep.equal([{ ...owner, controller: true, blockOwnerDeletion: false }]);
      expect(body.spec).to.deep.equal(task.spec);
    });

    it('has a stable hash that changes with the content', () => {
      const a = mirrorBody(task, id, 'abc123', owner).metadata.annotations!['ecsplane.io/mirror-hash'];
      expect(mirrorBody(task, id, 'abc123', owner).metadata.annotations!['ecsplane.io/mirror-hash']).to.equal(a);
      expect(mirrorBody(task, id, 'abc123', { ...owner, uid: 'other' }).metadata.annotations!['ecsplane.io/mirror-hash']).to.not.equal(a);
    });

    it('patches an edited mirror back, replacing spec whole', () => {
      const want = mirrorBody(task, id, 'abc123', owner);
      const edited: KubeObject = {
        ...want,
        metadata: { ...want.metadata, labels: { ...want.metadata.labels, extra: 'x' } },
        spec: { cluster: 'prod', taskDefinition: 'web:9', extra: true },
      };
      const p = mirrorPatch(edited, want) as any;
      expect(p.metadata.labels).to.deep.equal({ extra: null });
      expect(p.spec).to.deep.equal(task.spec);
      expect(mirrorPatch(want, want)).to.equal(undefined);
    });

    it('shows the store status with its own generation', () => {
      const cr = { ...mirrorBody(task, id, 'abc123', owner), metadata: { name: 'abc123', generation: 3 } } as KubeObject;
      const obj = { ...task, status: { lastStatus: 'RUNNING', observedGeneration: 9, conditions: [{ type: 'Ready', status: 'True', reason: 'x', message: '', lastTransitionTime: 't', observedGeneration: 9 }] } };
      const st = mirrorStatus(cr, obj, NOW);
      expect(st.observedGeneration).to.equal(3);
      expect(st.conditions[0].observedGeneration).to.equal(3);
      expect(statusPatch(cr, st)).to.deep.equal({ status: st });
      expect(statusPatch({ ...cr, status: st }, st)).to.equal(undefined);
      expect(st.storeRecord).to.deep.equal(storeRecordOf(obj));
      expect(st.storeRecord.status.observedGeneration).to.equal(9);
      const stale = mirrorStatus({ ...cr, status: st }, obj, NOW, { staleSince: NOW - 5000 });
      expect(stale.conditions[0]).to.deep.include({ type: 'Ready', status: 'Unknown', reason: STALE_REASON });
    });

    it('hashes a mirror the same whatever order the apiserver gives its keys back in', () => {
      expect(hashOf({ a: 1, b: { c: [1, { d: 2, e: 3 }] } })).to.equal(hashOf({ b: { c: [1, { e: 3, d: 2 }] }, a: 1 }));
      expect(hashOf({ a: [1, 2] })).to.not.equal(hashOf({ a: [2, 1] }));
    });
  });
});
