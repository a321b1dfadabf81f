/**
 * The files beside a state file: killed writers' temp files are removed when the lock is taken; a
 * state file that is a symbolic link or another user's is refused, never followed.
 */
import { expect } from 'chai';
import { chownSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ResourceStore } from '../../../store/store.js';
import { STATE_FORMAT, StatePersistence } from '../../../store/persistence.js';
import { UnsafePathError } from '../../../store/errors.js';
import { openState } from '../../../controllers/cli/state.js';
import { testApp } from '../../helpers/fixtures.js';

describe('store: the files beside a state file', () => {
  let dir: string;
  let path: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'ecsplane-state-files-'));
    path = join(dir, 'state.json');
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it("temp files of killed writers are removed when the lock is taken; others' files are left alone", async () => {
    const precious = join(dir, 'precious');
    writeFileSync(precious, 'keep me');
    const stale = ['.state.json.4242.tmp', '.state.json.0123456789abcdef.tmp', '.state.json.lock.fedcba9876543210.tmp'];
    for (const f of stale) writeFileSync(join(dir, f), '{"partial');
    symlinkSync(precious, join(dir, '.state.json.evil.tmp'));
    const unrelated = ['.other.json.1.tmp', 'state.json.tmp', '.state.json.tmp'];
    for (const f of unrelated) writeFileSync(join(dir, f), 'x');
    const foreign = '.state.json.foreign.tmp';
    writeFileSync(join(dir, foreign), 'x');
    const root = process.getuid?.() === 0;
    if (root) chownSync(join(dir, foreign), 54321, 54321);

    const state = await openState(testApp(), path);
    try {
      const left = readdirSync(dir);
      for (const f of [...stale, '.state.json.evil.tmp']) expect(left, f).to.not.include(f);
      for (const f of unrelated) expect(left, f).to.include(f);
      if (root) expect(left).to.include(foreign);
      expect(readFileSync(precious, 'utf8'), 'a symbolic link is removed, not what it points to').to.equal('keep me');
    } finally {
      state.release();
    }
  });

  it('a state file that is a symbolic link is refused, never followed', async () => {
    const real = join(dir, 'real.json');
    writeFileSync(real, JSON.stringify({ format: STATE_FORMAT, resourceVersion: 0, objects: [] }));
    symlinkSync(real, path);
    let err: unknown;
    await new StatePersistence(path).load(new ResourceStore()).catch((e) => (err = e));
    expect(err).to.be.instanceOf(UnsafePathError);
    expect((err as Error).message).to.match(/state file .*state\.json is a symbolic link; refusing to use it/);
  });

  it("another user's state file is refused", async function () {
    if (process.getuid?.() !== 0) this.skip(); // only root can give a file away
    writeFileSync(path, JSON.stringify({ format: STATE_FORMAT, resourceVersion: 0, objects: [] }));
    chownSync(path, 54321, 54321);
    let err: unknown;
    await new StatePersistence(path).load(new ResourceStore()).catch((e) => (err = e));
    expect(err).to.be.instanceOf(UnsafePathError);
    expect((err as Error).message).to.match(/owned by uid 54321/);
    expect(existsSync(path)).to.equal(true);
  });
});
