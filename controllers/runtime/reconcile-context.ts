/**
 * The reconcile running right now, for log lines: controller-runtime puts `controller`, the object's
 * key and a `reconcileID` (a UUID per reconcile) on every line a reconcile logs. A reconcile runs
 * synchronously up to its first await, so one slot is enough for the lines it logs there; the id is
 * only made when a line is actually written (most reconciles log nothing).
 */
import { randomUUID } from 'node:crypto';

export interface ReconcileContext {
  controller: string;
  key: string;
  reconcileID?: string;
}

let current: ReconcileContext | undefined;

/** Run `fn` as the reconcile `ctx` (restores the previous context afterwards). */
export function inReconcile<T>(ctx: ReconcileContext, fn: () => T): T {
  const previous = current;
  current = ctx;
  try {
    return fn();
  } finally {
    current = previous;
  }
}

/** The fields of a reconcile (the current one unless given); {} outside any. */
export function reconcileFields(ctx: ReconcileContext | undefined = current): Record<string, string> {
  if (!ctx) return {};
  ctx.reconcileID ??= randomUUID();
  return { controller: ctx.controller, key: ctx.key, reconcileID: ctx.reconcileID };
}
