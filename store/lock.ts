/**
 * One writer per state file: an exclusive lock file `<state>.lock` holding the owner's pid, the
 * identity of that process and the path of its control socket. A lock whose process is gone is
 * stale and is taken over. A pid alone is not enough: in a container every restart runs as PID 1,
 * so a lock left by the previous container (the state on a volume that outlives it) would look held
 * forever; the identity (boot id + the process's start time, from /proc) tells them apart.
 */
import { openSync, writeSync, closeSync, readFileSync, unlinkSync } from 'node:fs';

export interface LockInfo {
  pid: number;
  socket?: string;
  /** `bootId/startTime` of the holder (Linux); absent elsewhere, then the pid alone decides. */
  process?: string;
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
    if (!isAlive(info.pid)) return undefined;
    const now = processIdentity(info.pid);
    return info.process === undefined || now === undefined || now === info.process ? info : undefined;
  } catch {
    return undefined;
  }
}

/** Take the lock or throw StateLockedError naming the live holder. Returns a release function. */
export function acquireLock(statePath: string, holder: LockInfo): () => void {
  const path = lockPath(statePath);
  const identity = holder.process ?? processIdentity(holder.pid);
  const info: LockInfo = identity === undefined ? holder : { ...holder, process: identity };
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

let bootId: string | undefined;

/** `bootId/startTime` of a process (Linux /proc), or undefined where that cannot be read. */
export function processIdentity(pid: number): string | undefined {
  try {
    bootId ??= readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim();
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name (which may hold spaces): state is field 3, starttime field 22.
    const startTime = stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19];
    return startTime ? `${bootId}/${startTime}` : undefined;
  } catch {
    return undefined;
  }
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
