import { expect } from 'chai';
import { mkdtempSync, readFileSync, statSync, writeFileSync, existsSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ResourceStore } from '../../../store/store.js';
import { StatePersistence } from '../../../store/persistence.js';
import { CorruptStateError } from '../../../store/errors.js';
import { acquireLock, processIdentity, readLock, StateLockedError } from '../../../store/lock.js';

const cluster = (name: string) => ({ apiVersion: 'ecsplane.io/v1alpha1', kind: 'Cluster', metadata: { name }, spec: {} });

describe('store: persistence (lowdb state file)', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'ecsplane-state-'));
  });

  it('writes atomically with mode 0600 and restores everything, including the resourceVersion counter', async () => {
    const path = join(dir, 'state.json');
    const store = new ResourceStore();
    const p = new StatePersistence(path, 10_000);
    await p.load(store);
    p.attach(store);
    store.create(cluster('a'));
    store.create(cluster('b'));
    await p.flush();
    expect(statSync(path).mode & 0o777).to.equal(0o600);
    expect(readdirSync(dir).filter((f) => f.endsWith('.tmp'))).to.deep.equal([], 'no temp file left behind');

    const again = new ResourceStore();
    await new StatePersistence(path).load(again);
    expect(again.list('Cluster').map((c) => c.metadata.name).sort()).to.deep.equal(['a', 'b']);
    expect(again.resourceVersion).to.equal(2);
    expect(again.create(cluster('c')).metadata.resourceVersion).to.equal('3');
  });

  it('a missing file is an empty state', async () => {
    const store = new ResourceStore();
    expect(await new StatePersistence(join(dir, 'none.json')).load(store)).to.equal(false);
    expect(store.resourceVersion).to.equal(0);
  });

  it('refuses a corrupt file with a clear error and leaves it untouched', async () => {
    const path = join(dir, 'bad.json');
    writeFileSync(path, '{"format": "ecsplane.io/state/v1", "resourceVersion": 3, "objects": [');
    const before = readFileSync(path, 'utf8');
    let err: unknown;
    try {
      await new StatePersistence(path).load(new ResourceStore());
    } catch (e) {
      err = e;
    }
    expect(err).to.be.instanceOf(CorruptStateError);
    expect((err as Error).message).to.match(/bad\.json is corrupt .*refusing to start/);
    expect(readFileSync(path, 'utf8')).to.equal(before);
  });

  it('refuses a file of the wrong shape', async () => {
    const path = join(dir, 'shape.json');
    writeFileSync(path, JSON.stringify({ hello: 'world' }));
    let err: unknown;
    try {
      await new StatePersistence(path).load(new ResourceStore());
    } catch (e) {
      err = e;
    }
    expect(err).to.be.instanceOf(CorruptStateError);
  });

  it('coalesces controller writes: one file write for many store writes', async () => {
    const path = join(dir, 'c.json');
    const store = new ResourceStore();
    const p = new StatePersistence(path, 50);
    p.attach(store);
    for (let i = 0; i < 100; i++) store.create(cluster(`c${i}`));
    expect(existsSync(path)).to.equal(false, 'nothing written synchronously');
    await p.flush();
    expect(JSON.parse(readFileSync(path, 'utf8')).objects).to.have.length(100);
  });

  it('one writer: a second lock on the same file names the holder; a stale lock is taken over', () => {
    const path = join(dir, 'l.json');
    const release = acquireLock(path, { pid: process.pid, socket: '/tmp/x.sock' });
    expect(readLock(path)).to.deep.include({ pid: process.pid, socket: '/tmp/x.sock' });
    expect(() => acquireLock(path, { pid: process.pid })).to.throw(StateLockedError, /in use by process/);
    release();
    writeFileSync(`${path}.lock`, JSON.stringify({ pid: 999_999_999 }));
    const release2 = acquireLock(path, { pid: process.pid });
    release2();
  });

  it('a lock left by an earlier process with the same pid (a restarted container, PID 1) is stale', function () {
    const identity = processIdentity(process.pid);
    if (identity === undefined) this.skip(); // no /proc: the pid alone decides (tested above)
    const path = join(dir, 'pid1.json');
    // The previous container's process: same pid as a live one, another start time.
    writeFileSync(`${path}.lock`, JSON.stringify({ pid: process.pid, process: `${identity}0` }));
    expect(readLock(path)).to.equal(undefined);
    const release = acquireLock(path, { pid: process.pid });
    expect(readLock(path)).to.deep.include({ pid: process.pid, process: identity });
    release();
    // A lock written without an identity (older ecsplane) still counts while its pid lives.
    writeFileSync(`${path}.lock`, JSON.stringify({ pid: process.pid }));
    expect(() => acquireLock(path, { pid: process.pid })).to.throw(StateLockedError);
  });
});
