/**
 * The Scenario document: timed steps for `ecsplane simulate`. Validated up front so a typo in a
 * step fails before anything runs, naming the step and field.
 */
import { parseDuration } from '../../api/duration.js';
import type { Resource } from '../../api/meta.js';
import type { LoadStep } from '../shared/load-model.js';
import { CurveError, expandCurve } from './load-curve.js';

export type InstanceAction = 'terminate' | 'stop' | 'disconnect' | 'reconnect' | 'drain' | 'activate';
export type TaskAction = 'crash' | 'stop' | 'spot-interruption';

export interface ScenarioStep {
  atMs: number;
  apply?: Resource[];
  delete?: Array<{ kind: string; name: string; cluster?: string; force?: boolean }>;
  load?: LoadStep;
  instance?: { cluster?: string; name: string; action: InstanceAction };
  task?: { cluster?: string; service?: string; family?: string; count?: number; action: TaskAction };
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
  const steps: ScenarioStep[] = (spec.steps ?? []).flatMap((s: any, i: number): ScenarioStep[] => {
    if (!s || typeof s !== 'object') throw new ScenarioError(`${where(i, '')} must be an object`);
    const known = ['at', 'apply', 'delete', 'load', 'instance', 'task'];
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
      step.task = s.task;
    }
    return [step];
  });
  return {
    name: doc.metadata?.name ?? 'scenario',
    seed: spec.seed,
    untilMs: spec.until !== undefined ? dur(spec.until, 'Scenario spec.until') : undefined,
    sampleEveryMs: spec.sampleEvery !== undefined ? dur(spec.sampleEvery, 'Scenario spec.sampleEvery') : undefined,
    steps: steps.map((s, i) => ({ s, i })).sort((a, b) => a.s.atMs - b.s.atMs || a.i - b.i).map((x) => x.s),
  };
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
