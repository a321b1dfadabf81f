/**
 * Coalescing and retries of the bridge's loops: the per-object write limiter (latest wins), the async
 * WorkLoop over the runtime WorkQueue, and the reflector's list/watch recovery (with a scripted list/watch,
 * the only fake: it stands in for the transport, the logic under test is the reflector's).
 */
import { expect } from 'chai';
import { VirtualClock } from '../../../controllers/runtime/clock.js';
import { silentLogger } from '../../../controllers/runtime/logger.js';
import { WriteLimiter } from '../../../controllers/bridge/limiter.js';
import { WorkLoop } from '../../../controllers/bridge/loop.js';
import { KubeError, type KubeApi, type WatchEventType } from '../../../controllers/bridge/kube.js';
import { Reflector, type CacheEventType } from '../../../controllers/bridge/reflector.js';
import type { KubeObject } from '../../../controllers/bridge/names.js';

const tick = () => new Promise((r) => setImmediate(r));
async function until(cond: () => boolean, ms = 2000): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error('condition not reached');
    await new Promise((r) => setTimeout(r, 2));
  }
}

describe('bridge write limiter', () => {
  it('allows one write per key per interval and tells how long to wait', () => {
    let now = 1000;
    const l = new WriteLimiter(500, () => now);
    expect(l.reserve('a')).to.equal(0);
    expect(l.reserve('b')).to.equal(0); // keys are independent
    now += 100;
    expect(l.reserve('a')).to.equal(400);
    now += 400;
    expect(l.reserve('a')).to.equal(0);
  });

  it('coalesces a burst of changes into one write of the latest state', async () => {
    // Ten store changes of one object within 100 ms: the reconcile runs again after the wait and writes
    // the state of that moment, once.
    const clock = new VirtualClock(0);
    const limiter = new WriteLimiter(500, () => clock.now());
    let state = 0;
    const writes: number[] = [];
    const loop = new WorkLoop(
      'status',
      clock,
      async (key) => {
        const wait = limiter.reserve(key);
        if (wait > 0) return { requeueAfterMs: wait };
        writes.push(state);
      },
      silentLogger,
    );
    loop.start();
    loop.add('svc');
    await until(() => writes.length === 1);
    for (let i = 1; i <= 10; i++) {
      clock.advanceBy(10);
      state = i;
      loop.add('svc');
      await tick();
    }
    await until(() => loop.isIdle());
    expect(writes).to.deep.equal([0]); // throttled: waiting
    clock.advanceBy(500);
    await until(() => writes.length === 2);
    expect(writes).to.deep.equal([0, 10]);
    await loop.stop();
  });
});

describe('bridge WorkLoop', () => {
  it('retries a failing key with back-off and never runs one key twice at once', async () => {
    const clock = new VirtualClock(0);
    let calls = 0;
    let running = 0;
    let maxRunning = 0;
    const loop = new WorkLoop(
      'x',
      clock,
      async () => {
        calls++;
        running++;
        maxRunning = Math.max(maxRunning, running);
        await tick();
        running--;
        if (calls < 3) throw new Error('apiserver down');
      },
      silentLogger,
      { workers: 4, backoff: { baseMs: 100, maxMs: 1000 } },
    );
    loop.start();
    loop.add('k');
    loop.add('k');
    await until(() => calls === 1 && loop.queue.pendingDelayed() === 1);
    clock.advanceBy(100);
    await until(() => calls === 2 && loop.queue.pendingDelayed() === 1);
    clock.advanceBy(199);
    await tick();
    expect(calls).to.equal(2); // 200 ms back-off the second time
    clock.advanceBy(1);
    await until(() => calls === 3 && loop.isIdle());
    expect(maxRunning).to.equal(1);
    expect(loop.stats.errors).to.equal(2);
    await loop.stop();
  });
});

/** A scripted list/watch: each list() returns the current objects; watches are driven by the test. */
class ScriptedApi {
  objects = new Map<string, KubeObject>();
  rv = 10;
  lists = 0;
  watches: Array<{ rv: string; onEvent: (t: WatchEventType, o: any) => void; onDone: (e: unknown) => void; aborted: boolean }> = [];
  failNext: KubeError | undefined;

  api(): KubeApi {
    return {
      namespace: 'ns',
      server: 'fake',
      list: async () => {
        this.lists++;
        if (this.failNext) {
          const e = this.failNext;
          this.failNext = undefined;
          throw e;
        }
        return { items: [...this.objects.values()].map((o) => structuredClone(o)), resourceVersion: String(this.rv) };
      },
      watch: async (_plural: string, rv: string, _t: number, onEvent: (t: WatchEventType, o: any) => void, onDone: (e: unknown) => void) => {
        const w = { rv, onEvent, onDone, aborted: false };
        this.watches.push(w);
        return { abort: () => (w.aborted = true) };
      },
    } as unknown as KubeApi;
  }

  put(name: string): KubeObject {
    const o = { metadata: { name, resourceVersion: String(++this.rv) } };
    this.objects.set(name, o);
    return o;
  }

  get current() {
    return this.watches[this.watches.length - 1];
  }
}

describe('bridge reflector', () => {
  const setup = () => {
    const s = new ScriptedApi();
    const events: string[] = [];
    const r = new Reflector(s.api(), 'services', (t: CacheEventType, o) => events.push(`${t} ${o.metadata.name}@${o.metadata.resourceVersion}`), silentLogger, {
      backoffBaseMs: 1,
      backoffMaxMs: 5,
    });
    return { s, r, events };
  };

  it('lists, then watches from the list resourceVersion', async () => {
    const { s, r, events } = setup();
    s.put('a');
    await r.start();
    expect(events).to.deep.equal(['ADDED a@11']);
    await until(() => s.watches.length === 1);
    expect(s.current.rv).to.equal('11');
    s.current.onEvent('ADDED', { metadata: { name: 'b', resourceVersion: '12' } });
    s.current.onEvent('BOOKMARK', { metadata: { resourceVersion: '15' } });
    expect(r.get('b')).to.not.equal(undefined);
    expect(r.resourceVersion).to.equal('15');
    await r.stop();
  });

  it('resumes a cleanly closed watch from the last resourceVersion, without relisting or repeating', async () => {
    const { s, r, events } = setup();
    s.put('a');
    await r.start();
    await until(() => s.watches.length === 1);
    s.current.onEvent('MODIFIED', { metadata: { name: 'a', resourceVersion: '20' } });
    await new Promise((res) => setTimeout(res, 1100)); // closes after > 1 s: a normal timeout
    s.current.onDone(null);
    await until(() => s.watches.length === 2);
    expect(s.current.rv).to.equal('20');
    expect(s.lists).to.equal(1);
    // The server repeats the object at the version we have: not reported again.
    s.current.onEvent('MODIFIED', { metadata: { name: 'a', resourceVersion: '20' } });
    expect(events).to.deep.equal(['ADDED a@11', 'MODIFIED a@20']);
    await r.stop();
  });

  it('retries after a transport error (kube-apiserver restart) and resumes from the same version', async () => {
    const { s, r } = setup();
    s.put('a');
    await r.start();
    await until(() => s.watches.length === 1);
    s.current.onDone(new KubeError('connect ECONNREFUSED', 0));
    await until(() => s.watches.length === 2);
    expect(s.current.rv).to.equal('11');
    expect(r.stats.errors).to.equal(1);
    await r.stop();
  });

  it('is connected again once a new watch is accepted, even when no event comes (quiet namespace)', async () => {
    const { s, r } = setup();
    s.put('a');
    await r.start();
    await until(() => s.watches.length === 1);
    s.current.onDone(new KubeError('watch tasks: 429 Too Many Requests', 429));
    await until(() => s.watches.length === 2);
    await until(() => r.connected);
    await r.stop();
  });

  it('relists after 410 Gone and reports exactly what changed meanwhile', async () => {
    const { s, r, events } = setup();
    s.put('a');
    s.put('b');
    await r.start();
    await until(() => s.watches.length === 1);
    // While disconnected: a changed, b deleted, c added; then the old version is too old.
    s.put('a');
    s.objects.delete('b');
    s.put('c');
    s.current.onEvent('ERROR', { kind: 'Status', code: 410, reason: 'Expired', message: 'too old resource version' });
    await until(() => s.lists === 2 && s.watches.length === 2);
    expect(events).to.deep.equal(['ADDED a@11', 'ADDED b@12', 'MODIFIED a@13', 'ADDED c@14', 'DELETED b@12']);
    expect(s.current.rv).to.equal('14');
    expect([...r.cache.keys()].sort()).to.deep.equal(['a', 'c']);
    await r.stop();
  });

  it('keeps retrying the list with back-off until it answers', async () => {
    const { s, r } = setup();
    s.failNext = new KubeError('503 not ready', 503);
    await r.start();
    expect(s.lists).to.equal(2);
    expect(r.synced).to.equal(true);
    await r.stop();
  });
});
