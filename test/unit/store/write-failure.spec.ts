/**
 * A state write that fails (disk full, the path replaced, ...) must not poison later writes, and a
 * user change whose write failed must not stay half-applied in memory (issue #10, section 2).
 * Tests run as root, where permissions stop nothing: the failures are real ones root hits too (the
 * state path replaced by a directory) or come from a file-system stand-in.
 */
import { expect } from 'chai';
import { constants, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmdirSync, rmSync } from 'node:fs';
import * as nodeFs from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Resource } from '../../../api/meta.js';
import { ResourceStore } from '../../../store/store.js';
import { StatePersistence, type StateFileSystem } from '../../../store/persistence.js';
import { StateWriteError } from '../../../store/errors.js';
import { cluster, instance, runFor, service, taskDefinition, testApp } from '../../helpers/fixtures.js';

/** node:fs/promises whose writes can be held at a gate and made to fail. */
class FlakyFs implements StateFileSystem {
  failWith: string | undefined;
  gate: Promise<void> | undefined;
  readonly opened: Array<{ path: string; flags: number; mode: number | undefined }> = [];
  open = (async (path: string, flags: number, mode?: number) => {
    const writing = (flags & constants.O_CREAT) !== 0;
    if (writing) {
      this.opened.push({ path, flags, mode });
      if (this.gate) await this.gate;
      if (this.failWith) throw Object.assign(new Error(`${this.failWith}: injected failure, open '${path}'`), { code: this.failWith });
    }
    return nodeFs.open(path, flags, mode);
  }) as StateFileSystem['open'];
  rename = nodeFs.rename;
  unlink = nodeFs.unlink;
}

const rejection = (p: Promise<unknown>) => p.then(() => undefined, (err: Error) => err);
const onDisk = (path: string) => JSON.parse(readFileSync(path, 'utf8')) as { objects: Resource[] };
const names = (objs: Resource[], kind: string) => objs.filter((o) => o.kind === kind).map((o) => o.metadata.name).sort();

describe('store: a failed state write', () => {
  let dir: string;
  let path: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'ecsplane-write-failure-'));
    path = join(dir, 'state.json');
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('does not poison later writes: once the cause is gone the next write works (the path replaced by a directory)', async () => {
    const store = new ResourceStore();
    const p = new StatePersistence(path, 10_000);
    await p.load(store);
    p.attach(store);
    store.create(cluster('a'));
    await p.flush();

    rmSync(path);
    mkdirSync(path); // rename() over a directory fails with EISDIR, for root too
    store.create(cluster('b'));
    const err = await rejection(p.flush());
    expect(err).to.be.instanceOf(StateWriteError);
    expect(err!.message).to.match(/could not write the state file .*state\.json: .*EISDIR.*; the change was not saved and has been undone/);
    expect(store.get('Cluster', 'b'), 'the failed change is undone in memory').to.equal(undefined);
    expect(p.error).to.be.instanceOf(StateWriteError);
    expect(readdirSync(dir).filter((f) => f.endsWith('.tmp')), 'no temp file left').to.deep.equal([]);

    rmdirSync(path); // the cause is gone
    store.create(cluster('c'));
    await p.flush();
    expect(p.error).to.equal(undefined);
    await p.flush(); // and a shutdown flush after that resolves too
    expect(names(onDisk(path).objects, 'Cluster')).to.deep.equal(['a', 'c']);
  });

  it('an apply whose write failed is undone with what the loops did meanwhile; they carry on from there', async () => {
    const app = testApp();
    const fs = new FlakyFs();
    const p = new StatePersistence(path, 10_000, fs);
    await p.load(app.store);
    p.attach(app.store);
    app.api.persist = () => p.flush();
    await app.api.applyAndPersist([cluster(), instance('i-1'), taskDefinition('web'), service('web', { desiredCount: 2 })]);
    runFor(app, 120_000);
    await p.flush();
    const tasksBefore = app.store.list('Task').map((t) => t.metadata.name).sort();
    expect(tasksBefore).to.have.length(2);

    // The disk fails, slowly: the loops act on the change (a new revision, a rolling deployment,
    // new tasks) while its write is in flight.
    let openGate!: () => void;
    fs.gate = new Promise((resolve) => (openGate = resolve));
    fs.failWith = 'ENOSPC';
    const applying = app.api.applyAndPersist([taskDefinition('web', { image: 'nginx:2' }), service('web', { desiredCount: 3 })]);
    runFor(app, 30_000);
    expect(app.store.list('TaskDefinitionRevision')).to.have.length(2);
    expect(app.store.list('Task').length).to.be.greaterThan(2, 'the loops started tasks of the new revision');
    openGate();
    const err = await rejection(applying);
    expect(err).to.be.instanceOf(StateWriteError);
    expect(err!.message).to.match(/ENOSPC/);

    // Memory is the state from before the apply: neither on disk nor acknowledged.
    expect(app.store.get('TaskDefinition', 'web')!.spec.containerDefinitions[0].image).to.not.equal('nginx:2');
    expect(app.store.list('TaskDefinitionRevision').map((r) => r.metadata.name)).to.deep.equal(['web:1']);
    expect(app.store.get('Service', 'prod/web')!.spec.desiredCount).to.equal(2);
    expect(app.store.list('Task').map((t) => t.metadata.name).sort()).to.deep.equal(tasksBefore);
    runFor(app, 120_000);
    const running = app.store.list('Task').filter((t) => t.status?.lastStatus === 'RUNNING');
    expect(running.map((t) => t.status!.taskDefinitionArn.split('/').pop())).to.deep.equal(['web:1', 'web:1']);

    // The disk works again: the same apply goes through and is on disk.
    fs.gate = undefined;
    fs.failWith = undefined;
    await app.api.applyAndPersist([taskDefinition('web', { image: 'nginx:2' }), service('web', { desiredCount: 3 })]);
    const disk = onDisk(path).objects;
    expect(disk.find((o) => o.kind === 'Service')!.spec.desiredCount).to.equal(3);
    expect(names(disk, 'TaskDefinitionRevision')).to.deep.equal(['web:1', 'web:2']);
  });

  it('changes waiting on one failed write all fail and are all undone; on success all are acknowledged', async () => {
    const store = new ResourceStore();
    const fs = new FlakyFs();
    const p = new StatePersistence(path, 10_000, fs);
    p.attach(store);
    let openGate!: () => void;
    fs.gate = new Promise((resolve) => (openGate = resolve));
    fs.failWith = 'EIO';
    store.create(cluster('a'));
    const first = rejection(p.flush());
    store.create(cluster('b'));
    const second = rejection(p.flush());
    openGate();
    expect(await first).to.be.instanceOf(StateWriteError);
    expect(await second).to.be.instanceOf(StateWriteError);
    expect(store.list('Cluster')).to.deep.equal([]);

    fs.gate = undefined;
    fs.failWith = undefined;
    store.create(cluster('c'));
    const third = p.flush();
    store.create(cluster('d'));
    await Promise.all([third, p.flush()]);
    expect(names(onDisk(path).objects, 'Cluster')).to.deep.equal(['c', 'd']);
  });

  it("a failed write keeps the loops' earlier writes in memory, and the next write puts them on disk", async () => {
    const store = new ResourceStore();
    const fs = new FlakyFs();
    const p = new StatePersistence(path, 10_000, fs);
    p.attach(store);
    store.updateStatus({ ...store.create(cluster('a')), status: { status: 'ACTIVE' } }); // a loop's writes
    await Promise.resolve(); // its synchronous run is over
    fs.failWith = 'ENOSPC';
    expect(await rejection(p.flush())).to.be.instanceOf(StateWriteError);
    expect(store.get('Cluster', 'a')?.status, 'not the failed flush caller\'s change: kept').to.deep.equal({ status: 'ACTIVE' });
    fs.failWith = undefined;
    await p.flush();
    expect(names(onDisk(path).objects, 'Cluster')).to.deep.equal(['a']);
  });

  it('temp files get an unpredictable name, are created exclusively, never through a symbolic link, mode 0600', async () => {
    const store = new ResourceStore();
    const fs = new FlakyFs();
    const p = new StatePersistence(path, 10_000, fs);
    p.attach(store);
    store.create(cluster('a'));
    await p.flush();
    store.create(cluster('b'));
    await p.flush();
    expect(fs.opened).to.have.length(2);
    for (const o of fs.opened) {
      expect(o.path).to.match(/\/\.state\.json\.[0-9a-f]{16}\.tmp$/);
      const required = constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW;
      expect(o.flags & required).to.equal(required);
      expect(o.mode).to.equal(0o600);
    }
    expect(fs.opened[0].path).to.not.equal(fs.opened[1].path);
  });
});
