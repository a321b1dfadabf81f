/**
 * The defaulted view of a stored spec (api/validate.ts withDefaults), computed once per spec
 * object. Stored specs are frozen and never change, so the view of one is fixed too: it is cached
 * by the spec object and frozen (callers read it, never change it). A spec that is not frozen (a
 * caller's own object) gets a fresh view each time.
 */
import { withDefaults } from '../../api/validate.js';
import { deepFreeze } from '../../store/objects.js';

interface View {
  kind: string;
  name: string;
  view: unknown;
  /** Views of the same spec object for other kinds or names (rare: a spec belongs to one object). */
  others?: Map<string, unknown>;
}

const views = new WeakMap<object, View>();

export function specDefaults<T>(kind: string, spec: object, meta?: { name?: string }): T {
  if (!Object.isFrozen(spec)) return withDefaults(kind, spec, meta) as T;
  const name = meta?.name ?? ''; // some defaults use the object's name
  const first = views.get(spec);
  if (first === undefined) {
    const view = deepFreeze(withDefaults(kind, spec, meta));
    views.set(spec, { kind, name, view });
    return view as T;
  }
  if (first.kind === kind && first.name === name) return first.view as T;
  const key = `${kind}\0${name}`;
  let view = (first.others ??= new Map()).get(key);
  if (view === undefined) first.others.set(key, (view = deepFreeze(withDefaults(kind, spec, meta))));
  return view as T;
}
