import { expect } from 'chai';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync, existsSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ResourceStore } from '../../../store/store.js';
import { StatePersistence } from '../../../store/persistence.js';
import { CorruptStateError } from '../../../store/errors.js';

const cluster = (name: string) => ({ apiVersion: 'ecsplane.io/v1alpha1', kind: 'Cluster', metadata: { name }, spec: {} });

describe('store: persistence (lowdb state file)', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'ecsplane-state-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

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
});
