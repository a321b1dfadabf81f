/**
 * Garbage collector (Kubernetes-style): an object whose every owner is gone (by uid) is deleted.
 * Owners are removed only after their own loop finished the work (e.g. a Service's finalizer
 * stays until its tasks stopped), so nothing is cut short "by magic".
 */
import { inject, injectable } from '../runtime/di.js';
import { CLUSTER_SCOPED_KINDS, clusterOf, keyOf, makeKey, type Resource } from '../../api/meta.js';
import type { ResourceStore } from '../../store/store.js';
import type { WatchEvent } from '../../store/watch.js';
import { jsonEqual } from '../../store/objects.js';
import type { Reconciler } from '../runtime/controller.js';
import { TOKENS } from '../runtime/tokens.js';

/** GC keys are `Kind\u0000key`. */
export const gcKey = (obj: Resource) => `${obj.kind}\u0000${keyOf(obj)}`;

@injectable()
export class GarbageCollector implements Reconciler {
  constructor(@inject(TOKENS.Store) private readonly store: ResourceStore) {}

  reconcile(key: string): void {
    const [kind, objKey] = key.split('\u0000');
    const obj = this.store.get(kind, objKey);
    const refs = obj?.metadata.ownerReferences ?? [];
    if (!obj || refs.length === 0 || obj.metadata.deletionTimestamp) return;
    if (!anOwnerLives(this.store, obj)) this.store.delete(kind, objKey);
  }
}

/** Whether one of the object's owners exists (same name and uid). */
function anOwnerLives(store: ResourceStore, obj: Resource): boolean {
  return (obj.metadata.ownerReferences ?? []).some((r) => {
    const ownerKey = CLUSTER_SCOPED_KINDS.has(r.kind) ? makeKey(clusterOf(obj), r.name) : r.name;
    return store.get(r.kind, ownerKey)?.metadata.uid === r.uid;
  });
}

/**
 * Owner deletions wake their dependents; new objects with owners, and objects whose owners
 * changed, are checked too (any other change leaves the answer as it was) unless an owner is
 * there at the write: the check would keep the object, and that owner's deletion wakes it later
 * (a service's tasks are created by the service itself; this spares a reconcile per task).
 */
export function gcKeys(store: ResourceStore): (ev: WatchEvent) => string[] {
  return (ev) => {
    if (ev.type === 'DELETED') return store.dependentsOf(ev.object.metadata.uid!).map(gcKey);
    const refs = ev.object.metadata.ownerReferences;
    if (!refs?.length) return [];
    const before = ev.previous?.metadata.ownerReferences;
    if (ev.type === 'MODIFIED' && (before === refs || jsonEqual(before, refs))) return [];
    if (anOwnerLives(store, ev.object)) return [];
    return [gcKey(ev.object)];
  };
}
