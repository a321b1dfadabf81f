/**
 * lowdb persistence of the whole store to one JSON state file.
 *
 * - Atomic replacement: write an exclusively created temp file with an unpredictable name (mode 0600,
 *   never through a symbolic link), fsync, rename over the target, fsync the directory. A killed
 *   writer's temp file is removed by the next holder of the lock (removeStaleTempFiles).
 * - One writer: the caller holds the state lock (store/lock.ts).
 * - User changes call flush() and are on disk before they are acknowledged; controller writes are
 *   coalesced (at most one write per `coalesceMs`), and the file is never partial.
 * - A failed write does not poison later ones: the next write tries again (after a back-off for
 *   controller writes, at once for a user's). A user change whose write failed is undone in memory
 *   (with everything written since, so memory is a state the store really had): it is either on disk
 *   and acknowledged, or neither.
 * - A file that does not parse, lacks the expected shape or holds objects the loops cannot act on
 *   (store/state-check.ts) is refused with a clear error naming the object.
 */
import * as nodeFs from 'node:fs/promises';
import { constants } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { dirname, basename, join } from 'node:path';
import { Low, type Adapter } from 'lowdb';
import { keyOf, type Resource } from '../api/meta.js';
import { CorruptStateError, StateWriteError } from './errors.js';
import { assertOwnFile, refuseSymlink } from './safe-files.js';
import { stateProblem } from './state-check.js';
import type { ResourceStore, StoreSnapshot } from './store.js';

export const STATE_FORMAT = 'ecsplane.io/state/v1';

export interface StateFile extends StoreSnapshot {
  format: string;
}

/** The file-system calls the adapter makes: node:fs/promises, or a stand-in that fails on purpose (tests). */
export type StateFileSystem = Pick<typeof nodeFs, 'open' | 'rename' | 'unlink'>;

/** lowdb adapter: JSON file written atomically with mode 0600. */
export class SecureJsonFile implements Adapter<StateFile> {
  constructor(
    private readonly path: string,
    private readonly fs: StateFileSystem = nodeFs,
  ) {}

  async read(): Promise<StateFile | null> {
    let text: string;
    try {
      const fh = await this.fs.open(this.path, constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK).catch((err) => refuseSymlink(err, 'state file', this.path));
      try {
        assertOwnFile(await fh.stat(), 'state file', this.path);
        text = await fh.readFile('utf8');
      } finally {
        await fh.close();
      }
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw err;
    }
    let data: unknown;
    try {
      data = JSON.parse(text);
    } catch (err) {
      throw new CorruptStateError(this.path, `not valid JSON: ${(err as Error).message}`);
    }
    const d = data as Partial<StateFile>;
    if (!d || d.format !== STATE_FORMAT || !Number.isSafeInteger(d.resourceVersion) || d.resourceVersion! < 0 || !Array.isArray(d.objects)) {
      throw new CorruptStateError(this.path, `expected {format: "${STATE_FORMAT}", resourceVersion, objects[]}`);
    }
    const problem = stateProblem(d as StateFile);
    if (problem) throw new CorruptStateError(this.path, problem);
    return d as StateFile;
  }

  async write(data: StateFile): Promise<void> {
    const tmp = join(dirname(this.path), `.${basename(this.path)}.${randomBytes(8).toString('hex')}.tmp`);
    const flags = constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW;
    const fh = await this.fs.open(tmp, flags, 0o600);
    try {
      try {
        await fh.writeFile(JSON.stringify(data));
        await fh.sync();
      } finally {
        await fh.close();
      }
      await this.fs.rename(tmp, this.path);
    } catch (err) {
      await this.fs.unlink(tmp).catch(() => undefined);
      throw err;
    }
    await this.syncDirectory();
  }

  /** The rename itself survives a power loss once the directory is synced (best effort: not every file system can). */
  private async syncDirectory(): Promise<void> {
    try {
      const dir = await this.fs.open(dirname(this.path), constants.O_RDONLY | constants.O_DIRECTORY);
      try {
        await dir.sync();
      } finally {
        await dir.close();
      }
    } catch {
      /* the file is in place; only its durability across a power loss is less certain */
    }
  }
}

/**
 * Remove the temp files killed writers left beside the state file (`.<state>.*.tmp`). Call it
 * holding the lock: then no live process is writing one of them.
 */
export async function removeStaleTempFiles(statePath: string): Promise<number> {
  const prefix = `.${basename(statePath)}.`;
  let removed = 0;
  for (const name of await nodeFs.readdir(dirname(statePath))) {
    if (!name.startsWith(prefix) || !name.endsWith('.tmp') || name.length <= prefix.length + 4) continue;
    const path = join(dirname(statePath), name);
    try {
      const st = await nodeFs.lstat(path);
      if (!st.isFile() && !st.isSymbolicLink()) continue;
      if (st.uid !== process.getuid?.()) continue; // another user's: not ours to remove
      await nodeFs.unlink(path); // a symbolic link itself is removed, never what it points to
      removed++;
    } catch {
      /* gone already */
    }
  }
  return removed;
}

/** A user's change waiting for the write that puts it on disk. */
interface PendingChange {
  /** Where its writes begin in the undo log (absolute index). */
  from: number;
  resolve(): void;
  reject(err: Error): void;
}

/** One store write as the undo log keeps it: the version it replaced (undefined: it created the object). */
interface Undo {
  kind: string;
  key: string;
  previous: Resource | undefined;
}

/** Back-off of controller writes after a failed write: coalesceMs, doubling, at most this. */
const MAX_RETRY_MS = 5_000;

export class StatePersistence {
  private readonly db: Low<StateFile>;
  private timer: NodeJS.Timeout | undefined;
  private dirty = false;
  private writing = false;
  private failures = 0;
  private lastError: Error | undefined;
  private store: ResourceStore | undefined;
  /** User changes not yet settled, oldest first. */
  private pending: PendingChange[] = [];
  /** Store writes since the oldest pending change began (or in the current synchronous run). */
  private undoLog: Undo[] = [];
  private undoBase = 0;
  /** Where the writes of the current synchronous run begin in the undo log, while it lasts. */
  private runStart: number | undefined;
  private undoing = false;

  constructor(
    readonly path: string,
    private readonly coalesceMs = 200,
    fs?: StateFileSystem,
  ) {
    this.db = new Low<StateFile>(new SecureJsonFile(path, fs), emptyState());
  }

  /** Read the file (or nothing) into an empty store. Throws CorruptStateError. */
  async load(store: ResourceStore): Promise<boolean> {
    await this.db.read();
    const data = this.db.data;
    const found = data.objects.length > 0 || data.resourceVersion > 0;
    if (found) store.restore(data);
    return found;
  }

  /** Persist on every store write from now on (coalesced). */
  attach(store: ResourceStore): void {
    this.store = store;
    store.onWrite((ev) => {
      this.dirty = true;
      if (!this.undoing) this.record({ kind: ev.object.kind, key: keyOf(ev.object), previous: ev.previous });
      if (!this.writing) this.schedule(this.coalesceMs);
    });
  }

  /**
   * Resolve once everything written so far is on disk. The writes of the current synchronous run
   * are the caller's change (an apply is synchronous up to its flush): when the write fails they are
   * undone, with every later one, and this rejects with a StateWriteError.
   */
  flush(): Promise<void> {
    const from = this.runStart ?? this.undoBase + this.undoLog.length;
    this.runStart = undefined;
    return new Promise<void>((resolve, reject) => {
      this.pending.push({ from, resolve, reject });
      this.cancelTimer();
      this.kick();
    });
  }

  /** The last write's error, until a write succeeds. */
  get error(): Error | undefined {
    return this.lastError;
  }

  private record(undo: Undo): void {
    if (this.runStart === undefined) {
      this.runStart = this.undoBase + this.undoLog.length;
      queueMicrotask(() => {
        this.runStart = undefined;
        this.trimUndoLog();
      });
    }
    this.undoLog.push(undo);
  }

  private kick(): void {
    if (this.writing) return; // the running write loop picks the new change up
    this.writing = true;
    void this.writeLoop();
  }

  /** Write until every pending change is settled; back to coalescing after that. */
  private async writeLoop(): Promise<void> {
    try {
      do {
        const covered = this.pending.length; // changes made before this snapshot
        if (this.dirty) {
          this.dirty = false;
          // Snapshot at write time, not per store write: coalescing keeps persistence O(writes to disk).
          if (this.store) this.db.data = { format: STATE_FORMAT, ...this.store.snapshot() };
          await this.db.write();
          this.lastError = undefined;
          this.failures = 0;
        }
        for (const change of this.pending.splice(0, covered)) change.resolve();
        this.trimUndoLog();
      } while (this.pending.length > 0);
      if (this.dirty) this.schedule(this.coalesceMs);
    } catch (err) {
      this.failed(err as Error);
    } finally {
      this.writing = false;
    }
  }

  /** Undo every pending change (and what was written after it), reject them all, retry later. */
  private failed(cause: Error): void {
    this.dirty = true;
    this.lastError = new StateWriteError(this.path, cause);
    this.failures++;
    const changes = this.pending.splice(0);
    const end = this.undoBase + this.undoLog.length;
    let undone = 'the change was not saved and has been undone';
    try {
      if (changes.length > 0) this.undo(changes[0].from);
    } catch (err) {
      undone = `the change was not saved, and undoing it failed: ${(err as Error).message}`;
    }
    for (const change of changes) change.reject(new StateWriteError(this.path, cause, change.from < end ? undone : 'nothing was saved'));
    this.trimUndoLog();
    this.schedule(Math.min(this.coalesceMs * 2 ** this.failures, MAX_RETRY_MS));
  }

  /** Put back every object written since undo log index `from` as it was then, newest first. */
  private undo(from: number): void {
    if (!this.store) return;
    const firstPrevious = new Map<string, Undo>();
    for (const u of this.undoLog.slice(Math.max(0, from - this.undoBase))) {
      const id = `${u.kind}\0${u.key}`;
      if (!firstPrevious.has(id)) firstPrevious.set(id, u);
    }
    this.undoing = true;
    try {
      for (const u of [...firstPrevious.values()].reverse()) this.store.revert(u.kind, u.key, u.previous);
    } finally {
      this.undoing = false;
    }
  }

  /** Drop what no pending change (nor the current synchronous run) can still need. */
  private trimUndoLog(): void {
    const keepFrom = Math.min(this.pending[0]?.from ?? Infinity, this.runStart ?? Infinity);
    const end = this.undoBase + this.undoLog.length;
    const from = Math.min(keepFrom, end);
    if (from > this.undoBase) {
      this.undoLog = this.undoLog.slice(from - this.undoBase);
      this.undoBase = from;
    }
  }

  private schedule(ms: number): void {
    if (this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.kick();
    }, ms);
    this.timer.unref?.();
  }

  private cancelTimer(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
  }
}

function emptyState(): StateFile {
  return { format: STATE_FORMAT, resourceVersion: 0, objects: [] };
}
