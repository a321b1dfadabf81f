/**
 * The defaulted view of a stored spec (api/validate.ts withDefaults), computed once per spec
 * object. Stored specs are frozen and never change, so the view of one is fixed too: it is cached
 * by the spec object and frozen (callers read it, never change it). A spec that is not frozen (a
 * caller's own object) gets a fresh view each time.
 */
import { withDefaults } from '../../api/validate.js';
import { deepFreeze } from '../../store/objects.js';

const views = new WeakMap<object, Map<string, unknown>>();

export function specDefaults<T>(kind: string, spec: object, meta?: { name?: string }): T {
  if (!Object.isFrozen(spec)) return withDefaults(kind, spec, meta) as T;
  let byName = views.get(spec);
  if (!byName) views.set(spec, (byName = new Map()));
  const key = `${kind}\0${meta?.name ?? ''}`; // some defaults use the object's name
  let view = byName.get(key);
  if (view === undefined) byName.set(key, (view = deepFreeze(withDefaults(kind, spec, meta))));
  return view as T;
}
