/**
 * One writer per state file. The holder is named in a lock file: its pid, the identity of that
 * process and the path of its control socket. A lock whose process is gone is stale and is taken over.
 * A pid alone is not enough: in a container every restart runs as PID 1, so a lock left by the
 * previous container (the state on a volume that outlives it) would look held forever; the identity
 * (boot id + the process's start time, from /proc) tells them apart.
 *
 * Taking over a stale lock is atomic. Lock files are numbered generations, `<state>.lock.<n>`:
 * - the holder is the writer of the highest generation, while its process lives and it has not released;
 * - a taker creates generation top+1 with link() from a temp file already holding its record, so the
 *   name appears complete (a reader never sees an empty lock) and only one process can create it;
 * - the highest generation is never deleted (release rewrites it as released), so a number that could
 *   still be the highest is never created twice. A slow taker that links a number the new holder has
 *   already cleaned up finds a higher one above it and backs off.
 * Reading the record, deciding it is stale and replacing it (the old way) let two takers both win.
 */
import { closeSync, constants, fstatSync, linkSync, openSync, readdirSync, readFileSync, readSync, renameSync, unlinkSync, writeSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { assertOwnFile, refuseSymlink } from './safe-files.js';

export interface LockInfo {
  pid: number;
  socket?: string;
  /** `bootId/startTime` of the holder (Linux); absent elsewhere, then the pid alone decides. */
  process?: string;
}

interface LockRecord extends LockInfo {
  /** Written by release(): the generation stays (see above) but holds nobody. */
  released?: boolean;
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

/** How many times a taker looks again after losing a race before giving up. */
const MAX_ATTEMPTS = 20;
/** A lock record is a few hundred bytes; more is not ours. */
const MAX_RECORD_BYTES = 64 * 1024;

/** The lock file of ecsplane versions before generations: honoured while its holder lives. */
export function lockPath(statePath: string): string {
  return `${statePath}.lock`;
}

export function generationPath(statePath: string, n: number): string {
  return `${statePath}.lock.${n}`;
}

/** The live holder of the state file, if any. Throws UnsafePathError for a lock file it must not read. */
export function readLock(statePath: string): LockInfo | undefined {
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
    const legacy = readRecord(lockPath(statePath));
    if (legacy && isHeld(legacy)) return holderOf(legacy);
    const top = generations(statePath).at(-1);
    if (top === undefined) return undefined;
    const rec = readRecord(generationPath(statePath, top));
    if (rec === undefined) continue; // cleaned up under us by a newer holder: look again
    return isHeld(rec) ? holderOf(rec) : undefined;
  }
  return undefined;
}

/** Take the lock or throw StateLockedError naming the live holder. Returns a release function. */
export function acquireLock(statePath: string, holder: LockInfo): () => void {
  const identity = holder.process ?? processIdentity(holder.pid);
  const info: LockInfo = identity === undefined ? { ...holder } : { ...holder, process: identity };
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
    const legacy = readRecord(lockPath(statePath));
    if (legacy && isHeld(legacy)) throw new StateLockedError(statePath, holderOf(legacy));
    const top = generations(statePath).at(-1) ?? 0;
    if (top > 0) {
      const rec = readRecord(generationPath(statePath, top));
      if (rec === undefined) continue; // cleaned up under us: look again
      if (isHeld(rec)) throw new StateLockedError(statePath, holderOf(rec));
    }
    const mine = top + 1;
    if (!createRecord(statePath, mine, info)) continue; // another taker created it first
    if (generations(statePath).at(-1) !== mine) {
      // We re-created a number a newer holder had cleaned up: the one above decides, not us.
      unlinkQuietly(generationPath(statePath, mine));
      continue;
    }
    for (const n of generations(statePath)) if (n < mine) unlinkQuietly(generationPath(statePath, n));
    if (legacy) unlinkQuietly(lockPath(statePath));
    return releaser(statePath, mine, info);
  }
  throw new Error(`could not take the lock of ${statePath}: other processes kept taking it (${MAX_ATTEMPTS} attempts)`);
}

function releaser(statePath: string, n: number, info: LockInfo): () => void {
  let released = false;
  return () => {
    if (released) return;
    released = true;
    try {
      const rec = readRecord(generationPath(statePath, n));
      if (rec && !rec.released && rec.pid === info.pid && rec.process === info.process) {
        // Rewritten, never deleted: the highest generation must stay (see the header).
        const tmp = writeTemp(statePath, { ...info, released: true });
        renameSync(tmp, generationPath(statePath, n));
      }
    } catch {
      /* the process is leaving anyway: its lock goes stale with it */
    }
  };
}

/** Generation numbers present beside the state file, ascending. */
function generations(statePath: string): number[] {
  const prefix = `${basename(statePath)}.lock.`;
  const out: number[] = [];
  let names: string[];
  try {
    names = readdirSync(dirname(statePath));
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') throw new Error(`the directory of the state file ${statePath} does not exist`);
    throw err;
  }
  for (const name of names) {
    if (!name.startsWith(prefix)) continue;
    const digits = name.slice(prefix.length);
    if (!/^[1-9][0-9]{0,14}$/.test(digits)) continue;
    out.push(Number(digits));
  }
  return out.sort((a, b) => a - b);
}

/** Create generation `n` holding `info`, atomically; false when it exists (or the temp file vanished). */
function createRecord(statePath: string, n: number, info: LockInfo): boolean {
  const tmp = writeTemp(statePath, info);
  try {
    linkSync(tmp, generationPath(statePath, n));
    return true;
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    // ENOENT: a new holder removed our temp file (it cleans up temp files of dead writers).
    if (code === 'EEXIST' || code === 'ENOENT') return false;
    throw err;
  } finally {
    unlinkQuietly(tmp);
  }
}

/** A fresh, exclusively created, unpredictable temp file beside the state file (0600) holding `rec`. */
function writeTemp(statePath: string, rec: LockRecord): string {
  const tmp = join(dirname(statePath), `.${basename(statePath)}.lock.${randomBytes(8).toString('hex')}.tmp`);
  const fd = openSync(tmp, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW, 0o600);
  try {
    writeSync(fd, JSON.stringify(rec));
  } finally {
    closeSync(fd);
  }
  return tmp;
}

/**
 * The record in a lock file: undefined when there is no file; a record with pid 0 (stale) when it
 * is not ours to parse. Never follows a symbolic link; refuses another user's file (UnsafePathError).
 */
function readRecord(path: string): LockRecord | undefined {
  let fd: number;
  try {
    fd = openSync(path, constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    refuseSymlink(err, 'lock file', path);
  }
  try {
    const st = fstatSync(fd);
    assertOwnFile(st, 'lock file', path);
    const buf = Buffer.alloc(Math.min(st.size, MAX_RECORD_BYTES));
    const n = readSync(fd, buf, 0, buf.length, 0);
    return parseRecord(buf.subarray(0, n).toString('utf8'));
  } finally {
    closeSync(fd);
  }
}

function parseRecord(text: string): LockRecord {
  try {
    const rec = JSON.parse(text) as LockRecord;
    if (rec && typeof rec === 'object' && Number.isInteger(rec.pid)) return rec;
  } catch {
    /* fall through */
  }
  return { pid: 0 };
}

function isHeld(rec: LockRecord): boolean {
  if (rec.released || !isAlive(rec.pid)) return false;
  if (rec.process === undefined) return true;
  const now = processIdentity(rec.pid);
  return now === undefined || now === rec.process;
}

function holderOf(rec: LockRecord): LockInfo {
  const info: LockInfo = { pid: rec.pid };
  if (typeof rec.socket === 'string') info.socket = rec.socket;
  if (typeof rec.process === 'string') info.process = rec.process;
  return info;
}

function unlinkQuietly(path: string): void {
  try {
    unlinkSync(path);
  } catch {
    /* already gone */
  }
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
