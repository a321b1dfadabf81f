/** Status writes: optimistic (resourceVersion-checked) and skipped when nothing changed. */
import type { Resource } from '../../api/meta.js';
import { frozenMerge } from '../../store/objects.js';
import type { ResourceStore } from '../../store/store.js';
import { isoTime } from './time.js';

/** Write `status` on `obj` (as read); a concurrent write throws ConflictError and the key is retried. */
export function writeStatus<T>(store: ResourceStore, obj: Resource<any, T>, status: T): Resource<any, T> {
  // One pass compares with what was read and freezes only what changed (sharing the rest).
  const merged = frozenMerge(status, obj.status);
  if (merged === obj.status) return obj;
  // The store need not compare again when `obj` is still the stored version (it checks that).
  return store.updateStatus({ ...obj, status: merged }, { differsFrom: obj.status }) as Resource<any, T>;
}

export const iso = (ms: number) => isoTime(ms);
