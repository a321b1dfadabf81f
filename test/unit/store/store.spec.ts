import { expect } from 'chai';
import { firstValueFrom, take, toArray } from 'rxjs';
import { ResourceStore } from '../../../store/store.js';
import { AlreadyExistsError, ConflictError, ExpiredError, NotFoundError } from '../../../store/errors.js';
import type { Resource } from '../../../api/meta.js';
import { writeStatus } from '../../../controllers/shared/status.js';

const svc = (name: string, spec: Record<string, unknown> = { desiredCount: 1 }): Resource => ({
  apiVersion: 'ecsplane.io/v1alpha1',
  kind: 'Service',
  metadata: { name, labels: { app: name } },
  spec: { cluster: 'prod', ...spec },
});

describe('store: versioned resource store', () => {
  let now = 1_000;
  let store: ResourceStore;
  beforeEach(() => {
    now = 1_000;
    store = new ResourceStore({ now: () => now, historySize: 8 });
  });

  it('create sets uid, creationTimestamp, generation 1 and a resourceVersion; keys are cluster/name', () => {
    const o = store.create(svc('web'));
    expect(o.metadata.uid).to.be.a('string');
    expect(o.metadata.creationTimestamp).to.equal(new Date(1000).toISOString());
    expect(o.metadata.generation).to.equal(1);
    expect(o.metadata.resourceVersion).to.equal('1');
    expect(store.get('Service', 'prod/web')).to.equal(o);
    expect(() => store.create(svc('web'))).to.throw(AlreadyExistsError);
  });

  it('resourceVersion is global and monotonic across kinds', () => {
    const a = store.create(svc('a'));
    const b = store.create({ apiVersion: 'ecsplane.io/v1alpha1', kind: 'Cluster', metadata: { name: 'prod' }, spec: {} });
    const a2 = store.update({ ...a, spec: { ...a.spec, desiredCount: 5 } });
    expect([a, b, a2].map((o) => Number(o.metadata.resourceVersion))).to.deep.equal([1, 2, 3]);
    expect(store.resourceVersion).to.equal(3);
  });

  it('generation bumps only on spec change; status and metadata changes keep it', () => {
    const a = store.create(svc('a'));
    const b = store.update({ ...a, metadata: { ...a.metadata, labels: { x: 'y' } } });
    expect(b.metadata.generation).to.equal(1);
    const c = store.updateStatus({ ...b, status: { runningCount: 1 } });
    expect(c.metadata.generation).to.equal(1);
    const d = store.update({ ...c, spec: { ...c.spec, desiredCount: 3 } });
    expect(d.metadata.generation).to.equal(2);
    expect(d.status).to.deep.equal({ runningCount: 1 }, 'update keeps status');
  });

  it('a stale resourceVersion is a Conflict and never overwrites', () => {
    const a = store.create(svc('a'));
    store.update({ ...a, spec: { ...a.spec, desiredCount: 2 } });
    expect(() => store.update({ ...a, spec: { ...a.spec, desiredCount: 9 } })).to.throw(ConflictError);
    expect(() => store.updateStatus({ ...a, status: { x: 1 } })).to.throw(ConflictError);
    expect(store.get('Service', 'prod/a')!.spec.desiredCount).to.equal(2);
  });

  it('no-op writes do not bump resourceVersion', () => {
    const a = store.create(svc('a'));
    const b = store.update({ ...a });
    expect(b.metadata.resourceVersion).to.equal(a.metadata.resourceVersion);
    const c = store.updateStatus({ ...a, status: undefined });
    expect(c.metadata.resourceVersion).to.equal(a.metadata.resourceVersion);
  });

  it('reads are frozen: callers cannot mutate stored state', () => {
    const a = store.create(svc('a'));
    expect(() => {
      (a.spec as any).desiredCount = 100;
    }).to.throw(TypeError);
    expect(() => {
      (store.get('Service', 'prod/a')!.metadata.labels as any).app = 'x';
    }).to.throw(TypeError);
  });

  it('input objects are copied: mutating them after create changes nothing', () => {
    const input = svc('a');
    store.create(input);
    (input.spec as any).desiredCount = 42;
    expect(store.get('Service', 'prod/a')!.spec.desiredCount).to.equal(1);
  });

  it('lists by kind, cluster, label selector and owner', () => {
    store.create(svc('a'));
    store.create({ ...svc('b'), spec: { cluster: 'dev' } });
    const owner = store.create({ apiVersion: 'ecsplane.io/v1alpha1', kind: 'Cluster', metadata: { name: 'prod' }, spec: {} });
    store.create({ ...svc('c'), metadata: { name: 'c', labels: { app: 'c', tier: 'web' }, ownerReferences: [{ apiVersion: 'v', kind: 'Cluster', name: 'prod', uid: owner.metadata.uid! }] } });
    expect(store.list('Service').map((o) => o.metadata.name).sort()).to.deep.equal(['a', 'b', 'c']);
    expect(store.list('Service', { cluster: 'prod' }).map((o) => o.metadata.name).sort()).to.deep.equal(['a', 'c']);
    expect(store.list('Service', { labelSelector: 'tier=web' }).map((o) => o.metadata.name)).to.deep.equal(['c']);
    expect(store.list('Service', { labelSelector: 'app in (a,b)' }).map((o) => o.metadata.name).sort()).to.deep.equal(['a', 'b']);
    expect(store.list('Service', { labelSelector: '!tier' })).to.have.length(2);
    expect(store.list('Service', { ownerUid: owner.metadata.uid }).map((o) => o.metadata.name)).to.deep.equal(['c']);
    expect(store.dependentsOf(owner.metadata.uid!).map((o) => o.metadata.name)).to.deep.equal(['c']);
  });

  it('delete removes at once without finalizers, and only marks deletionTimestamp with them', () => {
    const a = store.create(svc('a'));
    store.delete('Service', 'prod/a');
    expect(store.get('Service', 'prod/a')).to.equal(undefined);
    expect(() => store.delete('Service', 'prod/a')).to.throw(NotFoundError);
    const b = store.create({ ...svc('b'), metadata: { name: 'b', finalizers: ['x'] } });
    now = 5000;
    const marked = store.delete('Service', 'prod/b');
    expect(marked.metadata.deletionTimestamp).to.equal(new Date(5000).toISOString());
    expect(store.get('Service', 'prod/b')).to.exist;
    store.update({ ...marked, metadata: { ...marked.metadata, finalizers: [] } });
    expect(store.get('Service', 'prod/b')).to.equal(undefined, 'removing the last finalizer removes the object');
    void a;
    void b;
  });

  it('delete with a stale resourceVersion is a Conflict', () => {
    const a = store.create(svc('a'));
    store.update({ ...a, spec: { ...a.spec, desiredCount: 2 } });
    expect(() => store.delete('Service', 'prod/a', { resourceVersion: a.metadata.resourceVersion })).to.throw(ConflictError);
  });

  it('watch from a resourceVersion replays history then streams live events, without gaps', async () => {
    const a = store.create(svc('a'));
    const from = Number(a.metadata.resourceVersion);
    store.update({ ...a, spec: { ...a.spec, desiredCount: 2 } });
    const got = firstValueFrom(store.watch('Service', from).pipe(take(3), toArray()));
    store.create({ apiVersion: 'ecsplane.io/v1alpha1', kind: 'Cluster', metadata: { name: 'prod' }, spec: {} });
    store.delete('Service', 'prod/a');
    store.create(svc('z'));
    const events = await got;
    expect(events.map((e) => e.type)).to.deep.equal(['MODIFIED', 'DELETED', 'ADDED']);
    expect(events.map((e) => e.resourceVersion)).to.deep.equal([2, 4, 5]);
  });

  it('list-then-watch: the list resourceVersion is the watch start and nothing is missed', async () => {
    store.create(svc('a'));
    const { items, resourceVersion } = store.listAndVersion('Service');
    const got = firstValueFrom(store.watch('Service', resourceVersion).pipe(take(1), toArray()));
    store.create(svc('b'));
    expect(items).to.have.length(1);
    expect((await got)[0].object.metadata.name).to.equal('b');
  });

  it('watch from a version older than the bounded history fails with Expired (410)', async () => {
    const first = store.create(svc('a'));
    for (let i = 0; i < 20; i++) store.updateStatus({ ...store.get('Service', 'prod/a')!, status: { i } });
    const err = await new Promise<unknown>((resolve) => store.watch('Service', Number(first.metadata.resourceVersion)).subscribe({ error: resolve }));
    expect(err).to.be.instanceOf(ExpiredError);
    expect((err as ExpiredError).code).to.equal(410);
    // A recent version still works.
    const recent = store.resourceVersion - 3;
    const events: unknown[] = [];
    store.watch('Service', recent).subscribe((e) => events.push(e));
    expect(events).to.have.length(3);
  });

  it('secondary indexes follow writes', () => {
    store.addIndex('Service', 'by-app', (o) => (o.metadata.labels?.app ? [o.metadata.labels.app] : []));
    const a = store.create(svc('a'));
    expect(store.byIndex('Service', 'by-app', 'a')).to.have.length(1);
    store.update({ ...a, metadata: { ...a.metadata, labels: { app: 'z' } } });
    expect(store.byIndex('Service', 'by-app', 'a')).to.have.length(0);
    expect(store.byIndex('Service', 'by-app', 'z')).to.have.length(1);
    store.delete('Service', 'prod/a');
    expect(store.byIndex('Service', 'by-app', 'z')).to.have.length(0);
  });

  it('snapshot/restore keeps objects and the resourceVersion counter', () => {
    store.create(svc('a'));
    store.create(svc('b'));
    const snap = JSON.parse(JSON.stringify(store.snapshot()));
    const restored = new ResourceStore({ now: () => now });
    restored.restore(snap);
    expect(restored.resourceVersion).to.equal(2);
    expect(restored.list('Service')).to.have.length(2);
    expect(restored.create(svc('c')).metadata.resourceVersion).to.equal('3');
  });

  it('indexes and owner lookups follow status writes, owner changes, restore and removal', () => {
    store.addIndex('Service', 'by-phase', (o) => (o.status?.phase ? [String(o.status.phase)] : []));
    const owner = { apiVersion: 'ecsplane.io/v1alpha1', kind: 'Cluster', name: 'prod', uid: 'u-1' };
    const a = store.create({ ...svc('a'), metadata: { name: 'a', ownerReferences: [owner] } });
    const a1 = store.updateStatus({ ...a, status: { phase: 'one' } });
    expect(store.byIndex('Service', 'by-phase', 'one').map((o) => o.metadata.name)).to.deep.equal(['a']);
    store.updateStatus({ ...a1, status: { phase: 'two' } });
    expect(store.byIndex('Service', 'by-phase', 'one')).to.have.length(0);
    expect(store.byIndex('Service', 'by-phase', 'two')).to.have.length(1);
    expect(store.dependentsOf('u-1').map((o) => o.metadata.name)).to.deep.equal(['a']);
    const cur = store.get('Service', 'prod/a')!;
    store.update({ ...cur, metadata: { ...cur.metadata, ownerReferences: [{ ...owner, uid: 'u-2' }] } });
    expect(store.dependentsOf('u-1')).to.have.length(0);
    expect(store.dependentsOf('u-2')).to.have.length(1);
    const restored = new ResourceStore({ now: () => now });
    restored.addIndex('Service', 'by-phase', (o) => (o.status?.phase ? [String(o.status.phase)] : []));
    restored.restore(JSON.parse(JSON.stringify(store.snapshot())));
    expect(restored.byIndex('Service', 'by-phase', 'two')).to.have.length(1);
    expect(restored.dependentsOf('u-2')).to.have.length(1);
    store.delete('Service', 'prod/a');
    expect(store.byIndex('Service', 'by-phase', 'two')).to.have.length(0);
    expect(store.dependentsOf('u-2')).to.have.length(0);
  });

  it('a status write shares the unchanged parts of the previous version and copies the rest', () => {
    const a = store.create(svc('a'));
    const v1 = store.updateStatus({ ...a, status: { deployments: [{ id: 'd1', running: 1 }], events: [{ m: 'x' }] } });
    const next = { deployments: [{ id: 'd1', running: 2 }], events: [{ m: 'x' }] }; // rebuilt by the writer
    const v2 = store.updateStatus({ ...v1, status: next });
    expect(v2.status!.events).to.equal(v1.status!.events); // equal: the stored array is kept
    expect(v2.status!.deployments).to.not.equal(v1.status!.deployments);
    expect(v2.status!.deployments).to.deep.equal([{ id: 'd1', running: 2 }]);
    expect(Object.isFrozen(v2.status!.deployments[0])).to.equal(true);
    next.deployments[0].running = 3; // the writer's object stays the writer's
    expect(store.get('Service', 'prod/a')!.status!.deployments[0].running).to.equal(2);
    const rv = store.resourceVersion;
    expect(store.updateStatus({ ...v2, status: { events: [{ m: 'x' }], deployments: [{ running: 2, id: 'd1' }] } })).to.equal(v2);
    expect(store.resourceVersion).to.equal(rv); // equal content in another order: no write
    const v3 = store.updateStatus({ ...v2, status: { ...v2.status, gone: undefined, deployments: undefined } });
    expect(v3.status).to.deep.equal({ events: [{ m: 'x' }] }); // undefined members are dropped
  });

  it('writeStatus hands the new status over: frozen in place, equal parts shared, no-op when equal', () => {
    const a = store.create(svc('a'));
    const v1 = writeStatus(store, a, { deployments: [{ id: 'd1', running: 1 }], events: [{ m: 'x' }] });
    const next: Record<string, any> = { deployments: [{ id: 'd1', running: 2 }], events: [{ m: 'x' }] };
    const v2 = writeStatus(store, v1, next);
    expect(v2.status).to.equal(next); // taken over, not copied
    expect(Object.isFrozen(next) && Object.isFrozen(next.deployments[0])).to.equal(true);
    expect(next.events).to.equal(v1.status!.events); // the equal part is the stored one
    expect(() => {
      next.deployments[0].running = 3;
    }).to.throw(TypeError);
    const rv = store.resourceVersion;
    const same = { deployments: [{ id: 'd1', running: 2 }], events: [{ m: 'x' }] };
    expect(writeStatus(store, v2, same)).to.equal(v2);
    expect(store.resourceVersion).to.equal(rv);
    expect(Object.isFrozen(same)).to.equal(false); // nothing written, nothing taken
    const v3 = writeStatus(store, v2, { ...v2.status, gone: undefined });
    expect(v3.status).to.deep.equal({ deployments: [{ id: 'd1', running: 2 }], events: [{ m: 'x' }] });
    expect(Object.keys(v3.status!)).to.not.include('gone'); // undefined members dropped
    expect(() => writeStatus(store, v1, { phase: 'stale' })).to.throw(ConflictError);
  });
});
