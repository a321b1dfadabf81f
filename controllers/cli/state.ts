/**
 * Opening a `--state` file: take the single-writer lock, load (refusing a corrupt file) and
 * persist every later write. Without --state everything stays in memory.
 */
import { resolve } from 'node:path';
import type { App } from '../register.js';
import { acquireLock, type LockInfo } from '../../store/lock.js';
import { StatePersistence } from '../../store/persistence.js';

export interface OpenState {
  persistence: StatePersistence;
  release: () => void;
  restored: boolean;
}

export async function openState(app: App, statePath: string, info: Omit<LockInfo, 'pid'> = {}): Promise<OpenState> {
  const path = resolve(statePath);
  const release = acquireLock(path, { pid: process.pid, ...info });
  try {
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
