/** Helpers for plain JSON objects held by the store. */

/** Deep copy of JSON data (faster than structuredClone for small objects). */
export function clone<T>(value: T): T {
  if (value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) {
    const out = new Array(value.length);
    for (let i = 0; i < value.length; i++) out[i] = clone(value[i]);
    return out as T;
  }
  const out: Record<string, unknown> = {};
  for (const k in value as Record<string, unknown>) {
    const v = (value as Record<string, unknown>)[k];
    if (v !== undefined) out[k] = clone(v);
  }
  return out as T;
}

/**
 * Deep-frozen copy of JSON data for the store, sharing frozen subtrees instead of copying them.
 *
 * Every object the store hands out is deep-frozen and never changes again, so an update that
 * keeps most of an object (a status write keeps spec and metadata; a task keeps its containers;
 * a service keeps its events) copies only what is new, and freezes the copy as it goes (one pass
 * instead of a copy and then a freeze). This follows deepFreeze's own rule: a frozen object
 * counts as deep-frozen (objects passed to the store must not be frozen shallowly over mutable
 * members).
 */
export function frozenCopy<T>(value: T): T {
  if (value === null || typeof value !== 'object' || Object.isFrozen(value)) return value;
  if (Array.isArray(value)) {
    const out = new Array(value.length);
    for (let i = 0; i < value.length; i++) out[i] = frozenCopy(value[i]);
    return Object.freeze(out) as T;
  }
  // Spread first (V8 copies a whole shape at once), then replace what is not frozen yet; an
  // undefined member (dropped, as JSON drops it) takes the member-by-member way.
  const out: Record<string, unknown> = { ...(value as Record<string, unknown>) };
  for (const k in out) {
    const v = out[k];
    if (v === undefined) return mergeDroppingUndefined(value as Record<string, unknown>, undefined) as T;
    if (v !== null && typeof v === 'object' && !Object.isFrozen(v)) out[k] = frozenCopy(v);
  }
  return Object.freeze(out) as T;
}

/**
 * frozenCopy(next), reusing `prev`'s subtrees wherever they are equal to next's: the result is
 * `prev` itself when next equals it (a no-op write), and otherwise shares every unchanged part of
 * the previous version (a task's containers, a service's deployments), so a writer may rebuild
 * its whole status each time and the store still copies and freezes only what changed.
 */
export function frozenMerge<T>(next: T, prev: unknown): T {
  if (next === prev || next === null || typeof next !== 'object') return next;
  if (Object.isFrozen(next)) return (jsonEqual(next, prev) ? prev : next) as T;
  if (prev === null || typeof prev !== 'object' || Array.isArray(prev) !== Array.isArray(next)) return frozenCopy(next);
  if (Array.isArray(next)) {
    const p = prev as unknown[];
    let same = next.length === p.length;
    const out = new Array(next.length);
    for (let i = 0; i < next.length; i++) {
      const v = frozenMerge(next[i], p[i]);
      out[i] = v;
      if (v !== p[i]) same = false;
    }
    return (same ? prev : Object.freeze(out)) as T;
  }
  const p = prev as Record<string, unknown>;
  // Spread first, as in frozenCopy; an undefined member takes the member-by-member way.
  const out: Record<string, unknown> = { ...(next as Record<string, unknown>) };
  const same = mergeMembers(out, p);
  if (same === undefined) return mergeDroppingUndefined(next as Record<string, unknown>, p) as T;
  return (same ? prev : Object.freeze(out)) as T;
}

/**
 * Replace each member of `out` by frozenMerge(member, prev's member), in place. True when the
 * result equals `prev` (same members, each prev's own), undefined when a member is undefined
 * (the caller copies instead, dropping it).
 */
function mergeMembers(out: Record<string, unknown>, p: Record<string, unknown> | undefined): boolean | undefined {
  let same = p !== undefined;
  let n = 0;
  for (const k in out) {
    const v = out[k];
    if (v === undefined) return undefined;
    n++;
    const pv = p?.[k];
    if (v === pv) continue;
    const m = frozenMerge(v, pv);
    if (m !== v) out[k] = m;
    if (m !== pv) same = false;
  }
  if (!same) return false;
  let pn = 0;
  for (const k in p) if (p[k] !== undefined) pn++;
  return pn === n;
}

/**
 * frozenMerge without the top-level copy: `next` (the caller's own, fresh status object) is taken
 * over and frozen in place, its members equal to `prev`'s replaced by prev's (so they stay shared);
 * nested parts that changed are copied as frozenMerge copies them. For writers that hand a status
 * over and never touch it again (controllers' writeStatus): copying the top level of a status
 * costs more than the rest of a write together. Only the top level is taken, because V8 gives an
 * object built from spreads and then changed a hidden class of its own when it is frozen in place,
 * and nested parts are many (containers, deployments) while a status is one. `prev` itself comes
 * back when nothing changed, and then `next` is left unfrozen. An object with an undefined member
 * is copied instead (dropping the member; deleting it in place would slow every later read).
 */
export function adoptMerge<T>(next: T, prev: unknown): T {
  if (next === prev || next === null || typeof next !== 'object' || Array.isArray(next)) return frozenMerge(next, prev);
  if (Object.isFrozen(next)) return (jsonEqual(next, prev) ? prev : next) as T;
  const p = prev !== null && typeof prev === 'object' && !Array.isArray(prev) ? (prev as Record<string, unknown>) : undefined;
  const same = mergeMembers(next as Record<string, unknown>, p);
  if (same === undefined) return frozenMerge(next, prev);
  return same ? (prev as T) : Object.freeze(next);
}

function mergeDroppingUndefined(next: Record<string, unknown>, p: Record<string, unknown> | undefined): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const k in next) if (next[k] !== undefined) out[k] = next[k];
  return mergeMembers(out, p) && p ? p : Object.freeze(out);
}

/**
 * A shallow, unfrozen copy of a (stored, frozen) object, to change. `{ ...obj }` does the same,
 * but V8 copies a frozen object with many members member by member on its slow path (~2 µs for a
 * task status, several times this loop); spreads of small objects (metadata) are fine.
 */
export function thaw<T extends object>(obj: T): T {
  const out: Record<string, unknown> = {};
  for (const k in obj) out[k] = (obj as Record<string, unknown>)[k];
  return out as T;
}

/** thaw(obj) without the member `skip` (the other members in their order). */
export function thawWithout<T extends object>(obj: T, skip: keyof T & string): T {
  const out: Record<string, unknown> = {};
  for (const k in obj) if (k !== skip) out[k] = (obj as Record<string, unknown>)[k];
  return out as T;
}

export function deepFreeze<T>(value: T): T {
  if (value === null || typeof value !== 'object' || Object.isFrozen(value)) return value;
  Object.freeze(value);
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const v = value[i];
      if (v !== null && typeof v === 'object') deepFreeze(v);
    }
  } else {
    for (const k in value as Record<string, unknown>) {
      const v = (value as Record<string, unknown>)[k];
      if (v !== null && typeof v === 'object') deepFreeze(v);
    }
  }
  return value;
}

/** Structural equality of JSON data; `undefined` members equal absent ones. */
export function jsonEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (a === null || b === null || typeof a !== 'object' || typeof b !== 'object') return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a)) {
    const bb = b as unknown[];
    if (a.length !== bb.length) return false;
    for (let i = 0; i < a.length; i++) if (!jsonEqual(a[i], bb[i])) return false;
    return true;
  }
  const ao = a as Record<string, unknown>;
  const bo = b as Record<string, unknown>;
  let na = 0;
  for (const k in ao) {
    if (ao[k] === undefined) continue;
    na++;
    if (!jsonEqual(ao[k], bo[k])) return false;
  }
  let nb = 0;
  for (const k in bo) if (bo[k] !== undefined) nb++;
  return na === nb;
}
