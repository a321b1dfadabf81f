/**
 * A state file that parses but holds objects the loops cannot act on is refused like a corrupt one,
 * naming the object; real state files (what the loops write) load.
 */
import { expect } from 'chai';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Resource } from '../../../api/meta.js';
import { ResourceStore } from '../../../store/store.js';
import { STATE_FORMAT, StatePersistence } from '../../../store/persistence.js';
import { CorruptStateError } from '../../../store/errors.js';
import { loadManifests } from '../../../controllers/cli/manifests.js';
import { runFor, testApp } from '../../helpers/fixtures.js';

/** A real state: a workload applied and run by the loops for a while. */
async function realState(files: string[], ms: number): Promise<{ resourceVersion: number; objects: Resource[] }> {
  const app = testApp();
  for (const doc of loadManifests(files.map((f) => resolve(f)))) if (doc.kind !== 'Scenario') app.api.apply(doc);
  runFor(app, ms);
  return JSON.parse(JSON.stringify(app.store.snapshot()));
}

describe('store: what a state file must hold to be loaded', () => {
  let dir: string;
  let base: { resourceVersion: number; objects: Resource[] };
  before(async () => {
    base = await realState(['examples/quickstart'], 3 * 60_000);
  });
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'ecsplane-state-check-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  async function load(snap: { resourceVersion: number; objects: unknown[] }): Promise<Error | undefined> {
    const path = join(dir, 'state.json');
    writeFileSync(path, JSON.stringify({ format: STATE_FORMAT, ...snap }));
    try {
      await new StatePersistence(path).load(new ResourceStore());
      return undefined;
    } catch (err) {
      return err as Error;
    }
  }
  const edit = (fn: (objects: any[]) => void) => {
    const snap = structuredClone(base);
    fn(snap.objects);
    return snap;
  };
  const index = (objects: Resource[], kind: string) => objects.findIndex((o) => o.kind === kind);

  it('real state files load: the quickstart and scheduler and scaling examples after the loops ran', async () => {
    expect(await load(base)).to.equal(undefined);
    for (const example of ['examples/scheduler/rolling-50-100.yaml', 'examples/scheduler/circuit-breaker-rollback.yaml', 'examples/scaling/cluster-autoscaling.yaml']) {
      expect(await load(await realState([example], 10 * 60_000)), example).to.equal(undefined);
    }
  });

  it('a service without spec is refused, naming the object', async () => {
    const err = await load(edit((objects) => delete objects[index(objects, 'Service')].spec));
    expect(err).to.be.instanceOf(CorruptStateError);
    expect(err!.message).to.match(/is corrupt \(objects\[\d+\] service \w[\w-]*: .*spec is required.*\); refusing to start/);
  });

  it('a spec the validator rejects is refused', async () => {
    const err = await load(edit((objects) => (objects[index(objects, 'Service')].spec.desiredCount = 'three')));
    expect(err).to.be.instanceOf(CorruptStateError);
    expect(err!.message).to.match(/service .*desiredCount/);
  });

  it('an object of an unknown kind is refused', async () => {
    const err = await load(edit((objects) => objects.push({ ...structuredClone(objects[0]), kind: 'Pod' })));
    expect(err).to.be.instanceOf(CorruptStateError);
    expect(err!.message).to.match(/objects\[\d+\] pod .*Unknown kind "Pod"/);
  });

  it('the same object twice is refused', async () => {
    const err = await load(edit((objects) => objects.push(structuredClone(objects[index(objects, 'Service')]))));
    expect(err).to.be.instanceOf(CorruptStateError);
    expect(err!.message).to.match(/service prod\/[\w-]+: a second object of that kind and name/);
  });

  it("a file resourceVersion lower than an object's is refused", async () => {
    const snap = structuredClone(base);
    snap.resourceVersion = 3;
    const err = await load(snap);
    expect(err).to.be.instanceOf(CorruptStateError);
    expect(err!.message).to.match(/metadata\.resourceVersion \d+ is above the file's resourceVersion 3/);
  });

  it('an object without uid or with a resourceVersion that is not a number is refused', async () => {
    expect((await load(edit((objects) => delete objects[0].metadata.uid)))!.message).to.match(/metadata\.uid is missing/);
    expect((await load(edit((objects) => (objects[0].metadata.resourceVersion = 'x'))))!.message).to.match(/resourceVersion "x" is not a positive integer/);
  });

  it('a task whose task definition revision is missing is refused (the scheduler would throw on it)', async () => {
    const err = await load(edit((objects) => objects.splice(index(objects, 'TaskDefinitionRevision'), 1)));
    expect(err).to.be.instanceOf(CorruptStateError);
    expect(err!.message).to.match(/runs task definition [\w-]+:1, which the file does not hold/);
  });
});
