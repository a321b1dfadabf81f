/**
 * Simulation knobs live in TaskDefinition annotations (so `spec` stays ECS-shaped) and apply to
 * the tasks of that revision. A few other kinds have knobs of their own (SIM_KNOBS); every
 * `sim.ecsplane.io/` annotation is checked at admission, so a typo or a bad value is an error
 * instead of a task that silently never starts.
 */
import { parseDuration } from './duration.js';
import { EcsError, quoted } from './errors.js';
import { constantHealth, parseHealthTimeline, type HealthTimeline } from './sim-timeline.js';

export const SIM_PREFIX = 'sim.ecsplane.io/';
export const SIM = {
  startDelay: 'sim.ecsplane.io/start-delay',
  exitAfter: 'sim.ecsplane.io/exit-after',
  exitCode: 'sim.ecsplane.io/exit-code',
  health: 'sim.ecsplane.io/health',
  targetHealth: 'sim.ecsplane.io/target-health',
  failStart: 'sim.ecsplane.io/fail-start',
  stopDelay: 'sim.ecsplane.io/stop-delay',
  consumes: 'sim.ecsplane.io/consumes',
  consumeRate: 'sim.ecsplane.io/consume-rate',
} as const;

/** Knobs that can also be given for one container: `sim.ecsplane.io/health.<container name>`. */
export const PER_CONTAINER_KNOBS = [SIM.health, SIM.exitAfter, SIM.exitCode] as const;

export interface ContainerKnobs {
  health?: HealthTimeline;
  exitAfterMs?: number;
  exitCode?: number;
}

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
  /** Outcome of container health checks over time. */
  health: HealthTimeline;
  /** Outcome of load balancer health checks over time (defaults to `health`). */
  targetHealth: HealthTimeline;
  /** The task never reaches RUNNING; this text is its stoppedReason. */
  failStart?: string;
  /** SIGTERM → containers stopped. */
  stopDelayMs: number;
  /** Per-container overrides (`sim.ecsplane.io/<knob>.<container>`). */
  containers: Record<string, ContainerKnobs>;
}

/** The task a knob is resolved for: selectors (`first 2: …`, `20%: …`) pick tasks by these. */
export interface KnobTarget {
  /** 0-based launch order among the revision's tasks (annotation ecsplane.io/launch-ordinal). */
  ordinal?: number;
  /** The task id: a seeded fraction hashes it. */
  id?: string;
}

/** `first N: value` or `P%: value` applies the value to some tasks; the others get the default. */
const SELECTOR = /^\s*(?:first\s+(\d{1,6})|(\d{1,3}(?:\.\d+)?)%)\s*:\s*/i;

export interface Selected {
  value: string;
  first?: number;
  fraction?: number;
}

export function splitSelector(raw: string): Selected {
  const m = SELECTOR.exec(raw);
  if (!m) return { value: raw };
  const value = raw.slice(m[0].length);
  return m[1] !== undefined ? { value, first: Number(m[1]) } : { value, fraction: Number(m[2]) / 100 };
}

/** Does the selector of `raw` pick this task? A knob without a selector picks every task. */
export function selects(raw: string, key: string, who: KnobTarget | undefined): boolean {
  const sel = splitSelector(raw);
  if (sel.first !== undefined) return who?.ordinal !== undefined && who.ordinal < sel.first;
  if (sel.fraction !== undefined) return who?.id !== undefined && fractionOf(`${key}/${who.id}`) < sel.fraction;
  return true;
}

/** Any knob that picks tasks by launch order (the launch records the order only then). */
export function usesLaunchOrder(annotations: Record<string, string> | undefined): boolean {
  for (const [k, v] of Object.entries(annotations ?? {})) if (k.startsWith(SIM_PREFIX) && splitSelector(v).first !== undefined) return true;
  return false;
}

/** A stable number in [0, 1) for a text (FNV-1a): the seeded fraction, since task ids come from the seed. */
function fractionOf(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return (h >>> 0) / 2 ** 32;
}

export function simKnobs(annotations: Record<string, string> | undefined, who?: KnobTarget): SimKnobs {
  const a: Record<string, string> = {};
  const containers: Record<string, ContainerKnobs> = {};
  for (const [k, raw] of Object.entries(annotations ?? {})) {
    if (!k.startsWith(SIM_PREFIX) || !selects(raw, k, who)) continue;
    const v = splitSelector(raw).value;
    const perContainer = PER_CONTAINER_KNOBS.find((base) => k.startsWith(base + '.'));
    if (!perContainer) {
      a[k] = v;
      continue;
    }
    const c = (containers[k.slice(perContainer.length + 1)] ??= {});
    if (perContainer === SIM.health) c.health = parseHealthTimeline(v);
    else if (perContainer === SIM.exitAfter) c.exitAfterMs = parseDuration(v, k);
    else c.exitCode = Number(v);
  }
  const exitCode = a[SIM.exitCode] === undefined ? 1 : Number(a[SIM.exitCode]);
  if (!Number.isInteger(exitCode)) throw new Error(`annotation ${SIM.exitCode} must be an integer`);
  const health = a[SIM.health] === undefined ? constantHealth('healthy') : parseHealthTimeline(a[SIM.health]);
  return {
    startDelayMs: a[SIM.startDelay] === undefined ? 5000 : parseDuration(a[SIM.startDelay], SIM.startDelay),
    exitAfterMs: a[SIM.exitAfter] === undefined ? undefined : parseDuration(a[SIM.exitAfter], SIM.exitAfter),
    exitCode,
    health,
    targetHealth: a[SIM.targetHealth] === undefined ? health : parseHealthTimeline(a[SIM.targetHealth]),
    failStart: a[SIM.failStart],
    stopDelayMs: a[SIM.stopDelay] === undefined ? 1000 : parseDuration(a[SIM.stopDelay], SIM.stopDelay),
    containers,
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

const healthTimeline: KnobCheck = (v) => {
  try {
    parseHealthTimeline(v);
    return undefined;
  } catch (e) {
    return `${(e as Error).message}.`;
  }
};

/** A task definition knob's value may start with a selector (`first 2: `, `20%: `). */
const selectable =
  (check: KnobCheck): KnobCheck =>
  (v) => {
    const sel = splitSelector(v);
    if (sel.fraction !== undefined && !(sel.fraction > 0 && sel.fraction <= 1)) return `${quoted(v)}: the fraction must be above 0% and at most 100%.`;
    return check(sel.value);
  };

const TASK_DEFINITION_KNOBS: Record<string, KnobCheck> = {
  [SIM.startDelay]: selectable(duration),
  [SIM.exitAfter]: selectable(duration),
  [SIM.exitCode]: selectable(exitCode),
  [SIM.health]: selectable(healthTimeline),
  [SIM.targetHealth]: selectable(healthTimeline),
  [SIM.failStart]: selectable(text),
  [SIM.stopDelay]: selectable(duration),
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
    const base = knobs === TASK_DEFINITION_KNOBS ? PER_CONTAINER_KNOBS.find((b) => key.startsWith(b + '.')) : undefined;
    const check = base ? knobs[base] : Object.prototype.hasOwnProperty.call(knobs, key) ? knobs[key] : undefined;
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

/** A per-container knob (`sim.ecsplane.io/health.<name>`) names a container of the task definition. */
export function simContainerErrors(kind: string, annotations: unknown, spec: any, errorType: string): EcsError[] {
  if (kind !== 'TaskDefinition' && kind !== 'TaskDefinitionRevision') return [];
  if (!annotations || typeof annotations !== 'object' || !Array.isArray(spec?.containerDefinitions)) return [];
  const names = new Set(spec.containerDefinitions.map((c: any) => c?.name));
  const errors: EcsError[] = [];
  for (const key of Object.keys(annotations)) {
    const base = PER_CONTAINER_KNOBS.find((b) => key.startsWith(b + '.'));
    if (!base) continue;
    const name = key.slice(base.length + 1);
    if (!names.has(name)) {
      errors.push(new EcsError(errorType, `${key} names container ${quoted(name)}, which is not in containerDefinitions (${[...names].map((n) => quoted(n)).join(', ')}).`, `metadata.annotations[${quoted(key)}]`));
    }
  }
  return errors;
}
