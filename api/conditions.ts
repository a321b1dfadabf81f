/** Condition helpers: set by type, keeping lastTransitionTime when the status does not change. */
import type { Condition, ConditionStatus } from './meta.js';

export function setCondition(
  conditions: Condition[] | undefined,
  c: { type: string; status: ConditionStatus; reason: string; message?: string; observedGeneration?: number },
  nowMs: number,
): Condition[] {
  const list = (conditions ?? []).filter((x) => x.type !== c.type);
  const prev = conditions?.find((x) => x.type === c.type);
  const next: Condition = {
    type: c.type,
    status: c.status,
    reason: c.reason,
    message: c.message ?? '',
    lastTransitionTime: prev && prev.status === c.status ? prev.lastTransitionTime : new Date(nowMs).toISOString(),
    ...(c.observedGeneration !== undefined ? { observedGeneration: c.observedGeneration } : {}),
  };
  list.push(next);
  return list.sort((a, b) => a.type.localeCompare(b.type));
}
