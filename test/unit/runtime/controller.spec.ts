import { expect } from 'chai';
import { ResourceStore } from '../../../store/store.js';
import { VirtualClock } from '../../../controllers/runtime/clock.js';
import { Manager } from '../../../controllers/runtime/manager.js';
import { TerminalError } from '../../../controllers/runtime/controller.js';
import { silentLogger } from '../../../controllers/runtime/logger.js';
import { ConflictError } from '../../../store/errors.js';

const cluster = (name: string) => ({ apiVersion: 'ecsplane.io/v1alpha1', kind: 'Cluster', metadata: { name }, spec: {} });

describe('runtime: controller + manager', () => {
  let clock: VirtualClock;
  let store: ResourceStore;
  let manager: Manager;
  beforeEach(() => {
    clock = new VirtualClock(0);
    store = new ResourceStore({ now: () => clock.now() });
    manager = new Manager(store, clock, silentLogger);
  });

  it('events only enqueue keys; bursts coalesce into one reconcile per key', () => {
    const seen: string[] = [];
    manager.add({ name: 't', forKind: 'Cluster', watches: [{ kind: 'Cluster' }], reconciler: { reconcile: (k) => void seen.push(k) } });
    manager.startWatching();
    const a = store.create(cluster('a'));
    store.updateStatus({ ...a, status: { x: 1 } });
    store.create(cluster('b'));
    manager.drain();
    expect(seen).to.deep.equal(['a', 'b']);
  });

  it('the initial list enqueues existing objects (level-triggered start)', () => {
    store.create(cluster('pre'));
    const seen: string[] = [];
    manager.add({ name: 't', forKind: 'Cluster', watches: [{ kind: 'Cluster' }], reconciler: { reconcile: (k) => void seen.push(k) } });
    manager.startWatching();
    manager.drain();
    expect(seen).to.deep.equal(['pre']);
  });

  it('requeueAfter schedules a re-check on the clock', () => {
    let n = 0;
    manager.add({ name: 't', forKind: 'Cluster', watches: [{ kind: 'Cluster' }], reconciler: { reconcile: () => (++n < 3 ? { requeueAfterMs: 1000 } : undefined) } });
    manager.startWatching();
    store.create(cluster('a'));
    manager.drain();
    expect(n).to.equal(1);
    clock.advanceTo(1000);
    manager.drain();
    clock.advanceTo(2000);
    manager.drain();
    expect(n).to.equal(3);
    expect(manager.isQuiet()).to.equal(true);
  });

  it('errors back off per key; Conflict retries; a terminal error is recorded and not retried', () => {
    const calls: Record<string, number> = { a: 0, b: 0, c: 0 };
    const terminal: string[] = [];
    manager.add({
      name: 't',
      forKind: 'Cluster',
      watches: [{ kind: 'Cluster' }],
      maxRetries: 3,
      reconciler: {
        reconcile: (k) => {
          calls[k]++;
          if (k === 'a') throw new Error('boom');
          if (k === 'b' && calls[k] < 3) throw new ConflictError('conflict');
          if (k === 'c') throw new TerminalError('bad spec');
        },
        recordTerminalError: (k) => void terminal.push(k),
      },
    });
    manager.startWatching();
    ['a', 'b', 'c'].forEach((n) => store.create(cluster(n)));
    manager.drain();
    for (let t = 1; t <= 100; t++) {
      clock.advanceTo(t * 10);
      manager.drain();
    }
    expect(calls.a).to.equal(4, '1 try + 3 retries, then dropped');
    expect(calls.b).to.equal(3, 'conflicts retried until success');
    expect(calls.c).to.equal(1);
    expect(terminal).to.deep.equal(['c']);
  });

  it('isQuiet reports queued work and timers due before a time', () => {
    manager.add({ name: 't', forKind: 'Cluster', watches: [{ kind: 'Cluster' }], reconciler: { reconcile: () => ({ requeueAfterMs: 5000 }) } });
    manager.startWatching();
    store.create(cluster('a'));
    expect(manager.isQuiet()).to.equal(false);
    manager.drain();
    expect(manager.isQuiet(4000)).to.equal(true);
    expect(manager.isQuiet(6000)).to.equal(false);
  });

  it('ignoreOwnWrites: the children a reconcile writes do not queue it again; their writes by others do', () => {
    const seen: string[] = [];
    const child = (name: string, owner: string) => ({ ...cluster(name), kind: 'Service', metadata: { name, labels: { owner } } });
    const childNamed = (name: string) => store.list('Service').find((o) => o.metadata.name === name);
    manager.add({
      name: 't',
      forKind: 'Cluster',
      watches: [{ kind: 'Cluster' }, { kind: 'Service', toKeys: (ev) => [ev.object.metadata.labels!.owner], ignoreOwnWrites: true }],
      reconciler: {
        reconcile: (k) => {
          seen.push(k);
          if (!childNamed(`${k}-child`)) store.create(child(`${k}-child`, k)); // its own write
          if (k === 'a' && store.get('Cluster', 'b') && !childNamed('x-child')) store.create(child('x-child', 'b')); // b's child: b runs
        },
      },
    });
    manager.startWatching();
    store.create(cluster('a'));
    manager.drain();
    expect(seen).to.deep.equal(['a']);
    store.create(cluster('b'));
    manager.drain();
    expect(seen).to.deep.equal(['a', 'b']);
    const c = childNamed('a-child')!;
    store.updateStatus({ ...c, status: { lastStatus: 'PENDING' } }); // written by someone else: a runs (and makes b's child)
    manager.drain();
    expect(seen).to.deep.equal(['a', 'b', 'a', 'b']);
  });

  it("a reconcile's writes to its own object do not queue it again; anyone else's do", () => {
    const seen: string[] = [];
    manager.add({
      name: 't',
      forKind: 'Cluster',
      watches: [{ kind: 'Cluster' }],
      reconciler: {
        reconcile: (k) => {
          seen.push(k);
          const c = store.get('Cluster', k)!;
          store.updateStatus({ ...c, status: { seen: seen.length } }); // its own result
          if (k === 'a') {
            const b = store.get('Cluster', 'b')!;
            store.updateStatus({ ...b, status: { touchedBy: 'a' } }); // another object: b must run
          }
        },
      },
    });
    manager.startWatching();
    store.create(cluster('a'));
    manager.drain();
    expect(seen).to.deep.equal(['a']);
    store.create(cluster('b'));
    manager.drain();
    expect(seen).to.deep.equal(['a', 'b']);
    const a = store.get('Cluster', 'a')!;
    store.updateStatus({ ...a, status: { by: 'user' } }); // an outside write queues a
    manager.drain();
    expect(seen).to.deep.equal(['a', 'b', 'a', 'b']);
  });

  it('writes an asynchronous reconcile makes after it yields queue its key as usual', async () => {
    let runs = 0;
    manager.add({
      name: 't',
      forKind: 'Cluster',
      watches: [{ kind: 'Cluster' }],
      reconciler: {
        reconcile: async (k) => {
          runs++;
          await Promise.resolve();
          const c = store.get('Cluster', k)!;
          if (runs === 1) store.updateStatus({ ...c, status: { step: 1 } });
        },
      },
    });
    manager.startWatching();
    store.create(cluster('a'));
    const c = manager.controllers[0];
    await c.processKey(c.queue.get()!);
    expect(c.queue.length).to.equal(1);
  });

  it("drain gives each controller every key it had queued at the start of its turn", () => {
    const order: string[] = [];
    manager.add({ name: 'first', forKind: 'Cluster', watches: [{ kind: 'Cluster' }], reconciler: { reconcile: (k) => void order.push(`first:${k}`) } });
    manager.add({ name: 'second', forKind: 'Cluster', watches: [{ kind: 'Cluster' }], reconciler: { reconcile: (k) => void order.push(`second:${k}`) } });
    manager.startWatching();
    for (const n of ['a', 'b', 'c']) store.create(cluster(n));
    manager.drain();
    expect(order).to.deep.equal(['first:a', 'first:b', 'first:c', 'second:a', 'second:b', 'second:c']);
  });
});
