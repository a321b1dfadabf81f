/**
 * Rebuilding the store from custom resources (controllers/bridge/rebuild.ts): the CRs the bridge writes
 * for a running store give back that store exactly, and ecsplane's loops resume from it without
 * renumbering revisions, losing or duplicating tasks, or starting deployments.
 */
import 'reflect-metadata';
import { expect } from 'chai';
import { keyOf, type Resource } from '../../../api/meta.js';
import { FIELD_MANAGER } from '../../../controllers/bridge/constants.js';
import { emptyApplyState, mirrorBody, mirrorStatus, normalizeJson, recordApplied, sourceOf, toStoreInput, userStatus } from '../../../controllers/bridge/mapping.js';
import { identityOfKey, identityOfUserCr, mirrorName, type KubeObject } from '../../../controllers/bridge/names.js';
import { applyStateOf, rebuildFromCrs, storeObjectOf } from '../../../controllers/bridge/rebuild.js';
import { loadManifests } from '../../../controllers/cli/manifests.js';
import { createApp, type App } from '../../../controllers/register.js';
import { VirtualClock } from '../../../controllers/runtime/clock.js';
import { runFor, T0 } from '../../helpers/fixtures.js';

const NS = 'demo-ns';
type TestApp = App & { clock: VirtualClock };

function newApp(clock = new VirtualClock(T0)): TestApp {
  return createApp({ clock, seed: 1, deterministicIds: true }) as TestApp;
}

/** Apply as the bridge does: from a CR of namespace NS (source annotations), as the bridge's writer. */
function applyAsBridge(app: TestApp, cr: KubeObject): void {
  app.api.apply(toStoreInput(cr.kind!, cr, identityOfUserCr(cr.kind!, cr), NS), { manager: FIELD_MANAGER });
}

const userCr = (doc: Resource, n: number): KubeObject => ({
  apiVersion: doc.apiVersion,
  kind: doc.kind,
  metadata: { name: doc.metadata.name, uid: `cr-${n}`, generation: 1, annotations: doc.metadata.annotations },
  spec: doc.spec,
});

/** What the apiserver hands back: JSON with object keys sorted (Go maps). */
function viaApiserver<T>(x: T): T {
  const sort = (v: any): any =>
    Array.isArray(v) ? v.map(sort) : v && typeof v === 'object' ? Object.fromEntries(Object.keys(v).sort().map((k) => [k, sort(v[k])])) : v;
  return sort(JSON.parse(JSON.stringify(x)));
}

/** The docs' setup: examples/kubernetes, a second revision, a service pinned to web:2, a RunTask of 2. */
function steadyDemo(): { app: TestApp; crs: Map<string, KubeObject> } {
  const app = newApp();
  app.manager.startWatching();
  const crs = new Map<string, KubeObject>();
  let n = 0;
  const put = (doc: Resource) => {
    const cr = userCr(doc, ++n);
    crs.set(`${doc.kind}/${doc.metadata.name}`, cr);
    applyAsBridge(app, cr);
  };
  const docs = loadManifests(['00-cluster.yaml', '10-taskdefinition-web.yaml', '20-service-web.yaml'].map((f) => `examples/kubernetes/${f}`));
  for (const d of docs) put(d);
  runFor(app, 30_000);
  const td = docs.find((d) => d.kind === 'TaskDefinition')!;
  const td2 = structuredClone(td);
  td2.spec.containerDefinitions[0].environment[0].value = '2';
  const tdCr = { ...crs.get('TaskDefinition/web')!, spec: td2.spec, metadata: { ...crs.get('TaskDefinition/web')!.metadata, generation: 2 } };
  crs.set('TaskDefinition/web', tdCr);
  app.api.apply(toStoreInput('TaskDefinition', tdCr, identityOfUserCr('TaskDefinition', tdCr), NS), { manager: FIELD_MANAGER });
  const net = { awsvpcConfiguration: { subnets: ['subnet-a'], securityGroups: ['sg-web'] } };
  put({ apiVersion: td.apiVersion, kind: 'Service', metadata: { name: 'pinned' }, spec: {
    cluster: 'demo', taskDefinition: 'web:2', desiredCount: 2, launchType: 'FARGATE', networkConfiguration: net,
    deploymentConfiguration: { minimumHealthyPercent: 50, maximumPercent: 100 },
  } });
  put({ apiVersion: td.apiVersion, kind: 'Task', metadata: { name: 'batch' }, spec: { cluster: 'demo', taskDefinition: 'web:1', count: 2, launchType: 'FARGATE', networkConfiguration: net } });
  runFor(app, 60_000);
  return { app, crs };
}

/** The custom resources the bridge keeps for every store object (status written, through the apiserver). */
function crsOf(app: TestApp, userCrs: Map<string, KubeObject>): Map<string, KubeObject[]> {
  const out = new Map<string, KubeObject[]>();
  const add = (kind: string, cr: KubeObject) => out.set(kind, [...(out.get(kind) ?? []), viaApiserver(cr)]);
  let n = 0;
  for (const obj of app.store.snapshot().objects) {
    const src = sourceOf(obj, NS);
    if (src) {
      const cr = userCrs.get(`${obj.kind}/${src.name}`)!;
      const st = recordApplied(emptyApplyState(), cr.metadata.generation!, obj.metadata.generation!, cr.metadata.uid);
      add(obj.kind, { ...cr, status: userStatus(cr, obj, st, app.clock.now()) });
      continue;
    }
    const id = identityOfKey(obj.kind, keyOf(obj));
    const body = mirrorBody(obj, id, mirrorName(id), undefined);
    const cr: KubeObject = { ...body, metadata: { ...body.metadata, uid: `m-${++n}`, generation: 1 } };
    add(obj.kind, { ...cr, status: mirrorStatus(cr, obj, app.clock.now()) });
  }
  return out;
}

function restoredApp(crs: Map<string, KubeObject[]>, at: number): { app: TestApp; skipped: unknown[] } {
  const app = newApp(new VirtualClock(at));
  const res = rebuildFromCrs(crs, NS);
  app.store.restore({ resourceVersion: res.resourceVersion, objects: res.objects });
  app.manager.startWatching();
  return { app, skipped: res.skipped };
}

const tasksOf = (app: TestApp) =>
  app.store
    .list('Task')
    .filter((t) => t.status?.lastStatus !== 'STOPPED')
    .map((t) => `${t.metadata.name} ${t.status?.taskDefinitionArn?.replace(/.*\//, '')} ${t.status?.lastStatus}`)
    .sort();
const deploymentsOf = (app: TestApp, key: string) =>
  (app.store.get('Service', key)!.status.deployments as any[]).map((d) => `${d.id} ${d.status} ${d.taskDefinition.replace(/.*\//, '')} ${d.rolloutState}`);
const ready = (obj: Resource | undefined) => obj?.status?.conditions?.find((c: any) => c.type === 'Ready')?.status;

describe('bridge rebuild (CRs → store)', () => {
  it('gives back the store the CRs were written from, object for object', () => {
    const { app, crs } = steadyDemo();
    const before = app.store.snapshot().objects;
    expect(before.map((o) => o.kind)).to.include.members(['TaskDefinitionRevision', 'Service', 'Task', 'Cluster']);
    const res = rebuildFromCrs(crsOf(app, crs), NS);
    expect(res.skipped).to.deep.equal([]);
    expect(res.objects).to.have.length(before.length);
    const byKey = new Map(res.objects.map((o) => [`${o.kind}/${keyOf(o)}`, o]));
    for (const o of before) {
      const { resourceVersion: _a, ...want } = o.metadata;
      const got = byKey.get(`${o.kind}/${keyOf(o)}`)!;
      const { resourceVersion: _b, ...gotMeta } = got.metadata;
      expect({ ...got, metadata: gotMeta }, `${o.kind} ${keyOf(o)}`).to.deep.equal(normalizeJson({ ...o, metadata: want }));
    }
  });

  it('resumes: same revisions, tasks and deployments; the pinned service stays Ready, no task is started', () => {
    const { app, crs } = steadyDemo();
    const tasks = tasksOf(app);
    expect(tasks).to.have.length(6); // web 2, pinned 2, batch 2
    const deps = { web: deploymentsOf(app, 'demo/web'), pinned: deploymentsOf(app, 'demo/pinned') };
    const { app: next } = restoredApp(crsOf(app, crs), app.clock.now() + 5_000);
    runFor(next, 120_000);
    expect(tasksOf(next)).to.deep.equal(tasks);
    expect(next.store.list('TaskDefinitionRevision').map((r) => `${r.metadata.name} ${r.status.revision}`)).to.deep.equal(['web:1 1', 'web:2 2']);
    expect(next.store.get('TaskDefinition', 'web')!.status.revision).to.equal(2);
    expect(deploymentsOf(next, 'demo/web')).to.deep.equal(deps.web);
    expect(deploymentsOf(next, 'demo/pinned')).to.deep.equal(deps.pinned);
    expect(ready(next.store.get('Service', 'demo/pinned'))).to.equal('True');
    // Re-applying the unchanged custom resources changes nothing (no new revision, no new deployment).
    for (const cr of crs.values()) {
      const r = next.api.apply(toStoreInput(cr.kind!, cr, identityOfUserCr(cr.kind!, cr), NS), { manager: FIELD_MANAGER });
      expect(r.action, `${cr.kind}/${cr.metadata.name}`).to.equal('unchanged');
    }
  });

  it('replaces a task whose CR never got written, and never runs more than maximumPercent allows', () => {
    const { app, crs } = steadyDemo();
    const all = crsOf(app, crs);
    const pinnedTasks = all.get('Task')!.filter((t) => t.status?.group === 'service:pinned');
    all.set('Task', all.get('Task')!.filter((t) => t !== pinnedTasks[0]));
    const { app: next } = restoredApp(all, app.clock.now() + 1_000);
    let most = 0;
    const count = () => next.store.list('Task').filter((t) => t.status?.group === 'service:pinned' && t.status?.lastStatus !== 'STOPPED').length;
    next.store.watch('Task').subscribe(() => (most = Math.max(most, count())));
    runFor(next, 60_000);
    expect(count()).to.equal(2);
    expect(most).to.be.at.most(2); // desiredCount 2 × maximumPercent 100
    expect(next.store.get('Task', `demo/${pinnedTasks[1].metadata.name}`)?.status.lastStatus).to.equal('RUNNING');
  });

  describe('what is left out', () => {
    let app: TestApp;
    let svc: KubeObject;
    let task: KubeObject;
    before(() => {
      let crs: Map<string, KubeObject>;
      ({ app, crs } = steadyDemo());
      const all = crsOf(app, crs);
      svc = all.get('Service')!.find((c) => c.metadata.name === 'pinned')!;
      task = all.get('Task')!.find((c) => c.status?.group === 'service:web')!;
    });

    it('a CR without a record', () => {
      expect(storeObjectOf('Service', { ...svc, status: { ...svc.status, storeRecord: undefined } }, NS)).to.deep.equal({ why: 'no store record in status' });
    });

    it('a record applied from another CR, namespace or an earlier CR of that name', () => {
      expect(storeObjectOf('Service', { ...svc, metadata: { ...svc.metadata, name: 'other' } }, NS)).to.have.property('why').that.match(/applied from demo-ns\/pinned/);
      expect(storeObjectOf('Service', svc, 'elsewhere')).to.have.property('why').that.match(/applied from demo-ns\/pinned/);
      expect(storeObjectOf('Service', { ...svc, metadata: { ...svc.metadata, uid: 'new' } }, NS)).to.have.property('why').that.match(/earlier custom resource/);
    });

    it('a mirror whose record names another object than its annotations', () => {
      const other = { ...task, metadata: { ...task.metadata, annotations: { ...task.metadata.annotations, 'ecsplane.io/name': 'zzz' } } };
      expect(storeObjectOf('Task', other, NS)).to.have.property('why').that.match(/its record describes Task demo\/[0-9a-f]+, its annotations demo\/zzz/);
    });

    it('a record whose spec or metadata is not valid (status is writable by others)', () => {
      const rec = svc.status.storeRecord;
      const bad = (storeRecord: any) => storeObjectOf('Service', { ...svc, status: { ...svc.status, storeRecord } }, NS);
      expect(bad({ ...rec, spec: { ...rec.spec, desiredCount: 'many' } })).to.have.property('why').that.match(/spec is invalid/);
      expect(bad({ ...rec, metadata: { ...rec.metadata, uid: 7 } })).to.deep.equal({ why: 'its record has no uid' });
      expect(bad({ ...rec, metadata: { ...rec.metadata, labels: { a: 1 } } })).to.have.property('why').that.match(/labels or annotations/);
      expect(bad({ ...rec, metadata: { ...rec.metadata, ownerReferences: [{ kind: 'X' }] } })).to.have.property('why').that.match(/owner references/);
      expect(bad('junk')).to.deep.equal({ why: 'no store record in status' });
    });

    it('a mirror of an object the user CR of the same name also describes (the user CR wins)', () => {
      const id = identityOfKey('Service', 'demo/pinned');
      const obj = app.store.get('Service', 'demo/pinned')!;
      const stripped: Resource = { ...obj, metadata: { ...obj.metadata, annotations: {} } }; // as if it came from a manifest
      const body = mirrorBody(stripped, id, 'pinned-mirror', undefined);
      const mirror: KubeObject = { ...body, metadata: { ...body.metadata, uid: 'm', generation: 1 } };
      const res = rebuildFromCrs(new Map([['Service', [svc, { ...mirror, status: mirrorStatus(mirror, stripped, 0) }]]]), NS);
      expect(res.objects.map((o) => o.metadata.annotations?.['bridge.ecsplane.io/source'])).to.deep.equal(['demo-ns/pinned']);
      expect(res.skipped).to.deep.equal([{ kind: 'Service', name: 'pinned-mirror', why: 'Service demo/pinned is rebuilt from pinned' }]);
    });
  });

  describe('what the desired loop knew', () => {
    it('the generation pairs of the applies', () => {
      const cr: KubeObject = { metadata: { name: 'web', uid: 'u', generation: 3 }, status: {} };
      expect(applyStateOf(cr, { metadata: { name: 'web' }, spec: {}, appliedGenerations: [[1, 1], [4, 3], ['x' as any, 2]] })).to.deep.equal({
        uid: 'u',
        generation: 3,
        generations: [[1, 1], [4, 3]],
      });
    });

    it('a rejection the CR still shows for its generation', () => {
      const cr: KubeObject = {
        metadata: { name: 'web', uid: 'u', generation: 3 },
        status: { conditions: [{ type: 'Synced', status: 'False', reason: 'InvalidParameterException', message: 'spec.x: bad', observedGeneration: 3 }] },
      };
      expect(applyStateOf(cr, { metadata: { name: 'web' }, spec: {}, appliedGenerations: [[1, 1]] })).to.deep.equal({
        uid: 'u',
        generation: 3,
        generations: [[1, 1]],
        error: { type: 'InvalidParameterException', message: 'spec.x: bad', terminal: true },
      });
    });
  });
});
