/**
 * Simulation knobs live in TaskDefinition annotations (so `spec` stays ECS-shaped) and apply to
 * the tasks of that revision. A few other kinds have knobs of their own (SIM_KNOBS); every
 * `sim.ecsplane.io/` annotation is checked at admission, so a typo or a bad value is an error
 * instead of a task that silently never starts.
 */
import { parseDuration } from './duration.js';
import { EcsError, quoted } from './errors.js';

export const SIM_PREFIX = 'sim.ecsplane.io/';
export const SIM = {
  startDelay: 'sim.ecsplane.io/start-delay',
  exitAfter: 'sim.ecsplane.io/exit-after',
  exitCode: 'sim.ecsplane.io/exit-code',
  health: 'sim.ecsplane.io/health',
  failStart: 'sim.ecsplane.io/fail-start',
  stopDelay: 'sim.ecsplane.io/stop-delay',
  consumes: 'sim.ecsplane.io/consumes',
  consumeRate: 'sim.ecsplane.io/consume-rate',
} as const;

/** Messages per second from `5/s`, `300/m`, `1/h` or a bare number (per second); undefined if malformed. */
export function parseRate(v: string): number | undefined {
  const m = /^\s*(\d+(?:\.\d+)?)\s*(?:\/\s*(s|m|min|h))?\s*$/.exec(v);
  if (!m) return undefined;
  const per = m[2] === undefined || m[2] === 's' ? 1 : m[2] === 'h' ? 3600 : 60;
  const rate = Number(m[1]) / per;
  return rate > 0 && rate <= 1_000_000 ? rate : undefined;
}

/** The queue a task definition's tasks consume and how fast each running task does (default 1/s). */
export function consumerKnobs(annotations: Record<string, string> | undefined): { queue: string; ratePerSecond: number } | undefined {
  const queue = annotations?.[SIM.consumes];
  if (!queue) return undefined;
  const text = annotations?.[SIM.consumeRate];
  return { queue, ratePerSecond: text === undefined ? 1 : parseRate(text) ?? 1 };
}

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
    throw new Error(`annotation ${SIM.health} must be healthy or unhealthy, not ${quoted(health)}`);
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

/** Longest simulated delay: below the real clock's timer range (setTimeout holds 24.8 days). */
export const MAX_SIM_DURATION_MS = 7 * 86_400_000;
/** Longest free-text knob (fail-start: ECS's stoppedReason is at most 255 characters). */
const MAX_SIM_TEXT = 255;

type KnobCheck = (value: string) => string | undefined;

const duration: KnobCheck = (v) => {
  let ms: number;
  try {
    ms = parseDuration(v);
  } catch {
    return `${quoted(v)} is not a duration: use e.g. 500ms, 5s, 2m, 1h30m.`;
  }
  return ms <= MAX_SIM_DURATION_MS ? undefined : `${quoted(v)} is longer than the 7d ecsplane simulates.`;
};
const oneOf =
  (...allowed: string[]): KnobCheck =>
  (v) =>
    allowed.includes(v) ? undefined : `${quoted(v)} is not one of: ${allowed.join(', ')}.`;
const text: KnobCheck = (v) =>
  v.trim() === '' ? 'must not be empty.' : v.length > MAX_SIM_TEXT ? `must be at most ${MAX_SIM_TEXT} characters (it has ${v.length}).` : undefined;
const exitCode: KnobCheck = (v) => (/^(0|[1-9]\d{0,2})$/.test(v) && Number(v) <= 255 ? undefined : `${quoted(v)} is not an exit code: use an integer 0-255.`);

const TASK_DEFINITION_KNOBS: Record<string, KnobCheck> = {
  [SIM.startDelay]: duration,
  [SIM.exitAfter]: duration,
  [SIM.exitCode]: exitCode,
  [SIM.health]: oneOf('healthy', 'unhealthy'),
  [SIM.failStart]: text,
  [SIM.stopDelay]: duration,
  [SIM.consumes]: (v) => (/^[A-Za-z0-9_-]{1,80}$|^[A-Za-z0-9_-]{1,75}\.fifo$/.test(v) ? undefined : `${quoted(v)} is not an SQS queue name (1-80 letters, digits, hyphens, underscores; .fifo for a FIFO queue).`),
  [SIM.consumeRate]: (v) => (parseRate(v) !== undefined ? undefined : `${quoted(v)} is not a rate: use messages per task like 5/s, 300/m or 2.5 (per second), above 0 and at most 1000000/s.`),
};

/** The knobs each kind takes (README "Simulation knobs", docs/scaling.md); other kinds take none. */
export const SIM_KNOBS: Record<string, Record<string, KnobCheck>> = {
  TaskDefinition: TASK_DEFINITION_KNOBS,
  TaskDefinitionRevision: TASK_DEFINITION_KNOBS,
  AutoScalingGroup: { 'sim.ecsplane.io/launch-delay': duration },
  // The alarm's syntax is parsed by the Application Auto Scaling loop, which reports it on the policy.
  ScalingPolicy: { 'sim.ecsplane.io/alarm': text, 'sim.ecsplane.io/alarm-name': text },
  ContainerInstance: {
    'sim.ecsplane.io/ec2-state': oneOf('running', 'stopped', 'terminated'),
    'sim.ecsplane.io/agent': oneOf('connected', 'disconnected'),
  },
};

/** Problems of the `sim.ecsplane.io/` annotations of an object of `kind` (annotations already a string map). */
export function simAnnotationErrors(kind: string, annotations: Record<string, unknown> | undefined, errorType: string): EcsError[] {
  const errors: EcsError[] = [];
  const knobs = Object.prototype.hasOwnProperty.call(SIM_KNOBS, kind) ? SIM_KNOBS[kind] : {};
  for (const [key, value] of Object.entries(annotations ?? {})) {
    if (!key.startsWith(SIM_PREFIX)) continue;
    const field = `metadata.annotations[${quoted(key)}]`;
    const check = Object.prototype.hasOwnProperty.call(knobs, key) ? knobs[key] : undefined;
    if (!check) {
      const known = Object.keys(knobs);
      const hint = known.length ? `${kind} takes ${known.join(', ')}` : `${kind} takes no simulation annotations`;
      errors.push(new EcsError(errorType, `Unknown simulation annotation ${quoted(key)}; ${hint}.`, field));
      continue;
    }
    const problem = typeof value === 'string' ? check(value) : 'must be a string.';
    if (problem) errors.push(new EcsError(errorType, `${key} ${problem}`, field));
  }
  return errors;
}
