/**
 * setCondition (api/conditions.ts) for the hot loops: when setting the condition would give back
 * a list equal to the one given (same condition, same status, the list already in order), the
 * given list is returned as is. Status writes then compare it by identity, and the sort (with
 * localeCompare) is skipped; otherwise this is setCondition itself.
 */
import { setCondition } from '../../api/conditions.js';
import type { Condition, ConditionStatus } from '../../api/meta.js';

type ConditionInput = { type: string; status: ConditionStatus; reason: string; message?: string; observedGeneration?: number };

const KEYS = ['type', 'status', 'reason', 'message', 'lastTransitionTime'];
const KEYS_GEN = [...KEYS, 'observedGeneration'];

/** localeCompare of condition types, memoised (there are a handful of them). */
const order = new Map<string, Map<string, number>>();
function compareTypes(a: string, b: string): number {
  let m = order.get(a);
  if (!m) {
    if (order.size > 1000) order.clear();
    order.set(a, (m = new Map()));
  }
  let r = m.get(b);
  if (r === undefined) {
    r = a.localeCompare(b);
    if (m.size < 1000) m.set(b, r);
  }
  return r;
}

function sameKeys(c: object, keys: string[]): boolean {
  let i = 0;
  for (const k in c) {
    if (keys[i] !== k) return false;
    i++;
  }
  return i === keys.length;
}

/**
 * Stored (frozen) condition lists known to be in setCondition's order with no type twice: such a
 * list never changes, so the order is checked once, not on every reconcile that looks at it.
 */
const ordered = new WeakSet<readonly Condition[]>();

/** True when setCondition(conditions, c, now) would equal `conditions` (as JSON). */
export function conditionUnchanged(conditions: readonly Condition[] | undefined, c: ConditionInput): boolean {
  if (!conditions || conditions.length === 0) return false;
  let found: Condition | undefined;
  if (ordered.has(conditions)) {
    for (let i = 0; i < conditions.length; i++) {
      if (conditions[i].type === c.type) {
        found = conditions[i];
        break;
      }
    }
  } else {
    let distinct = true;
    for (let i = 0; i < conditions.length; i++) {
      const x = conditions[i];
      if (x.type === c.type) {
        if (found) return false; // setCondition would drop the duplicate
        found = x;
      }
      // setCondition sorts: the list must already be in that order (an equal type cannot occur twice).
      if (i > 0) {
        const a = conditions[i - 1].type;
        const r = compareTypes(a, x.type);
        if (r > 0 || (r === 0 && a !== x.type)) return false;
        if (a === x.type) distinct = false;
      }
    }
    if (distinct && Object.isFrozen(conditions)) ordered.add(conditions);
  }
  if (!found) return false;
  const withGen = c.observedGeneration !== undefined;
  return (
    found.status === c.status &&
    found.reason === c.reason &&
    found.message === (c.message ?? '') &&
    (withGen ? found.observedGeneration === c.observedGeneration : true) &&
    typeof found.lastTransitionTime === 'string' &&
    sameKeys(found, withGen ? KEYS_GEN : KEYS)
  );
}

export function setConditionKeep(conditions: Condition[] | undefined, c: ConditionInput, nowMs: number): Condition[] {
  return conditionUnchanged(conditions, c) ? (conditions as Condition[]) : setCondition(conditions, c, nowMs);
}
