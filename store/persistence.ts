/**
 * lowdb persistence of the whole store to one JSON state file.
 *
 * - Atomic replacement: write a temp file (mode 0600), fsync, rename over the target.
 * - One writer: the caller holds the state lock (store/lock.ts).
 * - User changes call flush() and are on disk before they are acknowledged; controller
 *   writes are coalesced (at most one write per `coalesceMs`), and the file is never partial.
 * - A file that does not parse, or lacks the expected shape, is refused with a clear error.
 */
import { open, rename, readFile, unlink } from 'node:fs/promises';
import { dirname, basename, join } from 'node:path';
import { Low, type Adapter } from 'lowdb';
import { CorruptStateError } from './errors.js';
import type { ResourceStore, StoreSnapshot } from './store.js';

export const STATE_FORMAT = 'ecsplane.io/state/v1';

export interface StateFile extends StoreSnapshot {
  format: string;
}

/** lowdb adapter: JSON file written atomically with mode 0600. */
export class SecureJsonFile implements Adapter<StateFile> {
  constructor(private readonly path: string) {}

  async read(): Promise<StateFile | null> {
    let text: string;
    try {
      text = await readFile(this.path, 'utf8');
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
    if (!d || d.format !== STATE_FORMAT || typeof d.resourceVersion !== 'number' || !Array.isArray(d.objects)) {
      throw new CorruptStateError(this.path, `expected {format: "${STATE_FORMAT}", resourceVersion, objects[]}`);
    }
    for (const [i, o] of d.objects.entries()) {
      if (!o || typeof o.kind !== 'string' || typeof o.metadata?.name !== 'string') {
        throw new CorruptStateError(this.path, `objects[${i}] has no kind or metadata.name`);
      }
    }
    return d as StateFile;
  }

  async write(data: StateFile): Promise<void> {
    const tmp = join(dirname(this.path), `.${basename(this.path)}.${process.pid}.tmp`);
    const fh = await open(tmp, 'w', 0o600);
    try {
      await fh.writeFile(JSON.stringify(data));
      await fh.sync();
    } finally {
      await fh.close();
    }
    try {
      await rename(tmp, this.path);
    } catch (err) {
      await unlink(tmp).catch(() => undefined);
      throw err;
    }
  }
}

export class StatePersistence {
  private readonly db: Low<StateFile>;
  private timer: NodeJS.Timeout | undefined;
  private dirty = false;
  private writing: Promise<void> = Promise.resolve();
  private lastError: Error | undefined;
  private store: ResourceStore | undefined;

  constructor(
    readonly path: string,
    private readonly coalesceMs = 200,
  ) {
    this.db = new Low<StateFile>(new SecureJsonFile(path), emptyState());
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
    store.onWrite(() => {
      this.dirty = true;
      if (!this.timer) {
        this.timer = setTimeout(() => {
          this.timer = undefined;
          void this.flush().catch(() => undefined);
        }, this.coalesceMs);
        this.timer.unref?.();
      }
    });
  }

  /** Resolve once everything written so far is on disk. */
  flush(): Promise<void> {
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = undefined;
    }
    this.writing = this.writing.then(async () => {
      if (!this.dirty) return;
      this.dirty = false;
      // Snapshot at write time, not per store write: coalescing keeps persistence O(writes to disk).
      if (this.store) this.db.data = { format: STATE_FORMAT, ...this.store.snapshot() };
      try {
        await this.db.write();
        this.lastError = undefined;
      } catch (err) {
        this.dirty = true;
        this.lastError = err as Error;
        throw err;
      }
    });
    return this.writing;
  }

  get error(): Error | undefined {
    return this.lastError;
  }
}

function emptyState(): StateFile {
  return { format: STATE_FORMAT, resourceVersion: 0, objects: [] };
}
