/** Status writes: optimistic (resourceVersion-checked) and skipped when nothing changed. */
import type { Resource } from '../../api/meta.js';
import { adoptMerge } from '../../store/objects.js';
import type { ResourceStore } from '../../store/store.js';
import { isoTime } from './time.js';

/**
 * Write `status` on `obj` (as read); a concurrent write throws ConflictError and the key is
 * retried. `status` is handed over: the store keeps it (frozen), so the caller must not change it
 * afterwards (it is the reconcile's result; build the next one anew).
 */
export function writeStatus<T>(store: ResourceStore, obj: Resource<any, T>, status: T): Resource<any, T> {
  // One pass compares with what was read, keeps the equal parts of it and freezes the rest in place.
  const merged = adoptMerge(status, obj.status);
  if (merged === obj.status) return obj;
  // The store need not compare again when `obj` is still the stored version (it checks that).
  return store.updateStatus(obj, { status: merged, differsFrom: obj.status }) as Resource<any, T>;
}

export const iso = (ms: number) => isoTime(ms);
