/**
 * Opening a `--state` file: take the single-writer lock, remove temp files killed writers left,
 * load (refusing a corrupt file) and persist every later write. Without --state everything stays
 * in memory.
 */
import { resolve } from 'node:path';
import type { App } from '../register.js';
import { acquireLock, StateLockedError, type LockInfo } from '../../store/lock.js';
import { removeStaleTempFiles, StatePersistence } from '../../store/persistence.js';

export interface OpenState {
  persistence: StatePersistence;
  release: () => void;
  restored: boolean;
}

/**
 * How long to wait for a holder without a control socket (another direct `apply`, `get`, ...: it
 * holds the file for a moment) before giving up with StateLockedError. A `run` holds it for good.
 */
const WAIT_FOR_SHORT_HOLDER_MS = 10_000;
const POLL_MS = 50;

export async function openState(app: App, statePath: string, info: Omit<LockInfo, 'pid'> = {}): Promise<OpenState> {
  const path = resolve(statePath);
  const release = await takeLock(path, { pid: process.pid, ...info });
  try {
    await removeStaleTempFiles(path);
    const persistence = new StatePersistence(path);
    const restored = await persistence.load(app.store);
    persistence.attach(app.store);
    app.api.persist = () => persistence.flush();
    return { persistence, release, restored };
  } catch (err) {
    release();
    throw err;
  }
}

async function takeLock(path: string, holder: LockInfo): Promise<() => void> {
  const deadline = Date.now() + WAIT_FOR_SHORT_HOLDER_MS;
  for (;;) {
    try {
      return acquireLock(path, holder);
    } catch (err) {
      if (!(err instanceof StateLockedError) || err.holder.socket || err.holder.pid === process.pid || Date.now() >= deadline) throw err;
    }
    await new Promise((r) => setTimeout(r, POLL_MS));
  }
}
