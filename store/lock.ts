/**
 * One writer per state file: an exclusive lock file `<state>.lock` holding the owner's pid and
 * the path of its control socket. A lock whose pid is gone is stale and is taken over.
 */
import { openSync, writeSync, closeSync, readFileSync, unlinkSync } from 'node:fs';

export interface LockInfo {
  pid: number;
  socket?: string;
}

export class StateLockedError extends Error {
  constructor(
    path: string,
    readonly holder: LockInfo,
  ) {
    super(`state file ${path} is in use by process ${holder.pid}`);
    this.name = 'StateLockedError';
  }
}

export function lockPath(statePath: string): string {
  return `${statePath}.lock`;
}

export function readLock(statePath: string): LockInfo | undefined {
  try {
    const info = JSON.parse(readFileSync(lockPath(statePath), 'utf8')) as LockInfo;
    return isAlive(info.pid) ? info : undefined;
  } catch {
    return undefined;
  }
}

/** Take the lock or throw StateLockedError naming the live holder. Returns a release function. */
export function acquireLock(statePath: string, info: LockInfo): () => void {
  const path = lockPath(statePath);
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(path, 'wx', 0o600);
      writeSync(fd, JSON.stringify(info));
      closeSync(fd);
      return () => {
        try {
          if (readLock(statePath)?.pid === info.pid) unlinkSync(path);
        } catch {
          /* already gone */
        }
      };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      const holder = readLock(statePath);
      if (holder) throw new StateLockedError(statePath, holder);
      try {
        unlinkSync(path); // stale: its process is gone
      } catch {
        /* raced with another taker */
      }
    }
  }
  throw new Error(`could not take the lock ${path}`);
}

function isAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}
