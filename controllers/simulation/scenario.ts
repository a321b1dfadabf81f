/**
 * The Scenario document: timed steps for `ecsplane simulate`. Validated up front so a typo in a
 * step fails before anything runs, naming the step and field.
 */
import { parseDuration } from '../../api/duration.js';
import type { Resource } from '../../api/meta.js';

export type InstanceAction = 'terminate' | 'stop' | 'disconnect' | 'reconnect' | 'drain' | 'activate';
export type TaskAction = 'crash' | 'stop' | 'spot-interruption';

export interface ScenarioStep {
  atMs: number;
  apply?: Resource[];
  delete?: Array<{ kind: string; name: string; cluster?: string; force?: boolean }>;
  load?: { cluster?: string; service: string; cpuUtilization?: number; memoryUtilization?: number; requestsPerMinute?: number };
  instance?: { cluster?: string; name: string; action: InstanceAction };
  task?: { cluster?: string; service?: string; family?: string; count?: number; action: TaskAction };
  queue?: QueueStep;
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
  steps: ScenarioStep[];
}

const INSTANCE_ACTIONS = ['terminate', 'stop', 'disconnect', 'reconnect', 'drain', 'activate'];
const TASK_ACTIONS = ['crash', 'stop', 'spot-interruption'];

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
  const steps: ScenarioStep[] = (spec.steps ?? []).map((s: any, i: number) => {
    if (!s || typeof s !== 'object') throw new ScenarioError(`${where(i, '')} must be an object`);
    const known = ['at', 'apply', 'delete', 'load', 'instance', 'task', 'queue'];
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
      step.task = s.task;
    }
    if (s.queue !== undefined) step.queue = parseQueueStep(s.queue, (f) => where(i, `queue${f ? '.' + f : ''}`), dur);
    return step;
  });
  return {
    name: doc.metadata?.name ?? 'scenario',
    seed: spec.seed,
    untilMs: spec.until !== undefined ? dur(spec.until, 'Scenario spec.until') : undefined,
    sampleEveryMs: spec.sampleEvery !== undefined ? dur(spec.sampleEvery, 'Scenario spec.sampleEvery') : undefined,
    steps: steps.map((s, i) => ({ s, i })).sort((a, b) => a.s.atMs - b.s.atMs || a.i - b.i).map((x) => x.s),
  };
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
