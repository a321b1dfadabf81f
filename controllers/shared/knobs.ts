/**
 * The simulation knobs of one task: its revision's `sim.ecsplane.io/` annotations, with the
 * selectors (`first 2: …`, `20%: …`) resolved for this task. Knobs without selectors are the same
 * for every task, so they are parsed once per (frozen) annotations object.
 */
import { simKnobs, splitSelector, SIM_PREFIX, type SimKnobs } from '../../api/sim.js';
import type { Resource } from '../../api/meta.js';

/** The 0-based launch order of a task among its revision's tasks (set at launch when a knob needs it). */
export const LAUNCH_ORDINAL = 'ecsplane.io/launch-ordinal';

const shared = new WeakMap<object, SimKnobs | null>();

export function knobsOfTask(revision: Resource | undefined, task: Resource | undefined): SimKnobs {
  const annotations = revision?.metadata.annotations;
  if (annotations && Object.isFrozen(annotations)) {
    let k = shared.get(annotations);
    if (k === undefined) {
      k = hasSelectors(annotations) ? null : simKnobs(annotations);
      shared.set(annotations, k);
    }
    if (k) return k;
  } else if (!hasSelectors(annotations)) return simKnobs(annotations);
  const ordinal = task?.metadata.annotations?.[LAUNCH_ORDINAL];
  return simKnobs(annotations, { ordinal: ordinal === undefined ? undefined : Number(ordinal), id: task?.metadata.name });
}

function hasSelectors(annotations: Record<string, string> | undefined): boolean {
  for (const [k, v] of Object.entries(annotations ?? {})) {
    if (!k.startsWith(SIM_PREFIX)) continue;
    const s = splitSelector(v);
    if (s.first !== undefined || s.fraction !== undefined) return true;
  }
  return false;
}
