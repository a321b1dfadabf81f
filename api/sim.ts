/**
 * Simulation knobs live in TaskDefinition annotations (so `spec` stays ECS-shaped) and apply to
 * the tasks of that revision.
 */
import { parseDuration } from './duration.js';

export const SIM_PREFIX = 'sim.ecsplane.io/';
export const SIM = {
  startDelay: 'sim.ecsplane.io/start-delay',
  exitAfter: 'sim.ecsplane.io/exit-after',
  exitCode: 'sim.ecsplane.io/exit-code',
  health: 'sim.ecsplane.io/health',
  failStart: 'sim.ecsplane.io/fail-start',
  stopDelay: 'sim.ecsplane.io/stop-delay',
} as const;

export interface SimKnobs {
  /** PENDING → RUNNING. */
  startDelayMs: number;
  /** Essential container exits this long after RUNNING. */
  exitAfterMs?: number;
  exitCode: number;
  health: 'healthy' | 'unhealthy';
  /** The task never reaches RUNNING; this text is its stoppedReason. */
  failStart?: string;
  /** SIGTERM → containers stopped. */
  stopDelayMs: number;
}

export function simKnobs(annotations: Record<string, string> | undefined): SimKnobs {
  const a = annotations ?? {};
  const health = a[SIM.health] ?? 'healthy';
  if (health !== 'healthy' && health !== 'unhealthy') {
    throw new Error(`annotation ${SIM.health} must be healthy or unhealthy, not ${JSON.stringify(health)}`);
  }
  const exitCode = a[SIM.exitCode] === undefined ? 1 : Number(a[SIM.exitCode]);
  if (!Number.isInteger(exitCode)) throw new Error(`annotation ${SIM.exitCode} must be an integer`);
  return {
    startDelayMs: a[SIM.startDelay] === undefined ? 5000 : parseDuration(a[SIM.startDelay], SIM.startDelay),
    exitAfterMs: a[SIM.exitAfter] === undefined ? undefined : parseDuration(a[SIM.exitAfter], SIM.exitAfter),
    exitCode,
    health,
    failStart: a[SIM.failStart],
    stopDelayMs: a[SIM.stopDelay] === undefined ? 1000 : parseDuration(a[SIM.stopDelay], SIM.stopDelay),
  };
}

/** The sim annotations only (they are part of a revision's identity). */
export function simAnnotations(annotations: Record<string, string> | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(annotations ?? {})) if (k.startsWith(SIM_PREFIX)) out[k] = v;
  return out;
}
