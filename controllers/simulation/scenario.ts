/**
 * The Scenario document: timed steps for `ecsplane simulate`. Validated up front so a typo in a
 * step fails before anything runs, naming the step and field.
 */
import { parseDuration } from '../../api/duration.js';
import type { Resource } from '../../api/meta.js';
import { ALARM_STATES, type AlarmState } from '../shared/alarm-states.js';
import { MAX_PROTECTION_MINUTES } from '../service/protection.js';
import { HOOK_STATUSES, type HookAnswer } from '../shared/hook-results.js';
import { putEventsEntryError, type PutEventsEntry } from '../events/bus.js';
import type { LoadStep } from '../shared/load-model.js';
import { CurveError, expandCurve } from './load-curve.js';

export type InstanceAction = 'terminate' | 'stop' | 'disconnect' | 'reconnect' | 'drain' | 'activate';
export type TaskAction = 'crash' | 'oom' | 'stop' | 'spot-interruption';

export interface ScenarioStep {
  atMs: number;
  apply?: Resource[];
  delete?: Array<{ kind: string; name: string; cluster?: string; force?: boolean }>;
  load?: LoadStep;
  instance?: { cluster?: string; name: string; action: InstanceAction };
  task?: {
    cluster?: string;
    service?: string;
    family?: string;
    count?: number;
    action: TaskAction;
    /** crash: the container's exit code (default 1). */
    exitCode?: number;
    /** stop: StopTask's reason (default "Task stopped by user"). */
    reason?: string;
    /** crash/oom: which container (default: the first essential one). */
    container?: string;
  };
  /** Set a CloudWatch alarm's state (deployment alarms read it). */
  alarm?: { name: string; state: AlarmState };
  /** What a deployment lifecycle hook answers from now on (SUCCEEDED unless set). */
  hook?: { hookTargetArn: string; status: HookAnswer };
  /** UpdateTaskProtection on the first `count` running tasks of a service (by task id). */
  protection?: { cluster?: string; service: string; count?: number; protectionEnabled: boolean; expiresInMinutes?: number };
  queue?: QueueStep;
  /** A PutEvents request entry put on the event bus (EventBridge). */
  event?: PutEventsEntry;
}

/** Messages for an SQS queue: `send` at once, or `ratePerSecond` for `for` (docs/queues.md). */
export interface QueueStep {
  name: string;
  send?: number;
  ratePerSecond?: number;
  forMs?: number;
  delaySeconds?: number;
}

export interface Scenario {
  name: string;
  seed?: number;
  untilMs?: number;
  sampleEveryMs?: number;
  /** The virtual clock's start instant (`spec.start`, an ISO 8601 time). */
  startMs?: number;
  steps: ScenarioStep[];
}

const INSTANCE_ACTIONS = ['terminate', 'stop', 'disconnect', 'reconnect', 'drain', 'activate'];
const TASK_ACTIONS = ['crash', 'oom', 'stop', 'spot-interruption'];

export class ScenarioError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ScenarioError';
  }
}

export function parseScenario(doc: Resource): Scenario {
  const spec = doc.spec ?? {};
  const where = (i: number, f: string) => `Scenario ${doc.metadata?.name ?? ''}: spec.steps[${i}].${f}`;
  const dur = (v: unknown, field: string) => {
    try {
      return parseDuration(v as string, field);
    } catch (e) {
      throw new ScenarioError((e as Error).message);
    }
  };
  if (spec.steps !== undefined && !Array.isArray(spec.steps)) throw new ScenarioError('Scenario: spec.steps must be a list');
  const steps: ScenarioStep[] = (spec.steps ?? []).flatMap((s: any, i: number): ScenarioStep[] => {
    if (!s || typeof s !== 'object') throw new ScenarioError(`${where(i, '')} must be an object`);
    const known = ['at', 'apply', 'delete', 'load', 'instance', 'task', 'alarm', 'protection', 'hook', 'queue', 'event'];
    for (const k of Object.keys(s)) if (!known.includes(k)) throw new ScenarioError(`${where(i, k)}: unknown field (expected one of ${known.join(', ')})`);
    const step: ScenarioStep = { atMs: dur(s.at ?? 0, where(i, 'at')) };
    if (s.apply !== undefined) {
      if (!Array.isArray(s.apply)) throw new ScenarioError(`${where(i, 'apply')} must be a list of resources`);
      step.apply = s.apply;
    }
    if (s.delete !== undefined) {
      if (!Array.isArray(s.delete)) throw new ScenarioError(`${where(i, 'delete')} must be a list of {kind, name, cluster}`);
      s.delete.forEach((d: any, j: number) => {
        if (!d?.kind || !d?.name) throw new ScenarioError(`${where(i, `delete[${j}]`)} needs kind and name`);
      });
      step.delete = s.delete;
    }
    if (s.load !== undefined) {
      if (!s.load?.service) throw new ScenarioError(`${where(i, 'load.service')} is required`);
      if (s.load.curve !== undefined) return curveSteps(s, step.atMs, i, where(i, 'load.curve'), spec.seed);
      for (const f of ['cpuUtilization', 'memoryUtilization', 'requestsPerMinute']) {
        const v = s.load[f];
        if (v !== undefined && (typeof v !== 'number' || v < 0)) throw new ScenarioError(`${where(i, `load.${f}`)} must be a number ≥ 0`);
      }
      step.load = s.load;
    }
    if (s.instance !== undefined) {
      if (!s.instance?.name) throw new ScenarioError(`${where(i, 'instance.name')} is required`);
      if (!INSTANCE_ACTIONS.includes(s.instance.action)) {
        throw new ScenarioError(`${where(i, 'instance.action')} must be one of ${INSTANCE_ACTIONS.join(', ')}`);
      }
      step.instance = s.instance;
    }
    if (s.task !== undefined) {
      if (!TASK_ACTIONS.includes(s.task?.action)) throw new ScenarioError(`${where(i, 'task.action')} must be one of ${TASK_ACTIONS.join(', ')}`);
      if (!s.task.service && !s.task.family) throw new ScenarioError(`${where(i, 'task.service')} (or task.family) is required`);
      const { exitCode, reason, container, count } = s.task;
      if (count !== undefined && !(Number.isInteger(count) && count >= 1 && count <= 10_000)) throw new ScenarioError(`${where(i, 'task.count')} must be an integer 1-10000`);
      if (exitCode !== undefined && !(Number.isInteger(exitCode) && exitCode >= 0 && exitCode <= 255)) throw new ScenarioError(`${where(i, 'task.exitCode')} must be an integer 0-255`);
      if (exitCode !== undefined && s.task.action !== 'crash') throw new ScenarioError(`${where(i, 'task.exitCode')} is for action crash (oom exits 137)`);
      if (reason !== undefined && (typeof reason !== 'string' || !reason.trim() || reason.length > 255)) throw new ScenarioError(`${where(i, 'task.reason')} must be a text of 1-255 characters (StopTask's reason)`);
      if (reason !== undefined && s.task.action !== 'stop') throw new ScenarioError(`${where(i, 'task.reason')} is for action stop (StopTask's reason)`);
      if (container !== undefined && (typeof container !== 'string' || !['crash', 'oom'].includes(s.task.action))) throw new ScenarioError(`${where(i, 'task.container')} names a container, for actions crash and oom`);
      step.task = s.task;
    }
    if (s.alarm !== undefined) {
      if (typeof s.alarm?.name !== 'string' || !s.alarm.name) throw new ScenarioError(`${where(i, 'alarm.name')} is required`);
      if (!ALARM_STATES.includes(s.alarm.state)) throw new ScenarioError(`${where(i, 'alarm.state')} must be one of ${ALARM_STATES.join(', ')}`);
      step.alarm = { name: s.alarm.name, state: s.alarm.state };
    }
    if (s.hook !== undefined) {
      if (typeof s.hook?.hookTargetArn !== 'string' || !s.hook.hookTargetArn) throw new ScenarioError(`${where(i, 'hook.hookTargetArn')} is required`);
      if (!HOOK_STATUSES.includes(s.hook.status)) throw new ScenarioError(`${where(i, 'hook.status')} must be one of ${HOOK_STATUSES.join(', ')}`);
      step.hook = { hookTargetArn: s.hook.hookTargetArn, status: s.hook.status };
    }
    if (s.protection !== undefined) {
      const p = s.protection;
      if (!p?.service) throw new ScenarioError(`${where(i, 'protection.service')} is required`);
      if (typeof p.protectionEnabled !== 'boolean') throw new ScenarioError(`${where(i, 'protection.protectionEnabled')} must be true or false`);
      const m = p.expiresInMinutes;
      if (m !== undefined && !(Number.isInteger(m) && m >= 1 && m <= MAX_PROTECTION_MINUTES)) {
        throw new ScenarioError(`${where(i, 'protection.expiresInMinutes')} must be an integer 1-${MAX_PROTECTION_MINUTES}`);
      }
      if (p.count !== undefined && !(Number.isInteger(p.count) && p.count >= 1)) throw new ScenarioError(`${where(i, 'protection.count')} must be an integer ≥ 1`);
      step.protection = p;
    }
    if (s.queue !== undefined) step.queue = parseQueueStep(s.queue, (f) => where(i, `queue${f ? '.' + f : ''}`), dur);
    if (s.event !== undefined) {
      const err = putEventsEntryError(s.event);
      if (err) throw new ScenarioError(`${where(i, 'event')}: ${err}`);
      step.event = s.event;
    }
    return [step];
  });
  return {
    name: doc.metadata?.name ?? 'scenario',
    seed: spec.seed,
    untilMs: spec.until !== undefined ? dur(spec.until, 'Scenario spec.until') : undefined,
    sampleEveryMs: spec.sampleEvery !== undefined ? dur(spec.sampleEvery, 'Scenario spec.sampleEvery') : undefined,
    startMs: spec.start === undefined ? undefined : startOf(spec.start),
    steps: steps.map((s, i) => ({ s, i })).sort((a, b) => a.s.atMs - b.s.atMs || a.i - b.i).map((x) => x.s),
  };
}

/** `spec.start`: an ISO 8601 instant with a zone (`2026-03-08T06:00:00Z`, `…-05:00`). */
function startOf(v: unknown): number {
  const text = v instanceof Date ? v.toISOString() : v; // YAML reads an unquoted timestamp as a Date
  if (typeof text !== 'string' || !/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/.test(text) || Number.isNaN(Date.parse(text))) {
    throw new ScenarioError(`Scenario spec.start must be an ISO 8601 time with a zone, e.g. 2026-03-08T06:00:00Z (got ${JSON.stringify(v)})`);
  }
  const ms = Date.parse(text);
  if (ms < Date.UTC(2000, 0, 1) || ms > Date.UTC(2100, 0, 1)) throw new ScenarioError('Scenario spec.start must be between 2000 and 2100');
  return ms;
}

/** Largest `send` in one step and largest rate: bounded work whatever the scenario says. */
export const MAX_QUEUE_SEND = 100_000_000;
export const MAX_QUEUE_RATE = 1_000_000;

function parseQueueStep(q: any, where: (f: string) => string, dur: (v: unknown, field: string) => number): QueueStep {
  if (!q || typeof q !== 'object' || Array.isArray(q)) throw new ScenarioError(`${where('')} must be an object {name, send} or {name, ratePerSecond, for}`);
  const known = ['name', 'send', 'ratePerSecond', 'for', 'delaySeconds'];
  for (const k of Object.keys(q)) if (!known.includes(k)) throw new ScenarioError(`${where(k)}: unknown field (expected one of ${known.join(', ')})`);
  if (typeof q.name !== 'string' || q.name === '') throw new ScenarioError(`${where('name')} is required (the Queue's name)`);
  const count = (v: unknown, f: string, max: number, integer: boolean) => {
    if (typeof v !== 'number' || !Number.isFinite(v) || v <= 0 || v > max || (integer && !Number.isInteger(v))) {
      throw new ScenarioError(`${where(f)} must be ${integer ? 'an integer' : 'a number'} above 0 and at most ${max}`);
    }
    return v;
  };
  if ((q.send === undefined) === (q.ratePerSecond === undefined)) throw new ScenarioError(`${where('send')}: give exactly one of send or ratePerSecond`);
  const step: QueueStep = { name: q.name };
  if (q.send !== undefined) step.send = count(q.send, 'send', MAX_QUEUE_SEND, true);
  if (q.ratePerSecond !== undefined) {
    step.ratePerSecond = count(q.ratePerSecond, 'ratePerSecond', MAX_QUEUE_RATE, false);
    if (q.for === undefined) throw new ScenarioError(`${where('for')} is required with ratePerSecond (e.g. 10m)`);
    step.forMs = dur(q.for, where('for'));
  } else if (q.for !== undefined) throw new ScenarioError(`${where('for')} only goes with ratePerSecond`);
  if (q.delaySeconds !== undefined) {
    if (q.send === undefined) throw new ScenarioError(`${where('delaySeconds')} only goes with send (a rate uses the queue's DelaySeconds)`);
    if (!Number.isInteger(q.delaySeconds) || q.delaySeconds < 0 || q.delaySeconds > 900) throw new ScenarioError(`${where('delaySeconds')} must be an integer from 0 to 900 (SQS DelaySeconds)`);
    step.delaySeconds = q.delaySeconds;
  }
  return step;
}

/**
 * A load step with a curve, as the plain load steps it stands for (load-curve.ts): one every
 * `every` from the step's `at`, each relative to the running count when the curve starts.
 */
function curveSteps(s: any, atMs: number, i: number, where: string, seed: unknown): ScenarioStep[] {
  const others = Object.keys(s).filter((k) => k !== 'at' && k !== 'load');
  if (others.length) throw new ScenarioError(`${where}: a step with a load curve carries nothing else (found ${others.join(', ')})`);
  const extra = Object.keys(s.load).filter((k) => !['cluster', 'service', 'curve'].includes(k));
  if (extra.length) throw new ScenarioError(`${where}: with a curve, the values go in the curve (found load.${extra.join(', load.')})`);
  let points;
  try {
    points = expandCurve(s.load.curve, where, ((typeof seed === 'number' ? seed : 1) * 1_000_003 + i) >>> 0);
  } catch (e) {
    if (e instanceof CurveError) throw new ScenarioError(e.message);
    throw e;
  }
  const baseline = `steps[${i}]`;
  return points.map((p) => ({ atMs: atMs + p.atMs, load: { cluster: s.load.cluster, service: s.load.service, ...p.values, baseline } }));
}
