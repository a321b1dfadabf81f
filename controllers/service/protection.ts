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
