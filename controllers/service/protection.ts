/**
 * Task scale-in protection as the service loop reads it: `status.protection` written by
 * UpdateTaskProtection, in force until `expirationDate` (then ECS clears it).
 * https://docs.aws.amazon.com/AmazonECS/latest/developerguide/task-scale-in-protection.html
 */
import type { Resource } from '../../api/meta.js';

export interface TaskProtection {
  protectionEnabled: boolean;
  /** ISO-8601; present when enabled. */
  expirationDate?: string;
}

/** The protection in force at `now`: an expired one reads as disabled. */
export function protectionAt(task: Pick<Resource, 'status'>, now: number): TaskProtection {
  const p = task.status?.protection as TaskProtection | undefined;
  if (!p?.protectionEnabled || !p.expirationDate || Date.parse(p.expirationDate) <= now) return { protectionEnabled: false };
  return p;
}

/** UpdateTaskProtection's expiresInMinutes: default 120, 1–2,880. */
export const DEFAULT_PROTECTION_MINUTES = 120;
export const MAX_PROTECTION_MINUTES = 2880;

/** The protection UpdateTaskProtection writes at `now`; throws on an expiresInMinutes out of range. */
export function newProtection(protectionEnabled: boolean, expiresInMinutes: number | undefined, now: number): TaskProtection {
  if (!protectionEnabled) return { protectionEnabled: false };
  const minutes = expiresInMinutes ?? DEFAULT_PROTECTION_MINUTES;
  if (!Number.isInteger(minutes) || minutes < 1 || minutes > MAX_PROTECTION_MINUTES) {
    throw new RangeError(`expiresInMinutes must be between 1 and ${MAX_PROTECTION_MINUTES}.`);
  }
  return { protectionEnabled: true, expirationDate: new Date(now + minutes * 60_000).toISOString() };
}
