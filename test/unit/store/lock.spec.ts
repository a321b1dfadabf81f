import { expect } from 'chai';
import { chownSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { acquireLock, generationPath, processIdentity, readLock, StateLockedError } from '../../../store/lock.js';
import { UnsafePathError } from '../../../store/errors.js';

/** Above Linux's pid_max: never a live process. */
const DEAD_PID = 2 ** 30;
const lockFiles = (dir: string) => readdirSync(dir).filter((f) => f.includes('.lock')).sort();

describe('store: the state lock', () => {
  let dir: string;
  let state: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'ecsplane-lock-'));
    state = join(dir, 'state.json');
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('one holder: a second taker is refused naming the holder; release lets the next one in', () => {
    const release = acquireLock(state, { pid: process.pid, socket: '/tmp/x.sock' });
    expect(readLock(state)).to.deep.include({ pid: process.pid, socket: '/tmp/x.sock' });
    expect(() => acquireLock(state, { pid: process.pid })).to.throw(StateLockedError, /in use by process/);
    release();
    expect(readLock(state)).to.equal(undefined);
    const again = acquireLock(state, { pid: process.pid });
    expect(readLock(state)?.pid).to.equal(process.pid);
    again();
  });

  it('the record appears complete (linked from a written temp file) and no temp file stays behind', () => {
    const release = acquireLock(state, { pid: process.pid });
    expect(lockFiles(dir)).to.deep.equal(['state.json.lock.1']);
    expect(JSON.parse(readFileSync(generationPath(state, 1), 'utf8'))).to.include({ pid: process.pid });
    release();
    // Released, not deleted: the highest generation always stays, so its number is never reused.
    expect(JSON.parse(readFileSync(generationPath(state, 1), 'utf8'))).to.include({ released: true });
  });

  it('a stale lock (its process is gone) is taken over by the next generation; older ones are removed', () => {
    acquireLock(state, { pid: DEAD_PID }); // a crashed holder: never released
    acquireLock(state, { pid: DEAD_PID });
    expect(lockFiles(dir)).to.deep.equal(['state.json.lock.2']);
    const release = acquireLock(state, { pid: process.pid });
    expect(lockFiles(dir)).to.deep.equal(['state.json.lock.3']);
    expect(readLock(state)?.pid).to.equal(process.pid);
    release();
  });

  it('a generation that is not ours to parse (empty, garbage) counts as stale', () => {
    writeFileSync(generationPath(state, 7), '');
    const release = acquireLock(state, { pid: process.pid });
    expect(lockFiles(dir)).to.deep.equal(['state.json.lock.8']);
    release();
  });

  it('a lock left by an earlier process with the same pid (a restarted container, PID 1) is stale', function () {
    const identity = processIdentity(process.pid);
    if (identity === undefined) this.skip(); // no /proc: the pid alone decides
    writeFileSync(generationPath(state, 1), JSON.stringify({ pid: process.pid, process: `${identity}0` }));
    expect(readLock(state)).to.equal(undefined);
    const release = acquireLock(state, { pid: process.pid });
    expect(readLock(state)).to.deep.include({ pid: process.pid, process: identity });
    release();
  });

  it('the lock file of older versions (`<state>.lock`) is honoured while its process lives, removed once stale', () => {
    writeFileSync(`${state}.lock`, JSON.stringify({ pid: process.pid }));
    expect(() => acquireLock(state, { pid: process.pid })).to.throw(StateLockedError);
    writeFileSync(`${state}.lock`, JSON.stringify({ pid: DEAD_PID }));
    const release = acquireLock(state, { pid: process.pid });
    expect(lockFiles(dir)).to.deep.equal(['state.json.lock.1']);
    release();
  });

  it('a lock file that is a symbolic link is refused, never followed', () => {
    const target = join(dir, 'elsewhere');
    writeFileSync(target, JSON.stringify({ pid: DEAD_PID }));
    symlinkSync(target, generationPath(state, 1));
    expect(() => acquireLock(state, { pid: process.pid })).to.throw(UnsafePathError, /state\.json\.lock\.1 is a symbolic link; refusing/);
    expect(() => readLock(state)).to.throw(UnsafePathError);
    expect(readFileSync(target, 'utf8')).to.equal(JSON.stringify({ pid: DEAD_PID }));
  });

  it("another user's lock file is refused", function () {
    if (process.getuid?.() !== 0) this.skip(); // only root can give a file away
    writeFileSync(generationPath(state, 1), JSON.stringify({ pid: DEAD_PID }));
    chownSync(generationPath(state, 1), 54321, 54321);
    expect(() => acquireLock(state, { pid: process.pid })).to.throw(UnsafePathError, /owned by uid 54321, not by this user/);
  });

  it('a missing directory is a clear error', () => {
    expect(() => acquireLock(join(dir, 'no', 'state.json'), { pid: process.pid })).to.throw(/directory of the state file .* does not exist/);
  });
});
