/**
 * The versioned resource store: the only way state moves.
 *
 * Kubernetes-API semantics on an in-process map: a global monotonically increasing
 * resourceVersion, generation bumped only on spec change, optimistic concurrency (a stale
 * resourceVersion throws ConflictError, never overwrites), finalizers + deletionTimestamp,
 * and a watch with bounded history (store/watch.ts). Every object handed out is deep-frozen.
 */
import { randomUUID } from 'node:crypto';
import { Observable } from 'rxjs';
import { API_VERSION, clusterOf, keyOf, type Resource } from '../api/meta.js';
import { AlreadyExistsError, ConflictError, NotFoundError } from './errors.js';
import { clone, cloneShared, deepFreeze, jsonEqual } from './objects.js';
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

/** A committed write; `previous` is the object it replaced or removed (undefined on create). */
type Listener = (ev: WatchEvent, previous: Resource | undefined) => void;

/** The canonical key string of a stored object, and its entry in the owner index. */
interface Slot {
  key: string;
  ref: string | undefined;
}
export type IndexFn = (obj: Resource) => Iterable<string>;

export class ResourceStore {
  private readonly byKind = new Map<string, Map<string, Resource>>();
  private readonly byCluster = new Map<string, Map<string, Set<string>>>(); // kind -> cluster -> keys
  private readonly byOwner = new Map<string, Set<string>>(); // owner uid -> `kind\0key`
  private readonly hub: WatchHub;
  private rv = 0;
  private readonly now: () => number;
  private readonly newUid: () => string;
  private readonly writeListeners: Listener[] = [];
  private readonly restoreListeners: Array<() => void> = [];
  /**
   * One canonical key string per stored object (and its owner-index entry): every index holds
   * that same string, so a write hashes its key once and each index operation finds it by a
   * cached hash, and the indexes do not keep copies of it.
   */
  private readonly slots = new Map<string, Map<string, Slot>>();
  /** Secondary indexes (client-go indexers): kind -> index name -> value -> keys. */
  private readonly indexers = new Map<string, Map<string, { fn: IndexFn; values: Map<string, Set<string>> }>>();

  constructor(opts: StoreOptions = {}) {
    this.now = opts.now ?? Date.now;
    this.newUid = opts.uid ?? randomUUID;
    this.hub = new WatchHub(opts.historySize ?? 4096);
  }

  get resourceVersion(): number {
    return this.rv;
  }

  get(kind: string, key: string): Resource | undefined {
    return this.byKind.get(kind)?.get(key);
  }

  mustGet(kind: string, key: string): Resource {
    const obj = this.get(kind, key);
    if (!obj) throw new NotFoundError(`${kind} ${JSON.stringify(key)} not found`);
    return obj;
  }

  list(kind: string, opts: ListOptions = {}): Resource[] {
    const objects = this.byKind.get(kind);
    if (!objects) return [];
    let items: Resource[];
    if (opts.cluster !== undefined) {
      const keys = this.byCluster.get(kind)?.get(opts.cluster);
      items = [];
      if (keys) for (const k of keys) items.push(objects.get(k)!);
    } else {
      items = [...objects.values()];
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
    const entry = { fn, values: new Map<string, Set<string>>() };
    forKind.set(name, entry);
    for (const [key, o] of this.byKind.get(kind) ?? []) this.indexValues(entry, o, key, true);
  }

  /** Objects of `kind` whose index `name` has `value`. */
  byIndex(kind: string, name: string, value: string): Resource[] {
    const entry = this.indexers.get(kind)?.get(name);
    if (!entry) throw new Error(`no index ${name} on ${kind}`);
    const keys = entry.values.get(value);
    if (!keys) return [];
    const objects = this.byKind.get(kind)!;
    const out: Resource[] = [];
    for (const k of keys) out.push(objects.get(k)!);
    return out;
  }

  count(kind: string): number {
    return this.byKind.get(kind)?.size ?? 0;
  }

  kinds(): string[] {
    return [...this.byKind.keys()];
  }

  /** Objects (of any kind) whose ownerReferences name this uid. */
  dependentsOf(uid: string): Resource[] {
    const refs = this.byOwner.get(uid);
    if (!refs) return [];
    const out: Resource[] = [];
    for (const ref of refs) {
      const [kind, key] = ref.split('\0');
      const obj = this.get(kind, key);
      if (obj) out.push(obj);
    }
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
    return this.put(obj, 'ADDED');
  }

  /** Replace metadata (labels, annotations, finalizers, owners) and spec; status is kept. */
  update(input: Resource): Resource {
    const key = keyOf(input);
    const current = this.mustGet(input.kind, key);
    this.checkVersion(current, input);
    const obj = copyForWrite(input);
    obj.status = current.status === undefined ? undefined : cloneShared(current.status);
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
   * Replace status only. `differsFrom`: a status the caller already found different from
   * input.status; when it is the stored one (same object), the no-op check is skipped.
   */
  updateStatus(input: Resource, opts: { differsFrom?: unknown } = {}): Resource {
    const key = keyOf(input);
    const current = this.mustGet(input.kind, key);
    this.checkVersion(current, input);
    const known = opts.differsFrom !== undefined && opts.differsFrom === current.status;
    if (!known && jsonEqual(current.status, input.status)) return current;
    const obj: Resource = { ...current, metadata: { ...current.metadata }, status: cloneShared(input.status) };
    obj.metadata.resourceVersion = String(++this.rv);
    return this.put(obj, 'MODIFIED', key);
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
    for (const m of this.byKind.values()) for (const o of m.values()) objects.push(o);
    return { resourceVersion: this.rv, objects };
  }

  /** Restore a snapshot into an empty store (restart from disk). */
  restore(snap: StoreSnapshot): void {
    if (this.rv !== 0 || this.byKind.size > 0) throw new Error('restore needs an empty store');
    for (const o of snap.objects) this.index(deepFreeze(clone(o)));
    this.rv = snap.resourceVersion;
    this.hub.reset(this.rv);
    for (const l of this.restoreListeners) l();
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

  /** The canonical key (and owner-index entry) of `kind`/`key`, made on first use. */
  private slot(kind: string, key: string): Slot {
    let m = this.slots.get(kind);
    if (!m) this.slots.set(kind, (m = new Map()));
    let s = m.get(key);
    if (!s) m.set(key, (s = { key, ref: undefined }));
    return s;
  }

  private put(obj: Resource, type: 'ADDED' | 'MODIFIED', key = keyOf(obj)): Resource {
    const frozen = deepFreeze(obj);
    const slot = this.slot(obj.kind, key);
    const previous = this.byKind.get(obj.kind)?.get(slot.key);
    if (previous) this.unindex(previous, slot);
    this.index(frozen, slot);
    this.emit({ type, object: frozen, resourceVersion: this.rv }, previous);
    return frozen;
  }

  private remove(obj: Resource): Resource {
    const frozen = deepFreeze(obj);
    const slot = this.slot(obj.kind, keyOf(obj));
    const key = slot.key;
    const previous = this.byKind.get(obj.kind)?.get(key);
    this.byKind.get(obj.kind)?.delete(key);
    this.byCluster.get(obj.kind)?.get(clusterOf(obj))?.delete(key);
    if (previous) this.unindex(previous, slot);
    this.slots.get(obj.kind)?.delete(key);
    this.emit({ type: 'DELETED', object: frozen, resourceVersion: this.rv }, previous);
    return frozen;
  }

  private index(obj: Resource, slot = this.slot(obj.kind, keyOf(obj))): void {
    const key = slot.key;
    let objects = this.byKind.get(obj.kind);
    if (!objects) this.byKind.set(obj.kind, (objects = new Map()));
    objects.set(key, obj);
    let clusters = this.byCluster.get(obj.kind);
    if (!clusters) this.byCluster.set(obj.kind, (clusters = new Map()));
    const cluster = clusterOf(obj);
    let keys = clusters.get(cluster);
    if (!keys) clusters.set(cluster, (keys = new Set()));
    keys.add(key);
    const owners = obj.metadata.ownerReferences;
    if (owners?.length) {
      const ref = (slot.ref ??= `${obj.kind}\0${key}`);
      for (const o of owners) {
        let deps = this.byOwner.get(o.uid);
        if (!deps) this.byOwner.set(o.uid, (deps = new Set()));
        deps.add(ref);
      }
    }
    for (const entry of this.indexers.get(obj.kind)?.values() ?? []) this.indexValues(entry, obj, key, true);
  }

  private indexValues(entry: { fn: IndexFn; values: Map<string, Set<string>> }, obj: Resource, key: string, add: boolean): void {
    for (const v of entry.fn(obj)) {
      let keys = entry.values.get(v);
      if (add) {
        if (!keys) entry.values.set(v, (keys = new Set()));
        keys.add(key);
      } else if (keys) {
        keys.delete(key);
        if (keys.size === 0) entry.values.delete(v);
      }
    }
  }

  private unindex(obj: Resource, slot: Slot): void {
    const key = slot.key;
    for (const entry of this.indexers.get(obj.kind)?.values() ?? []) this.indexValues(entry, obj, key, false);
    const owners = obj.metadata.ownerReferences;
    if (owners?.length) {
      const ref = (slot.ref ??= `${obj.kind}\0${key}`);
      for (const owner of owners) {
        const deps = this.byOwner.get(owner.uid);
        deps?.delete(ref);
        if (deps && deps.size === 0) this.byOwner.delete(owner.uid);
      }
    }
  }

  private emit(ev: WatchEvent, previous: Resource | undefined): void {
    for (const l of this.writeListeners) l(ev, previous);
    this.hub.publish(ev);
  }
}

/**
 * The copy create/update store: like clone, but the object and its metadata are always new (they
 * are filled in here) and subtrees the store already owns are shared (cloneShared).
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
        if (mv !== undefined) md[mk] = cloneShared(mv);
      }
      out[k] = md;
    } else {
      out[k] = cloneShared(v);
    }
  }
  return out as unknown as Resource;
}
