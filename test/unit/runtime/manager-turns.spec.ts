import { expect } from 'chai';
import { ResourceStore } from '../../../store/store.js';
import { VirtualClock } from '../../../controllers/runtime/clock.js';
import { FOREGROUND_MS, FOREGROUND_SHARE, FOREGROUND_SLICE_MS, Manager, MAX_YIELD_MS, TURN_SLICE_MS } from '../../../controllers/runtime/manager.js';
import { silentLogger } from '../../../controllers/runtime/logger.js';

const cluster = (name: string) => ({ apiVersion: 'ecsplane.io/v1alpha1', kind: 'Cluster', metadata: { name }, spec: {} });
/** A key a little longer than a slice (one per slice; a binary fraction, so the pacing sums are exact). */
const SHORT_KEY_MS = 0.125;
if (SHORT_KEY_MS <= FOREGROUND_SLICE_MS) throw new Error("SHORT_KEY_MS must exceed a slice");
/** One turn of the event loop (what was queued with setImmediate before it has run). */
const nextTurn = () => new Promise<void>((r) => setImmediate(r));

describe('runtime: manager turns on the real clock (start)', () => {
  let store: ResourceStore;
  let manager: Manager;
  /** The pacing reading; each reconcile below takes `cost` ms of it. */
  let t: number;
  let cost: number;
  /** Deferred turns waiting for their FOREGROUND_MS, fired by hand, and how long each was to wait. */
  let timers: Array<() => void>;
  let waits: number[];
  const seen: string[] = [];
  const record = (name: string) => ({
    name,
    forKind: 'Cluster',
    watches: [{ kind: 'Cluster' }],
    reconciler: {
      reconcile: (k: string) => {
        seen.push(`${name}:${k}`);
        t += cost;
      },
    },
  });
  /** A loop over Cluster that writes `status` once per object; `onRun` sees each reconcile. */
  const statusOnce = (name: string, status: Record<string, unknown>, onRun: () => void = () => {}) => ({
    name,
    forKind: 'Cluster',
    watches: [{ kind: 'Cluster' }],
    reconciler: {
      reconcile: (k: string) => {
        onRun();
        const c = store.get('Cluster', k)!;
        if (!c.status) store.updateStatus({ ...c, status });
      },
    },
  });
  const fireTimers = () => {
    const due = timers;
    timers = [];
    for (const fn of due) fn();
  };

  beforeEach(() => {
    const clock = new VirtualClock(0);
    store = new ResourceStore({ now: () => clock.now() });
    manager = new Manager(store, clock, silentLogger);
    t = 0;
    cost = 1;
    timers = [];
    waits = [];
    seen.length = 0;
    manager.pacingNow = () => t;
    manager.pacingTimer = (fn, ms) => {
      waits.push(ms);
      timers.push(fn);
    };
  });
  afterEach(() => manager.stop());

  it("a write's reconcile runs on a later turn, after the writer's code and its microtasks (a reply goes out first)", async () => {
    manager.add(record('x'));
    manager.start();
    store.create(cluster('a'));
    await Promise.resolve();
    await Promise.resolve();
    expect(seen).to.deep.equal([]);
    await nextTurn();
    expect(seen).to.deep.equal(['x:a']);
  });

  it("each loop's turn takes the keys it had queued, round-robin, until the turn's slice is used", async () => {
    cost = TURN_SLICE_MS / 2;
    manager.add(record('x'));
    manager.add(record('y'));
    manager.start();
    for (const n of ['a', 'b', 'c']) store.create(cluster(n));
    await nextTurn();
    expect(seen).to.deep.equal(['x:a', 'x:b'], 'the slice is used: the rest waits for the next turn');
    await nextTurn();
    expect(seen.slice(2)).to.deep.equal(['y:a', 'y:b'], 'the next loop in line goes first');
    await nextTurn();
    expect(seen.slice(4)).to.deep.equal(['x:c', 'y:c']);
    expect(timers).to.deep.equal([]);
  });

  it('a burst of changes wakes a loop that watches them once per turn, not once per change', async () => {
    cost = 0;
    let summaries = 0;
    manager.add(statusOnce('task', { seen: true }));
    manager.add({ name: 'summary', forKind: 'Cluster', watches: [{ kind: 'Cluster', toKeys: () => ['all'] }], reconciler: { reconcile: () => void summaries++ } });
    manager.start();
    await nextTurn();
    for (let i = 0; i < 20; i++) store.create(cluster(`c${i}`));
    for (let i = 0; i < 3; i++) await nextTurn();
    expect(store.list('Cluster').every((c) => c.status)).to.equal(true);
    expect(summaries).to.equal(1);
  });

  it('after a front-end request the loops wait FOREGROUND_MS, then take one slice per wait; every turn again once requests stop', async () => {
    cost = SHORT_KEY_MS;
    manager.add(record('x'));
    manager.start();
    await nextTurn(); // the first turn (nothing queued yet)
    manager.noteForeground();
    for (const n of ['a', 'b', 'c', 'd']) store.create(cluster(n));
    for (let i = 0; i < 3; i++) await nextTurn();
    expect(seen).to.deep.equal([], 'nothing while the front end is busy');
    expect(timers).to.have.length(1);
    t = 0.5; // a wait later, requests still coming
    manager.noteForeground();
    fireTimers();
    expect(seen).to.deep.equal(['x:a'], 'one slice');
    expect(timers).to.have.length(1, 'then the next wait');
    expect(waits).to.deep.equal([FOREGROUND_MS, FOREGROUND_MS]);
    t += FOREGROUND_MS; // no request for FOREGROUND_MS
    fireTimers();
    for (let i = 0; i < 4; i++) await nextTurn();
    expect(seen).to.deep.equal(['x:a', 'x:b', 'x:c', 'x:d']);
    expect(timers).to.deep.equal([]);
  });

  it('the loops yield at most MAX_YIELD_MS with keys queued: then they take every turn though requests continue', async () => {
    const keys = MAX_YIELD_MS; // more than the slices the loops take before they stop yielding
    cost = SHORT_KEY_MS;
    manager.add(record('x'));
    manager.start();
    await nextTurn();
    manager.noteForeground();
    for (let i = 0; i < keys; i++) store.create(cluster(`c${i}`));
    let pauses = 0;
    while (timers.length > 0) {
      t += FOREGROUND_MS; // each wait
      manager.noteForeground(); // requests keep coming
      const before = seen.length;
      fireTimers();
      pauses++;
      expect(pauses).to.be.at.most(MAX_YIELD_MS, 'bounded');
      if (timers.length > 0) expect(seen.length - before).to.be.at.most(1, 'at most one key per wait until then');
    }
    expect(t).to.be.at.least(MAX_YIELD_MS);
    // A 0.125 ms slice is paid for after 2.5 ms (FOREGROUND_SHARE): one every pause or two, never starved.
    expect(seen.length).to.be.at.least(pauses / 2);
    for (let i = 0; i < keys && seen.length < keys; i++) {
      manager.noteForeground();
      await nextTurn();
    }
    expect(seen).to.have.length(keys);
    expect(timers).to.deep.equal([], 'every turn, none waits');
  });

  it('while requests keep coming the loops use at most FOREGROUND_SHARE of the time: a long slice is followed by a longer pause', async () => {
    cost = 1; // one key takes 1 ms (a service launching its tasks), ten times a slice
    manager.add(record('x'));
    manager.start();
    await nextTurn();
    manager.noteForeground();
    for (const n of ['a', 'b', 'c']) store.create(cluster(n));
    await nextTurn();
    t += FOREGROUND_MS;
    manager.noteForeground(); // requests still coming
    fireTimers();
    expect(seen).to.deep.equal(['x:a'], 'a slice takes at least one key, however long it runs');
    const pause = 1 / FOREGROUND_SHARE; // 1 ms is FOREGROUND_SHARE of this
    let fired = 0;
    while (seen.length === 1) {
      t += FOREGROUND_MS;
      manager.noteForeground();
      fireTimers();
      fired++;
      expect(fired).to.be.at.most(pause / FOREGROUND_MS, 'bounded');
    }
    expect(fired * FOREGROUND_MS).to.equal(pause, 'the next slice once the pause is over');
    expect(seen).to.deep.equal(['x:a', 'x:b']);
    expect(waits.every((w) => w === FOREGROUND_MS)).to.equal(true);
    t += FOREGROUND_MS * 2; // requests stopped: every turn again, no pause to pay
    fireTimers();
    await nextTurn();
    expect(seen).to.deep.equal(['x:a', 'x:b', 'x:c']);
  });

  it('reconcileNow runs a key at once as the loop\'s own turn: a queued turn of it is taken, its own writes do not queue it', async () => {
    let runs = 0;
    manager.add(statusOnce('x', { done: true }, () => runs++));
    manager.start();
    store.create(cluster('a')); // queues a
    expect(manager.reconcileNow('x', 'a')).to.equal(true);
    expect(runs).to.equal(1);
    expect(store.get('Cluster', 'a')!.status).to.deep.equal({ done: true });
    for (let i = 0; i < 3; i++) await nextTurn();
    expect(runs).to.equal(1, 'no second pass');
    expect(manager.isQuiet()).to.equal(true);
  });
});
