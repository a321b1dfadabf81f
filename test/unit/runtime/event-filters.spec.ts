/**
 * Event filters (controller-runtime predicates): which changes wake which loop. Each filter may
 * only drop an event whose reconcile could not change anything; these tables pin both sides.
 */
import { expect } from 'chai';
import type { Resource } from '../../../api/meta.js';
import { holdsTheSame } from '../../../controllers/shared/accounting.js';
import { instanceKeysForTask } from '../../../controllers/container-instance/reconciler.js';
import { instanceChange, mayUnblock, mayWaitForRoom, serviceKeysForInstance } from '../../../controllers/service/wake.js';
import type { WatchEvent } from '../../../store/watch.js';
import { gcKeys } from '../../../controllers/gc/reconciler.js';
import type { InstanceObject, TaskObject } from '../../../controllers/shared/instances.js';
import { ResourceStore } from '../../../store/store.js';
import { deepFreeze } from '../../../store/objects.js';

const bindings = deepFreeze([{ containerPort: 80, hostPort: 32768, protocol: 'tcp' }]);
const task = (status: Record<string, unknown>): TaskObject =>
  deepFreeze({
    apiVersion: 'ecsplane.io/v1alpha1',
    kind: 'Task',
    metadata: { name: 't1' },
    spec: { cluster: 'prod' },
    status: {
      containerInstance: 'i-1',
      lastStatus: 'RUNNING',
      desiredStatus: 'RUNNING',
      cpu: '256',
      memory: '512',
      containers: [{ name: 'app', healthStatus: 'UNKNOWN', networkBindings: bindings }],
      ...status,
    },
  }) as unknown as TaskObject;

describe('event filters: which changes wake which loop', () => {
  const base = task({});
  const cases: Array<[string, TaskObject, boolean]> = [
    ['container health only (bindings kept)', task({ containers: [{ name: 'app', healthStatus: 'HEALTHY', networkBindings: bindings }], healthStatus: 'HEALTHY' }), true],
    ['a timestamp only', task({ startedAt: '2026-01-01T00:00:05.000Z' }), true],
    ['lastStatus', task({ lastStatus: 'DEACTIVATING' }), false],
    ['desiredStatus', task({ desiredStatus: 'STOPPED' }), false],
    ['memory', task({ memory: '1024' }), false],
    ['host ports (new bindings)', task({ containers: [{ name: 'app', networkBindings: [{ containerPort: 80, hostPort: 32769, protocol: 'tcp' }] }] }), false],
    ['another instance', task({ containerInstance: 'i-2' }), false],
  ];
  for (const [what, next, same] of cases) {
    it(`a task's instance usage ${same ? 'stays' : 'changes'}: ${what}`, () => {
      expect(holdsTheSame(base, next)).to.equal(same);
      const keys = instanceKeysForTask({ type: 'MODIFIED', object: next, previous: base as unknown as Resource });
      expect(keys.length).to.equal(same ? 0 : 1);
    });
  }

  it('a new task always wakes its instance', () => {
    expect(instanceKeysForTask({ type: 'ADDED', object: base })).to.deep.equal(['prod/i-1']);
  });

  const inst = (status: Record<string, unknown>, metadata: Record<string, unknown> = {}): InstanceObject =>
    deepFreeze({
      apiVersion: 'ecsplane.io/v1alpha1',
      kind: 'ContainerInstance',
      metadata: { name: 'i-1', ...metadata },
      spec: { cluster: 'prod' },
      status: {
        status: 'ACTIVE',
        agentConnected: true,
        runningTasksCount: 2,
        pendingTasksCount: 0,
        remainingResources: [
          { name: 'CPU', type: 'INTEGER', integerValue: 1024 },
          { name: 'MEMORY', type: 'INTEGER', integerValue: 2048 },
          { name: 'PORTS', type: 'STRINGSET', stringSetValue: ['22', '80'] },
        ],
        ...status,
      },
    }) as unknown as InstanceObject;
  const before = inst({});
  // A status write keeps the stored spec and metadata objects (the store shares them).
  const variant = (status: Record<string, unknown>, metadata?: Record<string, unknown>): InstanceObject =>
    deepFreeze({ ...before, metadata: metadata ? { ...before.metadata, ...metadata } : before.metadata, status: { ...before.status, ...status } }) as InstanceObject;
  const fuller = {
    runningTasksCount: 3,
    remainingResources: [
      { name: 'CPU', type: 'INTEGER', integerValue: 768 },
      { name: 'MEMORY', type: 'INTEGER', integerValue: 1536 },
      { name: 'PORTS', type: 'STRINGSET', stringSetValue: ['22', '80', '32768'] },
    ],
  };
  const instanceCases: Array<[string, InstanceObject, boolean]> = [
    ['a task placed on it (fuller)', variant(fuller), false],
    ['a task pending → running', variant({ runningTasksCount: 1, pendingTasksCount: 1 }), false],
    ['a task gone (more room)', variant({ runningTasksCount: 1, remainingResources: [{ name: 'CPU', type: 'INTEGER', integerValue: 1280 }, { name: 'MEMORY', type: 'INTEGER', integerValue: 2560 }] }), true],
    ['a port freed', variant({ remainingResources: [...(before.status!.remainingResources as any[]).slice(0, 2), { name: 'PORTS', type: 'STRINGSET', stringSetValue: ['22'] }] }), true],
    ['agent reconnected', variant({ agentConnected: false }), true],
    ['draining (annotation)', variant({}, { annotations: { 'ecsplane.io/desired-status': 'DRAINING' } }), true],
    ['another capacity provider', variant({ capacityProviderName: 'cp-2' }), true],
  ];
  for (const [what, next, wakes] of instanceCases) {
    it(`an instance change ${wakes ? 'wakes' : 'does not wake'} the cluster's services: ${what}`, () => {
      expect(mayUnblock(before, next)).to.equal(wakes);
    });
  }

  it('an instance with more room wakes only the services that may be waiting for room; a structural change wakes all', () => {
    const store = new ResourceStore();
    const svc = (name: string, spec: Record<string, unknown>, scheduler?: Record<string, unknown>) =>
      store.create({ apiVersion: 'ecsplane.io/v1alpha1', kind: 'Service', metadata: { name }, spec: { cluster: 'prod', ...spec }, ...(scheduler ? { status: { scheduler } } : {}) } as any);
    svc('a-steady', {}, { steady: true });
    const b = svc('b-scaling', {}, { steady: false });
    svc('c-daemon', { schedulingStrategy: 'DAEMON' }, { steady: true });
    svc('d-rebalancing', {}, { steady: true, azRetryAt: 1 });
    svc('e-new', {});
    const keys = serviceKeysForInstance(store);
    const ev = (next: InstanceObject): WatchEvent => ({ type: 'MODIFIED', object: next as unknown as Resource, previous: before as unknown as Resource, resourceVersion: 1 });
    const roomier = variant({ runningTasksCount: 1 });
    expect(instanceChange(before, roomier)).to.equal('roomier');
    expect([...keys(ev(roomier))]).to.deep.equal(['prod/b-scaling', 'prod/c-daemon', 'prod/d-rebalancing', 'prod/e-new']);
    expect([...keys(ev(variant({ agentConnected: false })))]).to.have.length(5);
    expect([...keys(ev(variant(fuller)))]).to.deep.equal([]);
    // The scaling service reaches steady state: it no longer waits for room.
    store.updateStatus({ ...b, status: { scheduler: { steady: true } } });
    expect([...keys(ev(roomier))]).to.deep.equal(['prod/c-daemon', 'prod/d-rebalancing', 'prod/e-new']);
    expect(mayWaitForRoom({ spec: {}, status: { scheduler: { steady: true, azRebalancing: true } } } as any)).to.equal(true);
  });

  it('the garbage collector looks at new objects and changed owners, not at status writes', () => {
    const store = new ResourceStore();
    const keys = gcKeys(store);
    const owner = { apiVersion: 'ecsplane.io/v1alpha1', kind: 'Service', name: 's', uid: 'u-1' };
    const t = store.create({ apiVersion: 'ecsplane.io/v1alpha1', kind: 'Task', metadata: { name: 't', ownerReferences: [owner] }, spec: { cluster: 'prod' } });
    const seen: string[][] = [];
    const sub = store.watch('Task', 0).subscribe((ev) => seen.push(keys(ev)));
    const t2 = store.updateStatus({ ...t, status: { lastStatus: 'RUNNING' } });
    store.update({ ...t2, metadata: { ...t2.metadata, ownerReferences: [{ ...owner, uid: 'u-2' }] } });
    sub.unsubscribe();
    expect(seen.map((k) => k.length)).to.deep.equal([1, 0, 1]); // ADDED, status write, owner change
  });

  it('the garbage collector skips a new object whose owner is there, and looks when that owner goes', () => {
    const store = new ResourceStore();
    const keys = gcKeys(store);
    const svc = store.create({ apiVersion: 'ecsplane.io/v1alpha1', kind: 'Service', metadata: { name: 's' }, spec: { cluster: 'prod' } });
    const owner = { apiVersion: 'ecsplane.io/v1alpha1', kind: 'Service', name: 's', uid: svc.metadata.uid! };
    const seen: string[][] = [];
    const sub = store.watch('*').subscribe((ev) => seen.push(keys(ev)));
    store.create({ apiVersion: 'ecsplane.io/v1alpha1', kind: 'Task', metadata: { name: 't', ownerReferences: [owner] }, spec: { cluster: 'prod' } });
    store.delete('Service', 'prod/s');
    sub.unsubscribe();
    expect(seen).to.deep.equal([[], ['Task\u0000prod/t']]);
  });
});
