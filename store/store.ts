/**
 * The versioned resource store: the only way state moves.
 *
 * Kubernetes-API semantics on an in-process map: a global monotonically increasing
 * resourceVersion, generation bumped only on spec change, optimistic concurrency (a stale
 * resourceVersion throws ConflictError, never overwrites), finalizers + deletionTimestamp,
 * and a watch with bounded history (store/watch.ts). Every object handed out is deep-frozen.
 */
import { randomUUID } from 'node:crypto';
import { Observable } from './rx.js';
import { API_VERSION, clusterOf, keyOf, type Resource } from '../api/meta.js';
import { AlreadyExistsError, ConflictError, NotFoundError } from './errors.js';
import { clone, frozenCopy, frozenMerge, deepFreeze, jsonEqual } from './objects.js';
import { WatchHub, type WatchEvent } from './watch.js';
import { matchesSelector } from './selector.js';

export interface ListOptions {
  cluster?: string;
  /** Kubernetes label selector, e.g. `app=web,tier!=db`. */
  labelSelector?: string;
  /** Only objects with an ownerReference to this uid. */
  ownerUid?: string;
}

export interface StoreOptions {
  /** Epoch milliseconds; the injected clock. */
  now?: () => number;
  /** How many events the watch history keeps. */
  historySize?: number;
  /** Deterministic uids (simulate) instead of random ones. */
  uid?: () => string;
}

export interface StoreSnapshot {
  resourceVersion: number;
  objects: Resource[];
}

/** A committed write; `ev.previous` is the object it replaced or removed (undefined on create). */
type Listener = (ev: WatchEvent) => void;

/**
 * One stored object: its canonical key string (every index holds that same string, so a write
 * hashes its key once and the indexes keep no copies), its owner-index entry, and the secondary
 * index values it is filed under (so an update that leaves them unchanged touches no index).
 */
interface Entry {
  key: string;
  obj: Resource;
  /** Per indexer of the kind, in registration order: the values obj is filed under. */
  indexed: string[][];
}
/**
 * The values an object is filed under. On an update it also gets the replaced version and the
 * values that one was filed under: returning that same array says "unchanged" and costs nothing
 * (a status write usually leaves an object's index values as they were).
 */
export type IndexFn = (obj: Resource, previous?: Resource, previousValues?: readonly string[]) => Iterable<string>;
interface Indexer {
  fn: IndexFn;
  values: Map<string, Set<string>>;
}

export class ResourceStore {
  private readonly byKind = new Map<string, Map<string, Entry>>();
  /**
   * The same entries by kind, cluster and name: a write finds its entry from the object's own
   * (stored, already hashed) name and cluster strings instead of building and hashing its key.
   */
  private readonly byName = new Map<string, Map<string, Map<string, Entry>>>();
  // owner uid -> the entries naming it (an entry lives as long as its object: no key string per dependent)
  private readonly byOwner = new Map<string, Set<Entry>>();
  private readonly hub: WatchHub;
  private rv = 0;
  private readonly now: () => number;
  private readonly newUid: () => string;
  private readonly writeListeners: Listener[] = [];
  private readonly restoreListeners: Array<() => void> = [];
  /** Secondary indexes (client-go indexers): kind -> index name -> value -> keys. */
  private readonly indexers = new Map<string, Map<string, Indexer>>();
  /** The same indexers as a list per kind, in registration order (Entry.indexed's order). */
  private readonly indexerList = new Map<string, Indexer[]>();

  constructor(opts: StoreOptions = {}) {
    this.now = opts.now ?? Date.now;
    this.newUid = opts.uid ?? randomUUID;
    this.hub = new WatchHub(opts.historySize ?? 4096);
  }

  get resourceVersion(): number {
    return this.rv;
  }

  get(kind: string, key: string): Resource | undefined {
    return this.byKind.get(kind)?.get(key)?.obj;
  }

  mustGet(kind: string, key: string): Resource {
    return this.mustGetEntry(kind, key).obj;
  }

  private entryOf(obj: Resource): Entry | undefined {
    return this.byName.get(obj.kind)?.get(clusterOf(obj))?.get(obj.metadata.name);
  }

  private mustGetEntry(kind: string, key: string): Entry {
    const entry = this.byKind.get(kind)?.get(key);
    if (!entry) throw new NotFoundError(`${kind} ${JSON.stringify(key)} not found`);
    return entry;
  }

  list(kind: string, opts: ListOptions = {}): Resource[] {
    const objects = this.byKind.get(kind);
    if (!objects) return [];
    let items: Resource[];
    if (opts.cluster !== undefined) {
      // byName's per-cluster map holds the entries in creation order, as byKind does.
      const names = this.byName.get(kind)?.get(opts.cluster);
      items = [];
      if (names) for (const e of names.values()) items.push(e.obj);
    } else {
      items = [];
      for (const e of objects.values()) items.push(e.obj);
    }
    if (opts.ownerUid) items = items.filter((o) => o.metadata.ownerReferences?.some((r) => r.uid === opts.ownerUid));
    if (opts.labelSelector) items = items.filter((o) => matchesSelector(opts.labelSelector!, o.metadata.labels));
    return items;
  }

  /**
   * Register a secondary index on a kind, e.g. tasks by container instance. `fn` returns the
   * index values of an object (may be empty). Existing objects are indexed at once.
   */
  addIndex(kind: string, name: string, fn: IndexFn): void {
    let forKind = this.indexers.get(kind);
    if (!forKind) this.indexers.set(kind, (forKind = new Map()));
    if (forKind.has(name)) return;
    const indexer: Indexer = { fn, values: new Map<string, Set<string>>() };
    forKind.set(name, indexer);
    let list = this.indexerList.get(kind);
    if (!list) this.indexerList.set(kind, (list = []));
    list.push(indexer);
    for (const e of this.byKind.get(kind)?.values() ?? []) {
      const values = valuesOf(indexer, e.obj);
      e.indexed.push(values);
      fileUnder(indexer, values, e.key);
    }
  }

  /** Objects of `kind` whose index `name` has `value`. */
  byIndex(kind: string, name: string, value: string): Resource[] {
    const entry = this.indexers.get(kind)?.get(name);
    if (!entry) throw new Error(`no index ${name} on ${kind}`);
    const keys = entry.values.get(value);
    if (!keys) return [];
    const objects = this.byKind.get(kind)!;
    const out: Resource[] = [];
    for (const k of keys) out.push(objects.get(k)!.obj);
    return out;
  }

  /** How many objects of `kind` there are (in `cluster` when given), without listing them. */
  count(kind: string, cluster?: string): number {
    if (cluster !== undefined) return this.byName.get(kind)?.get(cluster)?.size ?? 0;
    return this.byKind.get(kind)?.size ?? 0;
  }

  kinds(): string[] {
    return [...this.byKind.keys()];
  }

  /** Objects (of any kind) whose ownerReferences name this uid. */
  dependentsOf(uid: string): Resource[] {
    const entries = this.byOwner.get(uid);
    if (!entries) return [];
    const out: Resource[] = [];
    for (const e of entries) out.push(e.obj);
    return out;
  }

  create(input: Resource): Resource {
    const kind = input.kind;
    const key = keyOf(input);
    if (this.get(kind, key)) throw new AlreadyExistsError(`${kind} ${JSON.stringify(key)} already exists`);
    const obj = copyForWrite(input);
    obj.apiVersion = obj.apiVersion ?? API_VERSION;
    const md = obj.metadata;
    md.uid = this.newUid();
    md.creationTimestamp = this.isoNow();
    md.generation = 1;
    delete md.deletionTimestamp;
    md.resourceVersion = String(++this.rv);
    return this.put(obj, 'ADDED', key);
  }

  /** Replace metadata (labels, annotations, finalizers, owners) and spec; status is kept. */
  update(input: Resource): Resource {
    const key = keyOf(input);
    const current = this.mustGet(input.kind, key);
    this.checkVersion(current, input);
    const obj = copyForWrite(input);
    obj.status = current.status === undefined ? undefined : frozenCopy(current.status);
    const md = obj.metadata;
    md.uid = current.metadata.uid;
    md.creationTimestamp = current.metadata.creationTimestamp;
    md.deletionTimestamp = current.metadata.deletionTimestamp;
    md.generation = (current.metadata.generation ?? 1) + (jsonEqual(current.spec, obj.spec) ? 0 : 1);
    if (current.metadata.deletionTimestamp && !jsonEqual(current.spec, obj.spec)) {
      throw new ConflictError(`${input.kind} ${keyOf(input)} is being deleted; its spec cannot change`);
    }
    if (jsonEqual(current, { ...obj, metadata: { ...md, resourceVersion: current.metadata.resourceVersion } })) {
      return current; // no-op writes do not bump resourceVersion or wake watchers
    }
    md.resourceVersion = String(++this.rv);
    if (md.deletionTimestamp && (md.finalizers ?? []).length === 0) return this.remove(obj);
    return this.put(obj, 'MODIFIED', key);
  }

  /**
   * Replace status only. `status`: the new status, instead of input.status (input is then the
   * object as read, passed as is). `differsFrom`: a status the caller already found different
   * from the new one; when it is the stored one (same object) and the new status is frozen (made
   * by frozenMerge or adoptMerge against it), the store takes it without comparing again.
   */
  updateStatus(input: Resource, opts: { differsFrom?: unknown; status?: unknown } = {}): Resource {
    const entry = this.entryOf(input) ?? this.mustGetEntry(input.kind, keyOf(input));
    const current = entry.obj;
    // Made from the stored object itself ({...current, status}): same version by construction.
    if (input.metadata !== current.metadata) this.checkVersion(current, input);
    const next = 'status' in opts ? opts.status : input.status;
    const known = opts.differsFrom !== undefined && opts.differsFrom === current.status;
    // The parts equal to the stored status are kept (frozenMerge): getting that status itself
    // back means nothing changed. A frozen status the caller already found different is taken as is.
    const status = known && Object.isFrozen(next) ? next : frozenMerge(next, current.status);
    if (status === current.status) return current;
    const metadata = Object.freeze({ ...current.metadata, resourceVersion: String(++this.rv) });
    // Every member is frozen already, so freezing the object itself makes it deep-frozen.
    const obj: Resource = Object.freeze({ ...current, metadata, status });
    return this.put(obj, 'MODIFIED', entry.key, entry);
  }

  /**
   * Delete: with finalizers the object only gets a deletionTimestamp (the owning controller
   * finishes the work and removes its finalizer); without, it is removed at once.
   */
  delete(kind: string, key: string, opts: { resourceVersion?: string } = {}): Resource {
    const current = this.mustGet(kind, key);
    if (opts.resourceVersion && opts.resourceVersion !== current.metadata.resourceVersion) {
      throw new ConflictError(this.conflictMessage(current));
    }
    if ((current.metadata.finalizers ?? []).length > 0) {
      if (current.metadata.deletionTimestamp) return current;
      const obj: Resource = {
        ...current,
        metadata: { ...current.metadata, deletionTimestamp: this.isoNow() },
      };
      obj.metadata.resourceVersion = String(++this.rv);
      return this.put(obj, 'MODIFIED');
    }
    const obj: Resource = { ...current, metadata: { ...current.metadata, resourceVersion: String(++this.rv) } };
    return this.remove(obj);
  }

  /**
   * Watch one kind (or every kind with '*') from a resourceVersion: replays retained history
   * newer than `fromResourceVersion`, then live events. Without a version: live events only
   * (list first; the store is synchronous, so list-then-watch has no gap). Errors with
   * ExpiredError when the history no longer reaches back that far.
   */
  watch(kind: string, fromResourceVersion?: number | string): Observable<WatchEvent> {
    const from = fromResourceVersion === undefined ? this.rv : Number(fromResourceVersion);
    return this.hub.watch(kind, from, this.rv);
  }

  /** List plus the resourceVersion to watch from. */
  listAndVersion(kind: string, opts: ListOptions = {}): { items: Resource[]; resourceVersion: number } {
    return { items: this.list(kind, opts), resourceVersion: this.rv };
  }

  /** Called synchronously after every committed write (persistence and caches hook in here). */
  onWrite(listener: Listener): void {
    this.writeListeners.push(listener);
  }

  /** Called after restore() replaced the (empty) contents without write events (caches). */
  onRestore(listener: () => void): void {
    this.restoreListeners.push(listener);
  }

  snapshot(): StoreSnapshot {
    const objects: Resource[] = [];
    for (const m of this.byKind.values()) for (const e of m.values()) objects.push(e.obj);
    return { resourceVersion: this.rv, objects };
  }

  /** Restore a snapshot into an empty store (restart from disk). */
  restore(snap: StoreSnapshot): void {
    if (this.rv !== 0 || this.byKind.size > 0) throw new Error('restore needs an empty store');
    for (const o of snap.objects) this.put(deepFreeze(clone(o)), undefined);
    this.rv = snap.resourceVersion;
    this.hub.reset(this.rv);
    for (const l of this.restoreListeners) l();
  }

  /**
   * Put an earlier version of an object back (`to`), or remove it (`to` undefined), as a new write
   * with a new resourceVersion: how persistence undoes a user change the disk refused.
   */
  revert(kind: string, key: string, to: Resource | undefined): void {
    const current = this.get(kind, key);
    if (to === current) return;
    if (!to) {
      this.remove({ ...current!, metadata: { ...current!.metadata, resourceVersion: String(++this.rv) } });
      return;
    }
    this.put({ ...to, metadata: { ...to.metadata, resourceVersion: String(++this.rv) } }, current ? 'MODIFIED' : 'ADDED', key);
  }

  private lastIso: { ms: number; iso: string } | undefined;

  /** new Date(now).toISOString(), one string per instant (objects created together share it). */
  private isoNow(): string {
    const ms = this.now();
    if (this.lastIso?.ms !== ms) this.lastIso = { ms, iso: new Date(ms).toISOString() };
    return this.lastIso.iso;
  }

  private checkVersion(current: Resource, input: Resource): void {
    const rv = input.metadata.resourceVersion;
    if (rv !== undefined && rv !== current.metadata.resourceVersion) throw new ConflictError(this.conflictMessage(current));
  }

  private conflictMessage(current: Resource): string {
    return `Operation cannot be fulfilled on ${current.kind} ${JSON.stringify(keyOf(current))}: the object has been modified; please apply your changes to the latest version and try again`;
  }

  /**
   * File `obj` (new or replacing the stored object of its key) and announce it; `type`
   * undefined files it silently (restore). Only what changed is re-indexed: the cluster of a
   * key never changes, and index and owner entries are touched only when their values differ.
   */
  private put(obj: Resource, type: 'ADDED' | 'MODIFIED' | undefined, key = keyOf(obj), known?: Entry): Resource {
    const kind = obj.kind;
    let objects = this.byKind.get(kind);
    if (!objects) this.byKind.set(kind, (objects = new Map()));
    const entry = known ?? objects.get(key);
    const indexers = this.indexerList.get(kind);
    if (!entry) {
      const added: Entry = { key, obj, indexed: [] };
      const frozen = deepFreeze(obj);
      objects.set(key, added);
      this.nameIndex(kind, clusterOf(obj)).set(obj.metadata.name, added);
      this.addOwners(added, frozen.metadata.ownerReferences);
      if (indexers) {
        for (const indexer of indexers) {
          const values = valuesOf(indexer, frozen);
          added.indexed.push(values);
          fileUnder(indexer, values, key);
        }
      }
      if (type) this.emit({ type, object: frozen, resourceVersion: this.rv });
      return frozen;
    }
    const previous = entry.obj;
    const frozen = deepFreeze(obj);
    entry.obj = frozen;
    const before = previous.metadata.ownerReferences;
    const after = frozen.metadata.ownerReferences;
    if (before !== after && !jsonEqual(before, after)) {
      this.removeOwners(entry, before);
      this.addOwners(entry, after);
    }
    if (indexers) {
      for (let i = 0; i < indexers.length; i++) {
        const old = entry.indexed[i];
        const values = valuesOf(indexers[i], frozen, previous, old);
        if (values === old || sameValues(old, values)) continue;
        unfile(indexers[i], old, entry.key);
        fileUnder(indexers[i], values, entry.key);
        entry.indexed[i] = values;
      }
    }
    if (type) this.emit({ type, object: frozen, resourceVersion: this.rv, previous });
    return frozen;
  }

  private remove(obj: Resource): Resource {
    const frozen = deepFreeze(obj);
    const kind = obj.kind;
    const objects = this.byKind.get(kind);
    const entry = objects?.get(keyOf(obj));
    if (entry) {
      objects!.delete(entry.key);
      this.nameIndex(kind, clusterOf(obj)).delete(obj.metadata.name);
      this.removeOwners(entry, entry.obj.metadata.ownerReferences);
      const indexers = this.indexerList.get(kind) ?? [];
      for (let i = 0; i < indexers.length; i++) unfile(indexers[i], entry.indexed[i], entry.key);
    }
    this.emit({ type: 'DELETED', object: frozen, resourceVersion: this.rv, previous: entry?.obj });
    return frozen;
  }

  private nameIndex(kind: string, cluster: string): Map<string, Entry> {
    let clusters = this.byName.get(kind);
    if (!clusters) this.byName.set(kind, (clusters = new Map()));
    let names = clusters.get(cluster);
    if (!names) clusters.set(cluster, (names = new Map()));
    return names;
  }

  private addOwners(entry: Entry, owners: Resource['metadata']['ownerReferences']): void {
    if (!owners?.length) return;
    for (const o of owners) {
      let deps = this.byOwner.get(o.uid);
      if (!deps) this.byOwner.set(o.uid, (deps = new Set()));
      deps.add(entry);
    }
  }

  private removeOwners(entry: Entry, owners: Resource['metadata']['ownerReferences']): void {
    if (!owners?.length) return;
    for (const owner of owners) {
      const deps = this.byOwner.get(owner.uid);
      deps?.delete(entry);
      if (deps && deps.size === 0) this.byOwner.delete(owner.uid);
    }
  }

  private emit(ev: WatchEvent): void {
    for (const l of this.writeListeners) l(ev);
    this.hub.publish(ev);
  }
}

/** The values of an object filed under nothing: one shared array, not one per object (heap per task). */
const NO_VALUES: string[] = Object.freeze([]) as unknown as string[];

function valuesOf(indexer: Indexer, obj: Resource, previous?: Resource, previousValues?: string[]): string[] {
  const values = indexer.fn(obj, previous, previousValues);
  const list = Array.isArray(values) ? values : [...values];
  return list.length === 0 ? NO_VALUES : list;
}

function fileUnder(indexer: Indexer, values: string[], key: string): void {
  for (const v of values) {
    let keys = indexer.values.get(v);
    if (!keys) indexer.values.set(v, (keys = new Set()));
    keys.add(key);
  }
}

function unfile(indexer: Indexer, values: string[], key: string): void {
  for (const v of values) {
    const keys = indexer.values.get(v);
    if (!keys) continue;
    keys.delete(key);
    if (keys.size === 0) indexer.values.delete(v);
  }
}

function sameValues(a: string[], b: string[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/**
 * The copy create/update store: like clone, but the object and its metadata are always new (they
 * are filled in here) and subtrees the store already owns are shared (frozenCopy).
 */
function copyForWrite(input: Resource): Resource {
  const out: Record<string, unknown> = {};
  for (const k in input) {
    const v = (input as unknown as Record<string, unknown>)[k];
    if (v === undefined) continue;
    if (k === 'metadata' && v !== null && typeof v === 'object') {
      const md: Record<string, unknown> = {};
      for (const mk in v as Record<string, unknown>) {
        const mv = (v as Record<string, unknown>)[mk];
        if (mv !== undefined) md[mk] = frozenCopy(mv);
      }
      out[k] = md;
    } else {
      out[k] = frozenCopy(v);
    }
  }
  return out as unknown as Resource;
}
