/**
 * `ecsplane simulate`: every loop against an in-memory store on the virtual clock. Time jumps
 * from one due timer, scenario step or sample to the next, and the loops drain synchronously in
 * between, so the same inputs and seed give byte-identical output.
 */
import { keyOf, makeKey, type Resource } from '../../api/meta.js';
import { EcsError } from '../../api/errors.js';
import { tasksOfService } from '../shared/indexes.js';
import { createApp, type App } from '../register.js';
import { sortForApply } from '../../store/apiserver.js';
import { VirtualClock } from '../runtime/clock.js';
import { instanceAction, protectTasks, taskAction } from './actions.js';
import { SPOT_WARNING_MS } from '../capacity/spot.js';
import { parseScenario, ScenarioError, type Scenario, type ScenarioStep } from './scenario.js';
import { buildSample, type Sample } from './samples.js';
import { TaskTimelines, type TaskTimeline } from './task-timelines.js';
import { sendMessages, startSender } from '../queues/reconciler.js';
import { DEFAULT_PRICING, type Pricing } from '../../api/pricing.js';
import { UsageRecorder } from './usage.js';
import { summarize, type RunSummary } from './summary.js';

export const SIMULATION_START = Date.UTC(2026, 0, 1, 0, 0, 0);

export interface SimulateOptions {
  untilMs?: number;
  seed?: number;
  sampleEveryMs?: number;
  /** Prices for the run's cost (default: us-east-1, api/pricing/us-east-1.json). */
  pricing?: Pricing;
}

export interface SimulationEvent {
  t: number;
  kind: string;
  name: string;
  cluster: string;
  message: string;
}

/** An event as the bus delivered it: `t` in seconds from the start, `event` the EventBridge envelope. */
export interface SimulationBusEvent {
  t: number;
  event: unknown;
}

export interface SimulationResult {
  resources: Resource[];
  samples: Sample[];
  events: SimulationEvent[];
  /** Every task's timeline (also of tasks no longer in `resources`), for the task Gantt chart. */
  tasks: TaskTimeline[];
  /** Virtual seconds the simulation covered. */
  untilSeconds: number;
  busEvents: SimulationBusEvent[];
  /** Comparison figures and cost (controllers/simulation/summary.ts). */
  summary: RunSummary;
}

export class SimulationError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SimulationError';
  }
}

/** Split input documents into plain resources and (at most one) Scenario. */
export function splitScenario(docs: Resource[]): { resources: Resource[]; scenario?: Scenario } {
  const scenarios = docs.filter((d) => d?.kind === 'Scenario');
  if (scenarios.length > 1) throw new ScenarioError(`at most one Scenario document is allowed (found ${scenarios.length})`);
  return { resources: docs.filter((d) => d?.kind !== 'Scenario'), scenario: scenarios[0] ? parseScenario(scenarios[0]) : undefined };
}

export class Simulation {
  readonly app: App;
  readonly clock: VirtualClock;
  private readonly untilMs: number;
  private readonly sampleEveryMs: number;
  private readonly steps: ScenarioStep[];
  readonly samples: Sample[] = [];
  private readonly timelines: TaskTimelines;
  private stepIdx = 0;
  /** The virtual clock's start (Scenario `spec.start`, else SIMULATION_START); output times are relative to it. */
  readonly startMs: number;
  private readonly usage: UsageRecorder;
  private readonly pricing: Pricing;

  constructor(docs: Resource[], opts: SimulateOptions = {}) {
    const { resources, scenario } = splitScenario(docs);
    this.startMs = scenario?.startMs ?? SIMULATION_START;
    this.timelines = new TaskTimelines(this.startMs);
    this.clock = new VirtualClock(this.startMs);
    this.app = createApp({ clock: this.clock, seed: opts.seed ?? scenario?.seed ?? 1, deterministicIds: true, historySize: 1024 });
    this.untilMs = opts.untilMs ?? scenario?.untilMs ?? 30 * 60_000;
    this.sampleEveryMs = opts.sampleEveryMs ?? scenario?.sampleEveryMs ?? 10_000;
    if (this.sampleEveryMs <= 0) throw new ScenarioError('sampleEvery must be positive');
    this.pricing = opts.pricing ?? DEFAULT_PRICING;
    this.usage = new UsageRecorder(this.app.store, this.startMs, () => this.clock.now());
    this.steps = [...(resources.length ? [{ atMs: 0, apply: resources } as ScenarioStep] : []), ...(scenario?.steps ?? [])];
  }

  /** Run to the end; returns the contract output. */
  run(): SimulationResult {
    this.start();
    this.runUntil(this.untilMs);
    return this.result();
  }

  start(): void {
    this.timelines.watch(this.app.store);
    this.app.manager.startWatching();
    this.app.manager.drain();
  }

  /** Advance virtual time to `untilMs` (relative to the start), sampling on the way. */
  runUntil(untilMs: number): void {
    const end = this.startMs + untilMs;
    for (;;) {
      const nextStep = this.stepIdx < this.steps.length ? this.startMs + this.steps[this.stepIdx].atMs : Infinity;
      const nextSample = this.startMs + this.samples.length * this.sampleEveryMs;
      const t = Math.min(nextStep, nextSample, this.clock.nextTimerAt() ?? Infinity);
      if (t > end) break;
      this.clock.advanceTo(t);
      this.app.manager.drain();
      while (this.stepIdx < this.steps.length && this.startMs + this.steps[this.stepIdx].atMs <= t) {
        this.applyStep(this.steps[this.stepIdx++]);
        this.app.manager.drain();
      }
      this.usage.tick(t);
      if (t === nextSample) this.samples.push(buildSample(this.app.store, t - this.startMs, t, this.app.load));
    }
    this.clock.advanceTo(end);
  }

  result(): SimulationResult {
    const order = (k: string) => ['Cluster', 'CapacityProvider', 'AutoScalingGroup', 'ContainerInstance', 'TaskDefinition', 'TaskDefinitionRevision', 'TargetGroup', 'Subnet', 'Service', 'Task', 'ScalableTarget', 'ScalingPolicy', 'ScheduledAction', 'Queue', 'MetricAlarm', 'Rule', 'Schedule'].indexOf(k);
    const resources = this.app.store
      .kinds()
      .sort((a, b) => order(a) - order(b) || a.localeCompare(b))
      .flatMap((k) => this.app.store.list(k).sort((a, b) => (keyOf(a) < keyOf(b) ? -1 : 1)));
    const events = this.app.events.events.map((e) => ({
      t: (e.t - this.startMs) / 1000,
      kind: e.kind,
      name: e.name,
      cluster: e.cluster,
      message: e.message,
    }));
    const busEvents = this.app.bus.events.map((e) => ({ t: (e.t - this.startMs) / 1000, event: e.event }));
    return { resources, samples: this.samples, events, busEvents, tasks: this.timelines.list(), untilSeconds: (this.clock.now() - this.startMs) / 1000, summary: summarize(this.usage.record(this.clock.now()), events, this.pricing) };
  }

  private applyStep(step: ScenarioStep): void {
    const at = `step at ${step.atMs / 1000}s`;
    const fail = (what: string, err: unknown): never => {
      const e = err as Error;
      throw new SimulationError(`${at}: ${what}: ${e instanceof EcsError ? e.message : e?.message ?? e}`);
    };
    const now = this.clock.now();
    // A request ECS refuses does not end the run: it is an event, as the error is to a script that goes on.
    const refused = (verb: string, kind: string, name: string, cluster: string | undefined, err: unknown) => {
      if (!(err instanceof EcsError)) fail(`${verb} ${kind} ${name}`, err);
      const e = err as EcsError;
      const stub = { kind, metadata: { name, ...(cluster ? { namespace: cluster } : {}) }, spec: { cluster } };
      this.app.events.record(stub, 'RequestRefused', `${verb} refused: ${e.type}: ${e.bareMessage}${e.field ? ` (${e.field})` : ''}`, 'Warning');
    };
    for (const r of sortForApply(step.apply ?? [])) {
      try {
        this.app.api.apply(r);
      } catch (err) {
        refused('apply', String(r?.kind), String(r?.metadata?.name), r?.spec?.cluster, err);
      }
      this.app.manager.drain();
    }
    for (const d of step.delete ?? []) {
      const key = ['Service', 'Task', 'ContainerInstance'].includes(d.kind) ? makeKey(d.cluster ?? 'default', d.name) : d.name;
      try {
        this.app.api.delete(d.kind, key, { force: d.force });
      } catch (err) {
        refused('delete', d.kind, d.name, d.cluster ?? (['Service', 'Task', 'ContainerInstance'].includes(d.kind) ? 'default' : undefined), err);
      }
    }
    if (step.load) {
      const l = step.load;
      const key = makeKey(l.cluster ?? 'default', l.service);
      const running = tasksOfService(this.app.store, key).filter((t) => t.status?.lastStatus === 'RUNNING' && t.status?.desiredStatus === 'RUNNING').length;
      this.app.load.set(l, running);
      // The autoscaling loop reads utilisation on its own schedule; nothing else changes state here.
    }
    if (step.instance) {
      try {
        instanceAction(this.app.store, step.instance.cluster ?? 'default', step.instance.name, step.instance.action);
      } catch (err) {
        fail('instance', err);
      }
    }
    if (step.alarm) this.app.alarms.set(step.alarm.name, step.alarm.state); // services with alarms poll them
    if (step.hook) this.app.hooks.set(step.hook.hookTargetArn, step.hook.status); // a waiting stage asks again every 30 s
    if (step.protection) {
      const p = step.protection;
      const ids = protectTasks(this.app.store, { cluster: p.cluster ?? 'default', service: p.service, count: p.count ?? 1, protectionEnabled: p.protectionEnabled, expiresInMinutes: p.expiresInMinutes }, now);
      const svc = this.app.store.get('Service', makeKey(p.cluster ?? 'default', p.service));
      if (svc) this.app.events.record(svc, 'TaskProtection', `UpdateTaskProtection protectionEnabled=${p.protectionEnabled}: ${ids.map((id) => `(task ${id})`).join(' ') || 'no running task'}`);
    }
    if (step.queue) {
      const q = step.queue;
      try {
        if (q.send !== undefined) sendMessages(this.app.store, q.name, q.send, now, q.delaySeconds);
        else startSender(this.app.store, q.name, q.ratePerSecond!, q.forMs!, now);
      } catch (err) {
        fail('queue', err);
      }
    }
    if (step.event) this.app.bus.put(step.event);
    if (step.task) {
      const t = step.task;
      let ids: string[] = [];
      try {
        ids = taskAction(this.app.store, { cluster: t.cluster ?? 'default', service: t.service, family: t.family, count: t.count ?? 1 }, t.action, now, { exitCode: t.exitCode, reason: t.reason, container: t.container });
      } catch (err) {
        fail('task', err);
      }
      // Seam for the capacity-provider work: make the Spot two-minute warning visible in the timeline.
      if (t.action === 'spot-interruption') {
        for (const id of ids) {
          const task = this.app.store.get('Task', makeKey(t.cluster ?? 'default', id));
          if (task) this.app.events.record(task, 'SpotInterruption', `two-minute warning: task ${id} stops at +${(now + SPOT_WARNING_MS - this.startMs) / 1000}s`, 'Warning');
        }
      }
    }
  }
}

export function simulate(docs: Resource[], opts: SimulateOptions = {}): SimulationResult {
  return new Simulation(docs, opts).run();
}
