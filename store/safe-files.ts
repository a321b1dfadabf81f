/**
 * The files ecsplane keeps beside a state file (the state, its lock, its control socket) may sit in a
 * shared directory such as /tmp: one that is a symbolic link, of the wrong type or another user's is
 * refused, never followed or trusted.
 */
import type { Stats } from 'node:fs';
import { UnsafePathError } from './errors.js';

/** `st` comes from fstat of a file opened with O_NOFOLLOW, or from lstat. */
export function assertOwnFile(st: Stats, what: string, path: string, type: 'file' | 'socket' = 'file'): void {
  if (st.isSymbolicLink()) throw new UnsafePathError(what, path, 'is a symbolic link');
  if (type === 'file' ? !st.isFile() : !st.isSocket()) {
    throw new UnsafePathError(what, path, `is not a ${type === 'file' ? 'regular file' : 'socket'}`);
  }
  const uid = process.getuid?.();
  if (uid !== undefined && st.uid !== uid) throw new UnsafePathError(what, path, `is owned by uid ${st.uid}, not by this user (uid ${uid})`);
}

/** An open() error for a path opened with O_NOFOLLOW: ELOOP means the path is a symbolic link. */
export function refuseSymlink(err: unknown, what: string, path: string): never {
  if ((err as NodeJS.ErrnoException).code === 'ELOOP') throw new UnsafePathError(what, path, 'is a symbolic link');
  throw err;
}
